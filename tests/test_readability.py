"""Readability over the parse's own words and sentences (audit.analyzers.readability)."""
from __future__ import annotations

import pytest

from audit.analyzers.readability import readability
from audit.nlp import load_nlp


@pytest.mark.parametrize("text, words, sentences", [
    ("The cat sat on the mat.", 6, 1),
    ("The cat sat. The dog ran away quickly.", 8, 2),
    ("Prices rose 5% in 2024. Officials said so.", 6, 2),       # numbers are not words
    ("The vote passed.\n\n***\n\nThe bill died.", 6, 2),       # a sentence with no word is not counted
])
def test_counts_come_from_the_parse(text, words, sentences):
    r = readability(load_nlp()(text))
    assert (r.words, r.sentences) == (words, sentences)
    assert r.avg_sentence_length == round(words / sentences, 2)


@pytest.mark.parametrize("text", ["", "   ", "12 345 ... !!!", "\n\n"])
def test_no_words_no_scores(text):
    assert readability(load_nlp()(text)) is None


def test_longer_words_and_sentences_read_harder():
    easy = readability(load_nlp()("The cat sat on the mat. The dog ran to the park."))
    hard = readability(load_nlp()("The administration's unprecedented regulatory intervention "
                                  "fundamentally reconfigured international telecommunications infrastructure."))
    assert easy.flesch_reading_ease > hard.flesch_reading_ease
    assert easy.flesch_kincaid_grade < hard.flesch_kincaid_grade
    assert easy.gunning_fog < hard.gunning_fog
    # textstat's constants: one-syllable words in six-word sentences
    assert easy.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 6 - 84.6 * 1.0, abs=0.01)
