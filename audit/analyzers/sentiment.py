"""Sentiment toward each actor: target-dependent, per mention.

``target_polarities(doc, spans)`` scores each target span from the words that are
about it, not from the whole sentence:

- the target's own noun phrase (modifiers, appositives, relative clauses);
- its clause: the predicate it is subject or object of, with that predicate's
  other arguments, but not the content of the target's own reported speech
  ("X said the plan was a disaster" is not sentiment toward X) and not other
  clauses (coordinated or adverbial) that have their own subject;
- a role-dependent news lexicon (``audit/data/sentiment_roles.json``): "X criticised
  Y" is negative toward Y and not toward X, "Y was praised" positive toward Y.

These cues are weighed by a small linear model whose weights are data
(``audit/data/sentiment_weights.json``, induced from NewsMTSC train by
``python -m audit.training.sentiment.build_lexicon``): VADER over the words about the target and over
the sentence (one analyzer per process), the role lexicon, and the lemmas about the
target. ``actor_sentiments`` aggregates the mention scores per actor.
``engine="model"`` uses ``audit.analyzers.sentiment_model.predict_targets`` instead.
"""
from __future__ import annotations

import functools
import json
from importlib import resources

from ..findings import ActorSentiment, SentimentEvidence
from .doctext import doc_memo, doc_text
from .portrayal import actor_profile, doc_layout, portray

CLAUSE_DEPS = frozenset({"ccomp", "advcl", "conj", "parataxis", "relcl", "xcomp", "csubj", "acl"})
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl", "agent"})
OBJ_DEPS = frozenset({"dobj", "obj", "pobj", "dative", "attr", "oprd"})


@functools.lru_cache(maxsize=None)
def _vader():
    """One VADER analyzer per process (building it is slow; it is read-only)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_lexicon() -> dict:
    """VADER's word → valence lexicon (read-only; for other analyzers)."""
    return _vader().lexicon


@functools.lru_cache(maxsize=None)
def _roles() -> dict:
    d = json.loads(resources.files("audit.data").joinpath("sentiment_roles.json").read_text(encoding="utf-8"))
    return {"verbs": d["verbs"], "speech": frozenset(d["speech_verbs"])}


def _target_tokens(doc, span):
    s, e = span
    sp = doc.char_span(s, e, alignment_mode="expand")  # no scan of the whole document per target
    toks = list(sp) if sp is not None else []
    if not toks:
        return None, []
    ids = {t.i for t in toks}
    # the syntactic head of the target: the token whose head lies outside it
    root = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1])
    return root, toks


def _clause_head(root):
    """The predicate the target belongs to: climb over noun-phrase and preposition links."""
    tok = root
    steps = 0
    while tok.dep_ not in ("ROOT",) and tok.pos_ not in ("VERB", "AUX") and steps < 8:
        tok = tok.head
        steps += 1
    return tok


def _role(root, head):
    """('subj'|'obj'|None, verb lemma) for the target's role in the predicate ``head``."""
    tok = root
    # "the criticism of X" / "X's critics": not handled; coordination shares the role
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "poss":
        return None, None
    dep = tok.dep_
    if dep in ("nsubj",) and tok.head.i == head.i:
        return "subj", head.lemma_.lower()
    if dep == "nsubjpass" and tok.head.i == head.i:
        return "obj", head.lemma_.lower()
    if dep in OBJ_DEPS and tok.head.i == head.i:
        return "obj", head.lemma_.lower()
    if dep == "pobj" and tok.head.dep_ == "agent" and tok.head.head.i == head.i:
        return "subj", head.lemma_.lower()
    if dep == "pobj" and tok.head.head.i == head.i and tok.head.lower_ in ("for", "of", "against", "to"):
        return "obj", head.lemma_.lower()
    return None, None


def _about_words(doc, root, target_ids, head):
    """Token indices about the target: its NP subtree and its clause, minus embedded
    clauses with their own subject and the target's own reported speech."""
    sent = root.sent
    keep = set()
    for t in root.subtree:  # the target's NP: modifiers, appositives, relative clauses
        keep.add(t.i)
    role, lemma = _role(root, head)
    speech = role == "subj" and lemma in _roles()["speech"]
    excluded = set()
    for ch in head.children:
        if ch.i in keep or any(t.i in target_ids for t in ch.subtree):
            continue
        if ch.dep_ in CLAUSE_DEPS:
            has_subj = any(g.dep_ in SUBJ_DEPS for g in ch.children)
            if speech and ch.dep_ in ("ccomp", "parataxis", "xcomp", "conj") or has_subj or ch.dep_ == "parataxis":
                excluded.update(t.i for t in ch.subtree)
    for t in head.subtree:
        if t.i not in excluded:
            keep.add(t.i)
    if speech:  # quoted words of the speaker, in the same sentence
        in_quote = False
        for t in sent:
            if t.text in ('"', "“", "”"):
                in_quote = not in_quote if t.text == '"' else t.text == "“"
                continue
            if in_quote:
                keep.discard(t.i)
    return sorted(i for i in keep if i not in target_ids)


def _score_words(doc, idxs) -> tuple[float, tuple[str, ...]]:
    if not idxs:
        return 0.0, ()
    text = " ".join(doc[i].text for i in idxs)
    v = _vader()
    compound = v.polarity_scores(text)["compound"]
    cues = tuple(doc[i].text for i in idxs if doc[i].lower_ in v.lexicon)
    return compound, cues


@functools.lru_cache(maxsize=4096)
def _sentence_score(text: str) -> float:
    return _vader().polarity_scores(text)["compound"]


def sentence_tone(text: str) -> float:
    """VADER's compound score of a whole sentence (-1 .. 1), cached per process."""
    return _sentence_score(text)


def _in_quote(doc, i: int) -> bool:
    """Token ``i`` follows an open quotation mark of its sentence (each sentence's marks are
    read once per document)."""
    sent = doc[i].sent
    memo = doc_memo(doc, "sentiment.in_quote")
    flags = memo.get(sent.start)
    if flags is None:
        flags, inside = [], False
        for t in sent:
            flags.append(inside)  # the state before token t
            if t.text == '"':
                inside = not inside
            elif t.text == "“":
                inside = True
            elif t.text == "”":
                inside = False
        memo[sent.start] = flags
    return flags[i - sent.start]


def features(doc, span) -> dict[str, float]:
    """The evidence the lexicon engine weighs for one target: VADER over the words about
    it and over the sentence, the role-verb lexicon, the lemmas about the target (``w:``)
    and elsewhere in the sentence (``s:``), the target's grammatical role."""
    root, toks = _target_tokens(doc, span)
    if root is None:
        return {}
    ids = {t.i for t in toks}
    head = _clause_head(root)
    idxs = _about_words(doc, root, ids, head)
    local, _ = _score_words(doc, idxs)
    role, lemma = _role(root, head)
    rs = 0.0
    if role and lemma in _roles()["verbs"]:
        neg = any(ch.dep_ == "neg" for ch in head.children)
        rs = _roles()["verbs"][lemma][role] * (-0.5 if neg else 1.0)
    sent = root.sent
    f = {"vader_local": local, "vader_sentence": _sentence_score(doc_text(doc)[sent.start_char:sent.end_char]), "role": rs,
         f"dep:{root.dep_}": 1.0, f"head:{head.lemma_.lower()}": 1.0}
    if role:
        f[f"role:{role}:{lemma}"] = 1.0
        if lemma in _roles()["speech"] and role == "subj":
            f["speaker"] = 1.0
    if _in_quote(doc, root.i):
        f["in_quote"] = 1.0
    about = set(idxs)
    for t in sent:
        if t.i in ids or not t.is_alpha or t.is_stop and t.dep_ != "neg":
            continue
        f[("w:" if t.i in about else "s:") + t.lemma_.lower()] = 1.0
    return f


@functools.lru_cache(maxsize=None)
def _weights():
    d = json.loads(resources.files("audit.data").joinpath("sentiment_weights.json").read_text(encoding="utf-8"))
    return d["classes"], d["bias"], d["weights"]


def _learned(doc, span) -> tuple[float, tuple[float, float, float], tuple[str, ...]]:
    import math

    classes, bias, w = _weights()
    f = features(doc, span)
    z = list(bias)
    contrib = []
    for k, v in f.items():
        wk = w.get(k)
        if wk is None:
            continue
        for c in range(3):
            z[c] += wk[c] * v
        contrib.append((abs(wk[2] - wk[0]) * v, k))
    m = max(z)
    ex = [math.exp(x - m) for x in z]
    tot = sum(ex)
    probs = tuple(x / tot for x in ex)
    order = {c: i for i, c in enumerate(classes)}
    p = (probs[order["negative"]], probs[order["neutral"]], probs[order["positive"]])
    cues = tuple(k.split(":", 1)[1] for _, k in sorted(contrib, reverse=True)[:4] if k.startswith(("w:", "role:")))
    return p[2] - p[0], p, cues


def mention_role(doc, span) -> tuple[str | None, float, bool]:
    """The grammatical role of one mention: ``("subj"|"obj"|None, role-lexicon value,
    inside quotation marks)``; the value is the lexicon's polarity toward the mention as
    subject or object of its verb ("X criticised Y": -1 for Y), halved and flipped by a negation."""
    root, _ = _target_tokens(doc, span)
    if root is None:
        return None, 0.0, False
    head = _clause_head(root)
    role, lemma = _role(root, head)
    entry = _roles()["verbs"].get(lemma) if role else None
    value = 0.0
    if entry is not None:
        value = entry[role] * (-0.5 if any(ch.dep_ == "neg" for ch in head.children) else 1.0)
    return role, float(value), _in_quote(doc, root.i)


# How much the role lexicon's direction overrides the learned weights when the target is
# the subject or object of one of its verbs ("X criticised Y": negative toward Y, not X).
ROLE_WEIGHT = 0.6


def _target_score(doc, span) -> tuple[float, tuple[float, float, float], tuple[str, ...]]:
    """Score (-1..1, P(pos) - P(neg)), (neg, neu, pos) probabilities and cue words toward one target."""
    score, probs, cues = _learned(doc, span)
    root, _ = _target_tokens(doc, span)
    if root is not None:
        head = _clause_head(root)
        role, lemma = _role(root, head)
        entry = _roles()["verbs"].get(lemma) if role else None
        if entry is not None:
            r = entry[role] * (-0.5 if any(ch.dep_ == "neg" for ch in head.children) else 1.0)
            rp = (max(-r, 0.0), 1.0 - abs(r), max(r, 0.0))
            probs = tuple((1 - ROLE_WEIGHT) * a + ROLE_WEIGHT * b for a, b in zip(probs, rp))
            score = probs[2] - probs[0]
            cues = (head.text,) + tuple(c for c in cues if c != head.lemma_.lower())
    return score, probs, cues


def target_polarities(doc, spans, *, engine: str = "lexicon") -> list[tuple[str, float]]:
    """Polarity label and score (-1..1) toward each target span of ``doc``."""
    spans = [tuple(s) for s in spans]
    if engine == "model":
        probs = _model_probs(doc, spans)
        return [(_probs_label(p), round(p[2] - p[0], 4)) for p in probs]
    if engine != "lexicon":
        raise ValueError(f"unknown sentiment engine {engine!r} (choose from lexicon, model)")
    out = []
    for sp in spans:
        score, probs, _ = _target_score(doc, sp)
        out.append((_probs_label(probs), round(score, 4)))
    return out


def model_engine_available() -> bool:
    """Whether the learned ('model') engine can run: the encoder's head or the pair model."""
    from .. import encoder
    from .sentiment_model import model_available

    return encoder.serves_sentiment() or model_available()


def model_backend():
    """The learned engine's predictor: the shared encoder's target head when the shipped
    encoder is marked as the sentiment engine (its config's ``sentiment_engine``; set only
    when its dev figures are at least those of the pair model); the cascade (the head for every
    target, the pair model too for those the head is unsure of) when the encoder's config holds
    a ``sentiment_cascade``; else the pair model alone."""
    from .. import encoder

    casc = encoder.sentiment_cascade()
    if casc is not None:
        import functools

        from .encoder_heads import predict_targets_cascade
        return functools.partial(predict_targets_cascade, threshold=float(casc["threshold"]))
    if encoder.serves_sentiment():
        from .encoder_heads import predict_targets
    else:
        from .sentiment_model import predict_targets
    return predict_targets


def predict_model_inputs(items):
    """(neg, neu, pos) per model input (see :func:`model_inputs`); one batched call."""
    try:
        predict_targets = model_backend()
    except ImportError as exc:  # the model engine is optional; the caller decides on a fallback
        raise RuntimeError(
            "sentiment engine 'model' is not available (audit.analyzers.sentiment_model could not be "
            f"imported: {exc}); use engine='lexicon'"
        ) from exc
    return predict_targets(items) if items else []


def _model_items(doc, spans):
    """The model's inputs for target ``spans`` of ``doc``: (sentence text, span in it)."""
    items = []
    text = doc_text(doc)
    for s, e in spans:
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is None or not len(sp):
            start, end = 0, len(text)
        else:  # the sentence(s) holding the target: a target may straddle a sentence split
            start, end = min(sp[0].sent.start_char, s), max(sp[-1].sent.end_char, e)
        items.append((text[start:end], (s - start, e - start)))
    return items


def _model_probs(doc, spans):
    return predict_model_inputs(_model_items(doc, spans))


def _probs_label(p) -> str:
    return ("negative", "neutral", "positive")[max(range(3), key=lambda i: p[i])]


# Which mention of an actor stands for it in a sentence the model engine scores once:
# the most explicit form wins (a name over a title over a pronoun).
_MENTION_RANK = {"name": 0, "surname": 1, "alias": 1, "title": 2, "metonym": 2, "demonym": 3, "pronoun": 4}


def _clean_sentence(doc, span, text):
    """The sentence holding ``span``, without the paragraph breaks spaCy may attach to its edges
    (``text``: the document's text; each mention's sentence is found once per document)."""
    memo = doc_memo(doc, "sentiment.clean_sentence")
    key = (span[0], span[1])
    if key in memo:
        return memo[key]
    tok = doc.char_span(span[0], span[1], alignment_mode="expand")
    if tok is None:
        out = None
    else:
        sent = tok.sent
        raw = text[sent.start_char:sent.end_char]
        out = (sent.start_char + len(raw) - len(raw.lstrip()), sent.end_char - (len(raw) - len(raw.rstrip())))
    memo[key] = out
    return out


def _kept_mentions(actors, attributions):
    """Each actor with its mentions outside content attributed to the actor itself."""
    own = {}
    for a in attributions:
        if getattr(a, "actor_key", None):
            own.setdefault(a.actor_key, []).extend(a.content)
    return [(actor, [m for m in actor.mentions
                     if not any(s <= m.span[0] and m.span[1] <= e for s, e in own.get(actor.key, ()))])
            for actor in actors]


def _own_words(attributions) -> dict:
    """Per actor key: (source span, [cue and content spans]) of each attribution it is the
    source of. A speaker's own words (her quotation, "praised Y", "criticised Y") are not
    sentiment toward the speaker: they are cut from the sentence that scores her tag."""
    out: dict = {}
    for a in attributions:
        key = getattr(a, "actor_key", None)
        if key and a.source is not None:
            out.setdefault(key, []).append((a.source, list(a.content) + ([a.cue] if a.cue else [])))
    return out


def _holes_for(mention_span, own) -> list:
    s, e = mention_span
    holes = []
    for (ss, se), spans in own:
        if ss < e and s < se:  # this mention is the attribution's source
            holes.extend((hs, he) for hs, he in spans if he <= s or hs >= e)
    return holes


def _model_requests(doc, kept, own=None) -> tuple[list, list, list]:
    """One (actor key, sentence) per actor per sentence, the span of the mention that
    stands for the actor there, and the spans of the actor's own words to leave out of
    that sentence (see ``_own_words``), in the same order."""
    text = doc_text(doc)
    own = own or {}
    reps: dict = {}
    for actor, mentions in kept:
        for m in mentions:
            sent = _clean_sentence(doc, m.span, text)
            if sent is None:
                continue
            k = (actor.key, sent)
            if k not in reps or _MENTION_RANK.get(m.kind, 5) < _MENTION_RANK.get(reps[k].kind, 5):
                reps[k] = m
    keys = list(reps)
    return keys, [reps[k].span for k in keys], [_holes_for(reps[k].span, own.get(k[0], ())) for k in keys]


def _masked_items(doc, spans, holes):
    """``_model_items`` with each item's holes replaced by an ellipsis (offsets kept right)."""
    items = _model_items(doc, spans)
    out = []
    for (sent, (ts, te)), (s, _e), hs in zip(items, spans, holes):
        if not hs:
            out.append((sent, (ts, te)))
            continue
        base = s - ts  # document offset of the item's text
        cuts = sorted({(max(a - base, 0), min(b - base, len(sent)))
                       for a, b in hs if b - base > 0 and a - base < len(sent)})
        pieces, at, shift = [], 0, 0
        for a, b in cuts:
            if a < at or b <= a:
                continue
            pieces.append(sent[at:a] + "…")
            if b <= ts:
                shift += (b - a) - 1
            at = b
        pieces.append(sent[at:])
        out.append(("".join(pieces), (ts - shift, te - shift)))
    return out


def model_requests(doc, actors, *, attributions=()) -> tuple[list, list, list]:
    """The model engine's ``(keys, spans, holes)`` for one document (one per actor per
    sentence; holes: the actor's own words left out of that sentence); a caller that batches
    predictions computes them once and hands them to both :func:`model_inputs` and
    :func:`actor_sentiments` (``requests=``)."""
    return _model_requests(doc, _kept_mentions(actors, attributions), _own_words(attributions))


def model_inputs(doc, actors, *, attributions=(), requests=None) -> list:
    """The model engine's inputs for one document, in the order ``actor_sentiments`` expects
    them back as ``model_probs`` (so a caller can batch the predictions of many documents)."""
    if requests is None:
        requests = model_requests(doc, actors, attributions=attributions)
    _keys, spans, holes = requests
    return _masked_items(doc, spans, holes)


def actor_sentiments(doc, actors, *, attributions=(), engine: str = "lexicon",
                     model_probs=None, requests=None) -> list[ActorSentiment]:
    """Per actor: mean polarity over the sentences that mention it, counts per label and
    the sentences that drove it. Mentions inside content attributed to the actor itself
    (its own quoted or reported words, ``attributions`` whose ``actor_key`` is the actor)
    are not sentiment toward it and are skipped.

    The lexicon engine scores every mention (several in one sentence: their mean); the
    model engine makes one prediction per actor per sentence, for all actors of the
    document in one batched call (or, with ``model_probs``, takes the predictions for
    :func:`model_inputs` made by the caller, batched across documents)."""
    text = doc_text(doc)
    # per actor: {sentence: [(score, probs, cues), ...]}
    by_actor: dict[str, dict] = {}
    kept = _kept_mentions(actors, attributions)
    if engine == "model":
        keys, spans, holes = requests if requests is not None else _model_requests(doc, kept, _own_words(attributions))
        probs = predict_model_inputs(_masked_items(doc, spans, holes)) if model_probs is None else model_probs
        if len(probs) != len(keys):
            raise ValueError(f"model_probs has {len(probs)} predictions for {len(keys)} inputs")
        for (key, sent), p in zip(keys, probs):
            by_actor.setdefault(key, {})[sent] = [(p[2] - p[0], tuple(p), ())]
    else:
        own = _own_words(attributions)
        for actor, mentions in kept:
            for m in mentions:
                sent = _clean_sentence(doc, m.span, text)
                if sent is None:
                    continue
                # the speaker's tag: her own words and attitudes say nothing about her, and the
                # lexicon engine reads the whole sentence, so the tag counts as neutral
                holes = _holes_for(m.span, own.get(actor.key, ()))
                item = (0.0, (0.0, 1.0, 0.0), ()) if holes else _target_score(doc, m.span)
                by_actor.setdefault(actor.key, {}).setdefault(sent, []).append(item)
    # the mentions that stand in each sentence, for the actor's roles there
    mspans: dict[tuple, list] = {}
    for actor, mentions in kept:
        for m in mentions:
            sent = _clean_sentence(doc, m.span, text)
            if sent is not None:
                mspans.setdefault((actor.key, sent), []).append(m.span)
    layout = None
    out = []
    for actor in actors:
        by_sent = by_actor.get(actor.key)
        if not by_sent:
            continue
        evidence = []
        for (s, e), items in sorted(by_sent.items()):
            sc = sum(i[0] for i in items) / len(items)
            p = tuple(round(sum(i[1][k] for i in items) / len(items), 4) for k in range(3))
            cues = tuple(dict.fromkeys(c for i in items for c in i[2]))
            evidence.append(SentimentEvidence(sentence=(s, e), text=text[s:e], score=round(sc, 4),
                                              label=_probs_label(p), probs=p, cues=cues))
        mean = sum(ev.score for ev in evidence) / len(evidence)
        counts = {lab: sum(1 for ev in evidence if ev.label == lab) for lab in ("positive", "neutral", "negative")}
        layout = layout or doc_layout(doc)
        profile = actor_profile(doc, actor, [(ev.sentence, ev.probs, mspans.get((actor.key, ev.sentence), ()))
                                             for ev in evidence],
                                attributions=attributions, actors=actors, layout=layout)
        label, probs = portray(profile)
        out.append(ActorSentiment(
            actor_key=actor.key, score=round(mean, 4), label=label,
            positive=counts["positive"], neutral=counts["neutral"], negative=counts["negative"],
            engine=engine, evidence=weighed_most(evidence, label), probs=probs, profile=profile,
        ))
    return out


def weighed_most(evidence, label: str, k: int = 5) -> tuple:
    """The sentences that weighed most in a portrayal: for a positive (negative) portrayal the
    sentences most positive (negative) toward the actor, earlier ones first on ties; for a
    neutral one the strongest polar sentences (which the article did not let decide), then the
    rest. Never empty when ``evidence`` is not."""
    if label in ("positive", "negative"):
        k_ = 2 if label == "positive" else 0
        ranked = sorted(evidence, key=lambda ev: (-(ev.probs[k_] if ev.probs else abs(ev.score)), ev.sentence))
    else:
        ranked = sorted(evidence, key=lambda ev: (ev.label == "neutral", -abs(ev.score), ev.sentence))
    return tuple(ranked[:k])
