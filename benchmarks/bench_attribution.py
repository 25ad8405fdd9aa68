"""Attribution: newsaudit against textacy's ``direct_quotations`` on PolNeAR dev, and its cost.

    python benchmarks/bench_attribution.py [--gold ../shared/eval/attribution/polnear_dev.jsonl]

On the same parsed PolNeAR dev articles it prints, for both tools, the content F1
(partial, the ../shared/eval/README.md protocol, via ``audit.evaluate.attribution.score``),
end-to-end F1 and articles per second (parse + extraction), and the extra cost of
``find_attributions`` over the bare spaCy parse as a ratio (goal: under 0.10).

textacy (``pip install textacy``) is the library most people try first for quotes; it only
extracts direct quotations. The parse is done once, with the project's pipeline
(``audit.nlp.load_nlp()``), and shared by both tools, so their timings differ only by the
extraction. The PolNeAR file is read from ../shared and never copied.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402


def _textacy_records(doc) -> list[dict]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy refuses a text with an odd number of quotation marks
        return out
    for dq in triples:
        speaker = dq.speaker
        cue = dq.cue
        content = dq.content
        out.append({
            "source": [speaker[0].idx, speaker[-1].idx + len(speaker[-1].text)] if speaker else None,
            "cue": [cue[0].idx, cue[-1].idx + len(cue[-1].text)] if cue else None,
            "content_spans": [[content.start_char, content.end_char]],
            "source_type": "named_person",
        })
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(_corpus.SHARED / "eval" / "attribution" / "polnear_dev.jsonl"))
    ap.add_argument("--repeat", type=int, default=3, help="extraction passes timed (best of)")
    args = ap.parse_args(argv)

    from audit.analyzers.attribution import find_attributions
    from audit.evaluate.attribution import prediction_record, score
    from audit.evaluate.common import read_gold
    from audit.nlp import load_nlp

    gold = Path(args.gold)
    if not gold.is_file():
        sys.exit(f"gold file not found: {gold} (it lives beside the project, in ../shared/eval/attribution/)")
    rows = read_gold(gold)
    nlp = load_nlp()
    nlp("warm up")
    t0 = time.perf_counter()
    docs = list(nlp.pipe([r["text"] for r in rows], batch_size=16))
    parse_s = time.perf_counter() - t0

    def best_of(fn):
        best, result = None, None
        for _ in range(args.repeat):
            t = time.perf_counter()
            result = [fn(d) for d in docs]
            el = time.perf_counter() - t
            best = el if best is None else min(best, el)
        return best, result

    ours_s, ours = best_of(lambda d: [prediction_record(a) for a in find_attributions(d)])
    try:
        tx_s, tx = best_of(_textacy_records)
    except ImportError:
        tx_s, tx = None, None

    n = len(rows)
    report = {"articles": n, "parse_seconds": round(parse_s, 3)}
    if tx is not None:
        report["textacy_articles_with_no_output"] = sum(1 for r in tx if not r)  # refused or no quotes
    m = score(rows, {str(r["id"]): p for r, p in zip(rows, ours)})
    report["newsaudit"] = {
        "content_f1": m["content_f1"], "end_to_end_f1": m["end_to_end_f1"],
        "extract_seconds": round(ours_s, 3), "articles_per_second": round(n / (parse_s + ours_s), 2),
        "overhead_vs_parse": round(ours_s / parse_s, 4),
    }
    if tx is not None:
        mt = score(rows, {str(r["id"]): p for r, p in zip(rows, tx)})
        report["textacy_direct_quotations"] = {
            "content_f1": mt["content_f1"], "end_to_end_f1": mt["end_to_end_f1"],
            "extract_seconds": round(tx_s, 3), "articles_per_second": round(n / (parse_s + tx_s), 2),
        }
    else:
        report["textacy_direct_quotations"] = "not installed (pip install textacy)"
    print(json.dumps(report, indent=1))
    print(f"attribution overhead over the bare parse: {report['newsaudit']['overhead_vs_parse']:.1%} (goal < 10%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
