"""Unverified claims and borrowed reporting; attributions are built by hand here."""
from __future__ import annotations

import pytest

from audit.analyzers.claims import find_borrowed_reporting, find_claims
from audit.analyzers.hedging import find_hedges
from audit.findings import Attribution


def _att(text, source, content, source_type, cue="said"):
    s = text.index(source)
    c = text.index(content)
    k = text.index(cue, s)
    return Attribution(content=((c, c + len(content)),), source=(s, s + len(source)), cue=(k, k + len(cue)),
                       source_type=source_type, form="indirect", direct=False, source_text=source,
                       cue_text=cue, content_text=content)


def _claims(nlp, text, atts=()):
    doc = nlp(text)
    return find_claims(doc, attributions=atts, hedges=find_hedges(doc))


@pytest.mark.parametrize("text, claim, caveat", [
    ("Local media reported that at least four of the patients worked at the plant. "
     "Health officials have not confirmed that figure.",
     "at least four of the patients worked at the plant", "Health officials have not confirmed that figure"),
    ("Users reported that emergency calls had failed during the outage. "
     "Those reports could not be independently verified.",
     "emergency calls had failed during the outage", "Those reports could not be independently verified"),
    ("The group said the strike killed 40 people, though that figure has not been independently verified.",
     "the strike killed 40 people", "that figure has not been independently verified"),
])
def test_explicitly_unverified(nlp, text, claim, caveat):
    found = _claims(nlp, text)
    assert [(c.text, c.reason) for c in found] == [(claim, "explicitly_unverified")]
    assert found[0].evidence_text == (caveat,)


def test_caveat_skips_a_sentence_without_a_number(nlp):
    text = ("Two officials said the deal could release 2 billion dollars in frozen funds. "
            "Neither official was authorised to speak publicly. The figure has not been confirmed.")
    found = _claims(nlp, text)
    assert [c.text for c in found] == ["the deal could release 2 billion dollars in frozen funds"]


def test_restated_claim_is_one_claim_with_both_caveats(nlp):
    text = ("Officials warned Iran could rebuild its arsenal to 2,000 missiles within months, "
            "though that figure has not been independently verified. "
            "Israel will present intelligence showing Iran could rebuild its arsenal to 2,000 missiles within months. "
            "The Daily Planet was unable to independently verify that estimate.")
    found = _claims(nlp, text)
    assert len(found) == 1 and found[0].reason == "explicitly_unverified"
    assert len(found[0].evidence) == 2


def test_anonymous_only(nlp):
    text = "One Israeli source said Jerusalem remains skeptical that the talks will succeed."
    att = _att(text, "One Israeli source", "Jerusalem remains skeptical that the talks will succeed", "anonymous")
    found = _claims(nlp, text, [att])
    assert [(c.reason, c.evidence_text) for c in found] == [("anonymous_source_only", ("One Israeli source",))]


@pytest.mark.parametrize("text, source, content, source_type", [
    # a named source: nothing to flag
    ("The mayor said the case came to light after a routine audit.", "The mayor",
     "the case came to light after a routine audit", "named_person"),
    # an anonymous prediction or intention is not a factual claim
    ("Israeli officials said Netanyahu will raise the issue in Washington.", "Israeli officials",
     "Netanyahu will raise the issue in Washington", "anonymous"),
    ("Iranian officials say Tehran does not seek war.", "Iranian officials", "Tehran does not seek war", "anonymous"),
])
def test_not_claims(nlp, text, source, content, source_type):
    assert _claims(nlp, text, [_att(text, source, content, source_type, cue="sa")]) == []


@pytest.mark.parametrize("text", [
    "The council approved the bike lanes on Tuesday.",
    '"We are not in a position to confirm any agreement," the spokesperson said.',   # quoted speaker, not a caveat
    "The union confirmed that its committee was examining a complaint.",              # a confirmation
])
def test_no_claims(nlp, text):
    assert _claims(nlp, text) == []


def test_relayed_anonymous_sources(nlp):
    text = ("The Review reported that the drugmaker had received a takeover approach. "
            "Castellan is weighing an offer, the Review said, citing people familiar with the matter.")
    atts = [
        _att(text, "The Review", "the drugmaker had received a takeover approach", "media", cue="reported"),
        _att(text, "the Review", "Castellan is weighing an offer", "media"),
        _att(text, "people familiar with the matter", "Castellan is weighing an offer", "anonymous", cue="matter"),
    ]
    found = _claims(nlp, text, atts)
    assert [c.reason for c in found] == ["anonymous_source_only", "anonymous_source_only"]


def test_borrowed_reporting(nlp):
    text = "Israel says Iran could rebuild its arsenal. CNN was unable to independently verify that estimate."
    notes = find_borrowed_reporting(nlp(text), outlet="CRBC News")
    assert len(notes) == 1 and notes[0].kind == "borrowed_reporting" and "CNN" in notes[0].message
    assert text[notes[0].evidence[0][0]:notes[0].evidence[0][1]] == "CNN was unable to independently verify that estimate"


@pytest.mark.parametrize("text, outlet", [
    ("CNN was unable to independently verify that estimate.", "CNN"),                    # its own caveat
    ("Health officials have not confirmed that figure.", "The Courier"),                 # not an outlet
    ("The council approved the bike lanes on Tuesday.", "The Courier"),
])
def test_not_borrowed(nlp, text, outlet):
    assert find_borrowed_reporting(nlp(text), outlet=outlet) == []
