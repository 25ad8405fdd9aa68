"""Robustness end to end: arbitrary and hostile inputs through the analyzers and ``run_audit``.

Ingestion's own fuzz tests live in ``test_ingest_fuzz.py``; these go further, through
parsing, every analyzer and the store: no uncaught exception, every finding's offsets
inside the text, each bad input reported with its origin, and the rest of the batch stored.
Hypothesis example counts are kept small so the file runs in a few minutes.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.executors import analyze_articles
from audit.ingest.article import Article
from audit.pipeline import run_audit
from audit.store import Store

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

GOOD = (
    "Mayor Anna Berg said on Monday that the council may raise the budget by 4 percent. "
    "\"We will not cut services,\" she told reporters in Oslo, according to a city spokesman."
)

# Pieces of news prose and punctuation that analyzers key on, shuffled into odd texts.
PIECES = ("\"", "“", "”", "‘", "’", "'", "«", "»", " said", " says", " told reporters", "Mr. Smith", "the ministry",
          " may", " reportedly", " allegedly", "According to", "sources said", "It was reported that", ":", " — ",
          "(", ")", "...", "\n", "\n\n", " ", ".", ",", "?", "Biden", "Russia", "he", "she", "they", "Photo: AP",
          "1,000", "about", "unverified", "could not be independently verified", "\t", "\u00a0", "\u200b")

newsish = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


def spans_in(obj):
    """Every (start, end) offset pair inside a finding (recursively)."""
    if is_dataclass(obj):
        for f in fields(obj):
            yield from spans_in(getattr(obj, f.name))
    elif isinstance(obj, tuple):
        if len(obj) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in obj):
            yield obj
        else:
            for x in obj:
                yield from spans_in(x)


def audit_one(text: str):
    [(art, res, err)] = list(analyze_articles([Article.build(text, origin="fuzz")], sentiment_engine="lexicon"))
    return art, res, err


def assert_well_formed(text, res, err):
    if res is None:
        assert isinstance(err, str) and err  # a reason, never a silent None
        return
    assert err is None
    for s, e in spans_in(res):
        assert 0 <= s <= e <= len(text), (s, e, len(text))
    for m in (m for a in res.actors for m in a.mentions):
        assert text[m.span[0]:m.span[1]] == m.text


@SETTINGS
@given(text=st.one_of(newsish, any_text))
def test_any_text_is_analyzed_or_reported(nlp, text):
    _, res, err = audit_one(text)
    assert_well_formed(text, res, err)


@pytest.mark.parametrize("text, expect_error", [
    ("", None),                                    # empty: analysed, nothing found
    ("   \n\n\t  ", None),
    ("—— *** —— ### ——", None),                   # no sentences, no words
    ("no punctuation at all just words running on and on " * 40, None),
    ("\"" * 1_000_000, "without whitespace"),      # a million quotation marks
    ("\" " * 40_000, "tokens"),                    # many tokens, each a quotation mark
    ("x" * 1_500_000, "characters"),               # beyond the parser's length limit
    ("\x00\x01\x02 binary \ufffd\ufffd junk \x7f", None),
])
def test_hostile_texts_never_crash_the_analysis(nlp, text, expect_error):
    _, res, err = audit_one(text)
    assert_well_formed(text, res, err)
    if expect_error:
        assert res is None and expect_error in err
    else:
        assert err is None
        if not text.strip() or not any(c.isalpha() for c in text):
            assert res.attributions == () and res.hedges == () and res.claims == () and res.actors == ()


def _bad_inputs(d: Path) -> dict[str, Path]:
    """Input files a newsroom's nightly run might meet, by name."""
    files = {
        "empty.txt": b"",
        "huge.txt": (b"Breaking news paragraph that repeats. " * 280_000)[:10_500_000],  # > 10 MB
        "binary.bin": bytes(range(256)) * 64,
        "invalid_utf8.txt": b"The minister said \xff\xfe\xc3\x28 it was fine.\n" * 3,
        "nested.html": b"<html><body>" + b"<div>" * 50_000 + b"deep" + b"</div>" * 50_000 + b"</body></html>",
        "no_sentences.txt": b"*** --- *** --- ***\n",
        "quotes.txt": b'"' * 1_000_000,
        "bad_lines.jsonl": b'{"id": "x1"}\nnot json\n{"text": 5}\n\xff\xfe\n[1, 2]\n',
        "bad_rows.csv": b"id,title\n1,no text column\n",
        "bad.json": b'{"text": ',
    }
    out = {}
    for name, data in files.items():
        p = d / name
        p.write_bytes(data)
        out[name] = p
    return out


def test_a_batch_of_bad_inputs_reports_each_and_stores_the_rest(tmp_path, nlp):
    bad = _bad_inputs(tmp_path)
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "g1", "text": GOOD}) + "\n"
                    + json.dumps({"id": "g2", "text": GOOD.replace("Oslo", "Bergen")}) + "\n", encoding="utf-8")
    inputs = [str(bad[n]) for n in sorted(bad)[:5]] + [str(good)] + [str(bad[n]) for n in sorted(bad)[5:]]
    with Store(tmp_path / "s.db") as store:
        report = run_audit(inputs, store, sentiment_engine="lexicon")
        stored = store.articles()
        logged = store.errors()
    assert sorted(stored["external_id"]) == ["g1", "g2"]
    assert len(logged) == len(report.errors)
    for name, path in bad.items():
        reasons = [r for origin, r in report.errors if name in origin]
        audited = stored["origin"].str.contains(name, regex=False).any()
        assert reasons or audited, f"{name}: neither stored nor reported"
        assert all(r.strip() for r in reasons)
    for name in ("empty.txt", "huge.txt", "binary.bin", "quotes.txt", "bad_rows.csv", "bad.json"):
        assert any(name in origin for origin, _ in report.errors), name
    # each bad JSONL line is reported with its line number
    assert {o.rsplit(":", 1)[-1] for o, _ in report.errors if "bad_lines.jsonl" in o} >= {"1", "2", "3", "4", "5"}


def test_articles_given_directly_are_checked_too(tmp_path, nlp):
    arts = [Article.build(GOOD, origin="ok-1"), Article.build("\"" * 1_000_000, origin="quotes"),
            Article.build("   ", origin="blank"), Article.build(GOOD + " Again.", origin="ok-2")]
    with Store(tmp_path / "s.db") as store:
        report = run_audit(arts, store, sentiment_engine="lexicon")
        origins = sorted(store.articles()["origin"])
    assert origins == ["ok-1", "ok-2"]
    assert sorted(o for o, _ in report.errors) == ["blank", "quotes"]


FILE_KINDS = (".txt", ".html", ".jsonl", ".csv", ".json", "")


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=600), newsish.map(lambda s: s.encode("utf-8")),
                      st.lists(st.one_of(newsish, any_text), max_size=4).map(
                          lambda ts: "\n".join(json.dumps({"text": t}) for t in ts).encode("utf-8"))),
       ext=st.sampled_from(FILE_KINDS))
def test_any_file_is_audited_or_reported_by_name(nlp, data, ext):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{ext}"
        path.write_bytes(data)
        with Store(Path(tmp) / "s.db") as store:
            report = run_audit([str(path)], store, sentiment_engine="lexicon")
            n = store.count_articles()
    assert n == len(report.audited)
    assert all(path.name in origin and reason for origin, reason in report.errors)
    assert report.audited or report.errors or report.skipped  # every input is accounted for
