"""Attribution layer 4, the rule families: each is a function ``(doc, ctx) -> candidates``
(``ctx`` a :class:`RuleContext`), listed in ``RULE_FAMILIES``; ``rule_candidates(doc)``
runs them all, before quotations are attached. This is what the learned scorers are
given, at run time and in training."""
from __future__ import annotations

import dataclasses

from .helpers import (OBJ_DEPS, QUOTE_CHARS, RELATIVE_PRONOUNS, SUBJ_DEPS, char_span, doc_text, clip_to_sentence, has_neg,
                      hashes, is_passive, lexicon, negated, para_breaks, split_pieces, subtree, trim_tokens)
from .sources import np_before, partitive, source_of, source_range, stranded_subject, subject
from .content import Candidate, TELLING_MEDIA, content_of_verb, cue_span, declined_telling, withheld_statement


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

    h = hashes()
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


def verb_cues(doc, ctx: RuleContext) -> list[Candidate]:
    """A reporting, cognition or attitude verb with its content: a clausal complement, a controlled
    infinitive, an NP object, or the clause a parenthetical tag interrupts."""
    breaks = ctx.breaks
    lex = ctx.lex
    out: list[Candidate] = []
    for vi in ctx.tokens["verbs"]:
        verb = doc[vi]
        if verb.dep_ == "amod" or verb.tag_ == "JJ":  # "the said document", "a reported 12% drop"
            continue
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.lemma_.lower() in TELLING_MEDIA \
                and verb.head.dep_ == "pobj" and verb.head.head.dep_ == "prep" \
                and verb.head.head.head.lemma_.lower() in lex["clausal"]:
            continue  # "said in a statement posted online that ...": the complement is "said"'s
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "decline" and declined_telling(verb):
            continue  # "declined to comment on what it called ...": nothing was said
        if has_neg(verb) and verb.lemma_.lower() not in _NEGATABLE:
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
            content = content_of_verb(verb, lex)
        trailing = False
        if content is None:
            content = _trailing_tag_content(verb, lex)
            trailing = content is not None
        if content is None and verb.head.i != verb.i and (
                verb.dep_ == "parataxis"
                or (verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children))):
            # "The plan, she said, is dead." / "As Clyburn noted, voters will ...": the clause
            # the tag interrupts or introduces
            a, b = clip_to_sentence(verb, *subtree(verb.head))
            # "Asked whether she had practiced, she said, '...'": a fronted participle clause
            # is the question, its own attribution, not part of the answer
            fronted = [subtree(c) for c in verb.head.children if c.dep_ == "advcl" and c.tag_ in ("VBN", "VBG")
                       and c.right_edge.i < verb.i]
            content = (a, b, [subtree(verb)] + fronted)
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
        src_tok = verb.head if trailing else source_of(verb)
        if src_tok is None and lemma in lex["clausal"]:
            src_tok = stranded_subject(verb)
        source = source_range(src_tok, verb, breaks) if src_tok is not None else None
        if source is not None and verb.dep_ == "acl" and src_tok.i == verb.head.i and source[1] > verb.i:
            # "new intelligence showing ...": the noun phrase up to the participle
            source = trim_tokens(doc, source[0], verb.i)
        if source is None and src_tok is not None:
            source = np_before(doc, verb, breaks)
            if source is None:
                continue  # the subject is in a heading or caption above: not this paragraph's
        cue = cue_span(verb, lex)
        if content is None:
            # a bare speech tag ("..., Trump said when asked"): may claim an adjacent quotation
            colon_next = next((doc[k] for k in range(verb.i + 1, min(verb.i + 4, len(doc)))
                               if doc[k].is_punct), None)
            colon_tag = colon_next is not None and colon_next.text == ":" and lemma in lex["np_object"]
            if (lemma in lex["speech_tags"] or lemma in lex["it_tags"] or colon_tag) and src_tok is not None:
                # (and "McCaskill scolded him: '...'": a cue with its addressee, then a colon)
                out.append(Candidate([], source, cue, "indirect", verb.i, doc, src_tok))
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
        if lemma in ("decline", "refuse") and withheld_statement(verb):
            continue  # "declined to comment on whether ...", "refused to give a date": an empty report
        if source is not None:
            holes = holes + [source]
        pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, a, b, holes)]
        if not pieces:
            continue
        form = "sourceless" if source is None and is_passive(verb) else "indirect"
        if verb.dep_ == "acl" and lemma in lex["evidence_verbs"] and verb.head.lemma_.lower() in lex["document"]:
            form = "evidence"  # "intelligence showing ...": kept inside an intention's content
        cand = Candidate(pieces, source, cue, form, verb.i, doc, src_tok)
        cand.intention = lemma in lex["control"] and any(c.dep_ == "xcomp" for c in verb.children) \
            and not any(c.dep_ in ("ccomp", "csubj") for c in verb.children)
        cand.own_subject = not (src_tok is not None and src_tok.head.i != verb.i
                                and verb.dep_ in ("conj", "advcl") and lemma in lex["clausal"])
        out.append(cand)
    return out


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
    pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, *subtree(clause), [])]
    if pieces:
        out.append(Candidate(pieces, None, cue_span(verb, lex), "sourceless", verb.i, doc))


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
            a, b = clip_to_sentence(verb, start, t.right_edge.i + 1)
            return a, b, []
    return None


def according_to(doc, ctx: RuleContext) -> list[Candidate]:
    """*according to X* / *citing X*: the clause they modify, source X."""
    lex = ctx.lex
    out: list[Candidate] = []
    for ti in ctx.tokens["according"]:
        tok = doc[ti]
        low = tok.lower_
        if low == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None:
                continue
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            cue = char_span(doc, tok.i, to.i + 1)
        elif low == "citing" and tok.dep_ in ("advcl", "xcomp", "acl", "prep", "pcomp"):
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is not None and not _source_like(obj, lex):
                # '"...," McCain said, citing low economic growth', "praised the economy, citing
                # low unemployment": evidence, not a source (but "Bloomberg reported, citing
                # people familiar with the talks")
                continue
            cue = char_span(doc, tok.i, tok.i + 1)
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
            a, b = subtree(head)
            a, b = clip_to_sentence(tok, a, b)
        clause = _chain_clause(head, lex) if head.i != tok.i else None
        if clause is not None:
            # a chain: what X is cited for is what the tag reports, not the tag itself
            a, b = clip_to_sentence(tok, *subtree(clause))
        src = source_range(obj)
        pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, a, b, [subtree(tok)])]
        if pieces:
            cand = Candidate(pieces, src, cue, "according_to", tok.i, doc, obj)
            cand.cites_source = _source_like(obj, lex)
            out.append(cand)
    return out


def _chain_clause(verb, lex):
    """The reported clause of a speech or reporting tag ("the Review said", "Bloomberg has
    reported", "officials warned") that an "according to X" / "citing X" hangs on: a chain,
    two layers of one report with one content ("X, the Review said, citing people familiar
    with the matter"; GUIDELINES.md, "Chains"). None for any other verb ("the talks have
    stalled, according to ...", "officers saw ...") or a tag with no subject or clause."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in lex["speech_tags"] | lex["reporting_cues"]:
        return None
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    subj = subject(verb)
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


def document_frames(doc, ctx: RuleContext) -> list[Candidate]:
    """"In a CBS poll, Trump leads ...", "In an interview, she said ...": the document is a source.

    Only when the clause has no speech cue of its own (the cue's subject is the source then).
    """
    lex = ctx.lex
    out: list[Candidate] = []
    cue_lemmas = lex["clausal"] | lex["control"]
    for pi in ctx.tokens["in"]:
        prep = doc[pi]
        if prep.lower_ != "in" or prep.dep_ != "prep":
            continue
        head = prep.head
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        part = partitive(obj) if obj is not None else None
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
        a, b = clip_to_sentence(prep, *subtree(head))
        pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, a, b, [subtree(prep)])]
        if pieces:
            out.append(Candidate(pieces, source_range(obj), char_span(doc, prep.i, prep.i + 1), "according_to", prep.i,
                                 doc, noun))
    return out


def belief_adjectives(doc, ctx: RuleContext) -> list[Candidate]:
    """ "Officials are confident that the bridge will reopen", "she is aware that ...": a
    predicative adjective of belief with its that-clause; the copula's subject is the source
    and the copula stays in the cue ("are confident")."""
    breaks = ctx.breaks
    out: list[Candidate] = []
    for ai in ctx.tokens["adjectives"]:
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
        src_tok = subject(head)
        if src_tok is None or src_tok.lower_ in RELATIVE_PRONOUNS:
            continue
        source = source_range(src_tok, adj, breaks)
        if source is None:
            continue
        cue_start = head.i if head.i < adj.i and head.pos_ in ("AUX", "VERB") else adj.i
        pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, *subtree(clause), [])]
        if pieces:
            out.append(Candidate(pieces, source, char_span(doc, cue_start, adj.i + 1), "indirect", adj.i, doc, src_tok))
    return out


def nominal_cues(doc, ctx: RuleContext) -> list[Candidate]:
    """*nominal*: "the warning from X that ...", "X's claim that ...", "the NRA's opposition to ..."."""
    lex = ctx.lex
    out: list[Candidate] = []
    for ni in ctx.tokens["nouns"]:
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
            src = subject(noun.head.head)  # "the ministry said in a statement that ...": the speaker
        a, b = subtree(clause[0])
        pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, a, b, [])]
        if pieces and src is None:
            # "growing concerns that ...", "the claim that ...": held by someone unnamed
            out.append(Candidate(pieces, None, char_span(doc, noun.i, noun.i + 1), "nominal", noun.i, doc))
        elif pieces:
            out.append(Candidate(pieces, source_range(src), char_span(doc, noun.i, noun.i + 1), "nominal", noun.i, doc,
                                 src))
    return out


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
    pieces = [char_span(doc, x, y) for x, y in split_pieces(doc, *subtree(target), [])]
    if pieces:
        out.append(Candidate(pieces, source_range(poss), char_span(doc, noun.i, noun.i + 1), "nominal", noun.i, doc,
                             poss))


@dataclasses.dataclass(frozen=True)
class RuleContext:
    """What every rule family is given besides the Doc: the word lists, the paragraph breaks
    and, per family, the token indices it looks at (one vectorised pass over the Doc)."""

    lex: dict
    breaks: list[int]
    tokens: dict[str, list[int]]


def rule_context(doc, lex: dict | None = None, breaks: list[int] | None = None) -> RuleContext:
    return RuleContext(lexicon() if lex is None else lex, para_breaks(doc_text(doc)) if breaks is None else breaks,
                       _candidate_tokens(doc))


# The rule families, in the order their candidates are listed (each ``(doc, ctx) -> candidates``).
RULE_FAMILIES = (verb_cues, according_to, nominal_cues, belief_adjectives, document_frames)


def rule_candidates(doc, ctx: RuleContext | None = None) -> list[Candidate]:
    """The candidates of every rule family for ``doc``, before quotations are attached: what
    the learned scorers are given, at run time and in training."""
    ctx = rule_context(doc) if ctx is None else ctx
    cands = [c for family in RULE_FAMILIES for c in family(doc, ctx)]
    # "citing people familiar with the talks" is their citation, not a report of them
    cited = {c.cue for c in cands if c.form == "according_to" and c.cites_source}
    return [c for c in cands if c.form == "according_to" or c.cue not in cited]
