"""Learn the loaded-language word list and its two small logistic models from BABE.

    python -m audit.training.loaded.train [../shared/eval/bias/babe_dev.jsonl] [--out audit/data/loaded_lexicon.json]

What it does (every choice by cross-validation, folds grouped by the gold's ``topic``: BABE
carries no article id, and the sentences of one article share its topic, so no article is split
across folds; an outlet grouping would leave folds without left or right outlets):

1. parse every sentence with the same spaCy pipeline as ``newsaudit run``; a token is *marked*
   when it overlaps an occurrence of one of the sentence's ``biased_words``
   (``audit.evaluate.bias.locate_words``);
2. per lemma, ``(marked, seen)`` counts over content tokens; a word's lexicon rate is
   ``(marked + alpha * prior) / (seen + alpha)``;
3. the word model (logistic regression over ``audit.analyzers.loaded.TOKEN_FEATURES``) is fitted
   on rates counted *out of fold* (inner folds), so it learns how far to trust a rate seen n
   times, and what unseen words are worth (VADER valence, part of speech);
4. the sentence model (logistic regression over ``SENTENCE_FEATURES`` of its words'
   probabilities) on the same out-of-fold word probabilities; the sentence threshold
   (macro-F1) and word threshold (word F1) are chosen on those inner out-of-fold predictions;
5. ``alpha`` is chosen by the outer cross-validation's macro-F1; the outer figure printed is
   out of fold throughout (thresholds included). The shipped file is fitted on all of BABE dev.

Only a word list with counts and a few coefficients is written: no sentence of the gold file.
Needs scikit-learn (training only). BABE is AGPL-3.0: so is the data file's provenance (its card).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...analyzers import loaded as L
from ...evaluate.bias import locate_words, score

DEFAULT_GOLD = Path("../shared/eval/bias/babe_dev.jsonl")
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "loaded_lexicon.json"
ALPHAS = (0.5, 1.0, 2.0, 4.0, 8.0)
FOLDS = 5
SEED = 13
DEFAULT_BACKGROUND = Path("../shared/eval/sentiment/newsmtsc_train.jsonl")
MIN_BACKGROUND = 2
BACKGROUND: dict = {}   # lower-cased word -> occurrences in plain news (set by main)


def background_counts(path) -> dict:
    """Occurrences of each lower-cased word (letters only) in a JSONL file's ``text`` fields,
    words seen at least ``MIN_BACKGROUND`` times (NewsMTSC train: news sentences, MIT)."""
    import re
    from collections import Counter

    c: Counter = Counter()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                c.update(w.lower() for w in re.findall(r"[^\W\d_]+", json.loads(line)["text"]))
    return {w: n for w, n in sorted(c.items()) if n >= MIN_BACKGROUND}


@dataclass
class Tok:
    """The token attributes the features read (a parse cached without spaCy objects)."""
    text: str
    lemma_: str
    lower_: str
    pos_: str
    start: int
    end: int
    marked: bool


def parse_rows(rows) -> list[list[Tok]]:
    from ...executors import batched
    from ...nlp import parse_batch

    out = []
    docs = (doc for chunk in batched(rows, 64) for doc in parse_batch([r["text"] for r in chunk], batch_size=64))
    for row, doc in zip(rows, docs):
        occ = [s for spans in locate_words(row["text"], row.get("biased_words") or []) for s in spans]
        toks = []
        for t in doc:
            if not L.is_candidate(t):
                continue
            s, e = t.idx, t.idx + len(t.text)
            toks.append(Tok(t.text, t.lemma_, t.lower_, t.pos_, s, e, any(a < e and s < b for a, b in occ)))
        out.append(toks)
    return out


def group_folds(groups: list[str], k: int) -> list[int]:
    """Fold of each item: whole groups assigned greedily, largest first, to the smallest fold."""
    sizes: dict[str, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    load = [0] * k
    fold_of = {}
    for g in sorted(sizes, key=lambda g: (-sizes[g], g)):
        f = min(range(k), key=lambda i: (load[i], i))
        fold_of[g] = f
        load[f] += sizes[g]
    return [fold_of[g] for g in groups]


def count(parsed, idx) -> tuple[dict, float]:
    counts: dict[str, list[int]] = {}
    b_all = n_all = 0
    for i in idx:
        for t in parsed[i]:
            c = counts.setdefault(L.key(t), [0, 0])
            c[0] += t.marked
            c[1] += 1
            b_all += t.marked
            n_all += 1
    return {k: tuple(v) for k, v in counts.items()}, (b_all / n_all if n_all else 0.0)


def _fit_logistic(X, y, names) -> dict:
    from sklearn.linear_model import LogisticRegression

    X = np.asarray(X, dtype=float)
    mean = X.mean(0)
    scale = X.std(0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((X - mean) / scale, np.asarray(y, dtype=int))
    return {"features": list(names), "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale], "coef": [round(float(v), 6) for v in lr.coef_[0]],
            "intercept": round(float(lr.intercept_[0]), 6)}


def _word_probs(parsed, idx, counts, prior, alpha, token_model) -> list[list[float]]:
    return [[L.linear(token_model, L.token_features(t, counts, prior, alpha, BACKGROUND)) for t in parsed[i]]
            for i in idx]


def gold_word_tokens(rows, parsed) -> list[list[list[int]]]:
    """Per sentence, per gold word: the indices of the tokens overlapping its occurrences."""
    out = []
    for row, toks in zip(rows, parsed):
        occ = locate_words(row["text"], row.get("biased_words") or [])
        out.append([[k for k, t in enumerate(toks) if any(a < t.end and t.start < b for a, b in spans)]
                    for spans in occ])
    return out


def best_sentence_threshold(y, p, grid) -> float:
    """The threshold with the best macro-F1 over biased / not biased (ties: nearest 0.5)."""
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p)

    def macro(t):
        pred = p >= t
        f = []
        for want in (True, False):
            tp = np.sum((pred == want) & (y == want))
            n_p, n_g = np.sum(pred == want), np.sum(y == want)
            f.append(2 * tp / (n_p + n_g) if n_p + n_g else 0.0)
        return sum(f) / 2

    return float(max(grid, key=lambda t: (round(macro(t), 6), -abs(t - 0.5))))


def best_word_threshold(word_p, marked, gold_tokens, grid) -> float:
    """The threshold with the best word F1 (``audit.evaluate.bias`` semantics: a predicted word is
    right when it overlaps a gold word; a gold word is found when a predicted word overlaps it)."""
    q = np.asarray([v for wp in word_p for v in wp])
    m = np.asarray([v for ms in marked for v in ms], dtype=bool)
    best_of_gold = np.asarray([max((wp[k] for k in ks), default=-1.0)
                               for wp, gold in zip(word_p, gold_tokens) for ks in gold])

    def f1(t):
        pred = q >= t
        prec = np.sum(pred & m) / np.sum(pred) if np.sum(pred) else 0.0
        rec = np.mean(best_of_gold >= t) if len(best_of_gold) else 0.0
        return 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    return float(max(grid, key=lambda t: (round(f1(t), 6), -abs(t - 0.5))))


def _preds(rows, parsed, idx, sent_p, word_p, ts, tw) -> list[dict]:
    return [{"id": rows[i]["id"], "biased": sp >= ts,
             "words": [[t.start, t.end] for t, q in zip(parsed[i], wp) if q >= tw]}
            for i, sp, wp in zip(idx, sent_p, word_p)]


def fit(rows, parsed, idx, alpha, groups) -> dict:
    """The lexicon, its two models and thresholds, fitted on the sentences ``idx``."""
    idx = list(idx)
    inner = group_folds([groups[i] for i in idx], FOLDS)
    # word rates counted out of (inner) fold
    oof_feats, oof_y, oof_rows = [], [], []
    for f in range(FOLDS):
        tr = [i for i, g in zip(idx, inner) if g != f]
        te = [i for i, g in zip(idx, inner) if g == f]
        counts, prior = count(parsed, tr)
        for i in te:
            oof_rows.append(i)
            oof_feats.append([L.token_features(t, counts, prior, alpha, BACKGROUND) for t in parsed[i]])
            oof_y.append([t.marked for t in parsed[i]])
    X = [x for fs in oof_feats for x in fs]
    y = [v for ys in oof_y for v in ys]
    token_model = _fit_logistic(X, y, L.TOKEN_FEATURES)
    word_p = [[L.linear(token_model, x) for x in fs] for fs in oof_feats]
    S = [L.sentence_features(wp) for wp in word_p]
    sy = [bool(rows[i]["biased"]) for i in oof_rows]
    sentence_model = _fit_logistic(S, sy, L.SENTENCE_FEATURES)
    sent_p = [L.sentence_probability(sentence_model, wp) for wp in word_p]
    ts = best_sentence_threshold(sy, sent_p, [round(x, 3) for x in np.arange(0.2, 0.8, 0.01)])
    gold = gold_word_tokens([rows[i] for i in oof_rows], [parsed[i] for i in oof_rows])
    tw = best_word_threshold(word_p, oof_y, gold, [round(x, 3) for x in np.arange(0.05, 0.8, 0.01)])
    counts, prior = count(parsed, idx)
    return {"alpha": alpha, "prior": round(prior, 6), "counts": counts, "token_model": token_model,
            "sentence_model": sentence_model, "sentence_threshold": ts, "word_threshold": tw}


def apply(model, rows, parsed, idx) -> list[dict]:
    word_p = _word_probs(parsed, idx, model["counts"], model["prior"], model["alpha"], model["token_model"])
    sent_p = [L.sentence_probability(model["sentence_model"], wp) for wp in word_p]
    return _preds(rows, parsed, idx, sent_p, word_p, model["sentence_threshold"], model["word_threshold"])


def cross_validate(rows, parsed, groups, alpha) -> dict:
    outer = group_folds(groups, FOLDS)
    preds: dict[int, dict] = {}
    for f in range(FOLDS):
        tr = [i for i, g in enumerate(outer) if g != f]
        te = [i for i, g in enumerate(outer) if g == f]
        model = fit(rows, parsed, tr, alpha, groups)
        for i, p in zip(te, apply(model, rows, parsed, te)):
            preds[i] = p
    return score(rows, [preds[i] for i in range(len(rows))])


def data_file(model, cv: dict, dev: dict, gold: Path) -> dict:
    # every lemma seen: one dropped would read as unseen at run time (a different feature)
    words = {w: list(c) for w, c in sorted(model["counts"].items())}
    return {
        "_card": {
            "what": "Loaded-language lexicon engine of newsaudit (audit/analyzers/loaded.py): per lemma, "
                    "[times marked as a biased word, times seen] in BABE dev, plus a word model and a sentence model "
                    "(logistic regressions; standardised features: mean, scale, coef, intercept).",
            "data": "BABE (Spinde et al., Findings of EMNLP 2021), development part (2,644 sentences, 70% of the "
                    "articles). Only word counts are stored here, no sentence.",
            "licence": "BABE is licensed AGPL-3.0; this word list is derived from it and carries that provenance.",
            "background": "'background': occurrences of each word (seen at least twice) in the sentences of NewsMTSC "
                          "train (Hamborg & Donnay, EACL 2021; MIT): how common a word is in plain news.",
            "command": "python -m audit.training.loaded.train ../shared/eval/bias/babe_dev.jsonl",
            "folds": f"{FOLDS} folds grouped by topic (no article id in BABE); nested: thresholds chosen on inner "
                     "out-of-fold predictions; alpha chosen by the outer macro-F1 over " + ", ".join(map(str, ALPHAS)),
            "cross_validated": {k: cv[k] for k in ("macro_f1", "f1_biased", "f1_not_biased", "accuracy",
                                                   "word_precision", "word_recall", "word_f1")},
            "dev_in_sample": {k: dev[k] for k in ("macro_f1", "f1_biased", "f1_not_biased", "accuracy",
                                                  "word_precision", "word_recall", "word_f1")},
        },
        "alpha": model["alpha"],
        "prior": model["prior"],
        "sentence_threshold": model["sentence_threshold"],
        "word_threshold": model["word_threshold"],
        "token_model": model["token_model"],
        "sentence_model": model["sentence_model"],
        "words": words,
        "background": BACKGROUND,
    }


def dump(data: dict) -> str:
    """The data file as JSON with one word per line (readable, and diffs stay small)."""
    parts = []
    for k, v in data.items():
        if isinstance(v, dict) and k in ("words", "background"):
            inner = ",\n".join(f"  {json.dumps(w, ensure_ascii=False)}: {json.dumps(c)}" for w, c in v.items())
            parts.append(f"{json.dumps(k)}: {{\n{inner}\n}}")
        else:
            parts.append(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False, indent=1)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--alphas", default=",".join(map(str, ALPHAS)))
    ap.add_argument("--background", default=str(DEFAULT_BACKGROUND),
                    help="news sentences (JSONL with 'text') for the word-commonness feature; 'none' for none")
    ap.add_argument("--parse-cache", default=None, help="pickle the parse here (and reuse it when present)")
    args = ap.parse_args(argv)
    gold = Path(args.gold)
    if not gold.is_file():
        print(f"{gold}: no such gold file", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    cache = Path(args.parse_cache) if args.parse_cache else None
    if cache is not None and cache.is_file():
        import pickle

        parsed = pickle.loads(cache.read_bytes())
    else:
        print(f"parsing {len(rows)} sentences…", file=sys.stderr)
        parsed = parse_rows(rows)
        if cache is not None:
            import pickle

            cache.write_bytes(pickle.dumps(parsed))
    global BACKGROUND
    if args.background != "none":
        if not Path(args.background).is_file():
            print(f"{args.background}: no such file (the background news text; --background none to go without)",
                  file=sys.stderr)
            return 2
        BACKGROUND = background_counts(args.background)
    groups = [str(r.get("topic") or r.get("outlet") or "") for r in rows]
    results = {}
    for a in (float(x) for x in args.alphas.split(",")):
        results[a] = cross_validate(rows, parsed, groups, a)
        cv = results[a]
        print(f"alpha {a:>4}: CV macro-F1 {cv['macro_f1']:.4f}  word P/R/F1 {cv['word_precision']:.3f}/"
              f"{cv['word_recall']:.3f}/{cv['word_f1']:.3f}", file=sys.stderr)
    alpha = max(results, key=lambda a: (results[a]["macro_f1"], results[a]["word_f1"]))
    model = fit(rows, parsed, range(len(rows)), alpha, groups)
    dev = score(rows, apply(model, rows, parsed, range(len(rows))))
    out = data_file(model, results[alpha], dev, gold)
    Path(args.out).write_text(dump(out), encoding="utf-8")
    print(json.dumps({"alpha": alpha, "cross_validated": out["_card"]["cross_validated"],
                      "dev_in_sample": out["_card"]["dev_in_sample"],
                      "sentence_threshold": model["sentence_threshold"], "word_threshold": model["word_threshold"],
                      "words": len(out["words"])}, indent=1))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
