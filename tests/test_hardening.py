"""Hardening (issue 27): formulas in CSVs, links from article URLs, the Host header, errors
written with the articles once per input and reason, and the aliases of identical texts.

The run-path tests replace the analysis with a stub (``fake_analysis``): they are about
what the store keeps, not about findings."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from audit import executors
from audit.cli import main
from audit.findings import ActorSentiment, Actor, AuditResult, Mention, SentimentEvidence
from audit.ingest.article import Article, IngestError
from audit.pipeline import run_audit
from audit.store import ArticleFilter, Store
from reports.csv_export import frame_csv, neutralize
from reports.links import http_url, link
from webui import create_app

BODY = "-2+3 said Smith. The plan failed."


def _result(art: Article) -> AuditResult:
    return AuditResult(
        article_id=art.id,
        actors=(Actor(key="person:smith", name="@Smith", type="person", mentions=(Mention((5, 10), "Smith"),)),),
        sentiments=(ActorSentiment(actor_key="person:smith", score=-0.25, label="negative", positive=0, neutral=0,
                                   negative=1, engine="lexicon",
                                   evidence=(SentimentEvidence((0, 16), BODY[:16], -0.25, "negative"),)),),
        summary={"words": 7, "sentences": 2, "mean_actor_sentiment": -0.25},
    )


@pytest.fixture()
def formula_db(tmp_path):
    """One article whose title, outlet, actor name and evidence sentence look like formulas."""
    path = tmp_path / "f.db"
    art = Article.build(BODY, title='=HYPERLINK("http://evil.example","click")', outlet="+Formula Outlet",
                        external_id="-7", url="javascript:alert(12)")
    with Store(path) as st:
        st.save([(art, _result(art))])
    return str(path)


# --- 2. CSV cells a spreadsheet would run ------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("x","click")', '\'=HYPERLINK("x","click")'),
    ("+Formula Outlet", "'+Formula Outlet"),
    ("-2+3 said Smith.", "'-2+3 said Smith."),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    # must stay as they are: plain text, text that is just a number, numbers, empty cells
    ("Officials said -2 people", "Officials said -2 people"),
    ("a=b", "a=b"),
    ("-3.5", "-3.5"),
    ("+7", "+7"),
    ("-1e-3", "-1e-3"),
    ("", ""),
    (-0.25, -0.25),
    (3, 3),
    (None, None),
])
def test_neutralize(value, expected):
    assert neutralize(value) == expected


def test_frame_csv_exact_output():
    import pandas as pd

    df = pd.DataFrame({"title": ["=1+1", "ok", None], "score": [-0.5, 1.0, None], "n": [-1, 2, 3],
                       "mixed": pd.Series(["-x", -2, "@y"], dtype=object)})
    assert frame_csv(df) == "title,score,n,mixed\n'=1+1,-0.5,-1,'-x\nok,1.0,2,-2\n,,3,'@y\n"


def _cells(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _check_formula_cells(articles_csv: str, evidence_csv: str, actors_csv: str) -> None:
    art = _cells(articles_csv)[0]
    assert art["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert art["outlet"] == "'+Formula Outlet"
    assert art["external_id"] == "-7"                          # a number as text stays a number
    assert art["mean_actor_sentiment"] == "-0.25"              # numbers stay numbers
    ev = _cells(evidence_csv)[0]
    assert ev["text"] == "'-2+3 said Smith." and ev["score"] == "-0.25"
    assert _cells(actors_csv)[0]["name"] == "'@Smith"


def test_cli_export_neutralises_formulas(formula_db, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["export", "--out", str(out), "--db", formula_db])
    assert res.exit_code == 0, res.output
    _check_formula_cells(*((out / f"{t}.csv").read_text() for t in ("articles", "sentiment_evidence", "actors")))


def test_dashboard_downloads_neutralise_formulas(formula_db):
    client = create_app({"DATABASE": formula_db, "TESTING": True}).test_client()
    got = [client.get(f"/export/csv/{t}.csv") for t in ("articles", "sentiment_evidence", "actors")]
    assert all(r.status_code == 200 for r in got)
    _check_formula_cells(*(r.get_data(as_text=True) for r in got))


# --- 3. only http(s) URLs become links --------------------------------------------------------

@pytest.mark.parametrize("url, ok", [
    ("https://example.org/story?id=1#top", True),
    ("http://example.org", True),
    ("HTTPS://EXAMPLE.ORG/a", True),
    ("http://127.0.0.1:8080/x", True),
    ("javascript:alert(12)", False),
    ("JavaScript:alert(12)", False),
    (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("ht\ntp://example.org", False),
    ("http://example.org/\x00", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False),
    ("file:///etc/passwd", False),
    ("//evil.example/x", False),
    ("/relative/path", False),
    ("http:/example.org", False),
    ("http://", False),
    ("https://user@evil.example", False),
    ("https://a b.example", False),
    ("", False),
    (None, False),
])
def test_http_url(url, ok):
    assert http_url(url) == (url if ok else "")


def test_link_filter():
    assert str(link("https://e.org/?a=1&b=2", "source")) == \
        '<a href="https://e.org/?a=1&amp;b=2" rel="noopener noreferrer nofollow">source</a>'
    assert "<a" not in str(link("javascript:alert(12)", "source"))
    assert "javascript:alert(12)" in str(link("javascript:alert(12)", "source"))
    assert str(link("javascript:alert(12)")) == "javascript:alert(12)"
    assert str(link('x:"><script>', '<b>')) == \
        '&lt;b&gt; <span class="not-a-link" title="not an http(s) address, so not a link">(x:&#34;&gt;&lt;script&gt;)</span>'
    assert str(link("", "Title")) == "Title"


def test_article_page_links_only_http_urls(formula_db, tmp_path):
    client = create_app({"DATABASE": formula_db, "TESTING": True}).test_client()
    page = client.get("/articles/-7").get_data(as_text=True)
    assert "javascript:alert(12)" in page and 'href="javascript' not in page.lower()
    good = tmp_path / "good.db"
    art = Article.build(BODY, title="T", url="https://example.org/story")
    with Store(good) as st:
        st.save([(art, _result(art))])
    page = create_app({"DATABASE": str(good), "TESTING": True}).test_client().get(f"/articles/{art.id}")
    assert '<a href="https://example.org/story" rel="noopener noreferrer nofollow">source</a>' in page.get_data(as_text=True)


def test_html_report_links_only_http_urls(formula_db, tmp_path):
    import reports

    with Store(formula_db) as st:
        art = Article.build("Other text said Jones.", title="Linked", url="https://example.org/linked")
        st.save([(art, AuditResult(article_id=art.id))])
        reports.export("html", st, tmp_path / "r")
    html = (tmp_path / "r" / "report.html").read_text()
    assert 'href="javascript' not in html.lower() and "javascript:alert(12)" in html
    assert '<a href="https://example.org/linked" rel="noopener noreferrer nofollow">Linked</a>' in html


# --- 4. the Host header -------------------------------------------------------------------------

@pytest.mark.parametrize("host, status", [
    ("localhost", 200), ("localhost:5000", 200), ("127.0.0.1:5000", 200), ("[::1]:5000", 200),
    ("LOCALHOST.", 200), ("dash.example:8080", 200),
    ("rebind.attacker.example", 400), ("rebind.attacker.example:5000", 400), ("127.0.0.1.attacker.example", 400),
    ("localhost.attacker.example", 400), ("dash.example.attacker.example", 400), ("10.0.0.5", 400),
])
def test_only_the_hosts_the_server_was_started_for_are_answered(formula_db, host, status):
    app = create_app({"DATABASE": formula_db, "TESTING": True, "ALLOWED_HOSTS": ["dash.example"]})
    r = app.test_client().get("/", headers={"Host": host})
    assert r.status_code == status
    if status == 400:
        assert "does not answer to the host" in r.get_data(as_text=True)
        assert app.test_client().post("/audit", headers={"Host": host}).status_code == 400


def test_allowed_hosts_from_the_environment(formula_db, monkeypatch):
    monkeypatch.setenv("NEWSAUDIT_ALLOWED_HOSTS", "a.example, b.example:80")
    client = create_app({"DATABASE": formula_db, "TESTING": True}).test_client()
    assert client.get("/", headers={"Host": "b.example"}).status_code == 200
    assert client.get("/", headers={"Host": "c.example"}).status_code == 400


def test_serve_accepts_its_host_and_allowed_hosts(formula_db, monkeypatch):
    import waitress

    served = {}

    class _Server:      # serve binds with waitress.create_server, then runs it (issue 26: a busy port is one line)
        def __init__(self, app, **kw):
            served.update(app=app, **kw)

        def run(self):
            pass

        def close(self):
            pass

    monkeypatch.setattr(waitress, "create_server", _Server)
    res = CliRunner().invoke(main, ["serve", "--db", formula_db, "--host", "192.168.1.20",
                                    "--allowed-host", "news.lan", "--allowed-host", "a.lan,b.lan"])
    assert res.exit_code == 0, res.output
    client = served["app"].test_client()
    for host in ("192.168.1.20:5000", "news.lan", "b.lan", "localhost", "127.0.0.1"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


# --- 5 and 6: what a run writes: errors and aliases -------------------------------------------

@pytest.fixture()
def fake_analysis(monkeypatch):
    """Analysis without spaCy: every article gets an empty result; a text with "FAIL" fails."""
    def analyze(articles, _engine):
        return [(a, None, "analysis failed") if "FAIL" in a.text else (a, AuditResult(article_id=a.id), None)
                for a in articles]

    monkeypatch.setattr(executors, "analyze_batch", analyze)


def _errors(db) -> list[tuple]:
    with Store(db, readonly=True) as st:
        return sorted(map(tuple, st.errors(1000)[["origin", "reason"]].itertuples(index=False)))


def _corpus(tmp_path, name="c.jsonl", ids=("a1", "b7")):
    p = tmp_path / name
    lines = [json.dumps({"id": ids[0], "title": "Wire", "outlet": "AP", "text": "Officials said it rained."}),
             "{not json",
             json.dumps({"id": ids[1], "title": "Wire", "outlet": "AP", "text": "Officials said it rained."}),
             json.dumps({"id": "x", "text": "FAIL said the analyzer."}),
             json.dumps({"id": "y", "text": "Another story said so."})]
    p.write_text("\n".join(lines) + "\n")
    return p


def test_a_rerun_updates_errors_and_does_not_add_them(tmp_path, fake_analysis):
    db, p = tmp_path / "e.db", _corpus(tmp_path)
    for force in (False, True, False):
        with Store(db) as st:
            run_audit([str(p), str(tmp_path / "missing.txt")], st, force=force)
    assert _errors(db) == sorted([(f"{p}:2", "not valid JSON (Expecting property name enclosed in double quotes)"),
                                  (f"{p}:4", "analysis failed"), (str(tmp_path / "missing.txt"),
                                                                  "no such file or directory")])


def test_errors_are_written_with_their_batch_not_at_the_end(tmp_path, fake_analysis):
    db = tmp_path / "k.db"
    items = [IngestError(f"bad{i}", "unreadable") for i in range(3)] + \
            [Article.build(f"Story {i} said someone.", origin=f"s{i}") for i in range(6)]

    def interrupt(article, error):
        if article is not None and article.origin == "s4":
            raise KeyboardInterrupt      # as a kill would stop the run

    with Store(db) as st, pytest.raises(KeyboardInterrupt):
        run_audit(items, st, commit_every=2, on_article=interrupt)
    assert _errors(db) == [(f"bad{i}", "unreadable") for i in range(3)]
    with Store(db, readonly=True) as st:
        assert st.count_articles() >= 3


def test_errors_and_articles_share_one_transaction(tmp_path, fake_analysis, monkeypatch):
    calls = []
    real = Store.save

    def save(self, pairs, **kw):
        pairs = list(pairs)
        calls.append(([a.origin for a, _ in pairs], [o for o, _ in kw.get("errors", ())]))
        return real(self, pairs, **kw)

    monkeypatch.setattr(Store, "save", save)
    items = [IngestError("bad", "unreadable"), Article.build("One said so.", origin="one"),
             Article.build("Two said so.", origin="two")]
    with Store(tmp_path / "t.db") as st:
        run_audit(items, st, commit_every=10)
    assert calls == [(["one", "two"], ["bad"])]


def test_an_input_audited_later_has_no_error_left(tmp_path, fake_analysis):
    db, p = tmp_path / "fix.db", tmp_path / "story.jsonl"
    p.write_text("{broken\n")
    with Store(db) as st:
        run_audit([str(p)], st)
    assert _errors(db) == [(f"{p}:1", "not valid JSON (Expecting property name enclosed in double quotes)")]
    p.write_text(json.dumps({"text": "Officials said it is fixed."}) + "\n")
    with Store(db) as st:
        run_audit([str(p)], st)
    assert _errors(db) == []


def test_old_errors_table_is_deduplicated_and_keyed(tmp_path):
    db = tmp_path / "old.db"
    Store(db).close()
    con = sqlite3.connect(db)
    con.executescript("DROP TABLE errors; CREATE TABLE errors (origin TEXT, reason TEXT, at TEXT); "
                      "DELETE FROM meta WHERE key = 'errors_keyed';")
    con.executemany("INSERT INTO errors VALUES (?, ?, ?)", [("a", "r", "2026-01-01"), ("a", "r", "2026-02-01"),
                                                            ("a", "other", "2026-01-01"), ("b", "r", "2026-01-01")])
    con.commit()
    con.close()
    with Store(db) as st:
        st.record_errors([("a", "r"), ("c", "r")])
        got = st.errors()
    assert sorted(zip(got["origin"], got["reason"])) == [("a", "other"), ("a", "r"), ("b", "r"), ("c", "r")]


def test_identical_texts_keep_every_input_id_and_origin(tmp_path, fake_analysis):
    db, p = tmp_path / "a.db", _corpus(tmp_path)
    stdin = json.dumps({"id": "s1", "title": "Wire", "outlet": "AP", "text": "Officials said it rained."}) + "\n"
    with Store(db) as st:
        run_audit([str(p)], st)
    runner = CliRunner()
    res = runner.invoke(main, ["run", "-", "--db", str(db), "--quiet"], input=stdin)
    assert res.exit_code == 0, res.output
    for _ in range(2):  # a rerun adds no alias
        with Store(db) as st:
            run_audit([str(p)], st)
    with Store(db, readonly=True) as st:
        assert st.count_articles() == 2
        aid = st.resolve("a1")
        assert {st.resolve(r) for r in ("b7", "s1", f"{p}:3", f"{p}:1", "<stdin>:1")} == {aid}
        aliases = st.aliases(ArticleFilter(article_ids=(aid,)))
        assert sorted(zip(aliases["external_id"], aliases["origin"])) == [
            ("a1", f"{p}:1"), ("b7", f"{p}:3"), ("s1", "<stdin>:1")]
    for ref in ("b7", "s1"):
        res = runner.invoke(main, ["show", ref, "--db", str(db), "--json"])
        assert res.exit_code == 0, res.output
        rec = json.loads(res.output)
        assert rec["id"] == "a1" and {a["id"] for a in rec["aliases"]} == {"b7", "s1"}
    out = tmp_path / "out"
    res = runner.invoke(main, ["export", "--out", str(out), "--db", str(db), "--format", "jsonl", "--search", "b7"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    assert [r["id"] for r in recs] == ["a1"] and {a["id"] for a in recs[0]["aliases"]} == {"b7", "s1"}


def test_readonly_store_made_before_aliases_still_resolves_and_searches(tmp_path):
    db = tmp_path / "pre.db"
    art = Article.build(BODY, title="T", external_id="e1", origin="f.txt")
    with Store(db) as st:
        st.save([(art, _result(art))])
    con = sqlite3.connect(db)
    con.execute("DROP TABLE aliases")
    con.commit()
    con.close()
    with Store(db, readonly=True) as st:
        assert st.resolve("e1") == st.resolve("f.txt") == art.id
        assert st.count_articles(ArticleFilter(search="e1")) == 1
        assert st.article(art.id)["aliases"].empty
