"""Property tests: no input makes ingestion raise; bad input is a returned IngestError."""
from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.ingest import Article, IngestError, chrome_spans, iter_inputs, read_html, read_text_page
from audit.ingest.corpus import iter_csv, iter_json, iter_jsonl
from audit.ingest import read_bytes, read_stdin

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text built from page-like pieces, so the rules are exercised, not just random noise
PIECES = st.sampled_from([
    "\n", "\n\n", " ", "By Jane Doe", "Published March 3, 2026", "Related Articles", "Trending",
    "Help us improve.", " - Jo Li/AFP/Getty Images", "(Photo: Ana Bell)", "Credit: X", "REUTERS/Ann Lee",
    "Officials said the talks failed.", "Key Concerns", '"', "“", "”", ":", "Advertisement", "©",
    "The minister, who spoke on Monday, said the plan could fail within weeks", "\r\n", "\u2028", "\t",
])
PAGEISH = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=40).map("".join)


def _ok(results, origin_prefix=""):
    results = list(results)
    for r in results:
        assert isinstance(r, (Article, IngestError))
        if isinstance(r, IngestError):
            assert r.reason and r.origin.startswith(origin_prefix)
        else:
            assert r.text.strip()
    return results


@FAST
@given(PAGEISH)
def test_read_text_page_never_raises(text):
    art = read_text_page(text)
    assert isinstance(art, Article)
    # every body paragraph comes from the page (modulo joining hard-wrapped lines)
    flat = " ".join(text.split())
    for para in art.text.split("\n\n"):
        if para:
            assert " ".join(para.split()) in flat or all(w in flat for w in para.split())
    for part in art.captions + art.subheads + art.boilerplate:
        assert part.strip() == part and part


@FAST
@given(PAGEISH)
def test_chrome_spans_are_valid(text):
    spans = chrome_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
        last = e


@SLOW
@given(st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<h2>", "</h2>", "<figcaption>", "</figcaption>",
                              "<script>", "</script>", "<!--", "-->", "<html>", "<body>", "&amp;", "&#0;", "&#xD800;",
                              "Officials said the vote could be delayed.", "Related Articles", "<", ">", "\x00"]),
             max_size=60).map("".join),
))
def test_read_html_never_raises(html):
    art = read_html(html)
    assert isinstance(art, Article)


@FAST
@given(st.binary(max_size=600), st.sampled_from(["", ".txt", ".html", ".jsonl", ".json", ".csv", ".tsv", ".bin"]))
def test_read_bytes_never_raises(data, kind):
    _ok(read_bytes(data, "in", kind=kind, max_bytes=400), "in")


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["text", "id", "title", "outlet", "url", "published", "x"]), inner, max_size=4),
    max_leaves=10,
)


@FAST
@given(st.lists(st.one_of(JSONISH.map(json.dumps), st.binary(max_size=50).map(lambda b: b.decode("latin-1"))), max_size=8))
def test_jsonl_never_raises(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    out = _ok(iter_jsonl(io.BytesIO(data), "c.jsonl", max_bytes=500), "c.jsonl")
    for r in out:
        if isinstance(r, Article):
            assert r.text in data.decode("utf-8", "replace") or r.text  # text kept exactly (JSON-decoded)
            for s, e in r.skip_spans:
                assert 0 <= s < e <= len(r.text)


@FAST
@given(st.binary(max_size=400))
def test_csv_never_raises(data):
    _ok(iter_csv(io.BytesIO(b"id,text\n" + data), "c.csv", max_bytes=300), "c.csv")
    _ok(iter_csv(io.BytesIO(data), "d.csv", max_bytes=300), "d.csv")


@FAST
@given(st.binary(max_size=400))
def test_stdin_never_raises(data):
    _ok(read_stdin(io.BytesIO(data), max_bytes=300), "<stdin>")


# --- the robustness issue's named cases ---------------------------------------------

@pytest.mark.parametrize(
    "name, content, expect",
    [
        ("huge.txt", b"The minister said the plan could fail. " * 300_000, "too large"),
        ("quotes.txt", b'"' * 1_000_000, "no article text found"),
        ("quoted.txt", b'The minister said ' + b'"' * 900_000 + b' and left.', "article"),
        ("nosentences.txt", b"\n\n".join([b"word"] * 500), "no article text found"),
        ("unpunctuated.txt", b"\n".join([b"word"] * 500), "article"),
        ("deep.html", b"<div>" * 150_000 + b"<p>The minister said the plan could fail on Monday.</p>", "article"),
        ("unclosed.html", b"<html><body>" + b"<b><i>" * 50_000 + b"Officials said it would rain today.", "article"),
        ("binary.txt", bytes(range(256)) * 100, "binary file (not text)"),
        ("huge.jsonl", (json.dumps({"text": "x" * 2_000_000}) + "\n").encode() * 3, "too large"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_robustness_inputs(tmp_path, name, content, expect):
    p = tmp_path / name
    p.write_bytes(content)
    out = _ok(iter_inputs([str(p)], max_bytes=1_000_000))
    assert out
    if expect == "article":
        assert any(isinstance(r, Article) for r in out)
    else:
        assert all(isinstance(r, IngestError) and expect in r.reason for r in out)


@SLOW
@given(st.lists(st.tuples(st.binary(max_size=300), st.sampled_from([".txt", ".html", ".jsonl", ".csv", ".json", ".md", ""])),
                min_size=1, max_size=5))
def test_iter_inputs_on_a_directory_never_raises(files):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        for i, (data, ext) in enumerate(files):
            (Path(tmp) / f"f{i}{ext}").write_bytes(data)
        out = _ok(iter_inputs([tmp], max_bytes=250), tmp)
        named = {r.origin.split(":")[0] for r in out}
        assert len(named) == len(files)  # every file is accounted for: an article or an error


# --- one record's exception is that record's error, in every reader ---------------------------

GOOD_TEXTS = st.text(alphabet="abcdefgh .", min_size=1, max_size=20).filter(str.strip).map(lambda t: f"Officials said {t}")
# lines that raise inside a reader: valid JSON Python will not hold (an integer over
# sys.get_int_max_str_digits digits, nesting past the recursion limit), syntax errors, wrong
# types, undecodable bytes, and a record whose text trips the rules (see ``_trip``)
POISON = st.sampled_from([
    '{"text": "Officials said it.", "n": ' + "9" * 5000 + "}",
    '{"text": "Officials said it.", "id": -' + "1" * 4400 + "}",
    '{"text": "x", "n": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "[" * 100_000,
    '{"text": ' + "{" * 3000,
    '{"text": 5}', '{"text": ["a"]}', "[1, 2]", '"text"', "null", '{"title": "no text"}',
    '{"text": "BOOM said someone."}',
    "\udcff\udcfe not utf-8",
])
LINES = st.lists(st.one_of(GOOD_TEXTS.map(lambda t: ("good", t)), POISON.map(lambda p: ("bad", p))),
                 min_size=1, max_size=8)


@pytest.fixture()
def trip(monkeypatch):
    """Make the text-page rules raise on any text holding "BOOM" (any exception, as a bug would);
    the patch holds for every example a property test draws."""
    import audit.ingest.corpus as corpus

    real = corpus.chrome_spans
    kinds = iter([RuntimeError("rule failed"), RecursionError(), KeyError("k"), MemoryError(), ValueError("v")] * 10_000)

    def chrome(text):
        if "BOOM" in text:
            raise next(kinds)
        return real(text)

    monkeypatch.setattr(corpus, "chrome_spans", chrome)


def _by_origin(results):
    arts = {r.origin: r for r in results if isinstance(r, Article)}
    errs = {}
    for r in results:
        if isinstance(r, IngestError):
            errs.setdefault(r.origin, []).append(r.reason)
    return arts, errs


def _expect_each_line_alone(results, lines, origin_of):
    arts, errs = _by_origin(_ok(results))
    for i, (kind, value) in enumerate(lines, 1):
        origin = origin_of(i)
        if kind == "good":
            assert origin in arts and arts[origin].text == value and origin not in errs, (origin, errs)
        else:
            assert origin not in arts and len(errs.get(origin, ())) == 1, (origin, errs)
    assert set(errs) <= {origin_of(i) for i, (k, _) in enumerate(lines, 1) if k == "bad"}


def _jsonl_bytes(lines) -> bytes:
    return "".join((json.dumps({"text": v}) if k == "good" else v) + "\n" for k, v in lines).encode(
        "utf-8", "surrogateescape")


TRIPPED = settings(SLOW, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@TRIPPED
@given(LINES)
def test_jsonl_line_errors_stay_on_their_line(trip, lines):
    _expect_each_line_alone(iter_jsonl(io.BytesIO(_jsonl_bytes(lines)), "c.jsonl", max_bytes=1_000_000), lines,
                            lambda i: f"c.jsonl:{i}")


@TRIPPED
@given(LINES)
def test_stdin_line_errors_stay_on_their_line(trip, lines):
    # standard input is a corpus when its first line is a JSON object, even one Python cannot hold
    lines = [("good", "Officials said the first line is fine.")] + lines
    _expect_each_line_alone(read_stdin(io.BytesIO(_jsonl_bytes(lines)), max_bytes=1_000_000), lines,
                            lambda i: f"<stdin>:{i}")


def test_stdin_whose_first_line_python_cannot_hold_is_still_a_corpus(trip):
    lines = [("bad", '{"text": "Officials said it.", "n": ' + "9" * 5000 + "}"), ("good", "Officials said two."),
             ("bad", '{"text": "BOOM said someone."}'), ("good", "Officials said four.")]
    _expect_each_line_alone(read_stdin(io.BytesIO(_jsonl_bytes(lines)), max_bytes=1_000_000), lines,
                            lambda i: f"<stdin>:{i}")


@TRIPPED
@given(LINES)
def test_json_list_record_errors_stay_on_their_record(trip, lines):
    # one .json file is one JSON text: only what parses as a whole can be split into records
    lines = [(k, v) for k, v in lines if k == "good" or v.startswith("{") and "[[" not in v and "{{" not in v
             and "\udcff" not in v]
    if not lines:
        return
    body = "[" + ",".join(json.dumps({"text": v}) if k == "good" else v for k, v in lines) + "]"
    _expect_each_line_alone(iter_json(body.encode(), "c.json", max_bytes=1_000_000), lines, lambda i: f"c.json:{i}")


@TRIPPED
@given(st.lists(st.one_of(GOOD_TEXTS.map(lambda t: ("good", t)), st.just(("bad", "BOOM said someone."))),
                min_size=1, max_size=8))
def test_csv_row_errors_stay_on_their_row(trip, rows):
    data = "text\n" + "".join(v + "\n" for _, v in rows)
    # row i of the data is line i + 1 of the file (the header is line 1)
    _expect_each_line_alone(iter_csv(io.BytesIO(data.encode()), "c.csv", max_bytes=1_000_000), rows,
                            lambda i: f"c.csv:{i + 1}")


@pytest.mark.parametrize("name, body", [
    ("c.jsonl", '{"text": "Officials said one."}\n{"text": "x", "n": ' + "9" * 5000 + '}\n{"text": "Officials said three."}\n'),
    ("c.json", '[{"text": "Officials said one."}, {"text": "x", "n": ' + "9" * 5000 + '}, {"text": "Officials said three."}]'),
])
def test_an_integer_python_cannot_hold_loses_only_its_record(tmp_path, name, body):
    p = tmp_path / name
    p.write_text(body)
    out = _ok(iter_inputs([str(p)]))
    assert [r.text for r in out if isinstance(r, Article)] == ["Officials said one.", "Officials said three."]
    assert [(r.origin, r.reason) for r in out if isinstance(r, IngestError)] == [
        (f"{p}:2", "not readable JSON (an integer of 5,000 digits)")]
