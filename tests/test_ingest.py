"""Ingestion: text pages, HTML, corpora, directories, stdin, URLs and feeds."""
from __future__ import annotations

import http.server
import io
import json
import os
import socket
import threading
from pathlib import Path

from conftest import gold_file

import pytest

from audit.ingest import (
    Article,
    FetchError,
    IngestError,
    UnsafeURLError,
    check_url,
    chrome_spans,
    fetch_url,
    iter_inputs,
    normalize_date,
    read_html,
    read_stdin,
    read_text_page,
)
from audit.ingest import web
from audit.ingest.corpus import iter_jsonl
from audit.ingest.textpage import caption_credit, is_caption, is_trailing_chrome, parse_byline, parse_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_ARTICLE = SEEDS / "000_8cc791c9f874ef62.txt"

# --- the seed article ----------------------------------------------------------------


def test_seed_article_structure():
    art = read_text_page(SEED_ARTICLE.read_text(encoding="utf-8"), origin=str(SEED_ARTICLE))
    assert art.outlet == "CRBC News"
    assert art.section == "Politics"
    assert art.title.startswith("Netanyahu to Press Trump") and art.title.endswith("Missile Warning")
    assert art.text.count(art.title) == 0
    assert len(art.captions) == 1 and art.captions[0].endswith("Chaim Goldberg/AFP/Getty Images")
    assert art.subheads == (
        "Key Concerns and Intelligence",
        "Diplomacy, Demands and Red Lines",
        "Recent High-Level Exchanges and Regional Context",
    )
    assert art.boilerplate == ("Help us improve.", "Related Articles", "Trending")
    # standfirst is the first body paragraph; nothing of the furniture is in the body
    assert art.text.startswith("Israeli Prime Minister Benjamin Netanyahu will press President Trump")
    for furniture in art.captions + art.subheads + art.boilerplate + ("CRBC News",):
        assert furniture not in art.text
    assert art.text.endswith("affect Israeli security planning.")
    assert "\n\n\n" not in art.text
    assert art.id == read_text_page(SEED_ARTICLE.read_text(encoding="utf-8")).id  # stable content hash


def test_demo_seeds_are_fictional_and_dated():
    paths = sorted(p for p in SEEDS.glob("*.txt") if p != SEED_ARTICLE)
    assert len(paths) >= 3
    outlets = set()
    for p in paths:
        art = read_text_page(p.read_text(encoding="utf-8"))
        outlets.add(art.outlet)
        assert art.published, p
        assert art.title and art.text
        assert 300 <= len(art.text.split()) <= 500, p
        assert any("fictional" in b and "newsaudit demo" in b for b in art.boilerplate), p
    assert len(outlets) >= 3


# --- other page layouts (fictional pages) ------------------------------------------

PAGE_BYLINE = """\
The Riverside Gazette
Local News

Council Votes to Close Two Libraries

Published March 3, 2026
By Jane Doe

Residents protest outside City Hall on Tuesday. Photo: Sam Ito/Riverside Gazette

The city council voted 7-2 on Tuesday night to close two branch libraries, a decision that members said would save about $1.2 million a year.

Councillor Maya Brandt, who voted against the plan, said the closures would hurt families who cannot afford internet access at home.

Budget pressures

Officials said the savings would be used to cover rising pension costs. The mayor's office did not respond to a request for comment.

Read more: City budget explained

Share this article
Subscribe to our newsletter.
"""

PAGE_NO_MASTHEAD = """\
Storm Knocks Out Power to Thousands Across the Valley
By Luis Ortega and Kim Park
12 April 2026

Thousands of households were without electricity on Sunday after a storm brought down power lines across the valley, the regional grid operator said.

A fallen tree blocks a road near Elmsford. (Photo: Greta Lind/AP)

Crews expected to restore most connections by Monday evening, according to a statement from the utility. Some rural areas could wait longer.

What to expect

Forecasters said more rain was likely later in the week.
"""

PAGE_WRAPPED = """\
WESTERN TRIBUNE

Mine Safety Report Finds Repeated Violations
2026-01-20

Inspectors found repeated safety violations at the Korva mine, according
to a report released on Monday, and recommended that the operator be fined.

The company said it would study the findings. Workers' representatives
said the report confirmed complaints they had made for years.

Advertisement

"We warned them," said one miner, who asked not to be named.

Related Articles

Trending
"""


PAGE_TOOLBAR = """\
The Daily Planet
World | Europe
Share
Save
Updated 2 hours ago

Floods Force Thousands From Homes in Northern Italy
5 min read
25/03/2026

Thousands of people were evacuated from their homes in northern Italy on Sunday after days of heavy rain, civil protection officials said.

The regional governor said the damage could run to hundreds of millions of euros.
"""


PAGE_META_BELOW = """\
The Courier

Council Closes Two Branch Libraries

The council voted on Tuesday to close two branch libraries, officials said.

By Jane Doe

Updated March 4, 2026

The mayor said the decision was final.
"""


@pytest.mark.parametrize(
    "page, expected",
    [
        (PAGE_META_BELOW, dict(
            outlet="The Courier", section="", title="Council Closes Two Branch Libraries", author="Jane Doe",
            published="2026-03-04", captions=(), subheads=(), boilerplate=(),
            first="The council voted", last="the decision was final.", paragraphs=2,
        )),
        (PAGE_TOOLBAR, dict(
            outlet="The Daily Planet", section="World | Europe",
            title="Floods Force Thousands From Homes in Northern Italy", author="", published="2026-03-25",
            captions=(), subheads=(), boilerplate=("Share", "Save", "Updated 2 hours ago", "5 min read"),
            first="Thousands of people were evacuated", last="hundreds of millions of euros.", paragraphs=2,
        )),
        (PAGE_BYLINE, dict(
            outlet="The Riverside Gazette", section="Local News", title="Council Votes to Close Two Libraries",
            author="Jane Doe", published="2026-03-03",
            captions=("Residents protest outside City Hall on Tuesday. Photo: Sam Ito/Riverside Gazette",),
            subheads=("Budget pressures",),
            boilerplate=("Read more: City budget explained", "Share this article", "Subscribe to our newsletter."),
            first="The city council voted 7-2", last="did not respond to a request for comment.", paragraphs=3,
        )),
        (PAGE_NO_MASTHEAD, dict(
            outlet="", section="", title="Storm Knocks Out Power to Thousands Across the Valley",
            author="Luis Ortega and Kim Park", published="2026-04-12",
            captions=("A fallen tree blocks a road near Elmsford. (Photo: Greta Lind/AP)",),
            subheads=("What to expect",), boilerplate=(),
            first="Thousands of households", last="more rain was likely later in the week.", paragraphs=3,
        )),
        (PAGE_WRAPPED, dict(
            outlet="WESTERN TRIBUNE", section="", title="Mine Safety Report Finds Repeated Violations",
            author="", published="2026-01-20", captions=(), subheads=(),
            boilerplate=("Advertisement", "Related Articles", "Trending"),
            first="Inspectors found repeated safety violations at the Korva mine, according to a report",
            last='who asked not to be named.', paragraphs=3,
        )),
    ],
    ids=["byline-below-standfirst", "toolbar-numeric-date", "byline-date-photo-credit", "no-masthead", "hard-wrapped"],
)
def test_page_layouts(page, expected):
    art = read_text_page(page)
    for key in ("outlet", "section", "title", "author", "published", "captions", "subheads", "boilerplate"):
        assert getattr(art, key) == expected[key], key
    paras = art.text.split("\n\n")
    assert len(paras) == expected["paragraphs"]
    assert paras[0].startswith(expected["first"])
    assert paras[-1].endswith(expected["last"])
    assert art.title not in art.text


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Officials meet in Geneva on Monday. - Jane Roe/AFP/Getty Images", True),
        ("A man walks past a mural in Kyiv. REUTERS/Ivan Petrov", True),
        ("Protesters gather outside parliament (AP Photo/John Smith)", True),
        ("The prime minister arrives in Rome. (Photo: Anna Bell)", True),
        ("Flood water covers a field. Credit: Tom Field", True),
        ("Supporters cheer at the rally - AFP", True),
        ("A crowd at the stadium | Getty Images", True),
        ("Photo by Jane Doe for the Courier", True),
        # story sentences that mention agencies or photos: not captions
        ("The company told Reuters that it would appeal.", False),
        ("Photo opportunities were rare during the visit, aides said.", False),
        ("She said the photo had been taken in 2019.", False),
        ("According to AP, the vote was delayed.", False),
        ("The deal covers oil and gas - for now", False),
        ("Most Americans support the plan, the AP/NORC poll found.", False),
        ("The deal - backed by the EU/IMF - was signed.", False),
        ("", False),
    ],
)
def test_is_caption(line, expected):
    assert is_caption(line) is expected


@pytest.mark.parametrize(
    "line, credit",
    [
        ("Officials meet in Geneva on Monday. - Jane Roe/AFP/Getty Images", "Jane Roe/AFP/Getty Images"),
        ("A man walks past a mural in Kyiv. REUTERS/Ivan Petrov/File Photo", "REUTERS/Ivan Petrov/File Photo"),
        ("Protesters gather outside parliament (AP Photo/John Smith)", "AP Photo/John Smith"),
        ("The council meets. (Photo: Anna Bell)", "Photo: Anna Bell"),
        ("The council met on Monday.", ""),
    ],
)
def test_caption_credit(line, credit):
    assert caption_credit(line) == credit


PAGE_QUESTION = """The Courier
Politics

Is the Coalition Finished?

By Jane Doe

The governing coalition collapsed on Tuesday after its junior partner walked out, officials said.

What next?

Analysts said an early election was likely.
"""


def test_question_headline_and_subhead():
    art = read_text_page(PAGE_QUESTION)
    assert (art.outlet, art.section, art.title, art.author) == ("The Courier", "Politics", "Is the Coalition Finished?", "Jane Doe")
    assert art.subheads == ("What next?",)
    assert art.text.split("\n\n") == [
        "The governing coalition collapsed on Tuesday after its junior partner walked out, officials said.",
        "Analysts said an early election was likely.",
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Published March 3, 2026", "2026-03-03"),
        ("March 3, 2026", "2026-03-03"),
        ("Updated 4 March 2026 14:20 GMT", "2026-03-04"),
        ("Posted: Tue, Mar. 3, 2026 10:42 a.m. ET", "2026-03-03"),
        ("2026-01-20", "2026-01-20"),
        ("2026-01-20T08:15:00Z", "2026-01-20"),
        ("Published on 1st June 2025", "2025-06-01"),
        ("25/03/2026", "2026-03-25"),
        ("Posted 03/25/2026 10:00", "2026-03-25"),
        ("03/04/2026", ""),  # day and month order ambiguous
        # not date lines
        ("May 2026 be a better year", ""),
        ("The talks resumed on March 3, 2026, in Oman.", ""),
        ("February 30, 2026", ""),
        ("Published", ""),
    ],
)
def test_parse_date(line, expected):
    assert parse_date(line) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-03-03", "2026-03-03"),
        ("2026-03-03T10:00:00Z", "2026-03-03T10:00:00Z"),
        ("March 3, 2026", "2026-03-03"),
        ("Tue, 03 Mar 2026 10:00:00 GMT", "2026-03-03"),
        (20260303, ""),
        ("2026-02-30", ""),
        ("yesterday", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_date(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "JANE DOE"),
        ("By Luis Ortega and Kim Park", "Luis Ortega and Kim Park"),
        ("Written by Amal Haddad, Staff Reporter", "Amal Haddad, Staff Reporter"),
        # sentences starting with "By"
        ("By Tuesday, the talks had collapsed.", ""),
        ("by the end of the year", ""),
        ("By the numbers: what the budget means for you and your family this year and next", ""),
    ],
)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Help us improve.", True),
        ("Related Articles", True),
        ("Trending", True),
        ("Sign up for our daily briefing.", True),
        ("© 2026 Example Media", True),
        ("Editor's note: this story has been updated.", True),
        # last story paragraphs: not chrome
        ("Police declined to comment.", False),
        ("Both sides are due to meet again on Wednesday.", False),
        ("Read the full statement, officials urged reporters on Monday, before the vote.", False),
        ("Will the deal survive?", False),
    ],
)
def test_is_trailing_chrome(line, expected):
    assert is_trailing_chrome(line) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Officials said the talks failed.\n\nRelated Articles\n\nTrending",
         ["Related Articles", "Trending"]),
        ("The minister resigned on Monday.\nA crowd outside the ministry. - Jo Li/AFP\nShe denied wrongdoing.",
         ["A crowd outside the ministry. - Jo Li/AFP"]),
        ("Prices rose.\n\nAdvertisement\n\nThe bank said inflation could ease.",
         ["Advertisement"]),
        # a correction with sentences of its own stays for the analyzers; the chrome after it goes
        ("Officials said the talks failed.\n\nCorrection: An earlier version of this article misstated the day"
         " of the vote, which the council said was held on Monday.\n\nRelated Articles",
         ["Related Articles"]),
        # nothing to skip
        ("Officials said the talks failed. The minister resigned.", []),
        ("Key Concerns\n\nOne source said the plan could fail.\n\nThe vote is on Friday.", []),
        ("Short line\nAnother short line", []),
        ("", []),
    ],
)
def test_chrome_spans(text, expected):
    assert [text[s:e] for s, e in chrome_spans(text)] == expected


PAGE_COLON_AND_QUESTIONS = """\
The Courier

Mayor Defends Transit Plan

The mayor defended the transit plan on Monday, saying it would cut commuting times.

Her deputy added:

"We have waited long enough for this."

So how did the opposition respond?

Council members said the plan was too expensive.

What comes next?

A vote is expected in April.
"""


def test_colon_lines_and_rhetorical_questions_stay_in_the_body():
    art = read_text_page(PAGE_COLON_AND_QUESTIONS)
    assert art.subheads == ("What comes next?",)
    assert art.text.split("\n\n") == [
        "The mayor defended the transit plan on Monday, saying it would cut commuting times.",
        "Her deputy added:",
        '"We have waited long enough for this."',
        "So how did the opposition respond?",
        "Council members said the plan was too expensive.",
        "A vote is expected in April.",
    ]


def test_markdown_headings(tmp_path):
    p = tmp_path / "storm.md"
    p.write_text("# Storm Hits Coast\n\nThe storm hit the coast on Monday, forecasters said.\n\n## Damage\n\n"
                 "Officials said damage was limited.\n", encoding="utf-8")
    (art,) = iter_inputs([str(p)])
    assert (art.title, art.subheads) == ("Storm Hits Coast", ("Damage",))
    assert art.text == "The storm hit the coast on Monday, forecasters said.\n\nOfficials said damage was limited."


def test_text_without_story_paragraphs_is_kept_as_is():
    art = read_text_page("Officials said the plan could fail")
    assert art.text == "Officials said the plan could fail"
    assert read_text_page("").text == ""
    assert read_text_page("\n\n  \n").text == ""


# --- HTML -----------------------------------------------------------------------

HTML_PAGE = """<!doctype html><html><head><title>Budget collapses | The Courier</title>
<meta property="og:site_name" content="The Courier"><meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-03-03T10:00:00Z">
<meta property="article:section" content="Politics"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<aside><figure><img src="t.jpg"><figcaption>Elsewhere: a teaser for another story</figcaption></figure></aside>
<article><h1>Budget collapses</h1>
<figure><img src="x.jpg"><figcaption>The finance minister speaks. Photo: Jane Roe/AP</figcaption></figure>
<p>The governing coalition's plan to pass a spending package collapsed on Tuesday after the party withdrew its support, officials said.</p>
<h2>What happens next</h2>
<p>Analysts said the collapse could push borrowing costs higher, according to a report by the central bank published on Monday.</p>
<p>Markets were calm on Wednesday morning, and the currency barely moved against the euro.</p>
<h3>Related Articles</h3><p>Sign up for our newsletter</p></article>
<footer>Copyright 2026 The Courier</footer></body></html>"""


def test_read_html_text_and_metadata():
    art = read_html(HTML_PAGE, origin="page.html")
    assert art.title == "Budget collapses"
    assert art.outlet == "The Courier"
    assert art.author == "Jane Doe"
    assert art.published == "2026-03-03"
    assert art.section == "Politics"
    assert art.captions == ("The finance minister speaks. Photo: Jane Roe/AP",)
    assert art.subheads == ("What happens next",)
    assert "Related Articles" in art.boilerplate
    paras = art.text.split("\n\n")
    assert len(paras) == 3 and paras[0].startswith("The governing coalition") and paras[2].startswith("Markets")
    assert "Home" not in art.text and "newsletter" not in art.text


STORY_HTML = ("<html><head><title>Storm</title>{meta}</head><body><article><h1>Storm</h1><p>The storm hit the coast on"
              " Monday, forecasters said, and thousands lost power.</p><p>Officials said repairs could take days,"
              " according to a statement issued on January 28, 2025.</p></article></body></html>")


@pytest.mark.parametrize(
    "meta, url, published",
    [
        ("", "", ""),  # a date mentioned in the story is not the publication date
        ("", "https://news.example/2024/05/17/storm-hits", "2024-05-17"),
        ('<meta property="article:published_time" content="2026-02-01T09:00:00Z">', "", "2026-02-01"),
    ],
)
def test_read_html_publication_date(meta, url, published):
    assert read_html(STORY_HTML.format(meta=meta), url=url).published == published


@pytest.mark.parametrize(
    "html, expected_text",
    [
        ("<html><body><p>The minister resigned on Monday, officials said.</p></body></html>",
         "The minister resigned on Monday, officials said."),
        ("<div>" * 3000 + "<p>Deep inside, the minister said the plan would go ahead.</p>" + "</div>" * 3000,
         "Deep inside, the minister said the plan would go ahead."),
        ("<html><body><script>var a = 1;</script></body></html>", ""),
        ("", ""),
        ("<<<>>>", ""),
    ],
)
def test_read_html_small_and_odd(html, expected_text):
    assert read_html(html).text == expected_text


# --- files, directories, corpora ----------------------------------------------------

GOOD = "Local Paper\n\nBridge Reopens After Repairs\n\nThe bridge reopened on Monday after six months of repairs, the city said.\n"


def _results(inputs, **kw):
    out = list(iter_inputs([str(i) for i in inputs], **kw))
    arts = [r for r in out if isinstance(r, Article)]
    errs = {r.origin: r.reason for r in out if isinstance(r, IngestError)}
    assert len(arts) + len(errs) == len(out)
    return arts, errs


def test_directory_with_bad_files(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02\x03 not text")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("Caf\u00e9 owners said prices rose.".encode("latin-1"))
    (tmp_path / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    arts, errs = _results([tmp_path])
    assert [a.origin for a in arts] == [str(tmp_path / "good.txt"), str(sub / "page.html")]
    assert arts[0].title == "Bridge Reopens After Repairs" and arts[0].outlet == "Local Paper"
    assert errs == {
        str(tmp_path / "image.png"): "binary file (not text)",
        str(tmp_path / "blob.txt"): "binary file (not text)",
        str(tmp_path / "empty.txt"): "empty file",
        str(tmp_path / "latin1.txt"): "not valid UTF-8 (byte 0xe9 at offset 3)",
    }


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("big.txt", b"The minister said so. " * 100, "too large: 2,200 bytes (limit 1,000)"),
        ("spaces.txt", b" \n\t\n ", "empty file (only whitespace)"),
        ("chrome.txt", b"Related Articles\n\nTrending\n", "no article text found"),
        ("bad.json", b"{not json", "not valid JSON (Expecting property name enclosed in double quotes)"),
    ],
)
def test_bad_single_files(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    arts, errs = _results([p], max_bytes=1000)
    assert arts == [] and errs == {str(p): reason}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_in_a_directory_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    arts, errs = _results([tmp_path])
    assert len(arts) == 1 and errs == {str(tmp_path / "pipe.jsonl"): "not a regular file"}


def test_missing_input_is_named(tmp_path):
    arts, errs = _results([tmp_path / "nope.txt"])
    assert errs == {str(tmp_path / "nope.txt"): "no such file or directory"}


def test_jsonl_text_exact_and_bad_lines(tmp_path):
    body = "Officials said the plan could fail.\n\nRelated Articles"
    lines = [
        json.dumps({"id": 17, "text": body, "title": "Plan", "outlet": "Courier", "url": "https://x.test/a",
                    "published": "2026-03-03"}),
        "{broken",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "x" * 3000}),
        "",
        json.dumps({"id": "b", "text": "  Leading spaces stay.  "}),
    ]
    p = tmp_path / "corpus.jsonl"
    p.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b'{"text": "caf\xe9"}\n')
    arts, errs = _results([p], max_bytes=2000)
    assert [a.text for a in arts] == [body, "  Leading spaces stay.  "]
    a = arts[0]
    assert (a.external_id, a.title, a.outlet, a.url, a.published, a.origin) == (
        "17", "Plan", "Courier", "https://x.test/a", "2026-03-03", f"{p}:1")
    assert [body[s:e] for s, e in a.skip_spans] == ["Related Articles"]
    assert arts[1].external_id == "b" and arts[1].skip_spans == ()
    assert set(errs) == {f"{p}:{n}" for n in (2, 3, 4, 5, 8)}
    assert errs[f"{p}:3"] == "record has no 'text' field"
    assert errs[f"{p}:4"] == "empty text"
    assert errs[f"{p}:5"].startswith("too large")
    assert errs[f"{p}:8"].startswith("not valid UTF-8")


class _CountingStream(io.BytesIO):
    """A byte stream that remembers how far it was read."""

    max_pos = 0

    def readline(self, size=-1):
        line = super().readline(size)
        self.max_pos = max(self.max_pos, self.tell())
        return line

    def read(self, size=-1):
        data = super().read(size)
        self.max_pos = max(self.max_pos, self.tell())
        return data


def test_jsonl_is_streamed_not_loaded_whole():
    line = (json.dumps({"text": "The minister said the plan was sound."}) + "\n").encode()
    stream = _CountingStream(line * 10_000)
    it = iter_jsonl(stream, "big.jsonl", max_bytes=10_000)
    first = next(it)
    assert first.text == "The minister said the plan was sound."
    assert stream.max_pos <= 2 * len(line)


def test_jsonl_overlong_line_is_skipped_and_reading_continues():
    data = b'{"text": "' + b"a" * 5000 + b'"}\n' + b'{"text": "Officials said it would rain."}\n'
    out = list(iter_jsonl(io.BytesIO(data), "c.jsonl", max_bytes=1000))
    assert isinstance(out[0], IngestError) and out[0].origin == "c.jsonl:1" and "too large" in out[0].reason
    assert isinstance(out[1], Article) and out[1].text == "Officials said it would rain."


def test_csv_and_tsv(tmp_path):
    c = tmp_path / "c.csv"
    c.write_text('id,title,outlet,text\n1,One,Courier,"Line one said.\nLine two, quoted."\n2,Two,,\n3,,,Plain row.\n',
                 encoding="utf-8")
    t = tmp_path / "c.tsv"
    t.write_text("text\tid\nTabbed text here.\tz9\n", encoding="utf-8")
    n = tmp_path / "n.csv"
    n.write_text("body,title\nx,y\n", encoding="utf-8")
    arts, errs = _results([c, t, n])
    assert [(a.text, a.external_id, a.title, a.outlet) for a in arts] == [
        ("Line one said.\nLine two, quoted.", "1", "One", "Courier"),
        ("Plain row.", "3", "", ""),
        ("Tabbed text here.", "z9", "", ""),
    ]
    assert errs == {f"{c}:4": "empty text", str(n): "CSV has no 'text' column"}


def test_stdin_page_and_jsonl(monkeypatch):
    out = list(read_stdin(io.BytesIO(GOOD.encode())))
    assert len(out) == 1 and out[0].title == "Bridge Reopens After Repairs" and out[0].origin == "<stdin>"
    data = b'{"text": "First one said."}\n{"text": "Second one said."}\nnot json\n'
    out = list(read_stdin(io.BytesIO(data)))
    assert [getattr(r, "text", None) for r in out] == ["First one said.", "Second one said.", None]
    assert out[2].origin == "<stdin>:3"
    assert [str(r) for r in read_stdin(io.BytesIO(b""))] == ["<stdin>: empty input"]

    class FakeStdin:
        buffer = io.BytesIO(GOOD.encode())

    monkeypatch.setattr("sys.stdin", FakeStdin)
    arts, errs = _results(["-"])
    assert len(arts) == 1 and not errs


# --- URLs, feeds, address checks ---------------------------------------------------

PAGES = {
    "/article.html": ("text/html; charset=utf-8", HTML_PAGE.encode()),
    "/page.txt": ("text/plain", GOOD.encode()),
    "/latin.html": ("text/html; charset=iso-8859-1",
                    "<html><body><p>Caf\u00e9 owners said prices rose sharply this winter, the survey found.</p></body></html>".encode("latin-1")),
    "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    "/big.txt": ("text/plain", b"word " * 5000),
    "/rss.xml": ("application/rss+xml", b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>
<item><title>One</title><link>/article.html</link><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate></item>
<item><title>Two</title><link>/page.txt</link></item>
<item><title>Gone</title><link>/missing.html</link></item></channel></rss>"""),
    "/atom.xml": ("application/atom+xml", b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>One</title><link rel="alternate" href="/page.txt"/></entry></feed>"""),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path.startswith("/redirect-to/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/redirect-to/"):].replace("|", "/"))
            self.end_headers()
            return
        if self.path not in PAGES:
            self.send_error(404, "Not Found")
            return
        ctype, body = PAGES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_fetch_page_and_text(server):
    f = fetch_url(server + "/article.html", allow_private=True)
    assert f.content_type == "text/html" and f.content == HTML_PAGE.encode() and f.charset == "utf-8"
    arts, errs = _results([server + "/article.html", server + "/page.txt", server + "/latin.html"], allow_private=True)
    assert not errs
    assert arts[0].title == "Budget collapses" and arts[0].url == server + "/article.html"
    assert arts[1].title == "Bridge Reopens After Repairs"
    assert arts[2].text.startswith("Caf\u00e9 owners")


def test_fetch_errors_are_named(server):
    arts, errs = _results(
        [server + "/missing.html", server + "/image.png", server + "/big.txt"], allow_private=True, max_bytes=10_000
    )
    assert arts == []
    assert errs == {
        server + "/missing.html": "HTTP 404 Not Found",
        server + "/image.png": "unsupported content type 'image/png'",
        server + "/big.txt": "too large: 25,000 bytes (limit 10,000)",
    }


def test_unreachable_url_is_named():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    url = f"http://127.0.0.1:{port}/x"
    arts, errs = _results([url], allow_private=True, timeout=2)
    assert list(errs) == [url] and errs[url].startswith("unreachable")


@pytest.mark.parametrize("feed", ["/rss.xml", "/atom.xml"])
def test_feeds(server, feed):
    arts, errs = _results([server + feed], allow_private=True)
    if feed == "/rss.xml":
        assert [a.url for a in arts] == [server + "/article.html", server + "/page.txt"]
        assert arts[1].title == "Bridge Reopens After Repairs"  # the page's own title wins
        assert arts[0].published == "2026-03-03"
        assert errs == {server + "/missing.html": "HTTP 404 Not Found"}
    else:
        assert [a.url for a in arts] == [server + "/page.txt"] and not errs


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.8.9.10:8080/x",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost/",
    ],
)
def test_private_addresses_refused_by_default(url):
    with pytest.raises(UnsafeURLError):
        check_url(url)
    arts, errs = _results([url])
    assert arts == [] and "refusing" in errs[url]


def _fake_resolver(table):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kw):
        if host in table:
            return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
                    for ip in table[host]]
        return real(host, port, *args, **kw)

    return getaddrinfo


@pytest.mark.parametrize(
    "host, addresses, refused",
    [
        ("intranet.example", ["10.0.0.7"], True),
        ("metadata.example", ["169.254.169.254"], True),
        ("mixed.example", ["93.184.216.34", "127.0.0.1"], True),  # every address must be public
        ("v6local.example", ["::1"], True),
        ("public.example", ["93.184.216.34"], False),
    ],
)
def test_hostnames_resolving_to_private_addresses(monkeypatch, host, addresses, refused):
    monkeypatch.setattr(web.socket, "getaddrinfo", _fake_resolver({host: addresses}))
    if refused:
        with pytest.raises(UnsafeURLError):
            check_url(f"http://{host}/a")
    else:
        assert check_url(f"http://{host}/a").hostname == host


def test_redirects_are_rechecked(server, monkeypatch):
    # in this test only 10.x and "intranet.example" count as non-public, so the local server is reachable
    real = web._bad_ip
    monkeypatch.setattr(web, "_bad_ip", lambda ip: "" if ip.startswith("127.") else real(ip))
    monkeypatch.setattr(web.socket, "getaddrinfo", _fake_resolver({"intranet.example": ["10.0.0.7"]}))
    ok = fetch_url(server + "/redirect-to/|page.txt")
    assert ok.url == server + "/page.txt" and ok.content == GOOD.encode()
    for target in ("http:||10.0.0.7|secret", "http:||intranet.example|secret"):
        with pytest.raises(UnsafeURLError):
            fetch_url(server + "/redirect-to/" + target)


def test_connection_to_private_peer_refused_after_dns(server, monkeypatch):
    # the name passes the DNS check, but the socket actually connects to a loopback address
    port = server.rsplit(":", 1)[1]
    real = socket.getaddrinfo
    calls = {"n": 0}

    def flaky(host, p, *a, **kw):
        if host == "rebind.example":
            calls["n"] += 1
            ip = "93.184.216.34" if calls["n"] == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, p))]
        return real(host, p, *a, **kw)

    monkeypatch.setattr(web.socket, "getaddrinfo", flaky)
    with pytest.raises(UnsafeURLError):
        fetch_url(f"http://rebind.example:{port}/page.txt", timeout=3)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "http:///nohost", "javascript:alert(1)"])
def test_unsupported_urls(url):
    with pytest.raises(FetchError):
        fetch_url(url)


# --- gold bodies rendered as pages: the page rules must not eat story paragraphs ----------

def _as_page(row: dict) -> str:
    title = row.get("title") or "Officials Weigh New Rules as Debate Continues"
    outlet = row.get("outlet") or "The Example Times"
    return (f"{outlet}\nPolitics\n\n{title}\n\n{title}\nPublished March 3, 2026\n\n{row['text'].strip()}"
            "\n\nRelated Articles\n\nTrending\n")


@pytest.mark.gold
def test_authored_gold_bodies_survive_a_page_round_trip():
    rows = [json.loads(line) for line in gold_file("articles", "authored_dev.jsonl").open(encoding="utf-8")]
    for row in rows:
        art = read_text_page(_as_page(row))
        # the gold's own page furniture (a byline, a caption, a credit line) is kept out of the body
        furniture = {row["text"][s:e].strip() for s, e in row.get("boilerplate", [])}
        paras = [p.strip() for p in row["text"].strip().split("\n\n") if p.strip() not in furniture]
        assert art.text == "\n\n".join(paras), row["id"]
        assert (art.title, art.outlet, art.published, art.section) == (row["title"], row["outlet"], "2026-03-03", "Politics")
        assert art.boilerplate[-2:] == ("Related Articles", "Trending")


@pytest.mark.parametrize("line, credit", [
    ("This article includes reporting from Northwire.", True),
    ("The story contains additional reporting by the Associated Press.", True),
    ("Jane Roe and Ann Li contributed reporting.", True),
    ("Additional reporting by Ann Li in Oslo.", True),
    ("Reporting by Tom Bell; Editing by Sara Holm", True),
    # story text that merely talks about reporting
    ("The council said the reporting of the figures had been delayed.", False),
    ("Reporters were barred from the hearing, the union said.", False),
    ("This article of the treaty includes a reporting duty for both sides.", False),
])
def test_reporting_credit_lines(line, credit):
    from audit.ingest.textpage import REPORTING_CREDIT_RE

    assert bool(REPORTING_CREDIT_RE.match(line)) is credit


def test_reporting_credit_after_the_story_is_kept_out_of_the_body():
    page = ("Harbor Ledger\n\nPort strike ends\n\nThe strike at the port ended on Monday after "
            "nine days, the union said.\n\nWork resumed at dawn.\n\nJane Roe contributed reporting.\n")
    art = read_text_page(page)
    assert art.text.endswith("Work resumed at dawn.")
    assert "Jane Roe contributed reporting." in art.boilerplate


@pytest.mark.gold
def test_news_paragraphs_survive_a_page_round_trip():
    kept = pred = gold = 0
    for line in gold_file("attribution", "polnear_dev.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        paras = {p.strip() for p in row["text"].split("\n") if p.strip()}
        got = set(read_text_page(_as_page(row)).text.split("\n\n"))
        kept += len(paras & got)
        pred += len(got)
        gold += len(paras)
    # what is lost is page furniture inside those texts (editor's notes, "___." separators,
    # "Follow X on Twitter"); nothing that is not a paragraph of the text is invented
    assert kept / pred >= 0.99 and kept / gold >= 0.97, (kept, pred, gold)


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl not available to make a test certificate")
    d = tmp_path_factory.mktemp("tls")
    key, cert = d / "key.pem", d / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_https_goes_through_the_checked_connection(https_server, monkeypatch):
    # the certificate is self-signed: verification must fail (TLS is on and verified) ...
    with pytest.raises(FetchError, match="(?i)certificate"):
        fetch_url(https_server + "/page.txt", allow_private=True, timeout=5)
    # ... and without allow_private a name that passes the DNS check but connects to a
    # loopback address is refused by the HTTPS connection itself, before any TLS happens
    port = https_server.rsplit(":", 1)[1]
    real = socket.getaddrinfo
    calls = {"n": 0}

    def flaky(host, p, *a, **kw):
        if host == "rebind.example":
            calls["n"] += 1
            ip = "93.184.216.34" if calls["n"] == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, p))]
        return real(host, p, *a, **kw)

    monkeypatch.setattr(web.socket, "getaddrinfo", flaky)
    with pytest.raises(UnsafeURLError, match="loopback"):
        fetch_url(f"https://rebind.example:{port}/page.txt", timeout=5)
    assert calls["n"] == 2
