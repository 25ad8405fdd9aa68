"""Words and numbers for people: the one place that turns stored codes into display text.

The terminal (``newsaudit show``), the dashboard, the HTML report and the charts all label
source kinds, attribution forms, claim reasons and metrics through these tables, so a code
such as ``named_organization`` never reaches a reader, counts agree with their nouns
("1 mention", "2 mentions") and a number rounds the same way everywhere (never "-0.00").
"""
from __future__ import annotations

import json
import math

# source_type → label (the kinds of audit.findings.SOURCE_TYPES)
SOURCE_KINDS = {
    "named_person": "named person",
    "named_organization": "named organization",
    "anonymous": "anonymous",
    "unspecified_group": "unspecified group",
    "document": "document",
    "media": "media",
}

# attribution form → label (audit.findings.ATTRIBUTION_FORMS)
FORMS = {
    "direct": "direct quote",
    "mixed": "partly quoted",
    "indirect": "reported speech",
    "according_to": "“according to”",
    "colon": "after a colon",
    "sourceless": "no source given",
    "nominal": "noun phrase (“the claim that …”)",
}

# article and outlet metrics → label (columns of the articles table)
METRICS = {
    "attributions_per_100_words": "Attributions per 100 words",
    "anonymous_source_share": "Anonymous-source share",
    "hedges_per_100_words": "Hedges per 100 words",
    "unverified_claims_per_article": "Unverified claims per article",
    "unverified_claims": "Unverified claims",
    "mean_actor_sentiment": "Mean actor sentiment",
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
}

# Words that, as the whole source text, only point at a source named elsewhere.
_POINTERS = {"he", "she", "they", "it", "who", "which", "that", "we", "i", "you", "his", "her", "their", "its"}


def code_label(code, table: dict | None = None) -> str:
    """A stored code as words: its entry in ``table``, else the code with spaces for underscores."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    code = str(code)
    return (table or {}).get(code) or code.replace("_", " ")


def kind_label(source_type) -> str:
    return code_label(source_type, SOURCE_KINDS)


def metric_label(column: str) -> str:
    return code_label(column, METRICS)


def form_label(form, direct=False) -> str:
    """The attribution form in words; "quoted" is added only when the form does not say it already."""
    text = code_label(form, FORMS)
    if direct and form not in ("direct", "mixed"):
        text += ", quoted"
    return text


def plural(n, noun: str, nouns: str | None = None) -> str:
    """``1 mention``, ``2 mentions`` (``nouns`` for irregular plurals)."""
    try:
        k = int(n)
    except (TypeError, ValueError):
        k = 0
    return f"{k:,} {noun if k == 1 else (nouns or noun + 's')}"


def is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def fixed(v, digits: int = 2, *, signed: bool = False, missing: str = "–") -> str:
    """A number rounded to ``digits`` places, never ``-0.00``; ``missing`` for None/NaN."""
    if is_missing(v):
        return missing
    try:
        x = round(float(v), digits)
    except (TypeError, ValueError):
        return str(v)
    if x == 0:
        x = 0.0                      # drops the sign of -0.0
    return f"{x:+.{digits}f}" if signed and x else f"{x:.{digits}f}"


def percent(v, *, missing: str = "–") -> str:
    """A share 0–1 as a whole percentage."""
    return missing if is_missing(v) else f"{fixed(100 * float(v), 0)}%"


def evidence_list(value) -> list[str]:
    """Stored evidence (a JSON list of strings, or one string) as a list of strings."""
    if is_missing(value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    if isinstance(parsed, list):
        return [str(v) for v in parsed if str(v).strip()]
    return [str(parsed)]


def source_label(text, name, source_type) -> tuple[str, str]:
    """(who, detail): the source as the article gives it, and what the audit resolved it to.

    "Israeli officials" resolved to "Israel" is an anonymous source *affiliated with*
    Israel, not "Israel / anonymous"; "who" or "she" resolved to a name shows the name.
    """
    text = "" if is_missing(text) else str(text).strip()
    name = "" if is_missing(name) else str(name).strip()
    if not text and not name:
        return "(no source named)", ""
    if not text or text.casefold() in _POINTERS:
        return (name or text), (f"as “{text}”" if text and name else "")
    if not name or name.casefold() == text.casefold() or name.casefold() in text.casefold() and source_type != "anonymous":
        return text, ""
    if source_type == "anonymous":
        return text, f"unnamed; affiliated with {name}"
    if text.casefold() in name.casefold():
        return text, f"full name {name}"
    return text, f"resolved to {name}"


def readable_date(value) -> str:
    """An ISO date or timestamp as ``4 Dec 2026`` (``4 Dec 2026, 20:29 UTC`` with a time); others unchanged."""
    from datetime import datetime

    if is_missing(value):
        return ""
    s = str(value).strip()
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return s
    day = f"{dt.day} {dt:%b %Y}"
    if len(s) <= 10:
        return day
    zone = dt.tzname() or ""
    zone = "UTC" if zone in ("UTC", "UTC+00:00") else zone
    return f"{day}, {dt:%H:%M}" + (f" {zone}" if zone else "")
