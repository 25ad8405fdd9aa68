"""The command line, through click's CliRunner (and one real subprocess for start-up)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.store import Store

GOOD = """The Example Times

Council Approves New Budget After Long Debate

The city council approved the budget on Monday after a six-hour debate, officials said.
Mayor Ana Ruiz said the plan "protects every library in the city" and could be revised in the spring.

Critics argued that the cuts to bus routes would hurt commuters.
"""


@pytest.fixture
def runner():
    return CliRunner()


def test_help_does_not_import_spacy():
    code = "import sys; from audit.cli import main; assert 'spacy' not in sys.modules and 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
    out = subprocess.run([sys.executable, "-m", "audit.cli", "--help"], capture_output=True, text=True, check=True)
    for cmd in ("run", "show", "export", "evaluate", "serve"):
        assert cmd in out.stdout


def test_bad_inputs_are_named_and_the_good_one_is_audited(runner, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (d / "latin.txt").write_bytes("Caf\xe9 cr\xe8me said the owner. ".encode("latin-1") + b"\xff\xfe\xfa" * 10)
    db = tmp_path / "a.db"
    res = runner.invoke(main, ["run", str(d), "--db", str(db), "--quiet"])
    assert res.exit_code == 0, res.output
    with Store(db, readonly=True) as st:
        arts = st.articles()
        errors = st.errors()
    assert list(arts["outlet"]) == ["The Example Times"]
    reasons = {o.rsplit("/", 1)[-1]: r for o, r in zip(errors["origin"], errors["reason"])}
    assert set(reasons) == {"empty.txt", "binary.txt", "latin.txt"}, reasons
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin.txt"] or "decod" in reasons["latin.txt"]


def test_rerun_skips_and_force_reaudits(runner, tmp_path):
    f = tmp_path / "good.txt"
    f.write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "a.db")
    assert runner.invoke(main, ["run", str(f), "--db", db, "--quiet"]).exit_code == 0
    res = runner.invoke(main, ["run", str(f), "--db", db])
    assert res.exit_code == 0 and "skipped 1" in res.output, res.output
    res = runner.invoke(main, ["run", str(f), "--db", db, "--force"])
    assert res.exit_code == 0 and "audited 1" in res.output, res.output
    with Store(db, readonly=True) as st:
        assert st.count_articles() == 1


def test_nothing_audited_exits_non_zero(runner, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    res = runner.invoke(main, ["run", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "a.db"), "--quiet"])
    assert res.exit_code != 0
    assert "nothing could be audited" in res.output
    res = runner.invoke(main, ["run", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "a.db"), "--quiet"])
    assert res.exit_code != 0


def test_stdin(runner, tmp_path):
    db = str(tmp_path / "a.db")
    res = runner.invoke(main, ["run", "-", "--db", db, "--quiet"], input=GOOD)
    assert res.exit_code == 0, res.output
    with Store(db, readonly=True) as st:
        assert st.count_articles() == 1


def test_jsonl_ids_and_offsets_survive_export(runner, tmp_path):
    corpus = tmp_path / "c.jsonl"
    texts = ["Officials said the bridge could reopen in about two weeks.",
             "The minister said on Tuesday that taxes would not rise."]
    corpus.write_text("\n".join(json.dumps({"id": f"doc-{i}", "text": t, "outlet": "Wire"})
                                for i, t in enumerate(texts)) + "\n", encoding="utf-8")
    db = str(tmp_path / "a.db")
    assert runner.invoke(main, ["run", str(corpus), "--db", db, "--quiet"]).exit_code == 0
    out = tmp_path / "out"
    res = runner.invoke(main, ["export", "--out", str(out), "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = {r["id"]: r for r in map(json.loads, (out / "articles.jsonl").read_text().splitlines())}
    assert set(recs) == {"doc-0", "doc-1"}
    for i, t in enumerate(texts):
        r = recs[f"doc-{i}"]
        assert r["text"] == t
        for h in r["hedges"]:
            assert t[h["span"][0]:h["span"][1]] == h["text"]
        for a in r["attributions"]:
            for s, e in a["content"]:
                assert 0 <= s < e <= len(t)


def test_export_csv_files_and_filters(runner, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "text": "Police said the road was closed.", "outlet": "One", "published": "2026-01-02"}) + "\n"
        + json.dumps({"id": "b", "text": "Analysts said prices may fall.", "outlet": "Two", "published": "2026-03-01"}) + "\n",
        encoding="utf-8")
    db = str(tmp_path / "a.db")
    assert runner.invoke(main, ["run", str(corpus), "--db", db, "--quiet"]).exit_code == 0
    out = tmp_path / "csv"
    res = runner.invoke(main, ["export", "--out", str(out), "--db", db, "--outlet", "Two"])
    assert res.exit_code == 0, res.output
    import pandas as pd

    from audit.tables import COLUMNS

    for name in ("articles", "attributions", "hedges", "claims", "actors"):
        df = pd.read_csv(out / f"{name}.csv")
        assert list(df.columns) == list(COLUMNS[name])
    arts = pd.read_csv(out / "articles.csv")
    assert list(arts["external_id"]) == ["b"]
    res = runner.invoke(main, ["export", "--out", str(tmp_path / "none"), "--db", db, "--from", "2027-01-01"])
    assert res.exit_code == 1 and "no article was published from 2027-01-01" in res.output   # says why
    assert not (tmp_path / "none").exists()


def test_show_unknown_article_and_missing_db(runner, tmp_path):
    res = runner.invoke(main, ["show", "nope", "--db", str(tmp_path / "absent.db")])
    assert res.exit_code != 0 and "no such database" in res.output
    Store(tmp_path / "a.db").close()
    res = runner.invoke(main, ["show", "nope", "--db", str(tmp_path / "a.db")])
    assert res.exit_code != 0 and "no article 'nope'" in res.output


def test_evaluate_on_a_small_gold_file(runner, tmp_path):
    """The protocol on a tiny hand-made gold file (not gold data): predictions one line per gold line."""
    gold = tmp_path / "g.jsonl"
    text = "The senator said the vote could be delayed."
    gold.write_text(json.dumps({"id": "s1", "text": text, "hedged": True,
                                "cues": [{"span": [26, 31], "text": "could", "type": "speculation_modal_probable_"}]})
                    + "\n" + json.dumps({"id": "s2", "text": "The vote was held on Monday.", "hedged": False, "cues": []})
                    + "\n", encoding="utf-8")
    pred = tmp_path / "p.jsonl"
    res = runner.invoke(main, ["evaluate", "hedging", str(gold), "--predictions", str(pred), "--json"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in pred.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["s1", "s2"]
    assert lines[0]["hedged"] is True and lines[1]["hedged"] is False
    assert json.loads(res.output)


def test_evaluate_missing_or_broken_gold(runner, tmp_path):
    res = runner.invoke(main, ["evaluate", "attribution", str(tmp_path / "nope.jsonl")])
    assert res.exit_code != 0 and "no such gold file" in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "x"}\n{not json\n', encoding="utf-8")
    res = runner.invoke(main, ["evaluate", "attribution", str(bad)])
    assert res.exit_code != 0 and "bad.jsonl:2" in res.output


def test_evaluate_sweep_prints_the_threshold_table(runner, tmp_path):
    text = "Officials said the talks had stalled. The bridge opened in 1932."
    s = text.index("the talks")
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": text, "attributions": [
        {"content_spans": [[s, s + 21]], "source": [0, 9], "quote_form": "indirect"}]}) + "\n", encoding="utf-8")
    res = runner.invoke(main, ["evaluate", "attribution", str(gold), "--sweep", "--cue-thresholds", "0.2,0.5",
                               "--keep-thresholds", "0,0.5"])
    assert res.exit_code == 0, res.output
    rows = [line for line in res.output.splitlines() if line.strip() and line.split()[0][0].isdigit()]
    assert len(rows) in (4, 5)  # the four pairs, and the shipped pair when it is not among them
    assert sum(line.endswith(" *") for line in rows) == 1
    res = runner.invoke(main, ["evaluate", "attribution", str(gold), "--sweep", "--json", "--cue-thresholds", "0.3",
                               "--keep-thresholds", "0.4"])
    assert res.exit_code == 0, res.output
    points = json.loads(res.output[res.output.index("{"):])["points"]
    assert points[0]["cue_threshold"] == 0.3 and points[0]["content_f1"] == 1.0


@pytest.mark.parametrize("args, message", [
    (["evaluate", "hedging", "G", "--sweep"], "--sweep is for the attribution task"),
    (["evaluate", "attribution", "G", "--cue-thresholds", "0.2"], "go with --sweep"),
    (["evaluate", "attribution", "G", "--sweep", "--cue-thresholds", "0.2,x"], "not a comma-separated list"),
    (["evaluate", "attribution", "G", "--sweep", "--keep-thresholds", "2"], "from 0 to 1"),
    (["evaluate", "attribution", "G", "--sweep", "--predictions", "p.jsonl"], "writes no predictions"),
])
def test_evaluate_sweep_refuses_bad_options(runner, tmp_path, args, message):
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "a", "text": "x", "attributions": []}) + "\n", encoding="utf-8")
    res = runner.invoke(main, [str(gold) if a == "G" else a for a in args])
    assert res.exit_code != 0 and message in res.output, res.output
