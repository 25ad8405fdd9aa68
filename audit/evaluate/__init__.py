"""``newsaudit evaluate``: score the analyzers against gold files (see ../shared/eval/README.md).

Each task module exposes ``evaluate(gold_path, *, predictions=None, progress=None) -> dict``
returning a flat-ish metrics dict, and writes the predictions file when asked. Every task
audits the gold texts with the same ``audit.analyze`` code that ``newsaudit run`` uses.
"""
from __future__ import annotations

import importlib

TASKS = ("attribution", "sentiment", "hedging", "articles", "bias")


def evaluate(task: str, gold_path, *, predictions=None, progress=None) -> dict:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r} (choose from {', '.join(TASKS)})")
    mod = importlib.import_module(f"{__name__}.{task}")
    return mod.evaluate(gold_path, predictions=predictions, progress=progress)
