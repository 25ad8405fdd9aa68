"""Shared fixtures: one spaCy pipeline per test session; gold data located beside the project."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSAUDIT_SHARED", ROOT.parent / "shared"))
EVAL = SHARED / "eval"
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_8cc791c9f874ef62.txt"


@pytest.fixture(scope="session")
def nlp():
    from audit.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def eval_dir():
    if not EVAL.is_dir():
        pytest.skip(f"gold data not found at {EVAL} (it lives beside the project, in ../shared/eval)")
    return EVAL


def gold_file(*parts) -> Path:
    p = EVAL.joinpath(*parts)
    if not p.is_file():
        pytest.skip(f"gold file {p} is absent (../shared/eval is not part of the project)")
    return p
