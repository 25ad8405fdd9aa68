"""Per-actor sentiment (placeholder: replaced by the sentiment work)."""
from __future__ import annotations


def actor_sentiments(doc, actors, *, attributions=(), engine="lexicon"):
    return []


def target_polarities(doc, spans, *, engine="lexicon"):
    return [("neutral", 0.0) for _ in spans]
