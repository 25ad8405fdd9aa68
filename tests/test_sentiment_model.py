"""The learned sentiment engine (audit.analyzers.sentiment_model): runs offline from package
data, tells two actors of one sentence apart, and fails with a clear message when its model
file is missing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from audit.analyzers import sentiment_model as sm
from audit.analyzers.sentiment_model import (
    MARK_END,
    MARK_START,
    ModelUnavailable,
    label_of,
    mark_target,
    model_available,
    predict_targets,
)

needs_model = pytest.mark.skipif(not model_available(), reason="the sentiment model is not exported yet")


def _span(text: str, target: str) -> tuple[int, int]:
    i = text.index(target)
    return i, i + len(target)


# --- input encoding -----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, target, expected",
    [
        ("Ann praised Bob.", "Bob", ("Bob", f"Ann praised {MARK_START} Bob {MARK_END} .")),
        ("Bob left.", "Bob", ("Bob", f"{MARK_START} Bob {MARK_END} left.")),
        ("They met Mary  Smith today", "Mary  Smith", ("Mary Smith", f"They met {MARK_START} Mary  Smith {MARK_END} today")),
    ],
)
def test_mark_target(text, target, expected):
    assert mark_target(text, _span(text, target)) == expected


def test_mark_target_marks_only_the_given_mention():
    text = "Smith said Smith would win."
    _, marked = mark_target(text, (11, 16))
    assert marked == f"Smith said {MARK_START} Smith {MARK_END} would win."


@pytest.mark.parametrize("span", [(5, 5), (-1, 3), (3, 99), (4, 2)])
def test_mark_target_rejects_bad_spans(span):
    with pytest.raises(ValueError):
        mark_target("Ann praised Bob.", span)


def test_long_sentence_is_windowed_around_the_target():
    text = "word " * 300 + "Target person" + " filler" * 300
    target, marked = mark_target(text, _span(text, "Target person"), max_chars=200)
    assert target == "Target person"
    assert f"{MARK_START} Target person {MARK_END}" in marked
    assert len(marked) <= 200 + len(MARK_START) + len(MARK_END) + 4


# --- predictions --------------------------------------------------------------------

# (sentence, target, expected class): clear cases a reader would not dispute.
CASES = [
    ("Police said Harlan Decker was arrested for defrauding elderly investors of their savings.", "Harlan Decker", "negative"),
    ("Mara Quint was widely praised for her courage after she rescued three children from the fire.", "Mara Quint", "positive"),
    ("Tomas Brell will travel to Oslo on Tuesday for the annual meeting.", "Tomas Brell", "neutral"),
    ("The committee, chaired by Ilse Varga, meets every second Thursday.", "Ilse Varga", "neutral"),
]

# Two actors of opposite polarity in one sentence. The shipped model gets the first right
# and, in the others, lets the negative half of the sentence spill onto the praised actor:
# a known weakness, kept here as strict xfails so that a better model shows up as XPASS.
_SPILL = pytest.mark.xfail(strict=True, reason="known weakness: negative context spills onto the praised actor")
PAIRS = [
    (
        "Voters cheered Senator Ana Ruiz for her honest, tireless work, while they booed Governor Carl Tibb, who lied to them for years.",
        ("Ana Ruiz", "positive"),
        ("Carl Tibb", "negative"),
    ),
    pytest.param(
        "Dana Holt brilliantly exposed the corruption of Victor Crane, a disgraced official who stole millions.",
        ("Dana Holt", "positive"),
        ("Victor Crane", "negative"),
        marks=_SPILL,
    ),
    pytest.param(
        "The court cleared Nadia Perl of all charges and condemned prosecutor Glen Ostrow for hiding evidence.",
        ("Nadia Perl", "positive"),
        ("Glen Ostrow", "negative"),
        marks=_SPILL,
    ),
    pytest.param(
        "Fans adored coach Rita Voss, but they blamed owner Paul Quill for ruining the club.",
        ("Rita Voss", "positive"),
        ("Paul Quill", "negative"),
        marks=_SPILL,
    ),
]


@needs_model
@pytest.mark.parametrize("text, target, expected", CASES)
def test_single_target(text, target, expected):
    (probs,) = predict_targets([(text, _span(text, target))])
    assert len(probs) == 3 and abs(sum(probs) - 1) < 1e-4 and all(p >= 0 for p in probs)
    assert label_of(probs) == expected


@needs_model
@pytest.mark.parametrize("text, first, second", PAIRS)
def test_two_actors_of_opposite_polarity(text, first, second):
    (t1, y1), (t2, y2) = first, second
    p1, p2 = predict_targets([(text, _span(text, t1)), (text, _span(text, t2))])
    assert (label_of(p1), label_of(p2)) == (y1, y2)


@needs_model
def test_empty_input_and_order_is_kept_across_batches():
    assert predict_targets([]) == []
    items = [(t, _span(t, tg)) for t, tg, _ in CASES] * 3
    one = predict_targets(items, batch_size=1)
    many = predict_targets(items, batch_size=5)
    assert [label_of(p) for p in one] == [label_of(p) for p in many] == [y for *_, y in CASES] * 3
    # dynamic int8 quantisation scales activations per batch: close, not bit-identical
    assert max(abs(a - b) for p, q in zip(one, many) for a, b in zip(p, q)) < 0.05


@needs_model
def test_runs_offline_without_torch_from_package_data():
    code = (
        "import sys, json\n"
        "from audit.analyzers.sentiment_model import predict_targets, MODEL_DIR\n"
        "t = 'Mara Quint was widely praised for her courage.'\n"
        "p = predict_targets([(t, (0, 10))])\n"
        "print(json.dumps({'probs': p[0], 'torch': 'torch' in sys.modules,"
        " 'transformers': 'transformers' in sys.modules, 'dir': str(MODEL_DIR)}))\n"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", NO_PROXY="*",
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["torch"] is False and res["transformers"] is False
    assert res["dir"].endswith(os.path.join("audit", "models", "sentiment"))
    assert len(res["probs"]) == 3


# --- missing model: clear message, lexicon fallback -----------------------------------

@pytest.mark.parametrize("missing", ["model.onnx", "tokenizer.json", "config.json"])
def test_missing_model_file_raises_a_clear_error(tmp_path, missing):
    for f in sm.MODEL_FILES:
        if f != missing and (sm.MODEL_DIR / f).is_file():
            shutil.copy2(sm.MODEL_DIR / f, tmp_path / f)
        elif f != missing:
            (tmp_path / f).write_text("{}")
    assert model_available(tmp_path) is False
    with pytest.raises(ModelUnavailable) as err:
        predict_targets([("Ann praised Bob.", (12, 15))], model_dir=tmp_path)
    msg = str(err.value)
    assert missing in msg and "lexicon" in msg


def test_corrupt_model_file_raises_model_unavailable(tmp_path):
    for f in sm.MODEL_FILES:
        (tmp_path / f).write_text("not a model")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelUnavailable, match="lexicon"):
        predict_targets([("Ann praised Bob.", (12, 15))], model_dir=tmp_path)


def test_engine_selection_falls_back_to_lexicon_when_model_missing(tmp_path, monkeypatch):
    from audit.analyze import resolve_engine

    from audit import encoder

    monkeypatch.delenv("NEWSAUDIT_SENTIMENT", raising=False)
    monkeypatch.setattr(sm, "MODEL_DIR", tmp_path)
    monkeypatch.setattr(encoder, "MODEL_DIR", tmp_path)  # neither learned backend installed
    assert resolve_engine() == "lexicon"
    assert resolve_engine("lexicon") == "lexicon"
    with pytest.raises(ValueError, match="lexicon"):
        resolve_engine("model")


@needs_model
def test_engine_selection_prefers_the_installed_model(monkeypatch):
    from audit.analyze import resolve_engine

    monkeypatch.delenv("NEWSAUDIT_SENTIMENT", raising=False)
    assert resolve_engine() == "model"
    assert resolve_engine("lexicon") == "lexicon"
    monkeypatch.setenv("NEWSAUDIT_SENTIMENT", "lexicon")
    assert resolve_engine() == "lexicon"


# --- the shipped model's card matches its measured figures -----------------------------

@needs_model
def test_model_card_and_metrics_are_shipped():
    metrics = json.loads((sm.MODEL_DIR / "metrics.json").read_text())
    card = (sm.MODEL_DIR / "MODEL_CARD.md").read_text()
    for name, s in metrics["dev_int8_onnx"].items():
        assert f"{s['macro_f1']:.3f}" in card, name
    assert "Apache" in card and "MIT" in card


@needs_model
def test_target_straddling_a_sentence_split_is_scored(nlp):
    """spaCy may split a sentence inside a target (a quote ending mid-name): the model then
    reads both sentences instead of failing on a span outside its window."""
    from spacy.tokens import Doc

    from audit.analyzers.sentiment import target_polarities

    words = ["Voters", "cheered", "Senator", "Ana", "Ruiz", "today", "."]
    doc = Doc(nlp.vocab, words=words, sent_starts=[True, False, False, True, False, False, False])
    start = doc[2].idx
    end = doc[4].idx + len(doc[4].text)
    ((label, score),) = target_polarities(doc, [(start, end)], engine="model")
    assert label in ("negative", "neutral", "positive") and -1.0 <= score <= 1.0


def test_training_reader_repeats_only_mixed_polarity_sentences(tmp_path):
    from audit.training.sentiment.train import read_targets

    f = tmp_path / "train.jsonl"
    rows = [
        {"text": "Ann praised Bob and attacked Cy.", "targets": [
            {"span": [12, 15], "polarity": "positive"}, {"span": [29, 31], "polarity": "negative"}]},
        {"text": "Dee and Eve lost.", "targets": [
            {"span": [0, 3], "polarity": "negative"}, {"span": [8, 11], "polarity": "negative"}]},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert len(read_targets(f)) == 4
    got = read_targets(f, mixed_copies=3)
    assert len(got) == 3 * 2 + 2  # only the mixed sentence is repeated
    assert sum(1 for text, *_ in got if text.startswith("Dee")) == 2


@needs_model
def test_model_predictions_are_batched_across_articles(nlp, monkeypatch):
    """One call of the model engine's predictor for a batch of articles (the pair model, or the
    cascade's head and then its pair model each once), with the same labels as per article."""
    from audit.analyze import analyze_doc, analyze_docs
    from audit.analyzers import sentiment as S
    from audit.ingest.article import Article

    texts = [
        "Police said Harlan Decker was arrested for defrauding elderly investors.\n\n"
        "Decker denied the charges on Monday.",
        "Mara Quint was praised for her courage after she rescued three children from a fire.",
        "The weather was mild on Tuesday.",  # no actor: nothing to predict
    ]
    arts = [Article.build(t, origin=f"t{k}") for k, t in enumerate(texts)]
    docs = [nlp(t) for t in texts]
    single = [analyze_doc(d, a, sentiment_engine="model") for d, a in zip(docs, arts)]
    calls = []
    real = S.model_backend()
    monkeypatch.setattr(S, "model_backend", lambda: lambda items, **kw: calls.append(len(items)) or real(items, **kw))
    batched = analyze_docs([(d, a, ()) for d, a in zip(docs, arts)], sentiment_engine="model")
    assert len(calls) == 1 and calls[0] >= 2
    for one, many in zip(single, batched):
        assert [(s.actor_key, s.label) for s in one.sentiments] == [(s.actor_key, s.label) for s in many.sentiments]


def test_one_failing_article_does_not_stop_the_batch(nlp, monkeypatch):
    from audit import analyze as an
    from audit.ingest.article import Article

    texts = ["Mara Quint opened the bridge on Monday.", "Tomas Brell closed the school on Friday."]
    arts = [Article.build(t, origin=f"t{k}") for k, t in enumerate(texts)]
    real = an._findings

    def flaky(doc, article, caption_docs):
        if "Brell" in doc.text:
            raise RuntimeError("boom")
        return real(doc, article, caption_docs)

    monkeypatch.setattr(an, "_findings", flaky)
    out = an.analyze_docs([(nlp(t), a, ()) for t, a in zip(texts, arts)], sentiment_engine="lexicon")
    assert not isinstance(out[0], Exception) and out[0].actors
    assert isinstance(out[1], RuntimeError)
