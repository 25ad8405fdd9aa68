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


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through playwright, one per test module (skips without it)."""
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="python playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a test server."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
