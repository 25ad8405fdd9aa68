"""Induce the lexicon engine's weights (audit/data/sentiment_weights.json) from NewsMTSC.

A multinomial logistic regression over ``audit.analyzers.sentiment.features`` (VADER
scores, the role-verb lexicon, lemmas about the target and in the sentence), fitted on
NewsMTSC's training file (MIT licence) and selected on its rw dev file. Only feature
weights are stored: no text from the data. Needs scikit-learn (not a runtime dependency).

    python -m audit.training.sentiment.build_lexicon ../shared/eval/sentiment
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def load(path):
    from audit.analyzers.sentiment import features
    from audit.nlp import pipe

    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    X, y = [], []
    for row, doc in zip(rows, pipe((r["text"] for r in rows), batch_size=64)):
        for t in row["targets"]:
            X.append(features(doc, tuple(t["span"])))
            y.append(t["polarity"])
    return X, y


def main(folder: str, out: str = "audit/data/sentiment_weights.json", min_count: int = 3) -> None:
    from collections import Counter

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    d = Path(folder)
    Xtr, ytr = load(d / "newsmtsc_train.jsonl")
    Xrw, yrw = load(d / "newsmtsc_rw_dev.jsonl")
    Xmt, ymt = load(d / "newsmtsc_mt_dev.jsonl")
    counts = Counter(k for f in Xtr for k in f)
    keep = lambda f: {k: v for k, v in f.items() if counts[k] >= min_count}  # noqa: E731
    vec = DictVectorizer()
    A = vec.fit_transform([keep(f) for f in Xtr])
    best = None
    for C in (0.05, 0.1, 0.2, 0.5, 1.0):
        m = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(A, ytr)
        rw = f1_score(yrw, m.predict(vec.transform(Xrw)), average="macro")
        mt = f1_score(ymt, m.predict(vec.transform(Xmt)), average="macro")
        print(f"C={C}: rw {rw:.4f} mt {mt:.4f}", file=sys.stderr)
        if best is None or rw + mt > best[0]:
            best = (rw + mt, C, m)
    _, C, m = best
    names = vec.get_feature_names_out()
    weights = {}
    for j, name in enumerate(names):
        w = [round(float(m.coef_[c][j]), 4) for c in range(3)]
        if any(abs(x) >= 1e-3 for x in w):
            weights[name] = w
    data = {
        "_source": "Induced by tools/build_sentiment_lexicon.py: multinomial logistic regression "
                   f"(C={C}, balanced classes) over audit.analyzers.sentiment.features, fitted on NewsMTSC "
                   "train (Hamborg & Donnay 2021, MIT licence), selected on NewsMTSC rw/mt dev. Weights only.",
        "classes": [str(c) for c in m.classes_],
        "bias": [round(float(b), 4) for b in m.intercept_],
        "weights": weights,
    }
    Path(out).write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {out}: {len(weights)} weights, C={C}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
