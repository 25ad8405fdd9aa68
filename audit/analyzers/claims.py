"""Unverified claims and borrowed reporting.

``find_claims(doc, attributions=..., hedges=...)`` flags the checkable claims an article
asks readers to take on trust, one :class:`~audit.findings.Claim` per distinct claim, with
one reason and its evidence spans:

- ``explicitly_unverified``: a verification caveat ("has not been independently verified",
  "could not be confirmed", "was unable to independently verify that estimate",
  "unconfirmed") is linked to the claim it refers to: the clause it is attached to, or, when
  the caveat stands alone ("that figure", "the source"), the nearest earlier claim clause of
  the same paragraph, else of the paragraph before (one with a number when the anaphor is
  "figure", "estimate", ...). A caveat that covers several claims ("Neither claim could be
  verified", "The figures could not be confirmed", "both sides' accounts") is linked to all
  the claims its noun refers to: every reported claim of its paragraph before it, or, when
  it opens its paragraph, of the paragraphs before it. The caveat itself is never the
  claim, nor is a clause that only points back at it ("how it arrived at that figure"). A
  claim restated later (summary and body) is one claim whose evidence holds every caveat;
- ``anonymous_source_only``: a factual (not predictive, not intentional) content whose only
  sources in the article are anonymous (``Attribution.source_type == "anonymous"``, also
  through a medium that cites anonymous people), unsourced "reportedly" clauses, and
  reporting that answers to no one ("X is said to be furious", "Y is understood to have
  met ..."), which is how a scoop continues an anonymous account without repeating the
  source. The fragments of an anonymity request ("who asked not to be named because ...")
  are never a claim;
- ``unattributed_contested``: a statement in the article's own voice that a source in the
  article denies or disputes (with overlapping wording, or by an anaphor: "Her office
  disputes that account", "The company denied it"), or that asserts a sweeping, loaded
  judgement (``audit/data/loaded_wording.json``, a small transparent word list, until the
  loaded-language layer lands).

Claim spans are whole clauses: a candidate cut before its verb's complement ("The freeze
is") is not used.

Distancing cues ("what it calls") in a claim's sentence are added to its evidence.

``find_borrowed_reporting(doc, attributions=..., outlet=...)`` notes when the article
reproduces another outlet's reporting: a verification caveat in another news
organisation's name, or attributions the attribution layer marked ``borrowed``.

Word lists are data in ``audit/data/claims_cues.json`` (sources noted there).
"""
from __future__ import annotations

import json
import re
from importlib import resources

from ..findings import Claim, Note
from .doctext import doc_text, token_indices


def _load() -> dict:
    with resources.files("audit").joinpath("data", "claims_cues.json").open(encoding="utf-8") as fh:
        return {k: v for k, v in json.load(fh).items() if not k.startswith("_")}


_C = _load()
_VERIFY_VERBS = frozenset(_C["verify_verbs"])
_VERIFY_NOUNS = frozenset(_C["verify_nouns"])
_UNVERIFIED_ADJ = frozenset(_C["unverified_adjectives"])
_INABILITY = frozenset(_C["inability_heads"])
_NUMBER_ANAPHORS = frozenset(_C["number_anaphors"])
_INTENTION = frozenset(_C["intention_verbs"])
_DISPUTE = frozenset(_C["dispute_verbs"])
_NEWS_ORGS = frozenset(n.lower() for n in _C["news_organisations"])
_CLAIM_NOUNS = frozenset(_C["claim_nouns"])
_PLURAL_DETS = frozenset(_C["plural_caveat_determiners"])
_ANONYMITY = tuple(_C["anonymity_formulas"])
_UNSOURCED_PASSIVES = frozenset(_C["unsourced_passives"])


def _load_loaded() -> tuple[tuple[tuple[str, ...], ...], frozenset]:
    with resources.files("audit").joinpath("data", "loaded_wording.json").open(encoding="utf-8") as fh:
        raw = json.load(fh)
    return tuple(tuple(_WORD.findall(p.lower())) for p in raw["phrases"]), frozenset(raw["attributing_verbs"])

_PREDICTIVE_MODALS = frozenset({"will", "would", "could", "may", "might", "should", "must", "shall", "can", "'ll", "wo"})
_TRIM = frozenset({"that", "and", "but", "though", "although", ",", ";", ":", "-", "—", "–", "while", "whereas"})
_WORD = re.compile(r"\w+")
_QUOTES = "\"“”"
_WH = frozenset({"how", "why", "whether", "what", "when", "where", "who", "which", "if"})
_REPORTING = frozenset({"say", "tell", "report", "claim", "add", "state", "announce", "write", "tweet", "insist", "argue"})
_COMPLEMENTS = frozenset({"acomp", "attr", "xcomp", "ccomp", "dobj", "oprd", "pobj", "auxpass"})
_LOADED, _ATTRIBUTING = _load_loaded()
_LOADED_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}  # the phrases by their first word
for _phrase in _LOADED:
    if _phrase:
        _LOADED_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


# --- small parse helpers ------------------------------------------------------------

def _negated(tok) -> bool:
    """The verification verb is negated: "not verified", "unable to verify", "no one could confirm"."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.dep_ in ("nsubj", "nsubjpass") and any(g.dep_ == "det" and g.lower_ in ("neither", "no") for g in c.subtree)
           for c in tok.children):
        return True  # "Neither claim could be verified", "no figure was confirmed"
    head = tok
    for _ in range(4):  # climb xcomp chains: "was unable to verify", "declined to confirm", "has not been able to"
        if head.dep_ not in ("xcomp", "ccomp", "acomp") or head.head.i == head.i:
            break
        head = head.head
        if head.lemma_.lower() in ("unable", "fail", "decline", "refuse", "impossible"):
            return True
        if head.lemma_.lower() in _INABILITY and any(c.dep_ == "neg" for c in head.children):
            return True
        if head.lemma_.lower() == "be" and any(c.lower_ in ("unable", "impossible") for c in head.children):
            return True
        if head.lemma_.lower() in ("have", "be") and any(c.dep_ == "advmod" and c.lower_ == "yet" for c in head.children):
            return True  # "police have yet to confirm", "is yet to be verified"
        if head.lemma_.lower() == "be" and any(c.dep_ == "neg" for c in head.children) and any(
            c.dep_ == "acomp" and c.lemma_.lower() == "able" for c in head.children
        ):
            return True
    return False


def _in_quotes(doc, i: int) -> bool:
    """Token ``i`` sits inside a quotation in its sentence (odd number of quote marks before it)."""
    sent = doc[i].sent
    n = sum(1 for t in doc[sent.start:i] if t.text in _QUOTES or t.text == "''" or t.text == "``")
    return n % 2 == 1


def _span_of(doc, idxs) -> tuple[int, int] | None:
    idxs = sorted(idxs)
    while idxs and ((doc[idxs[0]].lower_ in _TRIM and doc[idxs[0]].dep_ != "det") or doc[idxs[0]].is_punct or doc[idxs[0]].is_space):
        idxs.pop(0)
    while idxs and (doc[idxs[-1]].lower_ in _TRIM or doc[idxs[-1]].is_punct or doc[idxs[-1]].is_space):
        idxs.pop()
    if not idxs:
        return None
    # keep one contiguous run (the exclusion may leave holes at clause edges)
    run = [idxs[0]]
    for i in idxs[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    while run and (doc[run[-1]].lower_ in _TRIM or doc[run[-1]].is_punct):
        run.pop()
    if not run:
        return None
    s, e = doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)
    return s, e


def _clause(tok, exclude: set) -> tuple[int, int] | None:
    idxs = [t.i for t in tok.subtree if t.i not in exclude]
    return _span_of(tok.doc, idxs)


def _complement_clauses(sent, exclude: set):
    """Clausal complements of the sentence, outermost first ("X said [that ...]")."""
    out = []
    for t in sent:
        if t.i in exclude or t.dep_ not in ("ccomp",):
            continue
        anc = t.head
        nested = False
        while anc.head.i != anc.i and anc.i >= sent.start:
            if anc.dep_ == "ccomp" and anc.i not in exclude:
                nested = True
                break
            anc = anc.head
        if not nested:
            out.append(t)
    return out


def _has_number(doc, span) -> bool:
    s, e = span
    return any(t.like_num or t.tag_ == "CD" for t in doc.char_span(s, e, alignment_mode="expand") or ())


def _tokens(text: str) -> list[str]:
    return [m.group(0).lower() for m in _WORD.finditer(text)]


def token_f1(a: list[str], b: list[str]) -> float:
    """Bag-of-words F1 of two token lists (also the evaluation's content-overlap measure)."""
    if not a or not b:
        return 0.0
    from collections import Counter

    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _hull(att) -> tuple[int, int] | None:
    if not att.content:
        return None
    return min(s for s, _ in att.content), max(e for _, e in att.content)


def _paragraph_start(text: str, pos: int) -> int:
    i = text.rfind("\n\n", 0, pos)
    return 0 if i < 0 else i + 2


# --- verification caveats -----------------------------------------------------------

def _caveats(doc):
    """Yield ``(anchor_token, caveat_token_indices, object_token | None)`` for each caveat."""
    # only a verifying lemma or an unverified adjective can anchor one: visit those tokens alone
    lemmas = _VERIFY_VERBS | _VERIFY_NOUNS | {"confirmation", "verification"}
    anchors = set(token_indices(doc, "LEMMA", lambda s: s.lower() in lemmas))
    for i in sorted(anchors.union(token_indices(doc, "LOWER", _UNVERIFIED_ADJ))):
        tok = doc[i]
        low, lem = tok.lower_, tok.lemma_.lower()
        if lem in _VERIFY_VERBS and tok.pos_ in ("VERB", "AUX") and _negated(tok):
            if lem in ("establish", "prove") and not any(c.dep_ == "advmod" and c.lower_ == "independently" for c in tok.children):
                continue  # "has not proved popular": only "independently established/proven"
            obj = next((c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")), None)
            if obj is None:
                obj = next((c for c in tok.children if c.dep_ == "nsubj" and tok.tag_ == "VBN"), None)
            yield tok, _caveat_clause(tok), obj
        elif low in _UNVERIFIED_ADJ:
            head = tok.head if tok.dep_ == "amod" else tok
            subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None) if tok.dep_ in ("acomp", "attr") else None
            yield tok, {tok.i}, (subj or (head if head.i != tok.i else None))
        elif lem in _VERIFY_NOUNS and tok.pos_ == "NOUN" and any(c.lower_ in ("no",) and c.dep_ == "det" for c in tok.children):
            if lem in ("evidence", "proof") and not any(c.lower_ == "independent" for c in tok.children):
                continue
            yield tok, {t.i for t in tok.subtree}, None
        elif lem in ("confirmation", "verification") and tok.pos_ == "NOUN" and _pending(tok):
            # "awaiting confirmation", "which is pending confirmation": a claim whose confirmation is pending
            head = tok.head
            clause = {t.i for t in head.subtree} if head.pos_ in ("VERB", "AUX") else {t.i for t in tok.subtree}
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            yield tok, clause, (subj if subj is not None and subj.lower_ not in ("which", "that", "it", "this") else None)


def _pending(tok) -> bool:
    """ "pending confirmation", "awaiting verification", "yet to receive confirmation"."""
    if any(c.dep_ == "amod" and c.lower_ in ("pending", "awaiting") for c in tok.children):
        return True
    head = tok.head
    if head.lemma_.lower() in ("await", "pend") or head.lower_ in ("pending", "awaiting", "without"):
        return True
    return head.dep_ == "prep" and head.lower_ in ("pending", "without")


def _caveat_clause(tok) -> set:
    """Tokens of the caveat clause: the verb's subtree, climbed to "was unable to ..."."""
    top = tok
    while top.dep_ in ("xcomp",) and top.head.i != top.i:
        top = top.head
    if top.dep_ == "acomp" and top.head.i != top.i:
        top = top.head
    drop = set()
    for c in top.children:  # "..., and the company did not address them" is not part of the caveat
        if c.dep_ in ("conj", "cc") and c.i > top.i:
            drop.update(t.i for t in c.subtree)
    return {t.i for t in top.subtree} - drop


def _anaphor_needs_number(obj) -> bool:
    return obj is not None and obj.lemma_.lower() in _NUMBER_ANAPHORS


def _covers_several(obj) -> bool:
    """The caveat's noun refers to several claims: "Neither claim", "the figures", "both
    sides' accounts", "these reports" (a plural or a neither/both/all determiner)."""
    if obj is None:
        return False
    words = {t.lower_ for t in obj.subtree}
    if words & _PLURAL_DETS and (obj.lemma_.lower() in _CLAIM_NOUNS | _NUMBER_ANAPHORS or obj.lower_ in _PLURAL_DETS):
        return True
    return obj.tag_ in ("NNS", "NNPS") and obj.lower_ in _CLAIM_NOUNS | _NUMBER_ANAPHORS


def _cut_mid_clause(doc, span) -> bool:
    """The span stops before a complement of one of its own words ("The freeze is" without
    "unconfirmed"): not a whole clause."""
    chunk = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chunk is None or not len(chunk):
        return True
    last = chunk[-1]
    if last.pos_ == "AUX" or last.dep_ in ("aux", "auxpass", "det", "prep", "mark", "cc"):
        return True
    for t in chunk:
        for c in t.children:
            if c.i >= chunk.end and c.dep_ in _COMPLEMENTS and not c.is_punct:
                return True
    return False


def whole_clause(doc, span) -> tuple[int, int]:
    """``span`` grown to the whole clause it cuts: a predicate without its subject ("months
    behind schedule" in "Construction is, X said, months behind schedule") takes its verb and
    subject; a verb without its complement ("The freeze is") takes the complement."""
    chunk = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chunk is None or not len(chunk):
        return span
    sent = chunk[0].sent
    start, end = chunk.start, chunk.end
    for t in list(chunk):
        head = t.head
        if head.i < chunk.start and head.i >= sent.start and t.dep_ in ("acomp", "attr", "oprd", "xcomp", "npadvmod") \
                and head.pos_ in ("AUX", "VERB"):
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
            if subj is not None and subj.left_edge.i >= sent.start:
                start = min(start, subj.left_edge.i)
        if head.i >= chunk.end and head.i < sent.end and t.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("AUX", "VERB") \
                and head.lemma_.lower() not in _REPORTING:
            # a subject without its verb ("emergency calls over internet lines" [had failed ...])
            end = max(end, max((c.right_edge.i for c in head.children if c.i > head.i and c.dep_ != "punct"), default=head.i) + 1)
        for c in t.children:
            if c.i >= chunk.end and c.dep_ in _COMPLEMENTS and not c.is_punct and c.right_edge.i < sent.end:
                end = max(end, c.right_edge.i + 1)
    if (start, end) == (chunk.start, chunk.end):
        return span
    sp = _span_of(doc, range(start, end))
    return sp or span


def _points_back(doc, span) -> bool:
    """A clause about the claim rather than the claim: it opens with a wh-word ("how it
    arrived at that figure") or names the claim by an anaphor ("that figure", "the claims")."""
    chunk = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chunk is None or not len(chunk):
        return True
    if chunk[0].lower_ in _WH:
        return True
    for t in chunk:
        low = t.lemma_.lower()
        if (low in _NUMBER_ANAPHORS or low in _CLAIM_NOUNS) and any(
            c.dep_ in ("det", "poss") and c.lower_ in ("that", "those", "this", "these", "its", "their") for c in t.children
        ):
            return True
    return False


def _usable(doc, span, caveat_sentence: bool) -> bool:
    if _cut_mid_clause(doc, span):
        return False
    return not (caveat_sentence and _points_back(doc, span))


def _claims_in_sentence(doc, sent, exclude: set, atts, need_number: bool, *, caveat_sentence=False, every=False):
    """The claim clause(s) of ``sent`` outside ``exclude``: attribution contents, else clausal
    complements, else the sentence itself. ``every``: all reported contents, not the longest."""
    sspan = (sent.start_char, sent.end_char)
    ex_chars = [(doc[i].idx, doc[i].idx + len(doc[i].text)) for i in exclude]

    def keep(cands):
        cands = [c for c in cands if _usable(doc, c, caveat_sentence)]
        return [c for c in cands if _has_number(doc, c)] if need_number else cands

    cands = []
    for a in atts:
        h = _hull(a)
        if h and sspan[0] <= h[0] and h[1] <= sspan[1] and not any(_overlaps(h, x) for x in ex_chars):
            cands.append(h)
    cands = keep(cands)
    if every:
        cands = [c for c in cands if _is_factual(doc, c)]
        # contents nested in another content of the sentence are one claim
        return sorted(c for c in cands if not any(o != c and o[0] <= c[0] and c[1] <= o[1] for o in cands))
    if not cands:  # no (usable) attribution content: the parse's clausal complements
        for t in _complement_clauses(sent, exclude):
            sp = _clause(t, exclude)
            if sp:
                cands.append(sp)
        cands = keep(cands)
    if not cands and sent.root.i not in exclude:
        # a plain statement: the sentence itself, minus the caveat clause
        sp = _clause(sent.root, exclude | {t.i for t in sent if t.dep_ == "punct" and t.i == sent.end - 1})
        if sp and len(_tokens(doc_text(doc)[sp[0]:sp[1]])) >= 4:
            cands.append(sp)
        cands = keep(cands)
    if not cands:
        return []
    return [max(cands, key=lambda c: c[1] - c[0])]


def _claim_in_sentence(doc, sent, exclude: set, atts, need_number: bool, *, caveat_sentence=False):
    found = _claims_in_sentence(doc, sent, exclude, atts, need_number, caveat_sentence=caveat_sentence)
    return found[0] if found else None


def _paragraph_sentences(sents, k: int, text: str):
    """Indices of the sentences before ``k`` in its paragraph, nearest first, then (as a
    second list) the previous paragraphs' sentences, nearest first, paragraph by paragraph."""
    para = _paragraph_start(text, sents[k].start_char)
    same = [j for j in range(k - 1, -1, -1) if sents[j].start_char >= para]
    before = []
    j = (same[-1] if same else k) - 1
    while j >= 0:
        p = _paragraph_start(text, sents[j].start_char)
        block = [i for i in range(j, -1, -1) if sents[i].start_char >= p]
        before.append(block)
        j = block[-1] - 1
    return same, before


def _explicitly_unverified(doc, atts):
    out = []  # (claim span, caveat span)
    text = doc_text(doc)
    sents = list(doc.sents)
    sent_index = {}
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_index[i] = k
    caveat_spans = []
    found = list(_caveats(doc))
    for anchor, clause, _obj in found:
        idxs = sorted(clause)
        caveat_spans.append((doc[idxs[0]].idx, doc[idxs[-1]].idx + len(doc[idxs[-1]].text)))
    for anchor, clause, obj in found:
        if _in_quotes(doc, anchor.i):
            continue  # a quoted speaker's "we cannot confirm" is their statement, not the article's caveat
        k = sent_index[anchor.i]
        sent = sents[k]
        idxs = sorted(clause)
        cav = (doc[idxs[0]].idx, doc[idxs[-1]].idx + len(doc[idxs[-1]].text))
        cav = _span_of(doc, idxs) or cav
        need_number = _anaphor_needs_number(obj)
        claims = []
        if anchor.pos_ == "ADJ" and obj is not None and anchor.dep_ == "amod":
            # "an unverified video showing ...": the noun phrase's own content
            comp = next((c for c in obj.head.children if c.dep_ == "ccomp"), None) if obj.dep_ == "nsubj" else None
            if comp is not None:  # "unconfirmed reports said [the plant had closed]": what the source says
                sp = _clause(comp, set())
            else:
                sp = _span_of(doc, [t.i for t in obj.subtree if t.i > anchor.i])  # what follows the adjective
            claims = [sp] if sp and len(_tokens(text[sp[0]:sp[1]])) >= 3 else []  # not a lone word ("scientifically")
        else:
            # attached caveat ("..., though that figure has not been verified"): the rest of the sentence
            path_deps = set()
            t = anchor
            while t.head.i != t.i:
                path_deps.add(t.dep_)
                t = t.head
            if path_deps & {"advcl", "conj", "relcl", "appos", "acl", "parataxis"}:
                claims = _claims_in_sentence(doc, sent, clause, atts, need_number, caveat_sentence=True)
            if not claims:
                same, before = _paragraph_sentences(sents, k, text)
                if _covers_several(obj):
                    # "Neither claim could be verified": every reported claim it refers to
                    scope = same[:3] if same else [j for block in before[:4] for j in block]
                    for j in scope:
                        if any(_overlaps((sents[j].start_char, sents[j].end_char), c) for c in caveat_spans):
                            break  # an earlier caveat closes the scope
                        claims.extend(_claims_in_sentence(doc, sents[j], set(), atts, need_number, every=True))
                if not claims:
                    for j in same[:3] + [j for block in before[:1] for j in block[:3]]:
                        c = _claim_in_sentence(doc, sents[j], set(), atts, need_number)
                        if c and not any(_overlaps(c, cs) for cs in caveat_spans):
                            claims = [c]
                            break
        for claim in claims:
            if claim and not _overlaps(claim, cav):
                out.append((claim, cav))
    return out


# --- anonymous-only and contested claims ------------------------------------------------

def _is_factual(doc, span) -> bool:
    """Not a prediction, intention or opinion: the content's main verb has no modal/intention."""
    chunk = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chunk is None or not len(chunk):
        return False
    roots = [t for t in chunk if t.head.i < chunk.start or t.head.i >= chunk.end or t.head.i == t.i]
    heads = []
    for r in roots:
        heads.append(r)
        heads.extend(c for c in r.children if c.dep_ == "conj" and chunk.start <= c.i < chunk.end)
    for h in heads:
        if h.lemma_.lower() in _INTENTION:
            return False
        if any(c.dep_ == "aux" and c.lower_ in _PREDICTIVE_MODALS for c in h.children):
            return False
        if h.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in h.children) and any(
            c.lower_ in ("going",) for c in h.children
        ):
            return False
    return True


def _source_key(doc, att) -> str:
    text = att.source_text or (doc_text(doc)[att.source[0]:att.source[1]] if att.source else "")
    toks = [w for w in _tokens(text) if w not in ("the", "a", "an")]
    return toks[-1] if toks else ""


def _supports(doc, named, h, words) -> bool:
    """A named/document attribution states the same content, from outside the anonymous claim."""
    nh = _hull(named)
    if not nh or (named.source and h[0] <= named.source[0] < h[1]) or (h[0] <= nh[0] and nh[1] <= h[1]):
        return False  # nested inside the anonymous content: not independent support
    return _overlaps(nh, h) or token_f1(words, _tokens(doc_text(doc)[nh[0]:nh[1]])) >= 0.5


def _anonymous_only(doc, atts, taken):
    anon = [a for a in atts if a.source_type == "anonymous"]
    named = [a for a in atts if a.source_type in ("named_person", "named_organization", "document")]
    anon_hulls = [_hull(a) for a in anon]
    # media that cite anonymous people for the same content ("the Review said, citing people ...")
    # sources that relay anonymous people for the same content ("the Review said, citing people ...")
    relays = {
        _source_key(doc, a)
        for a in atts
        if a.source_type != "anonymous" and any(h and _overlaps(_hull(a) or (0, 0), h) for h in anon_hulls)
    }
    relays.discard("")
    named = [n for n in named if _source_key(doc, n) not in relays]
    hulls = [(a, _hull(a)) for a in anon]
    hulls += [(a, _hull(a)) for a in atts if a.source_type != "anonymous" and _source_key(doc, a) in relays]
    hulls.sort(key=lambda x: x[1] or (0, 0))
    out = []
    for a, h in hulls:
        if not h or any(_overlaps(h, t) for t in taken) or any(_overlaps(h, o) for o, _ in out):
            continue
        if _anonymity_request(doc, a, h) or not _is_factual(doc, h):
            continue
        words = _tokens(doc_text(doc)[h[0]:h[1]])
        if any(_supports(doc, n, h, words) for n in named):
            continue  # also supported by a named source or a document
        ev = a.source if a.source else (a.cue or h)
        out.append((h, ev))
    return out


def _anonymity_request(doc, att, h) -> bool:
    """ "who asked not to be named (because ...)", "requested anonymity": the terms of the
    source's anonymity, never a claim."""
    content = doc_text(doc)[h[0]:h[1]].lower()
    if content.startswith(("not to be ", "not to ", "anonymity")):
        return True
    return any(f in content for f in _ANONYMITY) and (att.cue_text or "").lower().split()[-1:] in (
        ["asked"], ["requested"], ["spoke"], ["speaking"], ["asking"], ["requesting"])


def _unsourced_passives(doc, atts, taken):
    """ "X is said to be furious", "Y is understood to have met ...": reporting that answers
    to no one (with a named source, "X is said by the ministry to ...", it is attributed)."""
    out = []
    named = [_hull(a) for a in atts if a.source_type in ("named_person", "named_organization", "document", "media")]
    anon = [a for a in atts if a.source_type == "anonymous" and a.source]
    for i in token_indices(doc, "TAG", ("VBN",)):
        tok = doc[i]
        if tok.lemma_.lower() not in _UNSOURCED_PASSIVES:
            continue
        if not any(c.dep_ == "auxpass" for c in tok.children):
            continue
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
        if xcomp is None or any(c.dep_ == "agent" for c in tok.children) or _in_quotes(doc, tok.i):
            continue
        if xcomp.lemma_.lower() in _INTENTION:
            continue  # "is said to want": an intention, not a checkable fact
        sp = _clause(tok, {c.i for c in tok.children if c.dep_ in ("punct", "cc", "conj")} | {
            t.i for c in tok.children if c.dep_ in ("conj",) for t in c.subtree})
        if not sp or any(_overlaps(sp, t) for t in taken) or any(h and h[0] <= sp[0] and sp[1] <= h[1] for h in named):
            continue
        cue = (tok.idx, tok.idx + len(tok.text))
        aux = [c for c in tok.children if c.dep_ == "auxpass"]
        if aux:
            cue = (aux[0].idx, cue[1])
        earlier = [a for a in anon if a.source[1] <= sp[0]]
        ev = [cue] + ([earlier[-1].source] if earlier else [])
        out.append((sp, ev))
    return out


def phrase_hits(words: list[str], phrases_by_first: dict | None = None) -> list[tuple[int, int]]:
    """``(position, length)`` of every occurrence of a loaded-wording phrase in ``words``
    (lower-cased word list), each phrase looked up from its first word only."""
    by_first = _LOADED_BY_FIRST if phrases_by_first is None else phrases_by_first
    out = []
    for i, w in enumerate(words):
        for phrase in by_first.get(w, ()):
            n = len(phrase)
            if i + n <= len(words) and tuple(words[i:i + n]) == phrase:
                out.append((i, n))
    return out


def _loaded_wording(doc, atts, taken):
    """Own-voice sentences asserting a sweeping, loaded judgement (the word list)."""
    text = doc_text(doc)
    covered = [h for h in (_hull(a) for a in atts) if h] + [a.source for a in atts if a.source]
    out = []
    for sent in doc.sents:
        sp = (sent.start_char, sent.end_char)
        if any(_overlaps(h, sp) for h in covered) or any(_overlaps(sp, t) for t in taken):
            continue
        if text[sp[0]:sp[1]].rstrip().endswith("?") or any(t.text in _QUOTES for t in sent):
            continue  # a question, or a sentence with a quotation: not the article's own assertion
        if sent.root.pos_ not in ("VERB", "AUX") or sent.root.lemma_.lower() in _ATTRIBUTING:
            continue  # no assertion, or the wording is someone else's ("Critics called it a sham")
        toks, words = [], []  # "cover-up" → cover, up (both from one token)
        for t in sent:
            for w in _WORD.findall(t.lower_):
                toks.append(t)
                words.append(w)
        hits = []
        for i, n in phrase_hits(words):
            a, b = toks[i], toks[i + n - 1]
            hits.append((a.idx, b.idx + len(b.text)))
        if not hits:
            continue
        claim = _span_of(doc, [t.i for t in sent])
        if claim:
            out.append((claim, sorted(hits)))
    return out


def _reportedly(doc, hedges, atts, taken):
    out = []
    hulls = [_hull(a) for a in atts]
    for hd in hedges:
        if hd.kind != "reporting" or hd.text.lower() != "reportedly":
            continue
        if any(h and _overlaps(h, hd.span) for h in hulls) or any(_overlaps(hd.span, t) for t in taken):
            continue
        tok = doc.char_span(hd.span[0], hd.span[1], alignment_mode="expand")
        if tok is None:
            continue
        verb = tok[0].head
        sp = _clause(verb, {tok[0].i} | {c.i for c in verb.children if c.dep_ == "punct"})
        if sp:
            out.append((sp, hd.span))
    return out


def _contested(doc, atts, taken):
    """Own-voice sentences that a source in the article denies or disputes."""
    disputes = [a for a in atts if a.cue_text and _tokens(a.cue_text) and any(
        w.startswith(tuple(_DISPUTE_STEMS)) for w in _tokens(a.cue_text))]
    if not disputes:
        return []
    hulls = [_hull(a) for a in atts]
    text = doc_text(doc)
    dispute_words = [(d, _hull(d)) for d in disputes]
    dispute_words = [(d, dh, _tokens(text[dh[0]:dh[1]])) for d, dh in dispute_words if dh]
    out = []
    for sent in doc.sents:
        sp = (sent.start_char, sent.end_char)
        if any(h and _overlaps(h, sp) for h in hulls) or any(_overlaps(sp, t) for t in taken):
            continue
        words = _tokens(text[sp[0]:sp[1]])
        if len(words) < 5:
            continue
        for d, dh, dwords in dispute_words:
            if token_f1(words, dwords) >= 0.5:
                claim = _span_of(doc, [t.i for t in sent])
                if claim:
                    out.append((claim, d.cue or dh))
                break
    return out


_DISPUTE_ANAPHORS = frozenset({"account", "accounts", "claim", "claims", "characterisation", "characterization",
                               "description", "version", "report", "reports", "allegation", "allegations", "figure",
                               "figures", "findings", "assertion", "assertions", "suggestion", "portrayal"})


def _disputed_by_anaphor(doc, atts, taken):
    """Own-voice statements a source then disputes by pointing back at them: "The mayor
    approved the contract without a tender. Her office disputes that account." The claim
    is the nearest earlier own-voice sentence of the paragraph (no attribution, no quotation)."""
    text = doc_text(doc)
    hulls = [h for h in (_hull(a) for a in atts) if h]
    sents = list(doc.sents)
    out = []
    for k, sent in enumerate(sents):
        hit = None
        for t in sent:
            if not (t.lemma_.lower() in _DISPUTE or t.lower_.startswith(_DISPUTE_STEMS)) or _in_quotes(doc, t.i):
                continue
            if t.tag_ not in ("VBZ", "VBD", "VBP", "VBN", "VBG", "NNS"):
                continue  # the verb (the parse sometimes calls "disputes" a noun)
            nxt = [u for u in doc[t.i + 1:min(t.i + 4, sent.end)]]
            words = [u.lower_ for u in nxt]

            def ends(n):  # the anaphor ends its clause ("disputes that account." / "... as false")
                return len(nxt) <= n or nxt[n].is_punct or nxt[n].lower_ in ("as", "and", "but")

            if words[:1] in (["it"], ["this"], ["that"]) and ends(1) \
                    or (len(words) >= 2 and words[0] in ("that", "this", "the", "those", "these") and words[1] in _DISPUTE_ANAPHORS
                        and ends(2)):
                hit = t
                break
        if hit is None:
            continue
        para = _paragraph_start(text, sent.start_char)
        for j in range(k - 1, max(-1, k - 3), -1):
            prev = sents[j]
            sp = (prev.start_char, prev.end_char)
            if prev.start_char < para:
                break
            if any(_overlaps(h, sp) for h in hulls) or any(u.text in _QUOTES for u in prev):
                continue  # a reported statement: its source answers for it
            if text[sp[0]:sp[1]].rstrip().endswith("?") or len(_tokens(text[sp[0]:sp[1]])) < 5:
                continue
            claim = _span_of(doc, [u.i for u in prev])
            if claim and any(w.startswith("figure") for w in _tokens(hit.sent.text)) and not _has_number(doc, claim):
                break  # "disputed the figures": only a statement with a number
            if claim and not any(_overlaps(claim, x) for x in taken):
                ev = _span_of(doc, [u.i for u in sent])
                out.append((claim, ev or (hit.idx, hit.idx + len(hit.text))))
            break
    return out


_DISPUTE_STEMS = tuple(sorted({v[:-1] if v.endswith("e") else v for v in _DISPUTE}))


# --- public API -------------------------------------------------------------------------

def find_claims(doc, *, attributions=(), hedges=()) -> list[Claim]:
    """Unverified claims of ``doc``, one per distinct claim, in text order."""
    text = doc_text(doc)
    atts = tuple(attributions)
    claims: list[list] = []  # [span, reason, [evidence spans], note]

    def add(span, reason, evidence, note):
        span = whole_clause(doc, span)
        words = _tokens(text[span[0]:span[1]])
        for c in claims:
            if _overlaps(c[0], span) or token_f1(words, _tokens(text[c[0][0]:c[0][1]])) >= 0.6:
                if evidence not in c[2]:
                    c[2].append(evidence)
                return
        claims.append([span, reason, [evidence], note])

    for span, cav in _explicitly_unverified(doc, atts):
        add(span, "explicitly_unverified", cav, "the article says this could not be verified")
    # a claim gets one reason and all its evidence: an anonymous source of a claim the article
    # also says it could not verify joins that claim's evidence (the caveat's reason stands)
    for span, ev in _anonymous_only(doc, atts, ()):
        add(span, "anonymous_source_only", ev, "its only source in the article is anonymous")
    for span, ev in _reportedly(doc, hedges, atts, [c[0] for c in claims]):
        add(span, "anonymous_source_only", ev, "reported without a source ('reportedly')")
    for span, evs in _unsourced_passives(doc, atts, [c[0] for c in claims]):
        add(span, "anonymous_source_only", evs[0], "reported with no one answering for it ('is said to', 'is understood to')")
        for ev in evs[1:]:
            add(span, "anonymous_source_only", ev, "")
    for span, ev in _contested(doc, atts, [c[0] for c in claims]):
        add(span, "unattributed_contested", ev, "stated in the article's own voice and disputed by a source in it")
    for span, ev in _disputed_by_anaphor(doc, atts, [c[0] for c in claims]):
        add(span, "unattributed_contested", ev, "stated in the article's own voice and disputed by a source in it")
    for span, evs in _loaded_wording(doc, atts, [c[0] for c in claims]):
        for ev in evs:
            add(span, "unattributed_contested", ev, "a sweeping, loaded assertion in the article's own voice, with no source")

    # distancing ("what it calls ...") qualifies the claim that follows it in its sentence
    for hd in hedges:
        if hd.kind != "distancing":
            continue
        after = _tokens(text[hd.span[1]:hd.sentence[1]])
        for c in claims:
            same_sentence = hd.span[1] <= c[0][0] < hd.sentence[1]
            restated = token_f1(after, _tokens(text[c[0][0]:c[0][1]])) >= 0.5  # the claim again, further on
            if (same_sentence or restated) and hd.span not in c[2]:
                c[2].append(hd.span)

    out = []
    for span, reason, ev, note in sorted(claims, key=lambda c: c[0]):
        ev = tuple(sorted(set(ev)))
        out.append(Claim(span=span, text=text[span[0]:span[1]], reason=reason, evidence=ev,
                         evidence_text=tuple(text[s:e] for s, e in ev), note=note))
    return out


def _norm_outlet(name: str) -> str:
    return " ".join(w for w in _tokens(name) if w not in ("the", "news", "com"))


def find_borrowed_reporting(doc, *, attributions=(), outlet="") -> list[Note]:
    """Notes when the article reproduces another outlet's reporting."""
    own = _norm_outlet(outlet)
    found: dict[str, list] = {}
    for anchor, clause, _obj in _caveats(doc):
        if _in_quotes(doc, anchor.i):
            continue
        verb = anchor
        subj = None
        for _ in range(4):
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None or verb.head.i == verb.i:
                break
            verb = verb.head
        if subj is None:
            continue
        name_span = doc[subj.left_edge.i: subj.right_edge.i + 1]
        name = name_span.text.strip()
        is_org = name.lower() in _NEWS_ORGS or name_span.root.ent_type_ == "ORG" and any(
            t.lower_ == "independently" for t in doc[min(clause):max(clause) + 1]
        )
        if not is_org or not name or (own and _norm_outlet(name) == own):
            continue
        idxs = sorted(clause | {t.i for t in name_span})
        sp = _span_of(doc, idxs)
        if sp:
            found.setdefault(name, []).append(sp)
    for a in attributions:
        if getattr(a, "borrowed", False) and a.source:
            name = a.source_text or doc_text(doc)[a.source[0]:a.source[1]]
            if own and _norm_outlet(name) == own:
                continue
            found.setdefault(name, []).append(a.source)
    notes = []
    for name, spans in found.items():
        where = f" (published by {outlet})" if outlet else ""
        notes.append(Note(
            kind="borrowed_reporting",
            message=f"The article{where} reproduces reporting by {name}: its verification or sourcing is in {name}'s name.",
            evidence=tuple(sorted(set(spans))),
        ))
    return notes
