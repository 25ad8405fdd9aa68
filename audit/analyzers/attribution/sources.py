"""Attribution layer 2, sources and kinds: who a cue's source is (grammatical subject,
passive agent, the governing verb's subject for "..., adding that", the noun phrase before
a stranded tag), its span as written, its kind (``classify_source``: named entities and
head-noun lexicons, ``audit/data/attribution_sources.json``) and pronoun resolution
(``SourceState``, the per-article memory of earlier sources)."""
from __future__ import annotations

import bisect

from .helpers import PERSON_PRONOUNS, QUOTE_CHARS, doc_text, is_passive, lexicon, para_breaks, subtree, trim_tokens


def subject(verb):
    subj = None
    for c in verb.children:
        if c.dep_ in ("nsubj", "expl"):
            if c.dep_ == "expl":
                return None
            # a time stamp or heading glued on as a second subject ("2:40 p.m.\n\nThe manager
            # says ..."): the subject in the verb's own paragraph wins
            # and a word of the quotation the parser took for a subject ('"... Full panic
            # mode," said Leslie Wimes'): the subject after the closing mark wins
            if subj is None or "\n\n" in doc_text(verb.doc)[subj.idx:c.idx] \
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


# Dependencies through which a non-finite or coordinated verb shares its governor's subject:
# "... and added that", "..., saying that", "was quick to embrace", "after determining that".
_SUBJECT_SHARING = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep", "acomp"})


def source_of(verb):
    """The token heading the source of a cue verb (or None for sourceless forms)."""
    if is_passive(verb) or (verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") and subject(verb) is None):
        # (and a passive participle: "Asked by Matt Lauer whether ...", "Asked about the
        # report, ...": the asker is the agent, or nobody named; not the answer's speaker)
        return _passive_agent(verb)
    tok = verb
    prev = None
    for _ in range(5):
        subj = subject(tok)
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
        if is_passive(head) and tok.i != verb.i:
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
    lex = lexicon()
    if tok.lemma_.lower() in lex["evidence_verbs"] or tok.lemma_.lower() in lex["evidential"]:
        return False
    gov = head.head
    if gov.lemma_.lower() not in lex["clausal"] | lex["control"] or gov.i > tok.i:
        return False
    doc = tok.doc
    return tok.i > 0 and doc[tok.i - 1].text == "," and doc[tok.i - 1].head.i in (head.i, gov.i, tok.i)


_PARENTHESIS_MARKS = frozenset({",", "-", "--", "—", "–"})


def stranded_subject(verb):
    """The subject of a finite cue verb the parser attached elsewhere ("Col. Steven H. Warren,
    a military spokesman in Baghdad, said", parsed as an appositive of a date; "Priebus, in
    the wake of a new poll ..., told"): the noun right before the verb, or before a
    parenthesis set off by commas or dashes, when it is not another word's object."""
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP") or is_passive(verb):
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


def source_range(tok, anchor=None, breaks=None) -> tuple[int, int]:
    """Source NP as written: the subject's subtree, without a trailing relative/appositive tail.

    With ``anchor`` (the cue token), the phrase is kept inside the cue's paragraph: a heading
    or caption the parser glued onto the subject is not part of the source.
    """
    a, b = subtree(tok)
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
        r = trim_tokens(doc, a, b)
        return r
    r = trim_tokens(doc, a, b)
    return r if r else (tok.i, tok.i + 1)


def _paragraph_of(doc, tok, breaks=None) -> tuple[int, int]:
    """Character offsets of the blank lines around ``tok`` (-1 when none).

    ``breaks`` (``_para_breaks(doc.text)``, computed once per document) makes it a bisection.
    """
    if breaks is None:
        breaks = para_breaks(doc_text(doc))
    k = bisect.bisect_left(breaks, tok.idx)
    lo = breaks[k - 1] if k > 0 else -1
    hi = breaks[k] if k < len(breaks) else -1
    return lo, hi


def np_before(doc, verb, breaks=None):
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


def is_media_name(text: str) -> bool:
    """An outlet's name: a known outlet, or a capitalised name ending in a masthead word."""
    t = text.strip()
    if t.endswith(("'s", "’s")):
        t = t[:-2]
    if not any(ch.isupper() for ch in t):  # "the post" (a social-media post) is not "the Post"
        return False
    low = t.lower()
    if low.startswith("the "):
        low = low[4:]
    lex = lexicon()
    if low in lex["media"]:
        return True
    words = t.split()
    return len(words) >= 1 and words[-1] in lex["masthead_words"] and words[-1][:1].isupper()


# words that name a part of what follows "of": "two of the people", "the majority of the polls"
_PART_WORDS = frozenset({"one", "some", "many", "most", "several", "majority", "half", "all", "each", "both",
                         "number", "handful", "series", "average"})


def partitive(tok):
    """The noun a part word names ("some of the analysts" -> analysts), or None."""
    if tok.pos_ in ("NUM", "PRON", "ADJ", "DET") or tok.lower_ in _PART_WORDS:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        return next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    return None


def head_of(span, a: int, b: int):
    heads = [t for t in span if t.head.i < a or t.head.i >= b or t.head.i == t.i]
    head = heads[0] if heads else span[-1]
    part = partitive(head)  # "two of the people", "some of the analysts": the partitive's noun
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
    lex = lexicon()
    ents_all = list(doc.ents) if ents is None else ents
    ents = ents_all
    span = doc[a:b]
    ctx = span.text.lower() + " " + context.lower()
    head = head_of(span, a, b)
    hl = head.lemma_.lower()
    ents = _ents_in(doc, a, b, ents)
    head_ent = next((e for e in ents if e.start <= head.i < e.end), None)
    # media: an outlet's name, or a media noun ("the newspaper", "state television")
    if head_ent is not None and is_media_name(head_ent.text):
        return "media"
    if head.pos_ == "PROPN" and is_media_name(doc[head.left_edge.i if head.left_edge.i >= a else a:head.i + 1].text):
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


def resolve_pronoun(doc, tok, ents_starts, ents):
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


class SourceState:
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


def antecedent_text(doc, rel) -> str:
    """The noun phrase right before a relative pronoun ("the residents, who"), as written."""
    k = rel.i - 1
    while k >= 0 and doc[k].is_punct:
        k -= 1
    if k < 0 or doc[k].pos_ not in ("NOUN", "PROPN", "PRON"):
        return ""
    a = doc[k].left_edge.i if doc[k].left_edge.i <= k else k
    return doc_text(doc)[doc[a].idx:doc[k].idx + len(doc[k].text)]


def earlier_outlet(actors, start: int):
    """The outlet (an organisation actor with a masthead or known outlet name) mentioned
    last before ``start``, or None."""
    best, at = None, -1
    for act in actors:
        if act.type != "organization" or not is_media_name(act.name):
            continue
        last = max((m.span[0] for m in act.mentions if m.span[1] <= start), default=-1)
        if last > at:
            best, at = act, last
    return best


def cue_lemma(doc, cue) -> str:
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


def previous_source(st: SourceState, tok, start: int):
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
