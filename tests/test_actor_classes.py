"""Issue #20, class 6 (and the actor side of class 5): photo credits, the expletive "it",
places, and names as written. Every text is invented."""
from __future__ import annotations

import pytest

from audit.analyzers.actors import credit_spans, find_actors


def _actors(nlp, text):
    return find_actors(nlp(text))


def _names(actors):
    return [a.name for a in actors]


@pytest.mark.parametrize("text", [
    "Workers gathered at the gate on Monday. Photo: Marcus Hale / Harbor Ledger\n\nThe strike began, the union said.",
    "Protesters march in the capital. Pohl / Reuters\n\nThe march was peaceful.",
    "Lena Varga / AFP\n\nThe march was peaceful.",
])
def test_photo_credits_are_never_actors(nlp, text):
    names = " ".join(_names(_actors(nlp, text)))
    for who in ("Hale", "Harbor Ledger", "Pohl", "Reuters", "Varga", "AFP"):
        assert who not in names


@pytest.mark.parametrize("text, credits", [
    ("A caption. Photo: Marcus Hale / Harbor Ledger\n\nBody.", ["Photo: Marcus Hale / Harbor Ledger"]),
    ("Lena Varga / AFP\n\nBody.", ["Lena Varga / AFP"]),
    ("Sales rose 5% in the first half and/or the second.", []),
    ("The ratio was 3 / 4 of the total.", []),
])
def test_credit_spans(text, credits):
    assert [text[s:e] for s, e in credit_spans(text)] == credits


@pytest.mark.parametrize("text", [
    "The mill employs 300 people. It is widely believed that the mill will close.",
    "Orbis Pharma cut prices. It is likely that rivals will follow.",
    "Orbis Pharma cut prices. It was reported that rivals would follow.",
])
def test_expletive_it_is_never_a_mention(nlp, text):
    assert all(m.text != "It" for a in _actors(nlp, text) for m in a.mentions)


def test_a_pronoun_it_still_refers(nlp):
    text = "Orbis Pharma cut prices on Monday. It said demand had fallen."
    assert any(m.text == "It" for a in _actors(nlp, text) for m in a.mentions)


@pytest.mark.parametrize("text, absorbed", [
    ('Dunmore has 4,000 residents. The company that runs the mill said it would cut jobs. "We have no choice," '
     'the manager said. "Our orders have halved." The union said the cuts were unfair.',
     {"The company", "We", "Our", "The union"}),
    ("It was a cold morning in Dunmore. The company said it would cut jobs.", {"The company"}),
])
def test_a_town_as_a_place_absorbs_no_mentions(nlp, text, absorbed):
    for a in _actors(nlp, text):
        if "Dunmore" in a.name and "council" not in a.name.lower():
            assert not absorbed & {m.text for m in a.mentions}


def test_a_town_acting_as_its_government_is_an_actor(nlp):
    text = "Dunmore said repairs would take weeks."
    assert any("Dunmore" in n for n in _names(_actors(nlp, text)))


@pytest.mark.parametrize("text, name", [
    ("The Northfield Nurses' Association said pay talks had failed.", "Northfield Nurses' Association"),
])
def test_names_are_shown_as_written(nlp, text, name):
    assert name in _names(_actors(nlp, text))


def test_no_name_ends_in_a_conjunction(nlp):
    text = "The Valmora Dock and Harbour Board and the Northfield Nurses' Association signed the deal."
    assert all(not n.split()[-1].lower() in ("and", "or", "&") for n in _names(_actors(nlp, text)))


def test_an_unrecognised_name_named_twice_is_an_organisation(nlp):
    text = ("Customers of Zentrolink lost service on Sunday. Zentrolink has about 640,000 subscribers. "
            "The regulator asked Zentrolink for a report.")
    acts = [a for a in _actors(nlp, text) if a.name == "Zentrolink"]
    assert acts and len(acts[0].mentions) >= 2


def test_a_place_named_twice_is_still_no_actor(nlp):
    text = "It rained in Dunmore on Monday. Schools in Dunmore stayed shut."
    assert "Dunmore" not in _names(_actors(nlp, text))


@pytest.mark.parametrize("text, name, type_", [
    ("Institute director Helena Moor said the figures were conservative.", "Helena Moor", "person"),
    ("The chamber did not explain the figure, and the Ledger was unable to verify it.", "Ledger", "organization"),
])
def test_actor_types_from_title_and_masthead(nlp, text, name, type_):
    acts = {a.name: a.type for a in _actors(nlp, text)}
    assert acts.get(name) == type_
