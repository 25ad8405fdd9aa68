"""The house rules of the code layout (issue #25), checked on the source files themselves:

- only ``audit/nlp.py`` calls ``.pipe(`` (one parse entry, holding the parse limits);
- no module imports another module's underscore names, nor reaches into an imported
  module's underscore attributes (helpers another module needs are public);
- no module in ``audit/``, ``webui/``, ``reports/`` is over 900 lines (split a long one by
  layer, as ``audit/analyzers/attribution/`` is).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("audit", "webui", "reports")
MAX_LINES = 900

# (module, the other module's underscore name it uses), each with its reason. Keep it empty.
PRIVATE_USE_ALLOWED: set[tuple[str, str]] = set()

def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))

def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)

def _absolute(path: Path, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved against ``path``)."""
    if not node.level:
        return node.module or ""
    pkg = _module_name(path).split(".")
    if path.name != "__init__.py":
        pkg = pkg[:-1]
    base = pkg[:len(pkg) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))

def _is_module(dotted: str) -> bool:
    p = ROOT.joinpath(*dotted.split("."))
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()

def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

def _pipe_calls(path: Path) -> list[int]:
    return [n.lineno for n in ast.walk(_tree(path))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "pipe"]

def _private_uses(path: Path) -> list[str]:
    """``other.module._name`` for every underscore name of another project module that
    ``path`` imports (``from m import _x``) or reads off an imported module (``m._x``)."""
    tree = _tree(path)
    own = _module_name(path)
    modules: dict[str, str] = {}    # local name -> project module it is bound to
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            src = _absolute(path, node)
            if src.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                if _private(alias.name) and src != own:
                    found.append(f"{src}.{alias.name}")
                elif _is_module(f"{src}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{src}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES and alias.asname:
                    modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in modules and modules[node.value.id] != own):
            found.append(f"{modules[node.value.id]}.{node.attr}")
    return sorted(set(found))

def test_the_checks_see_what_they_look_for(tmp_path, monkeypatch):
    """The checks themselves: a ``.pipe(`` call and each form of private use are found."""
    pkg = tmp_path / "audit"
    (pkg / "sub").mkdir(parents=True)
    for f in ("__init__.py", "sub/__init__.py", "sub/helpers.py"):
        (pkg / f).write_text("")
    probe = pkg / "probe.py"
    probe.write_text("from .sub.helpers import _hidden, shown\n"
                     "from .sub import helpers as h\n"
                     "import audit.sub.helpers as hh\n"
                     "x = h._inner() + hh._deep + h.public\n"
                     "docs = nlp.pipe(texts)\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _pipe_calls(probe) == [5]
    assert _private_uses(probe) == ["audit.sub.helpers._deep", "audit.sub.helpers._hidden",
                                    "audit.sub.helpers._inner"]
    clean = pkg / "clean.py"
    clean.write_text("from __future__ import annotations\nfrom .sub.helpers import shown\n"
                     "def _mine():\n    return shown.pipeline\n")
    assert _pipe_calls(clean) == [] and _private_uses(clean) == []

def test_only_nlp_calls_pipe():
    calls = {_rel(p): lines for p in _modules() if (lines := _pipe_calls(p))}
    assert set(calls) <= {"audit/nlp.py"}, f"nlp.pipe outside audit/nlp.py (use audit.nlp.parse_batch): {calls}"

def test_no_module_uses_another_modules_private_names():
    uses = {(_rel(p), name) for p in _modules() for name in _private_uses(p)}
    assert sorted(uses - PRIVATE_USE_ALLOWED) == []
    assert sorted(PRIVATE_USE_ALLOWED - uses) == [], "an allowed exception is gone: drop it from the list"

def test_no_module_is_over_the_line_limit():
    lengths = {_rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    too_long = {m: n for m, n in lengths.items() if n > MAX_LINES}
    assert too_long == {}, f"split these by layer (helpers, sources, rule families, scorers, assembly): {too_long}"


# The attribution package's layers, in order: each module imports only the ones before it.
ATTRIBUTION_LAYERS = ("helpers", "kinds", "model", "sources", "content", "rules", "quotes", "learned", "assemble")


def test_the_attribution_layers_import_only_the_layers_before_them():
    pkg = ROOT / "audit" / "analyzers" / "attribution"
    assert sorted(p.stem for p in pkg.glob("*.py") if p.stem != "__init__") == sorted(ATTRIBUTION_LAYERS)
    upward = []
    for k, name in enumerate(ATTRIBUTION_LAYERS):
        path = pkg / f"{name}.py"
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom):
                src = _absolute(path, node)
                if src.startswith("audit.analyzers.attribution."):
                    layer = src.rsplit(".", 1)[1]
                    if ATTRIBUTION_LAYERS.index(layer) >= k:
                        upward.append(f"{name} imports {layer}")
    assert upward == []


def test_run_time_code_never_imports_training_code():
    """``audit/training/`` is for training only: nothing else imports it (and so nothing at
    run time needs scikit-learn or torch)."""
    bad = []
    for path in _modules():
        rel = _rel(path)
        if rel.startswith("audit/training/"):
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom):
                names = [_absolute(path, node)] + [f"{_absolute(path, node)}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n == "audit.training" or n.startswith("audit.training.") for n in names):
                bad.append(f"{rel}:{node.lineno}")
    assert bad == []
