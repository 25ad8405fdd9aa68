"""The seed article end to end: `newsaudit run seeds/` then what `show` reports.

What is asserted is ../shared/seeds/EXPECTED.md: page structure, attributions with their
source kinds, hedges and non-hedges, the two unverified claims (the missile claim once,
with both caveats linked), the borrowed-reporting note and the merged actors.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.store import Store
from audit.tables import spans

from conftest import SEED_ARTICLE, SEEDS


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    res = CliRunner().invoke(main, ["run", str(SEEDS), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    with Store(db, readonly=True) as st:
        data = st.article(st.resolve(str(SEED_ARTICLE)))
    data["db"] = db
    return data


def _text(seed):
    return seed["document"]["text"]


def _rows(df):
    return df.astype(object).where(df.notna(), None).to_dict("records")


def test_page_structure(seed):
    art, doc = seed["article"], seed["document"]
    assert art["outlet"] == "CRBC News"
    assert art["section"] == "Politics"
    title = "Netanyahu to Press Trump on Military Options as US–Iran Talks Resume, Cites Missile Warning"
    assert art["title"] == title
    body = doc["text"]
    assert title not in body
    caps = json.loads(doc["captions"])
    assert len(caps) == 1 and caps[0].endswith("Chaim Goldberg/AFP/Getty Images")
    assert "Chaim Goldberg" not in body and "funeral" not in body
    for chrome in ("Help us improve.", "Related Articles", "Trending"):
        assert chrome not in body
        assert chrome in json.loads(doc["boilerplate"])
    subheads = json.loads(doc["subheads"])
    assert "Key Concerns and Intelligence" in subheads and len(subheads) == 3
    assert body.startswith("Israeli Prime Minister Benjamin Netanyahu will press President Trump")


# (source text, cue text, a phrase inside the content, expected kind)
EXPECTED_ATTRIBUTIONS = [
    ("Israeli officials", "said", "will raise the possibility of military measures", "anonymous"),
    ("One Israeli source", "said", "Jerusalem remains skeptical", "anonymous"),
    ("Iranian officials", "say", "does not seek war", "anonymous"),
    ("Tehran", "said", "will negotiate only the nuclear dossier", "named_organization"),
    ("President Trump", "suggested", "might accept a deal", "named_person"),
    ("Netanyahu", "say", "Hamas must disarm", "named_person"),
    ("Netanyahu", ":", "On this trip, we will discuss", "named_person"),
    ("Observers", "say", "worst-case scenario would be a narrow deal", "unspecified_group"),
    ("Israel", "urged", "to insist that Tehran surrender", "named_organization"),
]


@pytest.mark.parametrize("source, cue, phrase, kind", EXPECTED_ATTRIBUTIONS)
def test_attributions(seed, source, cue, phrase, kind):
    text = _text(seed)
    found = []
    for a in _rows(seed["attributions"]):
        content = " ".join(text[s:e] for s, e in spans(a["content_spans"]))
        if phrase in content and (a["source_text"] or "").endswith(source.split()[-1]):
            found.append(a)
    assert found, f"no attribution of {phrase!r} to {source!r}"
    a = found[0]
    assert cue in (a["cue_text"] or ""), a
    assert a["source_type"] == kind, a


def test_intelligence_is_a_document_source(seed):
    """'what it calls new intelligence showing Iran could rapidly rebuild…': a document-type source."""
    text = _text(seed)
    hits = [a for a in _rows(seed["attributions"])
            if a["source_type"] == "document" and "rapidly rebuild" in
            " ".join(text[s:e] for s, e in spans(a["content_spans"]))]
    assert hits


EXPECTED_HEDGES = ["could rebuild", "roughly 1,800", "within weeks or months", "could rapidly rebuild",
                   "might accept", "has suggested", "the possibility of", "what it calls"]


def test_hedges(seed):
    text = _text(seed)
    hedges = [h for h in _rows(seed["hedges"]) if h["kind"] != "booster"]
    covered = lambda phrase: [h for h in hedges  # noqa: E731
                              for i in _all(text, phrase)
                              if h["start"] < i + len(phrase) and i < h["end"]]
    for phrase in EXPECTED_HEDGES:
        assert covered(phrase), f"hedge {phrase!r} not found"
    assert len([h for h in hedges if h["text"].lower() == "roughly"]) == 2
    for not_hedge in ("if necessary", "should talks fail", "will press"):
        assert not covered(not_hedge), f"{not_hedge!r} is not a hedge"


def _all(text, phrase):
    i = text.find(phrase)
    while i >= 0:
        yield i
        i = text.find(phrase, i + 1)


def test_unverified_claims(seed):
    text = _text(seed)
    claims = _rows(seed["claims"])
    missile = [c for c in claims if "1,800" in c["text"] and c["reason"] == "explicitly_unverified"]
    assert len(missile) == 1, claims
    evidence = " | ".join(text[s:e] for s, e in spans(missile[0]["evidence_spans"]))
    assert "has not been independently verified" in evidence
    assert "unable to independently verify" in evidence
    skeptical = [c for c in claims if "skeptical" in c["text"]]
    assert len(skeptical) == 1 and skeptical[0]["reason"] == "anonymous_source_only"


def test_borrowed_reporting_note(seed):
    notes = _rows(seed["notes"])
    assert any(n["kind"] == "borrowed_reporting" and "CNN" in n["message"] for n in notes), notes
    assert seed["article"]["borrowed_reporting"] == 1


def _actor(seed, name):
    rows = [a for a in _rows(seed["actors"]) if a["name"] == name]
    assert len(rows) == 1, (name, [a["name"] for a in _rows(seed["actors"])])
    forms = {m["text"] for m in _rows(seed["mentions"]) if m["actor_key"] == rows[0]["actor_key"]}
    return rows[0], forms


@pytest.mark.parametrize("name, forms, not_forms", [
    ("Benjamin Netanyahu", {"Israeli Prime Minister Benjamin Netanyahu", "Netanyahu", "his"}, set()),
    ("Donald Trump", {"President Trump", "Trump"}, {"Washington"}),
    ("Iran", {"Iran", "Tehran", "Iranian officials"}, set()),
    ("Israel", {"Israel", "Jerusalem", "Israeli officials"}, set()),
    ("United States", {"U.S.", "Washington"}, set()),
])
def test_actors_merged(seed, name, forms, not_forms):
    _, found = _actor(seed, name)
    assert forms <= found, forms - found
    assert not (not_forms & found)


@pytest.mark.parametrize("name", ["Hamas", "Eyal Zamir", "Shlomi Binder", "Steve Witkoff", "Jared Kushner", "CNN"])
def test_other_actors(seed, name):
    _actor(seed, name)


def test_actor_named_in_the_caption_only(seed):
    row, body_forms = _actor(seed, "Ran Gvili")
    assert not body_forms and row["mentions"] == 0
    assert any(m.endswith("Ran Gvili") for m in json.loads(row["caption_mentions"]))
    netanyahu, _ = _actor(seed, "Benjamin Netanyahu")
    assert any("Netanyahu" in m for m in json.loads(netanyahu["caption_mentions"]))


def test_pentagon(seed):
    names = {a["name"] for a in _rows(seed["actors"])}
    assert any("Pentagon" in n for n in names)


def test_portrayal_shows_its_evidence(seed):
    """Each actor with a sentiment score points at the sentences that drove it."""
    ev = _rows(seed["sentiment_evidence"])
    text = _text(seed)
    scored = [a for a in _rows(seed["actors"]) if a["sentiment_label"]]
    assert scored
    for a in scored:
        rows = [e for e in ev if e["actor_key"] == a["actor_key"]]
        assert rows, a["name"]
        for e in rows:
            assert text[e["start"]:e["end"]] == e["text"]


def test_show_lists_findings_with_evidence(seed):
    res = CliRunner().invoke(main, ["show", str(SEED_ARTICLE), "--db", str(seed["db"])])
    assert res.exit_code == 0, res.output
    out = res.output
    for needle in ("CRBC News", "Attributions", "Observers", "Unverified claims", "has not been independently",
                   "Benjamin Netanyahu", "borrowed_reporting"):
        assert needle in out, needle
    assert out.count("Netanyahu to Press Trump on Military Options") == 1
