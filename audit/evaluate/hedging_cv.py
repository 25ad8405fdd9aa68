"""Choose the optional hedge-cue groups by cross-validation on the Szeged dev files.

    python -m audit.evaluate.hedging_cv GOLD.jsonl [GOLD.jsonl ...] [--folds 5] [--cache DIR]

The optional groups (``audit.analyzers.hedging.OPTIONAL_GROUPS``: expectation verbs and
nouns, possibility modifiers, held attitudes, appearance predicates) are news uncertainty
that the Wikipedia part of the corpus rarely marks. Whether each one runs is chosen here,
not by reading dev errors: every file's sentences are split into folds by ``doc_id``; on
the training folds, groups are added greedily while they raise the mean of the files'
sentence F1 (hedged class) without lowering any one file's by more than ``MAX_LOSS``
(each file must keep its own target); the held-out fold is then scored with and without the chosen
groups. A group goes into ``enabled_groups`` (``audit/data/hedging_cues.json``) when it is
chosen in a majority of folds. Prints the per-fold choices and the held-out figures.

Training-time code: it uses the run-time ``find_hedges`` and ``audit.nlp.pipe`` only.
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from ..analyzers.hedging import EPISTEMIC_KINDS, OPTIONAL_GROUPS, find_hedges
from .common import prf, read_gold


def _hedged(doc, groups) -> bool:
    return any(h.kind in EPISTEMIC_KINDS for h in find_hedges(doc, groups=groups))


def sentence_table(rows, docs) -> list[dict]:
    """Per gold sentence: gold label, doc id, the base prediction and each group's own."""
    out = []
    for row, doc in zip(rows, docs):
        out.append({
            "gold": bool(row["hedged"]),
            "doc": str(row.get("doc_id") or row["id"]),
            "base": _hedged(doc, ()),
            **{g: _hedged(doc, (g,)) for g in OPTIONAL_GROUPS},
        })
    return out


def f1(table, groups) -> float:
    tp = n_pred = n_gold = 0
    for r in table:
        pred = r["base"] or any(r[g] for g in groups)
        tp += pred and r["gold"]
        n_pred += pred
        n_gold += r["gold"]
    return prf(tp, n_pred, n_gold)["f1"]


def fold_of(doc_id: str, k: int) -> int:
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % k


#: A group may cost any one file at most this much training F1 (each file keeps its target).
MAX_LOSS = 0.002


def greedy(tables: list[list[dict]]) -> list[str]:
    """Groups added one at a time while they raise the mean F1 over the files, each without
    lowering any one file's F1 by more than :data:`MAX_LOSS`."""
    chosen: list[str] = []
    per_file = [f1(t, chosen) for t in tables]
    score = sum(per_file) / len(tables)
    while True:
        best = None
        for g in OPTIONAL_GROUPS:
            if g in chosen:
                continue
            now = [f1(t, chosen + [g]) for t in tables]
            if any(n < p - MAX_LOSS for n, p in zip(now, per_file)):
                continue
            s = sum(now) / len(tables)
            if s > score + 1e-9 and (best is None or s > best[1]):
                best = (g, s)
        if best is None:
            return chosen
        chosen.append(best[0])
        score = best[1]
        per_file = [f1(t, chosen) for t in tables]


def _parse(path: Path, rows, cache: Path | None):
    from spacy.tokens import DocBin

    from ..nlp import load_nlp, pipe

    if cache is not None:
        f = cache / (path.stem + ".spacy")
        if f.is_file():
            return list(DocBin().from_disk(f).get_docs(load_nlp().vocab))
    docs = list(pipe(r["text"] for r in rows))
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(cache / (path.stem + ".spacy"))
    return docs


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m audit.evaluate.hedging_cv", description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", help="folder to keep the parses in (DocBin), reused on the next run")
    a = ap.parse_args(argv)
    cache = Path(a.cache) if a.cache else None
    tables, names = [], []
    for p in a.gold:
        path = Path(p)
        rows = read_gold(path)
        tables.append(sentence_table(rows, _parse(path, rows, cache)))
        names.append(path.name)
    k = a.folds
    votes = {g: 0 for g in OPTIONAL_GROUPS}
    held = {n: {"base": [], "chosen": []} for n in names}
    for fold in range(k):
        train = [[r for r in t if fold_of(r["doc"], k) != fold] for t in tables]
        test = [[r for r in t if fold_of(r["doc"], k) == fold] for t in tables]
        chosen = greedy(train)
        for g in chosen:
            votes[g] += 1
        line = []
        for n, t in zip(names, test):
            b, c = f1(t, []), f1(t, chosen)
            held[n]["base"].append(b)
            held[n]["chosen"].append(c)
            line.append(f"{n}: {b:.4f} -> {c:.4f}")
        print(f"fold {fold}: chosen {chosen or '(none)'}; held-out F1 " + "; ".join(line))
    for n in names:
        mb = sum(held[n]["base"]) / k
        mc = sum(held[n]["chosen"]) / k
        print(f"{n}: mean held-out F1 without optional groups {mb:.4f}, with the fold's choice {mc:.4f}")
    enabled = [g for g in OPTIONAL_GROUPS if votes[g] * 2 > k]
    print("votes:", votes)
    print("enabled_groups (chosen in a majority of folds):", enabled)
    for n, t in zip(names, tables):
        print(f"{n}: whole-file F1 base {f1(t, []):.4f}, with enabled groups {f1(t, enabled):.4f}")


if __name__ == "__main__":
    main()
