"""The article text with its findings as switchable highlight layers (safe HTML).

Findings may overlap (a hedge inside a quote inside an unverified claim), so the text is
split at every span boundary and each segment gets the classes of all spans covering it.
Every text piece is escaped with ``markupsafe.escape`` before it is wrapped in our own
``<span>`` tags, so the result is safe to render however hostile the article is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from audit.tables import spans as parse_spans

# Layers the reader can switch on and off: css name -> label.
LAYERS = {
    "att": "Attributions",
    "hedge": "Hedges",
    "claim": "Unverified claims",
    "actor": "Actor mentions",
    "loaded": "Loaded language",
}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    classes: str        # space-separated CSS classes
    fid: str            # id of the finding (row id in the side tables)
    tip: str            # hover text


def _css(word) -> str:
    return re.sub(r"[^a-z0-9_-]", "", str(word or "").lower()) or "x"


def _int(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    return int(v)


def marks_for(data: dict) -> list[Mark]:
    """Highlight marks from ``Store.article(...)``'s DataFrames."""
    out: list[Mark] = []
    for r in data["attributions"].itertuples(index=False):
        fid, kind = f"att-{r.n}", _css(r.source_type)
        s, e = _int(r.source_start), _int(r.source_end)
        if s is not None and e is not None:
            out.append(Mark(s, e, f"l-att a-src k-{kind}", fid, f"source ({r.source_type}): {r.source_name or r.source_text}"))
        s, e = _int(r.cue_start), _int(r.cue_end)
        if s is not None and e is not None:
            out.append(Mark(s, e, "l-att a-cue", fid, f"attribution cue ({r.form})"))
        for s, e in parse_spans(r.content_spans):
            out.append(Mark(int(s), int(e), f"l-att a-con k-{kind}", fid,
                            f"attributed to {r.source_name or r.source_text or 'no named source'} ({r.source_type})"))
    for r in data["hedges"].itertuples(index=False):
        out.append(Mark(int(r.start), int(r.end), f"l-hedge h-{_css(r.kind)}", f"hedge-{r.n}", f"hedge ({r.kind})"))
    for r in data["claims"].itertuples(index=False):
        why = str(r.reason).replace("_", " ")
        note = f": {r.note}" if isinstance(r.note, str) and r.note else ""
        out.append(Mark(int(r.start), int(r.end), "l-claim", f"claim-{r.n}", f"unverified claim ({why}){note}"))
    keys = {k: i for i, k in enumerate(data["actors"]["actor_key"])} if not data["actors"].empty else {}
    names = dict(zip(data["actors"]["actor_key"], data["actors"]["name"])) if not data["actors"].empty else {}
    for r in data["mentions"].itertuples(index=False):
        i = keys.get(r.actor_key)
        if i is not None:
            out.append(Mark(int(r.start), int(r.end), "l-actor", f"actor-{i}", f"actor: {names.get(r.actor_key, '')}"))
    out.extend(loaded_marks(data.get("loaded_language")))
    return out


def loaded_marks(df) -> list[Mark]:
    """The loaded-language layer: each loaded word; a word inside a quotation is marked as the
    quoted speaker's (``q-quoted``), not the outlet's."""
    import json

    out: list[Mark] = []
    if df is None or df.empty:
        return out
    for r in df.itertuples(index=False):
        probs = json.loads(r.word_probabilities or "[]")
        quoted = json.loads(r.word_in_quote or "[]")
        for (s, e), p, q in zip(parse_spans(r.word_spans), probs, quoted):
            who = "inside a quotation: the speaker's word, not the outlet's" if q else "the article's own voice"
            out.append(Mark(int(s), int(e), "l-loaded" + (" q-quoted" if q else ""), f"loaded-{r.n}",
                            f"loaded word (p={float(p):.2f}; {who})"))
    return out


def render(text: str, marks: list[Mark]) -> Markup:
    """``text`` as HTML with each segment wrapped in the classes of the marks covering it."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    bounds = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    parts: list[str] = []
    for a, b in zip(bounds, bounds[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        piece = escape(text[a:b])
        if not active:
            parts.append(str(piece))
            continue
        classes = " ".join(dict.fromkeys(" ".join(m.classes for m in active).split()))
        fids = " ".join(dict.fromkeys(m.fid for m in active))
        tip = " | ".join(dict.fromkeys(m.tip for m in active))
        parts.append(f'<span class="seg {escape(classes)}" data-f="{escape(fids)}" title="{escape(tip)}">{piece}</span>')
    return Markup("".join(parts))


def article_html(data: dict) -> Markup:
    text = data["document"].get("text") or ""
    return render(text, marks_for(data))
