"""Attribution layer 3, candidates and their content: the ``Candidate`` record every rule
family and the learned scorers produce, and what a cue verb's content is (a clausal
complement, a controlled infinitive, an NP object for attitude verbs, a reported
"X as Y"), with the tests that tell a telling from an action ("declined to comment",
"dubbed it", "Carolina added three goals")."""
from __future__ import annotations

from ...findings import Span
from .helpers import (OBJECT_PREDICATE_PREPS, OBJ_DEPS, QUOTE_CHARS, RELATIVE_PRONOUNS, SUBJ_DEPS, SUBORDINATORS,
                      char_span, is_passive, subtree)
from .sources import subject


class Candidate:
    """One reading of an attribution before it is finished: content pieces, source token
    range, cue, form, and what the later layers need to decide on it."""

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
            a, b = subtree(source_tok)
            self.source_full = char_span(source_tok.doc, a, b)
        elif source is not None and doc is not None:
            self.source_full = char_span(doc, *source)


def content_of_verb(verb, lex):
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
            b = writer_tail(doc, a, b)
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
                    if o.dep_ == "pobj" and o.lemma_.lower() in TELLING_MEDIA:
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
    if x and lemma in lex["clausal"] and lemma not in lex["control"] and not is_passive(verb) \
            and x[0].right_edge.i - x[0].left_edge.i >= 2 and x[0].left_edge.i == verb.i + 1 \
            and not any(c.dep_ == "aux" and c.lower_ == "to" for c in x[0].children):
        # a clause the parser took for a participle: "He said legalizing it could put ..."
        return x[0].left_edge.i, x[0].right_edge.i + 1, []
    if x and lemma in lex["control"] and lemma not in _ADDRESSEE_CONTROL and is_passive(verb) \
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
    if lemma in lex["np_object"] and is_passive(verb):
        # "Mr. Quiros was accused of using $50 million ...", "peacekeepers have been blamed for
        # introducing cholera": the charge is the subject plus the of/for object
        subj = next((c for c in kids if c.dep_ == "nsubjpass" and c.i < verb.i), None)
        prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i > verb.i), None)
        obj = next((g for g in prep.children if g.dep_ in ("pcomp", "pobj")), None) if prep is not None else None
        if subj is not None and obj is not None and subj.lower_ not in RELATIVE_PRONOUNS:
            a, b = subj.left_edge.i, obj.right_edge.i + 1
            return a, b, [(subj.right_edge.i + 1, obj.left_edge.i)]
    objs = [c for c in kids if c.dep_ in OBJ_DEPS and c.i > verb.i]
    if lemma in lex["as_predicate"] and lemma not in lex["np_object"] and (objs or is_passive(verb)):
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
            subj = subject(verb)
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
                                     or (is_passive(verb) and o.dep_ == "dobj")):
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
    from ..sentiment import vader_lexicon

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


def writer_tail(doc, a: int, b: int) -> int:
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


TELLING_MEDIA = frozenset({"statement", "interview", "speech", "letter", "ruling", "opinion", "post", "tweet",
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
    if obj is not None and c.lower_ in ("in", "on") and obj.lemma_.lower() in TELLING_MEDIA:
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
            ca, cb = subtree(c)
            if cb <= min(x.left_edge.i for x in clause) or ca >= verb.i:
                a, b = min(a, ca), max(b, cb)
    return a, b


def cue_span(verb, lex) -> Span:
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
    if is_passive(verb):
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
    return char_span(doc, a, b)


# What a source declines to do when it declines to say something.
_TELLING_ACTS = frozenset({"comment", "elaborate", "say", "give", "discuss", "specify", "confirm", "name", "reveal",
                           "disclose", "answer", "respond", "provide", "detail", "identify", "speculate", "explain",
                           "address", "talk", "describe", "offer", "share", "release"})


def withheld_statement(verb) -> bool:
    """"declined to comment (on whether ...)", "declined to give a date": the infinitive is an
    act of telling, so nothing was told. (A refusal is an intention PolNeAR annotates:
    "refused to answer" stays.)"""
    if verb.lemma_.lower() != "decline":
        return False
    x = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    return x is not None and declined_telling(x)


def declined_telling(x) -> bool:
    """The infinitive of "declined to ..." is a telling with no question of its own ("to
    comment on the talks", "to give a date"); "declined to say whether the deal was
    legal" reports the question (PolNeAR counts it) and stays."""
    return x.lemma_.lower() in _TELLING_ACTS and not any(c.dep_ == "ccomp" for c in x.children)


_SAID_TO = frozenset({"say", "report", "rumor", "rumour", "allege", "claim"})


def _holderless_raising(tok, lex) -> bool:
    """"X seems to ...", "X is expected to ...", "X is believed to ...": a raising or passive
    verb with a to-infinitive, no agent and no clause of its own, the writer's hedge about
    its subject (GUIDELINES.md: hedge only, or neither), never a sourceless attribution."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in _SAID_TO or (lemma not in lex["evidential"]
                             and not (is_passive(tok) and lemma in lex["control"] | lex["clausal"])):
        return False  # ("X is said to ..." reports unnamed others' speech: an attribution)
    kids = list(tok.children)
    if any(c.dep_ in ("agent", "ccomp") for c in kids):
        return False
    x = next((c for c in kids if c.dep_ == "xcomp" and c.i > tok.i), None)
    return x is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in x.children)


def vetoed(tok, lex) -> bool:
    """A verb the rules decided is not a report: a holderless raising verb, a refusal with
    two objects, a plain name given, a declined statement."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    if _holderless_raising(tok, lex):
        return True
    lemma = tok.lemma_.lower()
    if lemma in ("decline", "refuse") and withheld_statement(tok):
        return True
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "decline" and declined_telling(tok):
        return True  # "declined to comment on what it called ...": the declined telling itself
    if lemma == "expect" and is_passive(tok) and not any(c.dep_ in ("agent", "ccomp") for c in tok.children):
        return True  # "the envoy is expected for talks on Monday": awaited, nobody's forecast
    o = next((c for c in tok.children if c.dep_ in OBJ_DEPS and c.i > tok.i), None)
    return o is not None and _not_a_telling(tok, o)


# Cue verbs whose plain NP object is a thing done or known, never what was told ("added three
# goals", "noted the time", "know the source's identity"); "wrote a blog post against X",
# "claimed success" are PolNeAR attitudes and stay.
_NP_NOT_TELLING = frozenset({"add", "note", "observe", "know", "understand", "remember", "forget", "learn", "see",
                             "hear", "watch", "read", "realize", "realise", "recognize", "recognise"})


def bare_object_of_tag(doc, verb, pieces, lex) -> bool:
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
