"""Attribution layer 7, assembly: ``find_attributions`` runs the rule families and the
learned scorers, drops cues inside quotations, attaches quotations, cuts chains ("Costa said
Achebe had told her ..."), de-duplicates, resolves each source and applies the keep scorer."""
from __future__ import annotations

import bisect
import dataclasses

from ...findings import Attribution, Span
from .kinds import attribution_kind
from .model import load_model
from ..doctext import token_indices
from .helpers import (CLOSE_QUOTES, GROUP_PRONOUNS, OPEN_QUOTES, PERSON_PRONOUNS, RELATIVE_PRONOUNS, char_span,
                      content_verbs, doc_quote_spans, doc_text, has_neg, in_quote, in_quote_fn, is_passive, lexicon,
                      para_breaks, strip_conj, trim_chars)
from .sources import (SourceState, antecedent_text, classify_source, cue_lemma, earlier_outlet, head_of,
                      is_media_name, previous_source, resolve_pronoun, source_range)
from .content import bare_object_of_tag
from .rules import rule_candidates, rule_context
from .quotes import attach_quotes, colon_candidates
from .learned import learned_candidates, model_pieces

_DEFAULT = object()


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
    for i in token_indices(doc, "POS", ("VERB",)):
        t = doc[i]
        if t.lemma_.lower() not in _ANONYMITY_VERBS or not is_passive(t):
            continue
        gov = t.head
        if t.dep_ not in ("xcomp", "ccomp") or gov.lemma_.lower() not in ("ask", "request", "decline", "refuse", "want",
                                                                          "prefer", "insist", "agree"):
            continue
        if gov.lemma_.lower() in ("ask", "request", "want", "prefer", "insist", "agree") and not (
                has_neg(t) or any(c.dep_ == "neg" for c in gov.children)):
            continue  # "asked to be named", "wanted to be quoted": no anonymity
        # the request and its reason, not the rest of the sentence ("..., but said the plant was unsafe")
        b = max([t.right_edge.i] + [c.right_edge.i for c in gov.children
                                    if c.i > gov.i and c.dep_ in ("advcl", "xcomp", "ccomp", "prep")]) + 1
        out.append(char_span(doc, gov.i, b))
    return out


def find_attributions(doc, *, actors=(), cue_model=_DEFAULT) -> list[Attribution]:
    """Every attributed statement, belief or intention of ``doc``, in text order.

    ``cue_model`` is the learned long-tail scorer (:mod:`audit.analyzers.attribution.model`);
    the shipped one by default, ``None`` for the rules alone.
    """
    from ..actors import actor_at

    lex = lexicon()
    text = doc_text(doc)
    quotes = doc_quote_spans(doc)
    breaks = para_breaks(text)
    cands = rule_candidates(doc, rule_context(doc, lex, breaks))
    model = load_model() if cue_model is _DEFAULT else cue_model
    if model is not None:
        learned_candidates(doc, lex, cands, quotes, breaks, model)
    asides = _anonymity_requests(doc)
    if asides:
        cands = [c for c in cands if not c.cue or not any(x <= c.cue[0] < y for x, y in asides)]
    # cues inside a quotation are the quoted speaker's words, not the article's attributions
    inside = in_quote_fn(quotes)
    kept = []
    for c in cands:
        anchor = c.cue[0] if c.cue else c.anchor_char
        if inside(anchor):
            continue
        j = bisect.bisect_right(breaks, anchor)
        lo = breaks[j - 1] if j > 0 else 0
        hi = breaks[j] if j < len(breaks) else len(text)
        pieces = [(max(ps, lo), min(pe, hi)) for ps, pe in c.pieces]
        pieces = [t for t in (trim_chars(text, ps, pe) for ps, pe in pieces if pe > ps) if t]
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
    colon_candidates(doc, text, quotes, cands, covered)
    attach_quotes(doc, text, quotes, cands)
    if model is not None:
        # a speech tag left with no quotation ("Sanders wrote the memo", "he posted another
        # batch to its website"): the content model reads its content off the parse
        cue_starts = [c.cue[0] for c in cands if c.cue]
        for c in cands:
            if not c.pieces and c.cue:
                span = doc.char_span(c.cue[0], c.cue[1], alignment_mode="expand")
                # (a verb that only tags quotations, "chanted", "sighed", reports nothing without one)
                if span is not None and span.root.lemma_.lower() in content_verbs():
                    c.pieces = model_pieces(span.root, model, [c.source] if c.source is not None else [],
                                             cue_starts)
                    if c.pieces and bare_object_of_tag(doc, span.root, c.pieces, lex):
                        c.pieces = []  # "Carolina added three more goals": an action, not a telling
    cands = [c for c in cands if c.pieces and (in_quote(c.pieces[0], quotes) or not _only_a_condition(doc, text, c))
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
                    cut = trim_chars(text, ps, strip_conj(text, ps, inner.cue[0]))
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
    state = SourceState(doc, actors, actor_at)
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


def _finish(doc, text, c, quotes, st: SourceState) -> Attribution:
    pieces = tuple(_close_quote(text, p) for p in c.pieces)
    direct_all = all(in_quote(p, quotes) for p in pieces)
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
                           kind=attribution_kind(cue_lemma(doc, c.cue) if c.cue else "according", "unspecified_group"))
    actors, actor_at = st.actors, st.actor_at
    sa, sb = c.source
    schars = char_span(doc, sa, sb)
    stext = text[schars[0]:schars[1]]
    context = doc[sa].sent.text
    stype = None
    name, key = stext, None
    head_tok = doc[sa] if sb - sa == 1 else None
    pronoun = head_tok is not None and head_tok.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | RELATIVE_PRONOUNS
    # the actor the source's head word belongs to ("a report by the audit office" is the
    # report, not the office; "the minister" or "he" may be a mention of a named person)
    head = head_of(doc[sa:sb], sa, sb)
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
                na, nb = source_range(noun)
                nb = min(nb, rel.left_edge.i) if rel.left_edge.i > na else nb
                nb = max(nb, na + 1)
                stype = classify_source(doc, na, nb, context=context, surnames=st.surnames, memory=st.memory,
                                       ents=st.ents)
                name = doc[na:nb].text
                if actor is None and actors:
                    actor2 = actor_at(char_span(doc, na, nb), actors)
                    if actor2 is not None:
                        key, name = actor2.key, actor2.name
        else:
            prev = previous_source(st, tok, schars[0])
            if prev is not None:
                stype, name, key = prev.source_type, prev.source_name, prev.actor_key
            else:
                ent = resolve_pronoun(doc, tok, st.ents_starts, st.ents)
                if ent is not None:
                    if actors and actor is None:
                        actor2 = actor_at((ent.start_char, ent.end_char), actors)
                        if actor2 is not None:
                            key, name = actor2.key, actor2.name
                    if key is None:
                        name = ent.text
                    stype = "media" if is_media_name(ent.text) else (
                        "named_person" if ent.label_ == "PERSON" else "named_organization")
                elif tok.lower_ in PERSON_PRONOUNS:
                    stype = "named_person"
    if stype is None:
        stype = classify_source(doc, sa, sb, context=context, surnames=st.surnames, memory=st.memory,
                                       ents=st.ents)
        if pronoun and head_tok.lower_ in RELATIVE_PRONOUNS and name.lower() == head_tok.lower_:
            name = antecedent_text(doc, head_tok) or name  # never shown as "who"
        if stype in ("anonymous", "document"):
            st.memory.setdefault(head_of(doc[sa:sb], sa, sb).lemma_.lower(), stype)
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
        outlet = earlier_outlet(actors, schars[0])
        if outlet is not None:
            key, name = outlet.key, outlet.name
    # borrowed reporting: an outlet as the source of the article's facts ("CNN reported",
    # "according to the Times", "the Post has learned"), not an outlet holding an opinion
    borrowed = stype == "media" and (c.form == "according_to" or cue_lemma(doc, c.cue) in lexicon()["reporting_cues"])
    att = Attribution(
        content=pieces, source=schars, cue=c.cue, source_type=stype, form=form, direct=direct_all,
        source_text=stext, cue_text=cue_text, content_text=content_text, actor_key=key,
        source_name=name, borrowed=borrowed, found_by=found_by, confidence=confidence,
        kind=attribution_kind(cue_lemma(doc, c.cue) if c.cue else "according", stype,
                              head_of(doc[sa:sb], sa, sb).lemma_.lower()),
    )
    if not pronoun:
        st.recent.append(att)
    return att
