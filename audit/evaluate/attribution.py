"""``newsaudit evaluate attribution``: score attributions against PolNeAR-style gold.

The protocol is ../shared/eval/README.md's: gold and predicted attributions of one
article are aligned one-to-one, greedily (best pair first), by the token-F1 of their
content (tokens are ``\\w+``, lower-cased, over all ``content_spans`` pieces); a pair
counts as matched when that token-F1 is >= 0.5. Reported:

- ``content_f1`` (headline, partial match), with precision and recall;
- ``exact_content_f1``: matched pairs whose content pieces cover exactly the same
  characters (leading/trailing whitespace and punctuation of each piece ignored);
- ``source_accuracy`` over matched pairs: both sources null, or the two source spans
  share at least one ``\\w+`` token position;
- ``end_to_end_f1``: matched pairs whose source is also correct;
- ``recall_by_form``: recall of gold attributions by their ``quote_form``.

With ``predictions=PATH`` one line per gold line is written:
``{"id", "attributions": [{"source", "cue", "content_spans", "source_type"}]}``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .common import TOKEN_RE, audit_gold, prf, read_gold, token_f1, tokens_in, write_jsonl

MATCH_THRESHOLD = 0.5
_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")


def _trimmed(text: str, spans) -> frozenset:
    """Character positions covered by the spans, without edge whitespace/punctuation of each piece."""
    out = set()
    for s, e in spans:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip(" \t\n\"'“”‘’«».,:;—–-()"))
        trail = len(piece) - len(piece.rstrip(" \t\n\"'“”‘’«».,:;—–-()"))
        out.update(range(s + lead, e - trail))
    return frozenset(out)


def _token_positions(text: str, span) -> set:
    if span is None:
        return set()
    s, e = span
    return {(s + m.start(), s + m.end()) for m in TOKEN_RE.finditer(text[s:e])}


def source_correct(text: str, gold_source, pred_source) -> bool:
    """Both null, or the two source spans share a word token (by character overlap)."""
    if gold_source is None and pred_source is None:
        return True
    if gold_source is None or pred_source is None:
        return False
    ps, pe = pred_source
    for gs, ge in _token_positions(text, gold_source):
        if gs < pe and ps < ge:
            return True
    return False


def align(text: str, gold: list[dict], pred: list[dict]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one alignment by content token-F1 >= MATCH_THRESHOLD: ``(gold_i, pred_j, f1)``."""
    gtok = [tokens_in(text, g["content_spans"]) for g in gold]
    ptok = [tokens_in(text, p["content_spans"]) for p in pred]
    pairs = []
    for i, gt in enumerate(gtok):
        gset = set(gt)
        for j, pt in enumerate(ptok):
            if not gset.intersection(pt):
                continue
            f = token_f1(gt, pt)
            if f >= MATCH_THRESHOLD:
                pairs.append((f, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), []
    for f, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j, f))
    return out


def prediction_record(att) -> dict:
    """The README's prediction schema for one ``Attribution``."""
    return {
        "source": list(att.source) if att.source is not None else None,
        "cue": list(att.cue) if att.cue is not None else None,
        "content_spans": [list(s) for s in att.content],
        "source_type": att.source_type,
        "kind": att.kind,
    }


def score(rows: list[dict], predicted: dict[str, list[dict]]) -> dict:
    """Metrics for gold ``rows`` against ``predicted[id]`` (lists of prediction records)."""
    n_gold = n_pred = tp = exact = src_ok = 0
    form_gold: Counter = Counter()
    form_hit: Counter = Counter()
    for row in rows:
        text = row["text"]
        gold = row.get("attributions", [])
        pred = predicted.get(str(row["id"]), [])
        n_gold += len(gold)
        n_pred += len(pred)
        for g in gold:
            form_gold[g.get("quote_form") or "unknown"] += 1
        for i, j, _f in align(text, gold, pred):
            g, p = gold[i], pred[j]
            tp += 1
            form_hit[g.get("quote_form") or "unknown"] += 1
            if _trimmed(text, g["content_spans"]) == _trimmed(text, p["content_spans"]):
                exact += 1
            if source_correct(text, g.get("source"), p.get("source")):
                src_ok += 1
    content = prf(tp, n_pred, n_gold)
    return {
        "articles": len(rows),
        "content_f1": content["f1"],
        "content_precision": content["precision"],
        "content_recall": content["recall"],
        "matched": tp,
        "gold": n_gold,
        "predicted": n_pred,
        "exact_content_f1": prf(exact, n_pred, n_gold)["f1"],
        "source_accuracy": round(src_ok / tp, 4) if tp else 0.0,
        "end_to_end_f1": prf(src_ok, n_pred, n_gold)["f1"],
        "recall_by_form": {k: round(form_hit[k] / v, 4) for k, v in sorted(form_gold.items())},
    }


def evaluate(gold_path, *, predictions=None, progress=None) -> dict:
    rows = read_gold(gold_path)
    predicted: dict[str, list[dict]] = defaultdict(list)
    out_rows = []
    for row, res in audit_gold(rows, progress=progress):
        recs = [prediction_record(a) for a in res.attributions]
        predicted[str(row["id"])] = recs
        out_rows.append({"id": row["id"], "attributions": recs})
    if predictions:
        write_jsonl(predictions, out_rows)
    metrics = score(rows, predicted)
    metrics["task"] = "attribution"
    metrics["gold_file"] = str(gold_path)
    return metrics


def source_kind_accuracy(gold_path, *, progress=None) -> dict:
    """Source-kind accuracy on an articles-schema gold file (``../shared/eval/articles``).

    Gold attributions (content = list of pieces) and predicted ones are aligned exactly as
    for PolNeAR (greedy, content token-F1 >= 0.5); accuracy is over matched pairs.
    """
    rows = read_gold(gold_path)
    ok = n = n_gold = n_pred = 0
    confusion: Counter = Counter()
    for row, res in audit_gold(rows, progress=progress):
        text = row["text"]
        gold = [{"content_spans": g["content"]} for g in row.get("attributions", [])]
        pred = [prediction_record(a) for a in res.attributions]
        n_gold += len(gold)
        n_pred += len(pred)
        for i, j, _f in align(text, gold, pred):
            g_type = row["attributions"][i]["source_type"]
            p_type = pred[j]["source_type"]
            n += 1
            ok += g_type == p_type
            confusion[f"{g_type}->{p_type}"] += 1
    return {
        "source_kind_accuracy": round(ok / n, 4) if n else 0.0,
        "matched": n,
        "gold": n_gold,
        "predicted": n_pred,
        "content_recall": round(n / n_gold, 4) if n_gold else 0.0,
        "confusion": dict(sorted(confusion.items())),
    }


SWEEP_CUE_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.7)
SWEEP_KEEP_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


def sweep(gold_path, *, cue_thresholds=SWEEP_CUE_THRESHOLDS, keep_thresholds=SWEEP_KEEP_THRESHOLDS,
          progress=None) -> dict:
    """The trade-off of the learned scorers: the attribution metrics at each pair of cue and
    keep thresholds, and at the shipped pair.

    The gold texts are read and parsed once, as :func:`evaluate` reads them (actors, page
    chrome and all), and only the attribution finder runs again per pair; the shipped pair's
    row equals :func:`evaluate`'s figures. Lower thresholds find more (recall) and keep more
    wrong readings (precision): this shows how much, so a reader can see what a target on
    one side costs on the other. Nothing is written or stored. ``progress(done, total, what)``
    is called after each article parsed and each pair scored.
    """
    from ..analyze import article_attributions, body_actors
    from ..analyzers.attribution.model import load_model
    from ..executors import batched
    from ..nlp import parse_batch
    from .common import gold_article

    model = load_model()
    if model is None:
        raise ValueError("a threshold sweep needs the learned attribution scorers, and they are off "
                         "(NEWSAUDIT_ATTRIBUTION_MODEL) or could not be loaded")
    for name, values in (("cue", cue_thresholds), ("keep", keep_thresholds)):
        if not values or any(not 0.0 <= v <= 1.0 for v in values):
            raise ValueError(f"{name} thresholds must be numbers from 0 to 1, not {list(values)}")
    rows = read_gold(gold_path)
    shipped = (model.threshold, model.keep_threshold)
    pairs = [(c, k) for c in sorted(set(cue_thresholds)) for k in sorted(set(keep_thresholds))]
    if shipped not in pairs:
        pairs.append(shipped)
    total = len(rows) + len(pairs)
    arts = [gold_article(r) for r in rows]
    parsed = []
    for chunk in batched(arts, 16):
        for art, doc in zip(chunk, parse_batch([a.text for a in chunk], batch_size=16)):
            skips = tuple(art.skip_spans)
            parsed.append((doc, skips, body_actors(doc, skips)))
            if progress:
                progress(len(parsed), total, f"parsed {art.external_id or art.origin}")
    points = []
    for n, (cue, keep) in enumerate(pairs, 1):
        m = model.with_thresholds(cue=cue, keep=keep)
        predicted = {str(r["id"]): [prediction_record(a) for a in article_attributions(doc, skips, actors, cue_model=m)]
                     for r, (doc, skips, actors) in zip(rows, parsed)}
        s = score(rows, predicted)
        points.append({"cue_threshold": cue, "keep_threshold": keep, "shipped": (cue, keep) == shipped,
                       **{k: s[k] for k in ("content_f1", "content_precision", "content_recall", "end_to_end_f1")},
                       "indirect_recall": s["recall_by_form"].get("indirect"),
                       "predicted": s["predicted"], "matched": s["matched"]})
        if progress:
            progress(len(rows) + n, total, f"scored cue {cue} / keep {keep}")
    return {"task": "attribution", "gold_file": str(gold_path), "articles": len(rows), "points": points}
