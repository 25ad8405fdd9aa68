"""HTML pages → ``Article``: trafilatura finds the main text and the metadata.

trafilatura's XML tree of the main content gives paragraphs (``<p>``, ``<quote>``, list
items) and headings (``<head>``: the headline, repeated, or subheads). Figure captions come
from ``<figcaption>`` of the page itself. The text-page rules then sort what is left:
captions with a credit, chrome lines, and trailing chrome after the last story paragraph.
When trafilatura finds nothing (tiny or odd pages) or fails, the page's visible text is read
as a plain-text page instead.
"""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from .article import Article
from .textpage import (
    is_caption,
    is_chrome_line,
    is_trailing_chrome,
    line_key,
    parse_date,
    read_text_page,
    words,
)

FAST_ABOVE = 1_000_000  # characters of HTML above which trafilatura runs without fallbacks

# tags whose text is never visible page text
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object"})
# tags that end a line of visible text
_BLOCK = frozenset("""
p div section article header footer nav aside main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd
blockquote pre figure figcaption table tr td th br hr title address form fieldset
""".split())


class _TextExtractor(HTMLParser):
    """Visible text with block elements on their own lines; also collects <figcaption>s.

    Stdlib, non-recursive: safe on deeply nested or broken markup.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.captions: list[str] = []
        self._skip = 0
        self._cap: list[str] | None = None
        self._cap_in_main = False
        self._main = 0                # depth inside <article>/<main>
        self.main_captions: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _INVISIBLE:
            self._skip += 1
        elif tag in ("article", "main"):
            self._main += 1
        elif tag == "figcaption":
            self._cap = []
            self._cap_in_main = self._main > 0
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _INVISIBLE and self._skip:
            self._skip -= 1
        elif tag in ("article", "main") and self._main:
            self._main -= 1
        elif tag == "figcaption" and self._cap is not None:
            cap = " ".join("".join(self._cap).split())
            if cap:
                self.captions.append(cap)
                if self._cap_in_main:
                    self.main_captions.append(cap)
            self._cap = None
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._skip:
            return
        if self._cap is not None:
            self._cap.append(data)
        self.parts.append(data)

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [" ".join(ln.split()) for ln in raw.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _visible(html: str) -> _TextExtractor:
    p = _TextExtractor()
    try:
        p.feed(html)
        p.close()
    except (AssertionError, ValueError):  # HTMLParser on pathological markup
        pass
    return p


def _el_text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _trafilatura(html: str, url: str):
    import trafilatura
    from trafilatura.settings import set_date_params

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    return trafilatura.bare_extraction(
        # on big pages skip trafilatura's second-opinion extractors (3x faster, same main text)
        html, url=url or None, with_metadata=True, include_comments=False, fast=len(html) > FAST_ABOVE,
        include_tables=False, include_images=False, output_format="python",
        # the date from the page's metadata and URL only: a date mentioned in the story is not
        # the publication date
        date_extraction_params=set_date_params(extensive=False),
    )


def read_html(html: str, origin: str = "", url: str = "", **fields) -> Article:
    """Main text and metadata of an HTML page; never raises on a ``str`` (empty text if none)."""
    html = html or ""
    visible = _visible(html)
    doc = None
    if html.strip():
        try:
            doc = _trafilatura(html, url)
        except (RecursionError, MemoryError):
            doc = None
        except Exception:  # noqa: BLE001 - a third-party extractor failing on one page: use the fallback below
            doc = None
    body = getattr(doc, "body", None) if doc is not None else None
    if body is None or not len(body):
        # nothing found by trafilatura: read the visible text as a plain-text page
        art = read_text_page(visible.text(), origin=origin, url=url, **fields)
        caps = tuple(dict.fromkeys(art.captions + tuple(visible.captions)))
        return art.__class__.build(
            art.text, **{**art.build_fields(), "captions": caps}
        )

    title = (doc.title or "").strip()
    title_key = line_key(title)
    items: list[tuple[str, str]] = []   # ("p" | "h", text) in page order
    # figure captions of the story itself when the page marks it (<article>/<main>), else all
    captions: list[str] = list(dict.fromkeys(visible.main_captions or visible.captions))
    boilerplate: list[str] = []
    cap_keys = {line_key(c) for c in captions}
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            texts = [(tag, _el_text(it)) for it in el if _el_text(it)]
        else:
            texts = [(tag, _el_text(el))]
        for t, s in texts:
            if not s:
                continue
            k = line_key(s)
            if k == title_key:
                continue  # the headline shown in the page
            if k in cap_keys or is_caption(s):
                if k not in cap_keys:
                    captions.append(s)
                    cap_keys.add(k)
            elif is_chrome_line(s) or parse_date(s):
                boilerplate.append(s)
            else:
                items.append(("h" if t == "head" else "p", s))
    # trailing chrome: headings and chrome-shaped lines after the last story paragraph
    tail: list[str] = []
    while items and (items[-1][0] == "h" or (is_trailing_chrome(items[-1][1]) and words(items[-1][1]) <= 8)):
        tail.insert(0, items.pop()[1])
    boilerplate.extend(tail)
    paras = [s for kind, s in items if kind == "p"]
    subheads = [s for kind, s in items if kind == "h"]
    meta = {
        "title": title,
        "outlet": (doc.sitename or "").strip(),
        "author": (doc.author or "").strip(),
        "published": (doc.date or "").strip(),
        "section": ((doc.categories or [""])[0] or "").strip() if doc.categories else "",
        "url": url or (doc.url or ""),
    }
    meta.update({k: v for k, v in fields.items() if v not in (None, "")})
    return Article.build(
        "\n\n".join(paras),
        captions=tuple(captions),
        subheads=tuple(subheads),
        boilerplate=tuple(boilerplate),
        origin=origin,
        **meta,
    )
