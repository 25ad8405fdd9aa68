"""Guards on the dev figures reached (issue 4): fail if they drop more than a point.

Reached (see the hedging report): Szeged Wikipedia dev sentence F1 of the hedged class;
articles dev hedge span-overlap F1 and unverified-claim F1 (span overlap, right reason).
Skips when ../shared/eval is absent. The Szeged run audits 9,845 sentences (a few minutes).
"""
from __future__ import annotations

import pytest

from conftest import gold_file

SZEGED_F1_REACHED = 0.8582
ARTICLES_HEDGE_F1_REACHED = 0.9787
# On the 17-article authored dev file (0.9333 on the earlier 13; the four new articles are
# the unseen kind the claims issue is about).
ARTICLES_CLAIM_F1_REACHED = 0.6667
MARGIN = 0.01


@pytest.mark.gold
def test_szeged_dev_sentence_f1():
    from audit.evaluate import evaluate

    res = evaluate("hedging", gold_file("hedging", "szeged_wiki_dev.jsonl"))
    assert res["sentences"] == 9845
    assert res["f1_hedged"] >= SZEGED_F1_REACHED - MARGIN, res


@pytest.fixture(scope="module")
def articles():
    from audit.evaluate.common import audit_gold, read_gold

    rows = read_gold(gold_file("articles", "authored_dev.jsonl"))
    return rows, [res for _, res in audit_gold(rows)]


@pytest.mark.gold
def test_articles_dev_hedge_f1(articles):
    from audit.evaluate.hedging import hedge_span_prf

    res = hedge_span_prf(*articles)
    assert res["f1"] >= ARTICLES_HEDGE_F1_REACHED - MARGIN, res


@pytest.mark.gold
def test_articles_dev_claim_f1(articles):
    from audit.evaluate.hedging import claim_span_prf

    res = claim_span_prf(*articles)
    assert res["f1"] >= ARTICLES_CLAIM_F1_REACHED - MARGIN, res


@pytest.mark.parametrize("gold, pred, f1", [
    ([{"span": [0, 5], "reason": "explicitly_unverified"}], [{"span": [3, 9], "reason": "explicitly_unverified"}], 1.0),
    ([{"span": [0, 5], "reason": "explicitly_unverified"}], [{"span": [3, 9], "reason": "anonymous_source_only"}], 0.0),
    ([{"span": [0, 5], "reason": "explicitly_unverified"}], [{"span": [5, 9], "reason": "explicitly_unverified"}], 0.0),
    ([], [], 0.0),
])
def test_claim_span_prf(gold, pred, f1):
    from audit.evaluate.hedging import claim_span_prf

    assert claim_span_prf([{"unverified_claims": gold}], [{"unverified_claims": pred}])["f1"] == f1
