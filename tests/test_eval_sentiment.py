"""Guard the sentiment and actor figures reached on the dev gold (skips without ../shared)."""
from __future__ import annotations

import pytest

from audit.evaluate.sentiment import actor_prf, evaluate

from conftest import gold_file

# Reached by the lexicon engine (see the report); a drop of more than a point fails.
FLOORS = {"newsmtsc_rw_dev.jsonl": 0.640, "newsmtsc_mt_dev.jsonl": 0.603}
# Reached by the shipped model engine (audit/models/sentiment/MODEL_CARD.md), through
# `newsaudit evaluate sentiment ... --sentiment model`.
MODEL_FLOORS = {"newsmtsc_rw_dev.jsonl": 0.8001, "newsmtsc_mt_dev.jsonl": 0.7536}
# On the 17-article authored dev file (it had 13 articles until 2026-12; 0.977 / 0.844 there);
# #20 measured 0.9538 / 0.7706 on its branch: the lower pair holds until the merged line is re-measured.
ACTOR_RECALL, MENTION_RECALL = 0.9462, 0.7706
SLACK = 0.01


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_sentiment_dev_macro_f1(name, tmp_path):
    path = gold_file("sentiment", name)
    out = tmp_path / "pred.jsonl"
    m = evaluate(path, predictions=out, engine="lexicon")
    assert m["macro_f1"] >= FLOORS[name] - SLACK, m
    assert len(out.read_text().splitlines()) == sum(1 for line in open(path) if line.strip())


@pytest.mark.parametrize("name", sorted(MODEL_FLOORS))
def test_model_engine_dev_macro_f1(name, tmp_path):
    from audit.analyzers.sentiment_model import model_available

    if not model_available():
        pytest.skip("the sentiment model files are not installed")
    path = gold_file("sentiment", name)
    m = evaluate(path, predictions=tmp_path / "pred.jsonl", engine="model")
    assert m["macro_f1"] >= MODEL_FLOORS[name] - SLACK, m


def test_articles_actor_recall(nlp):
    from audit.analyzers.actors import find_actors
    from audit.evaluate.common import read_gold

    rows = read_gold(gold_file("articles", "authored_dev.jsonl"))
    res = [find_actors(d) for d in nlp.pipe(r["text"] for r in rows)]
    m = actor_prf(rows, res)
    assert m["actors"]["recall"] >= ACTOR_RECALL - SLACK, m
    assert m["mention_recall"] >= MENTION_RECALL - SLACK, m


@pytest.mark.parametrize("gold, pred, recall", [
    ([{"name": "Anna Lee", "mentions": [[0, 8]]}], [], 0.0),
])
def test_actor_prf_empty_prediction(gold, pred, recall):
    m = actor_prf([{"id": "x", "actors": gold}], [pred])
    assert m["actors"]["recall"] == recall and m["mention_recall"] == 0.0
