"""The shells import one way: webui → reports → audit; nothing in audit/ but the CLI imports a shell."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imported_packages(source: str, own: str) -> set[str]:
    """Top-level package names a module of package ``own`` imports (relative imports are ``own``)."""
    tree = ast.parse(source)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.add(own if node.level else (node.module or "").split(".")[0])
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" and node.args
              and isinstance(node.args[0], ast.Constant)):
            out.add(str(node.args[0].value).split(".")[0])
    return out


def _modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package, forbidden, allowed", [
    ("reports", {"webui"}, set()),
    ("audit", {"webui", "reports"}, {"audit/cli.py"}),
])
def test_shells_import_one_way(package, forbidden, allowed):
    bad = {}
    for path in _modules(package):
        rel = path.relative_to(ROOT).as_posix()
        hits = _imported_packages(path.read_text(encoding="utf-8"), package) & forbidden
        if hits and rel not in allowed:
            bad[rel] = sorted(hits)
    assert bad == {}, f"modules importing a shell they must not: {bad}"


@pytest.mark.parametrize("source, expected", [
    ("from . import charts", {"reports"}),
    ("import webui.views", {"webui"}),
    ("x = __import__('audit')", {"audit"}),
    ("def f():\n    from webui import create_app", {"webui"}),
    ("import json  # webui", {"json"}),
])
def test_the_checker_sees_every_kind_of_import(source, expected):
    assert _imported_packages(source, "reports") == expected


def test_charts_live_with_the_reports():
    assert (ROOT / "reports" / "charts.py").is_file()
    assert not (ROOT / "webui" / "charts.py").exists()
