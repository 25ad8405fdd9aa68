"""Attribution layer 1, lexicon and parse helpers: the word lists, quotation spans,
paragraph breaks, negation, and the token and character span helpers every later layer
uses. Imports no other layer."""
from __future__ import annotations

import bisect
import functools
import json
from importlib import resources

from ...findings import Span
from ..doctext import doc_memo, doc_text


@functools.lru_cache(maxsize=None)
def _data(name: str) -> dict:
    with resources.files("audit").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=None)
def lexicon() -> dict:
    d = _data("attribution_lexicon.json")
    s = _data("attribution_sources.json")
    return {
        "clausal": frozenset(d["clausal"]),
        "control": frozenset(d["control"]),
        "np_object": frozenset(d["np_object"]),
        "prep_object": {k: frozenset(v) for k, v in d["prep_object"].items()},
        "particles": {k: frozenset(v) for k, v in d["particles"].items()},
        "nominal": frozenset(d["nominal"]),
        "frame_nouns": frozenset(d["frame_nouns"]),
        "speech_tags": frozenset(d["speech_tags"]),
        "it_tags": frozenset(d["it_tags"]),
        "evidential": frozenset(d["evidential"]),
        "evidence_verbs": frozenset(d["evidence_verbs"]),
        "reporting_cues": frozenset(d["reporting_cues"]),
        "as_predicate": frozenset(d["as_predicate"]),
        "attitude_nouns": {k: frozenset(v) for k, v in d["attitude_nouns"].items()},
        "intention_nouns": frozenset(d["intention_nouns"]),
        "belief_adjectives": frozenset(d["belief_adjectives"]),
        "action_verbs": frozenset(d["action_verbs"]),
        "anonymous": frozenset(s["anonymous"]),
        "anonymous_markers": tuple(s["anonymous_markers"]),
        "group": frozenset(s["group"]),
        "document": frozenset(s["document"]),
        "organization": frozenset(s["organization"]),
        "title": frozenset(s["title"]),
        "media": frozenset(s["media"]),
        "media_nouns": frozenset(s["media_nouns"]),
        "masthead_words": frozenset(s["masthead_words"]),
    }


OPEN_QUOTES = "“\"«„"
CLOSE_QUOTES = "”\"»“"
QUOTE_CHARS = frozenset(("“", "”", '"', "«", "»", "„", "''", "``"))
# Punctuation and quote marks trimmed from the edges of a content span.
EDGE_PUNCT = frozenset(",.;:—–-\"“”‘’«»'()[] \n\t")
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "csubj"})
OBJ_DEPS = frozenset({"dobj", "attr", "oprd"})
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me", "you"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "us", "it"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Words that make a quotation too short or too title-like to be speech on its own.
MIN_QUOTE_WORDS = 4
# Words opening an adverbial clause, never a reported complement.
SUBORDINATORS = frozenset({"as", "if", "because", "while", "when", "although", "though", "since", "unless",
                           "before", "after", "until", "whereas", "once"})
# Prepositions that carry the predicate of an attitude verb's object ("accused X of ...").
OBJECT_PREDICATE_PREPS = frozenset({"of", "as", "to", "for", "with"})
MAX_QUOTE_GAP = 3  # characters of punctuation/space allowed between a quote and its tag


# --- quotes ---------------------------------------------------------------------------


def quote_spans(text: str) -> list[Span]:
    """Character spans of quotations (quote marks included), one pass over the text.

    Curly quotes pair open/close; straight double quotes alternate within a paragraph. A
    quotation still open at a paragraph break that the next paragraph reopens continues
    (the newspaper convention for multi-paragraph quotes) and yields one span per paragraph.
    """
    spans: list[Span] = []
    start = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        width = 2 if ch in "'`" and i + 1 < n and text[i + 1] == ch else 1  # '' and `` in wire copy
        if ch == "\n" and start is not None and i + 1 < n and text[i + 1] == "\n":
            # paragraph break inside an open quote: close this piece here
            end = i
            while end > start and text[end - 1].isspace():
                end -= 1
            spans.append((start, end))
            start = None
        elif ch in "“«„" or (ch == "`" and width == 2):
            if start is None:
                start = i
        elif ch in "”»":
            if start is not None:
                spans.append((start, i + 1))
                start = None
        elif ch == '"' or (ch == "'" and width == 2):
            if start is None:
                start = i
            else:
                spans.append((start, i + width))
                start = None
        i += width
    if start is not None:
        spans.append((start, n))
    return [s for s in spans if s[1] - s[0] > 2]


def doc_quote_spans(doc) -> list[Span]:
    """``quote_spans`` of ``doc``'s text, found once per document and shared by its readers
    (the attribution assembly and the loaded-language layer); callers only read the list."""
    memo = doc_memo(doc, "attribution.quote_spans")
    spans = memo.get("spans")
    if spans is None:
        spans = memo["spans"] = quote_spans(doc_text(doc))
    return spans


# --- span helpers ----------------------------------------------------------------------


def trim_tokens(doc, a: int, b: int) -> tuple[int, int] | None:
    """Token range [a, b) without edge punctuation, quote marks or a leading complementizer."""
    while a < b and (doc[a].is_punct or doc[a].is_space or doc[a].text in QUOTE_CHARS
                     or (doc[a].dep_ in ("mark", "cc") and doc[a].lower_ in ("that", "and", "but"))):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space or doc[b - 1].text in QUOTE_CHARS):
        b -= 1
    if a >= b or not any(t.is_alpha or t.like_num for t in doc[a:b]):
        return None
    return a, b


def char_span(doc, a: int, b: int) -> Span:
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def split_pieces(doc, a: int, b: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token range [a, b) minus ``holes`` (token ranges), as trimmed contiguous pieces."""
    out, cur = [], a
    for ha, hb in sorted(holes):
        if hb <= cur or ha >= b:
            continue
        if ha > cur:
            out.append((cur, ha))
        cur = max(cur, hb)
    if cur < b:
        out.append((cur, b))
    trimmed = [trim_tokens(doc, x, y) for x, y in out]
    return [t for t in trimmed if t]


def subtree(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def clip_to_sentence(tok, a: int, b: int) -> tuple[int, int]:
    s = tok.sent
    return max(a, s.start), min(b, s.end)


def is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


@functools.lru_cache(maxsize=None)
def hashes() -> dict:
    """String ids of the lexicon entries, to pick candidate tokens from ``Doc.to_array``."""
    from spacy.strings import get_string_id

    lex = lexicon()
    ids = lambda words: frozenset(get_string_id(w) for w in words)  # noqa: E731
    cue = (lex["clausal"] | lex["control"] | lex["np_object"] | frozenset(lex["prep_object"]) | lex["evidential"]
           | lex["as_predicate"] | lex["speech_tags"])
    nouns = lex["nominal"] | frozenset(lex["attitude_nouns"]) | lex["intention_nouns"]
    return {"cue": ids(cue), "nominal": ids(nouns), "belief_adjective": ids(lex["belief_adjectives"]),
            "according": ids(("according", "citing")), "in": ids(("in",)), "it_tags": ids(lex["it_tags"]),
            "clear": get_string_id("clear")}


@functools.lru_cache(maxsize=None)
def content_verbs() -> frozenset:
    """Cue verbs that can have a content of their own (not only a quotation they tag)."""
    lex = lexicon()
    return lex["clausal"] | lex["control"] | lex["np_object"] | frozenset(lex["prep_object"]) | lex["it_tags"]


def trim_chars(text: str, s: int, e: int) -> Span | None:
    while s < e and text[s] in EDGE_PUNCT:
        s += 1
    while e > s and text[e - 1] in EDGE_PUNCT:
        e -= 1
    return (s, e) if e - s > 1 else None


_TRAILING_LINKS = ("and", "but", "while", "before", "after", "then", "also")


def strip_conj(text: str, start: int, end: int) -> int:
    """End offset with trailing commas and coordinators ("..., and", "... but") removed."""
    while True:
        seg = text[start:end].rstrip(" ,;—–-\n")
        words = seg.rsplit(None, 1)
        if len(words) == 2 and words[1].lower() in _TRAILING_LINKS:
            end = start + len(words[0])
            continue
        return start + len(seg)


def para_breaks(text: str) -> list[int]:
    """Offsets of paragraph breaks (blank lines)."""
    out, i = [], text.find("\n\n")
    while i >= 0:
        out.append(i)
        i = text.find("\n\n", i + 2)
    return out


_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from"})


def looks_like_title(quote: str) -> bool:
    """A quotation in headline case without sentence punctuation: a title, not speech."""
    body = quote.strip(" \"“”«»'`‘’")
    if any(ch in body for ch in ".,;!?"):
        return False
    words = [w for w in body.split() if w[:1].isalpha()]
    content = [w for w in words[1:] if w.lower() not in _TITLE_SMALL_WORDS]
    return bool(content) and all(w[:1].isupper() for w in content)


def word_count(text: str) -> int:
    return len(text.split())


def in_quote(piece, quotes) -> bool:
    ps, pe = piece
    return any(qs <= ps and pe <= qe for qs, qe in quotes)


def merge_pieces(pieces):
    pieces = sorted(set(pieces))
    out = []
    for s, e in pieces:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def in_quote_fn(quotes):
    qstarts = [q[0] for q in quotes]

    def inside(char: int) -> bool:
        k = bisect.bisect_right(qstarts, char) - 1
        return k >= 0 and quotes[k][0] <= char < quotes[k][1]
    return inside


def negated(tok) -> bool:
    """"did not endorse", "is not willing": no attitude is reported (the rules' policy too)."""
    return has_neg(tok) or (tok.dep_ in ("acomp", "xcomp", "oprd") and has_neg(tok.head))


def has_neg(tok) -> bool:
    """A negation of ``tok`` itself, not a quoted word the parser hung on it ('"Probably not,"
    Ms. Moore said': a closing quotation mark stands between)."""
    doc = tok.doc
    return any(c.dep_ == "neg" and not any(t.text in QUOTE_CHARS for t in doc[min(c.i, tok.i) + 1:max(c.i, tok.i)])
               for c in tok.children)
