"""Plain-text news pages (a web page saved as text) → ``Article``.

A saved page mixes the story with page furniture: masthead, section, the headline (often
printed twice), photo captions with their credit, a byline, a date line, subheads, and
trailing chrome ("Related Articles", "Trending", newsletter prompts). The rules below
recognise each by its *shape and position*, never by the words of one page:

- header = the lines before the first story paragraph. A line repeated immediately is the
  headline shown twice; otherwise the headline is the longest header line. Short header
  lines before it are the masthead (outlet), then the section.
- a line ending with a photo/agency credit (" - Name/AFP/Getty Images", "(Photo: ...)",
  "Credit: ...", "REUTERS/Name", "(AP Photo/...)") is a caption, wherever it is.
- "By Jane Doe" lines are the byline; "Published March 3, 2026" / "March 3, 2026" /
  "2026-03-03" lines are the date line.
- a short line without final punctuation standing alone is a subhead when story paragraphs
  follow it, and trailing chrome when it comes after the last story paragraph; short
  imperative lines ("Help us improve.", "Sign up for ...") and labelled notes ("Disclaimer:",
  "Editor's note:", "©") after the last story paragraph are chrome too.

The body (``Article.text``) is the story paragraphs, standfirst included, joined by "\\n\\n".
``chrome_spans`` applies the caption and chrome rules, conservatively, to a body given
exactly as is (JSONL/CSV corpora), returning spans to exclude from scores.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass

from ..findings import Span
from .article import Article

# --- word lists (data) -------------------------------------------------------------

# News agencies and picture agencies whose name ends a photo caption ("... REUTERS/Jane Doe",
# "... (AP Photo/John Roe)", "... - AFP"). From the credit lines of the major wire services
# and picture libraries (AP, Reuters, AFP, Getty, EPA, ANP, Xinhua, Shutterstock, Alamy ...).
AGENCIES = (
    "AP", "AP Photo", "Associated Press", "Reuters", "REUTERS", "AFP", "Getty Images", "Getty",
    "EPA", "EPA-EFE", "EFE", "ANP", "ANSA", "dpa", "DPA", "Xinhua", "Shutterstock", "Alamy",
    "Bloomberg", "PA", "PA Images", "PA Wire", "Anadolu", "Anadolu Agency", "Sipa", "SIPA USA",
    "NurPhoto", "SOPA Images", "Kyodo", "Yonhap", "TASS", "Sputnik", "Pool", "Handout",
    "Zuma", "ZUMA Press", "UPI", "Redux", "Polaris", "Magnum", "Imago", "WireImage",
)

# Labels that introduce a picture credit ("Photo: Jane Doe", "(Credit: ...)").
CREDIT_LABELS = (
    "Photo", "Photos", "Photograph", "Photographs", "Photo credit", "Image", "Images",
    "Image credit", "Picture", "Pictures", "Credit", "Credits", "Illustration", "Video",
    "Photography", "Foto",
)

# First words of short imperative page-chrome lines ("Help us improve.", "Sign up for our
# newsletter.", "Share this article", "Read more"). Collected from the call-to-action
# vocabulary of news-site templates (share bars, newsletter boxes, feedback widgets).
CHROME_VERBS = frozenset("""
help sign subscribe read share follow click tap join download get see watch listen send
contact support donate like comment report print email save bookmark continue view
explore discover register log login sign-up try tell give rate find
""".split())

# Whole lines that are page furniture wherever they occur (ad slots, read-more links).
CHROME_LINE_RE = re.compile(
    r"""^(?:advertisement|advertising|sponsored(?:\s+content)?|ad|story\s+continues(?:\s+below(?:\s+advertisement)?)?
         |continue\s+reading(?:\s+below)?|skip\s+advertisement|listen\s+to\s+this\s+article.*
         |(?:read|see|watch)\s+(?:more|also)\b.*|related\b.*|more\s+on\s+this\s+story
         |share\s+(?:this|on)\b.*|(?:image|photo|video)\s+(?:source|caption)\b.*|copyright\b.*|©.*
         |all\s+rights\s+reserved\.?|\d+\s+min(?:ute)?s?\s+(?:read|listen|watch)
         |(?:(?:updated|published|posted)\s+)?\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago)$""",
    re.IGNORECASE | re.VERBOSE,
)

# Labelled notes that close a page ("Editor's note: ...", "Disclaimer: ...", "Correction: ...").
NOTE_LABEL_RE = re.compile(
    r"^(?:editor[’']?s\s+note|disclaimer|correction|clarification|note|©|copyright)\b\s*[:.,]?",
    re.IGNORECASE,
)

# Lower-case words inside personal names and bylines ("Luis Ortega and Kim Park",
# "Ludwig van Beethoven", "Ana de la Cruz"): common name particles in European languages.
NAME_CONNECTORS = frozenset("and & of de del della di da das dos du la le van von der den ter y e bin bint al el ibn".split())

WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

MONTHS = {
    m: i + 1
    for i, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
    ))
    for m in names
}

# --- line shapes ------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_][\w'’.\-]*", re.UNICODE)
_TERMINAL_RE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_AGENCY_ALT = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))
_LABEL_ALT = "|".join(sorted((re.escape(a) for a in CREDIT_LABELS), key=len, reverse=True))

# (pattern, the matched credit must look like names) — agency/photographer credits must be
# names ("Chaim Goldberg/AFP/Getty Images"), which keeps "the AP/NORC poll found." out.
_CAPTION_RES = (
    # "... - Chaim Goldberg/AFP/Getty Images", "... – Jane Doe/Reuters", "... | Jane Doe/Pool"
    (re.compile(r"\s[-–—|]\s+[^-–—|]{2,90}/\s*[^/]{2,60}\s*$"), True),
    # "... - AFP", "... — Getty Images", "... | Reuters", "... (Reuters)"
    (re.compile(rf"(?:\s[-–—|]\s*|\()(?:{_AGENCY_ALT})(?:\s*(?:/|via)\s*[^/()]{{2,60}})*\)?\s*$"), True),
    # "... REUTERS/Jane Doe", "... (AP Photo/John Roe)", "... Photo: AFP/Getty"
    (re.compile(rf"(?:^|[\s(])(?:{_AGENCY_ALT})\s*/\s*[^/()]{{2,60}}(?:/[^/()]{{2,60}})*\)?\.?\s*$"), True),
    # "(Photo: Jane Doe)", "(Credit: ...)", "(Photo by Jane Doe)"
    (re.compile(rf"\((?:{_LABEL_ALT})(?:\s+by)?\s*[:\-]?\s*[^()]{{2,90}}\)\.?\s*$", re.IGNORECASE), False),
    # "... Photo: Jane Doe", "... Credit: Jane Doe/Agency", "Photo by Jane Doe for X"
    (re.compile(rf"(?:^|[.!?;|]\s+|\s[-–—]\s+)(?:{_LABEL_ALT})(?:\s+by)?\s*:\s*[^:]{{2,90}}$", re.IGNORECASE), False),
    (re.compile(rf"(?:^|[.!?;|]\s+|\s[-–—]\s+)(?:{_LABEL_ALT})\s+by\s+[A-Z][^:]{{1,90}}$"), False),
)

# Lower-case words allowed inside a picture credit ("Jane Doe for The Courier via Getty Images",
# "REUTERS/File Photo", "Ana de la Cruz/AP"): prepositions of credit lines and name particles.
CREDIT_CONNECTORS = frozenset("for via and of the de del della di da das dos du la le van von der den y e al el bin photo file handout pool".split())


def _name_like(credit: str) -> bool:
    toks = [t for t in re.split(r"[\s/]+", credit.strip(" -–—|().,:")) if t]
    if not toks:
        return False
    for t in toks:
        t = t.strip("().,'’\"“”")
        if not t:
            continue
        if not (t[:1].isupper() or t[:1].isdigit() or t.lower() in CREDIT_CONNECTORS or t in ("&", "+")):
            return False
    return True


_BYLINE_RE = re.compile(
    r"^(?:by|written\s+by|words\s+by|reporting\s+by|story\s+by)\s*:?\s+(?P<name>[^\W\d_][^|·•]{1,120}?)\s*$",
    re.IGNORECASE,
)
_DATE_PREFIX = r"(?:(?:first\s+)?published|updated|last\s+updated|posted|last\s+modified|date|dated)?\s*(?:on|:)?\s*"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:\s*(?:,|at|-|–|·)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|UTC[+-]?\d*|GMT[+-]?\d*)?)?"
_DATE_RES = (
    re.compile(rf"^{_DATE_PREFIX}{_WEEKDAY}(?P<mon>[A-Za-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}\.?$", re.IGNORECASE),
    re.compile(rf"^{_DATE_PREFIX}{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{{3,9}})\.?,?\s+(?P<year>\d{{4}}){_TIME}\.?$", re.IGNORECASE),
    re.compile(rf"^{_DATE_PREFIX}(?P<year>\d{{4}})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?{_TIME}$", re.IGNORECASE),
)


@functools.lru_cache(maxsize=4096)
def words(line: str) -> int:
    return len(_WORD_RE.findall(line))


def is_terminal(line: str) -> bool:
    """Does the line end like a sentence (".", "!", "?", "…", possibly before a closing quote)?"""
    return bool(_TERMINAL_RE.search(line[-64:].rstrip()))


def is_caption(line: str) -> bool:
    """A line that ends with a photo or agency credit."""
    s = line.strip()
    if not s or len(s) > 1200 or words(s) > 90:
        return False
    return bool(caption_credit(s))


@functools.lru_cache(maxsize=4096)
def caption_credit(line: str) -> str:
    """The credit part of a caption line ("Chaim Goldberg/AFP/Getty Images"), or ""."""
    s = line.strip()
    if len(s) > 1200:
        return ""
    if len(s) > 300:  # every credit pattern is anchored at the end and bounded: scan the tail only
        s = "\x00" + s[-300:]
    if not any(c in s for c in "/:(-–—|") and " by " not in s.lower():
        return ""  # every credit form needs one of these
    for r, names in _CAPTION_RES:
        m = r.search(s)
        if m and (not names or _name_like(m.group(0))):
            return m.group(0).strip(" -–—|().:").strip()
    return ""


_NUMERIC_DATE_RE = re.compile(rf"^{_DATE_PREFIX}(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<year>\d{{4}}){_TIME}$", re.IGNORECASE)


def is_date_line(line: str) -> bool:
    """A line that is only a date, even one whose day/month order is ambiguous (03/04/2026)."""
    return bool(parse_date(line) or _NUMERIC_DATE_RE.match(line.strip()))


def parse_date(line: str) -> str:
    """ISO date (YYYY-MM-DD) if the whole line is a date line, else ""."""
    s = line.strip()
    if len(s) > 80:
        return ""
    for r in _DATE_RES:
        m = r.match(s)
        if not m:
            continue
        g = m.groupdict()
        try:
            month = int(g["month"]) if g.get("month") else MONTHS.get(g["mon"].lower().rstrip("."))
            if not month:
                continue
            return _dt.date(int(g["year"]), month, int(g["day"])).isoformat()
        except (ValueError, TypeError):
            continue
    m = _NUMERIC_DATE_RE.match(s)
    if m:  # 25/03/2026 or 03/25/2026: only when the order is unambiguous
        a, b, y = int(m["a"]), int(m["b"]), int(m["year"])
        day, month = (a, b) if a > 12 >= b else (b, a) if b > 12 >= a else (0, 0)
        try:
            return _dt.date(y, month, day).isoformat() if day else ""
        except ValueError:
            return ""
    return ""


_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def normalize_date(value) -> str:
    """A corpus/feed date as ISO: ISO dates and timestamps as given, "March 3, 2026" or an
    RFC 822 feed date converted, anything else ""."""
    from email.utils import parsedate_to_datetime

    v = str(value or "").strip()
    if not v:
        return ""
    if _ISO_PREFIX.match(v):
        try:
            _dt.date(int(v[:4]), int(v[5:7]), int(v[8:10]))
            return v
        except ValueError:
            return ""
    d = parse_date(v)
    if d:
        return d
    try:
        return parsedate_to_datetime(v).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""


def parse_byline(line: str) -> str:
    """The author named by a "By Jane Doe" line, or ""."""
    s = line.strip()
    if len(s) > 140 or is_terminal(s) and not s.endswith("."):
        return ""
    m = _BYLINE_RE.match(s)
    if not m:
        return ""
    name = m.group("name").strip()
    # a name, not a sentence ("By Tuesday, the talks had collapsed."): capitalised name words
    # (or connectors) before any comma, a short role after it, no final full stop on a word
    if re.search(r"[A-Za-z]{3,}[.!?]$", name):
        return ""
    name = name.rstrip(".")
    head, _, role = name.partition(",")
    toks = head.split()
    if not toks or len(toks) > 10 or len(role.split()) > 6:
        return ""
    if toks[0].lower().rstrip(".") in MONTHS or toks[0].lower() in WEEKDAYS:
        return ""
    if any(not (t[:1].isupper() or t.lower() in NAME_CONNECTORS) for t in toks):
        return ""
    return name


def _split_meta(line: str) -> list[str]:
    """'By Jane Doe | March 3, 2026' → ['By Jane Doe', 'March 3, 2026']."""
    parts = [p.strip() for p in re.split(r"\s+[|·•]\s+", line) if p.strip()]
    return parts


def is_chrome_line(line: str) -> bool:
    """Page furniture that is never story text, wherever it stands (ad slots, read-more links)."""
    s = line.strip()
    return len(s) <= 120 and bool(CHROME_LINE_RE.match(s))


def is_short_unpunctuated(line: str, max_words: int = 12) -> bool:
    s = line.strip()
    # a line ending with a colon introduces what follows ("Limbaugh added:"): not a heading
    return 0 < words(s) <= max_words and not is_terminal(s) and not s.endswith((",", ";", ":"))


def _is_question_subhead(s: str) -> bool:
    """"What happens next?" between paragraphs: a short question with no inner punctuation."""
    return s.endswith("?") and words(s) <= 5 and not any(c in s[:-1] for c in ",;:?!\"“”")


# A closing credit for the reporting, not story text: "This article includes reporting from
# Northwire.", "Jane Roe contributed reporting.", "Additional reporting by Ann Li; Editing by Bo
# Ek" (the wire services' and newspapers' usual forms). Only after the last story paragraph.
REPORTING_CREDIT_RE = re.compile(
    r"^(?:(?:this|the)\s+(?:article|story|report)\s+(?:includes|contains|was\s+compiled\s+with|draws\s+on)"
    r"\s+(?:additional\s+)?reporting\s+(?:from|by)\b"
    r"|(?:additional\s+)?reporting\s+by\b.*(?:editing|writing)\s+by\b"
    r"|additional\s+reporting\s+by\b"
    r"|[^.!?]{2,80}\s+contributed\s+(?:additional\s+)?reporting\b)[^\n]{0,160}$",
    re.I,
)


def is_trailing_chrome(line: str) -> bool:
    """Shape of a line that, after the last story paragraph, is page chrome."""
    s = line.strip()
    if not s:
        return True
    if is_chrome_line(s) or NOTE_LABEL_RE.match(s) or is_caption(s) or REPORTING_CREDIT_RE.match(s):
        return True
    n = words(s)
    if n == 0:
        return True  # symbols only ("***", "—")
    if is_short_unpunctuated(s, 8):
        return True
    first = s.split()[0].lower().strip("\"'“‘(")
    return n <= 6 and first in CHROME_VERBS and not s.endswith("?")


def _is_chrome_word(line: str) -> bool:
    """A one- or two-word share-bar/tool line ("Share", "Save", "Print this")."""
    s = line.strip()
    return 0 < words(s) <= 2 and not is_terminal(s) and s.split()[0].lower() in CHROME_VERBS


def line_key(line: str) -> str:
    """A line compared with others: whitespace collapsed, case folded."""
    return " ".join(line.split()).casefold()


# --- the page reader ------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    block: int        # index of the blank-line-separated block
    alone: bool       # the only line of its block
    caption: bool = False

    def __post_init__(self):
        self.caption = is_caption(self.text)


_LAST_WORD_LOWER = re.compile(r"(?:\b[a-z][\w'’\-]*|,)$")


def _continues(line: str, nxt: str) -> bool:
    """Is ``nxt`` the rest of a hard-wrapped ``line`` (same sentence, broken by the saver)?"""
    if is_terminal(line) or is_caption(nxt) or is_caption(line) or parse_date(nxt) or parse_byline(nxt):
        return False
    if is_chrome_line(nxt) or parse_date(line) or parse_byline(line):
        return False
    if nxt[:1].islower():
        return True
    # prose (not a Title Case headline) cut after a lowercase word or a comma
    return len(line) >= 50 and bool(_LAST_WORD_LOWER.search(line[-40:]))


def _reflow(lines: list[str]) -> list[str]:
    groups: list[list[str]] = []
    for ln in lines:
        if groups and _continues(groups[-1][-1], ln):
            groups[-1].append(ln)  # joined once at the end: no quadratic concatenation
        else:
            groups.append([ln])
    return [" ".join(g) for g in groups]


_MD_HEADING = re.compile(r"^#{1,6}\s+|\s+#+$")  # Markdown heading marks ("## Subhead")


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    block = 0
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    for para in re.split(r"\n[ \t\f\v\u00a0]*\n", raw):
        ls = _reflow([_MD_HEADING.sub("", ln.strip()) for ln in para.split("\n") if _MD_HEADING.sub("", ln.strip())])
        for ln in ls:
            out.append(_Line(ln, block, len(ls) == 1))
        if ls:
            block += 1
    return out


def _is_story(line: _Line) -> bool:
    """A story paragraph: prose ending like a sentence, or a long line."""
    s = line.text
    n = words(s)
    if n == 0:
        return False
    if line.caption or is_chrome_line(s) or is_date_line(s) or parse_byline(s):
        return False
    if s.endswith(":") and n >= 3:
        return True  # introduces a quote or a list: story text
    if is_terminal(s):
        if line.alone and s.rstrip("\"'”’»)]").endswith(("?", "!")) and n <= 12 and not _has_quote(s):
            return False  # a headline or subhead put as a question or exclamation
        return n >= 4 or not line.alone
    return n > 20


def _has_quote(s: str) -> bool:
    return any(q in s for q in "\"“”«»")


def read_text_page(text: str, origin: str = "", **fields) -> Article:
    """Split a plain-text page into body, title, outlet, section, captions, subheads, chrome.

    Never raises on a ``str``. A page with no story paragraph is kept as its lines of three
    words or more (minus captions and chrome); a page of nothing but chrome yields ``text == ""``.
    Extra ``fields`` (``url``, ``external_id`` ...) are passed to ``Article.build``;
    explicit ``title``/``outlet``/... override what the page shows.
    """
    lines = _lines(text or "")
    story_idx = [i for i, ln in enumerate(lines) if _is_story(ln)]
    first_story = story_idx[0] if story_idx else len(lines)

    outlet = section = title = author = published = ""
    captions: list[str] = []
    subheads: list[str] = []
    boilerplate: list[str] = []
    paras: list[str] = []

    def meta(line: str) -> bool:
        """Byline / date line (possibly both, 'By X | date'): fill fields, True if consumed."""
        nonlocal author, published
        parts = _split_meta(line)
        found = []
        for p in parts:
            d = parse_date(p)
            b = "" if d or is_date_line(p) else parse_byline(p)
            if not (d or b or is_date_line(p)):
                return False
            found.append((d, b))
        for d, b in found:
            if d and not published:
                published = d
            if b and not author:
                author = b
        return bool(found)

    # --- header: everything before the first story paragraph
    header: list[str] = []
    for ln in lines[:first_story]:
        s = ln.text
        if ln.caption:
            captions.append(s)
        elif meta(s):
            continue
        elif is_chrome_line(s) or _is_chrome_word(s):
            boilerplate.append(s)
        else:
            header.append(s)
    title_i = None
    seen: dict[str, int] = {}
    repeats: list[int] = []
    for i, s in enumerate(header):
        k = line_key(s)
        if k in seen and words(s) >= 2:
            if title_i is None:
                title_i = seen[k]
            repeats.append(i)
        else:
            seen.setdefault(k, i)
    if title_i is None and header:
        # the headline is the longest header line (first one on a tie)
        title_i = max(range(len(header)), key=lambda i: (words(header[i]), -i))
    if title_i is not None:
        title = header[title_i]
        before = header[:title_i]
        if before:
            outlet = before[0]
            if len(before) >= 2:
                section = before[-1]
                boilerplate.extend(before[1:-1])
        for i, s in enumerate(header[title_i + 1:], title_i + 1):
            if i in repeats or line_key(s) == line_key(title):
                continue  # the headline printed again
            if words(s) >= 8:
                paras.append(s)  # a standfirst without final punctuation
            else:
                boilerplate.append(s)

    # --- trailing chrome: after the last story paragraph
    last = len(lines)
    while last > first_story and is_trailing_chrome(lines[last - 1].text):
        last -= 1
    last = max(last, first_story)

    # --- body
    title_key = line_key(title) if title else None
    for i in range(first_story, last):
        ln = lines[i]
        s = ln.text
        if ln.caption:
            captions.append(s)
        elif is_chrome_line(s) or (title_key and line_key(s) == title_key):
            boilerplate.append(s)
        elif (is_date_line(s) or parse_byline(s)) and meta(s):
            pass  # byline/date line below the standfirst: fills what the header did not say
        elif ln.alone and (is_short_unpunctuated(s) or (_is_question_subhead(s) and i + 1 < last)):
            subheads.append(s)
        elif words(s) == 0:
            boilerplate.append(s)
        else:
            paras.append(s)
    for ln in lines[last:]:
        (captions if ln.caption else boilerplate).append(ln.text)

    if not paras and not story_idx:
        # no story paragraph recognised (a fragment, a single short sentence): audit the
        # visible lines as they are rather than drop them; only captions and chrome stay out
        skip = set(captions) | set(boilerplate)
        paras = [
            ln.text for ln in lines
            if ln.text not in skip and words(ln.text) >= 3 and not is_chrome_line(ln.text)
            and not (words(ln.text) <= 6 and is_trailing_chrome(ln.text) and not is_short_unpunctuated(ln.text))
        ]
        title = outlet = section = ""
        subheads = []
    kw = dict(outlet=outlet, section=section, title=title, author=author, published=published)
    kw.update({k: v for k, v in fields.items() if v not in (None, "")})
    return Article.build(
        "\n\n".join(paras),
        captions=tuple(captions),
        subheads=tuple(subheads),
        boilerplate=tuple(boilerplate),
        origin=origin,
        **kw,
    )


def _long_note(line: str) -> bool:
    """An editor's note or correction with sentences of its own: in a body given as is, it is
    left to the analyzers (such notes often attribute statements)."""
    s = line.strip()
    return bool(NOTE_LABEL_RE.match(s)) and not s.startswith("©") and not s.lower().startswith("copyright") and words(s) > 12


def chrome_spans(text: str) -> tuple[Span, ...]:
    """Spans of ``text`` (a body given as is) that are captions or page chrome.

    Conservative: whole lines only; captions (credit at the end) and ad/read-more lines
    anywhere; chrome-shaped lines only after the last story paragraph. Subheads are kept.
    """
    spans: list[Span] = []
    pos = 0
    for raw in (text or "").splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        s = body.strip()
        if s:
            spans.append((pos + lead, pos + lead + len(s)))
        pos += len(raw)
    out: list[Span] = []
    lines = [text[a:b] for a, b in spans]
    # trailing chrome after the last line that is not chrome-shaped
    last = len(lines)
    while last > 0 and is_trailing_chrome(lines[last - 1]):
        last -= 1
    if last == 0:
        return ()  # nothing but short lines: not a page with chrome, leave it alone
    for i, (a, b) in enumerate(spans):
        s = lines[i]
        if (i >= last and not _long_note(s)) or is_caption(s) or is_chrome_line(s):
            out.append((a, b))
    return tuple(out)
