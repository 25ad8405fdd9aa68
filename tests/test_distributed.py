"""Distributed audits (audit.distributed): partitions read exactly as a local run reads, and
the same stored findings from ``run_audit`` and from a Dask cluster, even when a worker dies."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from audit.distributed import Partition, plan, read_partition
from audit.ingest import iter_inputs

# --- a generated corpus (no gold data): short news-like texts with sources, hedges, claims

PEOPLE = ["Maria Lopez", "John Carter", "Aisha Khan", "Peter Novak", "Lena Fischer", "Omar Haddad"]
ROLES = ["the mayor", "a spokesperson for the ministry", "the union leader", "an analyst at Brightline Bank",
         "a senior official who asked not to be named", "the committee chair"]
TOPICS = ["the new rail tunnel", "the water tax", "the school closures", "the port expansion",
          "the housing plan", "the hospital merger"]
VERBS = ["said", "told reporters", "warned", "claimed", "argued", "insisted"]


def news(i: int) -> str:
    p, r, t, v = PEOPLE[i % 6], ROLES[(i * 5) % 6], TOPICS[(i * 7) % 6], VERBS[(i * 11) % 6]
    return (
        f"The council voted on {t} on Tuesday after {i + 2} hours of debate.\n\n"
        f"{p}, {r}, {v} that the decision \"could cost the city {i + 3} million dollars\" and may be delayed.\n\n"
        f"According to documents seen by the newspaper, the plan was reportedly changed at the last minute. "
        f"Officials said about {10 * i + 40} jobs would be affected, although that could not be independently verified.\n\n"
        f"Critics argued that {t} would hurt residents. \"This is a mistake,\" {p.split()[1]} said."
    )


def write_corpus(d: Path, n: int = 30) -> list[str]:
    """A JSONL corpus (with a repeated record, a bad line, a blank line and an empty text),
    a CSV with multi-line quoted fields, and a plain-text page; returns the inputs."""
    lines = [json.dumps({"id": f"a{i}", "title": f"Story {i}", "outlet": "Example Times", "text": news(i)})
             for i in range(n)]
    lines.insert(5, "")
    lines.insert(9, "{not json")
    lines.insert(12, json.dumps({"id": "blank", "text": "   "}))
    lines.append(json.dumps({"id": "again", "title": "Story 3", "outlet": "Example Times", "text": news(3)}))
    (d / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "title", "text"])
    for i in range(n, n + 6):
        w.writerow([f"c{i}", f"Row {i}", news(i)])
    (d / "rows.csv").write_text(buf.getvalue(), encoding="utf-8")
    (d / "page.txt").write_text("The Example Times\n\nPort Strike Enters Second Week\n\n" + news(99) + "\n",
                                encoding="utf-8")
    return [str(d / "corpus.jsonl"), str(d / "rows.csv"), str(d / "page.txt")]


# --- partitions: reading every partition of a plan gives exactly what iter_inputs gives

def _records(objs) -> bytes:
    return b"".join((o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objs)


def _csv(rows, newline="\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    return buf.getvalue().encode()


PARTITION_CASES = [
    ("corpus.jsonl", _records({"id": i, "text": f"Story number {i} said the mayor."} for i in range(11))),
    ("corpus.jsonl", b"\xef\xbb\xbf" + _records([{"text": "First."}, b"", b"  ", {"text": "Second."}, b"{bad",
                                                 {"x": 1}, {"text": ""}, {"text": "Third."}, {"text": "Fourth."}])),
    ("corpus.jsonl", _records({"text": f"Only {i}."} for i in range(3)).rstrip(b"\n")),   # no final newline
    ("corpus.jsonl", b""),                                                                  # empty: one error
    ("corpus.jsonl", b"\n\n  \n"),                                                          # blank: one error
    ("rows.csv", _csv([["id", "text"]] + [[str(i), f"Line one of {i}.\nLine two, \"quoted\".\n"] for i in range(9)])),
    ("rows.csv", _csv([["id", "text"]] + [[str(i), f"Row {i}."] for i in range(7)] + [[""], ["8", "Last."]], "\r\n")),
    ("rows.csv", _csv([["id", "text"]] + [[str(i), f"Row {i}\rwith a bare return."] for i in range(7)])),
    ("rows.csv", _csv([["id", "body"]] + [[str(i), f"Row {i}."] for i in range(7)])),      # no text column
    ("rows.tsv", b"id\ttext\n" + b"".join(f"{i}\tTab row {i}.\n".encode() for i in range(8))),
    ("page.txt", b"A headline\n\nThe minister said the plan would work.\n"),
    ("page.txt", b""),                                                                      # empty page
]


def _key(item):
    return (type(item).__name__, getattr(item, "id", None), item.origin, getattr(item, "reason", None),
            getattr(item, "text", None), getattr(item, "external_id", None))


@pytest.mark.parametrize("name, data", PARTITION_CASES)
def test_partitions_read_exactly_what_a_local_run_reads(tmp_path, monkeypatch, name, data):
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    units = list(plan([name], shared=lambda p: True, batch_size=4, per=2))
    assert all(isinstance(u, Partition) for u in units)
    got = [_key(it) for u in units for it in read_partition(u)]
    assert got == [_key(it) for it in iter_inputs([name])]


@pytest.mark.parametrize("name, data, pieces", [
    ("corpus.jsonl", _records({"text": f"Story {i}."} for i in range(11)), 6),   # 2 records per slice
    ("corpus.jsonl", _records([{"text": "One."}]), 1),                            # small: whole file
    ("rows.csv", _csv([["text"]] + [[f"Row {i}\nsecond line"] for i in range(5)]), 3),
    ("rows.csv", _csv([["text"]] + [[f"Row {i}\rbare"] for i in range(5)]), 1),   # not sliceable: whole
    ("page.txt", b"Just a page.\n" * 50, 1),
])
def test_corpora_are_sliced_at_record_boundaries(tmp_path, monkeypatch, name, data, pieces):
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    units = list(plan([name], shared=lambda p: True, batch_size=4, per=2))
    assert sum(len(u.pieces) for u in units) == pieces


def test_paths_workers_cannot_see_are_read_by_the_client(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text("The minister said the plan would work.\n", encoding="utf-8")
    units = list(plan([str(p), str(tmp_path / "missing.txt")], shared=lambda q: False, batch_size=4, per=2))
    assert [type(u) for u in units] == [list, list]
    assert [_key(it) for u in units for it in u] == [_key(it) for it in iter_inputs([str(p), str(tmp_path / "missing.txt")])]


def test_small_files_of_a_directory_share_a_partition(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Story {i}: the minister said it would work.\n", encoding="utf-8")
    units = list(plan([str(tmp_path)], shared=lambda p: True, batch_size=2, per=2))
    assert [len(u.pieces) for u in units] == [2, 2, 1]
    assert [_key(it) for u in units for it in read_partition(u)] == [_key(it) for it in iter_inputs([str(tmp_path)])]


def test_cli_without_dask_says_how_to_install_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from audit.cli import main

    page = tmp_path / "page.txt"
    page.write_text("The minister said the plan would work.\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    res = CliRunner().invoke(main, ["run", str(page), "--db", str(tmp_path / "x.db"), "--scheduler", "local", "-q"])
    assert res.exit_code != 0 and "pip install 'newsaudit[dask]'" in res.output


# --- on a real local cluster --------------------------------------------------------------

distributed = pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'newsaudit[dask]'")


def stored(db: Path) -> dict:
    """Every table of a store as sorted rows (without the audit timestamp), the errors and the aliases."""
    from audit.store import Store
    from audit.tables import COLUMNS

    out = {}
    with Store(db, readonly=True) as s:
        for t in COLUMNS:
            df = s.table(t).drop(columns=["audited_at"], errors="ignore")
            out[t] = sorted(map(tuple, df.astype(str).itertuples(index=False)))
        out["errors"] = sorted(map(tuple, s.errors(10_000)[["origin", "reason"]].itertuples(index=False)))
        out["aliases"] = sorted(map(tuple, s.aliases().astype(str).itertuples(index=False)))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    return write_corpus(d)


@pytest.fixture(scope="module")
def local_store(corpus, tmp_path_factory):
    from audit.pipeline import run_audit
    from audit.store import Store

    db = tmp_path_factory.mktemp("local") / "local.db"
    with Store(db) as s:
        report = run_audit(corpus, s, batch_size=4, sentiment_engine="lexicon")
    assert len(report.audited) == 37 and report.skipped == 1
    got = stored(db)
    # the repeated record is one article, found by either input's id and line
    again = {(ext, origin.rsplit("/", 1)[1]) for aid, ext, origin in got["aliases"] if aid == _article_of(got, "a3")}
    assert again == {("a3", "corpus.jsonl:4"), ("again", "corpus.jsonl:34")}
    assert len(got["aliases"]) == 38 and len(got["errors"]) == len(set(got["errors"])) == 2
    return got


def _article_of(got: dict, external_id: str) -> str:
    return next(r[0] for r in got["articles"] if r[1] == external_id)


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c, \
            Client(c) as client:
        yield c, client


def test_local_cluster_stores_the_same_findings_as_a_local_run(corpus, local_store, tmp_path):
    from audit.distributed import run_distributed
    from audit.store import Store

    db = tmp_path / "dask.db"
    with Store(db) as s:
        report = run_distributed(corpus, s, scheduler="local", workers=2, batch_size=4, sentiment_engine="lexicon",
                                 records_per_partition=4)
    assert len(report.audited) == 37 and report.skipped == 1
    got = stored(db)
    assert got["articles"] and got["attributions"] and got["hedges"]
    assert got == local_store
    with Store(db) as s:  # a second run ships nothing: every article is already audited
        again = run_distributed(corpus, s, scheduler="local", workers=1, batch_size=4, sentiment_engine="lexicon")
    assert again.audited == [] and again.skipped == 38
    assert stored(db) == got  # the rerun updated its errors and aliases, it added none


def test_a_worker_killed_mid_run_leaves_every_article_stored_once(corpus, local_store, cluster, tmp_path):
    from audit.distributed import run_distributed
    from audit.nlp import load_nlp
    from audit.store import Store

    c, client = cluster
    client.wait_for_workers(2, timeout=120)
    pids = client.run(os.getpid)
    killed = []

    def kill_one(article, error):  # after the first result: SIGKILL a worker that is busy
        if killed or article is None:
            return
        busy = [w for w, keys in client.processing().items() if keys and w in pids]
        if busy:
            killed.append(busy[0])
            os.kill(pids[busy[0]], signal.SIGKILL)

    db = tmp_path / "killed.db"
    with Store(db) as s:
        report = run_distributed(corpus, s, scheduler=c.scheduler_address, batch_size=4, sentiment_engine="lexicon",
                                 records_per_partition=4, on_article=kill_one, retries=2)
    assert killed, "no worker was busy to kill"
    assert not [e for e in report.errors if "cluster" in e[1]]
    assert len(report.audited) == 37
    got = stored(db)
    ids = [r[0] for r in got["articles"]]
    assert len(ids) == len(set(ids)) == 37
    assert ids == [r[0] for r in local_store["articles"]]
    for table in ("documents", "attributions", "hedges", "claims", "actors"):  # no article written twice
        keys = [r[:2] for r in got[table]]
        assert len(keys) == len(set(keys)), table
    assert len(got["documents"]) == 37
    # every (re)started worker process loaded the spaCy pipeline once
    client.wait_for_workers(2, timeout=120)
    assert set(client.run(lambda: load_nlp.cache_info().misses).values()) == {1}


def _poison_analysis():
    """Run on the workers: analysis raises for any batch holding a text with "POISON"."""
    import audit.analyze as analyze

    real = getattr(analyze, "real_analyze_batch", analyze.analyze_batch)

    def poisoned(articles, engine):
        if any("POISON" in a.text for a in articles):
            raise RuntimeError("poisoned batch")
        return real(articles, engine)

    analyze.real_analyze_batch = real
    analyze.analyze_batch = poisoned


def _cure_analysis():
    import audit.analyze as analyze

    analyze.analyze_batch = analyze.__dict__.pop("real_analyze_batch", analyze.analyze_batch)


@pytest.mark.parametrize("ship", [False, True], ids=["worker-read", "client-shipped"])
def test_a_partition_that_keeps_failing_is_reported_and_the_rest_completes(corpus, local_store, cluster, tmp_path, ship):
    import cloudpickle

    from audit.distributed import run_distributed
    from audit.ingest import Article
    from audit.store import Store

    c, client = cluster
    bad = tmp_path / "poison.jsonl"
    bad.write_text("".join(json.dumps({"text": news(300 + i) + " POISON"}) + "\n" for i in range(3)), encoding="utf-8")
    inputs = [str(bad)] + corpus
    if ship:  # ready Article objects are read by the client and shipped in batches
        inputs = [a for a in iter_inputs([str(bad)]) if isinstance(a, Article)] + corpus
    cloudpickle.register_pickle_by_value(__import__(__name__))
    client.wait_for_workers(2, timeout=120)
    client.run(_poison_analysis)
    try:
        db = tmp_path / "partial.db"
        with Store(db) as s:
            report = run_distributed(inputs, s, scheduler=c.scheduler_address, batch_size=4,
                                     sentiment_engine="lexicon", records_per_partition=4, retries=1)
    finally:
        client.run(_cure_analysis)
        cloudpickle.unregister_pickle_by_value(__import__(__name__))
    failed = [(o, r) for o, r in report.errors if "cluster" in r]
    assert len(failed) == 3 and all("failed on the cluster after 2 attempts" in r and "poisoned batch" in r
                                    for _, r in failed)
    assert sorted(o for o, _ in failed) == [f"{bad}:{n}" for n in (1, 2, 3)]
    got = stored(db)
    assert {k: v for k, v in got.items() if k != "errors"} == {k: v for k, v in local_store.items() if k != "errors"}


def test_cli_run_on_a_local_cluster(corpus, tmp_path):
    from click.testing import CliRunner

    from audit.cli import main
    from audit.store import Store

    db = tmp_path / "cli.db"
    res = CliRunner().invoke(main, ["run", corpus[2], "--db", str(db), "--scheduler", "local", "--workers", "1",
                                    "--sentiment", "lexicon", "--quiet"])
    assert res.exit_code == 0, res.output
    with Store(db, readonly=True) as s:
        assert s.count_articles() == 1
