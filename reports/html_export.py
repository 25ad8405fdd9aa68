"""A self-contained HTML report: totals, outlet comparison, charts, the article table and
a section per article (sources with kinds, claims with reasons and evidence, hedges, actors
with their portrayal).

The file embeds plotly.js and every figure (built by ``reports.charts``), so it opens
offline; a click on a dot of the scatter, or on a title in the table, jumps to that
article's section. The report CSVs are written beside it (``reports.csv_export``) and
linked. Article-derived text is escaped by Jinja's autoescaping.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from audit import labels
from audit.store import ArticleFilter
from audit.tables import loaded_rows, weighed_first

from . import links
from .csv_export import export_csv

REPORT_NAME = "report.html"
# Most article rows listed in the report's table (the CSVs hold all of them).
MAX_TABLE_ROWS = 1000
# Most articles given a section of findings (newest first; the CSVs hold every finding).
MAX_SECTIONS = 300
# The findings tables a section shows; chunk of articles whose findings are read at once.
SECTION_TABLES = ("attributions", "hedges", "claims", "actors", "notes", "sentiment_evidence", "loaded_language")
# Evidence sentences shown per actor (those that weighed most in its portrayal).
EVIDENCE_PER_ACTOR = 2
_CHUNK = 200


def _env() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(default=True))
    env.filters.update(fixed=labels.fixed, percent=labels.percent, plural=labels.plural,
                       kind_label=labels.kind_label, form_label=labels.form_label, code_label=labels.code_label,
                       readable_date=labels.readable_date, evidence_list=labels.evidence_list)
    env.globals.update(source_label=labels.source_label, is_missing=labels.is_missing)
    links.register(env)            # article URLs: links only when http(s)
    return env


def _fig_html(fig, div_id: str) -> Markup:
    # plotly escapes '<', '>' and '/' inside the figure JSON, so titles cannot close the script
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                              config={"displaylogo": False, "responsive": True}))


def _records(df) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


def article_sections(store, article_ids: list[str]) -> list[dict]:
    """Per article (in the order given): its row and its findings, as records for the template."""
    out = []
    for i in range(0, len(article_ids), _CHUNK):
        ids = tuple(article_ids[i:i + _CHUNK])
        sub = ArticleFilter(article_ids=ids)
        rows = {r["article_id"]: r for r in _records(store.articles(sub))}
        groups = {}
        for t in SECTION_TABLES:
            df = store.table(t, sub)
            groups[t] = {k: _records(g) for k, g in df.groupby("article_id", sort=False)} if not df.empty else {}
        # the texts of the articles with a loaded sentence (the section quotes those sentences)
        with_loaded = tuple(k for k, rs in groups["loaded_language"].items() if any(r["loaded"] for r in rs))
        docs = store.table("documents", ArticleFilter(article_ids=with_loaded)) if with_loaded else None
        texts = dict(zip(docs["article_id"], docs["text"])) if docs is not None and not docs.empty else {}
        for aid in ids:
            if aid not in rows:
                continue
            claims = groups["claims"].get(aid, [])
            for c in claims:
                c["evidence"] = labels.evidence_list(c.get("evidence_text"))
            actors = sorted(groups["actors"].get(aid, []), key=lambda a: (-(a.get("mentions") or 0), a.get("name") or ""))
            evidence: dict[str, list] = {}
            for ev in groups["sentiment_evidence"].get(aid, []):
                evidence.setdefault(ev["actor_key"], []).append(ev)
            for act in actors:  # the sentences that weighed most in each portrayal
                act["weighed"] = weighed_first(evidence.get(act["actor_key"], []),
                                               act.get("sentiment_label"))[:EVIDENCE_PER_ACTOR]
            loaded = [r for r in loaded_rows(groups["loaded_language"].get(aid, []), texts.get(aid, "")) if r["loaded"]]
            out.append({"a": rows[aid], "sources": groups["attributions"].get(aid, []), "claims": claims,
                        "hedges": groups["hedges"].get(aid, []), "actors": actors,
                        "notes": groups["notes"].get(aid, []), "loaded": loaded})
    return out


def export_html(store, out: Path, flt=None) -> list[Path]:
    """Write ``report.html`` (plus the report CSVs it links to) into ``out``."""
    from plotly.offline import get_plotlyjs

    from . import charts

    out = Path(out)
    csvs = export_csv(store, out, flt)
    totals = store.totals(flt)
    by_outlet = store.outlet_summary(flt)
    points = store.article_values(["article_id", "outlet", "title", "attributions_per_100_words",
                                   "hedges_per_100_words"], flt, limit=charts.SCATTER_MAX_POINTS)
    colors = charts.outlet_colors(store.outlets())
    rows = store.articles(flt, limit=MAX_TABLE_ROWS)
    ids = list(rows["article_id"][:MAX_SECTIONS])
    figs = [_fig_html(charts.outlet_comparison(by_outlet), "chart-outlets"),
            _fig_html(charts.loaded_by_outlet(by_outlet), "chart-loaded"),
            _fig_html(charts.article_scatter(points, colors, click_hint="click a dot for the article's findings"
                                             if ids else ""), "chart-scatter")]
    trend = charts.date_trend(store.date_trend(flt), colors=colors)
    if trend is not None:
        figs.append(_fig_html(trend, "chart-trend"))
    html = _env().get_template("report.html").render(
        totals=totals, by_outlet=_records(by_outlet), rows=_records(rows), figures=figs,
        plotlyjs=Markup(get_plotlyjs()), csvs=[p.name for p in csvs], flt=flt, max_rows=MAX_TABLE_ROWS,
        sections=article_sections(store, ids), max_sections=MAX_SECTIONS, with_section=set(ids),
        generated=labels.readable_date(datetime.now(timezone.utc).isoformat(timespec="minutes")),
    )
    path = out / REPORT_NAME
    path.write_text(html, encoding="utf-8")
    return [path, *csvs]
