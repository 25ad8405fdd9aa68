"""The layer registry (audit.layers) is the source of truth: each registered layer's tables
and columns are what audit.tables produces, its score function returns its scores, and the
README's data dictionary documents them."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from audit import layers
from audit.findings import (Actor, ActorSentiment, Attribution, AuditResult, Claim, Hedge, LoadedSentence, LoadedWord,
                            Mention, Note, Readability, SentimentEvidence)
from audit.ingest.article import Article
from audit.scores import summarize
from audit.tables import COLUMNS, FINDING_TABLES, rows_for

README = Path(__file__).resolve().parent.parent / "README.md"
LAYERS = {lay.name: lay for lay in layers.LAYERS}


def one_of_each() -> AuditResult:
    """An audit with one finding of every kind (so every table gets a row)."""
    text = "Officials said the talks had stalled. It may rain, critics claim."
    result = AuditResult(
        article_id="x",
        attributions=(Attribution(content=((15, 36),), source=(0, 9), cue=(10, 14), source_type="anonymous",
                                  form="indirect", direct=False, source_text="Officials", cue_text="said",
                                  content_text="the talks had stalled", confidence=0.9),),
        hedges=(Hedge(span=(41, 44), text="may", kind="modal", sentence=(38, 66)),),
        claims=(Claim(span=(38, 50), text="It may rain,", reason="explicitly_unverified", evidence=((41, 44),),
                      evidence_text=("may",), note="hedged"),),
        actors=(Actor(key="group:officials", name="Officials", type="organization",
                      mentions=(Mention(span=(0, 9), text="Officials"),)),),
        sentiments=(ActorSentiment(actor_key="group:officials", score=-0.2, label="neutral", positive=0, neutral=1,
                                   negative=0, engine="lexicon",
                                   evidence=(SentimentEvidence(sentence=(0, 37), text=text[:37], score=-0.2,
                                                               label="neutral"),)),),
        notes=(Note(kind="borrowed_reporting", message="m", evidence=((0, 9),)),),
        readability=Readability(flesch_reading_ease=70.0, flesch_kincaid_grade=6.0, gunning_fog=8.0, words=11,
                                sentences=2, avg_sentence_length=5.5),
        sentences=((0, 37), (38, 66)),
        loaded=(LoadedSentence(sentence=(38, 66), probability=0.8, loaded=True,
                               words=(LoadedWord(span=(58, 64), text="critic", probability=0.7),)),),
    )
    return dataclasses.replace(result, summary=summarize(result))


@pytest.fixture(scope="module")
def rows():
    text = "Officials said the talks had stalled. It may rain, critics claim."
    return rows_for(Article.build(text, outlet="Test"), one_of_each())


def test_every_table_comes_from_the_registry():
    registered = {t for lay in layers.LAYERS for t in lay.tables}
    assert set(FINDING_TABLES) == registered
    assert set(COLUMNS) == registered | {"articles", "documents"}
    assert len(FINDING_TABLES) == len(registered), "a table is registered by two layers"
    scores = [c for lay in layers.LAYERS for c in lay.scores]
    assert COLUMNS["articles"] == layers.ARTICLE_COLUMNS + tuple(scores)
    assert len(set(scores)) == len(scores), "a score is registered by two layers"


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_layers_tables_are_what_the_tables_module_produces(name, rows):
    for table, columns in LAYERS[name].tables.items():
        assert rows[table], f"no {table} row from one finding of each kind"
        for row in rows[table]:
            assert tuple(row) == columns, f"{table}: rows_for writes {tuple(row)}, the registry says {columns}"


def test_rows_for_writes_only_registered_tables(rows):
    assert set(rows) == set(COLUMNS)
    assert set(rows["articles"][0]) == set(COLUMNS["articles"])
    assert tuple(rows["documents"][0]) == layers.DOCUMENT_COLUMNS


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_layers_score_function_returns_its_scores(name):
    lay = LAYERS[name]
    for result in (AuditResult(article_id="x"), one_of_each()):
        assert tuple(lay.score(result)) == lay.scores
    if lay.scores:
        assert lay.score_function is not None


def test_summary_is_every_layers_scores_and_nothing_else():
    summary = one_of_each().summary
    assert set(summary) == {c for lay in layers.LAYERS for c in lay.scores} | {"sentiment_engine"}
    assert summary["attributions"] == 1 and summary["hedges"] == 1 and summary["loaded_sentence_share"] == 0.5


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_layers_analyzers_findings_and_fields_exist(name):
    lay = LAYERS[name]
    fields = {f.name for f in dataclasses.fields(AuditResult)}
    assert set(lay.result_fields) <= fields
    assert all(dataclasses.is_dataclass(t) for t in lay.findings)
    for analyzer in lay.analyzers:
        assert callable(layers.resolve(analyzer)), analyzer


def _section(text: str, heading: str) -> str:
    m = re.search(rf"^### {re.escape(heading)}.*?$(.*?)(?=^##)", text, re.M | re.S)
    assert m, f"README has no section '### {heading}'"
    return m.group(1)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_the_readme_data_dictionary_documents_each_layer(name):
    text = README.read_text(encoding="utf-8")
    lay = LAYERS[name]
    for table, columns in lay.tables.items():
        documented = set(re.findall(r"`([a-z_0-9]+)`", _section(text, f"`{table}.csv`")))
        assert not [c for c in columns if c not in documented], f"README's `{table}.csv` section lacks columns"
    documented = set(re.findall(r"`([a-z_0-9]+)`", _section(text, "Scores (the `articles` table)")))
    assert not [c for c in lay.scores if c not in documented], "README's Scores section lacks scores"
