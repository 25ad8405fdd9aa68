"""Run every analyzer over parsed articles: ``Doc`` + ``Article`` → ``AuditResult``.

``analyze_doc`` is the single entry point used by ``newsaudit run``, ``evaluate``,
the dashboard and the benchmarks; ``analyze_batch`` parses a batch of articles in one
``audit.nlp.parse_batch`` pass and analyses each. Where batches run (this process, a
process pool, a Dask cluster) is ``audit.executors``' and ``audit.distributed``'s concern.
"""
from __future__ import annotations

from dataclasses import replace

from .findings import AuditResult, Span
from .ingest.article import Article
from .analyzers.doctext import doc_text

SENTIMENT_ENGINES = ("lexicon", "model")
DEFAULT_SENTIMENT_ENGINE = None     # resolved by resolve_engine()
SENTIMENT_ENV = "NEWSAUDIT_SENTIMENT"


def resolve_engine(name: str | None = None) -> str:
    """The sentiment engine to use: ``name``, else ``$NEWSAUDIT_SENTIMENT``, else the learned
    model when its files are installed, else the lexicon engine."""
    import os

    name = name or os.environ.get(SENTIMENT_ENV) or None
    if name is None:
        try:
            from .analyzers.sentiment import model_engine_available as model_available
        except ImportError:
            return "lexicon"
        return "model" if model_available() else "lexicon"
    if name not in SENTIMENT_ENGINES:
        raise ValueError(f"unknown sentiment engine {name!r} (choose from {', '.join(SENTIMENT_ENGINES)})")
    if name == "model":
        try:
            from .analyzers.sentiment import model_engine_available as model_available
        except ImportError:
            model_available = lambda: False  # noqa: E731
        if not model_available():
            raise ValueError("the sentiment model engine is not installed (its model file is missing); "
                             "use --sentiment lexicon")
    return name


def _inside(span: Span, skips: tuple[Span, ...]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in skips)


def _drop_skipped(items, skips, get_span):
    if not skips:
        return tuple(items)
    return tuple(i for i in items if not _inside(get_span(i), skips))


def _sentence_spans(doc):
    """Sentences with text, as spans without the whitespace spaCy leaves at their edges."""
    text = doc_text(doc)
    for sent in doc.sents:
        raw = text[sent.start_char:sent.end_char]
        stripped = raw.strip()
        if stripped:
            start = sent.start_char + len(raw) - len(raw.lstrip())
            yield (start, start + len(stripped))


def _caption_actors(actors: tuple, caption_docs) -> tuple:
    """Add the actors named in photo captions: caption mentions carry no body offsets, so
    they are kept as texts (``Actor.caption_mentions``); an actor named only in a caption
    is listed with no body mentions."""
    from .analyzers.actors import find_actors

    by_key = {a.key: a for a in actors}
    order = [a.key for a in actors]
    for cdoc in caption_docs:
        for ca in find_actors(cdoc):
            texts = tuple(m.text for m in ca.mentions)
            if ca.key in by_key:
                cur = by_key[ca.key]
                by_key[ca.key] = replace(cur, caption_mentions=cur.caption_mentions + texts)
            else:
                by_key[ca.key] = replace(ca, mentions=(), caption_mentions=texts)
                order.append(ca.key)
    return tuple(by_key[k] for k in order)


def analyze_doc(doc, article: Article, *, sentiment_engine: str | None = DEFAULT_SENTIMENT_ENGINE,
                caption_docs=()) -> AuditResult:
    """All findings and the summary scores for one parsed article (``caption_docs``: its
    parsed photo captions, which contribute actors only)."""
    result = analyze_docs([(doc, article, caption_docs)], sentiment_engine=sentiment_engine)[0]
    if isinstance(result, Exception):
        raise result
    return result


def analyze_docs(items, *, sentiment_engine: str | None = DEFAULT_SENTIMENT_ENGINE) -> list:
    """:func:`analyze_doc` for many ``(doc, article, caption_docs)`` at once: the model
    sentiment engine's predictions for all of them are made in one batched call.

    Returns one entry per item, in order: its ``AuditResult``, or the exception that stopped
    its analysis (one article's failure never takes the others down).
    """
    sentiment_engine = sentiment_engine or resolve_engine()
    from . import encoder
    from .analyzers.sentiment import model_inputs, model_requests, predict_model_inputs

    # the encoder's cache shares passes between the heads within this batch only: int8
    # dynamic quantisation scales by batch, so a sentence must be encoded with the same
    # batch-mates whatever was audited before (a run with workers matches a local run)
    encoder.clear_cache()

    staged: list = []
    for doc, article, caption_docs in items:
        try:
            staged.append(_findings(doc, article, caption_docs))
        except Exception as exc:  # reported per article by the caller
            staged.append(exc)
    _score_loaded(staged, sentiment_engine)
    probs: list = [None] * len(staged)
    if sentiment_engine == "model":
        for st in staged:  # computed once, used for the inputs here and the sentiments later
            if isinstance(st, dict):
                st["requests"] = model_requests(st["doc"], st["actors"], attributions=st["attributions"])
        inputs = [model_inputs(st["doc"], st["actors"], requests=st["requests"])
                  if isinstance(st, dict) else [] for st in staged]
        flat = [x for part in inputs for x in part]
        if flat:
            try:
                preds = predict_model_inputs(flat)
            except Exception:  # leave each article to predict (and fail) on its own
                preds = None
            at = 0
            for k, part in enumerate(inputs):
                if preds is not None:
                    probs[k] = preds[at:at + len(part)]
                at += len(part)
    out = []
    for st, p in zip(staged, probs):
        if not isinstance(st, dict):
            out.append(st)
            continue
        try:
            out.append(_complete(st, sentiment_engine, p))
        except Exception as exc:
            out.append(exc)
    return out


def _score_loaded(staged: list, sentiment_engine: str | None = None) -> None:
    """The loaded-language layer for every staged article, its scorer called once for all of
    their sentences (the model engine batches them); an article whose scoring fails gets the
    exception in place of its findings."""
    from .analyzers.loaded import find_loaded, scorer_for, sentence_spans

    ready = [k for k, st in enumerate(staged) if isinstance(st, dict)]
    if not ready:
        return
    scorer = scorer_for(sentiment_engine=sentiment_engine)
    sents = [sentence_spans(staged[k]["doc"], staged[k]["sentences"]) for k in ready]
    try:
        flat = scorer([s for part in sents for s in part])
    except Exception:  # leave each article to score (and fail) on its own
        flat = None
    at = 0
    for k, part in zip(ready, sents):
        try:
            scores = flat[at:at + len(part)] if flat is not None else None
            staged[k]["loaded"] = find_loaded(staged[k]["doc"], part, scorer=scorer, scores=scores)
        except Exception as exc:
            staged[k] = exc
        at += len(part)


def body_actors(doc, skips: tuple[Span, ...]) -> tuple:
    """The actors of ``doc`` with their mentions inside ``skips`` (page chrome) dropped."""
    from .analyzers.actors import find_actors

    actors = tuple(find_actors(doc))
    if skips:
        actors = tuple(
            replace(a, mentions=tuple(m for m in a.mentions if not _inside(m.span, skips)))
            for a in actors
        )
        actors = tuple(a for a in actors if a.mentions)
    return actors


def article_attributions(doc, skips: tuple[Span, ...], actors, **kw) -> tuple:
    """The attributions of ``doc`` outside ``skips``; ``kw`` goes to ``find_attributions``
    (``cue_model=`` for other learned scorers than the shipped ones)."""
    from .analyzers.attribution import find_attributions

    return _drop_skipped(find_attributions(doc, actors=actors, **kw), skips,
                         lambda a: a.content[0] if a.content else (0, 0))


def _findings(doc, article: Article, caption_docs) -> dict:
    """Every finding of one article except the per-actor sentiment."""
    from .analyzers.claims import find_claims
    from .analyzers.hedging import find_hedges

    skips = tuple(article.skip_spans)
    actors = body_actors(doc, skips)
    attributions = article_attributions(doc, skips, actors)
    hedges = _drop_skipped(find_hedges(doc), skips, lambda h: h.span)
    claims = _drop_skipped(find_claims(doc, attributions=attributions, hedges=hedges), skips, lambda c: c.span)
    sentences = _drop_skipped(_sentence_spans(doc), skips, lambda s: s)
    return {"doc": doc, "article": article, "caption_docs": caption_docs, "skips": skips, "actors": actors,
            "attributions": attributions, "hedges": hedges, "claims": claims, "sentences": sentences}


def _complete(st: dict, sentiment_engine: str, model_probs) -> AuditResult:
    """Sentiment (from ``model_probs`` when the caller batched them), notes and scores."""
    from .analyzers.claims import find_borrowed_reporting
    from .analyzers.readability import readability
    from .analyzers.portrayal import CONTEXT_KEY as PORTRAYAL_CONTEXT
    from .analyzers.sentiment import actor_sentiments
    from .scores import summarize

    doc, article, actors, attributions = st["doc"], st["article"], st["actors"], st["attributions"]
    # the portrayal reads the headline and the loaded-language layer beside the parse
    doc.user_data[PORTRAYAL_CONTEXT] = {"title": article.title, "loaded": st.get("loaded", ())}
    sentiments = tuple(actor_sentiments(doc, actors, attributions=attributions, engine=sentiment_engine,
                                        model_probs=model_probs, requests=st.get("requests")))
    if st["caption_docs"]:
        actors = _caption_actors(actors, st["caption_docs"])
    notes = tuple(find_borrowed_reporting(doc, attributions=attributions, outlet=article.outlet))
    sentences = st["sentences"]
    result = AuditResult(
        article_id=article.id,
        attributions=attributions,
        hedges=st["hedges"],
        claims=st["claims"],
        actors=actors,
        sentiments=sentiments,
        notes=notes,
        readability=readability(doc),
        sentences=sentences,
        loaded=st.get("loaded", ()),
    )
    return replace(result, summary=summarize(result, doc, sentiment_engine=sentiment_engine))


# --- one batch of articles ----------------------------------------------------------

def analyze_batch(articles: list[Article], sentiment_engine: str) -> list[tuple[Article, AuditResult | None, str | None]]:
    """Parse and analyse one batch: ``(article, result, error)`` per article, in order; an
    article that cannot be parsed or analysed is returned with its error. Every executor
    (``audit.executors``, ``audit.distributed``) runs batches through this function."""
    from .nlp import ParseLimitError, parse_batch

    # bodies and photo captions (captions name actors too), checked and parsed in one pass
    texts, names, owner = [], [], []
    for k, art in enumerate(articles):
        for j, text in enumerate((art.text, *art.captions)):
            texts.append(text)
            names.append(f"caption {j}" if j else "")
            owner.append(k)
    parsed = parse_batch(texts, names=names, batch_size=len(articles) or 1, errors="return")
    mine: list[list] = [[] for _ in articles]
    for k, doc in zip(owner, parsed):
        mine[k].append(doc)
    out: list = [None] * len(articles)   # input order
    ready: list = []  # (position, (doc, article, captions)) for the articles that parsed
    for k, (art, docs) in enumerate(zip(articles, mine)):
        over = next((d for d in docs if isinstance(d, ParseLimitError)), None)
        failed = next((d for d in docs if isinstance(d, Exception)), None)
        if over is not None:
            out[k] = (art, None, str(over))
        elif failed is not None:  # reported per article by the caller, never swallowed
            out[k] = (art, None, f"analysis failed: {failed.__class__.__name__}: {failed}")
        else:
            ready.append((k, (docs[0], art, docs[1:])))
    # all analyzers per article; the model engine's predictions batched across the articles
    results = analyze_docs([item for _, item in ready], sentiment_engine=sentiment_engine)
    for (k, (_, art, _)), res in zip(ready, results):
        if isinstance(res, Exception):
            out[k] = (art, None, f"analysis failed: {res.__class__.__name__}: {res}")
        else:
            out[k] = (art, res, None)
    return out


def analyze_text(text: str, **article_fields) -> AuditResult:
    """Convenience for tests and the REPL: audit a raw body text."""
    from .nlp import load_nlp

    art = Article.build(text, **article_fields)
    return analyze_doc(load_nlp()(text), art)
