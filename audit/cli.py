"""The ``newsaudit`` command line: thin click commands over audit's library functions.

Heavy imports (spaCy, pandas, the analyzers) happen inside the commands, so that
``newsaudit --help`` answers at once.
"""
from __future__ import annotations

import json
import os
import sys

import click

DB_HELP = "SQLite database file or postgresql://user@host/dbname URL (default: $NEWSAUDIT_DB or ./newsaudit.db)."


def _db_option(f):
    return click.option("--db", "db", envvar="NEWSAUDIT_DB", default="newsaudit.db", show_default=True,
                        help=DB_HELP)(f)


def _open(db: str, readonly: bool = False):
    from .store import Store, StoreError

    try:
        return Store(db, readonly=readonly)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _filter(outlet, date_from, date_to, search=""):
    """The checked filter of ``--outlet/--from/--to/--search`` (a bad date is a usage error)."""
    from .selection import FilterError, make_filter

    try:
        return make_filter(outlet, date_from, date_to, search)
    except FilterError as exc:
        raise click.UsageError(str(exc)) from None


def _filter_options(f):
    f = click.option("--outlet", multiple=True, help="Only these outlets (repeatable).")(f)
    f = click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Published on or after.")(f)
    f = click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Published on or before.")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsaudit")
def main():
    """newsaudit: audit how news articles are sourced and framed.

    \b
    Typical use:
      newsaudit run seeds/                 # audit articles into ./newsaudit.db
      newsaudit show <id>                  # one article's findings with evidence
      newsaudit export --out reports/      # report CSVs
      newsaudit serve                      # the dashboard on http://127.0.0.1:5000
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_db_option
@click.option("--workers", "-w", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes that parse and analyse in parallel.")
@click.option("--force", is_flag=True, help="Re-audit articles already stored with this analyzer version.")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 1000),
              help="Articles per nlp.pipe batch.")
@click.option("--sentiment", "sentiment", type=click.Choice(["lexicon", "model"]), default=None,
              help="Sentiment engine (default: model when its file is installed, else lexicon).")
@click.option("--loaded", "loaded", type=click.Choice(["lexicon", "model"]), default=None,
              help="Loaded-language engine (default: the shared encoder's head when installed, else the lexicon).")
@click.option("--allow-private-urls", is_flag=True, help="Allow fetching private/loopback addresses.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary table.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786|local",
              help="Run on a Dask cluster (pip install 'newsaudit[dask]'): a scheduler address, or 'local' "
                   "for a local cluster of --workers processes.")
def run(inputs, db, workers, force, batch_size, sentiment, loaded, allow_private_urls, quiet, scheduler):
    """Audit INPUTS (files, directories, JSONL/CSV corpora, URLs, feeds, or - for stdin) into the store."""
    from .analyze import resolve_engine
    from .executors import executor_for
    from .pipeline import ExecutorUnavailable, run_audit

    if scheduler:
        from .distributed import Dask

        executor = Dask(scheduler, workers=workers)
    else:
        executor = executor_for(workers)
    try:
        engine = resolve_engine(sentiment)
        from .analyzers.loaded import ENGINE_ENV, resolve_engine as resolve_loaded

        os.environ[ENGINE_ENV] = resolve_loaded(loaded, sentiment_engine=engine)  # read by the analysis, in every worker
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    store = _open(db)
    console = _console(stderr=True)
    progress = None
    if not quiet:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("[bold]auditing"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[last]}"), TimeElapsedColumn(), console=console, transient=True)
    task = None

    def tick(article, error):
        if error:
            console.print(f"[red]skipped[/red] {error}", markup=True, highlight=False, soft_wrap=True)
        if progress is not None:
            last = (article.title or article.origin)[:50] if article else ""
            progress.update(task, advance=1, last=last)

    try:
        if progress is not None:
            with progress:
                task = progress.add_task("audit", total=None, last="loading the spaCy pipeline…")
                report = run_audit(inputs, store, executor=executor, force=force, batch_size=batch_size,
                                   sentiment_engine=engine, allow_private=allow_private_urls, on_article=tick)
        else:
            report = run_audit(inputs, store, executor=executor, force=force, batch_size=batch_size,
                               sentiment_engine=engine, allow_private=allow_private_urls, on_article=tick)
    except ExecutorUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted: articles finished before the interruption are stored") from None
    finally:
        store.close()
    if not quiet:
        _print_run_summary(console, report, db)
    if not report.ok:
        raise click.ClickException("nothing could be audited" + (f" ({len(report.errors)} inputs failed)" if report.errors else ""))


def _console(stderr=False):
    from rich.console import Console

    # Piped output gets a generous width instead of rich's 80 columns.
    width = None if (sys.stderr if stderr else sys.stdout).isatty() else 120
    return Console(stderr=stderr, highlight=False, width=width)


# The run summary's columns (numeric headers on two lines, so 80 columns show them whole).
SUMMARY_HEADERS = ("id", "outlet", "title", "attrib.\n/100w", "anon.\nshare", "hedges\n/100w", "unver.\nclaims")


def _print_run_summary(console, report, db):
    from rich.table import Table

    from .store import Store, describe_db

    console.print(f"audited {len(report.audited)}, skipped {report.skipped} already audited, "
                  f"{len(report.errors)} failed → {describe_db(db)}")
    if not report.audited:
        return
    with Store(db, readonly=True) as store:
        from .store import ArticleFilter

        ids = tuple(a for a, _ in report.audited[:30])
        df = store.articles(ArticleFilter(article_ids=ids))
    t = Table(title="audit summary" + (" (first 30)" if len(report.audited) > 30 else ""))
    # Headers are never cut: the numeric headers take two short lines, every column but the
    # title is at least as wide as its header, and the title gives way on a narrow terminal.
    numeric = sum(max(len(p) for p in c.split("\n")) for c in SUMMARY_HEADERS if "\n" in c)
    rest = console.width - (8 + 16 + numeric + 3 * len(SUMMARY_HEADERS) + 1)     # id, outlet, borders
    widths = {"id": (8, 8), "outlet": (6, 16), "title": (10, min(48, max(10, rest)))}
    for col in SUMMARY_HEADERS:
        low, high = widths.get(col, (max(len(part) for part in col.split("\n")), None))
        t.add_column(col, no_wrap=True, overflow="ellipsis", justify="right" if "\n" in col else "left",
                     min_width=low, max_width=high)
    from .labels import fixed, percent

    for r in df.itertuples():
        t.add_row(r.article_id[:8], r.outlet or "", (r.title or r.origin or "")[:60], fixed(r.attributions_per_100_words),
                  percent(r.anonymous_source_share), fixed(r.hedges_per_100_words), fixed(r.unverified_claims, 0))
    console.print(t)


@main.command()
@click.argument("article")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def show(article, db, as_json):
    """One ARTICLE's audit (by id, id prefix, external id or path) with the evidence of every finding."""
    from .report_text import render_article

    store = _open(db, readonly=True)
    try:
        from .store import StoreError

        try:
            data = store.article(store.resolve(article))
        except StoreError as exc:
            hint = ("" if "matches" in str(exc) else
                    "; give an id, id prefix, external id or path of a stored article (newsaudit export lists them)")
            raise click.ClickException(f"{exc}{hint}") from None
    finally:
        store.close()
    if as_json:
        from .tables import article_record

        click.echo(json.dumps(article_record(data), ensure_ascii=False, indent=1))
        return
    render_article(data, _console())


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Directory to write into.")
@_db_option
@click.option("--format", "fmt", default="csv", show_default=True,
              type=click.Choice(sorted(__import__("reports").FORMAT_NAMES)), help="Report format.")
@_filter_options
@click.option("--search", default="", help="Only articles whose title/outlet/id contains this.")
def export(out, db, fmt, outlet, date_from, date_to, search):
    """Write report files (CSV tables, JSONL in the gold articles schema, or a self-contained HTML report)."""
    import reports

    from .selection import why_empty

    flt = _filter(outlet, date_from, date_to, search)
    store = _open(db, readonly=True)
    try:
        empty = why_empty(store, flt)
        if empty:
            raise click.ClickException(f"nothing exported to {out}: {empty}")
        paths = reports.export(fmt, store, out, flt)
    finally:
        store.close()
    for p in paths:
        click.echo(str(p))


@main.command()
@click.argument("task", type=click.Choice(["attribution", "sentiment", "hedging", "articles", "bias", "portrayal"]))
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False), help="Write predictions JSONL here.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--sentiment", "sentiment", type=click.Choice(["lexicon", "model"]), default=None,
              help="Sentiment engine for the sentiment/articles/portrayal tasks (default as for run).")
@click.option("--loaded", "loaded", type=click.Choice(["lexicon", "model"]), default=None,
              help="Loaded-language engine for the bias task (default as for run).")
@click.option("--sweep", is_flag=True,
              help="attribution only: the metrics at each pair of the learned scorers' cue and keep thresholds "
                   "(the precision/recall trade-off), the shipped pair marked; one parse, nothing written.")
@click.option("--cue-thresholds", default=None, metavar="T,T,...",
              help="Cue thresholds for --sweep (default 0.05,0.1,0.2,0.3,0.35,0.4,0.5,0.7).")
@click.option("--keep-thresholds", default=None, metavar="T,T,...",
              help="Keep thresholds for --sweep (default 0,0.1,0.2,0.3,0.4,0.5,0.6; 0 keeps every reading).")
def evaluate(task, gold, predictions, as_json, sentiment, loaded, sweep, cue_thresholds, keep_thresholds):
    """Score the analyzers on a GOLD file (formats and metrics: ../shared/eval/README.md)."""
    from .analyze import resolve_engine
    from .evaluate import evaluate as run_eval
    from .evaluate.common import GoldFileError

    if sweep or cue_thresholds or keep_thresholds:
        _sweep(task, gold, predictions, as_json, sweep, cue_thresholds, keep_thresholds)
        return
    try:
        os.environ["NEWSAUDIT_SENTIMENT"] = resolve_engine(sentiment)
        from .analyzers.loaded import ENGINE_ENV, resolve_engine as resolve_loaded

        os.environ[ENGINE_ENV] = resolve_loaded(loaded, sentiment_engine=os.environ["NEWSAUDIT_SENTIMENT"])
        metrics = run_eval(task, gold, predictions=predictions)
    except (GoldFileError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(metrics, indent=1))
        return
    _print_metrics(task, gold, metrics)
    if predictions:
        click.echo(f"predictions → {predictions}")


def _thresholds(option: str, value: str | None, default: tuple) -> tuple:
    """A comma-separated list of numbers (``sweep`` checks their range)."""
    if value is None:
        return default
    try:
        return tuple(float(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a comma-separated list of numbers", param_hint=option) from None


def _sweep(task, gold, predictions, as_json, sweep, cue_thresholds, keep_thresholds):
    """``evaluate attribution --sweep``: the cue/keep threshold trade-off as a table."""
    from .evaluate.attribution import SWEEP_CUE_THRESHOLDS, SWEEP_KEEP_THRESHOLDS
    from .evaluate.attribution import sweep as run_sweep
    from .evaluate.common import GoldFileError

    if not sweep:
        raise click.UsageError("--cue-thresholds and --keep-thresholds go with --sweep")
    if task != "attribution":
        raise click.UsageError(f"--sweep is for the attribution task, not {task}")
    if predictions:
        raise click.UsageError("--sweep writes no predictions (run without --sweep for --predictions)")
    cues = _thresholds("--cue-thresholds", cue_thresholds, SWEEP_CUE_THRESHOLDS)
    keeps = _thresholds("--keep-thresholds", keep_thresholds, SWEEP_KEEP_THRESHOLDS)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("[bold]sweep"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[what]}"),
                   TimeElapsedColumn(), console=_console(stderr=True), transient=True)
    try:
        with bar:
            task_id = bar.add_task("sweep", total=None, what="loading the spaCy pipeline…")
            result = run_sweep(gold, cue_thresholds=cues, keep_thresholds=keeps,
                               progress=lambda done, total, what: bar.update(task_id, completed=done, total=total,
                                                                           what=what[:50]))
    except (GoldFileError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    click.echo(f"attribution threshold sweep on {gold} ({result['articles']} articles; * = shipped)")
    head = ("cue", "keep", "content F1", "P", "R", "end-to-end", "indirect R", "predicted")
    click.echo("  ".join(f"{h:>10}" for h in head))
    for p in result["points"]:
        cells = (p["cue_threshold"], p["keep_threshold"], p["content_f1"], p["content_precision"],
                 p["content_recall"], p["end_to_end_f1"], p["indirect_recall"], p["predicted"])
        line = "  ".join(f"{c:>10}" if not isinstance(c, float) else f"{c:>10.4g}" for c in cells)
        click.echo(line + (" *" if p["shipped"] else ""))


def _print_metrics(task, gold, metrics, prefix=""):
    if prefix == "":
        click.echo(f"{task} on {gold}")
    for k, v in metrics.items():
        if isinstance(v, dict):
            click.echo(f"{prefix}{k}:")
            _print_metrics(task, gold, v, prefix + "  ")
        else:
            click.echo(f"{prefix}{k}: {v}")


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep loopback unless you mean it).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-private-urls", is_flag=True, help="Let the Audit page fetch private/loopback addresses.")
@click.option("--debug", is_flag=True, help="Flask's debug server (never on a public address).")
@click.option("--allowed-host", "allowed_host", multiple=True, metavar="NAME", envvar="NEWSAUDIT_ALLOWED_HOSTS",
              help="Another host name the dashboard answers to (repeatable; 127.0.0.1, localhost and --host "
                   "always are); requests for any other Host are refused.")
def serve(db, host, port, allow_private_urls, debug, allowed_host):
    """The dashboard (waitress) over the same store the CLI writes."""
    from webui import create_app

    from .store import describe_db

    hosts = [host, *(h for names in allowed_host for h in names.split(","))]
    app = create_app({"DATABASE": db if "://" in db else os.path.abspath(db), "ALLOW_PRIVATE_URLS": allow_private_urls,
                      "ALLOWED_HOSTS": hosts})
    announce = f"newsaudit dashboard on http://{host}:{port}/ (store: {describe_db(db)}); Ctrl+C to stop"
    if debug:
        _check_port(host, port)
        click.echo(announce, err=True)
        app.run(host=host, port=port, debug=True)
        return
    from waitress import create_server

    try:
        server = create_server(app, host=host, port=port, threads=8)
    except OSError as exc:
        raise click.ClickException(_bind_error(host, port, exc)) from None
    click.echo(announce, err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _bind_error(host: str, port: int, exc: OSError) -> str:
    """One line on why the dashboard cannot listen on host:port, with the option that fixes it."""
    import errno
    import socket

    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host!r}: it is not an address of this machine; pass e.g. --host 127.0.0.1"
    if exc.errno == errno.EADDRINUSE:
        why = "is already in use by another program"
    elif exc.errno == errno.EACCES:
        why = "needs privileges this user does not have"
    else:
        why = f"cannot be opened ({exc.strerror or exc})"
    return f"port {port} on {host} {why}; choose another with --port, e.g. --port {port + 1 if port < 65535 else 8000}"


def _check_port(host: str, port: int) -> None:
    """Refuse, in one line, a port that cannot be listened on (before announcing the URL)."""
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.bind((host, port))
    except OSError as exc:
        raise click.ClickException(_bind_error(host, port, exc)) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
