"""The layer registry: every analysis layer in one list, with its analyzer, its findings,
its tables and their columns, and the article scores it adds.

The rest of the code reads this list: :mod:`audit.tables` takes every table's columns from
it (the store's schema, the CSV and JSONL exports and the dashboard's downloads follow),
and :func:`audit.scores.summarize` calls each layer's score function in this order. A new
layer is its analyzer module, its entry here (its findings type, its table's columns, its
score function in :mod:`audit.scores`), the rows it contributes in ``audit.tables.rows_for``,
its section of the README data dictionary, and its template; ``tests/test_layers.py``
checks that the entry, the tables, the scores and the README agree.

Nothing heavy is imported here (the analyzer and the score function are named, and loaded
when used), so the CLI's ``--help`` and the store stay light.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from .findings import Actor, ActorSentiment, Attribution, Claim, Hedge, LoadedSentence, Note, Readability


@dataclass(frozen=True)
class Layer:
    """One analysis layer.

    ``analyzers`` and ``score_function`` are ``"module:function"`` names; ``findings`` are
    the findings types and ``result_fields`` the :class:`~audit.findings.AuditResult` fields
    that hold them; ``tables`` maps each table the layer fills to its columns, in order;
    ``scores`` are the ``articles`` columns its score function returns, in order."""

    name: str
    analyzers: tuple[str, ...]
    findings: tuple[type, ...]
    result_fields: tuple[str, ...]
    tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scores: tuple[str, ...] = ()
    score_function: str | None = None

    def score(self, result) -> dict:
        """The layer's article scores for one :class:`~audit.findings.AuditResult`."""
        return resolve(self.score_function)(result) if self.score_function else {}


def resolve(name: str):
    """The object a ``"module:attribute"`` name points at."""
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


# The articles table starts with the article's own metadata and the run's; the layers'
# scores follow, in layer order.
ARTICLE_COLUMNS = (
    "article_id", "external_id", "outlet", "section", "title", "author", "published", "url", "origin",
    "analyzer_version", "sentiment_engine", "audited_at",
)
DOCUMENT_COLUMNS = ("article_id", "text", "captions", "subheads", "boilerplate", "skip_spans", "sentence_spans")

LAYERS: tuple[Layer, ...] = (
    Layer("counts", ("audit.analyzers.readability:readability",), (Readability,), ("sentences", "readability"),
          scores=("words", "sentences"), score_function="audit.scores:count_scores"),
    Layer("attribution", ("audit.analyzers.attribution:find_attributions",), (Attribution,), ("attributions",),
          tables={"attributions": (
              "article_id", "n", "source_start", "source_end", "source_text", "source_name", "actor_key",
              "source_type", "kind", "cue_start", "cue_end", "cue_text", "content_start", "content_end",
              "content_spans", "content_text", "form", "direct", "borrowed", "found_by", "confidence",
          )},
          scores=("attributions", "attributed_sentence_share", "attributions_per_100_words", "distinct_sources",
                  "direct_quote_share", "statements", "named_statement_share", "anonymous_statement_share",
                  "share_named_person", "share_named_organization", "share_anonymous", "share_unspecified_group",
                  "share_document", "share_media", "named_source_share", "anonymous_source_share",
                  "source_diversity", "borrowed_reporting"),
          score_function="audit.scores:attribution_scores"),
    Layer("hedging", ("audit.analyzers.hedging:find_hedges",), (Hedge,), ("hedges",),
          tables={"hedges": ("article_id", "n", "start", "end", "text", "kind", "sentence_start", "sentence_end")},
          scores=("hedges", "hedges_per_100_words", "hedged_sentence_share", "boosters"),
          score_function="audit.scores:hedge_scores"),
    Layer("claims", ("audit.analyzers.claims:find_claims",), (Claim,), ("claims",),
          tables={"claims": ("article_id", "n", "start", "end", "text", "reason", "evidence_spans", "evidence_text",
                             "note")},
          scores=("unverified_claims", "anonymous_only_claim_share"),
          score_function="audit.scores:claim_scores"),
    Layer("loaded", ("audit.analyzers.loaded:find_loaded",), (LoadedSentence,), ("loaded",),
          tables={"loaded_language": (
              "article_id", "n", "sentence_start", "sentence_end", "probability", "loaded", "in_quote",
              "word_spans", "words", "word_probabilities", "word_in_quote", "engine",
          )},
          scores=("loaded_sentence_share", "loaded_words_per_100_words", "quoted_loaded_sentences", "loaded_engine"),
          score_function="audit.scores:loaded_scores"),
    Layer("actors", ("audit.analyzers.actors:find_actors", "audit.analyzers.sentiment:actor_sentiments"),
          (Actor, ActorSentiment), ("actors", "sentiments"),
          tables={
              "actors": ("article_id", "actor_key", "name", "type", "mentions", "caption_mentions", "times_quoted",
                         "sentiment_score", "sentiment_label", "positive_mentions", "neutral_mentions",
                         "negative_mentions", "sentiment_engine"),
              "mentions": ("article_id", "actor_key", "start", "end", "text", "kind"),
              "sentiment_evidence": ("article_id", "actor_key", "start", "end", "text", "score", "label",
                                     "p_negative", "p_neutral", "p_positive", "cues"),
          },
          scores=("actors", "mean_actor_sentiment"),
          score_function="audit.scores:actor_scores"),
    Layer("notes", ("audit.analyzers.claims:find_borrowed_reporting",), (Note,), ("notes",),
          tables={"notes": ("article_id", "kind", "message", "evidence_spans")}),
    Layer("readability", ("audit.analyzers.readability:readability",), (Readability,), ("readability",),
          scores=("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog"),
          score_function="audit.scores:readability_scores"),
)


def table_columns() -> dict[str, tuple[str, ...]]:
    """Every table's columns, in order: ``articles`` (metadata, then each layer's scores),
    ``documents``, then each layer's tables."""
    return {
        "articles": ARTICLE_COLUMNS + tuple(c for lay in LAYERS for c in lay.scores),
        "documents": DOCUMENT_COLUMNS,
        **{t: cols for lay in LAYERS for t, cols in lay.tables.items()},
    }


def finding_tables() -> tuple[str, ...]:
    """The tables that hold findings (one row per finding), in layer order."""
    return tuple(t for lay in LAYERS for t in lay.tables)
