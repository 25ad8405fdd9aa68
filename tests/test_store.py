"""The SQLite store: round trips, idempotent re-runs, filters, transactional writes."""
from __future__ import annotations

import sqlite3

import pytest

from audit import ANALYZER_VERSION
from audit.findings import (
    Actor, ActorSentiment, Attribution, AuditResult, Claim, Hedge, Mention, Note, SentimentEvidence,
)
from audit.ingest.article import Article
from audit.store import ArticleFilter, Store, StoreError
from audit.tables import COLUMNS, article_record, frames

TEXT = "Officials said the talks stalled. It could rain, reportedly."


def _result(art: Article) -> AuditResult:
    return AuditResult(
        article_id=art.id,
        attributions=(Attribution(content=((15, 32),), source=(0, 9), cue=(10, 14), source_type="anonymous",
                                  form="indirect", direct=False, source_text="Officials", cue_text="said",
                                  content_text="the talks stalled"),),
        hedges=(Hedge(span=(37, 42), text="could", kind="modal", sentence=(34, 60)),),
        claims=(Claim(span=(15, 32), text="the talks stalled", reason="anonymous_source_only",
                      evidence=((0, 9),), evidence_text=("Officials",)),),
        actors=(Actor(key="organization:officials", name="Officials", type="organization",
                      mentions=(Mention((0, 9), "Officials"),)),),
        sentiments=(ActorSentiment(actor_key="organization:officials", score=-0.2, label="negative", positive=0,
                                   neutral=0, negative=1, engine="lexicon",
                                   evidence=(SentimentEvidence((0, 33), TEXT[:33], -0.2, "negative"),)),),
        notes=(Note(kind="borrowed_reporting", message="m", evidence=((0, 9),)),),
        sentences=((0, 33), (34, 60)),
        summary={"words": 9, "sentences": 2, "attributions": 1},
    )


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def _arts():
    return [
        Article.build(TEXT, title="A", outlet="Daily One", published="2026-01-05"),
        Article.build(TEXT + " More.", title="B", outlet="Daily Two", published="2026-02-10", external_id="x-2"),
        Article.build(TEXT + " Again.", title="C 100%_done", outlet="Daily One", published=""),
    ]


def test_round_trip_every_table(store):
    arts = _arts()
    assert store.save((a, _result(a)) for a in arts) == 3
    data = store.article(arts[0].id)
    assert data["article"]["title"] == "A"
    assert data["document"]["text"] == TEXT
    for t in ("attributions", "hedges", "claims", "actors", "mentions", "sentiment_evidence", "notes"):
        assert len(data[t]) == 1, t
        assert list(data[t].columns) == list(COLUMNS[t])
    rec = article_record(data)
    assert rec["attributions"][0]["content"] == [[15, 32]]
    assert rec["unverified_claims"][0]["reason"] == "anonymous_source_only"
    assert rec["actors"][0]["mentions"] == [[0, 9]]


def test_resave_replaces_rows_not_duplicates(store):
    a = _arts()[0]
    store.save([(a, _result(a))])
    store.save([(a, _result(a))])
    assert store.count_articles() == 1
    assert len(store.table("hedges")) == 1


def test_versions_and_resolve(store):
    arts = _arts()
    store.save((a, _result(a)) for a in arts)
    assert store.audited_versions([a.id for a in arts]) == {a.id: ANALYZER_VERSION for a in arts}
    assert store.resolve("x-2") == arts[1].id
    assert store.resolve(arts[2].id[:8]) == arts[2].id
    with pytest.raises(StoreError, match="no article"):
        store.resolve("nope")


@pytest.mark.parametrize("flt, titles", [
    (ArticleFilter(), {"A", "B", "C 100%_done"}),
    (ArticleFilter(outlets=("Daily One",)), {"A", "C 100%_done"}),
    (ArticleFilter(date_from="2026-02-01"), {"B"}),
    (ArticleFilter(date_to="2026-01-31"), {"A"}),
    (ArticleFilter(search="100%"), {"C 100%_done"}),
    (ArticleFilter(search="%"), {"C 100%_done"}),
    (ArticleFilter(search="nothing like this"), set()),
])
def test_filters(store, flt, titles):
    arts = _arts()
    store.save((a, _result(a)) for a in arts)
    assert set(store.articles(flt)["title"]) == titles
    assert store.count_articles(flt) == len(titles)
    assert set(store.table("hedges", flt)["article_id"]) == {a.id for a in arts if a.title in titles}


def test_failed_write_leaves_nothing_half_written(store, monkeypatch):
    good, bad = _arts()[:2]
    store.save([(good, _result(good))])
    broken = _result(bad)
    # A finding that cannot be stored (text that is no string) fails after the article row was
    # inserted: the whole batch must roll back.
    object.__setattr__(broken, "hedges", (Hedge(span=(1, 2), text=object(), kind="modal"),))
    with pytest.raises(sqlite3.Error):
        store.save([(bad, broken)])
    assert store.count_articles() == 1
    assert set(store.table("attributions")["article_id"]) == {good.id}


def test_bad_sort_and_table_names_are_refused(store):
    with pytest.raises(StoreError):
        store.articles(order_by="title; DROP TABLE articles")
    with pytest.raises(StoreError):
        store.table("sqlite_master")


def test_not_a_database(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(p)


def test_readonly_missing_database(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.db", readonly=True)


def test_newer_schema_is_refused(tmp_path):
    p = tmp_path / "new.db"
    Store(p).close()
    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer newsaudit"):
        Store(p)


def test_frames_columns():
    arts = _arts()
    dfs = frames((a, _result(a)) for a in arts)
    assert set(dfs) == set(COLUMNS)
    assert len(dfs["articles"]) == 3 and len(dfs["attributions"]) == 3
