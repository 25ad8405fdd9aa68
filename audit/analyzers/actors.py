"""Actors analyzer (placeholder: replaced by the actors work)."""
from __future__ import annotations


def find_actors(doc):
    return []


def actor_at(span, actors):
    """The actor one of whose mentions overlaps ``span`` most, or None."""
    return None
