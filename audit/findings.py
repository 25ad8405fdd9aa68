"""Finding records: what every analyzer returns.

Every finding is a frozen dataclass whose spans are ``(start, end)`` Python string
offsets into the article body text that was parsed (end exclusive), so that every
score can point at the text that produced it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]

# Source kinds (the vocabulary of ../shared/eval's articles schema).
SOURCE_TYPES = (
    "named_person",
    "named_organization",
    "anonymous",
    "unspecified_group",
    "document",
    "media",
)

# How an attribution is expressed.
ATTRIBUTION_FORMS = (
    "direct",        # whole content inside quotation marks
    "mixed",         # partly quoted
    "indirect",      # speech/cognition verb + clausal complement, no quotes
    "according_to",  # "according to X", "citing X"
    "colon",         # Netanyahu: "..."
    "sourceless",    # "it was reported that ..."
    "nominal",       # "the warning from X that ..."
)

# What is attributed: speech or writing (quoted or reported), a belief/intention/attitude
# (incl. support and opposition), or what a document, data, study or poll found or showed.
ATTRIBUTION_KINDS = ("statement", "belief", "evidence")

HEDGE_KINDS = ("modal", "approximator", "reporting", "epistemic", "distancing", "booster")

CLAIM_REASONS = ("explicitly_unverified", "anonymous_source_only", "unattributed_contested")

ACTOR_TYPES = ("person", "organization", "country")

POLARITIES = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Attribution:
    """A statement, belief or intention attributed to a source."""

    content: tuple[Span, ...]          # one or more pieces (split quotes)
    source: Span | None                # None for sourceless forms
    cue: Span | None
    source_type: str                   # one of SOURCE_TYPES
    form: str                          # one of ATTRIBUTION_FORMS
    direct: bool                       # whole content inside quotation marks
    source_text: str = ""
    cue_text: str = ""
    content_text: str = ""             # pieces joined with " … "
    actor_key: str | None = None       # resolved actor (see actors analyzer)
    source_name: str = ""              # canonical source name (actor name or source text)
    borrowed: bool = False             # other media used as the article's own reporting
    found_by: str = "rule"             # "rule" or "model" (the learned long-tail cue scorer)
    confidence: float | None = None    # the keep scorer's probability; None for quotations and frames
                                       # (a learned reading carries the cue scorer's until the keep scorer judges it)
    kind: str = "statement"            # one of ATTRIBUTION_KINDS


@dataclass(frozen=True)
class Hedge:
    """A hedging cue (or, with kind == "booster", the opposite signal)."""

    span: Span
    text: str
    kind: str                          # one of HEDGE_KINDS
    sentence: Span = (0, 0)


@dataclass(frozen=True)
class Claim:
    """A checkable claim the article asks readers to take on trust."""

    span: Span
    text: str
    reason: str                        # one of CLAIM_REASONS
    evidence: tuple[Span, ...] = ()    # caveats, anonymous sources, distancing cues
    evidence_text: tuple[str, ...] = ()
    note: str = ""                     # one-line human explanation


@dataclass(frozen=True)
class Mention:
    span: Span
    text: str
    kind: str = "name"                 # name, surname, title, pronoun, metonym, demonym, alias


@dataclass(frozen=True)
class Actor:
    """One real-world referent of an article with all its mentions merged."""

    key: str                           # stable across articles: "person:benjamin-netanyahu"
    name: str                          # canonical name
    type: str                          # one of ACTOR_TYPES
    mentions: tuple[Mention, ...]
    times_quoted: int = 0              # attributions whose source resolves to this actor
    caption_mentions: tuple[str, ...] = ()  # names used in photo captions (outside the body)


@dataclass(frozen=True)
class SentimentEvidence:
    """One sentence that drove an actor's portrayal."""

    sentence: Span
    text: str
    score: float                       # -1 .. 1
    label: str                         # one of POLARITIES
    probs: tuple[float, float, float] | None = None  # (neg, neu, pos) for the model engine
    cues: tuple[str, ...] = ()         # words that moved the score


@dataclass(frozen=True)
class ActorSentiment:
    actor_key: str
    score: float                       # mean over scored sentences, -1 .. 1
    label: str                         # one of POLARITIES
    positive: int
    neutral: int
    negative: int
    engine: str                        # "lexicon" or "model"
    evidence: tuple[SentimentEvidence, ...] = ()


@dataclass(frozen=True)
class Note:
    """A free-standing observation about the article (e.g. borrowed reporting)."""

    kind: str                          # "borrowed_reporting", ...
    message: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Readability:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    words: int
    sentences: int
    avg_sentence_length: float


@dataclass(frozen=True)
class LoadedWord:
    """A word that carries loaded wording (see audit.analyzers.loaded)."""

    span: Span
    text: str
    probability: float                 # P(the word is loaded), from the engine
    in_quote: bool = False             # inside a quotation: the quoted speaker's word, not the outlet's


@dataclass(frozen=True)
class LoadedSentence:
    """One body sentence's loaded-language reading."""

    sentence: Span
    probability: float                 # P(the sentence's wording is loaded)
    loaded: bool                       # probability >= the engine's threshold
    in_quote: bool = False             # its loaded words (or most of it) are inside a quotation
    words: tuple[LoadedWord, ...] = ()
    engine: str = "lexicon"


@dataclass(frozen=True)
class AuditResult:
    """Everything one article's audit found."""

    article_id: str
    attributions: tuple[Attribution, ...] = ()
    hedges: tuple[Hedge, ...] = ()
    claims: tuple[Claim, ...] = ()
    actors: tuple[Actor, ...] = ()
    sentiments: tuple[ActorSentiment, ...] = ()
    notes: tuple[Note, ...] = ()
    readability: Readability | None = None
    sentences: tuple[Span, ...] = ()
    loaded: tuple[LoadedSentence, ...] = ()
    summary: dict = field(default_factory=dict)
