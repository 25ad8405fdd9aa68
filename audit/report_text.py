"""Terminal rendering of one stored audit (``newsaudit show``): every finding with its evidence."""
from __future__ import annotations

import json

from rich.markup import escape
from rich.table import Table

from .layers import LAYERS
from .labels import fixed, form_label, is_missing, kind_label, metric_label, plural, source_label
from .tables import spans, weighed_first


def _snip(text: str, s: int, e: int, width: int = 40) -> str:
    left = text[max(0, s - width):s].replace("\n", " ")
    right = text[e:e + width].replace("\n", " ")
    return f"…{escape(left)}[bold reverse]{escape(text[s:e])}[/]{escape(right)}…"


def _value(v) -> str:
    """A score as shown: a dash when missing, a fraction to three decimals, else as stored."""
    if is_missing(v):
        return "–"
    if isinstance(v, float) and not v.is_integer():
        return fixed(v, 3)
    return str(int(v)) if isinstance(v, float) else str(v)


def _records(df):
    return df.astype(object).where(df.notna(), None).to_dict("records")


def render_article(data: dict, console) -> None:
    art, doc = data["article"], data["document"]
    text = doc.get("text", "") or ""
    p = console.print
    p(f"[bold]{escape(art.get('title') or '(untitled)')}[/]")
    meta = [art.get("outlet"), art.get("section"), art.get("published"), art.get("author")]
    p(escape(" · ".join(m for m in meta if m)) + f"  [dim]id {art['article_id']} · {escape(art.get('origin') or '')}[/]")
    caps = json.loads(doc.get("captions") or "[]")
    subs = json.loads(doc.get("subheads") or "[]")
    chrome = json.loads(doc.get("boilerplate") or "[]")
    for c in caps:
        p(f"[dim]caption:[/] {escape(c)}")
    if subs:
        p("[dim]subheads:[/] " + escape(" | ".join(subs)))
    if chrome:
        p("[dim]page chrome left out:[/] " + escape(" | ".join(chrome)))

    t = Table(title="scores", show_header=False)
    # every layer's scores, in layer order (audit.layers): a new layer's scores show up here too
    for key in [c for lay in LAYERS for c in lay.scores] + ["sentiment_engine", "analyzer_version"]:
        label = metric_label(key)
        t.add_row(label[:1].upper() + label[1:], escape(_value(art.get(key))))
    p(t)

    atts = _records(data["attributions"])
    p(f"\n[bold]Attributions ({len(atts)})[/]")
    for a in atts:
        who, detail = source_label(a["source_text"], a.get("source_name"), a["source_type"])
        flags = " [yellow]borrowed reporting[/]" if a["borrowed"] else ""
        detail = f" ({escape(detail)})" if detail else ""
        p(f"• [cyan]{escape(who)}[/]{detail} [[green]{escape(a['cue_text'] or '')}[/]] "
          f"[dim]{kind_label(a['source_type'])}; {escape(form_label(a['form'], a['direct']))}[/]{flags}")
        for s, e in spans(a["content_spans"]):
            p(f"    {_snip(text, s, e, 0)}  [dim]@{s}-{e}[/]")

    hedges = _records(data["hedges"])
    p(f"\n[bold]Hedges ({sum(1 for h in hedges if h['kind'] != 'booster')}) and boosters "
      f"({sum(1 for h in hedges if h['kind'] == 'booster')})[/]")
    for h in hedges:
        p(f"• [magenta]{escape(h['text'])}[/] [dim]{h['kind']} @{h['start']}-{h['end']}[/]  {_snip(text, h['start'], h['end'])}")

    claims = _records(data["claims"])
    p(f"\n[bold]Unverified claims ({len(claims)})[/]")
    for c in claims:
        p(f"• [red]{c['reason'].replace('_', ' ')}[/] [dim]@{c['start']}-{c['end']}[/] {escape(c['text'])}")
        if c.get("note"):
            p(f"    [dim]{escape(c['note'])}[/]")
        for (s, e) in spans(c["evidence_spans"]):
            p(f"    evidence: {_snip(text, s, e, 20)}")

    _render_loaded(data, text, p)

    for n in _records(data["notes"]):
        p(f"\n[bold yellow]Note ({n['kind']}):[/] {escape(n['message'])}")
        for (s, e) in spans(n["evidence_spans"]):
            p(f"    evidence: {_snip(text, s, e, 30)}")

    actors = _records(data["actors"])
    mentions = _records(data["mentions"])
    evidence = _records(data["sentiment_evidence"])
    p(f"\n[bold]Actors ({len(actors)})[/]")
    for a in actors:
        ms = [m for m in mentions if m["actor_key"] == a["actor_key"]]
        forms = sorted({m["text"] for m in ms})
        score = a["sentiment_score"]
        p(f"• [bold]{escape(a['name'])}[/] [dim]{a['type']} · {escape(a['actor_key'])}[/] — {plural(len(ms), 'mention')}, "
          f"quoted {plural(a['times_quoted'], 'time')}, "
          + (f"portrayed {a['sentiment_label']}" if a["sentiment_label"] else "not scored")
          + (f" (mean sentence score {fixed(score, signed=True)}, {a['sentiment_engine']})" if score is not None else ""))
        if forms:
            p(f"    as: {escape('; '.join(forms))}")
        caps = json.loads(a.get("caption_mentions") or "[]")
        if caps:
            p(f"    in captions: {escape('; '.join(dict.fromkeys(caps)))}")
        # the sentences that weighed most in the portrayal first
        for ev in weighed_first([e for e in evidence if e["actor_key"] == a["actor_key"]], a["sentiment_label"])[:3]:
            p(f"    [dim]{ev['label']} {fixed(ev['score'], signed=True)}[/] {escape(ev['text'][:160])}")


def _render_loaded(data: dict, text: str, p) -> None:
    """Loaded language: own-voice sentences first, then those inside quotations (shown, not counted)."""
    import pandas as pd

    rows = _records(data.get("loaded_language", pd.DataFrame()))
    own = [r for r in rows if not r["in_quote"]]
    quoted = [r for r in rows if r["in_quote"]]
    p(f"\n[bold]Loaded language ({sum(1 for r in own if r['loaded'])} loaded sentences in the article's own voice, "
      f"{sum(1 for r in quoted if r['loaded'])} inside quotations)[/]")
    for part, label in ((own, ""), (quoted, " [dim](quoted)[/]")):
        for r in part:
            words = spans(r["word_spans"])
            probs = json.loads(r["word_probabilities"] or "[]")
            inq = json.loads(r["word_in_quote"] or "[]")
            verdict = "[red]loaded[/]" if r["loaded"] else "[dim]not loaded[/]"
            p(f"• {verdict} p={r['probability']:.2f}{label} [dim]@{r['sentence_start']}-{r['sentence_end']}[/]")
            for (s, e), q, iq in zip(words, probs, inq):
                p(f"    [yellow]{escape(text[s:e])}[/] [dim]{q:.2f}{' quoted' if iq else ''} @{s}-{e}[/]  "
                  f"{_snip(text, s, e, 30)}")
