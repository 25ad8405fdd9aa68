"""Attribution layer 6, the learned long tail: the tokens the cue model judges, given the
rule candidates (``cue_model_tokens``, shared with training), and the candidates the cue and
content models add (:mod:`.model` holds the scorers and their weights)."""
from __future__ import annotations

from ...findings import Span
from .helpers import RELATIVE_PRONOUNS, char_span, doc_text, in_quote_fn, looks_like_title, negated, split_pieces
from .sources import source_of, source_range, subject
from .content import Candidate, bare_object_of_tag, cue_span, vetoed, writer_tail


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
    inside = in_quote_fn(quotes)
    for i, (pos, lemma) in enumerate(doc.to_array([POS, LEMMA]).tolist()):
        if pos in (VERB, NOUN, ADJ) and lemma in lemma_ids and i not in claimed:
            tok = doc[i]
            if not inside(tok.idx) and not negated(tok):
                yield tok, (i in in_content, tok.sent.start in cue_sents)


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
            runs.append((start, i + 1) if start < tok.i else (start, writer_tail(tok.doc, start, i + 1)))
            start = None
    return runs


def model_pieces(tok, model, holes, cue_starts) -> list[Span]:
    """Character pieces of the content the content model gives cue ``tok``, minus ``holes``;
    none when they would hold another candidate's cue ("Netanyahu continues to say ...")."""
    doc = tok.doc
    pieces = [char_span(doc, x, y) for a, b in _model_content(tok, model) for x, y in split_pieces(doc, a, b, holes)]
    return [] if any(ps <= r < pe for ps, pe in pieces for r in cue_starts) else pieces


# Dependents that make a content a clause ("plans to employ ...", "questions about whether ...").
_CLAUSE_DEPS = frozenset({"acl", "relcl", "ccomp", "xcomp", "advcl", "csubj"})


def learned_candidates(doc, lex, cands, quotes, breaks, model):
    """The long tail: tokens the cue model accepts, with the dependents the content model
    picks as their content ("obligates countries to offer protection", "his refusal to use
    the words", "spoke out about her own experiences")."""
    found = []
    # the rules come first: a learned cue never takes a rule's cue into its content
    rule_cues = [c.cue[0] for c in cands if c.cue]
    for tok, context in cue_model_tokens(doc, cands, model.lemma_ids, quotes):
        if vetoed(tok, lex):
            continue  # what the rules read as a hedge or an action is no long-tail cue either
        prob = model.cue_prob(tok, context)
        if prob < model.threshold:
            continue
        src_tok = None
        if tok.pos_ == "VERB":
            src_tok = source_of(tok)
        elif tok.pos_ == "NOUN":
            src_tok = next((c for c in tok.children if c.dep_ == "poss"), None)
            if src_tok is None:
                by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
                src_tok = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        elif tok.dep_ == "acomp":
            src_tok = subject(tok.head)
        if src_tok is not None and src_tok.lower_ in RELATIVE_PRONOUNS and tok.pos_ == "NOUN":
            src_tok = None
        source = source_range(src_tok, tok, breaks) if src_tok is not None else None
        if tok.pos_ == "NOUN" and source is None and not any(
                c.dep_ in _CLAUSE_DEPS or (c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children))
                for c in model.content_tokens(tok)):
            continue  # "Support for the bill was strong": no holder and no clause, nobody's report
        pieces = model_pieces(tok, model, [source] if source is not None else [], rule_cues)
        if not pieces or (tok.pos_ == "VERB" and bare_object_of_tag(doc, tok, pieces, lex)):
            continue  # ("editors know the source's identity": knowing a thing, not a proposition)
        if len(pieces) == 1 and any(qs <= pieces[0][0] and pieces[0][1] <= qe and looks_like_title(doc_text(doc)[qs:qe])
                                    for qs, qe in quotes):
            continue  # "She read 'The Old Man and the Sea'": a title, not words of the subject
        cue = cue_span(tok, lex) if tok.pos_ == "VERB" else char_span(doc, tok.i, tok.i + 1)
        cand = Candidate(pieces, source, cue, "nominal" if tok.pos_ == "NOUN" else "indirect", tok.i, doc, src_tok)
        cand.cue_prob = round(prob, 3)
        found.append(cand)
    cands.extend(found)
