"""Dashboard pages: each view parses the request, asks the store, picks a chart, renders."""
from __future__ import annotations

import io
import json
import re
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from werkzeug.utils import secure_filename

from audit.store import SORTABLE, ArticleFilter, StoreError

from . import charts, get_store
from .highlight import LAYERS, article_html

bp = Blueprint("ui", __name__)

# Columns of the Articles table: column -> heading.
ARTICLE_COLUMNS = {
    "published": "Date", "outlet": "Outlet", "title": "Title", "words": "Words",
    "attributions_per_100_words": "Attrib./100w", "anonymous_source_share": "Anon. share",
    "hedges_per_100_words": "Hedges/100w", "unverified_claims": "Unverified", "actors": "Actors",
    "mean_actor_sentiment": "Sentiment", "flesch_kincaid_grade": "FK grade",
}
UPLOAD_TYPES = {"txt", "html", "htm", "jsonl", "csv"}
MAX_IDS = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_audit_lock = threading.Lock()      # one audit at a time: spaCy is heavy and the machine small
_cache_lock = threading.Lock()
CACHE_SIZE = 32                     # overview pages (one per filter) kept per app


# --- request helpers --------------------------------------------------------------------

def request_filter() -> ArticleFilter:
    """The article filter in the query string: outlet (repeatable), from, to, q, id (repeatable)."""
    a = request.args
    dates = []
    for key in ("from", "to"):
        v = a.get(key, "").strip()
        if v and not _DATE.match(v):
            abort(400, description=f"The {key!r} date must look like 2026-03-01 (got {v[:40]!r}).")
        dates.append(v)
    return ArticleFilter(outlets=tuple(o for o in a.getlist("outlet") if o)[:100], date_from=dates[0],
                         date_to=dates[1], search=a.get("q", "").strip()[:200],
                         article_ids=tuple(i for i in a.getlist("id") if i)[:MAX_IDS])


def filter_args(flt: ArticleFilter) -> dict:
    """The filter as url_for keyword arguments (so links keep it)."""
    out = {}
    if flt.outlets:
        out["outlet"] = list(flt.outlets)
    if flt.date_from:
        out["from"] = flt.date_from
    if flt.date_to:
        out["to"] = flt.date_to
    if flt.search:
        out["q"] = flt.search
    if flt.article_ids:
        out["id"] = list(flt.article_ids)
    return out


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    try:
        return min(max(int(request.args.get(name, default)), lo), hi)
    except ValueError:
        abort(400, description=f"{name!r} must be a number.")


def _page_ctx(store, flt):
    return {"flt": flt, "fargs": filter_args(flt), "all_outlets": store.outlets()}


# --- pages ------------------------------------------------------------------------------

def _overview_data(store, flt: ArticleFilter) -> dict:
    totals = store.totals(flt)
    by_outlet = store.outlet_summary(flt)
    points = store.article_values(["article_id", "outlet", "title", "attributions_per_100_words",
                                   "hedges_per_100_words"], flt, limit=charts.SCATTER_MAX_POINTS)
    colors = charts.outlet_colors(store.outlets())
    trend = charts.date_trend(store.date_trend(flt), colors=colors)
    figs = {"outlets": charts.outlet_comparison(by_outlet), "loaded": charts.loaded_by_outlet(by_outlet),
            "scatter": charts.article_scatter(points, colors)}
    if trend is not None:
        figs["trend"] = trend
    return {"totals": totals, "by_outlet": by_outlet, "figs": {k: charts.to_json(f) for k, f in figs.items()}}


def _cached(store, key: tuple, build):
    """Derived page data, rebuilt only when the store's data version changes (bounded LRU)."""
    cache = current_app.extensions.setdefault("newsaudit_cache", OrderedDict())
    full = (store.data_version(), *key)
    with _cache_lock:
        if full in cache:
            cache.move_to_end(full)
            return cache[full]
    value = build()
    with _cache_lock:
        cache[full] = value
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return value


@bp.get("/")
def overview():
    store = get_store()
    flt = request_filter()
    data = _cached(store, ("overview", flt), lambda: _overview_data(store, flt))
    return render_template("overview.html", stats=store.stats(), scatter_max=charts.SCATTER_MAX_POINTS,
                           scatter_capped=data["totals"]["articles"] > charts.SCATTER_MAX_POINTS,
                           **data, **_page_ctx(store, flt))


@bp.get("/articles")
def articles():
    store = get_store()
    flt = request_filter()
    sort = request.args.get("sort", "published")
    if sort not in SORTABLE:
        abort(400, description=f"Cannot sort by {sort[:40]!r}.")
    desc = request.args.get("dir", "desc") != "asc"
    per = current_app.config["PAGE_SIZE"]
    total = store.count_articles(flt)
    pages = max(1, -(-total // per))
    page = _int_arg("page", 1, 1, pages)
    rows = store.articles(flt, order_by=sort, descending=desc, limit=per, offset=(page - 1) * per)
    return render_template("articles.html", rows=rows.to_dict("records"), columns=ARTICLE_COLUMNS, total=total,
                           page=page, pages=pages, sort=sort, desc=desc, **_page_ctx(store, flt))


@bp.get("/articles/<ref>")
def article(ref: str):
    store = get_store()
    try:
        data = store.article(store.resolve(ref))
    except StoreError as exc:
        ambiguous = "matches" in str(exc)
        abort(404, description=f"{ref[:40]!r} matches several articles; give more of the id." if ambiguous
              else f"There is no article {ref[:40]!r} in this store.")
    evidence = data["sentiment_evidence"]
    figs = {"sentiment": charts.to_json(charts.actor_sentiment(data["actors"]))}
    kinds = charts.source_kinds(data["attributions"])
    if kinds is not None:
        figs["kinds"] = charts.to_json(kinds)
    return render_template(
        "article.html", a=data["article"], doc=data["document"], body=article_html(data), layers=LAYERS,
        attributions=data["attributions"].to_dict("records"), hedges=data["hedges"].to_dict("records"),
        claims=data["claims"].to_dict("records"), actors=data["actors"].to_dict("records"),
        notes=data["notes"].to_dict("records"), figs=figs, loaded=_loaded_rows(data["loaded_language"]),
        evidence={k: g.sort_values("score").to_dict("records") for k, g in evidence.groupby("actor_key")},
        source_colors=charts.SOURCE_COLORS,
    )


def _loaded_rows(df) -> list[dict]:
    rows = df.to_dict("records")
    for r in rows:
        r["word_list"] = json.loads(r.get("words") or "[]")
    return rows


@bp.get("/actors")
def actors():
    store = get_store()
    flt = request_filter()
    search = request.args.get("name", "").strip()[:200]
    per = current_app.config["PAGE_SIZE"]
    total = store.count_actors(flt, search=search)
    pages = max(1, -(-total // per))
    page = _int_arg("page", 1, 1, pages)
    rows = store.actor_summary(flt, search=search, limit=per, offset=(page - 1) * per)
    return render_template("actors.html", rows=rows.to_dict("records"), total=total, page=page, pages=pages,
                           name=search, **_page_ctx(store, flt))


@bp.get("/actors/<path:key>")
def actor(key: str):
    store = get_store()
    flt = request_filter()
    rows = store.actor_articles(key, flt)
    if rows.empty and store.actor_articles(key).empty:
        abort(404, description=f"No actor {key[:80]!r} in the store.")
    fig = charts.to_json(charts.actor_by_outlet(rows))
    name = rows["name"].mode().iloc[0] if not rows.empty else key
    return render_template("actor.html", key=key, name=name, rows=rows.to_dict("records"), fig=fig,
                           mentions=int(rows["mentions"].sum()) if not rows.empty else 0,
                           quoted=int(rows["times_quoted"].sum()) if not rows.empty else 0,
                           **_page_ctx(store, flt))


# --- audit ------------------------------------------------------------------------------

class AuditInputError(ValueError):
    pass


@bp.get("/audit")
def audit_form():
    return render_template("audit.html", form={})


@bp.post("/audit")
def audit_post():
    try:
        items = _audit_inputs()
    except AuditInputError as exc:
        return render_template("audit.html", error=str(exc), form=request.form), 400
    from audit.pipeline import run_audit

    store = get_store(write=True)
    with _audit_lock:
        report = run_audit(items, store)
    ids = list(dict.fromkeys(a.id for a in items if hasattr(a, "text")))
    stored = store.audited_versions(ids)            # audited now, or already there
    ids = [i for i in ids if i in stored]
    for origin, reason in report.errors[:5]:
        flash(f"Not audited: {origin}: {reason}", "error")
    if not ids:
        return render_template("audit.html", error="Nothing could be audited.", form=request.form), 400
    skipped = f", {report.skipped} already stored" if report.skipped else ""
    flash(f"Audited {len(report.audited)} article(s){skipped}", "info")
    if len(ids) == 1:
        return redirect(url_for("ui.article", ref=ids[0]))
    return redirect(url_for("ui.articles", id=ids[:MAX_IDS], sort="audited_at"))


def _audit_inputs() -> list:
    """Articles (or ingest errors) from the Audit form: pasted text, an uploaded file, or a URL."""
    form, upload = request.form, request.files.get("file")
    text, url = form.get("text", "").strip(), form.get("url", "").strip()
    given = [bool(text), bool(upload and upload.filename), bool(url)]
    if sum(given) != 1:
        raise AuditInputError("Give exactly one of: pasted text, a file, or a URL.")
    meta = {k: form.get(k, "").strip()[:300] for k in ("title", "outlet", "published") if form.get(k, "").strip()}
    if meta.get("published") and not _DATE.match(meta["published"]):
        raise AuditInputError("The date must look like 2026-03-01.")
    if text:
        from audit.ingest.textpage import read_text_page

        art = read_text_page(text, origin="pasted text", **meta)
        if not art.text.strip():
            raise AuditInputError("No story paragraph found in the pasted text.")
        return [art]
    if upload and upload.filename:
        return _upload_inputs(upload)
    return _url_inputs(url)


def _upload_inputs(upload) -> list:
    from audit.ingest import iter_inputs

    name = secure_filename(upload.filename) or "upload"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in UPLOAD_TYPES:
        raise AuditInputError(f"Unsupported file type {ext or '(none)'!r}: upload .txt, .html, .jsonl or .csv.")
    with tempfile.TemporaryDirectory(prefix="newsaudit-upload-") as tmp:
        path = Path(tmp) / f"upload.{ext}"
        upload.save(path)
        items = list(iter_inputs([str(path)]))
    out = []
    for it in items:
        if hasattr(it, "text"):
            # the temp path means nothing to the reader: record the uploaded file's name instead
            out.append(replace(it, origin=f"upload:{name}" + (it.origin.split(str(path), 1)[-1] if it.origin else "")))
        else:
            out.append(it)
    if not any(hasattr(it, "text") for it in out):
        reasons = "; ".join(getattr(it, "reason", str(it)) for it in out[:3]) or "no article found"
        raise AuditInputError(f"Nothing to audit in {name}: {reasons}")
    return out


def _url_inputs(url: str) -> list:
    from audit.ingest import iter_inputs
    from audit.ingest.web import FetchError, check_url

    allow = bool(current_app.config.get("ALLOW_PRIVATE_URLS"))
    try:
        check_url(url, allow_private=allow)
    except FetchError as exc:
        raise AuditInputError(f"Cannot audit that URL: {exc}") from None
    items = list(iter_inputs([url], allow_private=allow))
    if not any(hasattr(it, "text") for it in items):
        reasons = "; ".join(getattr(it, "reason", str(it)) for it in items[:3]) or "no article found"
        raise AuditInputError(f"Cannot audit that URL: {reasons}")
    return items


# --- export -----------------------------------------------------------------------------

@bp.get("/export")
def export_page():
    import reports
    from reports.csv_export import CSV_TABLES

    store = get_store()
    flt = request_filter()
    formats = {k: v[2] for k, v in reports.FORMATS.items()}
    return render_template("export.html", tables=CSV_TABLES, formats=formats, count=store.count_articles(flt),
                           **_page_ctx(store, flt))


@bp.get("/export/csv/<name>.csv")
def export_csv_table(name: str):
    from reports.csv_export import CSV_TABLES, table_csv

    if name not in CSV_TABLES:
        abort(404, description=f"No report table {name[:40]!r}.")
    body = table_csv(get_store(), name, request_filter())
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="newsaudit-{name}.csv"'})


@bp.get("/export/<fmt>")
def export_format(fmt: str):
    """Every file of one report format (reports.FORMATS); one file as is, several as a zip."""
    import reports

    if fmt not in reports.FORMATS:
        abort(404, description=f"No report format {fmt[:40]!r}.")
    flt = request_filter()
    with tempfile.TemporaryDirectory(prefix="newsaudit-export-") as tmp:
        paths = reports.export(fmt, get_store(), tmp, flt)
        if fmt == "html":
            paths = [p for p in paths if p.suffix == ".html"] or paths
        if len(paths) == 1:
            data, name = paths[0].read_bytes(), f"newsaudit-{paths[0].name}"
            return send_file(io.BytesIO(data), as_attachment=True, download_name=name)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, p.name)
    buf.seek(0)
    return send_file(buf, as_attachment=True, download_name=f"newsaudit-{fmt}.zip", mimetype="application/zip")
