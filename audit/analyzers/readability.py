"""Readability scores over the parse's own tokens and sentences.

The classic formulas (Flesch reading ease, Flesch-Kincaid grade, Gunning fog) with textstat's
constants and its per-word syllable count (CMU dictionary, else pyphen) and "difficult word"
test, applied to the words and sentences spaCy already found, instead of letting textstat
re-tokenize the body three times. Words: alphabetic tokens (so "don't" is "do" + "n't" and
"job-killing" two words: counts differ slightly from textstat's own word splitter).
Per-word results are cached across articles (news reuses its vocabulary).
"""
from __future__ import annotations

import functools

from ..findings import Readability


@functools.lru_cache(maxsize=65536)
def _word(lower: str) -> tuple[int, bool]:
    """(syllables, difficult for Gunning fog: 3+ syllables and not an easy word)."""
    import textstat

    return int(textstat.syllable_count(lower)), bool(textstat.is_difficult_word(lower, 3))


def readability(doc) -> Readability | None:
    """Flesch reading ease, Flesch-Kincaid grade and Gunning fog; ``None`` for a text with no words."""
    words = syllables = difficult = sents = 0
    for sent in doc.sents:
        n = 0
        for t in sent:
            if t.is_alpha:
                n += 1
                syl, hard = _word(t.lower_)
                syllables += syl
                difficult += hard
        if n:
            words += n
            sents += 1
    if words == 0:
        return None
    wps = words / sents
    spw = syllables / words
    return Readability(
        flesch_reading_ease=round(206.835 - 1.015 * wps - 84.6 * spw, 2),
        flesch_kincaid_grade=round(0.39 * wps + 11.8 * spw - 15.59, 2),
        gunning_fog=round(0.4 * (wps + 100 * difficult / words), 2),
        words=words,
        sentences=sents,
        avg_sentence_length=round(wps, 2),
    )
