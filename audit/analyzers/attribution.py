"""Attribution analyzer (placeholder: replaced by the attribution work)."""
from __future__ import annotations


def find_attributions(doc, *, actors=()):
    return []
