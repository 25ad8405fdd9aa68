"""Learned cue and content scorers for the long tail of attribution cues.

The rule families in :mod:`audit.analyzers.attribution` cover the frequent cues ("said",
"according to", "the claim that ..."). PolNeAR-style attribution also counts a long tail of
attitude and intention cues ("obligates", "was willing to", "spoke out about", "his
refusal to", "drew support from") that no word list keeps up with. Three linear models over
features of the dependency parse handle them:

- the **cue model** scores a token (a verb, noun or adjective whose lemma was seen as a
  cue in training) as the head of an attribution cue;
- the **content model** scores each dependent of an accepted cue as part of its content
  (the that-clause, the infinitive, the object, the "about"-phrase ...); it also gives a
  rule's speech tag that found no quotation its content ("Sanders wrote the memo");
- the **keep model** scores every finished reading the parse alone produced (the forms in
  ``KEEP_FORMS``, from the rules or the cue model: it knows which, and the cue model's
  probability) and drops the unlikely ones; quotations, explicit "according to X" frames
  and colon forms are never second-guessed.

All three are logistic regressions trained by ``python -m audit.training.attribution.train``
on the PolNeAR training split, thresholds chosen by cross-validation on it (the keep model
learns from readings of articles the cue model was not fitted on); the weights
live in ``audit/data/attribution_cue_model.json`` (feature string -> weight, so scoring is
a few dictionary look-ups and needs no numerical library). A token only reaches the cue
model when no rule claimed it, and lemmas whose rules are restricted on purpose (evidentials,
"find", "declined to comment") or that name actions ("voted") are never looked at.
"""
from __future__ import annotations

import copy
import functools
import json
import math
import os
import warnings
from importlib import resources
from pathlib import Path

MODEL_FILE = "attribution_cue_model.json"
CUE_POS = frozenset({"VERB", "NOUN", "ADJ"})
# dependents that are never content: the active subject (the source), auxiliaries, negation,
# punctuation; a passive subject may be (see content_dependents)
_NEVER_CONTENT = frozenset({"nsubj", "aux", "auxpass", "neg", "punct", "poss", "det", "expl",
                            "agent", "case", "cc", "prt", "compound", "nummod", "predet"})


def _subj_class(tok) -> str:
    if tok is None:
        return "none"
    if tok.pos_ == "PRON":
        return "pron:" + tok.lower_
    if tok.ent_type_:
        return "ent:" + tok.ent_type_
    return "noun:" + tok.pos_


def content_dependents(cue) -> list:
    """The dependents of ``cue`` that may be (part of) its content: a passive subject only
    beside the agent who holds the attitude ("the remarks were denounced by the chairman";
    "the film was shown on Sunday" reports no one's view)."""
    agent = any(c.dep_ == "agent" for c in cue.children)
    return [c for c in cue.children if c.dep_ not in _NEVER_CONTENT and (agent or c.dep_ != "nsubjpass")]


def _dep_key(c) -> str:
    """A dependent's relation, with its preposition or its clause's marker: "prep:about", "ccomp:that"."""
    dep = c.dep_
    if dep in ("prep", "prt", "agent"):
        return dep + ":" + c.lower_
    if dep in ("ccomp", "xcomp", "acl", "relcl", "advcl"):
        return dep + ":" + next((g.lower_ for g in c.children if g.dep_ in ("mark", "aux") and g.i < c.i), "")
    return dep


def cue_features(tok, context=None) -> list[str]:
    """Feature strings of ``tok`` as a candidate cue head; ``context`` is its place among the
    rules' findings, ``(inside a rule attribution's content, sentence has a rule cue)``."""
    lemma = tok.lemma_.lower()
    pos = tok.pos_
    f = ["b", "l=" + lemma, "p=" + pos, "t=" + tok.tag_, "d=" + tok.dep_, "ld=" + lemma + "|" + tok.dep_,
         "lp=" + lemma + "|" + pos, "hd=" + tok.head.pos_ + "|" + tok.dep_]
    if tok.head.i != tok.i:
        f.append("hl=" + tok.head.lemma_.lower() + "|" + tok.dep_)
    subj = None
    passive = False
    neg = False
    kids = []
    for c in tok.children:
        dep = c.dep_
        if dep in ("nsubj", "nsubjpass", "poss"):
            subj = c
        if dep in ("nsubjpass", "auxpass"):
            passive = True
        if dep == "neg":
            neg = True
        if dep == "punct":
            continue
        key = _dep_key(c)
        kids.append(key)
        f.append("c=" + key)
        f.append("lc=" + lemma + "|" + key)
        f.append("pc=" + pos + "|" + key)
        if dep in ("dobj", "attr", "xcomp", "pobj", "acomp", "oprd", "dative"):
            # what is done or held: "took aim", "drew support", "released a statement", "used ... to lash"
            f.append("o=" + dep + ":" + c.lemma_.lower())
            f.append("lo=" + lemma + "|" + dep + ":" + c.lemma_.lower())
        elif dep == "prep":
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                f.append("po=" + c.lower_ + ":" + obj.lemma_.lower())
                f.append("pk=" + c.lower_ + ":" + obj.pos_ + ":" + (obj.ent_type_ or "-"))
    if not kids:
        f.append("lc=" + lemma + "|none")
    sc = _subj_class(subj)
    f.append("s=" + sc)
    f.append("ls=" + lemma + "|" + ("none" if subj is None else "some"))
    f.append("lsc=" + lemma + "|" + sc)
    if subj is not None:
        f.append("sl=" + subj.lemma_.lower())
    if tok.head.i != tok.i and tok.head.head.i != tok.head.i:
        f.append("gl=" + tok.head.head.lemma_.lower() + "|" + tok.head.dep_ + "|" + tok.dep_)
    if passive:
        f.append("pass")
        f.append("lpass=" + lemma)
    if neg:
        f.append("neg")
    doc = tok.doc
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "<e>"
    prv = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    f.append("n=" + nxt)
    f.append("ln=" + lemma + "|" + nxt)
    f.append("v=" + prv)
    if context is not None:
        where = "in" if context[0] else "out"
        near = "rs" if context[1] else "nrs"
        f += ["ctx=" + where, "ctxs=" + near, "lctx=" + lemma + "|" + where, "pctx=" + pos + "|" + where + "|" + near]
    return f


def child_features(cue, child) -> list[str]:
    """Feature strings of ``child`` (a dependent of an accepted cue) as part of the content."""
    lemma = cue.lemma_.lower()
    dep = child.dep_
    key = _dep_key(child)
    side = "R" if child.i > cue.i else "L"
    return ["b", "k=" + key, "kp=" + key + "|" + cue.pos_, "ks=" + key + "|" + side, "lk=" + lemma + "|" + key,
            "d=" + dep, "ds=" + dep + "|" + side, "cp=" + child.pos_ + "|" + dep,
            "w=" + str(min(child.right_edge.i - child.left_edge.i + 1, 8))]


# The keep scorer only judges readings the parse produced (a quoted word inside one makes it
# "mixed"); whole quotations and explicit "according to X" / "in a poll" frames have their
# boundaries in the text.
KEEP_FORMS = frozenset({"indirect", "sourceless", "nominal", "mixed"})


def keep_features(doc, att) -> list[str]:
    """Feature strings of a finished attribution, for the keep scorer."""
    f = ["b", "form=" + att.form, "st=" + att.source_type, "np=" + str(min(len(att.content), 3)),
         "by=" + att.found_by]
    if att.confidence is not None:  # a learned cue's probability, in tenths
        f.append("cueprob=" + str(min(int(att.confidence * 10), 9)))
    cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand") if att.cue else None
    lemma = cue.root.lemma_.lower() if cue is not None and len(cue) else "<none>"
    f += ["cl=" + lemma, "clf=" + lemma + "|" + att.form]
    if cue is not None and len(cue):
        f += ["cp=" + cue.root.pos_ + "|" + cue.root.dep_, "cpf=" + cue.root.pos_ + "|" + att.form]
        # the construction around the cue, as the cue scorer sees it ("k:lc=say|ccomp:that")
        f += ["k:" + x for x in cue_features(cue.root)]
    first = doc.char_span(att.content[0][0], att.content[0][1], alignment_mode="expand")
    n = sum(len(doc.char_span(s, e, alignment_mode="expand") or ()) for s, e in att.content)
    f.append("len=" + str(min(n // 4, 8)))
    if first is not None and len(first):
        root = first.root
        f += ["rd=" + root.dep_, "rp=" + root.pos_, "lrd=" + lemma + "|" + root.dep_,
              "fw=" + first[0].lower_ if first[0].pos_ in ("SCONJ", "ADP", "PART", "PRON", "DET") else "fw=" + first[0].pos_]
    f.append("src=" + ("none" if att.source is None else "some"))
    f.append("lsrc=" + lemma + "|" + ("none" if att.source is None else att.source_type))
    if att.source is not None:
        src = doc.char_span(att.source[0], att.source[1], alignment_mode="expand")
        if src is not None and len(src):
            f.append("sr=" + (src.root.lower_ if src.root.pos_ == "PRON" else src.root.pos_ + ":" + src.root.ent_type_))
    if cue is not None and len(cue) and first is not None and len(first):
        gap = first.start - cue.end if first.start >= cue.end else -1
        f.append("gap=" + str(min(gap, 5)))
    return f


def _score(weights: dict, features: list[str]) -> float:
    """The logistic probability of a linear model over binary feature strings."""
    z = sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


class CueModel:
    """The three linear scorers, their thresholds and the lemmas the cue model looks at."""

    def __init__(self, data: dict):
        self.version = data["version"]
        self.threshold = float(data["threshold"])
        self.child_threshold = float(data["child_threshold"])
        self.cue_weights = data["cue"]
        self.child_weights = data["child"]
        self.lemmas = frozenset(data["lemmas"])
        self.keep_weights = data.get("keep")
        self.keep_threshold = float(data.get("keep_threshold", 0.0))
        from spacy.strings import get_string_id

        self.lemma_ids = frozenset(get_string_id(w) for w in self.lemmas)

    def with_thresholds(self, *, cue: float | None = None, keep: float | None = None) -> "CueModel":
        """The same scorers at other cue and keep thresholds (a keep threshold of 0 keeps
        every reading)."""
        other = copy.copy(self)
        if cue is not None:
            other.threshold = float(cue)
        if keep is not None:
            other.keep_threshold = float(keep)
        return other

    def cue_prob(self, tok, context=None) -> float:
        return _score(self.cue_weights, cue_features(tok, context))

    def keep_prob(self, doc, att) -> float | None:
        """How likely ``att`` is a true attribution; None when the scorer does not judge it
        (no keep scorer, or a form outside ``KEEP_FORMS``)."""
        if not self.keep_weights or att.form not in KEEP_FORMS:
            return None
        return _score(self.keep_weights, keep_features(doc, att))

    def content_tokens(self, cue) -> list:
        """The dependents of ``cue`` whose subtrees form its content."""
        return [c for c in content_dependents(cue)
                if _score(self.child_weights, child_features(cue, c)) >= self.child_threshold]


MODEL_ENV = "NEWSAUDIT_ATTRIBUTION_MODEL"


@functools.lru_cache(maxsize=None)
def load_model() -> CueModel | None:
    """The learned scorers, or None for the rules alone.

    ``$NEWSAUDIT_ATTRIBUTION_MODEL`` chooses: unset for the shipped model, ``off`` for the
    rules alone, or the path of a model file written by ``python -m
    audit.training.attribution.train``. A missing or unreadable file warns once and leaves the
    rules working alone.
    """
    choice = os.environ.get(MODEL_ENV, "").strip()
    if choice.lower() in ("off", "none", "rules"):
        return None
    try:
        if choice:
            data = json.loads(Path(choice).expanduser().read_text(encoding="utf-8"))
        else:
            with resources.files("audit").joinpath("data", MODEL_FILE).open(encoding="utf-8") as fh:
                data = json.load(fh)
        return CueModel(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        where = choice or f"audit/data/{MODEL_FILE}"
        warnings.warn(f"attribution cue model {where} could not be loaded ({exc.__class__.__name__}: {exc}); "
                      "attributions come from the rules alone", RuntimeWarning, stacklevel=2)
        return None
