"""The store on both backends: round trips, idempotent re-runs, filters, transactional writes.

Every test that takes ``db`` runs against SQLite and against PostgreSQL. The PostgreSQL runs
use ``$NEWSAUDIT_TEST_POSTGRES`` (default ``postgresql://newsaudit@127.0.0.1:5432/newsaudit_test``;
``bash .ci/postgres.sh`` starts such a server), one fresh schema per test, and skip when no
server answers (they fail instead when ``$NEWSAUDIT_TEST_POSTGRES`` is set, as in CI).
"""
from __future__ import annotations

import json
import os
import threading
import uuid

import pandas as pd
import pytest

from audit import ANALYZER_VERSION
from audit.findings import (
    Actor, ActorSentiment, Attribution, AuditResult, Claim, Hedge, LoadedSentence, LoadedWord, Mention, Note,
    SentimentEvidence,
)
from audit.ingest.article import Article
from audit.store import ArticleFilter, Store, StoreError, describe_db, dispose_engines, is_url, normalize_db
from audit.tables import COLUMNS, article_record, frames

TEXT = "Officials said the talks stalled. It could rain, reportedly."
PG_ENV = "NEWSAUDIT_TEST_POSTGRES"
PG_URL = os.environ.get(PG_ENV) or "postgresql://newsaudit@127.0.0.1:5432/newsaudit_test"


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
        loaded=(LoadedSentence((0, 33), 0.8, True, words=(LoadedWord((25, 32), "stalled", 0.7),)),),
        sentences=((0, 33), (34, 60)),
        summary={"words": 9, "sentences": 2, "attributions": 1, "hedges": 1, "unverified_claims": 1,
                 "hedges_per_100_words": 11.1, "mean_actor_sentiment": -0.2},
    )


# --- backends ------------------------------------------------------------------------------

def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The test server's URL; skips (or, with $NEWSAUDIT_TEST_POSTGRES set, fails) without one."""
    try:
        import psycopg
        import sqlalchemy  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"PostgreSQL store tests need the postgres extra (pip install 'newsaudit[postgres]'): {exc}")
    try:
        psycopg.connect(_libpq_url(PG_URL), connect_timeout=5).close()
    except psycopg.Error as exc:
        msg = (f"no PostgreSQL server reachable at {describe_db(PG_URL)} ({str(exc).strip()}); "
               f"start one with `bash .ci/postgres.sh` or point ${PG_ENV} at one")
        if os.environ.get(PG_ENV):
            pytest.fail(msg)
        pytest.skip(msg)
    return PG_URL


@pytest.fixture()
def pg_db(pg_server):
    """A URL whose connections work in a fresh, empty schema of the test database."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(_libpq_url(pg_server), autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    yield pg_server + ("&" if "?" in pg_server else "?") + f"options=-csearch_path%3D{schema}"
    dispose_engines()
    with psycopg.connect(_libpq_url(pg_server), autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> str:
    """A fresh database of each backend: an SQLite path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return request.getfixturevalue("pg_db")


@pytest.fixture
def store(db):
    s = Store(db)
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


def test_an_article_twice_in_one_batch_is_stored_once_as_last_given(store):
    a = _arts()[0]
    first, last = _result(a), _result(a)
    object.__setattr__(last, "hedges", (Hedge(span=(49, 60), text="reportedly", kind="evidential"),
                                        Hedge(span=(37, 42), text="could", kind="modal")))
    assert store.save([(a, first), (a, last)]) == 2
    assert store.count_articles() == 1
    assert sorted(store.table("hedges")["text"]) == ["could", "reportedly"]
    assert len(store.table("attributions")) == 1


def test_rows_of_an_article_keep_the_analyzer_order(store):
    a, b = _arts()[:2]
    res = _result(a)
    # not sorted: the analyzer's order, kept through sorts that need not be stable
    keys = [f"person:p{(i * 37) % 41:02d}" for i in range(40)]
    object.__setattr__(res, "actors", tuple(
        Actor(key=k, name=k.split(":")[1], type=k.split(":")[0],
              mentions=(Mention((0, 9), "Officials"), Mention((0, 4), "Offi"))) for k in keys))
    store.save([(b, _result(b)), (a, res)])
    store.save([(a, res)])
    one = ArticleFilter(article_ids=(a.id,))
    assert store.table("actors", one)["actor_key"].tolist() == keys
    assert store.table("mentions", one)[["actor_key", "end"]].values.tolist() == [[k, e] for k in keys for e in (9, 4)]
    assert store.table("mentions")["article_id"].tolist() == sorted([a.id] * 80 + [b.id])


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
    with pytest.raises(store.db_errors):
        store.save([(bad, broken)])
    assert store.count_articles() == 1
    assert set(store.table("attributions")["article_id"]) == {good.id}


def test_bad_sort_and_table_names_are_refused(store):
    with pytest.raises(StoreError):
        store.articles(order_by="title; DROP TABLE articles")
    with pytest.raises(StoreError):
        store.table("sqlite_master")


# --- SQLite only -----------------------------------------------------------------------------

def test_not_a_database(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(p)


def test_readonly_missing_database(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.db", readonly=True)


def test_newer_schema_is_refused(db):
    with Store(db) as st, st.transaction() as c:
        c.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer newsaudit"):
        Store(db)
    with pytest.raises(StoreError, match="newer newsaudit"):
        Store(db, readonly=True)


def test_frames_columns():
    arts = _arts()
    dfs = frames((a, _result(a)) for a in arts)
    assert set(dfs) == set(COLUMNS)
    assert len(dfs["articles"]) == 3 and len(dfs["attributions"]) == 3


# --- both backends: the rest of the store's surface ------------------------------------------

def test_delete_article_and_errors(store):
    arts = _arts()
    store.save((a, _result(a)) for a in arts)
    store.delete_article(arts[0].id)
    assert store.count_articles() == 2
    for t in COLUMNS:
        assert arts[0].id not in set(store.table(t)["article_id"]), t
    store.record_errors([("feed.xml", "HTTP 404"), ("x.pdf", "unsupported type")])
    assert set(store.errors()["origin"]) == {"feed.xml", "x.pdf"}
    assert store.stats() == {"articles": 2, "outdated": 0, "outlets": 2, "errors": 2}


def test_data_version_changes_on_every_write(store):
    a, b = _arts()[:2]
    store.save([(a, _result(a))])
    v1 = store.data_version()
    store.save([(a, _result(a))])          # a re-audit of the same article
    v2 = store.data_version()
    store.save([(b, _result(b))])
    assert len({v1, v2, store.data_version()}) == 3


def test_column_added_since_the_store_was_made(db):
    a = _arts()[0]
    with Store(db) as st:
        st.save([(a, _result(a))])
        with st.transaction() as c:
            c.execute('ALTER TABLE hedges DROP COLUMN "sentence_end"')
    with Store(db) as st:                  # reopening adds the column back; old rows get NULL
        hedges = st.table("hedges")
        assert list(hedges.columns) == list(COLUMNS["hedges"])
        assert hedges["sentence_end"].isna().all()
        st.save([(a, _result(a))])
        assert st.table("hedges")["sentence_end"].tolist() == [60]


def test_concurrent_writers_of_the_same_articles_store_each_once(db):
    """Two runs re-auditing the same articles at the same moment, round after round: after each
    round every finding is stored once (no interleaved delete/insert leaves a second copy)."""
    arts = _arts()
    stores = [Store(db), Store(db), Store(db)]
    counts, failures = [], []

    def check():
        counts.append({t: len(stores[2].table(t)) for t in ("articles", "hedges", "mentions", "notes")})

    go, done = threading.Barrier(2, timeout=60), threading.Barrier(2, action=check, timeout=60)

    def write(st, order):
        try:
            for _ in range(12):
                go.wait()
                st.save((a, _result(a)) for a in order)
                done.wait()
        except Exception as exc:  # reported below, not swallowed
            failures.append(exc)
            go.abort()
            done.abort()

    # the same order in both: without per-article locks their deletes and inserts interleave
    threads = [threading.Thread(target=write, args=(stores[0], arts)),
               threading.Thread(target=write, args=(stores[1], arts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for st in stores:
        st.close()
    assert not failures and not any(t.is_alive() for t in threads)
    assert counts == [dict.fromkeys(("articles", "hedges", "mentions", "notes"), len(arts))] * 12


def test_cli_export_is_the_same_from_either_backend(pg_db, tmp_path):
    from click.testing import CliRunner

    from audit.cli import main

    arts = _arts()
    sqlite_db = str(tmp_path / "e.db")
    for target in (sqlite_db, pg_db):
        with Store(target) as st:
            st.save((a, _result(a)) for a in arts)
    outs = {}
    for name, target in (("sqlite", sqlite_db), ("postgres", pg_db)):
        r = CliRunner().invoke(main, ["export", "--db", target, "--out", str(tmp_path / name)])
        assert r.exit_code == 0, r.output
        outs[name] = sorted(p for p in (tmp_path / name).iterdir())
    assert [p.name for p in outs["sqlite"]] == [p.name for p in outs["postgres"]]
    assert "attributions.csv" in [p.name for p in outs["sqlite"]]
    for a, b in zip(outs["sqlite"], outs["postgres"]):
        fa, fb = pd.read_csv(a), pd.read_csv(b)
        assert len(fa) > 0, a.name
        pd.testing.assert_frame_equal(fa.drop(columns=["audited_at"], errors="ignore"),
                                      fb.drop(columns=["audited_at"], errors="ignore"), obj=a.name)


def test_every_read_gives_the_same_frames_on_both_backends(pg_db, tmp_path):
    arts = _arts()
    stores = [Store(tmp_path / "same.db"), Store(pg_db)]
    for st in stores:
        st.save((a, _result(a)) for a in arts)
        st.record_errors([("bad.html", "empty page")])
    one = ArticleFilter(outlets=("Daily One",))
    reads = {
        "articles": lambda s: s.articles(order_by="title", descending=False).drop(columns="audited_at"),
        "outlet_summary": lambda s: s.outlet_summary(),
        "date_trend": lambda s: s.date_trend(one),
        "actor_summary": lambda s: s.actor_summary(search="OFFICIAL"),     # LIKE ignores ASCII case on both
        "actor_articles": lambda s: s.actor_articles("organization:officials"),
        "article_values": lambda s: s.article_values(["outlet", "words", "hedges_per_100_words"]),
        "totals": lambda s: s.totals(one),
        "stats": lambda s: s.stats(),
        "outlets": lambda s: s.outlets(),
        "count_actors": lambda s: s.count_actors(search="officials"),
        "resolve": lambda s: s.resolve(arts[1].id[:6]),
        "errors": lambda s: s.errors().drop(columns="at"),
        **{f"table {t}": (lambda t: lambda s: s.table(t, one))(t) for t in COLUMNS if t != "articles"},
    }
    for name, read in reads.items():
        a, b = read(stores[0]), read(stores[1])
        if isinstance(a, pd.DataFrame):
            assert not a.empty, name
            pd.testing.assert_frame_equal(a, b, obj=name)
        else:
            assert a == b, name
    for st in stores:
        st.close()


def test_text_sorts_by_code_point_on_both_backends(store):
    titles = ["b", "B", "a", "Z", "é", "_x"]
    arts = [Article.build(f"{TEXT} {i}.", title=t, outlet=t) for i, t in enumerate(titles)]
    store.save((a, _result(a)) for a in arts)
    assert store.outlets() == sorted(titles)
    assert store.articles(order_by="title", descending=False)["title"].tolist() == sorted(titles)


# --- PostgreSQL only -----------------------------------------------------------------------------

def test_postgres_readonly_store_refuses_writes(pg_db):
    a = _arts()[0]
    with pytest.raises(StoreError, match="no newsaudit tables"):
        Store(pg_db, readonly=True)
    Store(pg_db).close()
    with Store(pg_db, readonly=True) as ro:
        assert ro.count_articles() == 0
        with pytest.raises(ro.db_errors, match="read-only"):
            ro.save([(a, _result(a))])
    with Store(pg_db) as rw:               # a pooled read-write connection is not read-only
        assert rw.save([(a, _result(a))]) == 1


def test_unreachable_server_is_a_clear_error_without_the_password():
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    import socket

    with socket.socket() as s:             # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://someone:s3cret@127.0.0.1:{port}/nowhere?connect_timeout=3"
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as info:
        Store(url)
    assert "s3cret" not in str(info.value) and "someone:***@127.0.0.1" in str(info.value)


def test_dashboard_serves_a_postgres_store(pg_db):
    from webui import create_app

    arts = _arts()
    with Store(pg_db) as st:
        st.save((a, _result(a)) for a in arts)
    client = create_app({"DATABASE": pg_db, "TESTING": True}).test_client()
    page = client.get("/")
    assert page.status_code == 200
    assert "<b>3</b><span>articles</span>" in page.get_data(as_text=True)
    page = client.get(f"/articles/{arts[1].id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Daily Two" in html and "a-cue" in html and "l-hedge" in html
    assert client.get("/articles?q=100%25").status_code == 200
    assert client.get("/articles/nothing-like-this").status_code == 404


# --- database names ----------------------------------------------------------------------------

@pytest.mark.parametrize("db, url", [
    ("postgresql://u@h/d", True),
    ("postgresql+psycopg://u:p@h:5433/d?sslmode=require", True),
    ("postgres://u@h/d", True),
    ("PostgreSQL://u@h/d", True),
    ("newsaudit.db", False),
    ("postgresql.db", False),
    ("/data/postgresql/newsaudit.db", False),
    ("mysql://u@h/d", False),
    ("", False),
])
def test_is_url(db, url):
    assert is_url(db) is url
    assert normalize_db(db) == (db if url else os.path.abspath(db))


@pytest.mark.parametrize("db, shown", [
    ("postgresql://alice:pw@db.example/news", "postgresql://alice:***@db.example/news"),
    ("postgresql://alice:p@ss@db.example/news", "postgresql://alice:***@db.example/news"),
    ("postgresql://alice@db.example/news", "postgresql://alice@db.example/news"),
    ("postgresql:///news", "postgresql:///news"),
    ("a:b@c.db", "a:b@c.db"),
])
def test_describe_db_masks_passwords(db, shown):
    assert describe_db(db) == shown


def test_postgres_store_reconnects_after_the_server_dropped_its_connection(pg_db, pg_server):
    import psycopg

    arts = _arts()
    with Store(pg_db) as st:
        st.save([(arts[0], _result(arts[0]))])
        pid = st.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(_libpq_url(pg_server), autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
        assert st.save([(a, _result(a)) for a in arts[1:]]) == 2      # retried on a new connection
        assert st.count_articles() == 3
        assert st.conn.execute("SELECT pg_backend_pid()").fetchone()[0] != pid


def test_newsaudit_run_stores_the_same_findings_in_either_backend(pg_db, tmp_path):
    """The seed article through `newsaudit run` into SQLite and into PostgreSQL: same rows; a
    second run into PostgreSQL leaves one copy; `show` reads it back."""
    from click.testing import CliRunner

    from audit.cli import main
    from conftest import SEED_ARTICLE

    sqlite_db = str(tmp_path / "run.db")
    for target in (sqlite_db, pg_db, pg_db):
        r = CliRunner().invoke(main, ["run", str(SEED_ARTICLE), "--db", target, "--quiet"])
        assert r.exit_code == 0, r.output
    with Store(sqlite_db, readonly=True) as a, Store(pg_db, readonly=True) as b:
        assert a.count_articles() == b.count_articles() == 1
        for t in COLUMNS:
            fa, fb = a.table(t), b.table(t)
            assert len(fa) > 0, t
            pd.testing.assert_frame_equal(fa.drop(columns=["audited_at"], errors="ignore"),
                                          fb.drop(columns=["audited_at"], errors="ignore"), obj=t)
        aid = b.resolve(str(SEED_ARTICLE))
    r = CliRunner().invoke(main, ["show", aid[:10], "--db", pg_db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["id"]


# --- errors once per input and reason; aliases of identical texts (issue 27) ------------------

def test_errors_are_kept_once_per_input_and_reason(store):
    store.record_errors([("feed.xml", "HTTP 404"), ("feed.xml", "HTTP 404"), ("x.pdf", "unsupported type")])
    store.record_errors([("feed.xml", "HTTP 404"), ("feed.xml", "HTTP 500")])
    got = store.errors()
    assert sorted(zip(got["origin"], got["reason"])) == [("feed.xml", "HTTP 404"), ("feed.xml", "HTTP 500"),
                                                         ("x.pdf", "unsupported type")]
    a = Article.build(TEXT, title="A", origin="x.pdf")       # the input now reads: its error goes
    store.save([(a, _result(a))], errors=[("y.txt", "empty file")])
    assert sorted(store.errors()["origin"]) == ["feed.xml", "feed.xml", "y.txt"]


def test_errors_of_an_older_store_are_deduplicated_once(db):
    with Store(db) as s:
        with s.transaction() as c:
            c.execute("DROP TABLE errors")
            c.execute("CREATE TABLE errors (origin TEXT, reason TEXT, at TEXT)")
            c.execute("DELETE FROM meta WHERE key = 'errors_keyed'")
            c.executemany("INSERT INTO errors VALUES (?, ?, ?)",
                          [("a", "r", "2026-01-01"), ("a", "r", "2026-02-01"), ("b", "r", "2026-01-01")])
    with Store(db) as s:
        s.record_errors([("a", "r")])
        got = s.errors()
        assert sorted(zip(got["origin"], got["reason"])) == [("a", "r"), ("b", "r")]


def test_aliases_find_an_article_by_any_input(store):
    a = Article.build(TEXT, title="A", outlet="Daily One", external_id="a1", origin="one.jsonl:1")
    b = Article.build(TEXT, title="A", outlet="Daily One", external_id="b7", origin="two.jsonl:9")
    assert a.id == b.id
    store.save([(a, _result(a))])
    store.save([], aliases=[b])
    store.save([], aliases=[b])                                  # again: no new row
    assert store.count_articles() == 1
    assert {store.resolve(r) for r in ("a1", "b7", "two.jsonl:9", "two.jsonl")} == {a.id}
    assert store.count_articles(ArticleFilter(search="b7")) == 1
    rows = store.aliases()
    assert sorted(zip(rows["external_id"], rows["origin"])) == [("a1", "one.jsonl:1"), ("b7", "two.jsonl:9")]
    assert article_record(store.article(a.id))["aliases"] == [{"id": "b7", "origin": "two.jsonl:9"}]
    store.save([], aliases=[Article.build("Another text.", external_id="orphan")])  # its article is not stored
    with pytest.raises(StoreError, match="no article"):
        store.resolve("orphan")
    store.delete_article(a.id)
    assert store.aliases(ArticleFilter()).query("article_id == @a.id").empty
