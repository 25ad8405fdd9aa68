"""``newsaudit evaluate bias`` (issue 22): the metrics on invented lines, the CLI, and a guard
on the BABE dev figure (skips without ../shared)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import gold_file

MARGIN = 0.01


@pytest.mark.parametrize("text, words, expected", [
    ("The regime slammed critics.", ["slammed"], [[[11, 18]]]),
    ("Slammed, and slammed again.", ["slammed"], [[[0, 7], [13, 20]]]),        # every occurrence, any case
    ("So-called experts spoke.", ["so-called"], [[[0, 9]]]),
    ("The reformers reform.", ["reform"], [[[14, 20]]]),                       # whole word first
    ("Antireform voices.", ["reform"], [[[4, 10]]]),                           # else any occurrence
    ("Nothing here.", ["absent"], [[]]),
    ("Empty.", [""], [[]]),
])
def test_locate_words(text, words, expected):
    from audit.evaluate.bias import locate_words

    assert [[list(s) for s in occ] for occ in locate_words(text, words)] == expected


def test_score_metrics_on_invented_lines():
    from audit.evaluate.bias import score

    rows = [
        {"id": "a", "text": "The regime slammed critics.", "biased": True, "biased_words": ["regime", "slammed"]},
        {"id": "b", "text": "The government met critics.", "biased": False, "biased_words": []},
        {"id": "c", "text": "A bizarre, absurd plan.", "biased": True, "biased_words": ["bizarre", "gone"]},
        {"id": "d", "text": "Officials met on Monday.", "biased": False, "biased_words": []},
    ]
    preds = [
        {"id": "a", "biased": True, "words": [[11, 18]]},                 # finds 1 of 2 gold words
        {"id": "b", "biased": True, "words": [[4, 14]]},                  # a false positive word
        {"id": "c", "biased": False, "words": [[2, 9], [11, 17]]},        # bizarre right, absurd wrong
        {"id": "d", "biased": False, "words": []},
    ]
    m = score(rows, preds)
    # biased: tp 1, pred 2, gold 2 -> F1 0.5; not biased: tp 1, pred 2, gold 2 -> 0.5
    assert (m["f1_biased"], m["f1_not_biased"], m["macro_f1"], m["accuracy"]) == (0.5, 0.5, 0.5, 0.5)
    # words: gold 4 (one unlocated), found 2; predicted 4, right 2
    assert m["counts"]["gold_words"] == 4 and m["counts"]["gold_words_unlocated"] == 1
    assert (m["word_precision"], m["word_recall"], m["word_f1"]) == (0.5, 0.5, 0.5)


def test_cli_evaluate_bias_writes_the_predictions_contract(tmp_path):
    from audit.cli import main

    gold = tmp_path / "g.jsonl"
    lines = [{"id": "x1", "text": "The senator's bizarre tirade was absurd.", "biased": True,
              "biased_words": ["bizarre", "absurd"]},
             {"id": "x2", "text": "The senator spoke on Tuesday.", "biased": False, "biased_words": []}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    res = CliRunner().invoke(main, ["evaluate", "bias", str(gold), "--predictions", str(out), "--json",
                                    "--loaded", "lexicon"])
    assert res.exit_code == 0, res.output
    metrics = json.loads(res.output)
    assert metrics["task"] == "bias" and metrics["sentences"] == 2 and metrics["engine"] == "lexicon"
    preds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in preds] == ["x1", "x2"]
    assert all(set(p) == {"id", "biased", "words"} for p in preds)
    for p, r in zip(preds, lines):
        assert all(0 <= s < e <= len(r["text"]) for s, e in p["words"])
    assert preds[0]["biased"] is True
    assert "bizarre" in [lines[0]["text"][s:e] for s, e in preds[0]["words"]]


def test_cli_evaluate_bias_refuses_a_gold_file_of_another_task(tmp_path):
    from audit.cli import main

    gold = tmp_path / "h.jsonl"
    gold.write_text(json.dumps({"id": "1", "text": "It may rain.", "hedged": True}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["evaluate", "bias", str(gold)])
    assert res.exit_code != 0
    assert "no 'biased' field" in res.output and "Traceback" not in res.output


@pytest.mark.gold
def test_babe_dev_figure_holds():
    """The shipped lexicon on BABE dev scores at least its card's in-sample figure less a point
    (the file it was learned on: a guard against a broken run-time path, not a measure)."""
    from audit.analyzers.loaded import read_lexicon
    from audit.evaluate import evaluate

    path = gold_file("bias", "babe_dev.jsonl")
    import os

    os.environ["NEWSAUDIT_LOADED"] = "lexicon"
    try:
        res = evaluate("bias", path)
    finally:
        del os.environ["NEWSAUDIT_LOADED"]
    card = read_lexicon()["_card"]["dev_in_sample"]
    assert res["sentences"] == 2644
    assert res["macro_f1"] >= card["macro_f1"] - MARGIN, (res, card)
    assert res["word_f1"] >= card["word_f1"] - MARGIN, (res, card)
