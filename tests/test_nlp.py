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


def test_a_line_break_ends_a_sentence_in_one_line_per_paragraph_text(nlp):
    text = ("Jeb Bush Hits Marco Rubio On Rape Exception\nJeb Bush criticized Marco Rubio on Sunday.\n"
            "“How much of that money goes to vets?”\nThe next debate is scheduled for December.")
    starts = {s.start_char for s in nlp(text).sents}
    for line in ("Jeb Bush criticized", "The next debate"):
        assert text.index(line) in starts


def test_a_line_break_inside_a_sentence_is_not_a_break(nlp):
    text = "The senator said on Monday that the\nbill would pass. He thanked Mr.\nSmith for his work."
    assert [s.text for s in nlp(text).sents] == ["The senator said on Monday that the\nbill would pass.",
                                                 "He thanked Mr.\nSmith for his work."]


WRAPPED = ("The senator said on Monday that the bill would pass in the next\n"
           "session of the legislature, and he thanked the members of the\n"
           "Finance Committee for their patience during the long and difficult\n"
           "negotiations that preceded the vote on the measure, which had\n"
           "been stalled since the spring because of disagreements over the\n"
           "funding formula. Officials said the plan was dead.\n")


def test_hard_wrapped_prose_breaks_only_after_a_sentence(nlp):
    from audit.nlp import hard_wrapped

    assert hard_wrapped(WRAPPED)
    assert not hard_wrapped("One paragraph per line.\nAnother one here.\n")
    sents = [s.text.strip() for s in nlp(WRAPPED).sents]
    assert sents[-1] == "Officials said the plan was dead."
    # "the\nFinance Committee": a capital after a wrapped line does not start a sentence
    assert not any(s.startswith("Finance Committee") for s in sents)
