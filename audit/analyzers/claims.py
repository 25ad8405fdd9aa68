"""Unverified-claims analyzer (placeholder: replaced by the claims work)."""
from __future__ import annotations


def find_claims(doc, *, attributions=(), hedges=()):
    return []


def find_borrowed_reporting(doc, *, attributions=(), outlet=""):
    return []
