"""The spaCy pipeline as the project loads it."""
from __future__ import annotations

from audit.nlp import PARAGRAPHS


def test_a_paragraph_break_ends_a_sentence(nlp):
    text = ("The Latest: Police ready for the marathon\n\nBOSTON (AP) — The latest on the city marathon:"
            "\n\n9:40 a.m.\n\nThe police department says it will have officers ready at every mile.")
    doc = nlp(text)
    assert PARAGRAPHS in nlp.pipe_names
    assert nlp.pipe_names.index(PARAGRAPHS) < nlp.pipe_names.index("parser")
    starts = {s.start_char for s in doc.sents}
    for para in ("BOSTON", "9:40", "The police department"):
        assert text.index(para) in starts
    # the break is where a sentence may end, not the only place
    assert "The Latest: Police ready for the marathon" in {s.text.strip() for s in doc.sents}


def test_text_without_paragraph_breaks_is_split_by_the_parser_alone(nlp):
    text = "The mayor spoke on Monday. She said the budget was balanced."
    with nlp.select_pipes(disable=[PARAGRAPHS]):
        bare = [s.text for s in nlp(text).sents]
    assert [s.text for s in nlp(text).sents] == bare == ["The mayor spoke on Monday.", "She said the budget was balanced."]
