"""Per-article headline scores, derived from the findings (each defined in README → Methodology):
one function per layer, listed in the layer registry (:mod:`audit.layers`)."""
from __future__ import annotations

import math
from collections import Counter

from .findings import SOURCE_TYPES, AuditResult

ANONYMOUS_KINDS = ("anonymous", "unspecified_group")


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _per_100(result: AuditResult):
    words = result.readability.words if result.readability else 0
    return lambda n: round(100.0 * n / words, 3) if words else 0.0


def summarize(result: AuditResult, doc=None, *, sentiment_engine: str = "lexicon") -> dict:
    """The ``articles`` table row for one audit (besides the article's own metadata): each
    layer's scores (``audit.layers.LAYERS``, in order) and the sentiment engine."""
    from .layers import LAYERS

    out: dict = {}
    for layer in LAYERS:
        out.update(layer.score(result))
    out["sentiment_engine"] = sentiment_engine
    return out


def count_scores(result: AuditResult) -> dict:
    return {
        "words": result.readability.words if result.readability else 0,
        "sentences": len(result.sentences),
    }


def attribution_scores(result: AuditResult) -> dict:
    n_sent = len(result.sentences)
    atts = result.attributions
    per_100 = _per_100(result)

    attributed_sents = sum(
        1 for s in result.sentences
        if any(_overlaps(s, piece) for a in atts for piece in a.content)
    )
    # Distinct sources: resolved actor when known, else the lower-cased source text; sourceless excluded.
    keys = {a.actor_key or (a.source_name or a.source_text).lower() for a in atts if a.source is not None}
    kinds = Counter(a.source_type for a in atts)
    n_att = len(atts)
    share = (lambda n: round(n / n_att, 3) if n_att else 0.0)
    # Source diversity: normalised Shannon entropy over source kinds (0 = one kind only, 1 = all kinds evenly).
    diversity = 0.0
    if n_att and len(kinds) > 1:
        ent = -sum((c / n_att) * math.log(c / n_att) for c in kinds.values())
        diversity = round(ent / math.log(len(SOURCE_TYPES)), 3)
    # statements (speech or writing, not beliefs or evidence): what a quote tracker counts
    statements = [a for a in atts if getattr(a, "kind", "statement") == "statement"]
    st_share = (lambda n: round(n / len(statements), 3) if statements else 0.0)
    return {
        "attributions": n_att,
        "attributed_sentence_share": round(attributed_sents / n_sent, 3) if n_sent else 0.0,
        "attributions_per_100_words": per_100(n_att),
        "distinct_sources": len(keys),
        "direct_quote_share": share(sum(1 for a in atts if a.direct)),
        "statements": len(statements),
        "named_statement_share": st_share(sum(1 for a in statements
                                              if a.source_type in ("named_person", "named_organization"))),
        "anonymous_statement_share": st_share(sum(1 for a in statements if a.source_type in ANONYMOUS_KINDS)),
        **{f"share_{k}": share(kinds.get(k, 0)) for k in SOURCE_TYPES},
        "named_source_share": share(kinds.get("named_person", 0) + kinds.get("named_organization", 0)),
        "anonymous_source_share": share(sum(kinds.get(k, 0) for k in ANONYMOUS_KINDS)),
        "source_diversity": diversity,
        "borrowed_reporting": int(any(a.borrowed for a in atts) or any(n.kind == "borrowed_reporting" for n in result.notes)),
    }


def hedge_scores(result: AuditResult) -> dict:
    from .analyzers.hedging import ARTICLE_HEDGE_KINDS, EPISTEMIC_KINDS

    n_sent = len(result.sentences)
    # ``hedges`` counts the articles guidelines' hedges (the articles schema's list); the
    # news-only expectation/belief cues count in ``hedged_sentence_share`` only.
    hedges = [h for h in result.hedges if h.kind in ARTICLE_HEDGE_KINDS]
    boosters = [h for h in result.hedges if h.kind == "booster"]
    # A sentence is hedged when it has an epistemic cue (modal, epistemic, reporting,
    # distancing, expectation, belief): approximators qualify quantities, not the statement (the Szeged
    # definition `newsaudit evaluate hedging` scores).
    epistemic = [h for h in result.hedges if h.kind in EPISTEMIC_KINDS]
    hedged_sents = sum(1 for s in result.sentences if any(_overlaps(s, h.span) for h in epistemic))
    return {
        "hedges": len(hedges),
        "hedges_per_100_words": _per_100(result)(len(hedges)),
        "hedged_sentence_share": round(hedged_sents / n_sent, 3) if n_sent else 0.0,
        "boosters": len(boosters),
    }


def claim_scores(result: AuditResult) -> dict:
    claims = result.claims
    anon_claims = sum(1 for c in claims if c.reason == "anonymous_source_only")
    return {
        "unverified_claims": len(claims),
        "anonymous_only_claim_share": round(anon_claims / len(claims), 3) if claims else 0.0,
    }


def loaded_scores(result: AuditResult) -> dict:
    # Loaded language in the article's own voice (quoted speakers' words are shown, not counted).
    n_sent = len(result.sentences)
    loaded = result.loaded
    own_loaded = sum(1 for f in loaded if f.loaded and not f.in_quote)
    own_words = sum(1 for f in loaded for w in f.words if not w.in_quote)
    return {
        "loaded_sentence_share": round(own_loaded / n_sent, 3) if n_sent else 0.0,
        "loaded_words_per_100_words": _per_100(result)(own_words),
        "quoted_loaded_sentences": sum(1 for f in loaded if f.loaded and f.in_quote),
        "loaded_engine": loaded[0].engine if loaded else None,
    }


def actor_scores(result: AuditResult) -> dict:
    sentiments = {s.actor_key: s for s in result.sentiments}
    return {
        "actors": len(result.actors),
        "mean_actor_sentiment": round(sum(s.score for s in sentiments.values()) / len(sentiments), 3) if sentiments else 0.0,
    }


def readability_scores(result: AuditResult) -> dict:
    r = result.readability
    return {
        "flesch_reading_ease": r.flesch_reading_ease if r else None,
        "flesch_kincaid_grade": r.flesch_kincaid_grade if r else None,
        "gunning_fog": r.gunning_fog if r else None,
    }
