"""Actors: mentions merged per referent, metonyms, demonyms, titles, pronouns, the seed's actors."""
from __future__ import annotations

import re

import pytest

from audit.analyzers.actors import actor_at, find_actors
from audit.findings import Actor, Mention

from conftest import SEED_ARTICLE


def _actors(nlp, text):
    return {a.key: [m.text for m in a.mentions] for a in find_actors(nlp(text))}


@pytest.mark.parametrize("text, key, mentions", [
    ("Prime Minister Anneke Vos resigned on Monday. Vos said she was tired.",
     "person:anneke-vos", ["Prime Minister Anneke Vos", "Vos", "she"]),
    ("Tehran said on Monday it would not negotiate. Iran's foreign minister flew to Oman.",
     "country:iran", ["Tehran", "it", "Iran"]),
    ("The U.S. imposed new tariffs. The United States said the US economy was strong.",
     "country:united-states", ["U.S.", "The United States", "US"]),
    ("Israeli officials said the talks had stalled.", "country:israel", ["Israeli officials"]),
    ("Washington's negotiations with Moscow stalled.", "country:united-states", ["Washington"]),
    ("Orbis Pharma shares rose. The company said Orbis would not comment.",
     "organization:orbis-pharma", ["Orbis Pharma", "The company", "Orbis"]),
    ("A snap election could follow, the electoral commission said.",
     "organization:electoral-commission", ["the electoral commission"]),
])
def test_mentions_merged(nlp, text, key, mentions):
    got = _actors(nlp, text)
    assert key in got, got
    for m in mentions:
        assert m in got[key], (m, got[key])


@pytest.mark.parametrize("text, absent", [
    # a capital used as a place is not the government acting
    ("She stayed at a hotel in Washington for two nights.", "country:united-states"),
    ("The conference was held in Moscow last year.", "country:russia"),
    # a demonym adjective alone is not a mention of the country
    ("He ordered Greek salad and Iranian rice.", "country:greece"),
    ("He ordered Greek salad and Iranian rice.", "country:iran"),
])
def test_not_actors(nlp, text, absent):
    assert absent not in _actors(nlp, text)


@pytest.mark.parametrize("text", [
    "It was raining heavily on Tuesday morning.",
    "the weather may improve in May, they said.",
    "",
])
def test_texts_without_actors(nlp, text):
    assert find_actors(nlp(text)) == []


def test_two_people_keep_their_pronouns_apart(nlp):
    got = _actors(nlp, "Mr. John Harlow met Ms. Clara Benn. She praised him.")
    assert "She" in got["person:clara-benn"]
    assert "him" in got["person:john-harlow"]


def test_actor_at_nested_and_containing_spans():
    a = Actor(key="person:x-y", name="X Y", type="person", mentions=(Mention((10, 20), "Prime X Y"),))
    b = Actor(key="country:z", name="Z", type="country", mentions=(Mention((30, 35), "Zland"),))
    assert actor_at((12, 18), [a, b]) is a          # contained in a mention
    assert actor_at((5, 25), [a, b]) is a           # contains a mention
    assert actor_at((29, 31), [a, b]) is b          # overlaps
    assert actor_at((40, 50), [a, b]) is None
    assert actor_at(None, [a, b]) is None


def _seed_body() -> str:
    """The seed page's story paragraphs: those that end with sentence punctuation."""
    paras = [p.strip() for p in SEED_ARTICLE.read_text(encoding="utf-8").split("\n\n")]
    return "\n\n".join(p for p in paras if re.search(r"[.!?\"”]$", p) and "\n" not in p)


SEED_EXPECTED = {  # ../shared/seeds/EXPECTED.md: actors with their aliases merged
    "person:benjamin-netanyahu": ["Israeli Prime Minister Benjamin Netanyahu", "Netanyahu", "his"],
    "person:donald-trump": ["President Trump", "Trump"],
    "country:iran": ["Iran", "Tehran", "Iranian officials"],
    "country:israel": ["Israel", "Jerusalem", "Israeli officials", "One Israeli source"],
    "country:united-states": ["U.S.", "Washington"],
    "organization:hamas": ["Hamas"],
    "person:eyal-zamir": ["Eyal Zamir"],
    "person:shlomi-binder": ["Shlomi Binder"],
    "person:steve-witkoff": ["Steve Witkoff"],
    "person:jared-kushner": ["Jared Kushner"],
    "organization:pentagon": ["the Pentagon"],
    "organization:cnn": ["CNN"],
}


@pytest.fixture(scope="module")
def seed_actors(nlp):
    text = _seed_body()
    return text, find_actors(nlp(text))


@pytest.mark.parametrize("key", sorted(SEED_EXPECTED))
def test_seed_actors_merged(seed_actors, key):
    text, actors = seed_actors
    by_key = {a.key: a for a in actors}
    assert key in by_key, sorted(by_key)
    got = [m.text for m in by_key[key].mentions]
    for m in SEED_EXPECTED[key]:
        assert any(g == m or g.endswith(" " + m) for g in got), (m, got)


def test_seed_washington_is_not_trump(seed_actors):
    _, actors = seed_actors
    trump = next(a for a in actors if a.key == "person:donald-trump")
    assert not any("Washington" in m.text for m in trump.mentions)
    us = next(a for a in actors if a.key == "country:united-states")
    # "press President Trump in Washington": a place, not the government
    assert len([m for m in us.mentions if m.text == "Washington"]) >= 2
    assert all(m.text != "Netanyahu" for a in actors if a.key != "person:benjamin-netanyahu" for m in a.mentions)
