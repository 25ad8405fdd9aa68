"""Train the long-tail attribution cue, content and keep scorers of
:mod:`audit.analyzers.attribution.model` on PolNeAR-style gold.

    python -m audit.training.attribution.train ../shared/eval/attribution/polnear_train.jsonl \
        --out audit/data/attribution_cue_model.json

Deterministic (liblinear logistic regression, folds fixed by a hash of the article id). Needs
the ``train`` extra (scikit-learn); nothing here is imported at run time.

1. Every article is parsed and the rule families run; the cue model's examples are the
   verbs, nouns and adjectives outside quotations that no rule used as a cue and whose
   lemma heads a gold cue at least ``--min-lemma`` times in the training file, each with
   its place among the rules' findings (inside a rule attribution's content or not, in a
   sentence with a rule cue or not). The label is whether the token heads a gold cue.
2. The content model's examples are the dependents of every gold cue head; the label is
   whether at least half of the dependent's subtree lies in the gold content.
3. The keep scorer's examples are the finished attributions of the rules and the cue
   model in the forms it judges (with the cue scorer's features of their cue word and, for
   a learned cue, its probability; held with ``--keep-c``); the label is whether they match
   a gold attribution. They are read out of fold: each fold's articles by the cue and
   content models fitted on the other folds, so the keep scorer learns how the cue model
   does on text it has not seen (on its own training articles it is right too often). The
   shipped keep scorer learns from all folds' readings; each fold's, for choosing the
   thresholds, from the other folds' readings.
4. The thresholds are chosen by cross-validation on the training file (``--folds`` parts,
   by a hash of the article id: the models are fitted on the other parts and scored on
   each part in turn), by the folds' mean content F1 plus end-to-end F1 of the whole
   analyzer (rules plus models), the cue and keep thresholds together (points within
   ``TIE`` of the best are a tie, won by the higher recall on indirect attributions); then
   the models are fitted again on the whole file and exported.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

from audit.analyzers import attribution as att
from audit.analyzers.attribution.model import (KEEP_FORMS, CUE_POS, CueModel, child_features, content_dependents,
                                              cue_features, keep_features)

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
CHILD_THRESHOLDS = (0.4, 0.5, 0.6)
KEEP_THRESHOLDS = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
TIE = 0.001  # of content F1 plus end-to-end F1, mean over the folds


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _tokens_of(doc, spans) -> set:
    out = set()
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def gold_cues(row, doc) -> dict:
    """``{cue head token index: content token indices}`` of a gold article."""
    out = {}
    for a in row.get("attributions", []):
        spans = a.get("cue_spans") or ([a["cue"]] if a.get("cue") else [])
        toks = _tokens_of(doc, spans)
        heads = [doc[i] for i in sorted(toks) if doc[i].head.i not in toks or doc[i].head.i == i]
        heads = [t for t in heads if t.pos_ in CUE_POS] or [doc[i] for i in sorted(toks) if doc[i].pos_ in CUE_POS]
        if not heads:
            continue
        head = sorted(heads, key=lambda t: ("VERB", "NOUN", "ADJ").index(t.pos_))[0]
        out.setdefault(head.i, set()).update(_tokens_of(doc, a["content_spans"]))
    return out


def rule_lemmas() -> frozenset:
    """Lemmas whose rule family restricts them on purpose, so the cue model never sees them:
    an evidential needs its infinitive or clause ("seemed tired" is no claim), a belief
    adjective its that-clause, "see"/"regard" their "as" predicate ("saw the new stadium"),
    "find" a document subject or a predicate ("found little unity"), and "declined to
    comment" reports nothing; and actions ("voted", "approved", "investigated") are not
    attitudes at all."""
    lex = att.lexicon()
    return (lex["evidential"] | lex["as_predicate"] | lex["belief_adjectives"] | lex["action_verbs"]
            | frozenset(("find", "decline")))


def examples(rows, docs, lemmas):
    """Cue examples (features, label) and content examples (features, label)."""
    from spacy.strings import get_string_id

    lemma_ids = frozenset(get_string_id(w) for w in lemmas)
    cue_x, cue_y, child_x, child_y = [], [], [], []
    for row, doc in zip(rows, docs):
        text = doc.text
        heads = gold_cues(row, doc)
        quotes = att.quote_spans(text)
        cands = att.rule_candidates(doc)
        for tok, context in att.cue_model_tokens(doc, cands, lemma_ids, quotes):
            cue_x.append(cue_features(tok, context))
            cue_y.append(int(tok.i in heads))
        for h, content in heads.items():
            cue = doc[h]
            for c in content_dependents(cue):
                sub = range(c.left_edge.i, c.right_edge.i + 1)
                child_x.append(child_features(cue, c))
                child_y.append(int(sum(i in content for i in sub) * 2 >= len(sub)))
    return cue_x, cue_y, child_x, child_y


def fit(x, y, *, c: float, min_count: int) -> dict:
    """A logistic regression over binary feature strings: ``{feature: weight}``."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        raise SystemExit(f"cannot fit: all {len(y)} examples have label {y[0] if y else None} "
                         "(the gold file needs cues and non-cues, content and non-content)")
    counts = Counter(f for fs in x for f in set(fs))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: k for k, f in enumerate(names)}
    rows, cols = [], []
    for r, fs in enumerate(x):
        for k in sorted({index[f] for f in fs if f in index}):
            rows.append(r)
            cols.append(k)
    m = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(x), len(names)))
    clf = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, max_iter=1000)
    clf.fit(m, y)
    return {f: round(float(w), 4) for f, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-4}


def train(rows, docs, *, c: float, min_count: int, min_lemma: int) -> dict:
    lemma_counts = Counter()
    for row, doc in zip(rows, docs):
        for h in gold_cues(row, doc):
            lemma_counts[doc[h].lemma_.lower()] += 1
    lemmas = sorted(lem for lem, n in lemma_counts.items() if n >= min_lemma and lem not in rule_lemmas())
    cue_x, cue_y, child_x, child_y = examples(rows, docs, lemmas)
    log(f"{len(lemmas)} cue lemmas; {len(cue_y)} cue examples ({sum(cue_y)} cues), "
        f"{len(child_y)} content examples ({sum(child_y)} in content)")
    return {"lemmas": lemmas, "cue": fit(cue_x, cue_y, c=c, min_count=min_count),
            "child": fit(child_x, child_y, c=c, min_count=min_count)}


def keep_examples(rows, docs, model) -> list:
    """``(features, matched)`` of every finished attribution of the rules and the cue model
    in the forms the keep scorer judges, one list per article."""
    from audit.evaluate.attribution import align, prediction_record

    out = []
    for row, doc in zip(rows, docs):
        found = att.find_attributions(doc, cue_model=model)
        matched = {j for _, j, _ in align(row["text"], row.get("attributions", []),
                                          [prediction_record(a) for a in found])}
        out.append([(keep_features(doc, a), int(j in matched)) for j, a in enumerate(found) if a.form in KEEP_FORMS])
    return out


def fit_keep(examples, *, c: float, min_count: int) -> dict | None:
    """The keep scorer over ``examples`` (lists of :func:`keep_examples`), or None when there
    is nothing to learn (every reading matched, or none did)."""
    x = [f for art in examples for f, _ in art]
    y = [m for art in examples for _, m in art]
    log(f"keep scorer: {len(y)} attributions, {sum(y)} matched")
    if len(set(y)) < 2:
        return None
    return fit(x, y, c=c, min_count=min_count)


def score(rows, docs, model) -> dict:
    from audit.evaluate.attribution import prediction_record
    from audit.evaluate.attribution import score as score_rows

    predicted = {str(r["id"]): [prediction_record(a) for a in att.find_attributions(d, cue_model=model)]
                 for r, d in zip(rows, docs)}
    return score_rows(rows, predicted)


_METRICS = ("content_f1", "content_precision", "content_recall", "end_to_end_f1")


def _mean(scores: list) -> dict:
    """The folds' scores averaged (each a dict of :func:`score`)."""
    out = {k: round(sum(s[k] for s in scores) / len(scores), 4) for k in _METRICS}
    out["indirect_recall"] = round(sum(s["recall_by_form"].get("indirect") or 0.0 for s in scores) / len(scores), 4)
    return out


def _record(grid: list, s: dict, **thresholds) -> float:
    """Log and keep one cross-validated score; returns what the thresholds are chosen on."""
    grid.append({**thresholds, "content_f1": s["content_f1"], "end_to_end_f1": s["end_to_end_f1"],
                 "indirect_recall": s["indirect_recall"]})
    log(" / ".join(f"{k} {v}" for k, v in thresholds.items()) + f": content F1 {s['content_f1']} "
        f"(P {s['content_precision']} R {s['content_recall']}), end-to-end {s['end_to_end_f1']}")
    return s["content_f1"] + s["end_to_end_f1"]


def choose(points: list) -> tuple:
    """The chosen one of ``points``, ``(score, cue threshold, keep threshold, fold-mean
    scores, ...)``: the best score, where points within ``TIE`` of it count as a tie (on a file
    this size neighbouring keep thresholds differ by a few readings), won by the one that
    finds more indirect attributions, then by score, then by the lower cue threshold."""
    top = max(p[0] for p in points)
    return max((p for p in points if p[0] >= top - TIE), key=lambda p: (p[3]["indirect_recall"], p[0], -p[1]))


def _fold(row_id: str, folds: int) -> int:
    """The fold of an article, by a hash of its id (stable across runs and machines)."""
    return min(int(hashlib.sha256(str(row_id).encode()).hexdigest()[:8], 16) * folds // 0x100000000, folds - 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path, help="PolNeAR-style attribution gold (training split)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the model JSON")
    ap.add_argument("--folds", type=int, default=5,
                    help="cross-validation folds the thresholds are chosen on (articles split by a hash of their id)")
    ap.add_argument("--c", type=float, default=0.5, help="inverse L2 regularisation strength")
    ap.add_argument("--keep-c", type=float, default=0.1,
                    help="inverse L2 regularisation strength of the keep scorer (it sees the cue scorer's "
                         "features too, so it is held tighter)")
    ap.add_argument("--min-count", type=int, default=2, help="features seen fewer times are dropped")
    ap.add_argument("--min-lemma", type=int, default=2, help="lemmas heading fewer gold cues are not looked at")
    ap.add_argument("--docs", type=Path, help="a spaCy DocBin of the gold texts, parsed by the same pipeline")
    args = ap.parse_args(argv)
    if args.folds < 2:
        ap.error(f"--folds must be at least 2, not {args.folds}")

    from audit.evaluate.common import read_gold
    from audit.nlp import load_nlp, parse_batch

    rows = read_gold(args.gold)
    nlp = load_nlp()
    if args.docs:
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.docs).get_docs(nlp.vocab))
        if len(docs) != len(rows) or any(d.text != r["text"] for d, r in zip(docs, rows)):
            raise SystemExit(f"{args.docs}: not a parse of {args.gold}")
    else:
        log(f"parsing {len(rows)} articles")
        docs = parse_batch([r["text"] for r in rows], batch_size=16)
    fold_of = [_fold(r["id"], args.folds) for r in rows]
    folds = []
    for k in range(args.folds):
        fit_rows = [r for r, f in zip(rows, fold_of) if f != k]
        fit_docs = [d for d, f in zip(docs, fold_of) if f != k]
        ho_rows = [r for r, f in zip(rows, fold_of) if f == k]
        ho_docs = [d for d, f in zip(docs, fold_of) if f == k]
        if not ho_rows or not fit_rows:
            continue  # (a tiny file: this fold holds no article, or all of them)
        log(f"fold {k + 1}/{args.folds}: fit on {len(fit_rows)} articles, score on {len(ho_rows)}")
        part = train(fit_rows, fit_docs, c=args.c, min_count=args.min_count, min_lemma=args.min_lemma)
        folds.append((part, ho_rows, ho_docs))
    if not folds:
        raise SystemExit(f"{args.gold}: too few articles for {args.folds} folds")
    rules = _mean([score(ho_rows, ho_docs, None) for _, ho_rows, ho_docs in folds])
    log(f"rules alone, mean over the folds: content F1 {rules['content_f1']}, end-to-end {rules['end_to_end_f1']}")

    def cv(keeps=None, **thresholds) -> dict:
        """The folds' mean score of the models fitted on the other folds (with each fold's
        keep scorer from ``keeps``, when given)."""
        keeps = keeps or [None] * len(folds)
        return _mean([score(ho_rows, ho_docs, CueModel({"version": 0, **thresholds, **part,
                                                         **({"keep": keep} if keep else {})}))
                      for (part, ho_rows, ho_docs), keep in zip(folds, keeps)])

    best = None
    grid = []
    for ct in CHILD_THRESHOLDS:
        for t in THRESHOLDS:
            s = cv(threshold=t, child_threshold=ct)
            key = (_record(grid, s, threshold=t, child_threshold=ct), -t)
            if best is None or key > best[0]:
                best = (key, t, ct, s)
    _, t, ct, s = best
    # with the keep scorer behind it, a lower cue threshold may pay: choose both together
    joint = [(s["content_f1"] + s["end_to_end_f1"], t, 0.0, s, None)]
    for t2 in sorted({t, *(x for x in THRESHOLDS if x < t)})[-3:]:
        # the keep scorer learns from readings of articles the cue model was not fitted on
        # (each fold's readings by the models fitted on the other folds), as it meets them
        oof = [keep_examples(ho_rows, ho_docs, CueModel({"version": 0, "threshold": t2, "child_threshold": ct, **part}))
               for part, ho_rows, ho_docs in folds]
        keeps = [fit_keep([a for j, arts in enumerate(oof) if j != k for a in arts],
                          c=args.keep_c, min_count=args.min_count) for k in range(len(folds))]
        if any(k is None for k in keeps):
            continue
        for kt in KEEP_THRESHOLDS:
            ks = cv(keeps, threshold=t2, child_threshold=ct, keep_threshold=kt)
            total = _record(grid, ks, threshold=t2, child_threshold=ct, keep_threshold=kt)
            joint.append((total, t2, kt, ks, oof))
    _, t, kt, s, oof = choose(joint)
    log(f"chosen: threshold {t}, content threshold {ct}, keep threshold {kt}; fitting on all {len(rows)} articles")
    full = train(rows, docs, c=args.c, min_count=args.min_count, min_lemma=args.min_lemma)
    if kt > 0:  # (None when the whole file gives it nothing to learn: then no filter)
        full["keep"] = fit_keep([a for arts in oof for a in arts], c=args.keep_c, min_count=args.min_count)
    out = {
        "version": 1,
        "trained_on": args.gold.name,
        "articles": len(rows),
        "options": {"c": args.c, "keep_c": args.keep_c, "min_count": args.min_count, "min_lemma": args.min_lemma,
                    "folds": args.folds},
        "cross_validation": {"folds": args.folds, "rules_alone": {k: rules[k] for k in ("content_f1", "end_to_end_f1")},
                             "chosen": {k: s[k] for k in _METRICS}, "grid": grid},
        "threshold": t,
        "child_threshold": ct,
        "keep_threshold": kt,
        **full,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {args.out}: {len(full['cue'])} cue and {len(full['child'])} content weights")
    return 0


if __name__ == "__main__":
    sys.exit(main())
