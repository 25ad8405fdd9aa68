"""Hedging analyzer (placeholder: replaced by the hedging work)."""
from __future__ import annotations


def find_hedges(doc):
    return []
