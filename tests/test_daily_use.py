"""Daily use without surprises: user errors are one line naming the value and the way out
(non-zero exit, no traceback), empty results say why, and labels read as words.

CLI through click's CliRunner on small stores built without spaCy.
"""
from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from audit import labels
from audit.cli import main
from audit.findings import AuditResult
from audit.ingest.article import Article
from audit.selection import FilterError, make_filter, why_empty
from audit.store import ArticleFilter, Store

ARTICLES = [
    ("Police said the road was closed for the night.", "Harbor Ledger", "2026-01-02", "Road closed"),
    ("Analysts said prices may fall next spring.", "The Northfield Daily Star and Evening Courier", "2026-03-01",
     "Prices may fall next spring as the harbour reopens, analysts at three banks said on Monday"),
]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "d.db"
    with Store(path) as st:
        st.save([(a, AuditResult(article_id=a.id)) for a in
                 (Article.build(t, outlet=o, published=p, title=ti) for t, o, p, ti in ARTICLES)])
    return str(path)


def _one_line_error(res, *needles):
    out = res.output
    assert res.exit_code != 0, out
    assert "Traceback" not in out and not isinstance(res.exception, (TypeError, AttributeError, KeyError)), out
    lines = [ln for ln in out.splitlines() if ln.strip()]
    error = [ln for ln in lines if ln.startswith("Error:")]
    assert len(error) == 1, out
    for n in needles:
        assert n in error[0], out
    return error[0]


# --- export: bad dates, unknown outlets, empty selections ---------------------------------

@pytest.mark.parametrize("args, needles", [
    (["--from", "2026-13-01"], ["--from '2026-13-01' is not a date", "YYYY-MM-DD"]),
    (["--to", "yesterday"], ["--to 'yesterday' is not a date"]),
    (["--from", "2026-02-30"], ["--from '2026-02-30'"]),
    (["--from", "2026-3-1"], ["--from '2026-3-1'"]),
    (["--from", "2026-05-01", "--to", "2026-04-01"], ["--from 2026-05-01 is after --to 2026-04-01: swap them"]),
])
def test_export_refuses_a_bad_date(runner, db, tmp_path, args, needles):
    out = tmp_path / "out"
    res = runner.invoke(main, ["export", "--out", str(out), "--db", db, *args])
    _one_line_error(res, *needles)
    assert res.exit_code == 2 and not out.exists()


@pytest.mark.parametrize("args, needles", [
    (["--outlet", "No Such Outlet"], ["no outlet is called 'No Such Outlet'", "Outlets in the store: 'Harbor Ledger'"]),
    (["--outlet", "Harbour Ledger"], ["did you mean 'Harbor Ledger'?"]),
    (["--from", "2027-01-01"], ["no article was published from 2027-01-01 to …",
                                "stored dates run from 2026-01-02 to 2026-03-01"]),
    (["--search", "zebra"], ["no title, outlet or id contains 'zebra'"]),
    (["--outlet", "Harbor Ledger", "--search", "Prices"], ["no article meets them all"]),
])
def test_export_of_an_empty_selection_says_why_and_writes_nothing(runner, db, tmp_path, args, needles):
    out = tmp_path / "out"
    res = runner.invoke(main, ["export", "--out", str(out), "--db", db, *args])
    _one_line_error(res, "nothing exported", *needles)
    assert res.exit_code == 1 and not out.exists()


def test_export_from_an_empty_store_says_so(runner, tmp_path):
    db = tmp_path / "empty.db"
    Store(db).close()
    res = runner.invoke(main, ["export", "--out", str(tmp_path / "o"), "--db", str(db)])
    _one_line_error(res, "no articles yet", "newsaudit run")


def test_export_of_a_matching_selection_still_writes(runner, db, tmp_path):
    res = runner.invoke(main, ["export", "--out", str(tmp_path / "o"), "--db", db, "--outlet", "Harbor Ledger",
                               "--from", "2026-01-01", "--to", "2026-01-31"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "articles.csv").read_text(encoding="utf-8").count("\n") == 2


@pytest.mark.parametrize("flt, expected", [
    (ArticleFilter(), ""),
    (ArticleFilter(outlets=("Harbor Ledger",)), ""),
    (ArticleFilter(outlets=("Harbor Ledger", "Nope")), ""),                 # one outlet matches: not empty
    (ArticleFilter(outlets=("Nope",)), "no outlet is called 'Nope'"),
    (ArticleFilter(date_to="2025-12-31"), "no article was published from … to 2025-12-31"),
    (ArticleFilter(article_ids=("0" * 16,)), "none of the chosen article ids is in the store"),
])
def test_why_empty(db, flt, expected):
    with Store(db, readonly=True) as st:
        got = why_empty(st, flt)
    assert (expected in got) if expected else got == ""


@pytest.mark.parametrize("kw, message", [
    ({"date_from": "2026-13-01"}, "--from '2026-13-01' is not a date"),
    ({"date_to": "01/02/2026"}, "--to '01/02/2026' is not a date"),
    ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "swap them"),
])
def test_make_filter_refuses(kw, message):
    with pytest.raises(FilterError, match=message):
        make_filter(**kw)


def test_make_filter_accepts_and_trims():
    f = make_filter(["A", ""], " 2026-01-01 ", "", "  q ")
    assert (f.outlets, f.date_from, f.search) == (("A",), "2026-01-01", "q")


# --- serve on a busy port or a foreign address ---------------------------------------------

def test_serve_on_a_busy_port_is_one_line(runner, db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        res = runner.invoke(main, ["serve", "--db", db, "--port", str(port)])
    line = _one_line_error(res, f"port {port} on 127.0.0.1 is already in use", "--port")
    assert "dashboard on http" not in res.output, "the URL must not be announced when it cannot be served"
    assert line


def test_serve_on_an_address_of_another_machine(runner, db):
    res = runner.invoke(main, ["serve", "--db", db, "--host", "192.0.2.1", "--port", "5999"])
    _one_line_error(res, "'192.0.2.1'", "--host 127.0.0.1")


def test_serve_refuses_a_port_out_of_range(runner, db):
    res = runner.invoke(main, ["serve", "--db", db, "--port", "70000"])
    assert res.exit_code == 2 and "70000" in res.output and "Traceback" not in res.output


# --- private URLs name the setting a user has ---------------------------------------------

def test_private_url_refusal_names_the_option():
    from audit.ingest.web import UnsafeURLError, check_url

    with pytest.raises(UnsafeURLError) as info:
        check_url("http://127.0.0.1:9/page")
    msg = str(info.value)
    assert "--allow-private-urls" in msg and "allow_private=True" not in msg


# --- the run summary and `show` -----------------------------------------------------------

@pytest.mark.parametrize("width", [80, 100, 160])
def test_run_summary_headers_are_never_cut(db, width):
    from rich.console import Console

    from audit.cli import SUMMARY_HEADERS, _print_run_summary
    from audit.pipeline import RunReport

    with Store(db, readonly=True) as st:
        ids = list(st.articles()["article_id"])
    report = RunReport(audited=[(i, "t") for i in ids])
    console = Console(width=width, record=True, highlight=False)
    _print_run_summary(console, report, db)
    text = console.export_text()
    header = "\n".join(ln for ln in text.splitlines() if ln.startswith("┃"))
    for head in SUMMARY_HEADERS:
        for part in head.split("\n"):
            assert part in header, (part, text)
    assert "…" not in header and max(len(ln) for ln in text.splitlines()) <= width, text


@pytest.mark.parametrize("form, direct, expected", [
    ("direct", True, "direct quote"),
    ("mixed", False, "partly quoted"),
    ("indirect", False, "reported speech"),
    ("colon", True, "after a colon, quoted"),
    ("according_to", False, "“according to”"),
    ("sourceless", False, "no source given"),
    ("something_new", False, "something new"),
])
def test_form_labels_never_repeat_themselves(form, direct, expected):
    assert labels.form_label(form, direct) == expected


# --- labels and numbers --------------------------------------------------------------------

@pytest.mark.parametrize("value, kw, expected", [
    (-0.001, {}, "0.00"), (-0.004, {"signed": True}, "0.00"), (0.004, {}, "0.00"), (-0.006, {}, "-0.01"),
    (0.5, {"signed": True}, "+0.50"), (None, {}, "–"), (float("nan"), {}, "–"), (12.345, {"digits": 1}, "12.3"),
    (-0.04, {"digits": 1}, "0.0"),
])
def test_fixed_never_prints_negative_zero(value, kw, expected):
    assert labels.fixed(value, **kw) == expected


@pytest.mark.parametrize("n, expected", [(0, "0 mentions"), (1, "1 mention"), (2, "2 mentions"), (1500, "1,500 mentions")])
def test_plural(n, expected):
    assert labels.plural(n, "mention") == expected


@pytest.mark.parametrize("text, name, kind, expected", [
    ("Israeli officials", "Israel", "anonymous", ("Israeli officials", "unnamed; affiliated with Israel")),
    ("who", "A senior hospital manager", "anonymous", ("A senior hospital manager", "as “who”")),
    ("she", "Aisha Rahman", "named_person", ("Aisha Rahman", "as “she”")),
    ("Health Commissioner Aisha Rahman", "Aisha Rahman", "named_person", ("Health Commissioner Aisha Rahman", "")),
    ("Its president", "Gareth Doyle", "named_person", ("Its president", "resolved to Gareth Doyle")),
    ("Tehran", "Iran", "named_organization", ("Tehran", "resolved to Iran")),
    ("Netanyahu", "Benjamin Netanyahu", "named_person", ("Netanyahu", "full name Benjamin Netanyahu")),
    ("Israel", "Israel", "named_organization", ("Israel", "")),
    ("", "", "unspecified_group", ("(no source named)", "")),
    (None, float("nan"), "unspecified_group", ("(no source named)", "")),
])
def test_source_label_reads_without_contradiction(text, name, kind, expected):
    assert labels.source_label(text, name, kind) == expected


@pytest.mark.parametrize("value, expected", [
    ('["one", "two"]', ["one", "two"]), ("[]", []), ("plain words", ["plain words"]), (None, []),
    (["a"], ["a"]), ('["", " "]', []),
    # the readable form claims.csv carries (issue 21): each piece quoted, joined by "; "
    ("“Officials”; “a report”", ["Officials", "a report"]), ("“one piece”", ["one piece"]),
])
def test_evidence_list(value, expected):
    assert labels.evidence_list(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2026-03-01", "1 Mar 2026"), ("2026-12-04T20:29:00+00:00", "4 Dec 2026, 20:29 UTC"),
    ("2026-12-04T08:05:00", "4 Dec 2026, 08:05"), ("sometime", "sometime"), (None, ""),
])
def test_readable_date(value, expected):
    assert labels.readable_date(value) == expected


@pytest.mark.parametrize("code, expected", [
    ("named_organization", "named organization"), ("unspecified_group", "unspecified group"),
    ("brand_new_kind", "brand new kind"), (None, ""),
])
def test_kind_labels_have_no_underscores(code, expected):
    assert labels.kind_label(code) == expected


def test_show_names_forms_once_and_counts_in_words(runner, tmp_path):
    from audit.findings import Actor, Attribution, Mention

    text = 'Mayor Ana Ruiz said: "The bridge opens in May." Ruiz smiled.'
    art = Article.build(text, title="Bridge", outlet="Ledger")
    con = (text.index('"The'), text.index('May."') + 5)
    res = AuditResult(
        article_id=art.id,
        attributions=(Attribution(content=(con,), source=(0, 14), cue=(15, 19), source_type="named_person",
                                  form="direct", direct=True, source_text="Mayor Ana Ruiz", cue_text="said",
                                  content_text=text[con[0]:con[1]], source_name="Ana Ruiz"),),
        actors=(Actor(key="person:ana-ruiz", name="Ana Ruiz", type="person",
                      mentions=(Mention(span=(6, 14), text="Ana Ruiz"),)),),
    )
    db = tmp_path / "s.db"
    with Store(db) as st:
        st.save([(art, res)])
    out = runner.invoke(main, ["show", art.id[:8], "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "direct quote" in out.output and "direct, direct" not in out.output
    assert "named person" in out.output and "named_person" not in out.output
    assert "1 mention," in out.output and "1 mentions" not in out.output
    assert "not scored" in out.output  # an actor with no sentiment row says so in words
    missing = runner.invoke(main, ["show", "nope", "--db", str(db)])
    _one_line_error(missing, "no article 'nope'", "id prefix")
