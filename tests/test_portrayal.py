"""Article-level portrayal per actor (audit.analyzers.portrayal) and ``evaluate portrayal``."""
from __future__ import annotations

import json

import pytest

from audit.analyze import analyze_text
from audit.analyzers.portrayal import (LABELS, load_model, match_actor, portray, predict_proba,
                                       profile_features)
from audit.findings import Actor, Mention

# Invented articles, each with the expected portrayal of its actors. Every text is written
# the way PerSenT's lost its commas too, in a second row: the label must not depend on them.
ARTICLES = [
    # a warm profile: no single gushing sentence, but the article as a whole is kind to her
    ("profile", (
        "Maria Ortega has spent thirty years as a nurse caring for patients in the rural clinic she founded.\n"
        "Colleagues describe Ortega as tireless and generous, and patients say she saved their lives.\n"
        "Last week Ortega received the national award for community health for her work with poor families.\n"
        "Ortega said she was grateful and would keep working as long as she could."),
     {"person:maria-ortega": "positive"}),
    # an expose: the article casts him negatively
    ("expose", (
        "Victor Kane misled investors and hid losses of millions, an investigation has found.\n"
        "Kane forged bank statements and lied to regulators for years, according to court records.\n"
        "Former employees said Kane bullied staff who raised concerns and fired a whistleblower.\n"
        "Prosecutors charged Kane with fraud on Tuesday."),
     {"person:victor-kane": "negative"}),
    # a neutral report of a bad event: the fire is bad news, the official who reports it is not cast badly
    ("bad event", (
        "A fire destroyed a warehouse in the port district on Sunday night, fire chief Laura Benson said.\n"
        "Benson said three workers were injured and taken to hospital.\n"
        "The cause of the fire is under investigation, Benson said, and the road will stay closed until Tuesday."),
     {"person:laura-benson": "neutral"}),
]


def _decommaed(text: str) -> str:
    return text.replace(", ", "  ").replace(",", " ")


@pytest.mark.parametrize("kind, text, expected", ARTICLES + [(k + " without commas", _decommaed(t), e)
                                                             for k, t, e in ARTICLES])
def test_invented_articles(kind, text, expected):
    res = analyze_text(text)
    labels = {s.actor_key: s.label for s in res.sentiments}
    for key, label in expected.items():
        assert labels.get(key) == label, (kind, labels)
    for s in res.sentiments:  # the sentences shown next to the label are the actor's, in the text
        assert s.evidence and all(ev.text in text for ev in s.evidence)


def test_a_passing_mention_is_neutral():
    text = ("The city council approved the budget on Monday after a long debate about schools and roads.\n"
            "The budget grows by two percent and funds new bus lines.\n"
            "Council members will meet again in March. Mayor Tom Reyes will attend the meeting.")
    res = analyze_text(text)
    labels = {s.actor_key: s.label for s in res.sentiments}
    assert labels.get("person:tom-reyes") == "neutral", labels


def _profile(probs, **kw):
    rows = [{"probs": list(p), "tone": p[2] - p[0], "sent": i, "par": i, "subj": 1, "obj": 0, "role": 0.0,
             "speaker": 0, "reported": 0, "quoted": 0} for i, p in enumerate(probs)]
    base = {"n_sent": max(len(rows), 1), "n_par": max(len(rows), 1),
            "doc_tone": sum(r["tone"] for r in rows) / len(rows) if rows else 0.0, "mentions": len(rows),
            "mention_share": 1.0, "rank": 1, "times_quoted": 0, "first": 0.0, "sentences": rows}
    base.update(kw)
    return base


def test_features_are_finite_and_named_the_same_for_every_profile():
    empty = profile_features(_profile([]))
    one = profile_features(_profile([(0.1, 0.2, 0.7)]))
    many = profile_features(_profile([(0.8, 0.1, 0.1), (0.1, 0.1, 0.8), (0.2, 0.7, 0.1)], n_sent=10, n_par=5))
    assert set(empty) == set(one) == set(many)
    assert all(v == v and abs(v) < 1e6 for f in (empty, one, many) for v in f.values())
    assert one["mean_pos"] == pytest.approx(0.7) and many["frac_negative"] == pytest.approx(1 / 3)


def test_the_shipped_model_reads_and_covers_its_features():
    model = load_model()
    assert model is not None, "audit/data/portrayal_model.json is missing"
    assert sorted(model["classes"]) == sorted(LABELS)
    assert set(model["features"]) == set(profile_features(_profile([(0.1, 0.2, 0.7)])))
    p = predict_proba([profile_features(_profile([(0.1, 0.2, 0.7)]))], model)
    assert p.shape == (1, 3) and p.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("probs, extra, expected", [
    ([(0.02, 0.08, 0.9)] * 6, {}, "positive"),
    ([(0.9, 0.08, 0.02)] * 6, {}, "negative"),
    # one of several actors, in a few plainly neutral sentences of a longer article
    ([(0.03, 0.94, 0.03)] * 3, {"n_sent": 20, "n_par": 10, "mention_share": 0.2, "rank": 3}, "neutral"),
])
def test_clear_profiles_get_their_label(probs, extra, expected):
    assert portray(_profile(probs, **extra))[0] == expected


@pytest.mark.parametrize("probs, expected", [
    ([(0.9, 0.05, 0.05), (0.5, 0.4, 0.1)], "negative"),   # mean P(pos) - P(neg) = -0.6
    ([(0.1, 0.3, 0.6), (0.1, 0.8, 0.1)], "neutral"),      # 0.25: under the threshold
    ([(0.0, 0.6, 0.4), (0.1, 0.4, 0.5)], "positive"),     # 0.4
])
def test_without_a_model_the_mean_rule_decides(probs, expected):
    assert portray(_profile(probs), model=None) == (expected, None)


def test_match_actor_by_mentions():
    a = Actor(key="person:a", name="A", type="person", mentions=(Mention((0, 5), "Alpha"), Mention((40, 45), "Alpha")))
    b = Actor(key="person:b", name="B", type="person", mentions=(Mention((10, 14), "Beta"),))
    assert match_actor([a, b], [(0, 5), (40, 45)]) is a
    assert match_actor([a, b], [(10, 14)]) is b
    assert match_actor([a, b], [(20, 25)]) is None
    assert match_actor([], [(0, 5)]) is None


def test_evaluate_portrayal_writes_one_prediction_per_target(tmp_path):
    from click.testing import CliRunner

    from audit.cli import main

    text, expected = ARTICLES[1][1], "negative"
    start = text.index("Victor Kane")
    mentions = [[start, start + len("Victor Kane")]] + [[i, i + 4] for i in range(len(text)) if text.startswith("Kane", i) and i != start + 7]
    rows = [
        {"id": "x1", "text": text, "targets": [{"span": mentions[0], "text": "Victor Kane", "polarity": expected,
                                               "mentions": mentions}]},
        # a target no actor matches: predicted neutral, still written
        {"id": "x2", "text": "It rained all day in the valley.", "targets": [{"span": [0, 2], "text": "It",
                                                                              "polarity": "neutral", "mentions": [[0, 2]]}]},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "pred.jsonl"
    r = CliRunner().invoke(main, ["evaluate", "portrayal", str(gold), "--predictions", str(out), "--json"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.output[r.output.index("{"):])
    assert m["n"] == 2 and m["unmatched_targets"] == 1 and m["accuracy"] == 1.0
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in preds] == ["x1", "x2"]
    assert preds[0]["targets"] == [{"span": mentions[0], "polarity": expected}]
    assert preds[1]["targets"] == [{"span": [0, 2], "polarity": "neutral"}]


def test_evaluate_portrayal_bad_gold_is_one_line(tmp_path):
    from click.testing import CliRunner

    from audit.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    r = CliRunner().invoke(main, ["evaluate", "portrayal", str(bad)])
    assert r.exit_code != 0 and "bad.jsonl:1" in r.output and "Traceback" not in r.output
