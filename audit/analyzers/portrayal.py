"""Article-level portrayal of each actor: how the article as a whole casts it.

The sentence-level engines (``audit.analyzers.sentiment``) give, for every sentence that
mentions an actor, (negative, neutral, positive) probabilities toward it. A reader judges
the whole article, so the label is not a fixed threshold on their mean but a small learned
model over the actor's *profile* in the article:

- the distribution of its sentence probabilities (means, extremes, counts per class, a
  sum that grows with repeated evidence);
- where those sentences sit (the lead sentence and paragraph, the last paragraph);
- the actor's role in them (grammatical subject or object, object of a praise/blame verb
  of the role lexicon, speaker of an attribution, mentioned inside what others are
  reported to have said, inside quotation marks), how often it is quoted;
- its salience (share of the article's actor mentions, share of sentences) and the tone
  of the article around it (VADER over its sentences and over the whole text).

:func:`actor_profile` computes the profile (plain JSON-able data: the training command
caches it), :func:`profile_features` turns it into named numbers, and :func:`portray`
applies the multinomial logistic regression stored in ``audit/data/portrayal_model.json``
(trained by ``python -m audit.training.portrayal.train``; numpy only at run time).
"""
from __future__ import annotations

import bisect
import functools
import json
import math
import re
from importlib import resources

import numpy as np

LABELS = ("negative", "neutral", "positive")
MODEL_FILE = "portrayal_model.json"


# --- the profile: what the article says about one actor, as plain data ---------------------

def doc_layout(doc) -> dict:
    """Per-document facts every actor's profile shares: sentence starts, paragraph starts,
    the article's mean sentence tone (VADER compound)."""
    from .sentiment import sentence_tone

    text = doc.text
    sents = [s for s in doc.sents if text[s.start_char:s.end_char].strip()]
    starts = [s.start_char for s in sents]
    # a paragraph starts the text and after each line break (blank lines do not make empty ones)
    pars = [0] + [m.end() for m in re.finditer(r"\n\s*", text) if m.end() < len(text)]
    tones = [sentence_tone(text[s.start_char:s.end_char]) for s in sents]
    return {"sent_starts": starts, "par_starts": pars,
            "tone": sum(tones) / len(tones) if tones else 0.0, "n_sent": len(starts)}


def _index(starts: list[int], pos: int) -> int:
    return max(bisect.bisect_right(starts, pos) - 1, 0)


def actor_profile(doc, actor, sentences, *, attributions=(), actors=(), layout=None) -> dict:
    """The profile of ``actor`` in ``doc``.

    ``sentences``: ``(span, probs, mention_spans)`` per sentence that mentions the actor
    (outside its own reported words), ``probs`` = (neg, neu, pos) toward it.
    ``attributions`` and ``actors``: the article's (for the speaker / reported roles and the
    actor's salience). ``layout``: :func:`doc_layout` of ``doc`` (computed when not given).
    """
    from .sentiment import mention_role, sentence_tone

    layout = layout or doc_layout(doc)
    text = doc.text
    n_par = len(layout["par_starts"])
    own = [a for a in attributions if getattr(a, "actor_key", None) == actor.key]
    others = [a for a in attributions if getattr(a, "actor_key", None) != actor.key]
    rows = []
    for (s, e), probs, mspans in sentences:
        roles = [mention_role(doc, m) for m in mspans]
        rows.append({
            "probs": [round(float(p), 4) for p in probs],
            "tone": round(sentence_tone(text[s:e]), 4),
            "sent": _index(layout["sent_starts"], s),
            "par": _index(layout["par_starts"], s),
            "subj": int(any(r[0] == "subj" for r in roles)),
            "obj": int(any(r[0] == "obj" for r in roles)),
            "role": round(max((r[1] for r in roles), key=abs, default=0.0), 4),
            "speaker": int(any(a.source and s <= a.source[0] < e for a in own)),
            "reported": int(any(any(cs <= m[0] and m[1] <= ce for cs, ce in a.content for m in mspans)
                                for a in others)),
            "quoted": int(any(r[2] for r in roles)),
        })
    total = sum(len(a.mentions) for a in actors) or len(actor.mentions) or 1
    first = min((m.span[0] for m in actor.mentions), default=len(text))
    return {
        "n_sent": layout["n_sent"], "n_par": n_par, "doc_tone": round(layout["tone"], 4),
        "mentions": len(actor.mentions), "mention_share": round(len(actor.mentions) / total, 4),
        "rank": 1 + sum(1 for a in actors if len(a.mentions) > len(actor.mentions)),
        "times_quoted": len(own), "first": round(first / max(len(text), 1), 4),
        # the tone of the actor's own reported words (a hopeful athlete, a defiant suspect)
        "own_tones": [round(sentence_tone(" ".join(text[cs:ce] for cs, ce in a.content)), 4) for a in own],
        "sentences": rows,
    }


# --- features: the profile as named numbers ---------------------------------------------

def _mean(xs) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0


def profile_features(p: dict) -> dict[str, float]:
    """Named numeric features of one profile (the portrayal model's inputs)."""
    rows = p["sentences"]
    n = len(rows)
    f: dict[str, float] = {}
    neg = [r["probs"][0] for r in rows]
    neu = [r["probs"][1] for r in rows]
    pos = [r["probs"][2] for r in rows]
    sc = [b - a for a, b in zip(neg, pos)]
    lab = [max(range(3), key=lambda k: r["probs"][k]) for r in rows]
    f["n_sent_log"] = math.log1p(n)
    f["mean_neg"], f["mean_neu"], f["mean_pos"] = _mean(neg), _mean(neu), _mean(pos)
    f["mean_score"] = _mean(sc)
    f["sum_score"] = sum(sc) / math.sqrt(n) if n else 0.0
    f["max_pos"] = max(pos, default=0.0)
    f["max_neg"] = max(neg, default=0.0)
    f["top2_pos"] = _mean(sorted(pos, reverse=True)[:2])
    f["top2_neg"] = _mean(sorted(neg, reverse=True)[:2])
    for k, name in enumerate(LABELS):
        c = sum(1 for x in lab if x == k)
        f[f"frac_{name}"] = c / n if n else 0.0
        f[f"count_{name}_log"] = math.log1p(c)
    f["any_polar_both"] = float(any(x == 0 for x in lab) and any(x == 2 for x in lab))
    # position: the lead sentence, the first and last paragraphs; earlier sentences weigh more
    n_sent = max(p["n_sent"], 1)
    w = [1.0 / (1.0 + r["sent"] / 3.0) for r in rows]
    f["lead_weighted_score"] = sum(a * b for a, b in zip(w, sc)) / sum(w) if rows else 0.0
    first = min(rows, key=lambda r: r["sent"]) if rows else None
    f["first_score"] = (first["probs"][2] - first["probs"][0]) if first else 0.0
    f["first_neu"] = first["probs"][1] if first else 1.0
    f["in_lead"] = float(any(r["sent"] == 0 for r in rows))
    lead = [s for s, r in zip(sc, rows) if r["par"] == 0]
    f["lead_par_score"] = _mean(lead)
    last = [s for s, r in zip(sc, rows) if r["par"] == p["n_par"] - 1 and p["n_par"] > 1]
    f["last_par_score"] = _mean(last)
    f["first_pos"] = p["first"]
    # role
    for key in ("subj", "obj", "speaker", "reported", "quoted"):
        f[f"frac_{key}"] = _mean(r[key] for r in rows)
    subj = [s for s, r in zip(sc, rows) if r["subj"]]
    f["subj_score"] = _mean(subj)
    obj = [s for s, r in zip(sc, rows) if r["obj"]]
    f["obj_score"] = _mean(obj)
    f["role_mean"] = _mean(r["role"] for r in rows)
    f["role_min"] = min((r["role"] for r in rows), default=0.0)
    f["role_max"] = max((r["role"] for r in rows), default=0.0)
    nonspeech = [s for s, r in zip(sc, rows) if not r["speaker"]]
    f["nonspeaker_score"] = _mean(nonspeech)
    f["times_quoted_log"] = math.log1p(p["times_quoted"])
    own = p.get("own_tones", [])
    f["own_tone_mean"] = _mean(own)
    f["own_tone_min"] = min(own, default=0.0)
    f["own_tone_max"] = max(own, default=0.0)
    f["own_tone_pos"] = _mean(t > 0.3 for t in own)
    f["own_tone_neg"] = _mean(t < -0.3 for t in own)
    # salience and tone
    f["mentions_log"] = math.log1p(p["mentions"])
    f["mention_share"] = p["mention_share"]
    f["top_actor"] = float(p["rank"] == 1)
    f["sent_share"] = n / n_sent
    tone = [r["tone"] for r in rows]
    f["tone_mean"] = _mean(tone)
    f["tone_min"] = min(tone, default=0.0)
    f["tone_max"] = max(tone, default=0.0)
    f["doc_tone"] = p["doc_tone"]
    # the sentence evidence weighs more for a central actor
    f["score_x_share"] = f["mean_score"] * f["sent_share"]
    f["score_x_top"] = f["mean_score"] * f["top_actor"]
    return f


# --- the model: multinomial logistic regression as data ------------------------------------

@functools.lru_cache(maxsize=None)
def load_model(path: str | None = None) -> dict | None:
    """The shipped portrayal model (``audit/data/portrayal_model.json``), or ``None`` when the
    file is absent (then :func:`portray` falls back to the mean-threshold rule)."""
    try:
        if path:
            raw = open(path, encoding="utf-8").read()
        else:
            raw = resources.files("audit.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    d = json.loads(raw)
    d["_coef"] = np.asarray(d["coef"], dtype=float)
    d["_intercept"] = np.asarray(d["intercept"], dtype=float)
    d["_mean"] = np.asarray(d["mean"], dtype=float)
    d["_scale"] = np.asarray(d["scale"], dtype=float)
    return d


def predict_proba(feats: list[dict[str, float]], model: dict) -> np.ndarray:
    """(n, 3) probabilities in ``LABELS`` order for feature dicts, with ``model``."""
    names = model["features"]
    x = np.array([[f.get(k, 0.0) for k in names] for f in feats], dtype=float).reshape(len(feats), len(names))
    z = ((x - model["_mean"]) / model["_scale"]) @ model["_coef"].T + model["_intercept"]
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    order = [model["classes"].index(c) for c in LABELS]
    return p[:, order]


# Without a model file: the earlier rule, the mean of P(pos) - P(neg) against a threshold.
FALLBACK_THRESHOLD = 0.33


_SHIPPED = object()


def portray(profile: dict, *, model=_SHIPPED) -> tuple[str, tuple[float, float, float] | None]:
    """The portrayal label of one profile and its (neg, neu, pos) probabilities, with ``model``
    (default: the shipped one). Without a model (``None``, or no model file installed) the
    mean-threshold rule decides and the probabilities are ``None``."""
    if model is _SHIPPED:
        model = load_model()
    if model is None:
        rows = profile["sentences"]
        mean = _mean(r["probs"][2] - r["probs"][0] for r in rows)
        lab = "positive" if mean >= FALLBACK_THRESHOLD else "negative" if mean <= -FALLBACK_THRESHOLD else "neutral"
        return lab, None
    f = profile_features(profile)
    p = predict_proba([f], model)[0]
    return guarded(LABELS[int(p.argmax())], f, model), tuple(round(float(x), 4) for x in p)


def guarded(label: str, feats: dict[str, float], model: dict) -> str:
    """With the model's ``negative_floor`` on, an actor whose sentences are on average clearly
    negative toward it (mean P(pos) - P(neg) at most -0.33, the earlier rule's negative) is
    portrayed negatively; with its ``sign_guard`` on, a polar label needs the actor's sentences
    to lean the same way on average: a label the evidence beside it contradicts becomes
    neutral. Whether each is on was chosen on folds in training."""
    if model.get("negative_floor") and feats["mean_score"] <= -FALLBACK_THRESHOLD:
        return "negative"  # sentences that are on average clearly against the actor are not outweighed
    if not model.get("sign_guard"):
        return label
    if label == "positive" and feats["mean_score"] < 0 or label == "negative" and feats["mean_score"] > 0:
        return "neutral"
    return label


def match_actor(actors, mentions) -> object | None:
    """The actor whose mentions overlap most of ``mentions`` (gold spans), or ``None``."""
    best, best_hits = None, 0
    for a in actors:
        hits = sum(1 for s, e in mentions if any(m.span[0] < e and s < m.span[1] for m in a.mentions))
        if hits > best_hits:
            best, best_hits = a, hits
    return best
