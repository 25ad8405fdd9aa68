"""Crash safety and concurrency of the store, end to end through ``newsaudit run``.

- kill -9 of a run part-way, then the same run again: every article stored exactly once,
  no partial rows, ``PRAGMA integrity_check`` ok;
- two runs writing to one store at once while a reader polls it: no lost writes, no
  "database is locked" reaching the user;
- an analyzer version bump: old results are kept, marked with their version, and
  re-audited by the next run without ``--force``.

The articles are short synthetic texts generated here (no gold data).
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import ANALYZER_VERSION
from audit.cli import main
from audit.store import Store

PEOPLE = ("Anna Berg", "Tomas Lindqvist", "Maria Okafor", "Daniel Reyes", "Priya Nair", "Jonas Weber")
CITIES = ("Oslo", "Lagos", "Lima", "Pune", "Graz", "Hobart")


def article(i: int) -> dict:
    """A short news-like text with a quote, an indirect attribution, hedges and actors."""
    who, city = PEOPLE[i % len(PEOPLE)], CITIES[(i // len(PEOPLE)) % len(CITIES)]
    text = (
        f"{who}, the mayor of {city}, said on Monday that the council may raise the budget by {i + 3} percent. "
        f"\"We will not cut services in {city},\" {who.split()[0]} told reporters after meeting number {i}. "
        f"Critics reportedly believe the plan could cost about {2 * i + 7} million dollars, "
        f"according to a person familiar with the talks."
    )
    return {"id": f"art-{i}", "text": text, "outlet": "Test Gazette"}


def write_corpus(path: Path, ids) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in ids:
            fh.write(json.dumps(article(i)) + "\n")
    return path


def cli_cmd(*args: str) -> list[str]:
    exe = Path(sys.executable).with_name("newsaudit")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "audit.cli"]
    return base + list(args)


def run_cmd(corpus: Path, db: Path, *extra: str) -> list[str]:
    return cli_cmd("run", str(corpus), "--db", str(db), "--quiet", "--sentiment", "lexicon", *extra)


def count_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def consistency_problems(db: Path) -> list[str]:
    """Every way a store can hold a partial or duplicated article, as readable messages."""
    problems = []
    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        if q("PRAGMA integrity_check") != [("ok",)]:
            problems.append(f"integrity_check: {q('PRAGMA integrity_check')}")
        problems += [f"article {a} has no documents row" for (a,) in q(
            "SELECT article_id FROM articles WHERE article_id NOT IN (SELECT article_id FROM documents)")]
        for table in ("documents", "attributions", "hedges", "claims", "actors", "mentions",
                      "sentiment_evidence", "notes"):
            problems += [f"{table} row of unknown article {a}" for (a,) in q(
                f'SELECT DISTINCT article_id FROM "{table}" WHERE article_id NOT IN (SELECT article_id FROM articles)')]
        for table in ("attributions", "hedges", "claims"):
            problems += [f"{table}: ({a}, n={n}) stored {c} times" for a, n, c in q(
                f'SELECT article_id, n, COUNT(*) c FROM "{table}" GROUP BY article_id, n HAVING c > 1')]
        problems += [f"actors: ({a}, {k}) stored {c} times" for a, k, c in q(
            "SELECT article_id, actor_key, COUNT(*) c FROM actors GROUP BY article_id, actor_key HAVING c > 1")]
        # each article's summary counts match the finding rows stored with it
        checks = {
            "attributions": "SELECT COUNT(*) FROM attributions t WHERE t.article_id = a.article_id",
            "unverified_claims": "SELECT COUNT(*) FROM claims t WHERE t.article_id = a.article_id",
            "actors": "SELECT COUNT(*) FROM actors t WHERE t.article_id = a.article_id",
            "hedges + a.boosters": "SELECT COUNT(*) FROM hedges t WHERE t.article_id = a.article_id",
        }
        for col, sub in checks.items():
            problems += [f"article {a}: {col} = {v} but {c} rows" for a, v, c in q(
                f"SELECT a.article_id, a.{col}, ({sub}) c FROM articles a WHERE a.{col} <> ({sub})")]
        problems += [f"article {a}: actors count {m} mentions, {c} mention rows" for a, m, c in q(
            "SELECT a.article_id, (SELECT COALESCE(SUM(mentions), 0) FROM actors x WHERE x.article_id = a.article_id) m,"
            " (SELECT COUNT(*) FROM mentions x WHERE x.article_id = a.article_id) c FROM articles a WHERE m <> c")]
    return problems


def external_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT external_id FROM articles")]


@pytest.mark.parametrize("n_articles", [240])
def test_kill_9_mid_run_then_rerun_stores_every_article_exactly_once(tmp_path, n_articles):
    corpus = write_corpus(tmp_path / "corpus.jsonl", range(n_articles))
    db = tmp_path / "store.db"
    proc = subprocess.Popen(run_cmd(corpus, db, "--batch-size", "4"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300
    stored_at_kill = 0
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            stored_at_kill = count_articles(db)
            if stored_at_kill:
                break
            time.sleep(0.1)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 0 < stored_at_kill < n_articles, "the kill must land part-way through the run"
    assert not consistency_problems(db)

    again = subprocess.run(run_cmd(corpus, db), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    ids = external_ids(db)
    assert sorted(ids) == sorted(f"art-{i}" for i in range(n_articles))  # all, each once
    assert consistency_problems(db) == []


def test_two_runs_and_a_reader_share_one_store(tmp_path):
    """Overlapping corpora written at once by two processes; the dashboard's reads meanwhile."""
    db = tmp_path / "store.db"
    Store(db).close()  # the store exists before anyone reads it, as for the dashboard
    a = write_corpus(tmp_path / "a.jsonl", range(0, 70))
    b = write_corpus(tmp_path / "b.jsonl", range(50, 120))
    reader_errors: list[str] = []
    reads = [0]
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                with Store(db, readonly=True) as store:
                    store.articles(limit=50)
                    store.count_articles()
                    reads[0] += 1
            except Exception as exc:  # collected and asserted on below
                reader_errors.append(f"{exc.__class__.__name__}: {exc}")
            time.sleep(0.05)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    procs = [subprocess.Popen(run_cmd(c, db, "--batch-size", "2"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in (a, b)]
    try:
        outs = [p.communicate(timeout=600) for p in procs]
    finally:
        stop.set()
        t.join(timeout=30)
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "locked" not in (out + err).lower()
    assert reader_errors == []
    assert reads[0] > 0
    assert sorted(external_ids(db)) == sorted(f"art-{i}" for i in range(120))
    assert consistency_problems(db) == []


def test_store_survives_an_analyzer_version_bump(tmp_path, nlp):
    corpus = write_corpus(tmp_path / "c.jsonl", range(10))
    db = tmp_path / "store.db"
    runner = CliRunner()
    first = runner.invoke(main, ["run", str(corpus), "--db", str(db), "-q", "--sentiment", "lexicon"])
    assert first.exit_code == 0, first.output
    # Simulate results written by an older analyzer: half the articles carry version "0",
    # and every row gets an old timestamp so a re-audit is visible.
    old = "2000-01-01T00:00:00+00:00"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET audited_at = ?", (old,))
        conn.execute("UPDATE articles SET analyzer_version = '0' WHERE external_id IN ('art-0', 'art-3', 'art-7')")
        before = dict(conn.execute("SELECT article_id, attributions FROM articles"))
    with Store(db) as store:
        assert store.stats()["outdated"] == 3
        # old results are kept (with their findings) and marked with their version
        for aid in before:
            data = store.article(aid)
            assert data["document"]["text"]
            assert data["article"]["analyzer_version"] in ("0", ANALYZER_VERSION)
        outdated = set(store.query("SELECT external_id FROM articles WHERE analyzer_version = '0'")["external_id"])
    assert outdated == {"art-0", "art-3", "art-7"}

    second = runner.invoke(main, ["run", str(corpus), "--db", str(db), "-q", "--sentiment", "lexicon"])
    assert second.exit_code == 0, second.output
    with sqlite3.connect(db) as conn:
        rows = {e: (v, at) for e, v, at in conn.execute("SELECT external_id, analyzer_version, audited_at FROM articles")}
    assert len(rows) == 10
    assert all(v == ANALYZER_VERSION for v, _ in rows.values())
    reaudited = {e for e, (_, at) in rows.items() if at != old}
    assert reaudited == {"art-0", "art-3", "art-7"}  # exactly the outdated ones, without --force
    assert consistency_problems(db) == []


@pytest.mark.parametrize("damage, expected", [
    ("DELETE FROM documents WHERE rowid = (SELECT MIN(rowid) FROM documents)", "has no documents row"),
    ("INSERT INTO hedges SELECT * FROM hedges WHERE rowid = (SELECT MIN(rowid) FROM hedges)", "stored 2 times"),
    ("DELETE FROM attributions WHERE rowid = (SELECT MIN(rowid) FROM attributions)", "attributions ="),
    ("DELETE FROM mentions WHERE rowid = (SELECT MIN(rowid) FROM mentions)", "mention rows"),
    ("DELETE FROM articles WHERE rowid = (SELECT MIN(rowid) FROM articles)", "unknown article"),
    ("SELECT 1", None),  # an intact store: nothing reported
])
def test_consistency_check_sees_partial_and_duplicated_articles(tmp_path, nlp, damage, expected):
    corpus = write_corpus(tmp_path / "c.jsonl", range(3))
    db = tmp_path / "store.db"
    res = CliRunner().invoke(main, ["run", str(corpus), "--db", str(db), "-q", "--sentiment", "lexicon"])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(db) as conn:
        conn.execute(damage)
    problems = consistency_problems(db)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems
