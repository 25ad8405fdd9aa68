"""Issue #20, class 7: whose sentiment is it? A speaker's own quoted words are not sentiment
toward the speaker; "X praised Y" is positive toward Y and says nothing about X. Invented texts."""
from __future__ import annotations

import pytest

from audit.analyze import article_attributions, body_actors
from audit.analyzers.sentiment import _masked_items, actor_sentiments


def _labels(nlp, text, engine):
    doc = nlp(text)
    actors = body_actors(doc, ())
    atts = article_attributions(doc, (), actors)
    return {s.actor_key: s.label for s in actor_sentiments(doc, actors, attributions=atts, engine=engine)}


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


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text, key, label", OWNERS)
def test_sentiment_belongs_to_its_target_not_its_speaker(nlp, engine, text, key, label):
    if engine == "model":
        pytest.importorskip("onnxruntime")
        from audit.analyzers.sentiment_model import model_available
        if not model_available():
            pytest.skip("the sentiment model is not installed")
    assert _labels(nlp, text, engine).get(key) == label


def test_masked_items_keep_the_target_offsets(nlp):
    text = '"What a wonderful day," said Ana Lopez.'
    doc = nlp(text)
    s = text.index("Ana Lopez")
    span = (s, s + len("Ana Lopez"))
    hole = (1, text.index(',"'))
    [(masked, (a, b))] = _masked_items(doc, [span], [[hole]])
    assert masked[a:b] == "Ana Lopez"
    assert "wonderful" not in masked
