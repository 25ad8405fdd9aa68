"""End to end in a real headless Chromium: audit the seed article, read it, switch a layer,
see the charts render without console errors, download a CSV, and survive a hostile title.

Needs Debian's /usr/bin/chromium and Python playwright (skips with a message otherwise).
The dashboard is served by waitress on 127.0.0.1 on a free port, in a thread.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from audit.findings import AuditResult
from audit.ingest.article import Article
from audit.store import Store
from conftest import free_port

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "000_8cc791c9f874ef62.txt"

XSS = "<script>alert(1)</script>"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from waitress.server import create_server

    from webui import create_app

    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    hostile = Article.build("A body that mentions " + XSS + " in its text.", title=XSS, outlet="Hostile <b>Outlet</b>")
    with Store(db) as st:
        st.save([(hostile, AuditResult(article_id=hostile.id))])
    app = create_app({"DATABASE": str(db)})
    from audit.nlp import load_nlp

    load_nlp()          # load the pipeline before serving, not inside the first request
    srv = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    yield {"url": f"http://127.0.0.1:{srv.effective_port}", "hostile": hostile.id, "db": str(db)}
    srv.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    p = ctx.new_page()
    p.errors = []
    p.dialogs = []
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    yield p
    ctx.close()


def _charts_rendered(p, timeout_ms: int = 30000) -> int:
    """Wait until app.js has drawn every chart; the number of Plotly SVGs on the page.

    (Polls with page.evaluate: wait_for_function would need 'unsafe-eval', which the CSP forbids.)
    """
    js = "[document.querySelectorAll('.chart').length, document.querySelectorAll('.chart[data-rendered]').length]"
    for _ in range(timeout_ms // 250):
        total, done = p.evaluate(js)
        if total and done == total:
            break
        p.wait_for_timeout(250)
    else:
        raise AssertionError(f"charts not rendered: {p.evaluate(js)}")
    return p.locator(".chart .main-svg").count()


def _plotly_click(p, box) -> None:
    """Plotly reports a click on the point under the pointer: hover first, then click."""
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    p.mouse.move(x - 3, y)
    p.mouse.move(x, y, steps=3)
    p.wait_for_timeout(300)
    p.mouse.click(x, y)
    p.wait_for_timeout(300)


def test_audit_seed_article_then_read_it(page, server):
    page.goto(server["url"] + "/audit")
    page.fill("textarea[name=text]", SEED_ARTICLE.read_text(encoding="utf-8"))
    page.click("#audit-submit", no_wait_after=True)
    page.wait_for_selector("#article-title", timeout=180000)      # spaCy on a busy machine: be patient
    assert "/articles/" in page.url
    assert "Netanyahu" in page.inner_text("#article-title")
    body = page.locator("#article-body")
    assert "Netanyahu" in body.inner_text()
    assert _charts_rendered(page) >= 1

    # switch a layer off and on: the article body loses and regains its class, highlights change
    assert page.locator("#article-body .l-actor").count() > 0
    outline_on = page.eval_on_selector("#article-body .l-actor", "e => getComputedStyle(e).outlineStyle")
    page.uncheck("input[data-layer=actor]")
    assert "show-actor" not in body.get_attribute("class")
    outline_off = page.eval_on_selector("#article-body .l-actor", "e => getComputedStyle(e).outlineStyle")
    assert (outline_on, outline_off) == ("solid", "none")
    page.check("input[data-layer=actor]")
    assert "show-actor" in body.get_attribute("class")

    # a highlight is linked to its finding row
    page.click("#article-body .l-actor >> nth=0")
    assert page.locator("tr.hit").count() >= 1

    # clicking the widest bar of the sentiment chart shows that actor's sentences (or says there are none)
    page.locator("#chart-sentiment").scroll_into_view_if_needed()
    page.wait_for_timeout(500)          # the smooth scroll of the previous click has to settle
    boxes = [b for b in (el.bounding_box() for el in page.locator("#chart-sentiment .point path").all()) if b]
    box = max(boxes, key=lambda b: b["width"])
    _plotly_click(page, box)
    shown = page.locator("#evidence .evidence:not([hidden])").count()
    hint = page.inner_text("#evidence .evidence-hint")
    assert shown == 1 or hint == "No scored sentences for this actor.", (shown, hint)
    assert page.errors == [], page.errors


def test_overview_charts_render_and_csv_downloads(page, server, tmp_path):
    page.goto(server["url"] + "/")
    assert _charts_rendered(page) >= 2
    # a point of the scatter opens its article
    page.locator("#chart-scatter").scroll_into_view_if_needed()
    box = page.locator("#chart-scatter .point").first.bounding_box()
    _plotly_click(page, box)
    page.wait_for_selector("#article-title", timeout=15000)
    assert "/articles/" in page.url
    page.goto(server["url"] + "/export")
    with page.expect_download() as dl:
        page.click("text=articles.csv")
    path = tmp_path / "articles.csv"
    dl.value.save_as(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("article_id,") and any(server["hostile"] in ln for ln in lines[1:])
    assert page.errors == [], page.errors


@pytest.mark.parametrize("path", ["/articles/{id}", "/articles", "/"])
def test_script_title_is_shown_as_text_and_never_runs(page, server, path):
    page.goto(server["url"] + path.format(id=server["hostile"]))
    page.wait_for_load_state("networkidle")
    if path.startswith("/articles/"):
        assert page.inner_text("#article-title") == XSS
        assert XSS in page.inner_text("#article-body")
    elif path == "/articles":
        assert XSS in page.inner_text("main")
    else:
        # the outlet name is shown as text in the table and, literally, in the chart legend
        assert "Hostile <b>Outlet</b>" in page.inner_text("main")
        _charts_rendered(page)
        assert "Hostile <b>Outlet</b>" in page.locator(".legendtext").all_text_contents()
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('main script').length") == 0
    assert page.errors == [], page.errors


def test_html_report_opens_offline(browser, server, tmp_path):
    import reports
    from audit.store import ArticleFilter

    db = server["db"]
    with Store(db, readonly=True) as st:
        report = reports.export("html", st, tmp_path, ArticleFilter())[0]
    ctx = browser.new_context(offline=True)
    p = ctx.new_page()
    errors = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(report.as_uri())
    p.wait_for_selector(".plotly-graph-div .main-svg", timeout=20000)
    assert p.locator(".plotly-graph-div .main-svg").count() >= 2
    assert XSS in p.inner_text("body") and errors == [], errors
    ctx.close()


LOADED_TEXT = ("Critics said the senator's bizarre tirade against the bill was absurd and shameful.\n\n"
               "\"This radical scheme is a disastrous, shameful power grab,\" said Ann Lee, a councillor.\n\n"
               "The council met on Tuesday to discuss the budget.")


def test_loaded_language_layer_and_outlet_chart(page, server):
    """The loaded-language layer: own-voice and quoted words highlighted differently, the layer
    switches off and on, a word links to its sentence's row; the overview's per-outlet chart draws."""
    from audit.analyze import analyze_doc
    from audit.nlp import load_nlp

    art = Article.build(LOADED_TEXT, title="Loaded wording", outlet="Loaded Ledger")
    res = analyze_doc(load_nlp()(LOADED_TEXT), art)
    with Store(server["db"]) as st:
        st.save([(art, res)])
    page.goto(server["url"] + f"/articles/{art.id}")
    body = page.locator("#article-body")
    own = page.locator("#article-body .l-loaded:not(.q-quoted)")
    quoted = page.locator("#article-body .l-loaded.q-quoted")
    assert own.count() >= 1 and quoted.count() >= 1
    assert "bizarre" in own.all_text_contents()
    weight_on = page.eval_on_selector("#article-body .l-loaded:not(.q-quoted)", "e => getComputedStyle(e).fontWeight")
    quoted_border = page.eval_on_selector("#article-body .l-loaded.q-quoted", "e => getComputedStyle(e).borderBottomStyle")
    assert (weight_on, quoted_border) == ("700", "dashed")
    page.uncheck("input[data-layer=loaded]")
    assert "show-loaded" not in body.get_attribute("class")
    weight_off = page.eval_on_selector("#article-body .l-loaded:not(.q-quoted)", "e => getComputedStyle(e).fontWeight")
    assert weight_off == "400"
    page.check("input[data-layer=loaded]")
    own.first.click()
    assert page.locator("#loaded-table tr.hit").count() >= 1
    assert "own voice" in page.inner_text("#loaded-table") and "quoted" in page.inner_text("#loaded-table")

    page.goto(server["url"] + "/")
    _charts_rendered(page)
    chart = page.locator("#chart-loaded")
    assert chart.locator(".main-svg").count() >= 1
    assert chart.locator(".point").count() >= 1                      # bars drawn
    assert "Loaded Ledger" in chart.inner_text()
    assert page.errors == [], page.errors
