"""Issue #20, class 7: whose sentiment is it? A speaker's own quoted words are not sentiment
toward the speaker; "X praised Y" is positive toward Y and says nothing about X. Invented texts."""
from __future__ import annotations

import pytest

from audit.analyze import article_attributions, body_actors
from audit.analyzers.sentiment import _masked_items, actor_sentiments


def _sentiments(nlp, text, engine):
    doc = nlp(text)
    actors = body_actors(doc, ())
    atts = article_attributions(doc, (), actors)
    return {s.actor_key: s for s in actor_sentiments(doc, actors, attributions=atts, engine=engine)}


def _labels(nlp, text, engine):
    return {k: s.label for k, s in _sentiments(nlp, text, engine).items()}


ENGINES = ["lexicon", "model"]

# (text, actor key, expected label)
OWNERS = [
    ('Maria Lindqvist spoke after the final. "I am so proud and so happy, this is a wonderful, beautiful day," '
     'said Lindqvist.', "person:maria-lindqvist", "neutral"),
    ("Mayor Tom Reyes praised the firefighters of the Harwick Fire Brigade for their extraordinary courage.",
     "person:tom-reyes", "neutral"),
    ("Mayor Tom Reyes praised the firefighters of the Harwick Fire Brigade for their extraordinary courage.",
     "organization:harwick-fire-brigade", "positive"),
    ("Mayor Tom Reyes criticised the Harwick Fire Brigade for its disastrous response.",
     "person:tom-reyes", "neutral"),
    ("Mayor Tom Reyes criticised the Harwick Fire Brigade for its disastrous response.",
     "organization:harwick-fire-brigade", "negative"),
    # what others say about a person still counts
    ("Critics said Tom Reyes was a corrupt and incompetent mayor.", "person:tom-reyes", "negative"),
]


def _engine(engine):
    if engine == "model":
        pytest.importorskip("onnxruntime")
        from audit.analyzers.sentiment_model import model_available
        if not model_available():
            pytest.skip("the sentiment model is not installed")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text, key, label", OWNERS)
def test_sentiment_belongs_to_its_target_not_its_speaker(nlp, engine, text, key, label):
    """Ownership is decided sentence by sentence: the sentence counts for its target in the
    direction it leans, and for its speaker not at all (or as neutral). The article-level
    portrayal reads those counts under its own rules: one sentence is a mention, not a
    portrayal (audit.analyzers.portrayal.guarded; readers of PerSenT's one-sentence notes
    judged three of four clearly polar sentences neutral toward their entity), so a
    one-sentence text may leave the target's label neutral, never the opposite way."""
    _engine(engine)
    got = _sentiments(nlp, text, engine).get(key)
    if label == "neutral":
        assert got is None or (got.positive, got.negative) == (0, 0) and got.label == "neutral"
        return
    assert got is not None
    assert (got.positive, got.negative) == ((1, 0) if label == "positive" else (0, 1))
    opposite = "negative" if label == "positive" else "positive"
    assert got.label in (label, "neutral") and got.label != opposite


# Two sentences that cast the actor the same way are a portrayal, not a mention.
PORTRAYED = [
    ("Mayor Tom Reyes praised the firefighters of the Harwick Fire Brigade for their extraordinary courage. "
     "Residents thanked the Harwick Fire Brigade for its heroic and tireless work.",
     "organization:harwick-fire-brigade", "positive"),
    ("Mayor Tom Reyes criticised the Harwick Fire Brigade for its disastrous response. "
     "An inquiry found the Harwick Fire Brigade negligent and incompetent.",
     "organization:harwick-fire-brigade", "negative"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text, key, label", PORTRAYED)
def test_two_sentences_that_cast_the_target_make_its_portrayal(nlp, engine, text, key, label):
    _engine(engine)
    labels = _labels(nlp, text, engine)
    assert labels.get(key) == label
    assert labels.get("person:tom-reyes", "neutral") == "neutral"


def test_masked_items_keep_the_target_offsets(nlp):
    text = '"What a wonderful day," said Ana Lopez.'
    doc = nlp(text)
    s = text.index("Ana Lopez")
    span = (s, s + len("Ana Lopez"))
    hole = (1, text.index(',"'))
    [(masked, (a, b))] = _masked_items(doc, [span], [[hole]])
    assert masked[a:b] == "Ana Lopez"
    assert "wonderful" not in masked
