"""Plotly figures for the dashboard and the HTML report: functions DataFrame → Figure.

Every function takes the DataFrame a ``Store`` method returns and gives back a
``plotly.graph_objects.Figure``; it never reads the store itself. Labels that come from
articles (outlet names, titles, actor names) are HTML-escaped before they reach Plotly,
whose text renderer understands a subset of HTML.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from audit.labels import METRICS, kind_label, metric_label, plural

# The per-outlet comparison: article-score column -> chart title (audit.labels words).
OUTLET_METRICS = {c: METRICS[c] for c in ("attributions_per_100_words", "anonymous_source_share",
                                          "hedges_per_100_words", "unverified_claims_per_article")}

# Colours of source kinds (the same as the article page's CSS, style.css).
SOURCE_COLORS = {
    "named_person": "#1f77b4",
    "named_organization": "#2ca02c",
    "anonymous": "#d62728",
    "unspecified_group": "#ff7f0e",
    "document": "#9467bd",
    "media": "#8c564b",
}
POLARITY_COLORS = {"negative": "#d62728", "neutral": "#7f7f7f", "positive": "#2ca02c"}

# Most points the article scatter draws (the most recent ones); SVG scatter stays smooth.
SCATTER_MAX_POINTS = 3000

# Outlet colours (Plotly's default qualitative palette), assigned in the order of all outlets.
PALETTE = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880",
           "#ff97ff", "#fecb52")


def outlet_colors(outlets) -> dict:
    """A stable colour per outlet (pass every outlet of the store so charts agree)."""
    return {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(sorted({o or "" for o in outlets}))}


# A small template in the spirit of "plotly_white": the named templates are large, and
# applying one deep-copies it (it dominated the time to build a figure).
_TEMPLATE = dict(layout=dict(
    colorway=list(PALETTE), paper_bgcolor="white", plot_bgcolor="white", hovermode="closest",
    xaxis=dict(gridcolor="#ebf0f8", zerolinecolor="#ebf0f8", linecolor="#ebf0f8", automargin=True),
    yaxis=dict(gridcolor="#ebf0f8", zerolinecolor="#ebf0f8", linecolor="#ebf0f8", automargin=True),
    title=dict(x=0.05), font=dict(color="#2a3f5f"),
))
_LAYOUT = dict(margin=dict(l=50, r=20, t=40, b=40), template=_TEMPLATE, autosize=True,
               font=dict(size=12), legend=dict(orientation="h", y=-0.2))


def label(value, width: int = 0) -> str:
    """An untrusted string as safe Plotly text (escaped; optionally shortened)."""
    s = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    if width and len(s) > width:
        s = s[: width - 1] + "…"
    return html.escape(s, quote=False)


def _arr(values) -> np.ndarray:
    """Column data as a numpy array (Plotly validates arrays far faster than lists)."""
    a = np.asarray(values)
    return a.astype(object) if a.dtype.kind in "OUS" else a


def _num(values, digits: int = 3) -> np.ndarray:
    """Numbers rounded for display, with -0.0 made 0.0 (hover labels never read "-0.00")."""
    return np.round(np.asarray(values, dtype=float), digits) + 0.0


def to_json(fig: go.Figure) -> str:
    """The figure as JSON for ``Plotly.newPlot`` (plotly escapes ``<``/``>`` in it)."""
    return fig.to_json()


def _layout(**kw) -> dict:
    """The house layout with ``kw`` on top. Layouts go into the Figure constructor: a
    later ``update_layout`` with a template costs tens of milliseconds."""
    return {**_LAYOUT, **kw}


def _empty(title: str, message: str) -> go.Figure:
    return go.Figure(layout=_layout(
        title=title, xaxis=dict(visible=False), yaxis=dict(visible=False),
        annotations=[dict(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)]))


def _grid(rows: int, cols: int, titles: list[str], hgap: float = 0.12, vgap: float = 0.2) -> tuple[dict, list]:
    """Axes and title annotations of a rows × cols grid of subplots, built by hand
    (``make_subplots`` costs about 100 ms); cells are numbered row by row from the top."""
    axes, notes = {}, []
    w, h = (1 - hgap * (cols - 1)) / cols, (1 - vgap * (rows - 1)) / rows
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        x0, y1 = c * (w + hgap), 1 - r * (h + vgap)
        n = "" if i == 0 else str(i + 1)
        axes[f"xaxis{n}"] = dict(domain=[round(x0, 6), round(min(x0 + w, 1), 6)], anchor=f"y{n}")
        axes[f"yaxis{n}"] = dict(domain=[round(max(y1 - h, 0), 6), round(y1, 6)], anchor=f"x{n}")
        if i < len(titles):
            notes.append(dict(text=titles[i], x=x0 + w / 2, y=y1, xref="paper", yref="paper", xanchor="center",
                              yanchor="bottom", showarrow=False, font=dict(size=14)))
    return axes, notes


def _cell(i: int) -> dict:
    n = "" if i == 0 else str(i + 1)
    return {"xaxis": f"x{n}", "yaxis": f"y{n}"}


def outlet_comparison(df: pd.DataFrame) -> go.Figure:
    """Per-outlet means (``Store.outlet_summary``): one horizontal bar chart per headline metric.

    Outlet names sit on the y axes, level and whole (up to 30 characters), so they never
    collide with each other or with the next chart's title, at any width.
    """
    if df.empty:
        return _empty("Outlets compared", "no articles")
    names = _arr([label(o or "(no outlet)", 30) for o in df["outlet"]])
    n = len(df)
    cell = 34 + 22 * n                              # pixels per chart: its title plus a bar per outlet
    axes, notes = _grid(len(OUTLET_METRICS), 1, list(OUTLET_METRICS.values()), vgap=70 / (cell * 4 + 70 * 3))
    shares = [i for i, col in enumerate(OUTLET_METRICS) if col.endswith("_share")]
    for k, ax in axes.items():
        if k.startswith("y"):
            ax.update(autorange="reversed", automargin=True, tickfont=dict(size=11))
        else:
            ax.update(rangemode="tozero", automargin=True)
            if int(k[5:] or 1) - 1 in shares:
                ax.update(tickformat=".0%")
    traces = [go.Bar(y=names, x=_num(df[col].fillna(0)), orientation="h", name=title, showlegend=False,
                     marker_color="#4c78a8", customdata=_arr(df["articles"]),
                     hovertemplate="%{y}<br>" + title + (": %{x:.0%}" if i in shares else ": %{x:.2f}")
                                   + "<br>%{customdata} articles<extra></extra>",
                     **_cell(i))
              for i, (col, title) in enumerate(OUTLET_METRICS.items())]
    return go.Figure(data=traces, layout=_layout(title="Outlets compared (means per article)",
                                                 height=110 + 4 * cell + 3 * 70, legend={},
                                                 margin=dict(l=20, r=20, t=90, b=30),
                                                 annotations=notes, **axes))


def article_scatter(df: pd.DataFrame, colors: dict | None = None, *,
                    click_hint: str = "click a dot to open the article") -> go.Figure:
    """Articles: attribution density against hedge density, one colour per outlet.

    ``customdata`` holds the article id, so a click can open the article (the dashboard
    opens its page, the HTML report scrolls to its section); ``click_hint`` says which.
    """
    if df.empty:
        return _empty("Articles", "no articles")
    df = df.head(SCATTER_MAX_POINTS)
    colors = colors or outlet_colors(df["outlet"].fillna(""))
    traces = [
        go.Scatter(
            x=_num(g["attributions_per_100_words"].fillna(0)), y=_num(g["hedges_per_100_words"].fillna(0)),
            mode="markers", name=label(outlet or "(no outlet)", 30), customdata=_arr(g["article_id"]),
            text=_arr([label(t, 80) for t in g["title"]]),
            marker=dict(size=12, opacity=0.8, color=colors.get(outlet), line=dict(width=1, color="white")),
            hovertemplate="%{text}<br>attributions per 100 words %{x:.2f}<br>hedges per 100 words %{y:.2f}"
                          "<extra>%{fullData.name}</extra>",
        )
        for outlet, g in df.groupby(df["outlet"].fillna(""), sort=True)
    ]
    # one Figure of all traces (add_trace re-validates the figure each time)
    return go.Figure(data=traces, layout=_layout(
        # two short lines: a Plotly title does not wrap, and one long line is cut at phone width
        title="Articles: attribution vs hedge density" + (f"<br><sup>{click_hint}</sup>" if click_hint else ""),
        margin=dict(l=50, r=20, t=70, b=40),
        xaxis=dict(title=metric_label("attributions_per_100_words"), rangemode="tozero"),
        yaxis=dict(title=metric_label("hedges_per_100_words"), rangemode="tozero"),
        height=460, showlegend=True))


def date_trend(df: pd.DataFrame, metric: str = "attributions_per_100_words",
               colors: dict | None = None) -> go.Figure | None:
    """Mean ``metric`` over publication date per outlet (``Store.date_trend``); None when no dates."""
    if df.empty:
        return None
    d = df.copy()
    d["day"] = pd.to_datetime(d["day"], errors="coerce")
    d = d.dropna(subset=["day"])
    if d.empty:
        return None
    freq = "D" if d["day"].nunique() <= 62 else ("W" if (d["day"].max() - d["day"].min()).days <= 400 else "MS")
    d["w"] = d[metric] * d["articles"]
    colors = colors or outlet_colors(d["outlet"].fillna(""))
    d["bucket"] = d["day"] if freq == "D" else d["day"].dt.to_period("W" if freq == "W" else "M").dt.start_time
    d["outlet"] = d["outlet"].fillna("")
    buckets = d.groupby(["outlet", "bucket"], sort=True)[["w", "articles"]].sum().reset_index()
    traces = []
    for outlet, g in buckets.groupby("outlet", sort=True):
        g = g.set_index("bucket")
        traces.append(go.Scatter(x=_arr(g.index.strftime("%Y-%m-%d")), y=_num(g["w"] / g["articles"]),
                                 customdata=_arr(g["articles"]),
                                 mode="lines+markers", name=label(outlet or "(no outlet)", 30),
                                 line=dict(color=colors.get(outlet)), marker=dict(color=colors.get(outlet), size=9),
                                 hovertemplate="%{x|%Y-%m-%d}: %{y:.2f} (%{customdata} articles)<extra>%{fullData.name}</extra>"))
    title = metric_label(metric)
    xaxis = dict(type="date", tickformat="%Y-%m-%d" if freq != "MS" else "%Y-%m")
    if freq == "D" and d["day"].nunique() <= 14:
        xaxis["dtick"] = 86_400_000         # one tick per day, not hours
    xaxis["title"] = "Publication date"
    return go.Figure(data=traces, layout=_layout(title=f"Trend by publication date<br><sup>{title}</sup>", xaxis=xaxis,
                                                 margin=dict(l=50, r=20, t=70, b=40),
                                                 yaxis=dict(title=title), height=380, showlegend=True))


def actor_sentiment(actors: pd.DataFrame) -> go.Figure:
    """One article's actors (``Store.article(...)["actors"]``): mean sentiment per actor.

    ``customdata`` holds the actor key, so a click can show the sentences behind the bar.
    """
    if actors.empty:
        return _empty("Sentiment by actor", "no actors found")
    d = actors.copy()
    d["score"] = _num(d["sentiment_score"].astype(float).fillna(0.0), 2)
    d = d.sort_values(["mentions", "name"], ascending=[True, False]).tail(25)
    colors = [POLARITY_COLORS.get(lbl or "neutral", "#7f7f7f") for lbl in d["sentiment_label"]]
    bar = go.Bar(
        x=_arr(d["score"]), y=_arr([label(n, 28) for n in d["name"]]), orientation="h", marker_color=colors,
        customdata=_arr(d["actor_key"]), text=_arr([plural(m, "mention") for m in d["mentions"]]), textposition="auto",
        hovertemplate="%{y}: %{x:.2f} (%{text})<extra></extra>",
    )
    return go.Figure(data=[bar], layout=_layout(title="Sentiment by actor<br><sup>click a bar for its sentences</sup>",
                                                margin=dict(l=50, r=20, t=70, b=40),
                                                xaxis=dict(range=[-1, 1], title="Mean sentiment (−1 negative, +1 positive)"),
                                                height=max(280, 90 + 26 * len(d))))


def source_kinds(attributions: pd.DataFrame) -> go.Figure | None:
    """Attributions by source kind (one article or many); None when there are none."""
    if attributions.empty:
        return None
    counts = attributions["source_type"].value_counts()
    # horizontal bars: the kinds read level at any width (no rotated labels)
    bar = go.Bar(y=_arr([label(kind_label(k)) for k in counts.index]), x=counts.to_numpy(), orientation="h",
                 marker_color=[SOURCE_COLORS.get(k, "#999") for k in counts.index],
                 hovertemplate="%{y}: %{x}<extra></extra>")
    return go.Figure(data=[bar], layout=_layout(title="Attributions by source kind", height=110 + 34 * len(counts),
                                                yaxis=dict(autorange="reversed"),
                                                xaxis=dict(title="Attributions", rangemode="tozero")))


def actor_by_outlet(rows: pd.DataFrame) -> go.Figure:
    """One actor across articles (``Store.actor_articles``): mean sentiment and mentions per outlet."""
    if rows.empty:
        return _empty("By outlet", "no articles")
    g = rows.groupby(rows["outlet"].fillna(""), sort=True).agg(
        sentiment=("sentiment_score", "mean"), mentions=("mentions", "sum"),
        quoted=("times_quoted", "sum"), articles=("article_id", "nunique")).reset_index()
    names = _arr([label(o or "(no outlet)", 30) for o in g["outlet"]])
    axes, notes = _grid(1, 2, ["Mean sentiment", "Mentions and times quoted"], vgap=0)
    axes["yaxis"].update(range=[-1, 1], title="Mean sentiment")
    axes["xaxis"]["title"] = axes["xaxis2"]["title"] = "Outlet"
    sent = pd.Series(_num(g["sentiment"].fillna(0), 2))
    traces = [
        go.Bar(x=names, y=_arr(sent), name="sentiment", customdata=_arr(g["articles"]),
               marker_color=[POLARITY_COLORS["negative"] if v < -0.05 else POLARITY_COLORS["positive"]
                             if v > 0.05 else POLARITY_COLORS["neutral"] for v in sent],
               hovertemplate="%{x}: %{y:.2f} (%{customdata} articles)<extra></extra>", **_cell(0)),
        go.Bar(x=names, y=_arr(g["mentions"]), name="mentions", **_cell(1)),
        go.Bar(x=names, y=_arr(g["quoted"]), name="times quoted", **_cell(1)),
    ]
    fig = go.Figure(data=traces, layout=_layout(title="By outlet", height=380, annotations=notes,
                                                margin=dict(l=50, r=20, t=70, b=40), **axes))
    return fig


# --- loaded language (self-contained: DataFrame -> Figure) -------------------------------------

LOADED_METRICS = {
    "loaded_sentence_share": "Loaded sentences, own voice (share)",
    "loaded_words_per_100_words": "Loaded words per 100 words",
}


def loaded_by_outlet(df: pd.DataFrame) -> go.Figure:
    """Per-outlet means of the loaded-language scores (``Store.outlet_summary``'s
    ``loaded_sentence_share`` and ``loaded_words_per_100_words``; own voice only: words
    inside quotations are the quoted speaker's). Two bar charts side by side."""
    title = "Loaded language by outlet (own voice, means per article)"
    if df.empty or not set(LOADED_METRICS) <= set(df.columns):
        return _empty(title, "no articles")
    names = _arr([label(o or "(no outlet)", 30) for o in df["outlet"]])
    axes, notes = _grid(1, 2, list(LOADED_METRICS.values()), vgap=0.0)
    for k, ax in axes.items():
        if k.startswith("x"):
            ax.update(tickangle=-30, automargin=True)
    traces = [go.Bar(x=names, y=_arr(pd.to_numeric(df[col], errors="coerce").fillna(0).astype(float)), name=t,
                     showlegend=False, marker_color="#c0392b", customdata=_arr(df["articles"]),
                     hovertemplate="%{x}<br>" + t + ": %{y:.3f}<br>%{customdata} articles<extra></extra>", **_cell(i))
              for i, (col, t) in enumerate(LOADED_METRICS.items())]
    return go.Figure(data=traces, layout=_layout(title=title, height=360, legend={},
                                                 margin=dict(l=50, r=20, t=90, b=40), annotations=notes, **axes))
