"""Target-dependent sentiment: polarity toward each target, not the sentence's mood."""
from __future__ import annotations

import pytest

from audit.analyzers.actors import find_actors
from audit.analyzers.sentiment import actor_sentiments, target_polarities
from audit.findings import Attribution


def _pols(nlp, text, targets):
    doc = nlp(text)
    spans = [(text.index(t), text.index(t) + len(t)) for t in targets]
    return [lab for lab, _ in target_polarities(doc, spans)]


@pytest.mark.parametrize("text, targets, expected", [
    # two actors, opposite polarity in one sentence
    ("Maria Gomez was hailed as a hero after she saved three children, but Peter Hall was arrested for abandoning them.",
     ["Maria Gomez", "Peter Hall"], ["positive", "negative"]),
    # role-dependent verbs: negative toward the object, not the subject
    ("Ruiz condemned Ellis, accusing him of lying to voters and stealing public money.",
     ["Ruiz", "Ellis"], ["neutral", "negative"]),
    # a neutral mention
    ("John Smith will visit Ohio on Tuesday.", ["John Smith"], ["neutral"]),
    ("The meeting between Angela Brooks and the committee is scheduled for Thursday.", ["Angela Brooks"], ["neutral"]),
    # a speaker's own words are not sentiment toward the speaker
    ("David Chen said the new policy was a terrible, disastrous failure.", ["David Chen"], ["neutral"]),
])
def test_target_polarities(nlp, text, targets, expected):
    assert _pols(nlp, text, targets) == expected


def test_no_targets_no_scores(nlp):
    assert target_polarities(nlp("Nothing happened."), []) == []


def test_unknown_engine_is_an_error(nlp):
    with pytest.raises(ValueError):
        target_polarities(nlp("A test."), [(0, 1)], engine="nonsense")


def test_actor_sentiments_counts_and_evidence(nlp):
    text = ("Prosecutors charged Tom Baker with fraud and embezzlement. "
            "Tom Baker was convicted of stealing from pensioners. Anna Lee will speak on Monday.")
    doc = nlp(text)
    actors = find_actors(doc)
    res = {s.actor_key: s for s in actor_sentiments(doc, actors)}
    baker = res["person:tom-baker"]
    assert baker.label == "negative" and baker.negative == 2 and baker.score < 0
    assert baker.evidence and all(ev.text in text for ev in baker.evidence)
    lee = res["person:anna-lee"]
    assert lee.label == "neutral" and lee.negative == 0
    assert [ev.label for ev in lee.evidence] == ["neutral"]  # a neutral portrayal still shows its sentence


def test_own_quoted_words_are_skipped(nlp):
    text = '"I was cheated and betrayed," Laura Kim said.'
    doc = nlp(text)
    actors = [a for a in find_actors(doc) if a.key == "person:laura-kim"]
    s, e = 1, text.index(',"')
    own = Attribution(content=((s, e),), source=None, cue=None, source_type="named_person", form="direct",
                      direct=True, actor_key="person:laura-kim")
    with_own = actor_sentiments(doc, actors, attributions=(own,))
    assert all(ev.sentence[0] <= s for r in with_own for ev in r.evidence)
    assert sum(r.positive + r.neutral + r.negative for r in with_own) <= 1
