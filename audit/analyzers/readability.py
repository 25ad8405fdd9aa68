"""Readability scores (textstat) over the parsed body text."""
from __future__ import annotations

from ..findings import Readability


def readability(doc) -> Readability | None:
    """textstat's classic formulas; ``None`` for a text with no words."""
    import textstat

    words = sum(1 for t in doc if t.is_alpha)
    if words == 0:
        return None
    sents = max(1, sum(1 for s in doc.sents if any(t.is_alpha for t in s)))
    text = doc.text
    return Readability(
        flesch_reading_ease=round(float(textstat.flesch_reading_ease(text)), 2),
        flesch_kincaid_grade=round(float(textstat.flesch_kincaid_grade(text)), 2),
        gunning_fog=round(float(textstat.gunning_fog(text)), 2),
        words=words,
        sentences=sents,
        avg_sentence_length=round(words / sents, 2),
    )
