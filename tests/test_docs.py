"""Every exported column and every score is documented in the README."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.tables import COLUMNS

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def documented():
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"`([a-z_0-9]+)`", text))


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_every_column_is_documented(table, documented):
    missing = [c for c in COLUMNS[table] if c not in documented]
    assert not missing, f"README does not document {table}: {missing}"


def test_every_summary_score_is_defined(documented):
    from audit.findings import AuditResult
    from audit.scores import summarize

    keys = summarize(AuditResult(article_id="x")).keys()
    assert not [k for k in keys if k not in documented]


def test_every_cli_command_has_an_example():
    from audit.cli import main

    text = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert f"### `newsaudit {name}" in text, name
        assert re.search(rf"^newsaudit {name}\b", text, re.M) or f"newsaudit {name}" in text
