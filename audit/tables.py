"""Findings → pandas DataFrames: the one module that decides the tables' columns.

Every table has ``article_id``; spans are stored as ``*_start``/``*_end`` character
offsets into the article's body text (``documents.text``); multi-span fields are JSON
lists of ``[start, end]`` pairs. The README's data dictionary documents every column
(a test checks that).
"""
from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd

from . import ANALYZER_VERSION
from .analyzers.hedging import ARTICLE_HEDGE_KINDS
from .findings import AuditResult
from .ingest.article import Article
from .layers import finding_tables, table_columns

# Column order of each table, from the layer registry (audit.layers); the store creates its
# schema from this too.
COLUMNS: dict[str, tuple[str, ...]] = table_columns()

# Columns holding integers / floats (everything else is text); used for the SQL schema.
INTEGER_COLUMNS = {
    "n", "source_start", "source_end", "cue_start", "cue_end", "content_start", "content_end", "start", "end",
    "sentence_start", "sentence_end", "direct", "borrowed", "words", "sentences", "attributions",
    "distinct_sources", "statements", "borrowed_reporting", "hedges", "boosters", "unverified_claims", "actors",
    "mentions",
    "times_quoted", "positive_mentions", "neutral_mentions", "negative_mentions",
    "quoted_loaded_sentences", "loaded", "in_quote",
}
# Where a table reuses a name typed above for other content (loaded_language's ``words`` is a
# JSON list of the loaded words' texts, the articles table's ``words`` a count): text there.
TEXT_COLUMNS_BY_TABLE = {"loaded_language": {"words"}}
REAL_COLUMNS = {
    "attributed_sentence_share", "attributions_per_100_words", "direct_quote_share", "named_statement_share",
    "anonymous_statement_share", "share_named_person",
    "share_named_organization", "share_anonymous", "share_unspecified_group", "share_document", "share_media",
    "named_source_share", "anonymous_source_share", "source_diversity", "hedges_per_100_words",
    "hedged_sentence_share", "anonymous_only_claim_share", "mean_actor_sentiment", "flesch_reading_ease",
    "flesch_kincaid_grade", "gunning_fog", "sentiment_score", "score", "p_negative", "p_neutral", "p_positive",
    "confidence", "loaded_sentence_share", "loaded_words_per_100_words", "probability",
}

FINDING_TABLES = finding_tables()


def _js(obj) -> str:
    return json.dumps([list(x) if isinstance(x, tuple) else x for x in obj], ensure_ascii=False)


def evidence_text(pieces) -> str:
    """A claim's evidence as readable text: each piece quoted, in text order, joined by "; "
    (``evidence_spans`` keeps the offsets for machines)."""
    return "; ".join(f"“{p}”" for p in pieces)


def rows_for(article: Article, result: AuditResult, *, audited_at: str = "") -> dict[str, list[dict]]:
    """The rows one audited article contributes to each table."""
    aid = article.id
    s = result.summary
    art = {
        "article_id": aid, "external_id": article.external_id, "outlet": article.outlet,
        "section": article.section, "title": article.title, "author": article.author,
        "published": article.published, "url": article.url, "origin": article.origin,
        "analyzer_version": ANALYZER_VERSION, "audited_at": audited_at,
    }
    for col in COLUMNS["articles"]:
        if col not in art:
            art[col] = s.get(col)
    doc = {
        "article_id": aid, "text": article.text, "captions": _js(article.captions),
        "subheads": _js(article.subheads), "boilerplate": _js(article.boilerplate),
        "skip_spans": _js(article.skip_spans), "sentence_spans": _js(result.sentences),
    }
    atts = []
    for i, a in enumerate(result.attributions):
        hull = (min(p[0] for p in a.content), max(p[1] for p in a.content)) if a.content else (None, None)
        atts.append({
            "article_id": aid, "n": i,
            "source_start": a.source[0] if a.source else None, "source_end": a.source[1] if a.source else None,
            "source_text": a.source_text, "source_name": a.source_name or a.source_text, "actor_key": a.actor_key,
            "source_type": a.source_type, "kind": a.kind,
            "cue_start": a.cue[0] if a.cue else None, "cue_end": a.cue[1] if a.cue else None, "cue_text": a.cue_text,
            "content_start": hull[0], "content_end": hull[1], "content_spans": _js(a.content),
            "content_text": a.content_text, "form": a.form, "direct": int(a.direct), "borrowed": int(a.borrowed),
            "found_by": a.found_by, "confidence": a.confidence,
        })
    hedges = [
        {"article_id": aid, "n": i, "start": h.span[0], "end": h.span[1], "text": h.text, "kind": h.kind,
         "sentence_start": h.sentence[0], "sentence_end": h.sentence[1]}
        for i, h in enumerate(result.hedges)
    ]
    claims = [
        {"article_id": aid, "n": i, "start": c.span[0], "end": c.span[1], "text": c.text, "reason": c.reason,
         "evidence_spans": _js(c.evidence), "evidence_text": evidence_text(c.evidence_text),
         "note": c.note}
        for i, c in enumerate(result.claims)
    ]
    sent = {s.actor_key: s for s in result.sentiments}
    quoted = {}
    for a in result.attributions:
        if a.actor_key:
            quoted[a.actor_key] = quoted.get(a.actor_key, 0) + 1
    actors, mentions, evidence = [], [], []
    for act in result.actors:
        st = sent.get(act.key)
        actors.append({
            "article_id": aid, "actor_key": act.key, "name": act.name, "type": act.type,
            "mentions": len(act.mentions), "caption_mentions": json.dumps(list(act.caption_mentions), ensure_ascii=False),
            "times_quoted": act.times_quoted or quoted.get(act.key, 0),
            "sentiment_score": st.score if st else None, "sentiment_label": st.label if st else None,
            "positive_mentions": st.positive if st else 0, "neutral_mentions": st.neutral if st else 0,
            "negative_mentions": st.negative if st else 0, "sentiment_engine": st.engine if st else None,
        })
        mentions.extend(
            {"article_id": aid, "actor_key": act.key, "start": m.span[0], "end": m.span[1], "text": m.text,
             "kind": m.kind}
            for m in act.mentions
        )
        if st:
            for ev in st.evidence:
                probs = ev.probs or (None, None, None)
                evidence.append({
                    "article_id": aid, "actor_key": act.key, "start": ev.sentence[0], "end": ev.sentence[1],
                    "text": ev.text, "score": ev.score, "label": ev.label, "p_negative": probs[0],
                    "p_neutral": probs[1], "p_positive": probs[2], "cues": json.dumps(list(ev.cues), ensure_ascii=False),
                })
    notes = [
        {"article_id": aid, "kind": n.kind, "message": n.message, "evidence_spans": _js(n.evidence)}
        for n in result.notes
    ]
    # loaded language: the sentences judged loaded or holding a loaded word
    loaded = [
        {"article_id": aid, "n": i, "sentence_start": f.sentence[0], "sentence_end": f.sentence[1],
         "probability": f.probability, "loaded": int(f.loaded), "in_quote": int(f.in_quote),
         "word_spans": _js(w.span for w in f.words),
         "words": json.dumps([w.text for w in f.words], ensure_ascii=False),
         "word_probabilities": json.dumps([w.probability for w in f.words]),
         "word_in_quote": json.dumps([w.in_quote for w in f.words]), "engine": f.engine}
        for i, f in enumerate(result.loaded) if f.loaded or f.words
    ]
    return {
        "articles": [art], "documents": [doc], "loaded_language": loaded, "attributions": atts, "hedges": hedges, "claims": claims,
        "actors": actors, "mentions": mentions, "sentiment_evidence": evidence, "notes": notes,
    }


def frames(pairs: Iterable[tuple[Article, AuditResult]], *, audited_at: str = "") -> dict[str, pd.DataFrame]:
    """DataFrames (one per table) for many audited articles."""
    acc: dict[str, list[dict]] = {t: [] for t in COLUMNS}
    for art, res in pairs:
        for t, rows in rows_for(art, res, audited_at=audited_at).items():
            acc[t].extend(rows)
    return {t: pd.DataFrame(rows, columns=list(COLUMNS[t])) for t, rows in acc.items()}


def spans(value) -> list[tuple[int, int]]:
    """Parse a JSON span-list column back into tuples."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [tuple(x) for x in json.loads(value)]


def loaded_rows(rows: list[dict], text: str) -> list[dict]:
    """Stored ``loaded_language`` rows of one article made readable: each with its sentence's
    ``text``, its loaded words as ``word_list`` and whose ``voice`` it is (own voice or quoted).
    The dashboard's article page and the HTML report show them so."""
    out = []
    for r in rows:
        r = dict(r)
        r["word_list"] = json.loads(r.get("words") or "[]")
        r["text"] = text[int(r["sentence_start"]):int(r["sentence_end"])]
        r["voice"] = "quoted" if r.get("in_quote") else "own voice"
        out.append(r)
    return out


def weighed_first(rows: list[dict], label: str | None) -> list[dict]:
    """One actor's stored ``sentiment_evidence`` rows, those that weighed most in its
    portrayal (``label``) first: the order of :func:`audit.analyzers.sentiment.weighed_most`
    (the most positive, resp. negative, sentences toward the actor for a positive, resp.
    negative, portrayal; for a neutral one the polar sentences the article did not let decide,
    strongest first; earlier sentences first on ties). ``newsaudit show`` and the dashboard
    list evidence in this order."""
    def strength(r):
        return abs(r.get("score") or 0.0)

    if label in ("positive", "negative"):
        col = "p_positive" if label == "positive" else "p_negative"
        return sorted(rows, key=lambda r: (-(r[col] if r.get(col) is not None else strength(r)), r["start"]))
    return sorted(rows, key=lambda r: (r.get("label") == "neutral", -strength(r), r["start"]))


def _records(x) -> list[dict]:
    if isinstance(x, pd.DataFrame):
        return x.astype(object).where(x.notna(), None).to_dict("records")
    if isinstance(x, dict):
        return [x]
    return list(x or [])


def _span(s, e):
    return [int(s), int(e)] if s is not None and e is not None else None


def article_record(data: dict) -> dict:
    """One article in the ``articles`` schema of ../shared/eval/README.md.

    ``data`` maps table names to that article's rows (lists of dicts, or DataFrames as
    returned by ``Store.article``; ``"article"``/``"document"`` may be single dicts).
    The record's ``id`` is the input's own id when it had one.
    """
    art = _records(data["article"] if "article" in data else data["articles"])[0]
    raw_doc = data.get("document")
    if raw_doc is None:
        raw_doc = data.get("documents")
    doc = (_records(raw_doc if raw_doc is not None else [{}]) or [{}])[0]
    ext = art.get("external_id")
    return {
        "id": ext if ext not in (None, "") else art["article_id"],
        "outlet": art.get("outlet") or "",
        "title": art.get("title") or "",
        "published": art.get("published") or "",
        "text": doc.get("text", ""),
        "attributions": [
            {
                "source": _span(a["source_start"], a["source_end"]),
                "cue": _span(a["cue_start"], a["cue_end"]),
                "content": [list(p) for p in spans(a["content_spans"])],
                "source_text": a["source_text"] or "",
                "cue_text": a["cue_text"] or "",
                "content_text": a["content_text"] or "",
                "direct": bool(a["direct"]),
                "source_type": a["source_type"],
                "kind": a.get("kind") or "statement",
            }
            for a in _records(data.get("attributions"))
        ],
        "hedges": [
            {"span": [int(h["start"]), int(h["end"])], "text": h["text"]}
            for h in _records(data.get("hedges")) if h["kind"] in ARTICLE_HEDGE_KINDS
        ],
        "unverified_claims": [
            {"span": [int(c["start"]), int(c["end"])], "text": c["text"], "reason": c["reason"]}
            for c in _records(data.get("claims"))
        ],
        "actors": [
            {
                "name": a["name"],
                "type": a["type"],
                "mentions": [[int(m["start"]), int(m["end"])] for m in _records(data.get("mentions"))
                             if m["actor_key"] == a["actor_key"]],
                "portrayal": a["sentiment_label"] or "neutral",
            }
            for a in _records(data.get("actors"))
        ],
        "boilerplate": [list(s) for s in spans(doc.get("skip_spans"))],
        "loaded_language": [
            {
                "sentence": [int(r["sentence_start"]), int(r["sentence_end"])],
                "probability": r["probability"],
                "loaded": bool(r["loaded"]),
                "in_quote": bool(r["in_quote"]),
                "words": [{"span": list(sp), "text": t, "probability": q, "in_quote": bool(iq)}
                          for sp, t, q, iq in zip(spans(r["word_spans"]), json.loads(r["words"] or "[]"),
                                                  json.loads(r["word_probabilities"] or "[]"),
                                                  json.loads(r["word_in_quote"] or "[]"))],
            }
            for r in _records(data.get("loaded_language"))
        ],
    } | _other_inputs(art, data.get("aliases"))


def _other_inputs(art: dict, aliases) -> dict:
    """``{"aliases": [{"id", "origin"}, ...]}``: the other inputs the article was read from
    (records with the same content under another id or origin), when there are any."""
    own = (art.get("external_id") or "", art.get("origin") or "")
    others = [{"id": a.get("external_id") or None, "origin": a.get("origin") or ""}
              for a in _records(aliases) if ((a.get("external_id") or ""), (a.get("origin") or "")) != own]
    return {"aliases": others} if others else {}
