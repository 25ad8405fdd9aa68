"""Dashboard pages: each view parses the request, asks the store, picks a chart, renders."""
from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from werkzeug.utils import secure_filename

from audit.findings import ATTRIBUTION_KINDS
from audit.labels import evidence_list
from audit.selection import FilterError, make_filter, parse_date, why_empty
from audit.store import SORTABLE, ArticleFilter, StoreError
from audit.tables import loaded_rows, weighed_first
from reports import charts

from . import get_store
from .highlight import LAYERS, article_html
from .tabledata import DATA_FORMATS, Table, plain, requested_format, respond

bp = Blueprint("ui", __name__)

# Columns of each dashboard table: key -> heading. The HTML table, its .json and its .csv
# show these columns of the same rows (the data variants add the ids that link them).
ARTICLE_COLUMNS = {
    "published": "Date", "outlet": "Outlet", "title": "Title", "words": "Words",
    "attributions_per_100_words": "Attrib./100w", "anonymous_source_share": "Anon. share",
    "hedges_per_100_words": "Hedges/100w", "unverified_claims": "Unverified", "actors": "Actors",
    "mean_actor_sentiment": "Sentiment", "flesch_kincaid_grade": "FK grade",
}
OUTLET_COLUMNS = {
    "outlet": "Outlet", "articles": "Articles", "attributions_per_100_words": "Attrib./100w",
    "anonymous_source_share": "Anon. share", "hedges_per_100_words": "Hedges/100w",
    "unverified_claims": "Unverified claims", "mean_actor_sentiment": "Sentiment",
}
ACTORS_COLUMNS = {"actor_key": "Key", "name": "Actor", "type": "Type", "articles": "Articles", "mentions": "Mentions",
                  "times_quoted": "Times quoted", "sentiment_score": "Mean sentiment"}
ACTOR_COLUMNS = {"article_id": "Id", "published": "Date", "outlet": "Outlet", "title": "Article", "mentions": "Mentions",
                 "times_quoted": "Quoted", "sentiment_score": "Sentiment", "sentiment_label": "Tone"}
SOURCE_COLUMNS = {"n": "#", "source_text": "Source", "source_name": "Resolved to", "source_type": "Kind", "kind": "What",
                  "cue_text": "Cue", "form": "Form", "direct": "Quoted", "borrowed": "Borrowed", "found_by": "Found by",
                  "confidence": "Confidence", "content_text": "Content"}
CLAIM_COLUMNS = {"n": "#", "text": "Claim", "reason": "Reason", "note": "Note", "evidence": "Evidence"}
HEDGE_COLUMNS = {"n": "#", "text": "Cue", "kind": "Kind"}
LOADED_COLUMNS = {"n": "#", "text": "Sentence", "probability": "P(loaded)", "loaded": "Loaded", "words": "Words",
                  "voice": "Voice"}
ARTICLE_ACTOR_COLUMNS = {"actor_key": "Key", "name": "Actor", "type": "Type", "mentions": "Mentions",
                         "times_quoted": "Quoted", "sentiment_score": "Sentiment", "sentiment_label": "Tone"}
ERROR_COLUMNS = {"origin": "Input", "reason": "Why it could not be audited", "at": "When"}
UPLOAD_TYPES = {"txt", "html", "htm", "jsonl", "csv"}
MAX_IDS = 200
MAX_ERRORS = 1000                   # most failed inputs the errors page lists (newest first)
_audit_lock = threading.Lock()      # one audit at a time: spaCy is heavy and the machine small
_cache_lock = threading.Lock()
CACHE_SIZE = 32                     # overview pages (one per filter) kept per app
_FMT = "<any(json, csv):suffix>"    # /articles.json, /articles.csv, …


# --- request helpers --------------------------------------------------------------------

def request_filter() -> ArticleFilter:
    """The article filter in the query string: outlet (repeatable), from, to, q, id (repeatable)."""
    a = request.args
    try:
        return make_filter(tuple(a.getlist("outlet"))[:100], a.get("from", ""), a.get("to", ""),
                           a.get("q", "")[:200], tuple(a.getlist("id"))[:MAX_IDS], names=("from", "to"))
    except FilterError as exc:
        abort(400, description=f"{exc}. Fix it in the filter, or clear the filter.")


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
        abort(400, description=f"{name!r} must be a whole number (got {request.args.get(name, '')[:20]!r}).")


def _page_ctx(store, flt):
    return {"flt": flt, "fargs": filter_args(flt), "all_outlets": store.outlets()}


def _data_links(**kw) -> dict:
    """This page's URL with format=json and format=csv (the query string kept)."""
    args = request.args.to_dict(flat=False)
    args.pop("format", None)
    args.update(kw)
    return {f: url_for(request.endpoint, **(request.view_args or {}) | {"suffix": None}, **args, format=f)
            for f in DATA_FORMATS}


def _render(template: str, tables: list[Table], suffix: str | None, meta: dict | None = None, **ctx):
    """The page, or its tables as JSON/CSV when the URL asks for a data format."""
    fmt = requested_format(suffix)
    if fmt:
        return respond(fmt, tables, meta)
    return render_template(template, tables={t.name: t for t in tables}, data_links=_data_links(), **ctx)


def _df_rows(df) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


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
    return {"totals": totals, "by_outlet": _df_rows(by_outlet),
            "figs": {k: charts.to_json(f) for k, f in figs.items()}}


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
@bp.get("/overview." + _FMT)
def overview(suffix: str | None = None):
    store = get_store()
    flt = request_filter()
    data = _cached(store, ("overview", flt), lambda: _overview_data(store, flt))
    empty = why_empty(store, flt) if not data["totals"]["articles"] else ""
    table = Table("outlets", OUTLET_COLUMNS, data["by_outlet"], empty)
    return _render("overview.html", [table], suffix, {"filter": filter_args(flt), "totals": data["totals"]},
                   stats=store.stats(), scatter_max=charts.SCATTER_MAX_POINTS, why_empty=empty,
                   scatter_capped=data["totals"]["articles"] > charts.SCATTER_MAX_POINTS,
                   **data, **_page_ctx(store, flt))


@bp.get("/articles")
@bp.get("/articles." + _FMT)
def articles(suffix: str | None = None):
    store = get_store()
    flt = request_filter()
    sort = request.args.get("sort", "published")
    if sort not in SORTABLE:
        abort(400, description=f"Cannot sort by {sort[:40]!r}: click a column heading to sort by it.")
    desc = request.args.get("dir", "desc") != "asc"
    per = current_app.config["PAGE_SIZE"]
    total = store.count_articles(flt)
    pages = max(1, -(-total // per))
    page = _int_arg("page", 1, 1, pages)
    rows = _df_rows(store.articles(flt, order_by=sort, descending=desc, limit=per, offset=(page - 1) * per))
    table = Table("articles", {"article_id": "Id", **ARTICLE_COLUMNS}, rows, why_empty(store, flt) if not rows else "")
    meta = {"filter": filter_args(flt), "sort": sort, "dir": "desc" if desc else "asc", "total": total,
            "page": page, "pages": pages}
    return _render("articles.html", [table], suffix, meta, columns=ARTICLE_COLUMNS, total=total,
                   page=page, pages=pages, sort=sort, desc=desc, **_page_ctx(store, flt))


def _split_suffix(ref: str, suffix: str | None) -> tuple[str, str | None]:
    """``abc.json`` → (``abc``, ``json``) when a path converter swallowed the suffix."""
    if suffix is None:
        for f in DATA_FORMATS:
            if ref.endswith("." + f):
                return ref[: -len(f) - 1], f
    return ref, suffix


@bp.get("/articles/<ref>")
def article(ref: str, suffix: str | None = None):
    ref, suffix = _split_suffix(ref, suffix)
    store = get_store()
    try:
        data = store.article(store.resolve(ref))
    except StoreError as exc:
        ambiguous = "matches" in str(exc)
        abort(404, description=f"{ref[:40]!r} matches several articles; give more of the id." if ambiguous
              else f"There is no article {ref[:40]!r} in this store: pick one from the Articles page.")
    # the Sources filter: statements, beliefs or evidence only (the text's highlights follow)
    kind = request.args.get("kind", "")
    kind = kind if kind in ATTRIBUTION_KINDS else ""
    if kind and "kind" in data["attributions"]:
        data["attributions"] = data["attributions"][data["attributions"]["kind"] == kind]
    claims = _df_rows(data["claims"])
    for c in claims:
        c["evidence"] = evidence_list(c.get("evidence_text"))
    tables = [Table("sources", SOURCE_COLUMNS, _df_rows(data["attributions"]), "No attributions found."),
              Table("claims", CLAIM_COLUMNS, claims, "No unverified claims found."),
              Table("hedges", HEDGE_COLUMNS, _df_rows(data["hedges"]), "No hedges found."),
              Table("actors", ARTICLE_ACTOR_COLUMNS, _df_rows(data["actors"]), "No actors found.")]
    loaded = loaded_rows(_df_rows(data["loaded_language"]), (data.get("document") or {}).get("text") or "")
    tables.append(_loaded_table(loaded))
    fmt = requested_format(suffix)
    if fmt:
        meta = {"article": {k: plain(v) for k, v in data["article"].items()}}
        return respond(fmt, tables, meta)
    evidence = data["sentiment_evidence"]
    figs = {"sentiment": charts.to_json(charts.actor_sentiment(data["actors"]))}
    kinds = charts.source_kinds(data["attributions"])
    if kinds is not None:
        figs["kinds"] = charts.to_json(kinds)
    return render_template(
        "article.html", a=data["article"], doc=data["document"], body=article_html(data), layers=LAYERS,
        tables={t.name: t for t in tables}, data_links=_data_links(),
        notes=_df_rows(data["notes"]), figs=figs, loaded=loaded,
        evidence=_weighed_most(evidence, data["actors"]),
        source_colors={k: charts.SOURCE_COLORS[k] for k in charts.SOURCE_COLORS}, kind=kind, kinds=ATTRIBUTION_KINDS,
    )


bp.add_url_rule("/articles/<ref>." + _FMT, view_func=article, methods=["GET"], endpoint="article_data")


def _loaded_table(rows: list[dict]) -> Table:
    data = [{**r, "n": int(r["n"]) + 1, "loaded": bool(r["loaded"]), "words": ", ".join(r["word_list"]),
             "probability": round(float(r["probability"]), 4)} for r in rows]
    return Table("loaded_language", LOADED_COLUMNS, data, "No loaded language found.")


def _weighed_most(evidence, actors) -> dict:
    """Each actor's evidence sentences, those that weighed most in its portrayal first
    (:func:`audit.tables.weighed_first`, the order ``newsaudit show`` uses too)."""
    labels = dict(zip(actors["actor_key"], actors["sentiment_label"])) if not actors.empty else {}
    out: dict[str, list] = {}
    for r in _df_rows(evidence):
        out.setdefault(r["actor_key"], []).append(r)
    return {k: weighed_first(rows, labels.get(k)) for k, rows in out.items()}


@bp.get("/actors")
@bp.get("/actors." + _FMT)
def actors(suffix: str | None = None):
    store = get_store()
    flt = request_filter()
    search = request.args.get("name", "").strip()[:200]
    per = current_app.config["PAGE_SIZE"]
    total = store.count_actors(flt, search=search)
    pages = max(1, -(-total // per))
    page = _int_arg("page", 1, 1, pages)
    rows = _df_rows(store.actor_summary(flt, search=search, limit=per, offset=(page - 1) * per))
    empty = ""
    if not rows:
        empty = why_empty(store, flt) or (f"No actor's name contains {search!r}: try part of the name."
                                          if search else "No actors were found in these articles.")
    table = Table("actors", ACTORS_COLUMNS, rows, empty)
    meta = {"filter": filter_args(flt), "name": search, "total": total, "page": page, "pages": pages}
    return _render("actors.html", [table], suffix, meta, total=total, page=page, pages=pages, name=search,
                   **_page_ctx(store, flt))


@bp.get("/actors/<path:key>")
def actor(key: str):
    key, suffix = _split_suffix(key, None)
    store = get_store()
    flt = request_filter()
    df = store.actor_articles(key, flt)
    if df.empty and store.actor_articles(key).empty:
        abort(404, description=f"No actor {key[:80]!r} in the store: find one on the Actors page.")
    rows = _df_rows(df)
    empty = "" if rows else (why_empty(store, flt) or "None of the articles this filter selects mentions this actor.")
    table = Table("articles", ACTOR_COLUMNS, rows, empty)
    fmt = requested_format(suffix)
    if fmt:
        return respond(fmt, [table], {"actor_key": key, "filter": filter_args(flt)})
    fig = charts.to_json(charts.actor_by_outlet(df))
    name = df["name"].mode().iloc[0] if not df.empty else key
    return render_template("actor.html", key=key, name=name, tables={"articles": table}, fig=fig,
                           data_links=_data_links(), why_empty=empty,
                           mentions=int(df["mentions"].sum()) if not df.empty else 0,
                           quoted=int(df["times_quoted"].sum()) if not df.empty else 0,
                           **_page_ctx(store, flt))


@bp.get("/errors")
@bp.get("/errors." + _FMT)
def errors(suffix: str | None = None):
    """The inputs that could not be audited, newest first, with the reason."""
    store = get_store()
    total = store.stats()["errors"]
    rows = _df_rows(store.errors(limit=MAX_ERRORS))
    table = Table("errors", ERROR_COLUMNS, rows, "Every input given so far was audited: none failed.")
    return _render("errors.html", [table], suffix, {"total": total, "shown": len(rows)},
                   total=total, max_errors=MAX_ERRORS)


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
    if report.errors:  # every failed input is kept on the Errors page; the flash links there
        more = len(report.errors) - 5
        flash((f"{more} more input(s) could not be audited. " if more > 0 else "") + "The Errors page lists every "
              "input that could not be audited, with the reason.", "errors-link")
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
    if meta.get("published"):
        try:
            meta["published"] = parse_date(meta["published"], "The published date")
        except FilterError as exc:
            raise AuditInputError(f"{exc}.") from None
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
    # the temp path means nothing to the reader (and is the server's business): every article
    # and every error of the upload is named by the uploaded file's name instead
    out = [replace(it, origin=f"upload:{name}" + (it.origin.split(str(path), 1)[-1] if it.origin else ""))
           for it in items]
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
    count = store.count_articles(flt)
    return render_template("export.html", tables=CSV_TABLES, formats=formats, count=count,
                           why_empty=why_empty(store, flt) if not count else "", **_page_ctx(store, flt))


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
