"""Dashboard response times over a store of 10,000 synthetic audited articles.

Fills a temporary store through ``Store.save`` with made-up articles and findings (no
spaCy: the point is the dashboard, not the analyzers), then times the overview, articles
and article pages through Flask's test client (median and p95 over repeated requests)
and, as a same-process baseline, a bare ``SELECT`` of the rows each page shows.

    python benchmarks/bench_dashboard.py                 # 10,000 articles, 40 requests per page
    python benchmarks/bench_dashboard.py --articles 2000 --requests 20 --keep /tmp/bench.db

Goal (issue 6): p95 under 200 ms for each page. The overview's figures are cached per
store data version and filter; "overview (cold)" empties that cache before every request
(the first view after a write), and is reported but not held to the goal.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from audit.findings import (Actor, ActorSentiment, Attribution, AuditResult, Claim, Hedge, Mention, Readability,
                            SentimentEvidence)
from audit.ingest.article import Article
from audit.store import Store

GOAL_MS = 200.0
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGHIJKL"]
WORDS = ("the council government minister said officials report plan vote budget river bridge week month "
         "could may analysts warned according critics source talks deal security city country new old").split()
KINDS = ("named_person", "named_organization", "anonymous", "unspecified_group", "document", "media")
HEDGE_KINDS = ("modal", "approximator", "reporting", "epistemic")
ACTOR_POOL = [(f"person:actor-{i}", f"Actor {i}", "person") for i in range(150)] + \
             [(f"organization:org-{i}", f"Org {i}", "organization") for i in range(50)]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 26))]
    return " ".join(words).capitalize() + "."


def synthetic(i: int, rng: random.Random) -> tuple[Article, AuditResult]:
    """One made-up article (about 400 words in 20 sentences) with plausible findings."""
    sents = [_sentence(rng) for _ in range(20)]
    text = " ".join(sents)
    spans, pos = [], 0
    for s in sents:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 1
    published = (date(2025, 1, 1) + timedelta(days=rng.randrange(365))).isoformat()
    art = Article.build(text, title=f"Synthetic story {i}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
                        outlet=rng.choice(OUTLETS), published=published, origin=f"synthetic:{i}")
    atts = []
    for n in range(rng.randint(2, 8)):
        s, e = spans[rng.randrange(20)]
        kind = rng.choice(KINDS)
        atts.append(Attribution(content=((s + 10, e),), source=(s, s + 4), cue=(s + 5, s + 9), source_type=kind,
                                form="indirect", direct=False, source_text=text[s:s + 4], cue_text=text[s + 5:s + 9],
                                content_text=text[s + 10:e], source_name=f"source {n}"))
    hedges = []
    for _ in range(rng.randint(2, 10)):
        s, e = spans[rng.randrange(20)]
        hedges.append(Hedge(span=(s, s + 5), text=text[s:s + 5], kind=rng.choice(HEDGE_KINDS), sentence=(s, e)))
    claims = tuple(Claim(span=spans[k], text=sents[k], reason="anonymous_source_only", note="only anonymous sources")
                   for k in rng.sample(range(20), rng.randint(0, 2)))
    actors, sentiments = [], []
    for key, name, typ in rng.sample(ACTOR_POOL, 5):
        ms = tuple(Mention(span=(spans[k][0], spans[k][0] + 3), text=text[spans[k][0]:spans[k][0] + 3])
                   for k in sorted(rng.sample(range(20), rng.randint(1, 4))))
        actors.append(Actor(key=key, name=name, type=typ, mentions=ms, times_quoted=rng.randint(0, 2)))
        score = rng.uniform(-1, 1)
        label = "negative" if score < -0.1 else "positive" if score > 0.1 else "neutral"
        ev = tuple(SentimentEvidence(sentence=spans[k], text=sents[k], score=score, label=label)
                   for k in rng.sample(range(20), 2))
        sentiments.append(ActorSentiment(actor_key=key, score=score, label=label, positive=1, neutral=1, negative=0,
                                         engine="lexicon", evidence=ev))
    words = len(text.split())
    anon = sum(a.source_type == "anonymous" for a in atts) / len(atts)
    summary = {"words": words, "sentences": 20, "attributions": len(atts),
               "attributions_per_100_words": round(100 * len(atts) / words, 3), "anonymous_source_share": anon,
               "hedges": len(hedges), "hedges_per_100_words": round(100 * len(hedges) / words, 3),
               "unverified_claims": len(claims), "actors": len(actors),
               "mean_actor_sentiment": statistics.fmean(s.score for s in sentiments),
               "flesch_reading_ease": 50.0, "flesch_kincaid_grade": 10.0, "gunning_fog": 12.0}
    res = AuditResult(article_id=art.id, attributions=tuple(atts), hedges=tuple(hedges), claims=claims,
                      actors=tuple(actors), sentiments=tuple(sentiments),
                      readability=Readability(50.0, 10.0, 12.0, words, 20, words / 20), sentences=tuple(spans),
                      summary=summary)
    return art, res


def fill(path: Path, n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    ids = []
    with Store(path) as st:
        batch = []
        for i in range(n):
            a, r = synthetic(i, rng)
            batch.append((a, r))
            ids.append(a.id)
            if len(batch) == 500:
                st.save(batch)
                batch = []
        st.save(batch)
    return ids


def _time(fn, reps: int) -> list[float]:
    fn()                                   # warm-up (template compilation, page cache)
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1] if len(xs) > 1 else xs[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=40, help="timed requests per page")
    ap.add_argument("--keep", type=Path, help="write the store here (and keep it) instead of a temp file")
    args = ap.parse_args(argv)

    from webui import create_app

    tmp = None
    if args.keep:
        path = args.keep
        if path.exists():
            path.unlink()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="newsaudit-bench-")
        path = Path(tmp.name) / "bench.db"
    t = time.perf_counter()
    ids = fill(path, args.articles)
    print(f"filled {path} with {len(ids):,} articles in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    app = create_app({"DATABASE": str(path)})
    client = app.test_client()
    rng = random.Random(1)
    conn = sqlite3.connect(path)

    def page(url_fn):
        def go():
            r = client.get(url_fn())
            assert r.status_code == 200, (r.status_code, r.get_data(as_text=True)[:300])
        return go

    def bare(sqls):
        def go():
            aid = rng.choice(ids)
            for sql in sqls:
                conn.execute(sql, (aid,) if "?" in sql else ()).fetchall()
        return go

    finding_tables = ("attributions", "hedges", "claims", "actors", "mentions", "sentiment_evidence", "notes")
    def cold(url: str) -> str:
        app.extensions.get("newsaudit_cache", {}).clear()     # as after a write: figures rebuilt
        return url

    overview_sql = bare([
            "SELECT outlet, COUNT(*), AVG(attributions_per_100_words), AVG(anonymous_source_share), "
            "AVG(hedges_per_100_words), SUM(unverified_claims) FROM articles GROUP BY outlet",
            "SELECT article_id, outlet, title, attributions_per_100_words, hedges_per_100_words FROM articles "
            "ORDER BY published DESC LIMIT 3000",
            "SELECT substr(published, 1, 10), outlet, COUNT(*) FROM articles GROUP BY 1, 2"])
    cases = {
        "overview": (page(lambda: "/"), overview_sql),
        "overview (cold)": (page(lambda: cold("/")), overview_sql),
        "articles": (page(lambda: f"/articles?page={rng.randint(1, 50)}"), bare([
            "SELECT COUNT(*) FROM articles", "SELECT * FROM articles ORDER BY published DESC LIMIT 50 OFFSET 500"])),
        "article": (page(lambda: f"/articles/{rng.choice(ids)}"), bare(
            ["SELECT * FROM articles WHERE article_id = ?", "SELECT * FROM documents WHERE article_id = ?"]
            + [f'SELECT * FROM "{t}" WHERE article_id = ?' for t in finding_tables])),
    }
    print(f"{'page':<16} {'median ms':>10} {'p95 ms':>8} {'bare SQL median ms':>19} {'ratio':>7}  goal p95 < {GOAL_MS:.0f} ms")
    ok = True
    for name, (web, sql) in cases.items():
        w = _time(web, args.requests)
        b = _time(sql, args.requests)
        med, p95, bmed = statistics.median(w), _p95(w), statistics.median(b)
        ok &= p95 < GOAL_MS or "cold" in name
        print(f"{name:<16} {med:>10.1f} {p95:>8.1f} {bmed:>19.2f} {med / bmed if bmed else float('inf'):>7.1f}x"
              f"  {'ok' if p95 < GOAL_MS else 'SLOW'}")
    conn.close()
    if tmp:
        tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
