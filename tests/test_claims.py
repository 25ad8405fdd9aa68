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


# --- issue 21: classes that failed on unseen articles ------------------------------------

def _atts(text, *specs):
    """Attributions from ``(source, content, source_type, cue)`` tuples, located in ``text``
    (the cue after the source, or before it: "according to people familiar ...")."""
    out = []
    for s, c, t, k in specs:
        if k in text[text.index(s):]:
            out.append(_att(text, s, c, t, cue=k))
        else:
            a = _att(text, s, c, t, cue=s)
            i = text.index(k)
            out.append(Attribution(content=a.content, source=a.source, cue=(i, i + len(k)), source_type=t,
                                   form="according_to", direct=False, source_text=s, cue_text=k, content_text=c))
    return out


@pytest.mark.parametrize("text, specs, claims", [
    # one caveat, in its own paragraph, covers every claim of the paragraphs before it
    ("The army said its troops had destroyed 12 tanks near the river. The rebels said they had captured "
     "three villages.\n\nNeither claim could be independently verified.",
     [("The army", "its troops had destroyed 12 tanks near the river", "named_organization", "said"),
      ("The rebels", "they had captured three villages", "unspecified_group", "said")],
     ["its troops had destroyed 12 tanks near the river", "they had captured three villages"]),
    # a plural number anaphor: the claims with a number of the paragraph
    ("Officials said the plant had released 300 tonnes of waste. The union said 12 workers had fallen ill. "
     "The figures could not be confirmed.",
     [("Officials", "the plant had released 300 tonnes of waste", "anonymous", "said"),
      ("The union", "12 workers had fallen ill", "named_organization", "said")],
     ["the plant had released 300 tonnes of waste", "12 workers had fallen ill"]),
    ("The ministry said its forces had taken the airport. The rebels said they still held it. "
     "Both sides' accounts could not be independently verified.",
     [("The ministry", "its forces had taken the airport", "named_organization", "said"),
      ("The rebels", "they still held it", "unspecified_group", "said")],
     ["its forces had taken the airport", "they still held it"]),
    # a singular anaphor still takes one claim: the nearest with a number
    ("The office said 30 people died in the blast. It said children were among the dead. "
     "The Courier could not independently confirm the toll.",
     [("The office", "30 people died in the blast", "named_organization", "said"),
      ("It", "children were among the dead", "named_organization", "said")],
     ["30 people died in the blast"]),
    # the caveat sentence also says how the figure was reached: that clause is not the claim
    ("The ministry said 40 people had been killed in the raid. It did not say how it arrived at that figure, "
     "and The Star has not been able to verify it independently.",
     [("The ministry", "40 people had been killed in the raid", "named_organization", "said")],
     ["40 people had been killed in the raid"]),
])
def test_caveat_links_every_claim_it_refers_to(nlp, text, specs, claims):
    found = _claims(nlp, text, _atts(text, *specs))
    assert [(c.text, c.reason) for c in found] == [(t, "explicitly_unverified") for t in claims]
    caveat = [e for e in found[0].evidence_text if "verif" in e or "confirm" in e]
    assert len(caveat) == 1 and all(caveat[0] in c.evidence_text for c in found)  # one caveat, in each claim's evidence


def test_claim_has_one_reason_and_all_its_evidence(nlp):
    text = "Two officials said 40 people had died in the raid. The figure could not be confirmed."
    found = _claims(nlp, text, [_att(text, "Two officials", "40 people had died in the raid", "anonymous")])
    assert [(c.text, c.reason) for c in found] == [("40 people had died in the raid", "explicitly_unverified")]
    assert found[0].evidence_text == ("Two officials", "The figure could not be confirmed")


@pytest.mark.parametrize("text", [
    "The Star has not been able to verify the figures independently.",   # a caveat alone
    "Neither claim could be independently verified.",
    "The figures could not be confirmed.",
    "The company confirmed that it had cut 200 jobs.",                    # a confirmed claim
    "The freeze is unconfirmed.",                                         # no whole clause to flag
])
def test_caveat_alone_is_no_claim(nlp, text):
    assert _claims(nlp, text) == []


@pytest.mark.parametrize("text, specs, claims", [
    # a scoop continues its anonymous account without repeating the source
    ("The company is weighing a sale of its shipping unit, according to people familiar with the matter. "
     "Its chief executive is said to be furious about the leak. "
     "The chairman is understood to have met two bidders last week.",
     [("people familiar with the matter", "The company is weighing a sale of its shipping unit", "anonymous", "according to")],
     ["The company is weighing a sale of its shipping unit",
      "Its chief executive is said to be furious about the leak",
      "The chairman is understood to have met two bidders last week"]),
    # reporting that answers to no one, with no anonymous source before it
    ("The striker is reported to have signed a new contract.", [],
     ["The striker is reported to have signed a new contract"]),
    # the terms of anonymity are not a claim; what the source said is
    ("A senior official, who asked not to be named because the talks are private, said the deal had collapsed.",
     [("who", "not to be named because the talks are private", "anonymous", "asked"),
      ("A senior official", "the deal had collapsed", "anonymous", "said")],
     ["the deal had collapsed"]),
    ("Two officials, who asked not to be named, said the minister had resigned.",
     [("who", "not to be named", "anonymous", "asked"), ("Two officials", "the minister had resigned", "anonymous", "said")],
     ["the minister had resigned"]),
])
def test_anonymous_accounts(nlp, text, specs, claims):
    found = _claims(nlp, text, _atts(text, *specs))
    assert [(c.text, c.reason) for c in found] == [(t, "anonymous_source_only") for t in claims]


def test_continued_account_cites_the_anonymous_source(nlp):
    text = ("The company is weighing a sale, according to people familiar with the matter. "
            "Its chief executive is said to be furious about the leak.")
    atts = _atts(text, ("people familiar with the matter", "The company is weighing a sale", "anonymous", "according to"))
    found = _claims(nlp, text, atts)
    assert found[1].evidence_text == ("people familiar with the matter", "is said")


@pytest.mark.parametrize("text", [
    "Who asked not to be named?",
    "The minister is said to want a recount.",                          # an intention
    "The chairman is said by the ministry to have met two bidders.",    # a named source
    '"He is said to be furious," the spokesman joked.',                 # inside a quotation
])
def test_not_anonymous_claims(nlp, text):
    assert [c for c in _claims(nlp, text) if c.reason == "anonymous_source_only"] == []


@pytest.mark.parametrize("text, claim, evidence", [
    ("The mayor has turned the port into a playground for her developer friends.",
     "The mayor has turned the port into a playground for her developer friends", ("playground for", "developer friends")),
    ("The council handed the contract to its cronies in a sweetheart deal.",
     "The council handed the contract to its cronies in a sweetheart deal", ("cronies", "sweetheart deal")),
    ("The inquiry was a cover-up from the start.", "The inquiry was a cover-up from the start", ("cover-up",)),
])
def test_loaded_assertions_in_own_voice(nlp, text, claim, evidence):
    found = _claims(nlp, text)
    assert [(c.text, c.reason, c.evidence_text) for c in found] == [(claim, "unattributed_contested", evidence)]


@pytest.mark.parametrize("text", [
    '"The port is a playground for developers," the opposition leader said.',  # quoted: someone's words
    "Critics called the vote a sham.",                                         # the wording is the critics'
    "Was the inquiry a cover-up?",                                             # a question
    "The council approved the budget on Tuesday.",                             # plain reporting
    "The fire destroyed 20 homes on the estate.",                              # strong but literal
])
def test_no_loaded_claim(nlp, text):
    assert [c for c in _claims(nlp, text) if c.reason == "unattributed_contested"] == []


@pytest.mark.parametrize("text, part, cut", [
    ("The freeze is unconfirmed.", "The freeze is", True),
    ("The freeze is unconfirmed.", "The freeze is unconfirmed", False),
    ("Construction has stopped at the site.", "Construction has", True),
    ("Construction has stopped at the site.", "Construction has stopped at", True),
    ("Construction has stopped at the site.", "Construction has stopped at the site", False),
])
def test_claim_spans_are_whole_clauses(nlp, text, part, cut):
    from audit.analyzers.claims import _cut_mid_clause

    doc = nlp(text)
    assert _cut_mid_clause(doc, (0, len(part))) is cut


def test_evidence_as_text():
    from audit.tables import evidence_text

    assert evidence_text(("Neither claim could be verified", "people familiar")) == \
        "“Neither claim could be verified”; “people familiar”"
    assert evidence_text(()) == ""


@pytest.mark.parametrize("text, claim, caveat", [
    # a bare belief whose confirmation is pending
    ("Police believe the fire was started deliberately. They have yet to confirm it.",
     "the fire was started deliberately", "They have yet to confirm it"),
    ("It is believed the suspect fled abroad, though this has yet to be confirmed.",
     "the suspect fled abroad", "this has yet to be confirmed"),
    ("Residents said the dam had burst. The report is awaiting confirmation.",
     "the dam had burst", "The report is awaiting confirmation"),
    # an unconfirmed source: what it says is the claim
    ("Unconfirmed reports said the plant had closed.", "the plant had closed", "Unconfirmed"),
])
def test_pending_confirmation(nlp, text, claim, caveat):
    found = _claims(nlp, text)
    assert [(c.text, c.reason, c.evidence_text) for c in found] == [(claim, "explicitly_unverified", (caveat,))]


@pytest.mark.parametrize("text", [
    "The ministry confirmed the figure without delay.",
    "The council is awaiting confirmation of its grant.",   # a caveat alone
    "Officials have yet to decide on the plan.",             # "yet to" without a verification verb
    "The pills are scientifically unproven.",                # no clause to flag, only a word
])
def test_no_pending_claim(nlp, text):
    assert _claims(nlp, text) == []


@pytest.mark.parametrize("text, source, content, claim", [
    # the attribution layer gave only the predicate: the claim takes its verb and subject
    ("Construction is, two people familiar with the project said, months behind schedule.",
     "two people familiar with the project", "months behind schedule",
     "Construction is, two people familiar with the project said, months behind schedule"),
    # a content cut before its complement takes the complement
    ("The freeze is temporary, a senior official said.", "a senior official", "The freeze is",
     "The freeze is temporary"),
    # a whole clause is left as it is
    ("The freeze is temporary, a senior official said.", "a senior official", "The freeze is temporary",
     "The freeze is temporary"),
])
def test_anonymous_claim_is_a_whole_clause(nlp, text, source, content, claim):
    found = _claims(nlp, text, [_att(text, source, content, "anonymous")])
    assert [c.text for c in found] == [claim]


def test_cut_subject_takes_its_verb(nlp):
    text = ("Users reported that emergency calls had also failed during the outage. "
            "Those reports could not be independently verified.")
    att = _att(text, "Users", "emergency calls", "unspecified_group", cue="reported")
    assert [c.text for c in _claims(nlp, text, [att])] == ["emergency calls had also failed during the outage"]


@pytest.mark.parametrize("text, claim, evidence", [
    ("The mayor approved the contract without a tender. Her office disputes that account.",
     "The mayor approved the contract without a tender", "Her office disputes that account"),
    ("The plant leaked toxic waste into the river for years. The company denied it.",
     "The plant leaked toxic waste into the river for years", "The company denied it"),
    ("The scheme cost taxpayers 4 million pounds. The council disputes the figure.",
     "The scheme cost taxpayers 4 million pounds", "The council disputes the figure"),
])
def test_own_voice_claim_disputed_by_a_source(nlp, text, claim, evidence):
    found = _claims(nlp, text)
    assert [(c.text, c.reason, c.evidence_text) for c in found] == [(claim, "unattributed_contested", (evidence,))]


@pytest.mark.parametrize("text, atts", [
    ("The council approved the budget on Tuesday. The opposition rejected the budget.", []),   # no anaphor
    ("The plant closed in May. The union disputed the figures it published.", []),             # not an anaphor
    ("Is the plan working? The minister denied it.", []),                                      # a question
    ("The bridge closed in May. The council disputes the figure.", []),                        # no number to dispute
    # a reported statement: its source answers for it
    ("Officials said the bridge was closed for repairs. The council denied it.",
     [("Officials", "the bridge was closed for repairs", "named_organization", "said")]),
])
def test_not_disputed_own_voice(nlp, text, atts):
    assert [c for c in _claims(nlp, text, _atts(text, *atts)) if c.reason == "unattributed_contested"] == []
