"""Hedging cues and boosters, found over the dependency parse.

``find_hedges(doc)`` returns one :class:`~audit.findings.Hedge` per cue, with the cue's
character span, its kind and the span of its sentence:

- ``modal``: epistemic could / may / might (not the month "May", not the noun "might",
  not ability "could not", not permission "may apply", not inside an "if" clause);
- ``epistemic``: likely, probably, perhaps ...; raising verbs ("appears to", "seems");
  evidential "suggest"; belief verbs with a clausal complement ("analysts believe that");
  passive doxastics ("is believed to", "it is thought that", "is widely regarded as");
  nouns ("the possibility of", "speculation"); predicates ("it is unclear", "possible");
- ``reporting``: reportedly, allegedly, purportedly, the "alleged"/"suspected" modifier;
- ``distancing``: "what it calls", "what its chair described as", "so-called";
- ``approximator``: roughly / about / around / nearly / almost / approximately / some /
  "an estimated" attached to a quantity ("about 40 percent", "roughly doubled"), and vague
  disjunctive time ranges ("within weeks or months");
- ``booster``: the opposite signal (clearly, undoubtedly, of course ...);
- ``expectation`` and ``belief`` (news uncertainty the articles guidelines do not count as
  hedges, :data:`NEWS_ONLY_KINDS`): a held expectation or forecast ("analysts expect prices
  to rise", "is expected to", "estimated at", "the forecast", "a possible strike") and a
  held attitude ("investors are worried that", "she feels that", "is confident that").
  The Szeged corpus counts them as uncertainty, so they make a sentence hedged
  (``hedged_sentence_share``, ``evaluate hedging``); the articles schema's ``hedges`` list
  leaves them out (:data:`ARTICLE_HEDGE_KINDS`).

Multi-word cues are one finding. Approximators qualify a quantity, not the truth of the
proposition: a sentence counts as *hedged* when it holds a cue of one of
:data:`EPISTEMIC_KINDS` (see :func:`hedged_sentences`).

The word lists are data, in ``audit/data/hedging_cues.json`` (sources noted there).
"""
from __future__ import annotations

import bisect
import json
from importlib import resources

from ..findings import Hedge
from .doctext import doc_text, token_indices

#: Kinds of news uncertainty (Szeged) that the articles guidelines do not list as hedges.
NEWS_ONLY_KINDS = frozenset({"expectation", "belief"})
#: Kinds that make a sentence hedged (the proposition itself is qualified).
EPISTEMIC_KINDS = frozenset({"modal", "epistemic", "reporting", "distancing"}) | NEWS_ONLY_KINDS
#: Kinds reported in the articles schema's ``hedges`` list (the articles guidelines' hedges).
ARTICLE_HEDGE_KINDS = frozenset({"modal", "epistemic", "reporting", "distancing", "approximator"})


def _load_cues() -> dict:
    with resources.files("audit").joinpath("data", "hedging_cues.json").open(encoding="utf-8") as fh:
        raw = json.load(fh)
    return {k: v for k, v in raw.items() if not k.startswith("_")}


_CUES = _load_cues()
_MODALS = frozenset(_CUES["modals"])
_EPI_ADV = frozenset(_CUES["epistemic_adverbs"])
_REP_ADV = frozenset(_CUES["reporting_adverbs"])
_REP_ADJ = frozenset(_CUES["reporting_adjectives"])
_RAISING = frozenset(_CUES["raising_verbs"])
_EVIDENTIAL = frozenset(_CUES["evidential_verbs"])
_DOX_ACTIVE = frozenset(_CUES["doxastic_verbs_active"])
_DOX_PASS_TO = frozenset(_CUES["doxastic_passive_to"])
_DOX_PASS_THAT = frozenset(_CUES["doxastic_passive_that"])
_DOX_AS = frozenset(_CUES["doxastic_passive_as"])
_EPI_NOUNS = frozenset(_CUES["epistemic_nouns"])
_EPI_PRED = frozenset(_CUES["epistemic_predicates"])
_APPROX = frozenset(_CUES["approximators"])
_QUANT_HEADS = frozenset(_CUES["quantity_heads"])
_DISTANCING = frozenset(_CUES["distancing_verbs"])
_BOOSTERS = frozenset(_CUES["boosters"])
_BOOSTER_PHRASES = tuple(tuple(p) for p in _CUES["booster_phrases"])
_PERMISSION = frozenset(v for v in _CUES["permission_verbs"] if not v.startswith("be_"))
_PERMISSION_PASSIVE = frozenset(v[3:] for v in _CUES["permission_verbs"] if v.startswith("be_"))
_ABILITY = frozenset(_CUES["ability_verbs"])
_ALLEGE_VERBS = frozenset(_CUES["allegation_verbs"])
_ALLEGE_NOUNS = frozenset(_CUES["allegation_nouns"])
_CLAUSAL_NOUNS = frozenset(_CUES["clausal_epistemic_nouns"])
_EXPECT_VERBS = frozenset(_CUES["expectation_verbs"])
_EXPECT_NOUNS = frozenset(_CUES["expectation_nouns"])
_POSSIBILITY_MODS = frozenset(_CUES["possibility_modifiers"])
_BELIEF_VERBS = frozenset(_CUES["belief_verbs"])
_BELIEF_ADJ = frozenset(_CUES["belief_adjectives"])
_APPEARANCE = frozenset(_CUES["appearance_verbs"])

# Function words of the rules themselves (closed classes, not lexicon).
_CONDITION_MARKS = frozenset({"if", "unless", "whether"})
_TIME_UNITS = frozenset({"hours", "days", "weeks", "months", "years", "decades", "minutes"})
_CURRENCY = frozenset({"$", "€", "£", "¥", "us$", "a", "an"})
_ABILITY_CLAUSE = frozenset({"where", "how", "so", "when", "whenever", "wherever"})
_NEGATIVE_SUBJECTS = frozenset({"nobody", "nothing", "one", "none", "noone"})
_DOWNTONERS = frozenset({"almost", "nearly", "not", "less", "hardly"})
_PERSONAL = frozenset({"i", "we", "you", "he", "she", "they", "who"})
_HUMAN_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _is_num(tok) -> bool:
    return tok.like_num or tok.tag_ == "CD"


def _quantity_follows(tok) -> bool:
    """True when ``tok`` is directly followed by a quantity ("$2 billion", "a third", "doubled")."""
    doc = tok.doc
    j = tok.i + 1
    while j < len(doc) and j <= tok.i + 2 and doc[j].lower_ in _CURRENCY:
        j += 1
    if j >= len(doc):
        return False
    nxt = doc[j]
    return _is_num(nxt) or nxt.lower_ in _QUANT_HEADS


def _in_condition(verb) -> bool:
    """The clause headed by ``verb`` is an if/unless/whether clause."""
    return any(c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in verb.children)


def _modal(tok):
    low = tok.lower_
    if low not in _MODALS or tok.tag_ != "MD":
        return None
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if low == "may":
        if tok.text == "May" and not tok.is_sent_start:
            return None  # capitalised mid-sentence: the month
        if nxt is not None and _is_num(nxt):
            return None  # "May 20"
    head = tok.head
    if _in_condition(head):
        return None
    negated = nxt is not None and nxt.lower_ in ("not", "n't") or any(c.dep_ == "neg" for c in head.children if c.i < tok.i + 3 and c.i > tok.i)
    if low == "could" and (negated or head.lemma_ in _ABILITY):
        return None  # ability: "could not prove", "could see"
    if low == "could" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _NEGATIVE_SUBJECTS for c in head.children):
        return None  # "no one could doubt", "nothing could exceed": impossibility, not a guess
    if low == "could" and any(c.dep_ in ("advmod", "mark") and c.lower_ in _ABILITY_CLAUSE for c in head.children):
        return None  # "where his host could see it", "how a point could be located"
    if low == "may":
        if head.lemma_ in _PERMISSION and not any(c.dep_ == "auxpass" for c in head.children):
            return None  # permission: "applicants may apply"
        if head.lower_ in _PERMISSION_PASSIVE and any(c.dep_ == "auxpass" for c in head.children):
            return None  # legal: "may be fined"
    if low == "could" and any(c.dep_ == "mark" and c.lower_ == "that" for c in head.children) and tok.i > 0 and any(
        doc[k].lower_ == "so" for k in range(max(tok.sent.start, tok.i - 6), tok.i)
    ):
        return None  # purpose: "so that he could fire officials"
    end = tok.i + 1
    # "may or may not" is one cue
    if end + 2 < len(doc) and doc[end].lower_ == "or" and doc[end + 1].lower_ == low and doc[end + 2].lower_ in ("not", "n't"):
        end += 3
    return tok.i, end, "modal"


def _likely(tok):
    if tok.lower_ not in ("likely", "unlikely") or tok.pos_ not in ("ADV", "ADJ"):
        return None
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > tok.sent.start else None
    if prev is not None and prev.lower_ in ("more", "less", "as", "equally", "twice", "times") and not any(
        c.dep_ == "ccomp" for c in tok.children
    ):
        return None  # comparative risk: "less likely to develop" (but "more likely that ..." hedges)
    start = tok.i - 1 if prev is not None and prev.lower_ in ("most", "very", "highly", "quite") else tok.i
    return start, tok.i + 1, "epistemic"


def _adverb(tok):
    low = tok.lower_
    if low in _EPI_ADV and low not in ("likely", "unlikely", "probable") and tok.pos_ in ("ADV", "ADJ", "INTJ"):
        return tok.i, tok.i + 1, "epistemic"
    if low in _REP_ADV and tok.pos_ in ("ADV", "ADJ"):
        return tok.i, tok.i + 1, "reporting"
    return None


def _reporting_adjective(tok):
    if tok.lower_ not in _REP_ADJ or tok.dep_ not in ("amod", "compound", "nmod"):
        return None
    if tok.head.i <= tok.i:
        return None
    return tok.i, tok.i + 1, "reporting"


def _so_called(tok):
    doc = tok.doc
    if tok.lower_ != "so" or tok.i + 1 >= len(doc):
        return None
    if doc[tok.i + 1].lower_ == "called":
        return tok.i, tok.i + 2, "distancing"
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text in ("-", "‑", "–") and doc[tok.i + 2].lower_ == "called":
        return tok.i, tok.i + 3, "distancing"
    if doc[tok.i + 1].lower_ == "-called":
        return tok.i, tok.i + 2, "distancing"
    return None


def _what_it_calls(tok):
    """ "what it calls", "what its chair described as", "what officials termed"."""
    if tok.lower_ != "what":
        return None
    doc = tok.doc
    sent_end = tok.sent.end
    for j in range(tok.i + 1, min(tok.i + 6, sent_end)):
        t = doc[j]
        if t.lemma_.lower() in _DISTANCING and t.pos_ in ("VERB", "AUX") and j > tok.i + 1:
            if any(doc[k].lemma_ == "be" for k in range(tok.i + 1, j)):
                return None  # "what is now called": naming, not distancing
            end = j + 1
            if end < sent_end and doc[end].lower_ == "as":
                end += 1
            return tok.i, end, "distancing"
        if t.is_punct or t.pos_ in ("VERB", "AUX") and t.lemma_ not in ("have", "be"):
            return None
    return None


def _time_range(tok):
    """Vague disjunctive time frames: "(within) weeks or months", "days or weeks"."""
    doc = tok.doc
    if tok.lower_ not in _TIME_UNITS or tok.i + 2 >= len(doc):
        return None
    if doc[tok.i + 1].lower_ == "or" and doc[tok.i + 2].lower_ in _TIME_UNITS:
        start = tok.i - 1 if tok.i > tok.sent.start and doc[tok.i - 1].lower_ == "within" else tok.i
        return start, tok.i + 3, "approximator"
    return None


def _approximator(tok):
    low = tok.lower_
    doc = tok.doc
    if low in ("a", "an") and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "estimated" and _quantity_follows(doc[tok.i + 1]):
        return tok.i, tok.i + 2, "approximator"
    if low not in _APPROX or low == "estimated":
        return None
    if not _quantity_follows(tok):
        return None
    if low == "some" and not _is_num(doc[tok.i + 1]):
        return None
    if low in ("about", "around") and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in _QUANT_HEADS and not _is_num(doc[tok.i + 1]):
        return None  # "about half" is fine below; "about doubled" is not English
    return tok.i, tok.i + 1, "approximator"


def _has_clause(tok) -> bool:
    return any(c.dep_ in ("ccomp",) for c in tok.children) or (
        tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "that" and tok.doc[tok.i + 1].dep_ == "mark"
    )


def _to_verb_follows(tok) -> bool:
    doc = tok.doc
    j = tok.i + 1
    return j + 1 < len(doc) and doc[j].lower_ == "to" and doc[j + 1].pos_ in ("VERB", "AUX")


def _aux_start(tok) -> int:
    """Start of the passive verb group: "is (widely) believed" → index of "is"."""
    auxes = [c.i for c in tok.children if c.dep_ in ("auxpass",) and c.i < tok.i]
    return min(auxes) if auxes else tok.i


def _raising(tok):
    lem = tok.lemma_.lower()
    if lem not in _RAISING or tok.pos_ not in ("VERB", "AUX"):
        return None
    if _to_verb_follows(tok):
        return tok.i, tok.i + 2, "epistemic"
    if lem == "seem":
        return tok.i, tok.i + 1, "epistemic"
    kids = {c.dep_ for c in tok.children}
    if "ccomp" in kids and "expl" in kids:  # "it appears that ..."
        return tok.i, tok.i + 1, "epistemic"
    return None


def _evidential(tok):
    lem = tok.lemma_.lower()
    if lem not in _EVIDENTIAL or tok.pos_ != "VERB":
        return None
    if _has_clause(tok):
        return tok.i, tok.i + 1, "epistemic"
    if lem != "suggest":
        return None
    kids = list(tok.children)
    if any(c.dep_ in ("xcomp",) for c in kids):
        return None  # "suggested meeting on Monday": a proposal
    obj = [c for c in kids if c.dep_ == "dobj"]
    subj = [c for c in kids if c.dep_ in ("nsubj", "nsubjpass")]
    if obj and subj and (subj[0].lower_ in _PERSONAL or subj[0].ent_type_ in _HUMAN_ENTS):
        return None  # a person suggesting something: a proposal
    if obj or tok.dep_ in ("advcl", "acl", "relcl") or not kids or any(c.dep_ == "mark" and c.lower_ == "as" for c in kids):
        return tok.i, tok.i + 1, "epistemic"
    return None


def _doxastic(tok):
    lem = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    passive = tok.tag_ == "VBN" and (any(c.dep_ == "auxpass" for c in tok.children) or tok.dep_ in ("acl", "advcl"))
    if passive or (lem in _DOX_AS and (tok.tag_ == "VBN" or tok.dep_ == "acl")):
        kids = list(tok.children)
        to_inf = any(c.dep_ == "xcomp" and any(g.lower_ == "to" for g in c.children) for c in kids) or _to_verb_follows(tok)
        if lem in _DOX_PASS_TO and to_inf:
            return _aux_start(tok), tok.i + 1, "epistemic"
        if lem in _DOX_PASS_THAT and _has_clause(tok):
            return _aux_start(tok), tok.i + 1, "epistemic"
        if lem in _DOX_AS:
            as_prep = any(c.dep_ == "prep" and c.lower_ == "as" for c in kids) or (
                tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "as"
            )
            small_clause = lem in ("consider", "deem") and any(
                c.dep_ in ("oprd", "attr", "acomp", "xcomp", "ccomp", "dobj", "npadvmod") for c in kids
            )
            if lem in ("consider", "deem") and not small_clause and tok.i + 1 < len(tok.doc):
                nxt = tok.doc[tok.i + 1]  # parses often drop the small clause: look at what follows
                small_clause = nxt.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "ADV") or nxt.lower_ in ("by", "to")
            if as_prep or to_inf or small_clause:
                return _aux_start(tok), tok.i + 1, "epistemic"
        if lem == "think" and any(c.dep_ == "prep" and c.lower_ == "of" for c in kids):
            return _aux_start(tok), tok.i + 1, "epistemic"  # "is thought of as"
        return None
    if lem in _DOX_ACTIVE and tok.tag_ != "VBN":
        if _has_clause(tok) or any(c.lower_ == "so" and c.i == tok.i + 1 for c in tok.children):
            return tok.i, tok.i + 1, "epistemic"
        if lem in ("believe", "think", "suppose", "presume", "assume") and _small_clause(tok):
            return tok.i, tok.i + 1, "epistemic"  # "they believed this to be their best chance"
        return None
    if lem in _DOX_AS and lem in ("consider", "regard", "deem", "view"):
        if tok.tag_ in ("VBD", "VBN") and tok.dep_ in ("acl", "advcl", "conj") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in tok.children
        ):
            # a participle with no subject of its own: "(widely) considered a prime slot",
            # "is discouraged and considered a fault"; a coordinated active verb ("met and
            # considered the proposal") shares an agent and is not doxastic.
            head_passive = tok.dep_ != "conj" or tok.head.lemma_ == "be" or any(
                c.dep_ == "auxpass" for c in tok.head.children
            )
            if head_passive and any(c.dep_ in ("oprd", "dobj", "attr") or (c.dep_ == "prep" and c.lower_ == "as") for c in tok.children):
                return tok.i, tok.i + 1, "epistemic"
        if _small_clause(tok):
            return tok.i, tok.i + 1, "epistemic"
    return None


def _small_clause(tok) -> bool:
    """An active opinion verb with an object and its predicate: "consider X (to be) Y",
    "regard X as Y", "believe X to be Y" (not "consider whether", not "considered the bill")."""
    kids = list(tok.children)
    has_obj = any(c.dep_ == "dobj" for c in kids)
    if has_obj and any(c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as") for c in kids):
        return True
    for c in kids:
        if c.dep_ not in ("ccomp", "xcomp"):
            continue
        if any(g.dep_ == "mark" and g.lower_ in _CONDITION_MARKS | {"how", "what", "when", "why"} for g in c.children):
            continue
        if any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) and (has_obj or any(g.dep_ == "nsubj" for g in c.children)):
            return True  # "consider Lemieux to be", "believed this to be"
        if c.dep_ == "ccomp" and c.pos_ in ("NOUN", "PROPN") and any(g.dep_ == "prep" and g.lower_ == "as" for g in c.children):
            return True  # "regard Patek Philippe timepieces as the best" (object parsed as a clause)
    return False


def _allegation(tok):
    """ "has been accused of", "is alleged to have", "allegations of": a charge reported as
    unproven with no one answering for it, which is how news hedges an accusation. With its
    subject ("prosecutors alleged that") it is an attribution, not a hedge."""
    lem = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") and lem in _ALLEGE_VERBS:
        if any(c.dep_ == "nsubj" for c in tok.children) or tok.tag_ == "VBG":
            return None  # "prosecutors alleged that": an attribution with its source, not a hedge
        if lem == "accuse" and not (
            any(c.dep_ == "prep" and c.lower_ in ("of", "as") for c in tok.children)
            or any(c.dep_ == "auxpass" for c in tok.children)
        ):
            return None  # "accuse" with no charge named: the act, not a reported claim
        return _aux_start(tok), tok.i + 1, "reporting"
    if tok.pos_ == "NOUN" and tok.lower_ in _ALLEGE_NOUNS:
        return tok.i, tok.i + 1, "reporting"
    return None


def _noun(tok):
    if tok.pos_ != "NOUN":
        return None
    if tok.lower_ in _EPI_NOUNS:
        return tok.i, tok.i + 1, "epistemic"
    if tok.lower_ in _CLAUSAL_NOUNS and tok.i + 1 < len(tok.doc):
        # "the belief that ...", "rumours that ...": only with the content clause it qualifies
        # ("a view of the sea", "fears of a revolution" are not propositions)
        nxt = tok.doc[tok.i + 1]
        if nxt.lower_ == "that" and nxt.dep_ in ("mark", "nsubj", "dobj") and nxt.head.head.i == tok.i:
            if nxt.dep_ == "mark" or nxt.head.dep_ != "relcl":
                return tok.i, tok.i + 1, "epistemic"
    return None


def _predicate(tok):
    low = tok.lower_
    if low not in _EPI_PRED or low in ("likely", "unlikely") or tok.pos_ != "ADJ":
        return None
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > tok.sent.start else None
    if low == "possible":
        if prev is not None and prev.lower_ in ("as", "every", "if", "where", "whenever") or prev is not None and prev.tag_ in ("JJS", "RBS"):
            return None  # "as soon as possible", "every possible", "highest possible"
        if prev is not None and prev.lower_ in ("all", "any", "whenever", "wherever"):
            return None  # "all possible means", "wherever possible"
        head_clause = tok.head.lemma_ == "be" and any(
            c.dep_ == "ccomp" and any(g.lower_ in ("that", "whether") and g.dep_ == "mark" for g in c.children)
            for c in tok.head.children
        ) and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in tok.head.children)
        if head_clause and not any(c.dep_ == "neg" for c in tok.head.children):
            return tok.i, tok.i + 1, "epistemic"  # "it is possible that ..." (the clause hangs on "is")
        if any(c.dep_ in ("ccomp",) for c in tok.children) or any(c.dep_ == "expl" for c in tok.head.children):
            if any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children) or any(
                c.dep_ == "xcomp" for c in tok.children
            ):
                return None  # "it is possible for players to raise": ability
            return tok.i, tok.i + 1, "epistemic"
        return None
    if tok.dep_ in ("acomp", "attr", "oprd", "ccomp") or (tok.dep_ == "amod" and low in ("probable", "plausible", "conceivable")):
        if any(c.dep_ == "neg" for c in tok.head.children) and low in ("unclear", "uncertain", "unknown"):
            return None  # "it is not unclear" (rare) / "not unknown"
        start = tok.i - 1 if prev is not None and prev.lower_ == "not" and low in ("clear", "certain") else tok.i
        return start, tok.i + 1, "epistemic"
    return None


def _booster(tok):
    low = tok.lower_
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > tok.sent.start else None
    if low in _BOOSTERS and tok.pos_ in ("ADV", "ADJ"):
        if prev is not None and prev.lower_ in _DOWNTONERS:
            if prev.lower_ in ("almost", "nearly"):
                return prev.i, tok.i + 1, "epistemic"  # "almost certainly" is a hedge
            return None
        return tok.i, tok.i + 1, "booster"
    for phrase in _BOOSTER_PHRASES:
        n = len(phrase)
        if low == phrase[0] and tok.i + n <= len(doc) and all(doc[tok.i + k].lower_ == phrase[k] for k in range(n)):
            if prev is not None and prev.lower_ in ("little", "some"):
                return None
            return tok.i, tok.i + n, "booster"
    return None


# --- optional cue groups (news uncertainty; which run is data: ``enabled_groups``) ---------

def _comparison_or_as(tok) -> bool:
    """ "as expected", "than forecast", "than estimated": a comparison, not an expectation held."""
    prev = tok.doc[tok.i - 1] if tok.i > tok.sent.start else None
    if prev is not None and prev.lower_ in ("as", "than"):
        return True
    return any(c.dep_ == "mark" and c.lower_ in ("as", "than") for c in tok.children)


def _expectation_verb(tok):
    """ "analysts expect prices to rise", "is expected to", "forecast that", "was estimated at"."""
    lem = tok.lemma_.lower()
    if lem not in _EXPECT_VERBS or tok.pos_ not in ("VERB", "AUX") or _comparison_or_as(tok):
        return None
    kids = list(tok.children)
    if tok.dep_ == "amod":
        return None  # "the expected rise": a modifier (the possibility_modifiers group)
    passive = any(c.dep_ == "auxpass" for c in kids)
    if passive:
        if _to_verb_follows(tok) or _has_clause(tok) or any(c.dep_ in ("xcomp", "prep") for c in kids):
            return _aux_start(tok), tok.i + 1, "expectation"
        return None
    if tok.tag_ == "VBN" and tok.dep_ in ("acl", "advcl") and not _to_verb_follows(tok):
        return None  # "an estimated 40" / "estimated at": the approximator rule, or a bare participle
    if _has_clause(tok) or _to_verb_follows(tok) or any(c.dep_ in ("xcomp", "dobj", "ccomp") for c in kids):
        return tok.i, tok.i + 1, "expectation"
    return None


def _expectation_noun(tok):
    """ "analysts' estimates", "the forecast", "expectations of a cut"."""
    if tok.lower_ not in _EXPECT_NOUNS or tok.pos_ != "NOUN":
        return None
    return tok.i, tok.i + 1, "expectation"


def _possibility_modifier(tok):
    """ "a possible strike", "potential buyers", "the expected rise": a prospect, not a fact."""
    if tok.lower_ not in _POSSIBILITY_MODS or tok.dep_ not in ("amod",) or tok.head.i <= tok.i:
        return None
    if tok.head.pos_ not in ("NOUN", "PROPN"):
        return None
    prev = tok.doc[tok.i - 1] if tok.i > tok.sent.start else None
    if prev is not None and (prev.lower_ in ("every", "all", "any", "as", "than") or prev.tag_ in ("JJS", "RBS")):
        return None  # "every possible means", "the best possible result"
    return tok.i, tok.i + 1, "expectation"


def _belief(tok):
    """A held attitude with its content: "investors worry that", "are confident that", "hopes that"."""
    lem, low = tok.lemma_.lower(), tok.lower_
    if low in _BELIEF_ADJ and tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod", "oprd", "ROOT", "conj"):
        if _has_clause(tok) or any(c.dep_ in ("xcomp", "ccomp") for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ in ("about", "that", "of") for c in tok.children
        ):
            start = tok.i - 1 if tok.i > tok.sent.start and tok.doc[tok.i - 1].lower_ in ("not", "less", "more") else tok.i
            return start, tok.i + 1, "belief"
        return None
    if lem in _BELIEF_VERBS and tok.pos_ == "VERB":
        if lem == "hope" and not _has_clause(tok):
            return None  # "hopes to win": an intention
        if _has_clause(tok) or (lem == "worry" and any(c.dep_ == "prep" and c.lower_ == "about" for c in tok.children)):
            return tok.i, tok.i + 1, "belief"
    return None


def _appearance(tok):
    """ "appears unlikely", "looks set to", "looked certain", "sounds as if": a guess from
    appearances (not "appeared in a film", "appeared as Hamlet", "looks like a bird")."""
    lem = tok.lemma_.lower()
    if lem not in _APPEARANCE or tok.pos_ not in ("VERB", "AUX"):
        return None
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < tok.sent.end else None
    if nxt is None:
        return None
    if nxt.lower_ == "as" and tok.i + 2 < tok.sent.end and doc[tok.i + 2].lower_ in ("if", "though"):
        return tok.i, tok.i + 3, "epistemic"
    if lem == "look" and nxt.lower_ == "set" and _to_verb_follows(nxt):
        return tok.i, tok.i + 2, "epistemic"
    if any(c.dep_ == "acomp" and c.pos_ == "ADJ" for c in tok.children):
        return tok.i, tok.i + 1, "epistemic"
    return None


#: Optional cue groups by name; ``enabled_groups`` in the cue file says which run.
OPTIONAL_GROUPS = {
    "expectation_verbs": _expectation_verb,
    "expectation_nouns": _expectation_noun,
    "possibility_modifiers": _possibility_modifier,
    "belief": _belief,
    "appearance": _appearance,
}
ENABLED_GROUPS = tuple(g for g in _CUES["enabled_groups"] if g in OPTIONAL_GROUPS)


_RULES = (
    _modal, _likely, _adverb, _reporting_adjective, _so_called, _what_it_calls, _time_range,
    _approximator, _raising, _evidential, _doxastic, _allegation, _noun, _predicate, _booster,
)

# Cheap pre-filter: only tokens whose lower form or lemma can start a cue are tried.
_TRIGGERS = frozenset(
    _MODALS | _EPI_ADV | _REP_ADV | _REP_ADJ | _RAISING | _EVIDENTIAL | _DOX_ACTIVE | _DOX_PASS_TO
    | _DOX_PASS_THAT | _DOX_AS | _EPI_NOUNS | _CLAUSAL_NOUNS | _ALLEGE_VERBS | _ALLEGE_NOUNS | _EPI_PRED | _APPROX | _BOOSTERS | _TIME_UNITS
    | {p[0] for p in _BOOSTER_PHRASES} | {"so", "what", "a", "an", "likely", "unlikely"}
)
_OPTIONAL_TRIGGERS = frozenset(
    _EXPECT_VERBS | _EXPECT_NOUNS | _POSSIBILITY_MODS | _BELIEF_VERBS | _BELIEF_ADJ | _APPEARANCE
)


def find_hedges(doc, *, groups=None) -> list[Hedge]:
    """Every hedge cue and booster in ``doc``, in text order, each with its sentence span.

    ``groups`` names the optional cue groups to run (:data:`OPTIONAL_GROUPS`); by default
    the ones the cue file enables (chosen by cross-validation, ``audit.evaluate.hedging_cv``).
    """
    out: list[Hedge] = []
    text = doc_text(doc)
    names = ENABLED_GROUPS if groups is None else tuple(groups)
    rules = _RULES + tuple(OPTIONAL_GROUPS[g] for g in names)
    triggers = _TRIGGERS | _OPTIONAL_TRIGGERS if names else _TRIGGERS
    # the only tokens a rule can start on: a trigger word or lemma (read from the doc's arrays)
    cands = sorted(set(token_indices(doc, "LOWER", triggers)).union(
        token_indices(doc, "LEMMA", lambda s: s.lower() in triggers)))
    for sent in doc.sents:
        sspan = (sent.start_char, sent.end_char)
        taken_until = -1  # index of the first token not inside an earlier cue
        for k in range(bisect.bisect_left(cands, sent.start), bisect.bisect_left(cands, sent.end)):
            tok = doc[cands[k]]
            if tok.i < taken_until:
                continue
            for rule in rules:
                hit = rule(tok)
                if hit is None:
                    continue
                start, end, kind = hit
                start = max(start, sent.start)
                end = min(end, sent.end)
                s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
                if out and out[-1].span[1] > s:  # a multi-word cue that starts before: merge
                    prev = out.pop()
                    s = min(s, prev.span[0])
                out.append(Hedge(span=(s, e), text=text[s:e], kind=kind, sentence=sspan))
                taken_until = end
                break
    return out


def hedged_sentences(hedges) -> set:
    """Sentence spans that hold at least one epistemic (non-approximator, non-booster) cue."""
    return {h.sentence for h in hedges if h.kind in EPISTEMIC_KINDS}
