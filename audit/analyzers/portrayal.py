"""Article-level portrayal of each actor: how the article as a whole casts it.

The sentence-level engines (``audit.analyzers.sentiment``) give, for every sentence that
mentions an actor, (negative, neutral, positive) probabilities toward it. A reader judges
the whole article, so the label is not a fixed threshold on their mean but a small learned
model over the actor's *profile* in the article:

- the distribution of its sentence probabilities (means, extremes, counts per class, a
  sum that grows with repeated evidence);
- where the actor sits (named in the headline and its tone; the lead sentence, the first two
  sentences, the first and last paragraphs, and the share of its mentions in each);
- the actor's role (grammatical subject or object, object of a praise/blame verb of the role
  lexicon, speaker of an attribution and how directly, named in what others are reported to
  have said, inside quotation marks), how often it is quoted;
- the loaded-language layer's probability in its sentences (``audit.analyzers.loaded``);
- its salience (share of the article's actor mentions, share of sentences) and the tone
  of the article around it (:func:`tone`, VADER's word valences without its rules);
- optionally, the aggregated predictions of a paragraph model trained on PerSenT's
  per-paragraph labels (:func:`paragraph_rows`, stored in the model file).

The headline and the loaded-language findings reach the profile through
``doc.user_data[CONTEXT_KEY]`` (set by ``audit.analyze``); a bare doc has neither.

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

#: ``doc.user_data`` key under which the audit leaves what the portrayal reads besides the
#: parse: ``{"title": str, "loaded": (LoadedSentence, ...)}`` (``audit.analyze``). Absent (a
#: bare doc in a test): no headline, no loaded-language probabilities.
CONTEXT_KEY = "newsaudit_portrayal"

# a paragraph starts the text and after each line break (blank lines do not make empty ones)
_PAR_BREAK = re.compile(r"\n\s*")


def paragraph_starts(text: str) -> list[int]:
    """Start offsets of the paragraphs of ``text`` (the training command maps gold paragraph
    labels onto the same paragraphs)."""
    return [0] + [m.end() for m in _PAR_BREAK.finditer(text) if m.end() < len(text)]


_WORD = re.compile(r"[a-z][a-z'-]*")


@functools.lru_cache(maxsize=1)
def _vader_lexicon() -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().lexicon
_NEGATORS = frozenset({"not", "no", "never", "nor", "without", "cannot", "neither", "nothing"})


def tone(text: str) -> float:
    """The tone of a stretch of text (-1 .. 1): the sum of VADER's word valences, a word after
    a negator within three words flipped and damped as VADER does (x -0.74), normalised like
    VADER's compound score (s / sqrt(s^2 + 15)). VADER's lexicon without its rules (caps,
    boosters, "but"): a tenth of the cost of ``polarity_scores``, and the portrayal model was
    trained on this measure."""
    lex = _vader_lexicon()
    words = _WORD.findall(text.lower())
    total = 0.0
    for k, w in enumerate(words):
        v = lex.get(w)
        if v:
            if any(x in _NEGATORS or x.endswith("n't") for x in words[max(0, k - 3):k]):
                v *= -0.74
            total += v
    return total / math.sqrt(total * total + 15.0)


def doc_layout(doc) -> dict:
    """Per-document facts every actor's profile shares, computed once per document: the text
    (``Doc.text`` re-joins every token on each access), sentence and paragraph starts, each
    sentence's tone (VADER compound) and loaded-language probability, per paragraph the mean
    tone and loaded probability, the headline and its tone."""
    text = doc.text
    ctx = doc.user_data.get(CONTEXT_KEY) or {}
    spans = [s for s in doc.sents if text[s.start_char:s.end_char].strip()]
    sents = [(s.start_char, s.end_char) for s in spans]
    starts = [s for s, _ in sents]
    pars = paragraph_starts(text)
    tones = [tone(text[s:e]) for s, e in sents]
    if "loaded" in ctx:  # the audit's loaded-language findings (its engine)
        loaded_at = {f.sentence[0]: float(f.probability) for f in ctx["loaded"] or ()}
        loaded = [loaded_at.get(s) for s, _ in sents]
    else:  # a bare doc (tests, the REPL): the lexicon engine, so the model sees what it was trained on
        from .loaded import lexicon_scorer

        loaded = [float(p) for p, _ in lexicon_scorer()(spans)] if spans else []
    by_par: list[list[int]] = [[] for _ in pars]
    for k, s in enumerate(starts):
        by_par[index_of(pars, s)].append(k)
    par_rows = []
    for ks in by_par:
        lo = [loaded[k] for k in ks if loaded[k] is not None]
        par_rows.append([round(_mean(tones[k] for k in ks), 4), round(_mean(lo), 4)])
    title = str(ctx.get("title") or "").strip()
    return {"text": text, "sent_starts": starts, "par_starts": pars, "tones": tones, "loaded": loaded,
            "pars": par_rows, "tone": sum(tones) / len(tones) if tones else 0.0, "n_sent": len(starts),
            "title": title, "title_tone": tone(title) if title else 0.0}


def index_of(starts: list[int], pos: int) -> int:
    return max(bisect.bisect_right(starts, pos) - 1, 0)


def _name_words(actor) -> set[str]:
    """The capitalised words that name ``actor`` (its name and mention texts), for the headline."""
    words = set()
    for t in [getattr(actor, "name", "")] + [getattr(m, "text", "") for m in actor.mentions]:
        words.update(w.lower() for w in re.findall(r"[A-Z][\w'-]+", t or "") if len(w) > 2)
    return words


def actor_profile(doc, actor, sentences, *, attributions=(), actors=(), layout=None) -> dict:
    """The profile of ``actor`` in ``doc``.

    ``sentences``: ``(span, probs, mention_spans)`` per sentence that mentions the actor
    (outside its own reported words), ``probs`` = (neg, neu, pos) toward it.
    ``attributions`` and ``actors``: the article's (for the speaker / reported roles and the
    actor's salience). ``layout``: :func:`doc_layout` of ``doc`` (computed when not given;
    pass it for every actor of a document so the per-document work is done once).
    """
    from .sentiment import mention_role

    layout = layout or doc_layout(doc)
    text = layout["text"]
    n_par = len(layout["par_starts"])
    sent_starts, tones, loaded = layout["sent_starts"], layout["tones"], layout["loaded"]
    own = [a for a in attributions if getattr(a, "actor_key", None) == actor.key]
    others = [a for a in attributions if getattr(a, "actor_key", None) != actor.key]
    other_content = [c for a in others for c in a.content]
    mention_spans = [m.span for m in actor.mentions]
    rows = []
    for (s, e), probs, mspans in sentences:
        roles = [mention_role(doc, m) for m in mspans]
        k = index_of(sent_starts, s)
        lo = loaded[k] if k < len(loaded) else None
        rows.append({
            "probs": [round(float(p), 4) for p in probs],
            "tone": round(tones[k], 4) if k < len(tones) else 0.0,
            "loaded": round(lo, 4) if lo is not None else None,
            "sent": k,
            "par": index_of(layout["par_starts"], s),
            "subj": int(any(r[0] == "subj" for r in roles)),
            "obj": int(any(r[0] == "obj" for r in roles)),
            "role": round(max((r[1] for r in roles), key=abs, default=0.0), 4),
            "speaker": int(any(a.source and s <= a.source[0] < e for a in own)),
            "reported": int(any(cs <= m[0] and m[1] <= ce for cs, ce in other_content for m in mspans)),
            "quoted": int(any(r[2] for r in roles)),
        })
    total = sum(len(a.mentions) for a in actors) or len(actor.mentions) or 1
    first = min((m[0] for m in mention_spans), default=len(text))
    title = layout.get("title", "")
    title_words = {w.lower() for w in re.findall(r"[\w'-]+", title)}
    return {
        "n_sent": layout["n_sent"], "n_par": n_par, "doc_tone": round(layout["tone"], 4),
        "mentions": len(actor.mentions), "mention_share": round(len(actor.mentions) / total, 4),
        "rank": 1 + sum(1 for a in actors if len(a.mentions) > len(actor.mentions)),
        "times_quoted": len(own), "direct_quotes": sum(1 for a in own if getattr(a, "direct", False)),
        "first": round(first / max(len(text), 1), 4),
        # where every mention sits (sentence and paragraph indices), for the position shares
        "mention_sents": [index_of(sent_starts, m[0]) for m in mention_spans],
        "mention_pars": [index_of(layout["par_starts"], m[0]) for m in mention_spans],
        # how often others' reported words name the actor (the target of attributions)
        "targeted": sum(1 for cs, ce in other_content if any(cs <= m[0] and m[1] <= ce for m in mention_spans)),
        "n_attributions": len(attributions),
        # the headline: named in it, and its tone (no headline: 0 and 0)
        "has_title": int(bool(title)),
        "in_title": int(bool(title_words & _name_words(actor))),
        "title_tone": round(layout.get("title_tone", 0.0), 4),
        # per paragraph of the article: (mean tone, mean loaded-language probability)
        "pars": layout.get("pars", []),
        # the tone of the actor's own reported words (a hopeful athlete, a defiant suspect)
        "own_tones": [round(sentence_tone_of(text, a.content), 4) for a in own],
        "sentences": rows,
    }


def sentence_tone_of(text: str, spans) -> float:
    return tone(" ".join(text[cs:ce] for cs, ce in spans))


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
    lab = [0 if a >= b and a >= c else 1 if b >= c else 2 for a, b, c in (r["probs"] for r in rows)]
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
    f.update(position_features(p, rows, sc))
    f.update(role_features(p, rows, sc))
    f.update(loaded_features(p, rows, sc))
    return f


def position_features(p: dict, rows: list, sc: list) -> dict[str, float]:
    """Where the actor sits: the headline (named in it, its tone), the lead (first two
    sentences, first paragraph), the last paragraph, and the share of the actor's mentions in
    each."""
    f: dict[str, float] = {}
    ms, mp = p.get("mention_sents", []), p.get("mention_pars", [])
    n_par = max(p["n_par"], 1)
    nm = max(len(ms), 1)
    f["pos_in_title"] = float(p.get("in_title", 0))
    f["pos_title_tone_in"] = p.get("title_tone", 0.0) * f["pos_in_title"]
    f["pos_title_tone"] = p.get("title_tone", 0.0)
    f["pos_share_lead2"] = sum(1 for k in ms if k < 2) / nm
    f["pos_share_first_par"] = sum(1 for j in mp if j == 0) / nm
    f["pos_share_last_par"] = sum(1 for j in mp if j == n_par - 1 and n_par > 1) / nm
    f["pos_in_lead2"] = float(any(k < 2 for k in ms))
    f["pos_in_last_par"] = float(any(j == n_par - 1 for j in mp) and n_par > 1)
    lead2 = [s for s, r in zip(sc, rows) if r["sent"] < 2]
    f["pos_lead2_score"] = _mean(lead2)
    pars = p.get("pars") or []
    f["pos_first_par_tone"] = pars[0][0] if pars else 0.0
    f["pos_last_par_tone"] = pars[-1][0] if len(pars) > 1 else 0.0
    f["pos_spread"] = len(set(mp)) / n_par
    return f


def role_features(p: dict, rows: list, sc: list) -> dict[str, float]:
    """The actor's role: how often it speaks (and in direct quotation), how often others'
    reported words name it, and its sentence tone as grammatical subject vs object."""
    f: dict[str, float] = {}
    n_att = max(p.get("n_attributions", 0), 1)
    f["role_speaker_share"] = p["times_quoted"] / n_att
    f["role_direct_log"] = math.log1p(p.get("direct_quotes", 0))
    f["role_targeted_log"] = math.log1p(p.get("targeted", 0))
    f["role_targeted_share"] = p.get("targeted", 0) / n_att
    f["role_subj_count_log"] = math.log1p(sum(r["subj"] for r in rows))
    f["role_obj_count_log"] = math.log1p(sum(r["obj"] for r in rows))
    f["role_subj_minus_obj"] = _mean(r["subj"] - r["obj"] for r in rows)
    f["role_reported_score"] = _mean(s for s, r in zip(sc, rows) if r["reported"])
    f["role_lex_x_subj"] = _mean(r["role"] for r in rows if r["subj"])
    f["role_lex_x_obj"] = _mean(r["role"] for r in rows if r["obj"])
    return f


def loaded_features(p: dict, rows: list, sc: list) -> dict[str, float]:
    """The loaded-language layer's probability around the actor (its sentences), against the
    article's, and crossed with the sentence polarity toward the actor."""
    f: dict[str, float] = {}
    lo = [(r.get("loaded"), s, r["probs"]) for s, r in zip(sc, rows) if r.get("loaded") is not None]
    pars = p.get("pars") or []
    doc_lo = _mean(x[1] for x in pars)
    f["loaded_mean"] = _mean(x[0] for x in lo)
    f["loaded_max"] = max((x[0] for x in lo), default=0.0)
    f["loaded_vs_doc"] = f["loaded_mean"] - doc_lo if lo else 0.0
    f["loaded_x_score"] = _mean(x[0] * x[1] for x in lo)
    f["loaded_x_neg"] = _mean(x[0] * x[2][0] for x in lo)
    f["loaded_x_pos"] = _mean(x[0] * x[2][2] for x in lo)
    return f


# --- paragraph-level supervision: a model per paragraph, aggregated per actor ---------------

PARAGRAPH_FEATURES = ("mentioned", "mentions_log", "n_rows_log", "score", "neg", "pos", "max_neg", "max_pos",
                      "tone", "loaded", "first", "last", "rel", "doc_score", "doc_tone", "role")


def paragraph_rows(p: dict) -> list[list[float]]:
    """One feature vector (``PARAGRAPH_FEATURES``) per paragraph of the article, from the actor's
    profile: its sentences there (polarity toward it), its mentions there, the paragraph's tone
    and loaded-language probability, the paragraph's place, the article-level evidence."""
    n_par = max(p["n_par"], 1)
    pars = p.get("pars") or [[0.0, 0.0]] * n_par
    rows = p["sentences"]
    doc_score = _mean(r["probs"][2] - r["probs"][0] for r in rows)
    by_par: dict[int, list] = {}
    for r in rows:
        by_par.setdefault(r["par"], []).append(r)
    ment: dict[int, int] = {}
    for j in p.get("mention_pars", []):
        ment[j] = ment.get(j, 0) + 1
    out = []
    for j in range(n_par):
        rs = by_par.get(j, [])
        tone, lo = (pars[j] if j < len(pars) else (0.0, 0.0))
        out.append([
            float(bool(rs) or j in ment), math.log1p(ment.get(j, 0)), math.log1p(len(rs)),
            _mean(r["probs"][2] - r["probs"][0] for r in rs), _mean(r["probs"][0] for r in rs),
            _mean(r["probs"][2] for r in rs), max((r["probs"][0] for r in rs), default=0.0),
            max((r["probs"][2] for r in rs), default=0.0), tone, lo, float(j == 0),
            float(j == n_par - 1 and n_par > 1), j / n_par, doc_score, p["doc_tone"],
            _mean(r["role"] for r in rs),
        ])
    return out


def paragraph_aggregates(p: dict, probs: np.ndarray, rows=None) -> dict[str, float]:
    """Document features from the paragraph model's (neg, neu, pos) per paragraph (``rows``:
    :func:`paragraph_rows` of ``p`` when already computed)."""
    if len(probs) == 0:
        return {}
    sc = probs[:, 2] - probs[:, 0]
    lab = probs.argmax(axis=1)
    mentioned = np.array([r[0] > 0 for r in (rows if rows is not None else paragraph_rows(p))])
    return {
        "par_mean_score": float(sc.mean()), "par_mean_pos": float(probs[:, 2].mean()),
        "par_mean_neg": float(probs[:, 0].mean()), "par_first_score": float(sc[0]),
        "par_last_score": float(sc[-1]), "par_frac_pos": float((lab == 2).mean()),
        "par_frac_neg": float((lab == 0).mean()),
        "par_mentioned_score": float(sc[mentioned].mean()) if mentioned.any() else 0.0,
        "par_max_pos": float(probs[:, 2].max()), "par_max_neg": float(probs[:, 0].max()),
    }


def linear_proba(x: np.ndarray, m: dict) -> np.ndarray:
    """(n, 3) probabilities in ``LABELS`` order of a stored multinomial logistic regression ``m``
    (``mean``, ``scale``, ``coef``, ``intercept``, ``classes``) for the rows of ``x``."""
    z = ((x - np.asarray(m["mean"])) / np.asarray(m["scale"])) @ np.asarray(m["coef"]).T + np.asarray(m["intercept"])
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    pr = e / e.sum(axis=1, keepdims=True)
    return pr[:, [list(m["classes"]).index(c) for c in LABELS]]


def model_features(p: dict, model: dict | None) -> dict[str, float]:
    """:func:`profile_features` plus, when ``model`` carries a paragraph model, the aggregates of
    its predictions over the article's paragraphs."""
    f = profile_features(p)
    pm = (model or {}).get("paragraph_model")
    if pm is not None:
        rows = paragraph_rows(p)
        if rows:
            f.update(paragraph_aggregates(p, linear_proba(np.array(rows, dtype=float), pm), rows))
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
    if "_w" not in model:  # standardisation folded into the weights once: z = x @ w + b
        model["_w"] = (model["_coef"] / model["_scale"]).T
        model["_b"] = model["_intercept"] - (model["_mean"] / model["_scale"]) @ model["_coef"].T
        model["_order"] = [model["classes"].index(c) for c in LABELS]
    z = x @ model["_w"] + model["_b"]
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    return p[:, model["_order"]]


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
    f = model_features(profile, model)
    p = predict_proba([f], model)[0]
    f.update(rule_counts(profile))
    return guarded(LABELS[int(p.argmax())], f, model), tuple(round(float(x), 4) for x in p)


def rule_counts(profile: dict) -> dict[str, float]:
    """The sentence counts the rules of :func:`guarded` read: all the actor's sentences, and
    those whose most likely class toward it is negative, resp. positive."""
    rows = profile["sentences"]
    lab = [max(range(3), key=lambda k: r["probs"][k]) for r in rows]
    return {"n_sentences": float(len(rows)), "n_negative": float(lab.count(0)), "n_positive": float(lab.count(2))}


def guarded(label: str, feats: dict[str, float], model: dict) -> str:
    """The model's label under its rules (each chosen on folds in training, or fixed by
    ``--floor on``):

    - ``negative_floor`` (a threshold; ``true`` in older files: -0.33, the earlier rule's
      negative): an actor whose sentences are on average clearly against it (mean
      P(pos) - P(neg) at most the threshold) is portrayed negatively; ``positive_floor``: one
      whose sentences are on average clearly for it (mean at least that threshold), positively.
      With ``floor_min_sentences`` set, a floor needs at least that many sentences about the
      actor (with ``floor_counts`` "polar", that many whose most likely class leans the floor's
      way): one sentence is a mention, not a portrayal.
    - ``sign_guard``: a polar label needs the actor's sentences to lean the same way on
      average; a label the evidence beside it contradicts becomes neutral.
    - ``min_evidence`` (a probability): a polar label needs at least one sentence that casts the
      actor that way (P(pos), resp. P(neg), toward it at least the threshold); a label with no
      sentence to show for it becomes neutral. Every portrayal points at its evidence."""
    mean = feats["mean_score"]
    min_n = model.get("floor_min_sentences") or 0
    polar = model.get("floor_counts") == "polar"
    floor = model.get("negative_floor")
    if floor is True:  # older model files: the earlier rule's threshold
        floor = -FALLBACK_THRESHOLD
    pfloor = model.get("positive_floor")
    n_pos = feats.get("n_positive", 0.0) if polar else feats.get("n_sentences", 0.0)
    n_neg = feats.get("n_negative", 0.0) if polar else feats.get("n_sentences", 0.0)
    if pfloor not in (None, False) and mean >= pfloor and n_pos >= min_n:
        return "positive"  # the same rule on the other side: sentences clearly for the actor
    if floor not in (None, False) and mean <= floor and n_neg >= min_n:
        return "negative"  # sentences that are on average clearly against the actor are not outweighed
    if model.get("sign_guard") and (label == "positive" and mean < 0 or label == "negative" and mean > 0):
        return "neutral"
    ev = model.get("min_evidence")
    if ev not in (None, False):
        if label == "positive" and feats.get("max_pos", 0.0) < ev or label == "negative" and feats.get("max_neg", 0.0) < ev:
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
