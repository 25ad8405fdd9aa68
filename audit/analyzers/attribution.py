"""Attribution analyzer: who said, wrote, believed or wanted what.

``find_attributions(doc, *, actors=())`` reads the spaCy dependency parse and returns one
:class:`~audit.findings.Attribution` per attributed statement, belief or intention, with
character offsets into ``doc.text``. Rule families (each is one function below):

- *verb cues*: a reporting, cognition or attitude verb (``audit/data/attribution_lexicon.json``)
  with its content: a clausal complement ("officials said the talks had stalled"), a
  controlled infinitive ("she plans to run"), an NP object for attitude verbs ("Cruz
  criticized the deal"), or, when the verb is a parenthetical tag ("The plan, she said,
  is dead"), the clause it interrupts. Source = grammatical subject (passive agent,
  the subject of the governing verb for "..., adding that", none for "it was reported");
- *quotes*: quotation marks next to a cue become its content, pieces of a split quote
  are joined, and a quote that continues in the following sentences of the same
  paragraph, or opens the next paragraph, stays with the same speaker;
- *according to X* / *citing X*: the clause they modify, source X;
- *colon*: ``Netanyahu: "..."``;
- *nominal*: "the warning from X that ...", "X's claim that ...".

Sources are classified into ``SOURCE_TYPES`` from named entities and head-noun lexicons
(``audit/data/attribution_sources.json``); pronouns and short names are resolved through
the actor layer (``audit.analyzers.actors.actor_at``) or, failing that, to the nearest
preceding compatible named entity. A quotation with no speaker (a title, scare quotes)
yields nothing.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import json
import re
from importlib import resources

from ..findings import Attribution, Span
from .attribution_kinds import attribution_kind
from .attribution_model import load_model

_DEFAULT = object()

# --- data -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _data(name: str) -> dict:
    with resources.files("audit").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=None)
def _lex() -> dict:
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


# --- span helpers ----------------------------------------------------------------------


def _trim(doc, a: int, b: int) -> tuple[int, int] | None:
    """Token range [a, b) without edge punctuation, quote marks or a leading complementizer."""
    while a < b and (doc[a].is_punct or doc[a].is_space or doc[a].text in QUOTE_CHARS
                     or (doc[a].dep_ in ("mark", "cc") and doc[a].lower_ in ("that", "and", "but"))):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space or doc[b - 1].text in QUOTE_CHARS):
        b -= 1
    if a >= b or not any(t.is_alpha or t.like_num for t in doc[a:b]):
        return None
    return a, b


def _chars(doc, a: int, b: int) -> Span:
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)


def _pieces(doc, a: int, b: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
    trimmed = [_trim(doc, x, y) for x, y in out]
    return [t for t in trimmed if t]


def _subtree(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _clip_to_sentence(tok, a: int, b: int) -> tuple[int, int]:
    s = tok.sent
    return max(a, s.start), min(b, s.end)


# --- sources ---------------------------------------------------------------------------


def _subject(verb):
    subj = None
    for c in verb.children:
        if c.dep_ in ("nsubj", "expl"):
            if c.dep_ == "expl":
                return None
            # a time stamp or heading glued on as a second subject ("2:40 p.m.\n\nThe manager
            # says ..."): the subject in the verb's own paragraph wins
            # and a word of the quotation the parser took for a subject ('"... Full panic
            # mode," said Leslie Wimes'): the subject after the closing mark wins
            if subj is None or "\n\n" in verb.doc.text[subj.idx:c.idx] \
                    or any(t.text in QUOTE_CHARS for t in verb.doc[subj.i + 1:min(c.i, verb.i)]):
                subj = c
    return subj


def _passive_agent(verb):
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


# Dependencies through which a non-finite or coordinated verb shares its governor's subject:
# "... and added that", "..., saying that", "was quick to embrace", "after determining that".
_SUBJECT_SHARING = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep", "acomp"})


def _source_of(verb):
    """The token heading the source of a cue verb (or None for sourceless forms)."""
    if _is_passive(verb) or (verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and _subject(verb) is None):
        # (and a passive participle: "Asked by Matt Lauer whether ...", "Asked about the
        # report, ...": the asker is the agent, or nobody named; not the answer's speaker)
        return _passive_agent(verb)
    tok = verb
    prev = None
    for _ in range(5):
        subj = _subject(tok)
        if subj is not None:
            return subj
        head = tok.head
        if _participle_of_report(tok, head):
            # "Economists believe the dispute will drag on, pointing to ...": the participle's
            # implicit subject is the reporting clause's subject, never a noun of its content
            tok = head.head
            continue
        if head.i == tok.i:
            return None
        # reduced relative "a spokesman, speaking on condition ..." -> the modified noun
        if tok.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return head
        # "took the unusual step of criticizing ...", "have their own ideas for attacking
        # Trump": a gerund under the object's preposition shares the clause's subject
        via_object = prev is not None and prev.dep_ == "prep" and tok.dep_ in ("dobj", "attr") \
            and tok.pos_ == "NOUN" and head.pos_ in ("VERB", "AUX")
        if tok.dep_ not in _SUBJECT_SHARING and not via_object:
            return None
        if _is_passive(head) and tok.i != verb.i:
            return None
        if tok.dep_ == "xcomp":
            # object control: "pressed Trump to consider", "urged the U.S. to insist"
            obj = next((c for c in head.children if c.dep_ in ("dobj", "dative") and c.i < tok.i), None)
            if obj is not None:
                return obj
        prev, tok = tok, head
    return None


def _participle_of_report(tok, head) -> bool:
    """A subjectless participle cue ("..., pointing to", "..., noting that") the parser hung on
    the complement clause of a reporting verb, after a comma: it adds to the report, so it
    shares the report's holder (evidence participles, "..., suggesting that", are the
    writer's inference and keep the clause they follow)."""
    if tok.dep_ != "advcl" or tok.tag_ != "VBG" or head.dep_ not in ("ccomp", "xcomp") or head.head.i == head.i:
        return False
    lex = _lex()
    if tok.lemma_.lower() in lex["evidence_verbs"] or tok.lemma_.lower() in lex["evidential"]:
        return False
    gov = head.head
    if gov.lemma_.lower() not in lex["clausal"] | lex["control"] or gov.i > tok.i:
        return False
    doc = tok.doc
    return tok.i > 0 and doc[tok.i - 1].text == "," and doc[tok.i - 1].head.i in (head.i, gov.i, tok.i)


_PARENTHESIS_MARKS = frozenset({",", "-", "--", "—", "–"})


def _stranded_subject(verb):
    """The subject of a finite cue verb the parser attached elsewhere ("Col. Steven H. Warren,
    a military spokesman in Baghdad, said", parsed as an appositive of a date; "Priebus, in
    the wake of a new poll ..., told"): the noun right before the verb, or before a
    parenthesis set off by commas or dashes, when it is not another word's object."""
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP") or _is_passive(verb):
        return None
    doc = verb.doc
    start = verb.sent.start
    k = verb.i - 1
    if k >= start and doc[k].text in _PARENTHESIS_MARKS:
        mark = doc[k].text
        k -= 1
        while k >= start and doc[k].text != mark and not doc[k].is_space and doc[k].text not in QUOTE_CHARS:
            k -= 1
        if k < start or doc[k].text != mark:
            return None
        k -= 1
    if k < start:
        return None
    tok = doc[k]
    while tok.head.i != tok.i and tok.head.i < verb.i and tok.dep_ in ("compound", "flat", "amod", "nummod", "poss"):
        tok = tok.head
    if tok.pos_ not in ("PROPN", "NOUN", "PRON") or tok.dep_ not in ("npadvmod", "appos", "dep", "nsubj", "ROOT"):
        return None
    if "\n" in doc[tok.i:verb.i].text:
        return None
    return tok


def _source_range(tok, anchor=None, breaks=None) -> tuple[int, int]:
    """Source NP as written: the subject's subtree, without a trailing relative/appositive tail.

    With ``anchor`` (the cue token), the phrase is kept inside the cue's paragraph: a heading
    or caption the parser glued onto the subject is not part of the source.
    """
    a, b = _subtree(tok)
    for c in tok.children:
        if c.dep_ in ("relcl", "acl", "appos") and c.i > tok.i:
            # keep restrictive post-modifiers close to the head, drop long appositive tails
            if c.dep_ == "appos" or any(t.text == "," for t in tok.doc[tok.i:c.left_edge.i]):
                b = min(b, c.left_edge.i)
    doc = tok.doc
    for i in range(tok.i - 1, a - 1, -1):  # a heading or caption the parser glued on
        if "\n\n" in doc[i].text_with_ws:
            a = i + 1
            break
    for i in range(tok.i, b):
        if "\n\n" in doc[i].text_with_ws:
            b = i + 1
            break
    if anchor is not None:
        lo, hi = _paragraph_of(doc, anchor, breaks)
        while a < b and doc[a].idx < lo:
            a += 1
        while b > a and hi >= 0 and doc[b - 1].idx > hi:
            b -= 1
        r = _trim(doc, a, b)
        return r
    r = _trim(doc, a, b)
    return r if r else (tok.i, tok.i + 1)


def _paragraph_of(doc, tok, breaks=None) -> tuple[int, int]:
    """Character offsets of the blank lines around ``tok`` (-1 when none).

    ``breaks`` (``_para_breaks(doc.text)``, computed once per document) makes it a bisection.
    """
    if breaks is None:
        breaks = _para_breaks(doc.text)
    k = bisect.bisect_left(breaks, tok.idx)
    lo = breaks[k - 1] if k > 0 else -1
    hi = breaks[k] if k < len(breaks) else -1
    return lo, hi


def _np_before(doc, verb, breaks=None):
    """The short noun phrase opening the cue's paragraph right before it ("One Israeli source
    said"), for parses that attached the subject to a heading above."""
    lo = _paragraph_of(doc, verb, breaks)[0]
    a = verb.i
    while a > 0 and doc[a - 1].idx > lo and doc[a - 1].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "NUM", "PRON"):
        a -= 1
    if a == verb.i or verb.i - a > 6 or (a > 0 and doc[a - 1].idx > lo and not doc[a - 1].is_space):
        return None
    return a, verb.i


# --- source kinds -----------------------------------------------------------------------


def _ents_in(doc, a: int, b: int, ents=None):
    ents = list(doc.ents) if ents is None else ents
    k = bisect.bisect_left([e.end for e in ents], a + 1) if ents else 0
    out = []
    for e in ents[k:]:
        if e.start >= b:
            break
        if a < e.end:
            out.append(e)
    return out


def _is_media_name(text: str) -> bool:
    """An outlet's name: a known outlet, or a capitalised name ending in a masthead word."""
    t = text.strip()
    if t.endswith(("'s", "’s")):
        t = t[:-2]
    if not any(ch.isupper() for ch in t):  # "the post" (a social-media post) is not "the Post"
        return False
    low = t.lower()
    if low.startswith("the "):
        low = low[4:]
    lex = _lex()
    if low in lex["media"]:
        return True
    words = t.split()
    return len(words) >= 1 and words[-1] in lex["masthead_words"] and words[-1][:1].isupper()


# words that name a part of what follows "of": "two of the people", "the majority of the polls"
_PART_WORDS = frozenset({"one", "some", "many", "most", "several", "majority", "half", "all", "each", "both",
                         "number", "handful", "series", "average"})


def _partitive(tok):
    """The noun a part word names ("some of the analysts" -> analysts), or None."""
    if tok.pos_ in ("NUM", "PRON", "ADJ", "DET") or tok.lower_ in _PART_WORDS:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        return next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    return None


def _head_of(span, a: int, b: int):
    heads = [t for t in span if t.head.i < a or t.head.i >= b or t.head.i == t.i]
    head = heads[0] if heads else span[-1]
    part = _partitive(head)  # "two of the people", "some of the analysts": the partitive's noun
    return part if part is not None and a <= part.i < b else head


# Heads of a news organisation named by what it is ("the news agency", "the wire service").
_MEDIA_COMPOUND_HEADS = frozenset({"agency", "service", "network", "site", "website", "organisation", "organization",
                                   "station", "outlet", "channel"})
_MEDIA_PREMODIFIERS = frozenset({"news", "wire", "broadcast", "newswire"})
# Bodies named by their kind beyond the sources lexicon's "organization" list (capitalised
# as the last word of a name: "the Conflict Monitoring Project").
_ORG_HEADS = frozenset({"project", "initiative", "movement", "centre", "center", "trust", "fund", "society", "forum",
                        "front", "programme", "program", "consultancy", "consortium", "charity", "nonprofit",
                        "non-profit", "ngo", "force", "forces", "ministry", "treasury", "registry", "agency",
                        "assembly", "legislature", "clinic", "laboratory", "lab", "academy", "college", "institution",
                        "cooperative", "co-op", "syndicate", "conglomerate", "publisher", "developer", "contractor",
                        "supplier", "producer", "brokerage", "chamber", "caucus", "delegation", "mission",
                        "secretariat", "office", "unit", "commission", "partnership", "collective", "guild"})
# Kinds of body that, in a bare plural ("Patient groups", "Aid agencies", "unions"), name a
# category rather than identifiable institutions.
_GENERIC_BODIES = frozenset({"group", "agency", "company", "firm", "union", "bank", "charity", "association",
                             "organisation", "organization", "hospital", "school", "club", "insurer", "lender",
                             "retailer", "airline", "carrier", "manufacturer", "automaker", "drugmaker", "operator",
                             "utility", "university", "nation", "country", "state", "team", "network", "watchdog",
                             "regulator", "foundation", "institute", "coalition", "alliance", "league", "federation",
                             "council", "committee", "board", "campaign", "consultancy", "ngo", "nonprofit",
                             "non-profit", "business", "employer", "producer", "supplier", "developer", "publisher",
                             "clinic", "trust", "society", "chamber", "cooperative"})


def _determined(span, head) -> bool:
    """Whether a noun phrase is determined (a determiner, possessor or number before the head)."""
    return any(t.dep_ in ("det", "poss", "nummod") and t.i < head.i for t in span)


def classify_source(doc, a: int, b: int, *, context: str = "", surnames=frozenset(), memory=None,
                    ents=None) -> str:
    """Source kind of the NP at token range [a, b).

    ``context`` is the sentence (for "who spoke on condition of anonymity"), ``surnames``
    the last names of the article's PERSON entities (NER often tags a bare surname as an
    organisation), ``memory`` the kinds given earlier in the article to sources with the
    same head noun ("people familiar with the matter" ... "the people said").
    """
    lex = _lex()
    ents_all = list(doc.ents) if ents is None else ents
    ents = ents_all
    span = doc[a:b]
    ctx = span.text.lower() + " " + context.lower()
    head = _head_of(span, a, b)
    hl = head.lemma_.lower()
    ents = _ents_in(doc, a, b, ents)
    head_ent = next((e for e in ents if e.start <= head.i < e.end), None)
    # media: an outlet's name, or a media noun ("the newspaper", "state television")
    if head_ent is not None and _is_media_name(head_ent.text):
        return "media"
    if head.pos_ == "PROPN" and _is_media_name(doc[head.left_edge.i if head.left_edge.i >= a else a:head.i + 1].text):
        return "media"
    if hl in lex["media_nouns"] and head.pos_ == "NOUN":
        return "media"
    # a news agency, wire service or news site: "the news agency reported"
    if hl in _MEDIA_COMPOUND_HEADS and any(c.dep_ == "compound" and c.lemma_.lower() in _MEDIA_PREMODIFIERS
                                           for c in head.children):
        return "media"
    # one of an unnamed group: "One of them said", "two of those present"
    if head.pos_ == "PRON" and head.dep_ == "pobj" and head.i > a:
        return "anonymous"
    # a title-holder or role named in an appositive: "His lawyer, Sandra Okafor,"
    for c in head.children:
        if c.dep_ == "appos" and any(e.label_ == "PERSON" for e in _ents_in(doc, c.left_edge.i, c.right_edge.i + 1,
                                                                            ents_all)):
            return "named_person"
    if head_ent is not None and head_ent.label_ == "PERSON":
        return "named_person"
    # a name after its title: "Institute director Helena Moor" (NER may take the title's
    # institution and the name for an organisation)
    if head.pos_ == "PROPN" and head.i > a and any(
            t.pos_ == "NOUN" and t.lemma_.lower() in lex["title"] and t.i < head.i for t in span):
        return "named_person"
    # an institution by its kind of body, capitalised or not: "the Conflict Monitoring
    # Project", "Meruna's information ministry" (a possessor's name does not make a person)
    if head.pos_ in ("PROPN", "NOUN") and (hl in lex["organization"] or hl in _ORG_HEADS) \
            and not (head_ent is not None and head_ent.label_ == "PERSON"):
        if head.tag_ in ("NNS", "NNPS") and hl in _GENERIC_BODIES and not _determined(span, head) \
                and not any(e.label_ in ("ORG", "GPE", "NORP") for e in ents):
            return "unspecified_group"  # "Patient groups say", "Aid agencies warned"
        return "named_organization"
    if head.pos_ == "PROPN" and head.lower_ in surnames:
        return "named_person"
    if hl in lex["document"] and head.pos_ == "NOUN":
        return "document"
    if memory is not None and hl in memory and head.pos_ == "NOUN" and span[0].lower_ in ("the", "these", "those"):
        return memory[hl]
    named_person = any(e.label_ == "PERSON" for e in ents)
    if any(m in ctx for m in lex["anonymous_markers"]) and not named_person and head.pos_ != "PROPN":
        return "anonymous"
    if head_ent is not None and head_ent.label_ in ("ORG", "GPE", "FAC", "LOC", "NORP"):
        if head_ent.label_ == "NORP" and hl in lex["group"]:
            return "unspecified_group"
        return "named_organization"
    if head.pos_ == "PROPN":
        return "named_person"
    if hl in lex["organization"]:
        return "named_organization"
    plural = head.tag_ in ("NNS", "NNPS")
    # "analysts at Brennan & Co": members of a named body speak for it
    if hl in lex["group"] and any(e.label_ == "ORG" for e in ents if e.start > head.i):
        return "named_organization"
    determiner = span[0].lower_ if len(span) else ""
    if hl in lex["anonymous"] and not named_person and (
            determiner in ("a", "an", "one", "two", "three", "four", "several", "some", "another")
            or hl in ("source", "official", "aide", "insider", "diplomat")):
        return "anonymous"
    if (hl in lex["title"] and head.tag_ not in ("NNS", "NNPS")) or named_person:
        return "named_person"
    if hl in lex["group"] or (hl in lex["anonymous"] and plural):
        return "unspecified_group"
    if any(e.label_ in ("ORG", "GPE") for e in ents):
        return "named_organization"
    return "unspecified_group" if plural else "named_person"


_ACTOR_KIND = {"person": "named_person", "organization": "named_organization", "country": "named_organization"}


def _resolve_pronoun(doc, tok, ents_starts, ents):
    """Nearest preceding named entity compatible with a pronoun (he/she -> PERSON, they/it -> ORG/GPE)."""
    low = tok.lower_
    if low in PERSON_PRONOUNS:
        labels = ("PERSON",)
    elif low in ("they", "them", "it", "we", "us"):
        labels = ("ORG", "GPE", "NORP")
    else:
        return None
    k = bisect.bisect_left(ents_starts, tok.i) - 1
    limit = 60
    while k >= 0 and tok.i - ents[k].end <= limit * 4:
        if ents[k].label_ in labels:
            return ents[k]
        k -= 1
    return None


# --- finders ---------------------------------------------------------------------------


class _Cand:
    __slots__ = ("pieces", "source", "cue", "form", "anchor_char", "source_full", "own_subject", "intention",
                 "cue_prob", "cites_source")

    def __init__(self, pieces, source, cue, form, anchor, doc=None, source_tok=None):
        self.pieces = pieces      # list of (char_start, char_end); empty for a bare speech tag
        self.source = source      # token range or None
        self.cue = cue            # char span or None
        self.form = form
        self.own_subject = True   # False when the subject is borrowed from a governing verb
        self.intention = False    # content is a planned action ("plans to present ..."), not a report
        self.cue_prob = None      # the cue model's probability when it found the cue; None for a rule's
        self.cites_source = False  # "citing X": X can be a source (people, a report), not evidence
        self.anchor_char = doc[anchor].idx if doc is not None else (cue[0] if cue else 0)
        # the whole source phrase (with appositives), for adjacency of quotes
        self.source_full = None
        if source_tok is not None:
            a, b = _subtree(source_tok)
            self.source_full = _chars(source_tok.doc, a, b)
        elif source is not None and doc is not None:
            self.source_full = _chars(doc, *source)


def _content_of_verb(verb, lex):
    """Token range(s) of the content a cue verb governs, or None."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    clause = [c for c in kids if c.dep_ in ("ccomp", "csubj") and c.i != verb.i]
    # "Tehran has said X; Trump has suggested Y": X is not Trump's
    clause = [c for c in clause if c.i > verb.i
              or not any(t.text in (";", ":") for t in doc[c.right_edge.i:verb.i])]
    # clauses on both sides: the one after the cue, if it is a full finite complement
    after = [c for c in clause if c.i > verb.i]
    if after and len(after) < len(clause) and any(c.dep_ == "nsubj" for c in after[0].children) \
            and doc[after[0].left_edge.i].lower_ not in SUBORDINATORS:
        clause = after
    if clause and lemma in lex["clausal"] | lex["control"] | lex["np_object"]:
        a = min(c.left_edge.i for c in clause)
        b = max(c.right_edge.i for c in clause) + 1
        if b <= verb.i:
            a = _quoted_part(doc, clause, a, b)
        else:
            b = _writer_tail(doc, a, b)
        holes = []
        if a < verb.i < b:
            holes.append(_subtree_excl(verb, clause))
        return a, b, holes
    if lemma in ("ask", "wonder", "inquire", "enquire") and not clause:
        # "I asked Bernie Sanders if he would ever endorse Clinton": the parser took the
        # question for a condition
        q = next((c for c in kids if c.dep_ == "advcl" and c.i > verb.i and any(
            m.dep_ == "mark" and m.lower_ in ("if", "whether") and m.i == c.left_edge.i for m in c.children)), None)
        if q is not None:
            return q.left_edge.i, q.right_edge.i + 1, []
    if lemma in lex["clausal"]:
        # "he told a meeting of island leaders that few people understood ...": the parser
        # took the complement for a relative clause of the addressee (its "that" is a mark)
        for o in kids:
            if o.dep_ in ("dobj", "dative") and o.i > verb.i:
                rel = next((g for g in o.children if g.dep_ == "relcl" and any(
                    m.dep_ == "mark" and m.lower_ == "that" and m.i == g.left_edge.i for m in g.children)), None)
                if rel is not None:
                    return rel.left_edge.i, rel.right_edge.i + 1, []
        # "predicted at the most recent GOP debate that Republicans will take every state": the
        # complement read as a relative clause of the occasion ("that" with a subject after it;
        # "claimed at the time that she had turned over everything"), or, after a manner,
        # as the noun's own complement ("claiming without evidence that the race is tied")
        for p in kids:
            if p.dep_ == "prep" and p.i > verb.i:
                for o in p.children:
                    rel = next((g for g in o.children if (g.dep_ == "relcl" or (
                                g.dep_ == "acl" and p.lower_ in ("with", "without")))
                                and doc[g.left_edge.i].lower_ == "that"
                                and doc[g.left_edge.i].dep_ in ("mark", "dobj", "advmod")
                                and any(k.dep_ in ("nsubj", "nsubjpass") and k.i > g.left_edge.i for k in g.children)),
                               None) if o.dep_ == "pobj" else None
                    if rel is not None:
                        return rel.left_edge.i, rel.right_edge.i + 1, []
        # "said in a statement posted online that ...": the parser hung the complement on the
        # medium's participle; it is the speech verb's
        for p in kids:
            if p.dep_ == "prep" and p.lower_ in ("in", "on", "through", "via") and p.i > verb.i:
                for o in p.children:
                    if o.dep_ == "pobj" and o.lemma_.lower() in _TELLING_MEDIA:
                        part = _medium_participle(o)
                        cc = next((g for g in part.children if g.dep_ == "ccomp" and g.i > part.i), None) \
                            if part is not None else None
                        # or the complement read as the medium's own clause ("said in a
                        # statement that it was reviewing ...": the cue is "said")
                        cc = cc or next((g for g in o.children if g.dep_ in ("acl", "relcl", "ccomp") and g.i > o.i
                                         and doc[g.left_edge.i].lower_ == "that"
                                         and any(k.dep_ in ("nsubj", "nsubjpass") for k in g.children)), None)
                        if cc is not None:
                            a = cc.left_edge.i + (1 if doc[cc.left_edge.i].lower_ == "that" else 0)
                            return a, cc.right_edge.i + 1, []
        # "Mook said as much", "only 28 said yes", "he said so": a pro-form stands for the content
        nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
        if nxt is not None and nxt.head.i == verb.i and nxt.lower_ in ("yes", "no", "so") \
                and not any(c.dep_ in OBJ_DEPS for c in kids):
            return nxt.i, nxt.i + 1, []
        if nxt is not None and nxt.lower_ == "as" and verb.i + 2 < len(doc) and doc[verb.i + 2].lower_ == "much":
            return nxt.i, nxt.i + 2, []
    x = [c for c in kids if c.dep_ == "xcomp" and c.i > verb.i]
    if x and lemma in lex["clausal"] and lemma not in lex["control"] and not _is_passive(verb) \
            and x[0].right_edge.i - x[0].left_edge.i >= 2 and x[0].left_edge.i == verb.i + 1 \
            and not any(c.dep_ == "aux" and c.lower_ == "to" for c in x[0].children):
        # a clause the parser took for a participle: "He said legalizing it could put ..."
        return x[0].left_edge.i, x[0].right_edge.i + 1, []
    if x and lemma in lex["control"] and lemma not in _ADDRESSEE_CONTROL and _is_passive(verb) \
            and not any(c.dep_ == "agent" for c in kids):
        # "The council is expected to approve the budget": a forecast with no holder, like
        # "seems to", is the writer's (GUIDELINES: "is expected to" is no attribution); not
        # "voters were asked to ..." either
        return None
    if x and lemma in lex["control"]:
        objs = [c for c in kids if c.dep_ == "dobj" and c.i < x[0].i]
        if not objs and lemma in lex["prep_object"]:
            # "called on Mrs. Clinton to draw from her war chest": the addressee is the pobj
            objs = [g for c in kids if c.dep_ == "prep" and c.lower_ in lex["prep_object"][lemma]
                    and verb.i < c.i < x[0].i for g in c.children if g.dep_ == "pobj"][:1]
        start = objs[0].left_edge.i if objs and lemma not in ("tell", "ask", "invite", "beg",
                                                             "advise", "push", "warn") else x[0].left_edge.i
        if objs and lemma in ("want", "expect", "need", "like", "prefer", "hate", "love"):
            start = objs[0].left_edge.i
        end = x[0].right_edge.i + 1
        # "pledged to meet and exceed his goals": the parser hangs the second infinitive
        # (bare, subjectless) on the cue verb; it is part of the intention
        for c in kids:
            if c.dep_ == "conj" and c.i > x[0].i and c.tag_ in ("VB", "VBP") and not any(
                    g.dep_ in SUBJ_DEPS for g in c.children):
                end = max(end, c.right_edge.i + 1)
        return start, end, []
    if lemma in lex["np_object"] and _is_passive(verb):
        # "Mr. Quiros was accused of using $50 million ...", "peacekeepers have been blamed for
        # introducing cholera": the charge is the subject plus the of/for object
        subj = next((c for c in kids if c.dep_ == "nsubjpass" and c.i < verb.i), None)
        prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i > verb.i), None)
        obj = next((g for g in prep.children if g.dep_ in ("pcomp", "pobj")), None) if prep is not None else None
        if subj is not None and obj is not None and subj.lower_ not in RELATIVE_PRONOUNS:
            a, b = subj.left_edge.i, obj.right_edge.i + 1
            return a, b, [(subj.right_edge.i + 1, obj.left_edge.i)]
    objs = [c for c in kids if c.dep_ in OBJ_DEPS and c.i > verb.i]
    if lemma in lex["as_predicate"] and lemma not in lex["np_object"] and (objs or _is_passive(verb)):
        # "voters see Trump as the most unfair": a belief only with its "as" predicate (the
        # parser may hang "as" on the object: "see immigrants as a burden and as people who ...")
        holder = objs[0] if objs else next((c for c in kids if c.dep_ == "nsubjpass" and c.i < verb.i), None)
        if holder is None or holder.lower_ in RELATIVE_PRONOUNS:
            return None
        as_ = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "as" and c.i > max(holder.i, verb.i)), None)
        if as_ is None:
            # "seen by some as a demotion": "as" hung on the agent
            around = [holder] if objs else [g for c in kids if c.dep_ == "agent" for g in c.children]
            as_ = next((c for h in around for c in h.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        if as_ is None:
            return None
        end = as_.right_edge.i + 1
        for c in list(kids) + list(as_.children):
            if c.dep_ == "conj" and c.lower_ == "as" and c.i > as_.i:
                end = max(end, c.right_edge.i + 1)
        if objs:
            return holder.left_edge.i, end, []
        # "Delaware and Maryland are widely seen as Clinton strongholds": the subject and
        # its predicate, as with passive accusations
        return holder.left_edge.i, end, [(holder.right_edge.i + 1, as_.i)]
    if lemma in ("compare", "liken") and any(c.dep_ == "nsubj" for c in kids):  # not "rose 5% compared to 2015"
        # "likened the rules to 'burning the Constitution'", "compared Trump to a coach who
        # is working the referees": what the target is likened to is the claim
        holders = [verb] + [c for c in kids if c.dep_ in ("dobj", "npadvmod") and c.i > verb.i]
        to = next((g for h in holders for g in h.children if g.dep_ == "prep" and g.lower_ == "to"
                   and g.i > verb.i), None)
        pobj = next((g for g in to.children if g.dep_ in ("pobj", "pcomp")), None) if to is not None else None
        if pobj is not None:
            a, b = pobj.left_edge.i, pobj.right_edge.i + 1
            dash = next((k for k in range(pobj.i + 1, b) if doc[k].text in ("-", "—", "–", "--")), None)
            return a, dash if dash is not None else b, []
    if objs and lemma == "ask" and objs[0].lower_ not in ("what", "how", "why", "whether"):
        objs = []  # "asked Clinton about her emails": the addressee, not the question
    if objs and lemma in lex["np_object"]:
        o = objs[0]
        if _not_a_telling(verb, o):
            return None
        if lemma == "find" and not any(c.dep_ in ("oprd", "ccomp", "xcomp", "acomp") for c in kids):
            subj = _subject(verb)
            if subj is None or subj.lemma_.lower() not in lex["document"]:
                return None  # "leaders found little unity": finding a thing, not a finding
        b = o.right_edge.i + 1
        if o.dep_ == "oprd":
            # "what it calls new intelligence showing ...": the participle is the name's own claim
            acl = next((g for g in o.children if g.dep_ == "acl" and g.i > o.i), None)
            b = acl.left_edge.i if acl is not None else b
        # the object's predicate: "called the deal 'a disaster'", "accused Clinton of lying",
        # "compared her to a heretic", "denounced the remarks as hurtful"
        extended = False
        for c in kids:
            if c.i > o.i and (c.dep_ in ("oprd", "ccomp", "xcomp", "acomp")
                              or (c.dep_ == "prep" and c.lower_ in OBJECT_PREDICATE_PREPS)):
                acl = next((g for g in c.children if g.dep_ == "acl" and g.i > c.i), None) if c.dep_ == "oprd" else None
                # "what it calls new intelligence showing ...": the participle is the name's own claim
                b = max(b, acl.left_edge.i if acl is not None else c.right_edge.i + 1)
                extended = True
        if o.pos_ != "PRON" or extended or o.lower_ in ("what", "how", "why", "whether"):
            # modifiers of the object the parser hung on the verb: "cited reports of attacks
            # in recent years, including this week's warnings", "recalled his generosity in
            # support of an anti-hunger program"
            for c in kids:
                if c.i >= b and c.dep_ in ("prep", "npadvmod") and c.lower_ not in ("by",) \
                        and c.left_edge.i <= b + 1 and not _circumstance(c):
                    b = max(b, c.right_edge.i + 1)
            return o.left_edge.i, b, []
    preps = lex["prep_object"].get(lemma)
    if preps:
        for c in kids:
            if c.dep_ in ("prep", "prt") and c.lower_ in preps and c.i > verb.i:
                objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                if objs:
                    end = objs[0].right_edge.i + 1
                    for g in kids:
                        if g.i <= objs[0].i:
                            continue
                        # "spoke of the legacy of racism, and how the fight for justice flowed
                        # through ...": a second, wh- or that- object hung on the cue verb
                        if g.dep_ == "conj" and doc[g.left_edge.i].lower_ in _WH_OBJECTS:
                            end = max(end, g.right_edge.i + 1)
                        # the object's predicate: "referred to her as 'the devil'", "called on
                        # Clinton to fund turnout efforts"
                        if (g.dep_ == "prep" and g.lower_ == "as") or (g.dep_ in ("xcomp", "oprd") and g.i == end):
                            end = max(end, g.right_edge.i + 1)
                    return objs[0].left_edge.i, end, []
    return None


# Verbs that also mean withholding something from someone: with two objects ("denied the
# family the service", "had been denied a licence") they are refusals, not denials.
_WITHHOLD_VERBS = frozenset({"deny", "refuse"})
# Naming verbs: "labelled one of the animals a dad" names; "called the plan a disaster",
# "labelled it 'a blatant abuse'" judges. Only a judging (or quoted) name is an attribution.
# ("call X Y" is left to the parse: PolNeAR counts nearly every "called him Y" as an attitude.)
_NAMING_VERBS = frozenset({"label", "dub", "term", "name", "nickname", "christen"})


def _not_a_telling(verb, o) -> bool:
    """An NP-object cue used as an action: a refusal with two objects, or a plain name given."""
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    if lemma in _WITHHOLD_VERBS and (any(c.dep_ == "dative" for c in kids)
                                     or (_is_passive(verb) and o.dep_ == "dobj")):
        return True
    if lemma in _NAMING_VERBS:
        pred = next((c for c in kids if c.dep_ == "oprd" and c.i > o.i), None)
        if pred is None:
            pred = next((c for c in o.children if c.dep_ in ("appos", "oprd") and c.i > o.i), None)
        if pred is not None:
            words = verb.doc[pred.left_edge.i:pred.right_edge.i + 1]
            quoted = any(t.text in QUOTE_CHARS for t in verb.doc[max(pred.left_edge.i - 1, 0):pred.right_edge.i + 2])
            if not quoted and not _judging(words):
                return True
    return False


def _judging(words) -> bool:
    """Whether a phrase carries a judgement (a word of VADER's lexicon: "a disaster", "a liar")."""
    from .sentiment import vader_lexicon

    words_of_vader = vader_lexicon()
    return any(t.lower_ in words_of_vader or t.lemma_.lower() in words_of_vader for t in words)


def _quoted_part(doc, clause, a: int, b: int) -> int:
    """Where the content of a tag that follows it starts: after the writer's own lead-in
    ("... is no mystery: 'I love depreciation,' he said"; "the rule benefits the rich, and
    such income 'is highly concentrated ...,' said Batchelder")."""
    quoted = [k for k in range(a, b) if doc[k].text in QUOTE_CHARS]
    if not quoted:
        return a
    colon = max((k for k in range(a, quoted[0]) if doc[k].text in (":", ";")), default=None)
    if colon is not None:
        return colon + 1
    if len(clause) == 1:
        root = clause[0]
        conj = next((c for c in root.children if c.dep_ == "conj" and c.i > root.i
                     and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)), None)
        if conj is not None and conj.left_edge.i <= quoted[0]:
            return conj.left_edge.i
    return a


# Openers of a trailing clause that is the writer's aside, not the source's words: "he
# claimed that paying no taxes was smart, although he again refused to ...", "analysts said
# the factors have contributed ..., citing the strategic importance of ...".
_ASIDE_MARKS = frozenset({"although", "though", "whereas", "while"})
_ASIDE_PARTICIPLES = frozenset({"cite", "say", "add", "note", "argue"})


def _writer_tail(doc, a: int, b: int) -> int:
    """Where a clausal content that follows its cue ends: before a comma-led concessive
    clause or speech participle the parser hung inside it, when that runs to the end."""
    for k in range(a + 1, b):
        t = doc[k]
        if t.dep_ != "advcl" or not a <= t.head.i < b or doc[t.left_edge.i - 1].text != ",":
            continue
        if t.right_edge.i + 1 < b and not all(doc[j].is_punct for j in range(t.right_edge.i + 1, b)):
            continue
        first = doc[t.left_edge.i]
        if (first.lower_ in _ASIDE_MARKS and first.dep_ == "mark") or \
                (t.tag_ == "VBG" and first.i == t.i and t.lemma_.lower() in _ASIDE_PARTICIPLES):
            return t.left_edge.i - 1
    return b


# Control verbs whose object is the addressee told to act ("urged voters to ..."): in the
# passive their subject is that addressee, not part of what is expected.
_ADDRESSEE_CONTROL = frozenset({"advise", "ask", "beg", "call", "encourage", "invite", "order", "press", "push",
                                "tell", "urge", "warn"})


_TELLING_MEDIA = frozenset({"statement", "interview", "speech", "letter", "ruling", "opinion", "post", "tweet",
                            "email", "e-mail", "memo", "op-ed", "essay", "column", "editorial", "address",
                            "testimony", "hearing", "debate", "briefing", "conference", "podcast", "broadcast",
                            "twitter", "facebook", "instagram", "television", "radio", "video", "message"})
_CIRCUMSTANCE_PREPS = frozenset({"at", "during", "after", "before", "amid", "since", "until", "while", "throughout"})


def _medium_participle(noun):
    """The participle modifying a medium of telling ("a statement posted online", "a letter
    sent to members"), or None."""
    return next((g for g in noun.children if g.dep_ == "acl" and g.tag_ == "VBN" and g.i > noun.i), None)


def _circumstance(c) -> bool:
    """A when or where of the telling, not part of what was told: "praised Obama after the
    meeting", "endorsed Clinton last July", "repeated his position at a town hall"."""
    if c.dep_ == "npadvmod":
        return c.ent_type_ in ("DATE", "TIME") or c.lower_ in ("today", "yesterday", "tonight")
    if c.lower_ in _CIRCUMSTANCE_PREPS:
        return True
    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
    if obj is not None and c.lower_ in ("in", "on") and obj.lemma_.lower() in _TELLING_MEDIA:
        return True  # the medium of the telling: "rejected that argument in a ruling", "on Twitter"
    return obj is not None and obj.ent_type_ in ("DATE", "TIME")


# Words that open a clause which can be the object of a cue ("how", "why", "that" ...).
_WH_OBJECTS = frozenset({"how", "why", "what", "whether", "that", "where", "when", "who"})


def _subtree_excl(verb, clause):
    """Token range of the cue verb with its own subject etc. when it sits inside its content."""
    a, b = verb.i, verb.i + 1
    for c in verb.children:
        if c in clause:
            continue
        if c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "punct", "dative", "prep", "npadvmod"):
            ca, cb = _subtree(c)
            if cb <= min(x.left_edge.i for x in clause) or ca >= verb.i:
                a, b = min(a, ca), max(b, cb)
    return a, b


def _cue_span(verb, lex) -> Span:
    doc = verb.doc
    a, b = verb.i, verb.i + 1
    if verb.lemma_.lower() in lex["it_tags"]:  # "puts it"
        b = max(b, max((c.i + 1 for c in verb.children if c.dep_ == "dobj" and c.lower_ == "it"), default=b))
    parts = lex["particles"].get(verb.lemma_.lower())
    if parts:
        for c in verb.children:
            if c.dep_ == "prt" and c.lower_ in parts:
                b = max(b, c.i + 1)
    # passive evidential keeps its auxiliary: "is believed", "was reported"
    if _is_passive(verb):
        aux = [c for c in verb.children if c.dep_ == "auxpass"]
        if aux:
            a = min(a, aux[0].i)
    # a negated attitude shows its negation: "did not want", "never believed"
    neg = [c for c in verb.children if c.dep_ == "neg" and c.i < verb.i]
    if neg:
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < neg[0].i]
        start = min([neg[0].i] + [c.i for c in aux])
        if "\n" not in doc[start:verb.i].text and not any(t.text in QUOTE_CHARS for t in doc[start:verb.i]):
            a = min(a, start)
    return _chars(doc, a, b)


@functools.lru_cache(maxsize=None)
def _hashes() -> dict:
    """String ids of the lexicon entries, to pick candidate tokens from ``Doc.to_array``."""
    from spacy.strings import get_string_id

    lex = _lex()
    ids = lambda words: frozenset(get_string_id(w) for w in words)  # noqa: E731
    cue = (lex["clausal"] | lex["control"] | lex["np_object"] | frozenset(lex["prep_object"]) | lex["evidential"]
           | lex["as_predicate"] | lex["speech_tags"])
    nouns = lex["nominal"] | frozenset(lex["attitude_nouns"]) | lex["intention_nouns"]
    return {"cue": ids(cue), "nominal": ids(nouns), "belief_adjective": ids(lex["belief_adjectives"]),
            "according": ids(("according", "citing")), "in": ids(("in",)), "it_tags": ids(lex["it_tags"]),
            "clear": get_string_id("clear")}


@functools.lru_cache(maxsize=None)
def _content_verbs() -> frozenset:
    """Cue verbs that can have a content of their own (not only a quotation they tag)."""
    lex = _lex()
    return lex["clausal"] | lex["control"] | lex["np_object"] | frozenset(lex["prep_object"]) | lex["it_tags"]


def _it_tag(verb) -> bool:
    """A verb of the lexicon's ``it_tags`` with "it" as its only object: "as Jackson puts it",
    "she put it bluntly", "he put it this way" are speech tags; "put it on the table" and
    "put it off" are not."""
    kids = list(verb.children)
    return any(c.dep_ == "dobj" and c.lower_ == "it" for c in kids) and not any(
        c.dep_ in ("prep", "prt", "dative", "xcomp", "ccomp", "oprd", "advcl") for c in kids)


def _candidate_tokens(doc) -> dict:
    """Token indices each rule family looks at, in one vectorised pass over the Doc."""
    from spacy.attrs import LEMMA, LOWER, POS
    from spacy.symbols import ADJ, AUX, NOUN, VERB

    h = _hashes()
    out = {"verbs": [], "according": [], "in": [], "nouns": [], "adjectives": []}
    if not len(doc):
        return out
    for i, (pos, lemma, lower) in enumerate(doc.to_array([POS, LEMMA, LOWER]).tolist()):
        if pos in (VERB, AUX) and (lemma in h["cue"] or (lemma in h["it_tags"] and _it_tag(doc[i]))):
            out["verbs"].append(i)
        elif pos == NOUN and lemma in h["nominal"]:
            out["nouns"].append(i)
        elif pos == ADJ and (lower in h["belief_adjective"] or lower == h["clear"]):
            out["adjectives"].append(i)
        if lower in h["according"]:
            out["according"].append(i)
        elif lower in h["in"]:
            out["in"].append(i)
    return out


# Beliefs and intentions are reported negated too ("did not want to remain", "don't think
# the economy is improving"); a negated report ("did not say", "has not confirmed") is none.
_NEGATABLE = frozenset({"want", "expect", "think", "believe", "know", "like", "intend", "plan", "wish", "hope",
                        "understand", "doubt", "trust", "agree"})


def _verb_candidates(doc, lex, out, breaks, indices):
    for vi in indices:
        verb = doc[vi]
        if verb.dep_ == "amod" or verb.tag_ == "JJ":  # "the said document", "a reported 12% drop"
            continue
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.lemma_.lower() in _TELLING_MEDIA \
                and verb.head.dep_ == "pobj" and verb.head.head.dep_ == "prep" \
                and verb.head.head.head.lemma_.lower() in lex["clausal"]:
            continue  # "said in a statement posted online that ...": the complement is "said"'s
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "decline" and _declined_telling(verb):
            continue  # "declined to comment on what it called ...": nothing was said
        if _has_neg(verb) and verb.lemma_.lower() not in _NEGATABLE:
            continue  # "did not say" ("declined to comment" below)
        if verb.dep_ == "ROOT" and verb.tag_ == "VB" and not any(c.dep_ in SUBJ_DEPS or c.dep_ == "expl"
                                                                 for c in verb.children):
            continue  # an imperative ("Note: ...", "Consider the facts"): the writer's, no source
        parts = lex["particles"].get(verb.lemma_.lower(), ())
        if any(c.dep_ == "prt" and c.lower_ not in parts and c.lower_ in _MEANING_PARTICLES for c in verb.children):
            continue  # "showing off", "called off", "backed down": another verb
        lemma = verb.lemma_.lower()
        if lemma in lex["evidential"]:
            _evidential_candidate(doc, verb, lex, out)
            continue
        content = None
        if verb.dep_ == "acl" and lemma in lex["evidence_verbs"]:
            content = _evidence_clause(verb, lex)
        if content is None:
            content = _content_of_verb(verb, lex)
        trailing = False
        if content is None:
            content = _trailing_tag_content(verb, lex)
            trailing = content is not None
        if content is None and verb.head.i != verb.i and (
                verb.dep_ == "parataxis"
                or (verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children))):
            # "The plan, she said, is dead." / "As Clyburn noted, voters will ...": the clause
            # the tag interrupts or introduces
            a, b = _clip_to_sentence(verb, *_subtree(verb.head))
            # "Asked whether she had practiced, she said, '...'": a fronted participle clause
            # is the question, its own attribution, not part of the answer
            fronted = [_subtree(c) for c in verb.head.children if c.dep_ == "advcl" and c.tag_ in ("VBN", "VBG")
                       and c.right_edge.i < verb.i]
            content = (a, b, [_subtree(verb)] + fronted)
        if content is None and verb.dep_ in ("relcl", "acl") and lemma in lex["np_object"] and verb.head.i < verb.i \
                and verb.head.pos_ in ("NOUN", "PROPN") and not any(c.dep_ in OBJ_DEPS for c in verb.children
                                                                    if c.lower_ not in RELATIVE_PRONOUNS) \
                and (lemma != "find" or verb.dep_ == "relcl" or any(c.dep_ == "agent" for c in verb.children)):
            # "a point that officials have disputed", "an allegation rejected by the inquiry"
            # (but "a plant found in 2010" was discovered, not found to be anything)
            noun = verb.head
            a = noun.left_edge.i
            b = verb.left_edge.i
            if b > a:
                content = (a, b, [])
        lemma = verb.lemma_.lower()
        src_tok = verb.head if trailing else _source_of(verb)
        if src_tok is None and lemma in lex["clausal"]:
            src_tok = _stranded_subject(verb)
        source = _source_range(src_tok, verb, breaks) if src_tok is not None else None
        if source is not None and verb.dep_ == "acl" and src_tok.i == verb.head.i and source[1] > verb.i:
            # "new intelligence showing ...": the noun phrase up to the participle
            source = _trim(doc, source[0], verb.i)
        if source is None and src_tok is not None:
            source = _np_before(doc, verb, breaks)
            if source is None:
                continue  # the subject is in a heading or caption above: not this paragraph's
        cue = _cue_span(verb, lex)
        if content is None:
            # a bare speech tag ("..., Trump said when asked"): may claim an adjacent quotation
            colon_next = next((doc[k] for k in range(verb.i + 1, min(verb.i + 4, len(doc)))
                               if doc[k].is_punct), None)
            colon_tag = colon_next is not None and colon_next.text == ":" and lemma in lex["np_object"]
            if (lemma in lex["speech_tags"] or lemma in lex["it_tags"] or colon_tag) and src_tok is not None:
                # (and "McCaskill scolded him: '...'": a cue with its addressee, then a colon)
                out.append(_Cand([], source, cue, "indirect", verb.i, doc, src_tok))
            continue
        a, b, holes = content
        if a > verb.i:
            # "said the timing was not intentional; they only learned on Friday ...": what
            # follows a semicolon is a new sentence in all but punctuation
            semi = next((k for k in range(a, b) if doc[k].text == ";"
                         or (doc[k].text == ":" and k + 1 < b and doc[k + 1].text in QUOTE_CHARS)), None)
            if semi is not None and not any(doc[k].text in QUOTE_CHARS for k in range(a, semi)):
                b = semi  # (and a colon opening a quotation: the quote is its own attribution)
            b = _colon_list(doc, b)
        if lemma in ("decline", "refuse") and _withheld_statement(verb):
            continue  # "declined to comment on whether ...", "refused to give a date": an empty report
        if source is not None:
            holes = holes + [source]
        pieces = [_chars(doc, x, y) for x, y in _pieces(doc, a, b, holes)]
        if not pieces:
            continue
        form = "sourceless" if source is None and _is_passive(verb) else "indirect"
        if verb.dep_ == "acl" and lemma in lex["evidence_verbs"] and verb.head.lemma_.lower() in lex["document"]:
            form = "evidence"  # "intelligence showing ...": kept inside an intention's content
        cand = _Cand(pieces, source, cue, form, verb.i, doc, src_tok)
        cand.intention = lemma in lex["control"] and any(c.dep_ == "xcomp" for c in verb.children) \
            and not any(c.dep_ in ("ccomp", "csubj") for c in verb.children)
        cand.own_subject = not (src_tok is not None and src_tok.head.i != verb.i
                                and verb.dep_ in ("conj", "advcl") and lemma in lex["clausal"])
        out.append(cand)


# What a source declines to do when it declines to say something.
_TELLING_ACTS = frozenset({"comment", "elaborate", "say", "give", "discuss", "specify", "confirm", "name", "reveal",
                           "disclose", "answer", "respond", "provide", "detail", "identify", "speculate", "explain",
                           "address", "talk", "describe", "offer", "share", "release"})


def _withheld_statement(verb) -> bool:
    """"declined to comment (on whether ...)", "declined to give a date": the infinitive is an
    act of telling, so nothing was told. (A refusal is an intention PolNeAR annotates:
    "refused to answer" stays.)"""
    if verb.lemma_.lower() != "decline":
        return False
    x = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    return x is not None and _declined_telling(x)


def _declined_telling(x) -> bool:
    """The infinitive of "declined to ..." is a telling with no question of its own ("to
    comment on the talks", "to give a date"); "declined to say whether the deal was
    legal" reports the question (PolNeAR counts it) and stays."""
    return x.lemma_.lower() in _TELLING_ACTS and not any(c.dep_ == "ccomp" for c in x.children)


def _trailing_tag_content(verb, lex):
    """The clause before a sentence-final tag the parser took for a reduced relative ("Sea
    levels are rising faster than estimated, a report by the observatory found on Monday":
    "found" read as "a report [that was] found"): the tag's noun can be a source and hangs on
    the clause's root after a comma, and the verb, a speech or reporting verb, has no object
    of its own."""
    noun = verb.head
    root = verb.sent.root
    if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBN") or noun.i > verb.i \
            or verb.lemma_.lower() not in lex["speech_tags"] | lex["reporting_cues"] \
            or noun.dep_ not in ("npadvmod", "appos", "dep", "attr") or root.i > noun.i \
            or any(c.dep_ in OBJ_DEPS or c.dep_ in ("ccomp", "xcomp", "agent") for c in verb.children):
        return None
    # the noun, one that can be a source ("a report", "officials", "the agency"; not "a vehicle
    # found near the border"), hangs on the root or is an "appositive" of a word before the
    # root (across it)
    if not _source_like(noun, lex) or (noun.head.i != root.i and not (noun.dep_ == "appos" and noun.head.i < root.i)):
        return None
    doc = verb.doc
    start = noun.left_edge.i
    if start == 0 or doc[start - 1].text != "," or doc[start - 1].head.i not in (root.i, noun.head.i):
        return None
    return root.left_edge.i, start - 1, []


# Particles that turn a cue verb into another verb ("show off", "call off", "back down");
# the particles a cue keeps are listed in the lexicon's "particles".
_MEANING_PARTICLES = frozenset({"off", "down", "up", "away", "over", "around", "back"})


def _colon_list(doc, b: int) -> int:
    """A content that stops at a colon takes what the colon introduces in the same sentence
    ("reaffirmed that his biggest liability is his name recognition: 42% of Ohioans ...",
    "echoed a theme: increased trade is good for all three"), unless that is a quotation
    (its own attribution) or the colon ends the sentence."""
    k = b
    while k < len(doc) and doc[k].is_space:
        k += 1
    if k + 1 >= len(doc) or doc[k].text != ":" or doc[k + 1].is_sent_start:
        return b
    end = doc[k].sent.end
    if any(doc[j].text in QUOTE_CHARS for j in range(k + 1, end - 1)):
        return b
    return end


def _evidential_candidate(doc, verb, lex, out):
    """"It appears that ...", "it seems the vote was delayed": a sourceless attribution of
    the clause. The raising form with no holder ("Ties between the two countries seem to
    have cooled", "Security forces appeared to hold back") is the writer's hedge about its
    own subject, not a report of anyone's: it yields nothing here (the hedging layer has it)."""
    kids = list(verb.children)
    clause = next((c for c in kids if c.dep_ == "ccomp" and c.i > verb.i), None)
    subj = next((c for c in kids if c.dep_ in ("nsubj", "expl")), None)
    if clause is None or not (subj is None or subj.dep_ == "expl" or subj.lower_ == "it"):
        return
    pieces = [_chars(doc, x, y) for x, y in _pieces(doc, *_subtree(clause), [])]
    if pieces:
        out.append(_Cand(pieces, None, _cue_span(verb, lex), "sourceless", verb.i, doc))


_SAID_TO = frozenset({"say", "report", "rumor", "rumour", "allege", "claim"})


def _holderless_raising(tok, lex) -> bool:
    """"X seems to ...", "X is expected to ...", "X is believed to ...": a raising or passive
    verb with a to-infinitive, no agent and no clause of its own, the writer's hedge about
    its subject (GUIDELINES.md: hedge only, or neither), never a sourceless attribution."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in _SAID_TO or (lemma not in lex["evidential"]
                             and not (_is_passive(tok) and lemma in lex["control"] | lex["clausal"])):
        return False  # ("X is said to ..." reports unnamed others' speech: an attribution)
    kids = list(tok.children)
    if any(c.dep_ in ("agent", "ccomp") for c in kids):
        return False
    x = next((c for c in kids if c.dep_ == "xcomp" and c.i > tok.i), None)
    return x is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in x.children)


def _vetoed(tok, lex) -> bool:
    """A verb the rules decided is not a report: a holderless raising verb, a refusal with
    two objects, a plain name given, a declined statement."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if _holderless_raising(tok, lex):
        return True
    lemma = tok.lemma_.lower()
    if lemma in ("decline", "refuse") and _withheld_statement(tok):
        return True
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "decline" and _declined_telling(tok):
        return True  # "declined to comment on what it called ...": the declined telling itself
    if lemma == "expect" and _is_passive(tok) and not any(c.dep_ in ("agent", "ccomp") for c in tok.children):
        return True  # "the envoy is expected for talks on Monday": awaited, nobody's forecast
    o = next((c for c in tok.children if c.dep_ in OBJ_DEPS and c.i > tok.i), None)
    return o is not None and _not_a_telling(tok, o)


def _evidence_clause(verb, lex):
    """The finding of "intelligence showing Iran could rebuild ..." when the parser hung the
    finding clause on a verb higher up: the clause that starts right after the participle."""
    noun = verb.head
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lex["document"]:
        return None
    doc = verb.doc
    if any(c.dep_ in ("ccomp", "prt") for c in verb.children):
        return None  # parsed right (the clause is the participle's own), or "showing off"
    start = verb.i + 1
    if start < len(doc) and doc[start].lower_ == "that":
        start += 1
    own_end = verb.right_edge.i + 1
    sent = verb.sent
    for t in doc[start:sent.end]:
        if t.dep_ != "ccomp" or t.pos_ not in ("VERB", "AUX") or verb.left_edge.i <= t.head.i < own_end:
            continue
        # the clause starts right after the participle, or its subject was parsed as the
        # participle's object ("data showing [the deficit] had doubled")
        first = next((x.i for x in t.subtree if x.i >= start), None)  # the parse may give it a subject before
        if first == start or (first is not None and start < first == own_end):
            a, b = _clip_to_sentence(verb, start, t.right_edge.i + 1)
            return a, b, []
    return None


def _according_candidates(doc, lex, out, indices):
    for ti in indices:
        tok = doc[ti]
        low = tok.lower_
        if low == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None:
                continue
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            cue = _chars(doc, tok.i, to.i + 1)
        elif low == "citing" and tok.dep_ in ("advcl", "xcomp", "acl", "prep", "pcomp"):
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is not None and not _source_like(obj, lex):
                # '"...," McCain said, citing low economic growth', "praised the economy, citing
                # low unemployment": evidence, not a source (but "Bloomberg reported, citing
                # people familiar with the talks")
                continue
            cue = _chars(doc, tok.i, tok.i + 1)
        else:
            continue
        if obj is None:
            continue
        head = tok.head
        if head.i == tok.i:
            # fronted or sentence-level: the rest of the sentence
            a, b = tok.sent.start, tok.sent.end
        else:
            while head.dep_ not in ("ROOT", "ccomp", "conj", "relcl", "advcl", "parataxis") and head.head.i != head.i:
                head = head.head
            a, b = _subtree(head)
            a, b = _clip_to_sentence(tok, a, b)
        clause = _chain_clause(head, lex) if head.i != tok.i else None
        if clause is not None:
            # a chain: what X is cited for is what the tag reports, not the tag itself
            a, b = _clip_to_sentence(tok, *_subtree(clause))
        src = _source_range(obj)
        pieces = [_chars(doc, x, y) for x, y in _pieces(doc, a, b, [_subtree(tok)])]
        if pieces:
            cand = _Cand(pieces, src, cue, "according_to", tok.i, doc, obj)
            cand.cites_source = _source_like(obj, lex)
            out.append(cand)


def _chain_clause(verb, lex):
    """The reported clause of a speech or reporting tag ("the Review said", "Bloomberg has
    reported", "officials warned") that an "according to X" / "citing X" hangs on: a chain,
    two layers of one report with one content ("X, the Review said, citing people familiar
    with the matter"; GUIDELINES.md, "Chains"). None for any other verb ("the talks have
    stalled, according to ...", "officers saw ...") or a tag with no subject or clause."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in lex["speech_tags"] | lex["reporting_cues"]:
        return None
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    subj = _subject(verb)
    if clause is None or subj is None or clause.left_edge.i <= subj.i <= clause.right_edge.i:
        return None
    return clause


def _source_like(tok, lex) -> bool:
    """Whether a noun phrase's head can be a source: a name, a pronoun, or a noun of the
    people, document, outlet or organisation lists ("people familiar with ...", "a court
    filing", "the newspaper") -- not a fact ("low economic growth", "safety concerns")."""
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    lemma = tok.lemma_.lower()
    return lemma in ("people", "person") or any(
        lemma in lex[k] for k in ("document", "media_nouns", "anonymous", "group", "organization", "title"))


def _frame_candidates(doc, lex, out, indices):
    """"In a CBS poll, Trump leads ...", "In an interview, she said ...": the document is a source.

    Only when the clause has no speech cue of its own (the cue's subject is the source then).
    """
    cue_lemmas = lex["clausal"] | lex["control"]
    for pi in indices:
        prep = doc[pi]
        if prep.lower_ != "in" or prep.dep_ != "prep":
            continue
        head = prep.head
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        part = _partitive(obj) if obj is not None else None
        noun = part if part is not None else obj  # "in the vast majority of the polls": the polls
        if noun is None or noun.lemma_.lower() not in lex["frame_nouns"] or noun.lemma_.lower() in ("interview", "speech", "remarks"):
            continue
        poll_lead = head.pos_ == "NOUN" and noun.lemma_.lower() in ("poll", "survey") and head.dep_ in OBJ_DEPS
        if poll_lead:
            head = head.head  # "Trump has a decisive lead in the polls": the lead's clause
        if head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in cue_lemmas:
            continue
        if prep.i > head.i and not poll_lead:
            continue  # "was shown in a video", "stated in the email": a setting, not a frame
        a, b = _clip_to_sentence(prep, *_subtree(head))
        pieces = [_chars(doc, x, y) for x, y in _pieces(doc, a, b, [_subtree(prep)])]
        if pieces:
            out.append(_Cand(pieces, _source_range(obj), _chars(doc, prep.i, prep.i + 1), "according_to", prep.i, doc, noun))


def _adjective_candidates(doc, out, breaks, indices):
    """ "Officials are confident that the bridge will reopen", "she is aware that ...": a
    predicative adjective of belief with its that-clause; the copula's subject is the source
    and the copula stays in the cue ("are confident")."""
    for ai in indices:
        adj = doc[ai]
        if adj.lower_ == "clear":
            # "Clinton made it clear that she would veto the bill", "has made clear that ...":
            # the parser hangs the that-clause on "clear" or on "made"
            head = adj.head
            if head.lemma_.lower() != "make" or head.i > adj.i or adj.dep_ not in ("acomp", "ccomp", "oprd", "xcomp"):
                continue
            clause = next((c for h in (adj, head) for c in h.children if c.i > adj.i and (
                c.dep_ == "ccomp" or (c.dep_ in ("advcl", "csubj") and doc[c.left_edge.i].lower_ == "that"))), None)
        else:
            if adj.dep_ not in ("acomp", "ROOT"):
                continue
            clause = next((c for c in adj.children if c.dep_ == "ccomp" and c.i > adj.i), None)
            head = adj.head if adj.dep_ == "acomp" else adj
        if clause is None:
            continue
        if negated(adj):
            continue  # "not sure that": no belief is reported
        src_tok = _subject(head)
        if src_tok is None or src_tok.lower_ in RELATIVE_PRONOUNS:
            continue
        source = _source_range(src_tok, adj, breaks)
        if source is None:
            continue
        cue_start = head.i if head.i < adj.i and head.pos_ in ("AUX", "VERB") else adj.i
        pieces = [_chars(doc, x, y) for x, y in _pieces(doc, *_subtree(clause), [])]
        if pieces:
            out.append(_Cand(pieces, source, _chars(doc, cue_start, adj.i + 1), "indirect", adj.i, doc, src_tok))


def _nominal_candidates(doc, lex, out, indices):
    for ni in indices:
        noun = doc[ni]
        if noun.pos_ != "NOUN":
            continue
        clause = [c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                  and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
        if not clause or noun.lemma_.lower() not in lex["nominal"]:
            _attitude_noun_candidate(doc, noun, lex, out)
            continue
        src = None
        for c in noun.children:
            if c.dep_ == "poss":
                src = c
            elif c.dep_ == "prep" and c.lower_ in ("from", "by", "of") and c.i < clause[0].i:
                src = next((g for g in c.children if g.dep_ == "pobj"), src)
        if src is None and noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
            src = _subject(noun.head.head)  # "the ministry said in a statement that ...": the speaker
        a, b = _subtree(clause[0])
        pieces = [_chars(doc, x, y) for x, y in _pieces(doc, a, b, [])]
        if pieces and src is None:
            # "growing concerns that ...", "the claim that ...": held by someone unnamed
            out.append(_Cand(pieces, None, _chars(doc, noun.i, noun.i + 1), "nominal", noun.i, doc))
        elif pieces:
            out.append(_Cand(pieces, _source_range(src), _chars(doc, noun.i, noun.i + 1), "nominal", noun.i, doc, src))


def _attitude_noun_candidate(doc, noun, lex, out):
    """"the NRA's opposition to expanding checks", "his refusal to tackle the problem": a
    possessed noun of support, opposition, view or intention; the possessor is the source."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is None:
        return  # "support for the bill was strong": no holder
    lemma = noun.lemma_.lower()
    target = None
    if lemma in lex["intention_nouns"]:
        target = next((c for c in noun.children if c.dep_ in ("acl", "relcl") and c.i > noun.i and c.pos_ == "VERB"
                       and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
    preps = lex["attitude_nouns"].get(lemma)
    if target is None and preps:
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in preps and c.i > noun.i), None)
        if prep is not None:
            target = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
    if target is None:
        return
    pieces = [_chars(doc, x, y) for x, y in _pieces(doc, *_subtree(target), [])]
    if pieces:
        out.append(_Cand(pieces, _source_range(poss), _chars(doc, noun.i, noun.i + 1), "nominal", noun.i, doc, poss))


def _colon_candidates(doc, text, quotes, out, covered):
    """``Speaker: "quote"`` at the start of a paragraph or sentence."""
    for qs, qe in quotes:
        j = qs - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0 or text[j] != ":":
            continue
        colon = doc.char_span(j, j + 1, alignment_mode="expand")
        if colon is None:
            continue
        ci = colon.start
        a = ci
        while a > 0 and a > ci - 6 and not doc[a - 1].is_punct and not doc[a - 1].is_space and "\n" not in doc[a - 1].text_with_ws[-1:]:
            a -= 1
        if a == ci:
            continue
        nps = doc[a:ci]
        if not any(t.pos_ == "PROPN" or (t.is_title and t.is_alpha) for t in nps) \
                or any(t.pos_ in ("VERB", "AUX") for t in nps):
            continue
        if (qs, qe) in covered:
            continue
        t = _trim_chars(text, qs, qe)
        if t:
            out.append(_Cand([t], (a, ci), (j, j + 1), "colon", ci, doc))
    _colon_line_candidates(doc, text, out)


# Words that open a "Label: text" line without being a speaker ("Note: ...", "Photo: ...").
_COLON_LABELS = frozenset({"note", "photo", "video", "update", "updated", "editor", "correction", "source", "watch",
                           "read", "related", "see", "listen", "credit", "image", "caption", "getty", "warning",
                           "breaking", "analysis", "opinion", "exclusive", "live", "transcript", "alert", "spoiler",
                           "summary", "background", "context", "disclaimer", "disclosure", "advertisement", "tags",
                           "topics", "share", "comments", "editors", "sources", "photos", "videos", "graphic",
                           "map", "chart", "audio", "podcast", "newsletter", "subscribe", "follow", "contact",
                           # click-bait headline openers ("BOOM: Trump Just Fired ...", "LOOK: ...")
                           "boom", "bombshell", "wow", "look", "huge", "shocking", "busted", "flashback", "yikes",
                           "whoa", "developing", "confirmed", "revealed", "must-see", "urgent"})


# A transcript turn's speaker label: "WALLACE: ...", "Sen. Kaine: ...".
_TURN_LABEL = re.compile(r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}: ")


def _colon_line_candidates(doc, text, out):
    """A paragraph opening ``Speaker: statement`` with no quotation marks: headline style
    ("Graham: Trump's rhetoric is destroying the party") and transcripts ("TAPPER: And ...").

    The speaker is a short name (a proper noun, or a document/media noun: "Poll:",
    "Report:"); the statement runs to the end of the line and must hold a verb.
    """
    lex = _lex()
    j = text.find(":")
    while j >= 0:
        nxt = j
        j = text.find(":", j + 1)
        line_start = text.rfind("\n", 0, nxt) + 1
        while line_start < nxt and text[line_start] in "\"“'‘":
            line_start += 1  # transcripts open each turn with a quotation mark: '"WALLACE: ...'
        head = text[line_start:nxt]
        dash = max(head.rfind(" – "), head.rfind(" — "), head.rfind(" - "))
        if dash >= 0:  # "EXCLUSIVE – Roger Stone: ...": a page label before the speaker
            line_start += dash + 3
            head = text[line_start:nxt]
        if not head.strip() or len(head) > 60 or head.count(" ") > 5 or any(ch in head for ch in ".,;!?\"“”()[]"):
            continue
        k = nxt + 1
        while k < len(text) and text[k] == " ":
            k += 1
        if k >= len(text) or text[k] in "\n\"“«" or text[k].isdigit():
            continue  # a quotation (the rule above), a line break or a time ("11:35"); single
            # quotation marks are headline style ("Carly Fiorina: 'Bill Clinton's fair game.'")
        line_end = text.find("\n", k)
        line_end = len(text) if line_end < 0 else line_end
        sp = doc.char_span(line_start, nxt, alignment_mode="contract")
        body = doc.char_span(k, line_end, alignment_mode="contract")
        if sp is None or body is None or not len(sp) or len(body) < 3:
            continue
        if any(t.pos_ in ("VERB", "AUX") for t in sp) or sp[0].lower_ in _COLON_LABELS:
            continue
        last = sp[-1]
        named = any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in sp) or (
            len(sp) == 1 and (sp[0].is_title or sp[0].is_upper) and sp[0].is_alpha and len(sp[0]) > 2
        )  # a lone capitalised word is a speaker label ("Sanders:", "PENCE:"); labels are listed above
        document = last.lemma_.lower() in lex["document"] | lex["media_nouns"] and last.lemma_.lower() != "note"
        if not named and not document:
            continue
        speaker_on_topic = len(sp) > 2 and sp[0].pos_ == "PROPN" and sp[1].lower_ == "on"  # "Obama on Climate: ..."
        alpha = [t for t in sp if t.is_alpha]
        a_name = len(alpha) <= 3 and all(t.pos_ == "PROPN" and t.is_title for t in alpha)  # "Carly Fiorina:"
        if len(alpha) >= 2 and not document and not speaker_on_topic and not a_name and not any(
                t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in sp):
            continue  # a title-case subhead ("Little Relief for Refugees: ..."), not a speaker's name
        words = [t for t in body if t.is_alpha]
        headline = len(words) >= 4 and sum(t.is_title or t.is_upper or t.is_stop for t in words) == len(words) \
            and sum(t.is_title for t in words) >= len(words) / 2
        if not any(t.pos_ in ("VERB", "AUX") for t in body) and not headline:
            continue  # title-case headlines tag their verbs as proper nouns ("Voters Abandon Party")
        t = _trim_chars(text, k, line_end)
        if t:
            out.append(_Cand([t], (sp.start, sp.end), (nxt, nxt + 1), "colon", sp.end - 1, doc))


def _trim_chars(text: str, s: int, e: int) -> Span | None:
    while s < e and text[s] in EDGE_PUNCT:
        s += 1
    while e > s and text[e - 1] in EDGE_PUNCT:
        e -= 1
    return (s, e) if e - s > 1 else None


_TRAILING_LINKS = ("and", "but", "while", "before", "after", "then", "also")


def _strip_conj(text: str, start: int, end: int) -> int:
    """End offset with trailing commas and coordinators ("..., and", "... but") removed."""
    while True:
        seg = text[start:end].rstrip(" ,;—–-\n")
        words = seg.rsplit(None, 1)
        if len(words) == 2 and words[1].lower() in _TRAILING_LINKS:
            end = start + len(words[0])
            continue
        return start + len(seg)


def _para_breaks(text: str) -> list[int]:
    """Offsets of paragraph breaks (blank lines)."""
    out, i = [], text.find("\n\n")
    while i >= 0:
        out.append(i)
        i = text.find("\n\n", i + 2)
    return out


_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from"})


def _is_split_half(doc, tag, qs: int) -> bool:
    """Whether a quotation at ``qs`` is the second half of the split quote of ``tag``
    (``((start, end), candidate)``, the last tag before it): the tag already holds the
    quotation before it, and between them stand only commas or dashes, or the rest of the
    tag up to a comma in one sentence ("told reporters outside parliament,", "said in a
    statement,")."""
    (ts, te), c = tag
    if not c.cue or not c.pieces or c.pieces[0][1] > ts:
        return False
    gap = doc.text[te:qs]
    if len(gap) <= 4 and gap.strip() and all(ch in _GAP_AFTER_TAG for ch in gap) and "\n" not in gap:
        return True
    if not gap.rstrip().endswith(",") or len(gap) > 80 or any(ch in ".!?;:\n" for ch in gap):
        return False
    cue = doc.char_span(c.cue[0], c.cue[1], alignment_mode="expand")
    words = [t for t in doc.char_span(te, qs, alignment_mode="contract") or () if not t.is_punct and not t.is_space]
    if cue is None or not words:
        return False
    root = cue.root

    def own_word(t) -> bool:
        # a dependent of the cue verb, not inside a clause of its own under it
        for a in (t, *t.ancestors):
            if a.i == root.i:
                return True
            if a.dep_ in ("ccomp", "conj", "parataxis"):
                return False
        return False

    return all(own_word(t) for t in words)


def _looks_like_title(quote: str) -> bool:
    """A quotation in headline case without sentence punctuation: a title, not speech."""
    body = quote.strip(" \"“”«»'`‘’")
    if any(ch in body for ch in ".,;!?"):
        return False
    words = [w for w in body.split() if w[:1].isalpha()]
    content = [w for w in words[1:] if w.lower() not in _TITLE_SMALL_WORDS]
    return bool(content) and all(w[:1].isupper() for w in content)


def _words(text: str) -> int:
    return len(text.split())


def _tag_range(doc, c) -> Span:
    """Characters of an attribution's tag: its cue and its whole source phrase."""
    lo, hi = c.cue if c.cue else (c.anchor_char, c.anchor_char)
    if c.source_full:
        lo, hi = min(lo, c.source_full[0]), max(hi, c.source_full[1])
    return lo, hi


_GAP_BEFORE_TAG = frozenset(" ,—–-\n")
_GAP_AFTER_TAG = frozenset(" ,:—–-\n")


def _attach_quotes(doc, text, quotes, cands):
    """Quote-aware content: quotations next to a tag join it; later quotations continue it.

    1. a quotation overlapping a candidate's content extends that content to the whole
       quotation (multi-sentence quotes the parser split);
    2. a free quotation of MIN_QUOTE_WORDS+ words directly before a tag ('"...," she said')
       or directly after it ('he said: "..."'), in the same paragraph, joins that tag
       (both halves of a split quote join the same tag);
    3. a free quotation whose preceding text, back to the previous attribution in the same
       or previous paragraph, is only whole sentences of that attribution continues it.
    """
    if not quotes:
        return
    tags = sorted(((_tag_range(doc, c), c) for c in cands), key=lambda x: x[0][0])
    tag_starts = [t[0][0] for t in tags]
    used = set()
    for q in quotes:
        qs, qe = q
        t = _trim_chars(text, qs, qe)
        if t is None or _TURN_LABEL.match(text, qs + 1, qe):
            used.add(q)  # '"PENCE: ...': a transcript turn, its own speaker (the colon-line rule)
            continue
        owner = None
        for c in cands:
            if any(ps < qe and qs < pe for ps, pe in c.pieces) and c.cue and not (qs <= c.cue[0] < qe):
                owner = c
                break
        if owner is not None:
            new, merged = [], False
            for ps, pe in owner.pieces:
                if ps < qe and qs < pe:
                    if not merged:
                        new.append((min(ps, t[0]), max(pe, t[1])))
                        merged = True
                else:
                    new.append((ps, pe))
            owner.pieces = _merge(new)
            used.add(q)
    for q in quotes:
        if q in used:
            continue
        qs, qe = q
        if _looks_like_title(text[qs:qe]) or (_words(text[qs:qe]) < MIN_QUOTE_WORDS and not _short_reply(text, qs, qe)):
            continue
        k = bisect.bisect_left(tag_starts, qe)
        j = k - 1  # the last tag ending before the quotation
        while j >= 0 and tags[j][0][1] > qs:
            j -= 1
        before = tags[j] if j >= 0 else None
        best = None
        # tag right after the quotation
        if k < len(tags):
            (ts, te), c = tags[k]
            gap = text[qe:ts]
            if len(gap) <= 4 and all(ch in _GAP_BEFORE_TAG for ch in gap) and "\n" not in gap:
                best = c
        # the second half of a split quote goes to its tag, not to the next sentence's
        # ('"The budget," Heller told reporters, "is dead." He said ...')
        if before is not None and _is_split_half(doc, before, qs):
            best = before[1]
        # tag right before the quotation
        if best is None and before is not None:
            (ts, te), c = before
            gap = text[te:qs]
            if len(gap) <= 4 and all(ch in _GAP_AFTER_TAG for ch in gap) and "\n\n" not in gap:
                best = c
            elif not c.pieces and gap.strip() == ":" and gap.count("\n\n") == 1:
                # "Caddell continued:" closing a paragraph, the quotation opening the next
                best = c
            elif (not c.pieces and len(gap) <= 60 and gap.rstrip().endswith((":", ","))
                  and not any(ch in ".!?\n" for ch in gap)):
                # "Kelly responded pointedly, with a smile: ..."
                best = c
        if best is not None:
            t = _trim_chars(text, qs, qe)
            best.pieces = _merge(best.pieces + [t])
            used.add(q)
    # continuation
    live = [c for c in cands if c.pieces]
    ordered = sorted(live, key=lambda c: _extent_end(doc, c))
    ends = [_extent_end(doc, c) for c in ordered]
    for q in quotes:
        if q in used:
            continue
        qs, qe = q
        if _words(text[qs:qe]) < MIN_QUOTE_WORDS or _looks_like_title(text[qs:qe]):
            continue
        k = bisect.bisect_right(ends, qs) - 1
        if k < 0:
            continue
        prev = ordered[k]
        gap = text[ends[k]:qs]
        if len(gap) > 300 or gap.count("\n\n") > 1:
            continue
        stripped = gap.rstrip()
        if stripped and stripped[-1] not in ".!?”\"'’:":
            continue
        # the gap must not hold another quotation or a sentence of its own
        if any(ch in "“\"" for ch in stripped[:-1]) or (gap.count("\n\n") and len(stripped) > 3):
            continue
        if "\n\n" not in gap:
            # same paragraph: only the tail of the tag's own sentence may sit in between
            s_end = doc.char_span(ends[k] - 1, ends[k], alignment_mode="expand")
            if s_end is not None and s_end.sent.end_char < qs - 1 and len(gap.strip(" .!?”\"'’")) > 0:
                continue
        t = _trim_chars(text, qs, qe)
        if t:
            speaker = _quoting_governor(doc, prev, ordered, quotes)
            speaker.pieces = _merge(speaker.pieces + [t])
            used.add(q)
            ends[k] = max(ends[k], qe)


def _quoting_governor(doc, c, cands, quotes):
    """The attribution a continued quotation belongs to: ``c``, or the quoting tag that
    ``c``'s cue hangs on as a participle ('"...," he said, referring to Trump. "..."': the
    second quotation is still what he said, not what he referred to)."""
    if not c.cue or not c.pieces or any(_in_quote(p, quotes) for p in c.pieces):
        return c
    span = doc.char_span(c.cue[0], c.cue[1], alignment_mode="expand")
    if span is None or span.root.dep_ not in ("advcl", "xcomp", "conj") or span.root.tag_ != "VBG":
        return c
    # only a participle with a nominal object of its own ("referring to Trump", "speaking of
    # her health"); "noting that ...", "going on to contrast ..." are reports of their own
    first = doc.char_span(c.pieces[0][0], c.pieces[0][1], alignment_mode="expand")
    if first is None or first.root.dep_ not in ("pobj", "dobj"):
        return c
    head = span.root.head
    for g in cands:
        if g is not c and g.cue and g.cue[0] <= head.idx < g.cue[1] and any(_in_quote(p, quotes) for p in g.pieces):
            return g
    return c


def _short_reply(text: str, qs: int, qe: int) -> bool:
    """A short quotation that is a spoken reply, not scare quotes or a name: '"Probably,"
    Priebus said', 'he said, "Apparently not."' (sentence punctuation inside the marks, and
    more than one word or a word that is not capitalised mid-sentence)."""
    body = text[qs:qe].strip(" \"“”«»'‘’`")
    return bool(body) and body[-1] in ".,!?" and _words(body) >= 1 and not (
        _words(body) == 1 and body[:1].isupper() and qs > 0 and text[qs - 1:qs].isalpha())


def _extent_end(doc, c) -> int:
    end = max((pe for _, pe in c.pieces), default=0)
    if c.cue:
        end = max(end, c.cue[1])
    if c.source_full:
        end = max(end, c.source_full[1])
    return end


# Cue verbs whose plain NP object is a thing done or known, never what was told ("added three
# goals", "noted the time", "know the source's identity"); "wrote a blog post against X",
# "claimed success" are PolNeAR attitudes and stay.
_NP_NOT_TELLING = frozenset({"add", "note", "observe", "know", "understand", "remember", "forget", "learn", "see",
                             "hear", "watch", "read", "realize", "realise", "recognize", "recognise"})


def _bare_object_of_tag(doc, verb, pieces, lex) -> bool:
    """The content the model read for a speech tag with no quotation is only a plain noun
    phrase object (no clause, no quotation) of a verb that reports only with a clause or a
    quotation ("added three more goals", "noted the time"): no telling."""
    if verb.lemma_.lower() not in _NP_NOT_TELLING or len(pieces) != 1:
        return False
    span = doc.char_span(*pieces[0], alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    return root.head.i == verb.i and root.dep_ in ("dobj", "attr") and root.pos_ in ("NOUN", "PROPN", "NUM") \
        and not any(t.pos_ in ("VERB", "AUX") or t.text in QUOTE_CHARS for t in span)


def _in_quote(piece, quotes) -> bool:
    ps, pe = piece
    return any(qs <= ps and pe <= qe for qs, qe in quotes)


def _merge(pieces):
    pieces = sorted(set(pieces))
    out = []
    for s, e in pieces:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# --- main entry ---------------------------------------------------------------------------


# Verbs whose "if" clause is an embedded question ("asked if the vote was delayed"); for any
# other cue a content that opens with "if"/"unless" is a condition the parser hung on the
# cue ("to consider contingencies if talks fail"), not an attributed proposition.
_QUESTION_CUES = frozenset({"ask", "wonder", "question", "inquire", "enquire", "know", "check", "see", "tell"})


def _only_a_condition(doc, text: str, c) -> bool:
    """The content is nothing but an if/unless clause (no main clause of its own)."""
    if not c.pieces or not c.cue:
        return False
    first = text[c.pieces[0][0]:c.pieces[0][1]].lstrip(" \"'“‘").lower()
    if not first.startswith(("if ", "unless ")):
        return False
    cue = doc.char_span(c.cue[0], c.cue[1], alignment_mode="expand")
    if cue is not None and any(t.lemma_.lower() in _QUESTION_CUES for t in cue):
        return False
    toks = [t for ps, pe in c.pieces for sp in [doc.char_span(ps, pe, alignment_mode="expand")] if sp is not None
            for t in sp if not t.is_punct]
    if not any("," in text[ps:pe] for ps, pe in c.pieces):
        return True  # "if talks fail" with no main clause after it
    mark = next((t for t in toks if t.lower_ in ("if", "unless")), None)
    cond = {t.i for t in mark.head.subtree} if mark is not None else set()
    return bool(cond) and all(t.i in cond for t in toks)


def _empty_report(doc, c) -> bool:
    """A request for a statement, not one: "calls seeking comment (from the company) were not
    returned", "did not respond to requests for comment" (like "declined to comment", an
    empty report); or a statement that says nothing: "made no public statement"."""
    if len(c.pieces) != 1:
        return False
    span = doc.char_span(*c.pieces[0], alignment_mode="expand")
    if span is None or span.root.pos_ != "NOUN" or any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    lemma = span.root.lemma_.lower()
    # a bare "comment" (not "Trump's comments", "that comment": someone's words)
    if lemma == "comment" and all(t.lower_ in ("any", "further", "immediate", "additional", "no")
                                  for t in span[:span.root.i - span.start]):
        return True
    # nothing said: "made no public statement", "gave no details", "offered no explanation"
    return span[0].lower_ == "no" and lemma in _EMPTY_NOUNS


_EMPTY_NOUNS = frozenset({"statement", "comment", "detail", "explanation", "response", "word", "information",
                          "indication", "answer"})


_ANONYMITY_VERBS = frozenset({"name", "identify", "quote", "use"})


def _anonymity_requests(doc) -> list[Span]:
    """Character ranges of "who asked not to be named because ...", "declined to be
    identified", "requested that her name not be used": evidence that a source is anonymous,
    not an attribution, and neither is the reason it gives ("because he feared losing his job")."""
    out = []
    for t in doc:
        if t.pos_ != "VERB" or t.lemma_.lower() not in _ANONYMITY_VERBS or not _is_passive(t):
            continue
        gov = t.head
        if t.dep_ not in ("xcomp", "ccomp") or gov.lemma_.lower() not in ("ask", "request", "decline", "refuse", "want",
                                                                          "prefer", "insist", "agree"):
            continue
        if gov.lemma_.lower() in ("ask", "request", "want", "prefer", "insist", "agree") and not (
                _has_neg(t) or any(c.dep_ == "neg" for c in gov.children)):
            continue  # "asked to be named", "wanted to be quoted": no anonymity
        # the request and its reason, not the rest of the sentence ("..., but said the plant was unsafe")
        b = max([t.right_edge.i] + [c.right_edge.i for c in gov.children
                                    if c.i > gov.i and c.dep_ in ("advcl", "xcomp", "ccomp", "prep")]) + 1
        out.append(_chars(doc, gov.i, b))
    return out


def _rule_candidates(doc, lex, breaks) -> list[_Cand]:
    """The candidates of every rule family, before quotations are attached."""
    cands: list[_Cand] = []
    idx = _candidate_tokens(doc)
    _verb_candidates(doc, lex, cands, breaks, idx["verbs"])
    _according_candidates(doc, lex, cands, idx["according"])
    _nominal_candidates(doc, lex, cands, idx["nouns"])
    _adjective_candidates(doc, cands, breaks, idx["adjectives"])
    _frame_candidates(doc, lex, cands, idx["in"])
    # "citing people familiar with the talks" is their citation, not a report of them
    cited = {c.cue for c in cands if c.form == "according_to" and c.cites_source}
    return [c for c in cands if c.form == "according_to" or c.cue not in cited]


def _in_quote_fn(quotes):
    qstarts = [q[0] for q in quotes]

    def inside(char: int) -> bool:
        k = bisect.bisect_right(qstarts, char) - 1
        return k >= 0 and quotes[k][0] <= char < quotes[k][1]
    return inside


def cue_model_tokens(doc, cands, lemma_ids, quotes):
    """The tokens the cue model judges, each with its place among the rules' findings: a
    verb, noun or adjective of a lemma it knows (``lemma_ids``, string ids), outside
    quotations, not negated, and not already the cue of a rule candidate. Yields ``(token,
    context)``; the context says whether the token lies inside a rule attribution's content
    ("officials said the company wants to ...": a nested attitude) and whether its sentence
    has a rule cue at all."""
    from spacy.attrs import LEMMA, POS
    from spacy.symbols import ADJ, NOUN, VERB

    if not len(doc):
        return
    claimed, in_content, cue_sents = set(), set(), set()
    for c in cands:
        if c.cue:
            span = doc.char_span(c.cue[0], c.cue[1], alignment_mode="expand")
            if span is not None:
                claimed.update(range(span.start, span.end))
                cue_sents.add(span.root.sent.start)
        for ps, pe in c.pieces:
            span = doc.char_span(ps, pe, alignment_mode="expand")
            if span is not None:
                in_content.update(range(span.start, span.end))
    inside = _in_quote_fn(quotes)
    for i, (pos, lemma) in enumerate(doc.to_array([POS, LEMMA]).tolist()):
        if pos in (VERB, NOUN, ADJ) and lemma in lemma_ids and i not in claimed:
            tok = doc[i]
            if not inside(tok.idx) and not negated(tok):
                yield tok, (i in in_content, tok.sent.start in cue_sents)


def negated(tok) -> bool:
    """"did not endorse", "is not willing": no attitude is reported (the rules' policy too)."""
    return _has_neg(tok) or (tok.dep_ in ("acomp", "xcomp", "oprd") and _has_neg(tok.head))


def _has_neg(tok) -> bool:
    """A negation of ``tok`` itself, not a quoted word the parser hung on it ('"Probably not,"
    Ms. Moore said': a closing quotation mark stands between)."""
    doc = tok.doc
    return any(c.dep_ == "neg" and not any(t.text in QUOTE_CHARS for t in doc[min(c.i, tok.i) + 1:max(c.i, tok.i)])
               for c in tok.children)


def _model_content(tok, model) -> list[tuple[int, int]]:
    """Token runs of the content the content model picks among ``tok``'s dependents (none
    when that is a lone pronoun: "said nothing", "wrote it")."""
    sent = tok.sent
    idx = sorted({t.i for c in model.content_tokens(tok) for t in c.subtree if sent.start <= t.i < sent.end})
    if len(idx) == 1 and tok.doc[idx[0]].pos_ == "PRON":
        return []
    runs, start = [], None
    for k, i in enumerate(idx):
        if start is None:
            start = i
        if k + 1 == len(idx) or idx[k + 1] != i + 1:
            runs.append((start, i + 1) if start < tok.i else (start, _writer_tail(tok.doc, start, i + 1)))
            start = None
    return runs


def _model_pieces(tok, model, holes, cue_starts) -> list[Span]:
    """Character pieces of the content the content model gives cue ``tok``, minus ``holes``;
    none when they would hold another candidate's cue ("Netanyahu continues to say ...")."""
    doc = tok.doc
    pieces = [_chars(doc, x, y) for a, b in _model_content(tok, model) for x, y in _pieces(doc, a, b, holes)]
    return [] if any(ps <= r < pe for ps, pe in pieces for r in cue_starts) else pieces


# Dependents that make a content a clause ("plans to employ ...", "questions about whether ...").
_CLAUSE_DEPS = frozenset({"acl", "relcl", "ccomp", "xcomp", "advcl", "csubj"})


def _learned_candidates(doc, lex, cands, quotes, breaks, model):
    """The long tail: tokens the cue model accepts, with the dependents the content model
    picks as their content ("obligates countries to offer protection", "his refusal to use
    the words", "spoke out about her own experiences")."""
    found = []
    # the rules come first: a learned cue never takes a rule's cue into its content
    rule_cues = [c.cue[0] for c in cands if c.cue]
    for tok, context in cue_model_tokens(doc, cands, model.lemma_ids, quotes):
        if _vetoed(tok, lex):
            continue  # what the rules read as a hedge or an action is no long-tail cue either
        prob = model.cue_prob(tok, context)
        if prob < model.threshold:
            continue
        src_tok = None
        if tok.pos_ == "VERB":
            src_tok = _source_of(tok)
        elif tok.pos_ == "NOUN":
            src_tok = next((c for c in tok.children if c.dep_ == "poss"), None)
            if src_tok is None:
                by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
                src_tok = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        elif tok.dep_ == "acomp":
            src_tok = _subject(tok.head)
        if src_tok is not None and src_tok.lower_ in RELATIVE_PRONOUNS and tok.pos_ == "NOUN":
            src_tok = None
        source = _source_range(src_tok, tok, breaks) if src_tok is not None else None
        if tok.pos_ == "NOUN" and source is None and not any(
                c.dep_ in _CLAUSE_DEPS or (c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children))
                for c in model.content_tokens(tok)):
            continue  # "Support for the bill was strong": no holder and no clause, nobody's report
        pieces = _model_pieces(tok, model, [source] if source is not None else [], rule_cues)
        if not pieces or (tok.pos_ == "VERB" and _bare_object_of_tag(doc, tok, pieces, lex)):
            continue  # ("editors know the source's identity": knowing a thing, not a proposition)
        if len(pieces) == 1 and any(qs <= pieces[0][0] and pieces[0][1] <= qe and _looks_like_title(doc.text[qs:qe])
                                    for qs, qe in quotes):
            continue  # "She read 'The Old Man and the Sea'": a title, not words of the subject
        cue = _cue_span(tok, lex) if tok.pos_ == "VERB" else _chars(doc, tok.i, tok.i + 1)
        cand = _Cand(pieces, source, cue, "nominal" if tok.pos_ == "NOUN" else "indirect", tok.i, doc, src_tok)
        cand.cue_prob = round(prob, 3)
        found.append(cand)
    cands.extend(found)


def find_attributions(doc, *, actors=(), cue_model=_DEFAULT) -> list[Attribution]:
    """Every attributed statement, belief or intention of ``doc``, in text order.

    ``cue_model`` is the learned long-tail scorer (:mod:`audit.analyzers.attribution_model`);
    the shipped one by default, ``None`` for the rules alone.
    """
    from .actors import actor_at

    lex = _lex()
    text = doc.text
    quotes = quote_spans(text)
    breaks = _para_breaks(text)
    cands = _rule_candidates(doc, lex, breaks)
    model = load_model() if cue_model is _DEFAULT else cue_model
    if model is not None:
        _learned_candidates(doc, lex, cands, quotes, breaks, model)
    asides = _anonymity_requests(doc)
    if asides:
        cands = [c for c in cands if not c.cue or not any(x <= c.cue[0] < y for x, y in asides)]
    # cues inside a quotation are the quoted speaker's words, not the article's attributions
    inside = _in_quote_fn(quotes)
    kept = []
    for c in cands:
        anchor = c.cue[0] if c.cue else c.anchor_char
        if inside(anchor):
            continue
        j = bisect.bisect_right(breaks, anchor)
        lo = breaks[j - 1] if j > 0 else 0
        hi = breaks[j] if j < len(breaks) else len(text)
        pieces = [(max(ps, lo), min(pe, hi)) for ps, pe in c.pieces]
        pieces = [t for t in (_trim_chars(text, ps, pe) for ps, pe in pieces if pe > ps) if t]
        if pieces or not c.pieces:
            c.pieces = pieces
            kept.append(c)
        elif text[lo:hi].rstrip().endswith(":"):
            # "In a statement, the company said:" closing its paragraph: the parser hung the
            # next paragraph on the cue; keep it as a bare tag, free to take that quotation
            c.pieces = []
            kept.append(c)
    cands = kept
    covered = {q for q in quotes for c in cands if any(q[0] < pe and ps < q[1] for ps, pe in c.pieces)}
    _colon_candidates(doc, text, quotes, cands, covered)
    _attach_quotes(doc, text, quotes, cands)
    if model is not None:
        # a speech tag left with no quotation ("Sanders wrote the memo", "he posted another
        # batch to its website"): the content model reads its content off the parse
        cue_starts = [c.cue[0] for c in cands if c.cue]
        for c in cands:
            if not c.pieces and c.cue:
                span = doc.char_span(c.cue[0], c.cue[1], alignment_mode="expand")
                # (a verb that only tags quotations, "chanted", "sighed", reports nothing without one)
                if span is not None and span.root.lemma_.lower() in _content_verbs():
                    c.pieces = _model_pieces(span.root, model, [c.source] if c.source is not None else [],
                                             cue_starts)
                    if c.pieces and _bare_object_of_tag(doc, span.root, c.pieces, lex):
                        c.pieces = []  # "Carolina added three more goals": an action, not a telling
    cands = [c for c in cands if c.pieces and (_in_quote(c.pieces[0], quotes) or not _only_a_condition(doc, text, c))
             and not _empty_report(doc, c)]

    # an attribution inside another's content is the quoted source's own report, not the
    # article's ("Costa said Achebe had told her ..."): GUIDELINES.md, "Chains"
    # A cue inside another's content that shares its governor's subject ("said X, adding
    # that Y", "said X but added ...") is a second attribution: it ends the first one's content.
    by_cue = sorted((c for c in cands if c.cue), key=lambda c: c.cue[0])
    for inner in by_cue:
        if inner.own_subject:
            continue
        for outer in cands:
            if outer is inner:
                continue
            for k, (ps, pe) in enumerate(outer.pieces):
                if ps < inner.cue[0] < pe and not any(x < inner.cue[0] < y for x, y in inner.pieces):
                    cut = _trim_chars(text, ps, _strip_conj(text, ps, inner.cue[0]))
                    outer.pieces = outer.pieces[:k] + ([cut] if cut else [])
                    break
    cands = [c for c in cands if c.pieces or not c.cue]
    # an intention's content is an action, and a report inside it ("plans to present
    # intelligence showing ...") is not the intention's holder speaking: it stays
    spans = [p for c in cands if c.cue and not c.intention for p in c.pieces]
    ispans = [p for c in cands if c.cue and c.intention for p in c.pieces]
    cands = [c for c in cands if not c.cue or (not any(ps <= c.cue[0] < pe for ps, pe in spans) and (
        c.form == "evidence" or not any(ps <= c.cue[0] < pe for ps, pe in ispans)))]
    for c in cands:
        if c.form == "evidence":
            c.form = "indirect"
    # de-duplicate: identical content keeps the first (outermost) cue; a chain keeps both its
    # layers ("X, the Review said, citing people familiar ...": the Review and its sources)
    seen = {}
    for c in cands:
        key = (tuple(c.pieces), c.form == "according_to")
        if key not in seen:
            seen[key] = c
    state = _State(doc, actors, actor_at)
    results = []
    for c in sorted(seen.values(), key=lambda c: (c.source[0] if c.source else 0, c.pieces[0][0])):
        results.append(_finish(doc, text, c, quotes, state))
    if model is not None:
        # the keep scorer's probability is each parse reading's confidence; the unlikely go
        kept = []
        for r in results:
            p = model.keep_prob(doc, r)
            if p is None:
                kept.append(r)
            elif p >= model.keep_threshold:
                kept.append(dataclasses.replace(r, confidence=round(p, 3)))
        results = kept
    results.sort(key=lambda r: (r.content[0][0], r.cue[0] if r.cue else 0))
    return results


class _State:
    """Per-article bookkeeping for source resolution (built once per ``find_attributions`` call)."""

    def __init__(self, doc, actors, actor_at):
        self.actors = actors
        self.actor_at = actor_at
        self.ents = list(doc.ents)
        self.ents_starts = [e.start for e in self.ents]
        self.person_index = _person_surnames(self.ents)
        self.surnames = frozenset(e[-1].lower_ for e in self.ents if e.label_ == "PERSON" and len(e) >= 2)
        self.memory: dict[str, str] = {}     # head lemma -> kind given earlier ("the people")
        self.recent: list = []               # finished non-pronoun attributions, by source position


def _person_surnames(ents):
    """Position-sorted (start, last-token, entity) of PERSON entities, for short-form lookup."""
    out = []
    for e in ents:
        if e.label_ == "PERSON" and len(e) >= 2:
            out.append((e.start, e[-1].lower_, e))
    return out


def _close_quote(text: str, piece: Span) -> Span:
    """A piece that opens a quotation inside it ('the report "a whitewash') keeps the
    closing mark right after it: internal quotation marks stay in the span, both of them."""
    s, e = piece
    inner = text[s:e]
    opens = sum(inner.count(q) for q in "“«„")
    closes = sum(inner.count(q) for q in "”»")
    straight = inner.count('"')
    unbalanced = opens > closes or straight % 2 == 1
    if not unbalanced or inner[:1] in OPEN_QUOTES:
        return piece
    # (a mark after a comma, 'such income "is highly concentrated," said X', closes the
    # quotation the tag ends: the content stops before the comma, as it does for a quote)
    if e < len(text) and text[e] in CLOSE_QUOTES:
        return (s, e + 1)
    return piece


def _finish(doc, text, c, quotes, st: _State) -> Attribution:
    pieces = tuple(_close_quote(text, p) for p in c.pieces)
    direct_all = all(_in_quote(p, quotes) for p in pieces)
    any_quoted = direct_all or any(q[0] < pe and ps < q[1] for ps, pe in pieces for q in quotes)
    form = c.form
    if form == "indirect" and direct_all:
        form = "direct"
    elif form == "indirect" and any_quoted:
        form = "mixed"
    content_text = " … ".join(text[s:e] for s, e in pieces)
    cue_text = text[c.cue[0]:c.cue[1]] if c.cue else ""
    found_by = "rule" if c.cue_prob is None else "model"
    confidence = c.cue_prob  # (the keep scorer's probability replaces it, see find_attributions)
    if c.source is None:
        return Attribution(content=pieces, source=None, cue=c.cue, source_type="unspecified_group",
                           form="sourceless" if form in ("indirect", "sourceless") else form,
                           direct=direct_all, cue_text=cue_text, content_text=content_text,
                           found_by=found_by, confidence=confidence,
                           kind=attribution_kind(_cue_lemma(doc, c.cue) if c.cue else "according", "unspecified_group"))
    actors, actor_at = st.actors, st.actor_at
    sa, sb = c.source
    schars = _chars(doc, sa, sb)
    stext = text[schars[0]:schars[1]]
    context = doc[sa].sent.text
    stype = None
    name, key = stext, None
    head_tok = doc[sa] if sb - sa == 1 else None
    pronoun = head_tok is not None and head_tok.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | RELATIVE_PRONOUNS
    # the actor the source's head word belongs to ("a report by the audit office" is the
    # report, not the office; "the minister" or "he" may be a mention of a named person)
    head = _head_of(doc[sa:sb], sa, sb)
    actor = actor_at((head.idx, head.idx + len(head.text)), actors) if actors else None
    if actor is not None and not any(m.span[0] <= head.idx < m.span[1] for m in actor.mentions):
        actor = None
    if actor is not None:
        # the actor layer merges the names; the kind comes from the source phrase itself,
        # which knows reports from institutions and outlets from people
        key, name = actor.key, actor.name
        if pronoun and head_tok.lower_ in PERSON_PRONOUNS and actor.type == "person":
            stype = "named_person"
    if stype is None and pronoun:
        tok = head_tok
        if tok.lower_ in RELATIVE_PRONOUNS:
            # the noun the relative clause modifies
            rel = tok.head
            while rel.dep_ not in ("relcl", "acl") and rel.head.i != rel.i:
                rel = rel.head
            noun = rel.head
            if noun.pos_ in ("NOUN", "PROPN", "PRON") and noun.i != tok.i and noun.lower_ not in RELATIVE_PRONOUNS:
                na, nb = _source_range(noun)
                nb = min(nb, rel.left_edge.i) if rel.left_edge.i > na else nb
                nb = max(nb, na + 1)
                stype = classify_source(doc, na, nb, context=context, surnames=st.surnames, memory=st.memory,
                                       ents=st.ents)
                name = doc[na:nb].text
                if actor is None and actors:
                    actor2 = actor_at(_chars(doc, na, nb), actors)
                    if actor2 is not None:
                        key, name = actor2.key, actor2.name
        else:
            prev = _previous_source(st, tok, schars[0])
            if prev is not None:
                stype, name, key = prev.source_type, prev.source_name, prev.actor_key
            else:
                ent = _resolve_pronoun(doc, tok, st.ents_starts, st.ents)
                if ent is not None:
                    if actors and actor is None:
                        actor2 = actor_at((ent.start_char, ent.end_char), actors)
                        if actor2 is not None:
                            key, name = actor2.key, actor2.name
                    if key is None:
                        name = ent.text
                    stype = "media" if _is_media_name(ent.text) else (
                        "named_person" if ent.label_ == "PERSON" else "named_organization")
                elif tok.lower_ in PERSON_PRONOUNS:
                    stype = "named_person"
    if stype is None:
        stype = classify_source(doc, sa, sb, context=context, surnames=st.surnames, memory=st.memory,
                                       ents=st.ents)
        if pronoun and head_tok.lower_ in RELATIVE_PRONOUNS and name.lower() == head_tok.lower_:
            name = _antecedent_text(doc, head_tok) or name  # never shown as "who"
        if stype in ("anonymous", "document"):
            st.memory.setdefault(_head_of(doc[sa:sb], sa, sb).lemma_.lower(), stype)
        if stype == "named_person" and key is None and sb - sa <= 2:
            # short form "Jones" -> the earlier full name
            last = doc[sb - 1].lower_
            for start, surname, ent in st.person_index:
                if start >= sa:
                    break
                if surname == last:
                    name = ent.text
    if stype == "media" and key is None and not any(t.pos_ == "PROPN" for t in doc[sa:sb]) \
            and doc[sa].lower_ in ("the", "this", "that"):
        # "the news agency reported": the outlet named earlier, one actor
        outlet = _earlier_outlet(actors, schars[0])
        if outlet is not None:
            key, name = outlet.key, outlet.name
    # borrowed reporting: an outlet as the source of the article's facts ("CNN reported",
    # "according to the Times", "the Post has learned"), not an outlet holding an opinion
    borrowed = stype == "media" and (c.form == "according_to" or _cue_lemma(doc, c.cue) in _lex()["reporting_cues"])
    att = Attribution(
        content=pieces, source=schars, cue=c.cue, source_type=stype, form=form, direct=direct_all,
        source_text=stext, cue_text=cue_text, content_text=content_text, actor_key=key,
        source_name=name, borrowed=borrowed, found_by=found_by, confidence=confidence,
        kind=attribution_kind(_cue_lemma(doc, c.cue) if c.cue else "according", stype,
                              _head_of(doc[sa:sb], sa, sb).lemma_.lower()),
    )
    if not pronoun:
        st.recent.append(att)
    return att


def _antecedent_text(doc, rel) -> str:
    """The noun phrase right before a relative pronoun ("the residents, who"), as written."""
    k = rel.i - 1
    while k >= 0 and doc[k].is_punct:
        k -= 1
    if k < 0 or doc[k].pos_ not in ("NOUN", "PROPN", "PRON"):
        return ""
    a = doc[k].left_edge.i if doc[k].left_edge.i <= k else k
    return doc.text[doc[a].idx:doc[k].idx + len(doc[k].text)]


def _earlier_outlet(actors, start: int):
    """The outlet (an organisation actor with a masthead or known outlet name) mentioned
    last before ``start``, or None."""
    best, at = None, -1
    for act in actors:
        if act.type != "organization" or not _is_media_name(act.name):
            continue
        last = max((m.span[0] for m in act.mentions if m.span[1] <= start), default=-1)
        if last > at:
            best, at = act, last
    return best


def _cue_lemma(doc, cue) -> str:
    """Lemma of the cue's verb (or its last word): "has learned" -> "learn"."""
    if cue is None:
        return ""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if span is None or not len(span):
        return ""
    verbs = [t for t in span if t.pos_ in ("VERB", "NOUN")]
    return (verbs[-1] if verbs else span[-1]).lemma_.lower()


# "it" and "they" after a report, a ministry or a group usually continue it (cf. PolNeAR's
# pronoun sources); persons are resolved through named entities instead.
_PRONOUN_KINDS = {
    "it": ("document", "named_organization", "media"),
    "they": ("named_organization", "anonymous", "unspecified_group", "document", "media"),
    "them": ("named_organization", "anonymous", "unspecified_group", "document", "media"),
    "we": ("named_organization",),
}
PRONOUN_LOOKBACK = 400  # characters


def _previous_source(st: _State, tok, start: int):
    kinds = _PRONOUN_KINDS.get(tok.lower_)
    if not kinds:
        return None
    for att in reversed(st.recent):
        if att.source is None or att.source[0] >= start:
            continue
        if start - att.source[1] > PRONOUN_LOOKBACK:
            return None
        if att.source_type in kinds:
            return att
        if att.source_type == "named_person":
            return None
    return None


# --- public entries for other modules (actors, training) ------------------------------

def lexicon() -> dict:
    """The attribution word lists (speech verbs, cues, masthead words, ...), loaded once."""
    return _lex()


def rule_candidates(doc) -> list:
    """The candidates of every rule family for ``doc``, before quotations are attached: what
    the learned scorers are given, at run time and in training."""
    return _rule_candidates(doc, _lex(), _para_breaks(doc.text))
