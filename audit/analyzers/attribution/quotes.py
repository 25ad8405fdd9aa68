"""Attribution layer 5, quotations: quotation marks next to a cue become its content,
pieces of a split quote are joined, a quote continuing in the same paragraph or opening the
next stays with its speaker; and the colon form (``Netanyahu: "..."``, a transcript's turn
labels)."""
from __future__ import annotations

import bisect
import re

from ...findings import Span
from .helpers import MIN_QUOTE_WORDS, doc_text, in_quote, lexicon, looks_like_title, merge_pieces, trim_chars, word_count
from .content import Candidate


def colon_candidates(doc, text, quotes, out, covered):
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
        t = trim_chars(text, qs, qe)
        if t:
            out.append(Candidate([t], (a, ci), (j, j + 1), "colon", ci, doc))
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
    lex = lexicon()
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
        t = trim_chars(text, k, line_end)
        if t:
            out.append(Candidate([t], (sp.start, sp.end), (nxt, nxt + 1), "colon", sp.end - 1, doc))


def _is_split_half(doc, tag, qs: int) -> bool:
    """Whether a quotation at ``qs`` is the second half of the split quote of ``tag``
    (``((start, end), candidate)``, the last tag before it): the tag already holds the
    quotation before it, and between them stand only commas or dashes, or the rest of the
    tag up to a comma in one sentence ("told reporters outside parliament,", "said in a
    statement,")."""
    (ts, te), c = tag
    if not c.cue or not c.pieces or c.pieces[0][1] > ts:
        return False
    gap = doc_text(doc)[te:qs]
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


def _tag_range(doc, c) -> Span:
    """Characters of an attribution's tag: its cue and its whole source phrase."""
    lo, hi = c.cue if c.cue else (c.anchor_char, c.anchor_char)
    if c.source_full:
        lo, hi = min(lo, c.source_full[0]), max(hi, c.source_full[1])
    return lo, hi


_GAP_BEFORE_TAG = frozenset(" ,—–-\n")
_GAP_AFTER_TAG = frozenset(" ,:—–-\n")


def attach_quotes(doc, text, quotes, cands):
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
        t = trim_chars(text, qs, qe)
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
            owner.pieces = merge_pieces(new)
            used.add(q)
    for q in quotes:
        if q in used:
            continue
        qs, qe = q
        if looks_like_title(text[qs:qe]) or (word_count(text[qs:qe]) < MIN_QUOTE_WORDS
                                             and not _short_reply(text, qs, qe)):
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
            t = trim_chars(text, qs, qe)
            best.pieces = merge_pieces(best.pieces + [t])
            used.add(q)
    # continuation
    live = [c for c in cands if c.pieces]
    ordered = sorted(live, key=lambda c: _extent_end(doc, c))
    ends = [_extent_end(doc, c) for c in ordered]
    for q in quotes:
        if q in used:
            continue
        qs, qe = q
        if word_count(text[qs:qe]) < MIN_QUOTE_WORDS or looks_like_title(text[qs:qe]):
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
        t = trim_chars(text, qs, qe)
        if t:
            speaker = _quoting_governor(doc, prev, ordered, quotes)
            speaker.pieces = merge_pieces(speaker.pieces + [t])
            used.add(q)
            ends[k] = max(ends[k], qe)


def _quoting_governor(doc, c, cands, quotes):
    """The attribution a continued quotation belongs to: ``c``, or the quoting tag that
    ``c``'s cue hangs on as a participle ('"...," he said, referring to Trump. "..."': the
    second quotation is still what he said, not what he referred to)."""
    if not c.cue or not c.pieces or any(in_quote(p, quotes) for p in c.pieces):
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
        if g is not c and g.cue and g.cue[0] <= head.idx < g.cue[1] and any(in_quote(p, quotes) for p in g.pieces):
            return g
    return c


def _short_reply(text: str, qs: int, qe: int) -> bool:
    """A short quotation that is a spoken reply, not scare quotes or a name: '"Probably,"
    Priebus said', 'he said, "Apparently not."' (sentence punctuation inside the marks, and
    more than one word or a word that is not capitalised mid-sentence)."""
    body = text[qs:qe].strip(" \"“”«»'‘’`")
    return bool(body) and body[-1] in ".,!?" and word_count(body) >= 1 and not (
        word_count(body) == 1 and body[:1].isupper() and qs > 0 and text[qs - 1:qs].isalpha())


def _extent_end(doc, c) -> int:
    end = max((pe for _, pe in c.pieces), default=0)
    if c.cue:
        end = max(end, c.cue[1])
    if c.source_full:
        end = max(end, c.source_full[1])
    return end
