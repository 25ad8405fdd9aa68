"""A self-contained HTML report: totals, outlet comparison, charts and the article table.

The file embeds plotly.js and every figure (built by ``webui.charts``), so it opens
offline; the report CSVs are written beside it (``reports.csv_export``) and linked.
Article-derived text is escaped by Jinja's autoescaping.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from . import links
from .csv_export import export_csv

REPORT_NAME = "report.html"
# Most article rows listed in the report's table (the CSVs hold all of them).
MAX_TABLE_ROWS = 1000


def _env() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(default=True))
    links.register(env)            # article URLs: links only when http(s)
    return env


def _fig_html(fig) -> Markup:
    # plotly escapes '<', '>' and '/' inside the figure JSON, so titles cannot close the script
    return Markup(fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False}))


def export_html(store, out: Path, flt=None) -> list[Path]:
    """Write ``report.html`` (plus the report CSVs it links to) into ``out``."""
    from plotly.offline import get_plotlyjs

    from webui import charts

    out = Path(out)
    csvs = export_csv(store, out, flt)
    totals = store.totals(flt)
    by_outlet = store.outlet_summary(flt)
    points = store.article_values(["article_id", "outlet", "title", "attributions_per_100_words",
                                   "hedges_per_100_words"], flt, limit=charts.SCATTER_MAX_POINTS)
    colors = charts.outlet_colors(store.outlets())
    figs = [charts.outlet_comparison(by_outlet), charts.loaded_by_outlet(by_outlet), charts.article_scatter(points, colors)]
    trend = charts.date_trend(store.date_trend(flt), colors=colors)
    if trend is not None:
        figs.append(trend)
    rows = store.articles(flt, limit=MAX_TABLE_ROWS)
    html = _env().get_template("report.html").render(
        totals=totals, by_outlet=by_outlet.to_dict("records"), rows=rows.to_dict("records"),
        figures=[_fig_html(f) for f in figs], plotlyjs=Markup(get_plotlyjs()), csvs=[p.name for p in csvs],
        flt=flt, max_rows=MAX_TABLE_ROWS,
        generated=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    path = out / REPORT_NAME
    path.write_text(html, encoding="utf-8")
    return [path, *csvs]
