"""The newsaudit dashboard: a Flask app over the same SQLite store the CLI writes.

``create_app(test_config=None)`` builds the app (flaskr's factory pattern). Start it with
``newsaudit serve`` (waitress) or ``flask --app webui run``; the store path comes from
``test_config["DATABASE"]``, else ``$NEWSAUDIT_DB``, else ``./newsaudit.db``.

Safety: requests whose Host header names a host the server was not started for are
refused with 400 (``ALLOWED_HOSTS``: loopback names, plus what ``newsaudit serve --host``
and ``--allowed-host`` give, or ``$NEWSAUDIT_ALLOWED_HOSTS``), so a DNS-rebinding page
cannot drive the dashboard; Jinja autoescaping everywhere; a per-session CSRF token checked on every POST;
an upload size cap (``MAX_CONTENT_LENGTH``, 413 page); URL audits refuse non-public
addresses unless ``ALLOW_PRIVATE_URLS``; a strict Content-Security-Policy (no inline
scripts); friendly, logged error pages; no debug mode unless asked.
"""
from __future__ import annotations

import hmac
import logging
import os
import secrets

from flask import Flask, abort, g, render_template, request, session
from werkzeug.exceptions import HTTPException

from audit.store import default_db_path, normalize_db
from reports import links

log = logging.getLogger("webui")

DEFAULT_MAX_UPLOAD = 5 * 1024 * 1024
# Host header values always accepted (the loopback names); more come from ALLOWED_HOSTS.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
HOSTS_ENV = "NEWSAUDIT_ALLOWED_HOSTS"

# No inline script anywhere: figures travel in data-* attributes, code in static/app.js.
# Plotly sets inline styles on its SVG, hence 'unsafe-inline' for styles only.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE=normalize_db(default_db_path()),      # $NEWSAUDIT_DB (a path or a postgresql:// URL)
        ALLOW_PRIVATE_URLS=False,
        MAX_CONTENT_LENGTH=DEFAULT_MAX_UPLOAD,
        SECRET_KEY=os.environ.get("NEWSAUDIT_SECRET_KEY") or secrets.token_hex(32),
        PAGE_SIZE=50,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # extra Host header names to accept (a list, or a comma-separated string)
        ALLOWED_HOSTS=os.environ.get(HOSTS_ENV, ""),
    )
    if test_config:
        app.config.update(test_config)
    app.config["ALLOWED_HOSTS"] = allowed_hosts(app.config["ALLOWED_HOSTS"])
    app.jinja_env.autoescape = True      # also for templates without an .html name
    _register_filters(app)
    links.register(app.jinja_env)        # the "link" filter: article URLs are links only when http(s)

    from . import views

    app.register_blueprint(views.bp)
    app.teardown_appcontext(close_store)
    app.before_request(check_host)
    app.before_request(check_csrf)
    app.after_request(security_headers)
    app.context_processor(lambda: {"csrf_token": csrf_token})
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, server_error)
    return app


def _register_filters(app: Flask) -> None:
    """Display helpers shared with the terminal and the HTML report (audit.labels)."""
    from audit import labels

    app.jinja_env.filters.update(
        fixed=labels.fixed, percent=labels.percent, plural=labels.plural, kind_label=labels.kind_label,
        form_label=labels.form_label, metric_label=labels.metric_label, readable_date=labels.readable_date,
        code_label=labels.code_label, evidence_list=labels.evidence_list,
    )
    app.jinja_env.globals.update(source_label=labels.source_label, is_missing=labels.is_missing)


# --- the store, one per app context (flaskr's get_db) -------------------------------------

def get_store(write: bool = False):
    """The store for this request: read-only for pages, read-write for the audit POST."""
    from flask import current_app

    from audit.store import Store

    key = "store_rw" if write else "store"
    if key not in g:
        setattr(g, key, Store(current_app.config["DATABASE"], readonly=not write))
    return getattr(g, key)


def close_store(_exc=None) -> None:
    for key in ("store", "store_rw"):
        st = g.pop(key, None)
        if st is not None:
            st.close()


# --- Host header --------------------------------------------------------------------------

def allowed_hosts(extra=()) -> frozenset[str]:
    """The host names the dashboard answers to: the loopback names plus ``extra`` (names or
    addresses, a list or a comma-separated string; a port, brackets or a trailing dot are ignored)."""
    if isinstance(extra, str):
        extra = extra.split(",")
    return frozenset(h for h in (host_name(x) for x in (*LOOPBACK_HOSTS, *extra)) if h)


def host_name(host: str) -> str:
    """``host`` of a Host header ``host[:port]`` (``[v6]:port`` too), lower case, without a trailing dot."""
    host = str(host or "").strip().lower()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def check_host():
    from flask import current_app

    name = host_name(request.host)
    if name not in current_app.config["ALLOWED_HOSTS"]:
        abort(400, description=f"This dashboard does not answer to the host {name[:80]!r}. Open it at an address "
                               "it was started for (newsaudit serve --allowed-host NAME adds one).")
    return None


# --- CSRF ---------------------------------------------------------------------------------

def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf():
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    want = session.get("csrf", "")
    if not want or not sent or not hmac.compare_digest(str(sent), str(want)):
        abort(400, description="The form's security token is missing or has expired. Reload the page and try again.")
    return None


def security_headers(resp):
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    return resp


# --- errors -------------------------------------------------------------------------------

def _limit_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def http_error(exc: HTTPException):
    from flask import current_app

    message = exc.description or ""
    if exc.code == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        message = f"The upload is too large: the limit is {_limit_text(limit)}. Split the file or paste a shorter text."
    elif exc.code == 404 and "requested URL was not found" in message:      # werkzeug's default text
        message = "There is no such page here."
    if exc.code and exc.code >= 500:
        log.error("HTTP %s on %s: %s", exc.code, request.path, exc)
    else:
        log.info("HTTP %s on %s: %s", exc.code, request.path, message)
    if _wants_data():
        from flask import jsonify

        return jsonify(error=message, status=exc.code), exc.code
    return render_template("error.html", code=exc.code, title=exc.name, message=message), exc.code


def _wants_data() -> bool:
    """A request for a table's data variant (``.json``/``.csv`` or ``?format=``) gets errors as JSON."""
    fmt = request.args.get("format", "").lower()
    return fmt in ("json", "csv") or request.path.endswith((".json", ".csv")) and not request.path.startswith("/export")


def server_error(exc: Exception):
    from audit.store import StoreError

    if isinstance(exc, StoreError):
        log.warning("store error on %s: %s", request.path, exc)
        return render_template("error.html", code=503, title="Store unavailable", message=str(exc)), 503
    log.exception("unhandled error on %s", request.path)
    return render_template("error.html", code=500, title="Something went wrong",
                           message="The page could not be built; the error has been logged."), 500
