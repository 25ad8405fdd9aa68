"""Shared plumbing for the evaluation tasks: reading gold, auditing its texts, metrics."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..executors import analyze_articles
from ..analyzers.claims import token_f1  # noqa: F401  (one implementation, re-exported for the scorers)
from ..ingest.article import Article, IngestError

TOKEN_RE = re.compile(r"\w+")


class GoldFileError(ValueError):
    pass


def read_gold(path) -> list[dict]:
    """Every JSON line of a gold file; a clear error naming the file and line otherwise."""
    p = Path(path)
    if not p.is_file():
        raise GoldFileError(f"{p}: no such gold file")
    rows = []
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise GoldFileError(f"{p}:{n}: not valid JSON ({exc.msg})") from None
            if "text" not in rows[-1] or "id" not in rows[-1]:
                raise GoldFileError(f"{p}:{n}: a gold line needs 'id' and 'text'")
    return rows


def gold_article(row: dict) -> Article:
    """The ``Article`` of one gold line, read as ``newsaudit run`` reads a JSONL line (text as
    given, through the same corpus reader, so recognised page chrome is skipped the same way)."""
    from ..ingest.corpus import record_article

    fields = {k: row[k] for k in ("id", "text", "title", "outlet", "url", "published") if row.get(k) is not None}
    art = record_article(fields, f"gold:{row['id']}", max(len(row["text"]) + 1, 10_000_000))
    if isinstance(art, IngestError):  # an empty gold text: audit it as it is, finding nothing
        art = Article.build(row["text"], external_id=str(row["id"]), origin=f"gold:{row['id']}")
    return art


def audit_gold(rows: list[dict], *, progress=None, with_article: bool = False, **kw) -> Iterator[tuple]:
    """Audit each gold text exactly as ``newsaudit run`` audits a JSONL line (:func:`gold_article`)."""
    for row, (art, res, err) in zip(rows, analyze_articles((gold_article(r) for r in rows), **kw)):
        if err:
            raise RuntimeError(f"{row['id']}: {err}")
        if progress:
            progress(1)
        yield (row, (art, res)) if with_article else (row, res)


def write_jsonl(path, rows: Iterable[dict]) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def tokens_in(text: str, spans) -> list[str]:
    out = []
    for s, e in spans:
        out.extend(m.group(0).lower() for m in TOKEN_RE.finditer(text[s:e]))
    return out


def spans_overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def macro_f1(gold: list[str], pred: list[str], labels=("negative", "neutral", "positive")) -> dict:
    per = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        per[lab] = prf(tp, sum(1 for p in pred if p == lab), sum(1 for g in gold if g == lab))["f1"]
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    return {"macro_f1": round(sum(per.values()) / len(labels), 4), "accuracy": round(acc, 4),
            **{f"f1_{k}": v for k, v in per.items()}, "n": len(gold)}

