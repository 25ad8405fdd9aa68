"""JSONL: one line per article in the ``articles`` schema of ../shared/eval/README.md
(plus ``aliases``, the other inputs read as the same article, when it has any)."""
from __future__ import annotations

import json
from pathlib import Path

from audit.store import ArticleFilter
from audit.tables import FINDING_TABLES, article_record


def iter_records(store, flt=None, *, chunk: int = 500):
    """Article records, streamed in chunks of ``chunk`` articles (bounded memory)."""
    flt = flt or ArticleFilter()
    ids = store.articles(flt, order_by="article_id", descending=False)["article_id"].tolist()
    for i in range(0, len(ids), chunk):
        sub = ArticleFilter(article_ids=tuple(ids[i:i + chunk]))
        arts = store.articles(sub, order_by="article_id", descending=False)
        tables = {t: store.table(t, sub) for t in ("documents",) + FINDING_TABLES}
        tables["aliases"] = store.aliases(sub)
        groups = {t: dict(tuple(df.groupby("article_id"))) for t, df in tables.items()}
        for _, art in arts.iterrows():
            aid = art["article_id"]
            data = {"article": art.to_dict()}
            for t in tables:
                g = groups[t].get(aid)
                data[t] = g if g is not None else tables[t].iloc[0:0]
            data["document"] = data.pop("documents")
            yield article_record(data)


def export_jsonl(store, out: Path, flt=None) -> list[Path]:
    p = out / "articles.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for rec in iter_records(store, flt):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return [p]
