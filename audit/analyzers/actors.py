"""Actors: who is in the story, under all their names.

``find_actors(doc)`` merges every mention of one real-world referent into one
``Actor``: spaCy entities (PERSON, ORG, GPE, NORP) with their titles, surname-only
and alias forms, country spelling variants ("U.S.", "US", "United States"),
capitals used as metonyms for their governments ("Tehran said"), demonym noun
phrases for a state's agents ("Israeli officials"), unnamed specific institutions
("the electoral commission"), descriptive definite NPs for an organisation already
named ("the company"), appositives, and third-person pronouns resolved by a light
rule-based resolver to the nearest compatible preceding actor.

The word lists are data: ``audit/data/actors_countries.json`` and
``audit/data/actors_roles.json`` (each says where it comes from).
"""
from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

from ..findings import Actor, Mention, Span
from .doctext import doc_text, token_indices

# --- data ----------------------------------------------------------------------------

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
FIRST_PERSON = {"i": "sg", "me": "sg", "my": "sg", "mine": "sg", "myself": "sg",
                "we": "pl", "us": "pl", "our": "pl", "ours": "pl", "ourselves": "pl"}
# Honorifics that fix a person's grammatical gender (English usage).
MALE_HONORIFICS = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "congressman", "councilman", "chairman", "spokesman"})
FEMALE_HONORIFICS = frozenset({"mrs", "mrs.", "ms", "ms.", "dame", "lady", "baroness", "queen", "princess",
                               "congresswoman", "councilwoman", "chairwoman", "spokeswoman"})
DEFINITE_DETS = frozenset({"the", "this", "that"})
APOSTROPHE_S = re.compile(r"[’']s?$")
QUOTE_CHARS = "\"“”«»"


def _load(name: str) -> dict:
    return json.loads(resources.files("audit.data").joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _tables() -> dict:
    c = _load("actors_countries.json")
    r = _load("actors_roles.json")
    variants = {}
    for canon, vs in c["countries"].items():
        for v in [canon, *vs]:
            variants[_norm(v)] = canon
            if v.lower().startswith("the "):
                variants[_norm(v[4:])] = canon
    return {
        "variants": variants,
        "demonyms": {_norm(k): v for k, v in c["demonyms"].items()},
        "capitals": {_norm(k): v for k, v in c["capitals"].items()},
        "titles": frozenset(r["person_titles"]),
        "standalone": tuple(sorted((t.split() for t in r["standalone_titles"]), key=len, reverse=True)),
        "state_agents": frozenset(r["state_agent_nouns"]),
        "inst_heads": frozenset(r["institution_heads"]),
        "inst_bare": frozenset(r["institution_bare_plural"]),
        "org_desc": frozenset(r["org_descriptors"]),
        "state_desc": frozenset(r["state_descriptors"]),
        "locative": frozenset(r["locative_preps"]),
        "org_suffixes": frozenset(r["org_suffixes"]),
    }


@functools.lru_cache(maxsize=16384)
def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("’", "'").strip()
    s = APOSTROPHE_S.sub("", s) if s.endswith(("'s", "'")) else s
    return re.sub(r"\s+", " ", s).lower()


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


# --- working clusters -------------------------------------------------------------------

@dataclass
class _Cluster:
    type: str
    name: str
    mentions: list = field(default_factory=list)      # (start, end, kind)
    tokens: set = field(default_factory=set)           # lowercased name tokens (persons, orgs)
    titles: set = field(default_factory=set)           # standalone titles this person was introduced with
    gender: str | None = None
    head: str = ""                                     # last word of an organisation's name
    plural: bool = False

    def add(self, start: int, end: int, kind: str) -> None:
        self.mentions.append((start, end, kind))


# A photo credit: "Photo: Marcus Hale / Harbor Ledger", "Pohl / Reuters", "Lena Varga / AFP"
# closing a caption line or standing alone on it. Nobody in a credit is an actor of the story.
CREDIT = re.compile(
    r"(?:(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?|Video)\s*:\s*)?"
    r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4}[ \t]*/[ \t]*[A-Z][\w.'’&-]*(?:[ \t]+[A-Z][\w.'’&-]*){0,4}"
    r"[ \t]*(?=\n|$)"
    r"|(?:Photo(?:graph)?s?|Pictures?|Images?|Credits?)\s*:\s*[^\n]{1,80}(?=\n|$)")


def credit_spans(text: str) -> list[Span]:
    """Character spans of photo credits in ``text``."""
    return [m.span() for m in CREDIT.finditer(text)]


class _Builder:
    def __init__(self, doc):
        self.doc = doc
        self.text = doc_text(doc)
        self.t = _tables()
        self.clusters: list[_Cluster] = []
        self.taken: list[tuple[int, int, _Cluster]] = []   # (start, end, cluster) of every mention
        self.credits = credit_spans(self.text)
        self._sent_bounds: tuple[list[int], list[int]] | None = None

    # registry helpers
    def add(self, cl: _Cluster, start: int, end: int, kind: str) -> None:
        text = self.text
        while end > start and text[end - 1] in " ,.;:" + QUOTE_CHARS:
            if text[end - 1] == "." and re.search(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St)\.$", text[start:end]):
                break
            end -= 1
        if end > start and text[start:end].endswith(("'s", "’s")):
            end -= 2
        while start < end and text[start] in QUOTE_CHARS + " ":
            start += 1
        if end <= start or any(cs < end and start < ce for cs, ce in self.credits):
            return
        for s, e, c in self.taken:
            if s == start and e == end:
                return
        cl.add(start, end, kind)
        self.taken.append((start, end, cl))
        if cl not in self.clusters:
            self.clusters.append(cl)

    def sentence_bounds(self) -> tuple[list[int], list[int]]:
        """Start and end characters of the document's sentences (computed once)."""
        if self._sent_bounds is None:
            sents = list(self.doc.sents)
            self._sent_bounds = ([s.start_char for s in sents], [s.end_char for s in sents])
        return self._sent_bounds

    def covered(self, start: int, end: int) -> _Cluster | None:
        for s, e, c in self.taken:
            if s <= start and end <= e:
                return c
        return None

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e, _ in self.taken)

    def find(self, type_: str, name: str) -> _Cluster | None:
        for c in self.clusters:
            if c.type == type_ and c.name == name:
                return c
        return None

    def country(self, name: str) -> _Cluster:
        c = self.find("country", name)
        return c or _Cluster("country", name)


def _strip_titles(tokens, titles) -> list:
    """Drop leading title/role words and determiners from a name's tokens."""
    out = list(tokens)
    while len(out) > 1 and (out[0].lower_ in titles or out[0].lower_ in DEFINITE_DETS or out[0].pos_ == "DET"
                            or out[0].ent_type_ in ("NORP", "GPE") and out[0].ent_iob_ != "I"):
        out = out[1:]
    while out and (out[-1].is_punct or out[-1].tag_ == "POS"):
        out = out[:-1]
    return out


def _np_left(tok, floor: int, own_from: int | None = None) -> int:
    """Leftmost token index of the noun phrase headed by ``tok`` (left dependents only).
    A premodifier holding another person/organisation name stops it (unless possessive:
    mentions may nest, "Israel's Prime Minister X"); ``own_from`` is where ``tok``'s own
    entity starts."""
    if own_from is None:
        own_from = tok.i
        while tok.ent_iob_ == "I" and own_from > 0 and tok.doc[own_from].ent_iob_ == "I":
            own_from -= 1  # the start of tok's own entity
    left = tok.i
    for ch in sorted(tok.lefts, key=lambda x: -x.i):
        if ch.dep_ not in ("det", "amod", "compound", "nmod", "poss", "nummod", "punct", "case", "quantmod", "advmod"):
            break
        if ch.left_edge.i < floor:
            break
        if ch.dep_ != "poss" and any(x.ent_type_ in ("PERSON", "ORG") and x.i < own_from for x in ch.subtree):
            break
        left = min(left, ch.left_edge.i)
    return left


def _is_locative(span) -> bool:
    """A place reference: the object of a locative preposition ("a hotel in Washington")."""
    root = span.root
    while root.dep_ in ("compound", "conj", "appos") and root.head.i != root.i and root.head.ent_type_ == span.label_:
        root = root.head
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        return root.head.lower_ in _tables()["locative"]
    if root.dep_ == "conj":  # "in Washington and Tehran"
        h = root.head
        if h.dep_ == "pobj" and h.head.dep_ == "prep":
            return h.head.lower_ in _tables()["locative"]
    return False


def _split_compound_gpe(span) -> list[tuple[int, int, str]]:
    """"U.S.–Iran" → two pieces with their character offsets."""
    out = []
    text = span.text
    pos = 0
    for part in re.split(r"([–—-])", text):
        if part and part not in "–—-":
            out.append((span.start_char + pos, span.start_char + pos + len(part), part))
        pos += len(part)
    return out


def _masthead(word: str) -> bool:
    """A newspaper's masthead word ("Ledger", "Star", "Tribune"), from the attribution lexicon."""
    from .attribution import lexicon

    return word in lexicon()["masthead_words"]


def _as_written(text: str, toks) -> str:
    """A name as the text writes it ("Northfield Nurses' Association"), whitespace collapsed."""
    return re.sub(r"\s+", " ", text[toks[0].idx:toks[-1].idx + len(toks[-1].text)])


_PLACE_NOUNS = frozenset({"resident", "residents", "inhabitant", "inhabitants", "people", "population", "homes",
                          "households"})


def _is_place(span) -> bool:
    """A one-word name used as a place: after a locative preposition ("a morning in Dunmore")
    or as the subject of "has N residents"."""
    if span.label_ in ("PERSON",) and len(span) > 1:
        return False
    if _is_locative(span):
        return True
    root = span.root
    h = root.head
    return root.dep_ == "nsubj" and h.lemma_ == "have" and any(
        c.dep_ == "dobj" and c.lower_ in _PLACE_NOUNS for c in h.children)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper())


def find_actors(doc) -> list[Actor]:
    """Every actor of the article, mentions merged, in order of first mention."""
    b = _Builder(doc)
    t = b.t
    _entity_pass(b, doc, t)
    _institution_pass(b, doc, t)
    _propn_pass(b, doc)
    _unrecognised_name_pass(b, doc)
    _appositive_pass(b, doc)
    _pronoun_pass(b, doc)
    out = []
    for c in b.clusters:
        if not c.mentions:
            continue
        ms = sorted(set(c.mentions))
        mentions = tuple(Mention(span=(s, e), text=b.text[s:e], kind=k) for s, e, k in ms)
        out.append((ms[0][0], Actor(key=f"{c.type}:{slug(c.name)}", name=c.name, type=c.type, mentions=mentions)))
    out.sort(key=lambda x: x[0])
    # one actor per key (two clusters can meet on the same canonical name)
    merged: dict[str, Actor] = {}
    for _, a in out:
        if a.key in merged:
            prev = merged[a.key]
            ms = tuple(sorted(set(prev.mentions) | set(a.mentions), key=lambda m: m.span))
            merged[a.key] = Actor(key=prev.key, name=prev.name, type=prev.type, mentions=ms)
        else:
            merged[a.key] = a
    return list(merged.values())


# --- passes -------------------------------------------------------------------------------

def _entity_pass(b: _Builder, doc, t) -> None:
    for ent in doc.ents:
        label = ent.label_
        if label in ("GPE", "LOC"):
            _gpe(b, ent, t)
        elif label == "NORP":
            _norp(b, ent, t)
        elif label in ("PERSON", "ORG"):
            _person_or_org(b, ent, t)


def _gpe(b: _Builder, ent, t) -> None:
    pieces = _split_compound_gpe(ent) if re.search(r"[–—]|\w-\w", ent.text) else [(ent.start_char, ent.end_char, ent.text)]
    for s, e, txt in pieces:
        key = _norm(txt)
        if key.startswith("the "):
            key = key[4:]
        if key in t["variants"]:
            c = b.country(t["variants"][key])
            b.add(c, s, e, "name" if key == _norm(c.name) else "alias")
        elif key in t["capitals"]:
            if _is_locative(ent):
                continue
            b.add(b.country(t["capitals"][key]), s, e, "metonym")
        elif ent.label_ == "GPE" and len(pieces) == 1 and not _is_locative(ent):
            name = " ".join(w for w in txt.split() if w.lower() != "the")
            name = re.sub(r"[’']s$", "", name)
            c = b.find("country", name) or _Cluster("country", name)
            b.add(c, s, e, "name")


def _norp(b: _Builder, ent, t) -> None:
    key = _norm(ent.text)
    country = t["demonyms"].get(key)
    if not country:
        return
    head = ent.root.head
    if ent.root.dep_ in ("amod", "compound", "nmod") and head.i > ent.root.i:
        # the noun phrase "Israeli officials", "Iranian state media", but not "Israeli Prime Minister X"
        if head.dep_ == "compound" and head.head.ent_type_ in ("PERSON", "ORG"):
            return  # "Israeli Prime Minister X": a title, not the state
        if head.lower_ in t["state_agents"] and head.ent_type_ in ("", "NORP") and not head.ent_type_ == "PERSON":
            if any(ch.ent_type_ == "PERSON" for ch in head.subtree):
                return
            left = _np_left(head, head.left_edge.i)
            start = min(doc_tok.idx for doc_tok in [ent[0], head.doc[left]])
            b.add(b.country(country), start, head.idx + len(head.text), "demonym")


def _person_or_org(b: _Builder, ent, t) -> None:
    toks = _strip_titles(list(ent), t["titles"] if ent.label_ == "PERSON" else frozenset())
    while toks and (toks[-1].pos_ == "CCONJ" or toks[-1].is_punct):
        toks = toks[:-1]  # "Valmora Dock and": the entity recogniser took the conjunction
    if not toks:
        return
    if len(toks) == 1 and _is_place(ent):
        return  # "in Dunmore", "Dunmore has 4,000 residents": a town as a place, not an actor
    name = _as_written(b.text, toks)
    name = re.sub(r"\s*[’']s$", "", name).strip()
    if not name or not re.search(r"[A-Za-z]", name):
        return
    key = _norm(name)
    # span of this mention: the name with its title/premodifiers when the entity heads its NP
    root = ent.root
    start = ent.start_char
    if root.dep_ not in ("compound", "amod", "nmod"):
        left = _np_left(root, 0, ent.start)
        start = min(start, root.doc[left].idx)
        # "the city of Marlow"-style heads are handled by the institution pass
    end = toks[-1].idx + len(toks[-1].text) if toks[-1].i < ent.end else ent.end_char
    label = ent.label_
    # a country name tagged ORG/PERSON
    if key in t["variants"]:
        c = b.country(t["variants"][key])
        b.add(c, ent.start_char, end, "alias")
        return
    single = len(toks) == 1
    low = [x.lower_ for x in toks]
    if label == "PERSON" and not single and low[-1] in t["org_suffixes"]:
        label = "ORG"  # "Orbis Pharma" tagged as a person
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    if label == "PERSON" and single and before is not None and before.lower_ == "the" and _masthead(toks[0].text):
        label = "ORG"  # "the Ledger was unable to verify": the outlet, not a person
    if label == "ORG" and not single and before is not None and before.pos_ == "NOUN" \
            and before.lower_ in t["titles"] and all(x.pos_ == "PROPN" for x in toks):
        label = "PERSON"  # "Institute director Helena Moor": a name after a title
    # 1) a single token equal to a known person's surname/first name, whatever the label
    if single:
        for c in reversed(b.clusters):
            if c.type == "person" and (low[0] == c.name.split()[-1].lower() or low[0] in c.tokens and label == "PERSON"):
                b.add(c, start, end, "surname")
                return
    if label == "PERSON":
        # multi-token: same surname as an existing person (or a surname-only cluster seen first)
        for c in b.clusters:
            if c.type != "person":
                continue
            last = c.name.split()[-1].lower()
            if last == low[-1] and (single or len(c.name.split()) == 1 or c.name.split()[0].lower() == low[0]):
                if len(name.split()) > len(c.name.split()):
                    c.name = name
                c.tokens |= set(low)
                b.add(c, start, end, "name" if not single else "surname")
                _note_title(b, c, ent, t)
                return
        # an alias of an organisation already named ("Orbis" tagged PERSON)
        if single:
            oc = _org_match(b, name, key)
            if oc:
                b.add(oc, start, end, "alias")
                return
        c = _Cluster("person", name, tokens=set(low))
        b.add(c, start, end, "name")
        _note_title(b, c, ent, t)
        return
    # ORG; a lower-case "organisation" ("the union") is a descriptive NP: left to the institution pass
    if not any(x.text[:1].isupper() for x in toks):
        return
    oc = _org_match(b, name, key)
    if oc:
        if len(name) > len(oc.name) and key.startswith(_norm(oc.name)):
            oc.name = name
        b.add(oc, start, end, "alias" if _norm(oc.name) != key else "name")
        return
    c = _Cluster("organization", name, tokens=set(low), head=low[-1])
    b.add(c, start, end, "name")


def _org_match(b: _Builder, name: str, key: str) -> _Cluster | None:
    words = key.split()
    for c in reversed(b.clusters):
        if c.type != "organization":
            continue
        ck = _norm(c.name)
        cw = ck.split()
        if ck == key:
            return c
        if len(words) == 1 and (name.isupper() and len(name) >= 2 and _initials(c.name) == name):
            return c
        if len(cw) > 1 and name.isupper() and _initials(name) == "" and False:
            return c
        if len(words) == 1 and len(cw) > 1 and cw[-1] == words[0] and name[:1].isupper():
            return c
        # "Orbis" for "Orbis Pharma", "Liberal Reform" for "Liberal Reform Party"
        if len(words) < len(cw) and cw[: len(words)] == words:
            return c
        # the longer form named second ("Orbis" first, then "Orbis Pharma")
        if len(cw) < len(words) and words[: len(cw)] == cw:
            return c
    return None


def _note_title(b: _Builder, c: _Cluster, ent, t) -> None:
    """Remember the standalone title and gender cues a person was introduced with."""
    doc = ent.doc
    lo = max(0, ent.start - 5)
    before = [x.lower_ for x in doc[lo:ent.start]]
    for title in t["standalone"]:
        n = len(title)
        for i in range(len(before) - n + 1):
            if before[i:i + n] == list(title):
                c.titles.add(" ".join(title))
    # appositive titles: "X, the prime minister," / "the prime minister, X,"
    for tok in list(ent.root.children) + [ent.root.head]:
        if tok.dep_ == "appos" or ent.root.dep_ == "appos" and tok is ent.root.head:
            words = [x.lower_ for x in tok.subtree][:6]
            for title in t["standalone"]:
                if " ".join(title) in " ".join(words):
                    c.titles.add(" ".join(title))
    for x in doc[lo:ent.start]:
        if x.lower_ in MALE_HONORIFICS:
            c.gender = "m"
        elif x.lower_ in FEMALE_HONORIFICS:
            c.gender = "f"


def _institution_pass(b: _Builder, doc, t) -> None:
    """Unnamed institutions, descriptive NPs and standalone titles, in text order."""
    for i in token_indices(doc, "POS", ("NOUN", "PROPN")):
        tok = doc[i]
        if tok.ent_type_ in ("PERSON", "GPE", "NORP", "DATE", "CARDINAL", "MONEY", "PERCENT"):
            continue
        # only the head of a noun phrase
        if tok.dep_ in ("compound",) and tok.head.pos_ in ("NOUN", "PROPN"):
            continue
        left = _np_left(tok, 0)
        start, end = doc[left].idx, tok.idx + len(tok.text)
        if b.covered(tok.idx, end):
            continue
        np = doc[left:tok.i + 1]
        pre = [x for x in np if x.i < tok.i]
        dets = [x for x in pre if x.dep_ == "det"]
        det = dets[0].lower_ if dets else ""
        poss = [x for x in pre if x.dep_ == "poss"]
        poss_pron = bool(poss) and all(x.pos_ == "PRON" for x in poss)
        mods = [x for x in np if x.dep_ in ("amod", "compound", "nmod") and x.i < tok.i]
        low = tok.lower_
        lemma = tok.lemma_.lower()
        # standalone title for a person ("the prime minister", "the president")
        if det in ("the",) and not poss:
            words = [x.lower_ for x in np if x.dep_ != "det"]
            phrase = " ".join(words)
            for c in reversed(b.clusters):
                if c.type == "person" and phrase in c.titles and c.mentions and c.mentions[0][0] < start:
                    b.add(c, start, end, "title")
                    break
            else:
                phrase = None
            if phrase:
                continue
        # descriptive NP for an actor already named: "the company", "the observatory", "her party"
        if (det in DEFINITE_DETS and not poss or poss_pron) and (
                low in t["org_desc"] or lemma in t["org_desc"] or low in t["state_desc"]):
            plural = tok.tag_ in ("NNS", "NNPS")
            target = _descriptive_target(b, start, low, lemma, bool(mods), plural, t)
            if target is not None:
                b.add(target, start, end, "alias")
                continue
        # an unnamed specific institution: "the electoral commission", "Poland's environment ministry"
        if (low in t["inst_heads"] or lemma in t["inst_heads"]) and tok.ent_type_ in ("", "ORG"):
            if (det in ("the",) or poss) and (mods or poss):
                key = " ".join(x.lower_ for x in np if x.dep_ not in ("det", "poss", "case") and x.i not in
                               {y.i for p in poss for y in p.subtree})
                c = _institution_match(b, key, low)
                if c is None and poss_pron:
                    continue
                name = " ".join(x.text for x in np if x.dep_ != "det")
                name = re.sub(r"\s+([’']s)", r"\1", name)
                c = c or b.find("organization", name) or _Cluster("organization", name, tokens=set(key.split()), head=low)
                b.add(c, start, end, "name" if c.name == name else "alias")
                continue
        if low in t["inst_bare"] and tok.tag_ in ("NNS", "NN") and not det and not poss:
            name = " ".join(x.text for x in np).lower()
            c = None
            for cl in b.clusters:
                if cl.type == "organization" and cl.head == low:
                    c = cl
                    break
            c = c or _Cluster("organization", name, tokens={x.lower_ for x in np}, head=low, plural=True)
            b.add(c, start, end, "name" if c.name == name else "alias")


def _by_recency(b: _Builder, start: int) -> list:
    """Clusters mentioned before ``start``, most recently mentioned first."""
    scored = []
    for c in b.clusters:
        last = max((m[0] for m in c.mentions if m[0] < start), default=-1)
        if last >= 0:
            scored.append((last, c))
    return [c for _, c in sorted(scored, key=lambda x: -x[0])]


def _descriptive_target(b: _Builder, start: int, low: str, lemma: str, has_mods: bool, plural: bool, t) -> _Cluster | None:
    recent = _by_recency(b, start)
    for c in recent:  # same head noun: "the observatory" → "Nordic Climate Observatory"
        if c.type == "organization" and (c.head == low or c.head == lemma) and c.plural == plural:
            return c
    if has_mods or plural:
        return None
    for c in recent:
        if low in t["state_desc"]:
            if c.type == "country":
                return c
        elif c.type == "organization" and not c.plural:
            return c
    return None


def _institution_match(b: _Builder, key: str, head: str) -> _Cluster | None:
    """An organisation already mentioned whose name ends with the same words ("its ethics
    committee" → "The union's ethics committee")."""
    for c in reversed(b.clusters):
        if c.type != "organization" or c.head != head:
            continue
        ck = _norm(c.name)
        if ck.endswith(key) or key.endswith(" ".join(ck.split()[-2:])) and len(ck.split()) >= 2:
            return c
    return None


def _propn_pass(b: _Builder, doc) -> None:
    """Name tokens the entity recogniser missed: a surname or an organisation's first word
    seen earlier as a name ("Vos said", "Shares in Calder")."""
    for i in token_indices(doc, "POS", ("PROPN",)):
        tok = doc[i]
        if not tok.text[:1].isupper() or b.overlaps(tok.idx, tok.idx + len(tok.text)):
            continue
        low = tok.lower_
        # the most recently mentioned cluster (as _by_recency orders them) that the word names
        start, best, best_last = tok.idx, None, -1
        for c in b.clusters:
            if c.type == "person":
                if c.name.split()[-1].lower() != low:
                    continue
            elif c.type != "organization" or _norm(c.name).split()[0] != low or len(c.name.split()) <= 1:
                continue
            last = max((m[0] for m in c.mentions if m[0] < start), default=-1)
            if last > best_last:  # ties: the earlier cluster, as the stable sort keeps it
                best, best_last = c, last
        if best is not None:
            b.add(best, tok.idx, tok.idx + len(tok.text), "surname" if best.type == "person" else "alias")


def _unrecognised_name_pass(b: _Builder, doc) -> None:
    """A one-word proper name the entity recogniser never tagged ("Orbitlink has about 640,000
    subscribers", "asked Orbitlink for a report") is an organisation when the article names
    it at least twice, once as a verb's subject or object; never a place ("in Dunmore"),
    a word of a heading or credit, or a sentence's first word alone."""
    text = b.text
    seen: dict[str, list] = {}
    for i in token_indices(doc, "POS", ("PROPN",)):
        tok = doc[i]
        if tok.ent_type_ or not tok.text[:1].isupper() or not tok.text[1:].islower() \
                or len(tok.text) < 4 or tok.dep_ in ("compound", "flat") or tok.lower_ in b.t["titles"] \
                or any(c.pos_ == "PROPN" and c.dep_ in ("compound", "flat") for c in tok.children):
            continue
        if b.overlaps(tok.idx, tok.idx + len(tok.text)):
            continue
        seen.setdefault(tok.text, []).append(tok)
    for name, toks in seen.items():
        if len(toks) < 2 or any(_is_locative(doc[t.i:t.i + 1]) for t in toks):
            continue
        if not any(t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "poss") and not t.is_sent_start for t in toks) \
                and not any(t.dep_ in ("nsubj", "nsubjpass") for t in toks):
            continue
        c = _Cluster("organization", name, tokens={name.lower()}, head=name.lower())
        for t in toks:
            b.add(c, t.idx, t.idx + len(t.text), "name")


def _appositive_pass(b: _Builder, doc) -> None:
    for s, e, c in list(b.taken):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or c.type not in ("person", "organization"):
            continue
        root = span.root
        # "Leila Haddad, a researcher at ..." → the appositive NP
        for ch in root.children:
            if ch.dep_ == "appos" and ch.i > root.i and ch.left_edge.i > 0 and doc[ch.left_edge.i - 1].text in (",", "(", "—", "–") \
                    and not b.covered(ch.idx, ch.idx + len(ch.text)):
                if ch.pos_ in ("NOUN",):
                    b.add(c, ch.left_edge.idx, ch.right_edge.idx + len(ch.right_edge.text), "title")
        # "His lawyer, Sandra Okafor, said" → the head NP
        if root.dep_ == "appos" and root.head.i < root.i and root.head.pos_ == "NOUN" and root.i > 0 \
                and doc[span.start - 1].text in (",", "(", "—", "–"):
            h = root.head
            left = _np_left(h, 0)
            if not b.covered(h.idx, h.idx + len(h.text)):
                b.add(c, doc[left].idx, h.idx + len(h.text), "title")


def _pronoun_pass(b: _Builder, doc) -> None:
    quotes = _quote_spans(b.text)
    # the tokens a pronoun can be: tagged PRON or PRP/PRP$ (either suffices), in text order
    for i in sorted(set(token_indices(doc, "POS", ("PRON",))) | set(token_indices(doc, "TAG", ("PRP", "PRP$")))):
        tok = doc[i]
        low = tok.lower_
        if b.covered(tok.idx, tok.idx + len(tok.text)):
            continue
        in_quote = any(s <= tok.idx < e for s, e in quotes)
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            if in_quote:
                continue
            g = "m" if low in MALE_PRONOUNS else "f"
            c = _nearest(b, tok.idx, lambda c: c.type == "person" and c.gender in (None, g), doc, window=3)
            if c is not None:
                if c.gender is None:
                    c.gender = g
                b.add(c, tok.idx, tok.idx + len(tok.text), "pronoun")
        elif low in NEUTER_PRONOUNS:
            if in_quote or tok.dep_ == "expl" or (low == "it" and _expletive_it(tok)):
                continue
            c = _nearest(b, tok.idx, lambda c: c.type in ("organization", "country") and not c.plural, doc, window=2)
            if c is not None:
                b.add(c, tok.idx, tok.idx + len(tok.text), "pronoun")
        elif low in FIRST_PERSON and in_quote:
            c = _quote_speaker(b, doc, tok, quotes)
            if c is not None and FIRST_PERSON[low] == "pl" and c.type == "person":
                # "we" in a person's quote: the organisation they speak for, the nearest one named
                c = _nearest(b, tok.idx, lambda x: x.type == "organization" and not x.plural, doc, window=3,
                             floor_char=b.text.rfind("\n", 0, tok.idx) + 1)
            if c is not None and (FIRST_PERSON[low] == "sg") == (c.type == "person"):
                b.add(c, tok.idx, tok.idx + len(tok.text), "pronoun")


def _expletive_it(tok) -> bool:
    """"it is likely that...", "it will take weeks to ...": no referent."""
    h = tok.head
    if tok.dep_ == "nsubjpass" and any(ch.dep_ == "ccomp" and ch.i > h.i for ch in h.children):
        return True  # "It is widely believed that ...", "it was reported that ..."
    if tok.dep_ in ("nsubj", "nsubjpass") and h.lemma_ in ("be", "seem", "appear", "take", "remain", "become"):
        return any(ch.dep_ in ("ccomp", "xcomp", "csubj") for ch in h.children) or any(
            ch.dep_ in ("acomp", "attr") and any(g.dep_ in ("xcomp", "ccomp") for g in ch.children) for ch in h.children)
    return False


def _nearest(b: _Builder, pos: int, ok, doc, window: int, floor_char: int = 0) -> _Cluster | None:
    """The compatible actor whose latest mention before ``pos`` is nearest, within ``window`` sentences."""
    starts, ends = b.sentence_bounds()
    # the sentence holding ``pos`` (sentences do not overlap: the last one starting at or
    # before it, if it reaches that far), else the last sentence
    k = bisect.bisect_right(starts, pos) - 1
    idx = k if k >= 0 and pos < ends[k] else len(starts) - 1
    floor = max(starts[max(0, idx - window)], floor_char)
    best, best_pos = None, -1
    for s, e, c in b.taken:
        if e <= pos and s >= floor and ok(c) and s > best_pos:
            # a mention this pronoun sits inside (possessive chains) does not count
            best, best_pos = c, s
    return best


def _quote_spans(text: str) -> list[Span]:
    out = []
    for m in re.finditer(r"[\"“]([^\"“”]{1,2000})[\"”]", text):
        out.append((m.start(1), m.end(1)))
    return out


def _quote_speaker(b: _Builder, doc, tok, quotes) -> _Cluster | None:
    """The speaker of the quotation a first-person pronoun sits in: the actor mentioned
    in the same sentence (or paragraph) outside the quotation, nearest to it."""
    q = next((q for q in quotes if q[0] <= tok.idx < q[1]), None)
    if q is None:
        return None
    text = b.text
    para_start = text.rfind("\n", 0, q[0]) + 1
    para_end = text.find("\n", q[1])
    para_end = len(text) if para_end < 0 else para_end
    best, dist = None, None
    for s, e, c in b.taken:
        if c.type not in ("person", "organization"):
            continue
        if para_start <= s and e <= para_end and not (q[0] <= s < q[1]):
            d = q[0] - e if e <= q[0] else s - q[1]
            if d >= 0 and (dist is None or d < dist):
                best, dist = c, d
    return best


# --- lookup ---------------------------------------------------------------------------------

class _MentionIndex:
    """Every mention of a list of actors, sorted by start, for :func:`actor_at`."""

    def __init__(self, actors):
        self.actors = tuple(actors)  # held, so the identity check in _mention_index stays sound
        rows = sorted((m.span[0], m.span[1], ai, mi)
                      for ai, a in enumerate(self.actors) for mi, m in enumerate(a.mentions))
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.longest = max((r[1] - r[0] for r in rows), default=0)

    def best(self, s: int, e: int):
        """What the linear scan of ``actor_at`` finds: the largest key, the first actor and
        mention (in the actors' order) on ties."""
        best, best_rank = None, None
        # a mention that overlaps (s, e) starts before e and at most ``longest`` before s
        lo = bisect.bisect_left(self.starts, s - self.longest)
        hi = bisect.bisect_left(self.starts, e)
        for ms, me, ai, mi in self.rows[lo:hi]:
            ov = min(e, me) - max(s, ms)
            if ov <= 0:
                continue
            nested = (ms <= s and e <= me) or (s <= ms and me <= e)
            rank = ((nested, ov, -(me - ms)), (-ai, -mi))
            if best_rank is None or rank > best_rank:
                best, best_rank = self.actors[ai], rank
        return best


_last_index: _MentionIndex | None = None


def _mention_index(actors) -> _MentionIndex:
    """The index of ``actors``, reused while the same actors are asked about (the attribution
    layer asks once per source of an article)."""
    global _last_index
    idx = _last_index
    if idx is None or len(idx.actors) != len(actors) or any(a is not b for a, b in zip(idx.actors, actors)):
        idx = _last_index = _MentionIndex(actors)
    return idx


def actor_at(span, actors) -> Actor | None:
    """The actor one of whose mentions best matches ``span``: a mention that contains the
    span or is contained in it first, then the largest overlap; ties go to the tighter mention
    (then to the earlier actor)."""
    if span is None:
        return None
    s, e = span
    if isinstance(actors, (tuple, list)):
        return _mention_index(actors).best(s, e)
    best, best_key = None, None
    for a in actors:
        for m in a.mentions:
            ms, me = m.span
            ov = min(e, me) - max(s, ms)
            if ov <= 0:
                continue
            nested = (ms <= s and e <= me) or (s <= ms and me <= e)
            key = (nested, ov, -(me - ms))
            if best_key is None or key > best_key:
                best, best_key = a, key
    return best
