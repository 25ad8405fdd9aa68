"""Daily use in a real headless Chromium, at desktop (1280 px) and phone (390 px) widths:
no page or table wider than its room, no missing-glyph characters, chart axes in words,
and every table's JSON and CSV variants holding exactly the rows the page shows.

Needs Debian's /usr/bin/chromium and Python playwright (skips with a message otherwise).
The seed articles are audited once into a temporary store, served by waitress in a thread.
"""
from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest

from audit.store import Store
from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (1280, 390)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from waitress.server import create_server

    from audit.pipeline import run_audit
    from webui import create_app

    db = tmp_path_factory.mktemp("daily") / "daily.db"
    with Store(db) as st:
        report = run_audit([str(ROOT / "seeds")], st)
        st.record_errors([(str(ROOT / "seeds" / "broken.txt"), "the file is empty"),
                          ("https://example.org/paywalled", "HTTP 403 Forbidden")])
        article = st.resolve("000_8cc791c9f874ef62")
        actor = st.article(article)["actors"].sort_values("mentions").iloc[-1]["actor_key"]
    assert report.audited
    srv = create_server(create_app({"DATABASE": str(db)}), host="127.0.0.1", port=free_port(), threads=4)
    threading.Thread(target=srv.run, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{srv.effective_port}", "article": article, "actor": actor, "db": str(db)}
    srv.close()


def _page(browser, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    p = ctx.new_page()
    p.errors = []
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    return ctx, p


def _charts_rendered(p, timeout_ms: int = 30000) -> None:
    js = "[document.querySelectorAll('.chart').length, document.querySelectorAll('.chart[data-rendered]').length]"
    for _ in range(timeout_ms // 250):
        total, done = p.evaluate(js)
        if done == total:
            return
        p.wait_for_timeout(250)
    raise AssertionError(f"charts not rendered: {p.evaluate(js)}")


PAGES = ["/", "/articles", "/articles/{article}", "/actors", "/actors/{actor}", "/errors", "/?outlet=No+Such+Outlet"]

OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const tables = Array.from(document.querySelectorAll('table.data')).map(t => {
    const room = t.parentElement.clientWidth;
    return {id: t.id, width: t.scrollWidth, room: room};
  }).filter(t => t.width > t.room + 1);
  return {page: doc.scrollWidth - doc.clientWidth, tables: tables};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_and_no_missing_glyphs(browser, site, path, width):
    ctx, p = _page(browser, width)
    p.goto(site["url"] + path.format(**site))
    p.wait_for_load_state("networkidle")
    _charts_rendered(p)
    over = p.evaluate(OVERFLOW_JS)
    assert over["page"] <= 0 and over["tables"] == [], over
    text = p.inner_text("body")
    assert "⌖" not in text and "\ufffd" not in text
    assert p.errors == [], p.errors
    ctx.close()


def test_actor_links_use_an_inline_icon_not_a_glyph(browser, site):
    ctx, p = _page(browser, 1280)
    p.goto(site["url"] + f"/articles/{site['article']}")
    icons = p.locator("#table-actors a.find-icon svg")
    assert icons.count() == p.locator("#table-actors tbody tr").count() > 0
    assert p.locator("#table-actors a.find-icon").first.get_attribute("aria-label").startswith("show ")
    ctx.close()


AXIS_TEXT_JS = """(sel) => Array.from(document.querySelectorAll(sel + ' .xtick text, ' + sel + ' .ytick text, '
  + sel + ' .g-xtitle text, ' + sel + ' .g-ytitle text, ' + sel + ' .gtitle, ' + sel + ' .annotation-text'))
  .map(e => e.textContent)"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path, charts", [
    ("/", ["#chart-outlets", "#chart-scatter", "#chart-trend"]),
    ("/articles/{article}", ["#chart-sentiment", "#chart-kinds"]),
    ("/actors/{actor}", ["#chart-actor"]),
])
def test_chart_labels_are_words(browser, site, path, charts, width):
    ctx, p = _page(browser, width)
    p.goto(site["url"] + path.format(**site))
    _charts_rendered(p)
    for sel in charts:
        texts = p.evaluate(AXIS_TEXT_JS, sel)
        assert texts, sel
        assert not [t for t in texts if "_" in t], (sel, texts)
        assert not [t for t in texts if t.startswith("-0.00") or " 1 mentions" in f" {t}"], (sel, texts)
        cut = p.evaluate("(sel) => { const c = document.querySelector(sel).getBoundingClientRect();"
                         " return Array.from(document.querySelectorAll(sel + ' .gtitle')).filter(t => {"
                         " const b = t.getBoundingClientRect(); return b.left < c.left - 1 || b.right > c.right + 1; })"
                         ".map(t => t.textContent); }", sel)
        assert cut == [], (sel, cut)                        # chart titles are not cut at the edge
        if sel in ("#chart-outlets", "#chart-kinds"):       # names on level axes, never rotated
            rotated = p.evaluate("(sel) => Array.from(document.querySelectorAll(sel + ' .xtick text, ' + sel + "
                                 "' .ytick text')).filter(e => (e.getAttribute('transform') || '').includes('rotate'))"
                                 ".length", sel)
            assert rotated == 0, sel
    hover = " ".join(p.locator(".chart .bartext, .chart .textpoint").all_text_contents())
    assert "1 mentions" not in hover
    ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_outlet_names_do_not_collide_with_chart_titles(browser, site, width):
    ctx, p = _page(browser, width)
    p.goto(site["url"] + "/")
    _charts_rendered(p)
    boxes = p.evaluate("""() => {
      const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
      const el = document.querySelector('#chart-outlets');
      return {ticks: Array.from(el.querySelectorAll('.xtick text, .ytick text')).map(r),
              titles: Array.from(el.querySelectorAll('.annotation-text')).map(r),
              rotated: Array.from(el.querySelectorAll('.xtick text, .ytick text'))
                         .filter(e => (e.getAttribute('transform') || '').includes('rotate')).length};
    }""")
    assert boxes["rotated"] == 0
    hits = [(t, a) for t in boxes["ticks"] for a in boxes["titles"]
            if t[0] < a[2] and a[0] < t[2] and t[1] < a[3] and a[1] < t[3]]
    assert hits == [], hits
    dots = p.evaluate("() => Array.from(document.querySelectorAll('#chart-scatter .point'))"
                      ".map(e => e.getBoundingClientRect().width)")
    assert dots and min(dots) >= 10, dots
    ctx.close()


# --- the tables as data --------------------------------------------------------------------

# page, table element id, ?table= name (pages with several tables), column compared, JSON key
TABLES = [
    ("/", "table-outlets", None, 0, "outlet"),
    ("/articles", "table-articles", None, 2, "title"),
    ("/articles?outlet=CRBC+News", "table-articles", None, 2, "title"),
    ("/articles?sort=words&dir=asc", "table-articles", None, 3, "words"),
    ("/actors", "table-actors", None, 0, "name"),
    ("/actors/{actor}", "table-articles", None, 2, "title"),
    ("/errors", "table-errors", None, 0, "origin"),
    ("/articles/{article}", "table-sources", "sources", 4, "cue_text"),
    ("/articles/{article}", "table-claims", "claims", 1, "text"),
    ("/articles/{article}", "table-hedges", "hedges", 1, "text"),
    ("/articles/{article}", "table-actors", "actors", 0, "name"),
]


@pytest.mark.parametrize("path, table_id, name, col, key", TABLES)
def test_json_and_csv_variants_hold_the_rows_shown(browser, site, path, table_id, name, col, key):
    ctx, p = _page(browser, 1280)
    p.goto(site["url"] + path.format(**site))
    cells = p.evaluate("([id, col]) => Array.from(document.querySelectorAll('#' + id + ' tbody tr'))"
                       ".map(tr => (tr.children[col].querySelector('a') || tr.children[col]).innerText.trim())",
                       [table_id, col])
    assert cells, f"{path}: no rows in #{table_id}"
    # the page's own links to its data
    links = p.locator(f"#{table_id} ~ .data-links, .table-wrap:has(#{table_id}) + .data-links").first
    json_url, csv_url = (links.locator(f"a.data-{f}").get_attribute("href") for f in ("json", "csv"))
    assert "format=json" in json_url and "format=csv" in csv_url
    if name:
        assert f"table={name}" in json_url
    data = p.request.get(site["url"] + json_url).json()
    rows = data["rows"]
    assert len(rows) == len(cells)
    assert cells == [" ".join(str(r[key]).split()) for r in rows]
    body = p.request.get(site["url"] + csv_url).text()
    parsed = list(csv.DictReader(io.StringIO(body)))
    assert [r[key] for r in parsed] == [str(r[key]) for r in rows]
    assert list(parsed[0]) == data["columns"]
    # the .json suffix is the same as ?format=json
    suffixed = path.format(**site).split("?")
    url = (suffixed[0].rstrip("/") or "/overview") + ".json" + ("?" + suffixed[1] if len(suffixed) > 1 else "")
    if name:
        url += ("&" if "?" in url else "?") + f"table={name}"
    assert p.request.get(site["url"] + url).json()["rows"] == rows
    ctx.close()


def test_errors_page_lists_each_failed_input_from_the_overview(browser, site):
    ctx, p = _page(browser, 390)
    p.goto(site["url"] + "/")
    p.click("#errors-link")
    p.wait_for_selector("#table-errors")
    text = p.inner_text("#table-errors")
    assert "broken.txt" in text and "the file is empty" in text and "HTTP 403 Forbidden" in text
    assert p.errors == [], p.errors
    ctx.close()


@pytest.mark.parametrize("query, says", [
    ("/?outlet=No+Such+Outlet", "no outlet is called 'No Such Outlet'"),
    ("/articles?from=2030-01-01", "no article was published from 2030-01-01"),
    ("/actors?name=zzzz", "No actor's name contains 'zzzz'"),
])
def test_an_empty_selection_says_why(browser, site, query, says):
    ctx, p = _page(browser, 1280)
    p.goto(site["url"] + query)
    assert says in p.inner_text("#why-empty")
    assert "No articles yet" not in p.inner_text("main")
    ctx.close()


def test_html_report_links_charts_and_table_to_article_sections_offline(browser, site, tmp_path):
    import reports

    with Store(site["db"], readonly=True) as st:
        report = reports.export("html", st, tmp_path)[0]
    ctx = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    p = ctx.new_page()
    errors = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(report.as_uri())
    p.wait_for_selector("#chart-scatter .point", timeout=20000)
    assert p.locator("section.article").count() == 4
    # a dot of the scatter jumps to its article's section
    p.locator("#chart-scatter").scroll_into_view_if_needed()
    box = p.locator("#chart-scatter .point").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    p.mouse.move(x - 3, y)
    p.mouse.move(x, y, steps=3)
    p.wait_for_timeout(300)
    p.mouse.click(x, y)
    p.wait_for_timeout(300)
    assert p.evaluate("location.hash").startswith("#a-")
    assert p.evaluate("document.querySelector(location.hash).tagName") == "SECTION"
    # a title in the table does too
    p.click("#articles tbody tr >> nth=0 >> a")
    target = p.evaluate("location.hash")
    # sources, claims, hedges, actors (with the sentences behind each portrayal), loaded language
    assert p.locator(f"section{target} h4").count() == 5
    assert errors == [], errors
    ctx.close()
    # on a phone the report scrolls down, not sideways: wide tables scroll inside their box
    ctx = browser.new_context(offline=True, viewport={"width": 390, "height": 800})
    p = ctx.new_page()
    p.goto(report.as_uri())
    p.wait_for_load_state("load")
    assert p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    ctx.close()
