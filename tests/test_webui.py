"""The dashboard through Flask's test client: every route, bad input and the safety rules."""
from __future__ import annotations

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from audit.findings import (Actor, ActorSentiment, Attribution, AuditResult, Claim, Hedge, LoadedSentence,
                            LoadedWord, Mention, Note, Readability, SentimentEvidence)
from audit.ingest.article import Article
from audit.store import ArticleFilter, Store
from reports import charts
from webui import create_app
from webui.highlight import Mark, render

XSS = "<script>alert(1)</script>"

TEXT = ('Officials said the plan "will probably fail" next week. The minister, Jane Roe, denied it.\n\n'
        "Critics argue the figures could be wrong.")


def _span(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    i = text.index(piece, after)
    return (i, i + len(piece))


def _result(article: Article) -> AuditResult:
    t = article.text
    src, cue, con = _span(t, "Officials"), _span(t, "said"), _span(t, '"will probably fail"')
    roe = _span(t, "Jane Roe")
    return AuditResult(
        article_id=article.id,
        attributions=(Attribution(content=(con,), source=src, cue=cue, source_type="unspecified_group", form="direct",
                                  direct=True, source_text="Officials", cue_text="said",
                                  content_text=t[con[0]:con[1]], source_name="officials"),),
        hedges=(Hedge(span=_span(t, "probably"), text="probably", kind="epistemic"),
                Hedge(span=_span(t, "could"), text="could", kind="modal")),
        claims=(Claim(span=_span(t, "Critics argue the figures could be wrong."), text="Critics argue …",
                      reason="unattributed_contested", note="contested, no named source",
                      evidence=(src,), evidence_text=("Officials",)),),
        actors=(Actor(key="person:jane-roe", name="Jane Roe", type="person", mentions=(Mention(span=roe, text="Jane Roe"),)),),
        sentiments=(ActorSentiment(actor_key="person:jane-roe", score=-0.4, label="negative", positive=0, neutral=0,
                                   negative=1, engine="lexicon",
                                   evidence=(SentimentEvidence(sentence=(0, 90), text="The minister, Jane Roe, denied it.",
                                                               score=-0.4, label="negative"),)),),
        notes=(Note(kind="borrowed_reporting", message="relies on another outlet's reporting"),),
        loaded=(LoadedSentence(sentence=_span(t, "Critics argue the figures could be wrong."), probability=0.8123,
                               loaded=True, words=(LoadedWord(span=_span(t, "Critics"), text="Critics", probability=0.7),)),
                LoadedSentence(sentence=_span(t, "The minister, Jane Roe, denied it."), probability=0.1, loaded=False)),
        readability=Readability(50.0, 9.0, 11.0, 20, 3, 6.7),
        summary={"words": 20, "sentences": 3, "attributions": 1, "attributions_per_100_words": 5.0,
                 "anonymous_source_share": 0.0, "hedges": 2, "hedges_per_100_words": 10.0, "unverified_claims": 1,
                 "actors": 1, "mean_actor_sentiment": -0.4, "flesch_kincaid_grade": 9.0},
    )


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "dash.db"
    arts = [
        Article.build(TEXT, title="Plan in doubt", outlet="Daily One", published="2026-03-01"),
        Article.build(TEXT + " More.", title="Second story", outlet="Other Times", published="2026-03-05"),
        Article.build("Body <img src=x onerror=alert(2)> text " + XSS, title=XSS, outlet=XSS + " News"),
    ]
    with Store(path) as st:
        st.save([(a, _result(a)) if a.title != XSS else (a, AuditResult(article_id=a.id)) for a in arts])
    return {"path": str(path), "ids": [a.id for a in arts]}


@pytest.fixture()
def app(db):
    return create_app({"DATABASE": db["path"], "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


def _token(client) -> str:
    page = client.get("/audit").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


# --- every page --------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("/", "Outlets compared"),
    ("/?outlet=Daily+One", "Daily One"),
    ("/articles", "Plan in doubt"),
    ("/articles?sort=words&dir=asc&page=1", "Second story"),
    ("/actors", "Jane Roe"),
    ("/actors?name=roe", "Jane Roe"),
    ("/actors/person:jane-roe", "Daily One"),
    ("/actors/person:jane-roe", "Portrayal (articles)"),    # the actor page follows portrayal across outlets
    ("/audit", 'name="csrf_token"'),
    ("/export", "attributions.csv"),
])
def test_pages_render(client, url, expected):
    r = client.get(url)
    assert r.status_code == 200
    assert expected in r.get_data(as_text=True)


def test_article_page_layers_and_links(client, db):
    page = client.get(f"/articles/{db['ids'][0]}").get_data(as_text=True)
    for cls in ("a-src k-unspecified_group", "a-cue", "a-con", "l-hedge h-epistemic", "l-claim", "l-actor"):
        assert cls in page, cls
    # the claim's reason is in the hover text, and each highlight points at its finding row
    assert "unverified claim (unattributed contested): contested, no named source" in page
    assert 'id="f-att-0"' in page and 'data-f="att-0"' in page and 'id="f-claim-0"' in page
    # sentiment evidence is in the page for the chart's click-through, and notes are shown
    assert 'data-actor="person:jane-roe"' in page and "The minister, Jane Roe, denied it." in page
    assert "portrayed negative" in page  # the portrayal label beside the sentences that weighed most
    assert "borrowed reporting" in page
    # a claim's evidence is shown as text, not as a JSON list (issue 21)
    assert "<li>“Officials”</li>" in page and '[&#34;Officials&#34;]' not in page and "““" not in page
    for layer in ("att", "hedge", "claim", "actor"):
        assert f'data-layer="{layer}"' in page


def test_article_by_id_prefix(client, db):
    assert client.get(f"/articles/{db['ids'][0][:8]}").status_code == 200


@pytest.mark.parametrize("url, status, message", [
    ("/articles/0000000000000000", 404, "There is no article"),
    ("/actors/person:nobody", 404, "No actor"),
    ("/no/such/page", 404, "no such page"),
    ("/articles?from=yesterday", 400, "from &#39;yesterday&#39; is not a date: give it as YYYY-MM-DD"),
    ("/articles?to=2026-13", 400, "to &#39;2026-13&#39; is not a date"),
    ("/?from=2026-13-01", 400, "from &#39;2026-13-01&#39; is not a date"),
    ("/actors?to=2026-02-30", 400, "to &#39;2026-02-30&#39; is not a date"),
    ("/articles?from=2026-05-01&to=2026-04-01", 400, "from 2026-05-01 is after to 2026-04-01: swap them"),
    ("/articles?sort=article_id;DROP", 400, "Cannot sort"),
    ("/articles?page=abc", 400, "must be a whole number"),
    ("/articles?format=xml", 400, "format &#39;xml&#39; is not offered: use format=json or format=csv"),
    ("/export/csv/secrets.csv", 404, "No report table"),
    ("/export/pdf", 404, "No report format"),
])
def test_bad_input_friendly_errors(client, url, status, message):
    r = client.get(url)
    assert r.status_code == status
    body = r.get_data(as_text=True)
    assert message in body and 'class="error"' in body and "Traceback" not in body


def test_page_number_beyond_the_end_is_clamped(client):
    r = client.get("/articles?page=999")
    assert r.status_code == 200 and "page 1 of 1" in r.get_data(as_text=True)


@pytest.mark.parametrize("query, present, absent", [
    ("outlet=Daily+One", "Plan in doubt", "Second story"),
    ("from=2026-03-02", "Second story", "Plan in doubt"),
    ("to=2026-03-02", "Plan in doubt", "Second story"),
    ("q=second", "Second story", "Plan in doubt"),
])
def test_articles_filters(client, query, present, absent):
    page = client.get(f"/articles?{query}").get_data(as_text=True)
    assert present in page and absent not in page


def test_missing_database_is_a_friendly_error(tmp_path):
    c = create_app({"DATABASE": str(tmp_path / "none.db")}).test_client()
    r = c.get("/")
    assert r.status_code == 503 and "no such database" in r.get_data(as_text=True)


def test_empty_store_overview(tmp_path):
    Store(tmp_path / "empty.db").close()
    r = create_app({"DATABASE": str(tmp_path / "empty.db")}).test_client().get("/")
    assert r.status_code == 200 and "The store has no articles yet" in r.get_data(as_text=True)


# --- escaping and headers -----------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/articles", "/articles/{xss}", "/export", "/actors"])
def test_untrusted_text_is_escaped(client, db, url):
    body = client.get(url.format(xss=db["ids"][2])).get_data(as_text=True)
    assert XSS not in body and "<img src=x" not in body
    if url != "/actors":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_no_debug_by_default(app):
    assert not app.debug


# --- exports ------------------------------------------------------------------------------

def test_csv_download_is_the_report_csv_for_the_filter(client, db):
    from reports.csv_export import table_csv

    r = client.get("/export/csv/articles.csv?outlet=Daily+One")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    with Store(db["path"], readonly=True) as st:
        assert r.get_data(as_text=True) == table_csv(st, "articles", ArticleFilter(outlets=("Daily One",)))
    assert "Second story" not in r.get_data(as_text=True)


def test_csv_format_download_is_a_zip_of_every_table(client):
    import zipfile

    from reports.csv_export import CSV_TABLES

    r = client.get("/export/csv")
    names = zipfile.ZipFile(io.BytesIO(r.data)).namelist()
    assert sorted(names) == sorted(f"{t}.csv" for t in CSV_TABLES)


def test_html_report_is_self_contained_and_escaped(client):
    r = client.get("/export/html")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and html.startswith("<!doctype html>")
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<(link|img)[^>]+(href|src)=\"?https?:", html)
    assert "Plotly.newPlot" in html and XSS not in html


def test_html_export_function_writes_report_and_csvs(db, tmp_path):
    import reports

    with Store(db["path"], readonly=True) as st:
        paths = reports.export("html", st, tmp_path / "out", ArticleFilter(outlets=("Other Times",)))
    names = [p.name for p in paths]
    assert names[0] == "report.html" and "articles.csv" in names
    html = paths[0].read_text()
    assert "Second story" in html and "Plan in doubt" not in html


def test_html_report_has_a_section_per_article(db, tmp_path):
    import reports

    with Store(db["path"], readonly=True) as st:
        html = reports.export("html", st, tmp_path / "out", ArticleFilter())[0].read_text(encoding="utf-8")
    one, two, hostile = db["ids"]
    for aid in (one, two, hostile):
        assert f'<section class="article" id="a-{aid}">' in html and f'href="#a-{aid}"' in html
    section = html[html.index(f'id="a-{one}"'):html.index("</section>", html.index(f'id="a-{one}"'))]
    assert "unspecified group" in section and "direct quote" in section            # the source, its kind and form
    assert "unattributed contested" in section and "contested, no named source" in section   # the claim's reason
    assert "“probably”" in section and "(epistemic)" in section                      # hedges
    assert "Jane Roe" in section and "negative (-0.40)" in section                  # the actor's portrayal
    assert "The minister, Jane Roe, denied it." in section                         # ... and the sentence behind it
    assert "Critics argue the figures could be wrong." in section and "Critics" in section   # the loaded sentence
    assert "1 loaded sentence" in section and "own voice" in section
    assert "The minister, Jane Roe, denied it.</td>" not in section  # not loaded: not listed as loaded
    assert "1 Mar 2026" in section and "2026-03-01T" not in html                     # readable dates
    assert "click a dot for the article&#39;s findings" in html or "click a dot for the article's findings" in html
    assert "(click to open)" not in html and XSS not in html


# --- every table is also data -------------------------------------------------------------

def _html_rows(html: str, table_id: str) -> int:
    m = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    return len(re.findall(r"<tr[ >]", m.group(1))) if m else 0


@pytest.mark.parametrize("page, table_id, table", [
    ("/", "table-outlets", None),
    ("/articles", "table-articles", None),
    ("/articles?outlet=Daily+One", "table-articles", None),
    ("/articles?sort=words&dir=asc&from=2026-03-02", "table-articles", None),
    ("/actors", "table-actors", None),
    ("/actors/person:jane-roe", "table-articles", None),
    ("/actors/person:jane-roe?outlet=Other+Times", "table-articles", None),
    ("/articles/{id}", "table-sources", "sources"),
    ("/articles/{id}", "table-claims", "claims"),
    ("/articles/{id}", "table-hedges", "hedges"),
    ("/articles/{id}", "table-actors", "actors"),
    ("/articles/{id}", "loaded-table", "loaded_language"),
])
def test_json_and_csv_variants_hold_the_rows_shown(client, db, page, table_id, table):
    import csv

    page = page.format(id=db["ids"][0])
    sep = "&" if "?" in page else "?"
    extra = f"&table={table}" if table else ""
    html = client.get(page).get_data(as_text=True)
    shown = _html_rows(html, table_id)
    assert shown > 0
    data = client.get(page + sep + "format=json" + extra).get_json()
    assert len(data["rows"]) == shown and list(data["rows"][0]) == data["columns"]
    body = client.get(page + sep + "format=csv" + extra).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == shown and list(rows[0]) == data["columns"]
    path, _, query = page.partition("?")
    suffixed = (path.rstrip("/") or "/overview") + ".json" + ("?" + query if query else "")
    if table:
        suffixed += ("&" if "?" in suffixed else "?") + f"table={table}"
    assert client.get(suffixed).get_json()["rows"] == data["rows"]


def test_data_variants_of_an_empty_page_say_why(client):
    data = client.get("/articles.json?outlet=Nope").get_json()
    assert data["rows"] == [] and "no outlet is called 'Nope'" in data["why_empty"]
    r = client.get("/articles.json?from=2026-13-01")
    assert r.status_code == 400 and "2026-13-01" in r.get_json()["error"]
    r = client.get("/articles/" + "x" * 16 + ".json")
    assert r.status_code == 404 and "error" in r.get_json()


def test_article_data_needs_a_table_for_csv(client, db):
    r = client.get(f"/articles/{db['ids'][0]}.csv")
    assert r.status_code == 400 and "table=sources" in r.get_json()["error"]
    data = client.get(f"/articles/{db['ids'][0]}.json").get_json()
    assert set(data["tables"]) == {"sources", "claims", "hedges", "actors", "loaded_language"} and data["article"]["title"] == "Plan in doubt"
    assert data["tables"]["claims"]["rows"][0]["evidence"] == ["Officials"]  # the source that disputes it (issue 21)
    loaded = data["tables"]["loaded_language"]
    assert loaded["columns"] == ["n", "text", "probability", "loaded", "words", "voice"] and loaded["rows"]
    for r in loaded["rows"]:  # each sentence's own text, numbered from 1 as on the page
        assert r["text"] and r["text"] in client.get(f"/articles/{db['ids'][0]}").get_data(as_text=True)
        assert r["n"] >= 1 and r["voice"] in ("own voice", "quoted") and isinstance(r["loaded"], bool)


def test_errors_page_lists_failed_inputs(db):
    with Store(db["path"]) as st:
        st.record_errors([("inbox/empty.txt", "the file is empty"), ("https://example.org/x", "HTTP 404")])
    client = create_app({"DATABASE": db["path"]}).test_client()
    overview = client.get("/").get_data(as_text=True)
    assert "2 inputs could not be audited" in overview and 'href="/errors"' in overview
    html = client.get("/errors").get_data(as_text=True)
    assert "inbox/empty.txt" in html and "the file is empty" in html and _html_rows(html, "table-errors") == 2
    rows = client.get("/errors.json").get_json()["rows"]       # recorded in one call: same time, any order
    assert sorted(r["origin"] for r in rows) == ["https://example.org/x", "inbox/empty.txt"]


def test_export_page_says_why_a_selection_is_empty(client):
    html = client.get("/export?outlet=Nope").get_data(as_text=True)
    assert 'id="why-empty"' in html and "no outlet is called &#39;Nope&#39;" in html
    assert 'id="why-empty"' not in client.get("/export").get_data(as_text=True)


def test_no_errors_page_says_so(client):
    assert "none failed" in client.get("/errors").get_data(as_text=True)


# --- the Audit page ------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    {"text": "x"},                                   # no token at all
    {"text": "x", "csrf_token": "forged"},           # wrong token
])
def test_post_without_valid_csrf_token_is_rejected(client, data):
    client.get("/audit")
    r = client.post("/audit", data=data)
    assert r.status_code == 400 and "security token" in r.get_data(as_text=True)


def test_upload_cap_413(db):
    app = create_app({"DATABASE": db["path"], "MAX_CONTENT_LENGTH": 2048})
    c = app.test_client()
    tok = _token(c)
    r = c.post("/audit", data={"csrf_token": tok, "file": (io.BytesIO(b"a" * 10_000), "big.txt")},
               content_type="multipart/form-data")
    assert r.status_code == 413
    assert "too large" in r.get_data(as_text=True) and "2 KB" in r.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({}, "exactly one"),
    ({"text": "Some text.", "url": "https://example.org/"}, "exactly one"),
    ({"url": "http://127.0.0.1:9/story"}, "loopback"),
    ({"url": "http://localhost/story"}, "loopback"),
    ({"url": "http://10.1.2.3/story"}, "private"),
    ({"url": "http://169.254.169.254/latest/meta-data"}, "link-local"),
    ({"url": "http://[::1]/"}, "loopback"),
    ({"url": "file:///etc/passwd"}, "scheme"),
    ({"text": "Short", "published": "last week"}, "date"),
])
def test_audit_refuses_bad_input(client, data, message):
    r = client.post("/audit", data={**data, "csrf_token": _token(client)})
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)


def test_upload_of_unsupported_type_is_refused(client):
    r = client.post("/audit", data={"csrf_token": _token(client), "file": (io.BytesIO(b"MZ"), "tool.exe")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "Unsupported file type" in r.get_data(as_text=True)


STORY = ("Harbour Gazette\n\nCity approves new bridge after long debate\n\n"
         "The city council approved a new bridge on Tuesday, the mayor said in a statement, after months of debate "
         "over its cost and its route across the river.\n\n"
         "Critics said the project could cost far more than planned, according to a report by the city auditor.\n")


@pytest.mark.parametrize("how", ["text", "upload"])
def test_audit_stores_and_opens_the_article(client, db, how):
    tok = _token(client)
    if how == "text":
        r = client.post("/audit", data={"csrf_token": tok, "text": STORY})
    else:
        r = client.post("/audit", data={"csrf_token": tok, "file": (io.BytesIO(STORY.encode()), "bridge.txt")},
                        content_type="multipart/form-data")
    assert r.status_code == 302 and "/articles/" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "City approves new bridge" in page and "the mayor" in page
    with Store(db["path"], readonly=True) as st:
        assert st.count_articles() == 4


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        body = ("<html><head><title>Bridge</title></head><body><article><h1>City approves new bridge</h1>"
                + "".join(f"<p>{p}</p>" for p in STORY.split("\n\n")[2:]) + "</article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def local_site():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/bridge.html"
    srv.shutdown()
    srv.server_close()


def test_url_audit_of_a_loopback_site(db, local_site):
    refused = create_app({"DATABASE": db["path"]}).test_client()
    r = refused.post("/audit", data={"csrf_token": _token(refused), "url": local_site})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "loopback" in body
    assert "--allow-private-urls" in body and "allow_private=True" not in body      # the setting a user has
    allowed = create_app({"DATABASE": db["path"], "ALLOW_PRIVATE_URLS": True}).test_client()
    r = allowed.post("/audit", data={"csrf_token": _token(allowed), "url": local_site})
    assert r.status_code == 302, r.get_data(as_text=True)[-800:]
    assert "City approves new bridge" in allowed.get(r.headers["Location"]).get_data(as_text=True)


# --- the highlighter and charts -------------------------------------------------------------

@pytest.mark.parametrize("text, marks, expected", [
    ("plain <b>text</b>", [], "plain &lt;b&gt;text&lt;/b&gt;"),
    ("abc", [Mark(5, 9, "x", "f-1", "out of range")], "abc"),
    ("abcdef", [Mark(1, 3, "l-hedge", "hedge-0", "t")],
     'a<span class="seg l-hedge" data-f="hedge-0" title="t">bc</span>def'),
    ("abcdef", [Mark(0, 4, "l-claim", "claim-0", "c"), Mark(2, 6, "l-hedge", "hedge-0", "h")],
     '<span class="seg l-claim" data-f="claim-0" title="c">ab</span>'
     '<span class="seg l-claim l-hedge" data-f="claim-0 hedge-0" title="c | h">cd</span>'
     '<span class="seg l-hedge" data-f="hedge-0" title="h">ef</span>'),
    ("a<b", [Mark(0, 3, "l-actor", "actor-0", 'say "<hi>"')],
     '<span class="seg l-actor" data-f="actor-0" title="say &#34;&lt;hi&gt;&#34;">a&lt;b</span>'),
])
def test_highlight_segments(text, marks, expected):
    assert str(render(text, marks)) == expected


@pytest.mark.parametrize("value, expected", [(XSS, "&lt;script&gt;alert(1)&lt;/script&gt;"), (None, ""),
                                             ("abcdef", "abcd…")])
def test_chart_labels_are_escaped(value, expected):
    assert charts.label(value, 5 if value == "abcdef" else 0) == expected


def test_scatter_carries_article_ids_and_trend_needs_dates(db):
    with Store(db["path"], readonly=True) as st:
        pts = st.article_values(["article_id", "outlet", "title", "attributions_per_100_words",
                                 "hedges_per_100_words"])
        fig = charts.article_scatter(pts)
        ids = {i for tr in fig.data for i in tr.customdata}
        assert ids == set(db["ids"])
        assert charts.date_trend(st.date_trend(ArticleFilter(outlets=(XSS + " News",)))) is None
        assert charts.date_trend(st.date_trend()) is not None


def test_overview_follows_new_writes(client, db):
    assert "<b>3</b><span>articles</span>" in client.get("/").get_data(as_text=True)
    extra = Article.build(TEXT + " Later.", title="Late story", outlet="Daily One", published="2026-03-09")
    with Store(db["path"]) as st:
        st.save([(extra, _result(extra))])
    assert "<b>4</b><span>articles</span>" in client.get("/").get_data(as_text=True)


def test_jsonl_upload_audits_every_record_and_lists_them(client, db):
    import json

    lines = [json.dumps({"id": f"c{i}", "title": f"Corpus story {i}", "outlet": "Wire", "text": STORY.split("\n\n", 2)[2]
                         + f" Item {i}."}) for i in range(2)]
    lines.insert(1, "{not json")
    r = client.post("/audit", data={"csrf_token": _token(client),
                                    "file": (io.BytesIO("\n".join(lines).encode()), "corpus.jsonl")},
                    content_type="multipart/form-data")
    assert r.status_code == 302 and "/articles?" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Corpus story 0" in page and "Corpus story 1" in page and "Plan in doubt" not in page
    assert "Not audited" in page          # the bad line is reported, the rest carried on
    assert 'id="flash-errors"' in page and 'href="/errors"' in page   # ... and the flash links to every failure
    errors = client.get("/errors").get_data(as_text=True)   # named by the uploaded file, not a server path
    assert "upload:corpus.jsonl:2" in errors and "newsaudit-upload-" not in errors + page


@pytest.mark.parametrize("url, expected", [
    ("/export/jsonl", b'"title": "Plan in doubt"'),
    ("/static/plotly.min.js", b"plotly.js"),          # served by the app: no CDN needed
])
def test_downloads_and_static_files(client, url, expected):
    r = client.get(url)
    assert r.status_code == 200 and expected in r.data


def test_article_sources_filter_by_kind(client, db):
    url = f"/articles/{db['ids'][0]}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="f-att-0"' in page and "kind=belief" in page
    # the fixture's attribution is a statement: the belief filter hides it, the statement one keeps it
    assert 'id="f-att-0"' not in client.get(url + "?kind=belief").get_data(as_text=True)
    assert 'id="f-att-0"' in client.get(url + "?kind=statement").get_data(as_text=True)
    # an unknown kind is ignored, not an error
    r = client.get(url + "?kind=<b>")
    assert r.status_code == 200 and 'id="f-att-0"' in r.get_data(as_text=True)
