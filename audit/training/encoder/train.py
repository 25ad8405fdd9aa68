"""Multi-task fine-tuning of the shared sentence encoder (all-MiniLM-L6-v2) and export of
the int8 ONNX encoder + numpy heads used by :mod:`audit.encoder` and
:mod:`audit.analyzers.encoder_heads`.

Tasks, one encoder pass per sentence for all of them:
- target sentiment on NewsMTSC train (TD-BERT: ``[sentence vector; mean; max]`` of the
  target's word pieces -> linear(3)), every target of a sentence from the same pass;
- loaded language on BABE (``babe_dev.jsonl``, AGPL-3.0): sentence biased or not from
  ``[sentence vector; [CLS]]``, and per word piece whether it belongs to a biased word.
  BABE is cut into 5 folds by a hash of the sentence id; fold 0 is held out (thresholds are
  chosen there; figures at the default 0.5 threshold on it are untouched by any choice).

The epoch is selected on the mean NewsMTSC dev macro-F1, as for the pair model.

    python -m audit.training.encoder.train \
        --train ../shared/eval/sentiment/newsmtsc_train.jsonl \
        --dev ../shared/eval/sentiment/newsmtsc_rw_dev.jsonl ../shared/eval/sentiment/newsmtsc_mt_dev.jsonl \
        --babe ../shared/eval/bias/babe_dev.jsonl --out audit/models/encoder --seed 13 --epochs 3 --threads 1
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

from audit.analyzers.encoder_heads import LABELS

BASE_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_LENGTH = 256
HOLD_FOLD = 0


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def read_newsmtsc(path: Path, *, mixed_copies: int = 1) -> list[tuple[str, list]]:
    """(sentence, [(span, label index), ...]) per sentence; sentences whose targets differ in
    polarity repeated ``mixed_copies`` times."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            tg = [(tuple(t["span"]), LABELS.index(t["polarity"])) for t in d["targets"]]
            mixed = len({y for _, y in tg}) > 1
            out.extend([(d["text"], tg)] * (mixed_copies if mixed else 1))
    return out


def babe_fold(sid: str, k: int = 5) -> int:
    return int(hashlib.sha1(sid.encode("utf-8")).hexdigest(), 16) % k


def word_spans(text: str, words) -> list[tuple[int, int]]:
    """Character spans of the annotated biased words in ``text`` (every whole-word,
    case-insensitive occurrence)."""
    spans = []
    for w in words:
        w = w.strip()
        if not w:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text, flags=re.IGNORECASE):
            spans.append((m.start(), m.end()))
    return spans


def read_babe(path: Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out.append({"id": d["id"], "text": d["text"], "biased": bool(d["biased"]),
                        "spans": word_spans(d["text"], d.get("biased_words") or []),
                        "has_words": bool(d.get("biased_words")), "fold": babe_fold(d["id"])})
    return out


def build(base_dir: Path):
    import torch
    from transformers import AutoModel

    class MultiTask(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_dir))
            h = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.sent = torch.nn.Linear(3 * h, len(LABELS))
            self.bias = torch.nn.Linear(2 * h, 1)
            self.tok = torch.nn.Linear(h, 1)

        def states(self, ids, mask):
            return self.encoder(input_ids=ids, attention_mask=mask,
                                token_type_ids=torch.zeros_like(ids)).last_hidden_state

    return MultiTask()


class StatesOnly:
    """The export wrapper: (input_ids, attention_mask, token_type_ids) -> states."""

    @staticmethod
    def make(model):
        import torch

        class W(torch.nn.Module):
            def __init__(self, enc):
                super().__init__()
                self.enc = enc

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.enc(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state

        return W(model.encoder)


def tokenize(tok, texts):
    import numpy as np
    import torch

    encs = tok.encode_batch(texts)
    width = max(len(e.ids) for e in encs)
    ids = torch.zeros((len(encs), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    offs = []
    for r, e in enumerate(encs):
        n = len(e.ids)
        ids[r, :n] = torch.tensor(e.ids)
        mask[r, :n] = 1
        offs.append(np.asarray(e.offsets, dtype=np.int64).reshape(-1, 2))
    return ids, mask, offs


def pieces_in(o, s, e):
    import numpy as np

    return np.nonzero((o[:, 0] < e) & (o[:, 1] > s) & (o[:, 1] > o[:, 0]))[0]


def sent_vec(h_r, o):
    import torch

    real = torch.from_numpy(o[:, 1] > o[:, 0])
    return h_r[: len(o)][real].mean(0) if bool(real.any()) else h_r[: len(o)].mean(0)


def sentiment_feats(h, offs, examples):
    """Stacked features and labels for every target of the batch's sentences."""
    import torch

    feats, ys = [], []
    for r, (text, targets) in enumerate(examples):
        o = offs[r]
        v = sent_vec(h[r], o)
        for (s, e), y in targets:
            idx = pieces_in(o, s, e)
            if len(idx) == 0:
                z = torch.zeros_like(v)
                mean, mx = z, z
            else:
                sub = h[r, torch.from_numpy(idx)]
                mean, mx = sub.mean(0), sub.max(0).values
            feats.append(torch.cat([v, mean, mx]))
            ys.append(y)
    return torch.stack(feats), torch.tensor(ys)


def bias_parts(model, h, offs, items):
    """Sentence logits, token logits (real pieces), token labels and a mask of which tokens count."""
    import torch

    vecs, tl, tlab = [], [], []
    for r, it in enumerate(items):
        o = offs[r]
        vecs.append(torch.cat([sent_vec(h[r], o), h[r, 0]]))
        real = (o[:, 1] > o[:, 0])
        if it["biased"] and not it["has_words"]:
            continue  # biased but no words annotated: no token supervision
        lab = torch.zeros(len(o))
        for s, e in it["spans"]:
            lab[torch.from_numpy(pieces_in(o, s, e))] = 1.0
        keep = torch.from_numpy(real)
        tl.append(model.tok(model.dropout(h[r, : len(o)][keep])).squeeze(-1))
        tlab.append(lab[keep])
    slog = model.bias(model.dropout(torch.stack(vecs))).squeeze(-1)
    return slog, (torch.cat(tl) if tl else None), (torch.cat(tlab) if tlab else None)


def macro_f1(gold, pred, n):
    f1s = []
    for c in range(n):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    acc = sum(g == p for g, p in zip(gold, pred)) / max(len(gold), 1)
    return sum(f1s) / n, acc


def batches(lengths, bs, rng):
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = bs * 50
    out = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: lengths[i])
        out.extend(part[b:b + bs] for b in range(0, len(part), bs))
    return out


def eval_torch(model, tok, devs, babe_hold):
    import torch

    model.eval()
    scores = {}
    with torch.no_grad():
        for name, ex in devs.items():
            gold, pred = [], []
            order = sorted(range(len(ex)), key=lambda i: len(ex[i][0]))
            for b in range(0, len(order), 64):
                part = [ex[i] for i in order[b:b + 64]]
                ids, mask, offs = tokenize(tok, [t for t, _ in part])
                h = model.states(ids, mask)
                x, y = sentiment_feats(h, offs, part)
                pred += model.sent(x).argmax(-1).tolist()
                gold += y.tolist()
            f1, acc = macro_f1(gold, pred, 3)
            scores[name] = {"macro_f1": round(f1, 4), "accuracy": round(acc, 4)}
        if babe_hold:
            gold, pred = [], []
            for b in range(0, len(babe_hold), 64):
                part = babe_hold[b:b + 64]
                ids, mask, offs = tokenize(tok, [it["text"] for it in part])
                h = model.states(ids, mask)
                slog, _, _ = bias_parts(model, h, offs, part)
                pred += (slog > 0).long().tolist()
                gold += [int(it["biased"]) for it in part]
            f1, acc = macro_f1(gold, pred, 2)
            scores["babe_fold0"] = {"macro_f1": round(f1, 4), "accuracy": round(acc, 4)}
    return scores


def export(model, tok_path: Path, work: Path, args) -> None:
    import numpy as np
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    wrapper = StatesOnly.make(model)
    ids = torch.ones((2, 8), dtype=torch.long)
    fp32 = work / "model.fp32.onnx"
    torch.onnx.export(
        wrapper, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["states"],
        dynamic_axes={n: {0: "batch", 1: "length"} for n in ("input_ids", "attention_mask", "token_type_ids", "states")},
        opset_version=17, dynamo=False,
    )
    quantize_dynamic(str(fp32), str(work / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
    shutil.copy2(tok_path, work / "tokenizer.json")
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    np.savez(work / "heads.npz",
             sent_W=sd["sent.weight"].T, sent_b=sd["sent.bias"],
             bias_W=sd["bias.weight"].T, bias_b=sd["bias.bias"],
             tok_W=sd["tok.weight"].T, tok_b=sd["tok.bias"])
    config = {"base_model": BASE_MODEL_NAME, "max_length": MAX_LENGTH, "output": "states (batch, length, 384)",
              "sentiment_labels": list(LABELS), "intra_op_num_threads": 1,
              "loaded": {"sentence_threshold": 0.5, "word_threshold": 0.5}}
    (work / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def score_exported(work: Path, dev_paths, babe_hold) -> dict:
    """Dev figures of the exported files through the run-time code; thresholds for the
    loaded-language head chosen on the held BABE fold (figures at 0.5 reported too)."""
    import numpy as np

    from audit import encoder as rt
    from audit.analyzers import encoder_heads as eh

    rt.load.cache_clear()
    eh.clear_cache()
    out = {}
    for p in dev_paths:
        ex = read_newsmtsc(p)
        items = [(t, s) for t, tg in ex for s, _ in tg]
        gold = [y for _, tg in ex for _, y in tg]
        probs = eh.predict_targets(items, model_dir=work)
        f1, acc = macro_f1(gold, [int(np.argmax(q)) for q in probs], 3)
        out[p.stem] = {"targets": len(items), "macro_f1": round(f1, 4), "accuracy": round(acc, 4)}
    if babe_hold:
        sc = eh.loaded_scores([it["text"] for it in babe_hold], model_dir=work)
        gold = [int(it["biased"]) for it in babe_hold]

        def sent_f1(th):
            return macro_f1(gold, [int(p >= th) for p, _ in sc], 2)[0]

        def word_prf(th):
            tp = fp = fn = 0
            for it, (_, words) in zip(babe_hold, sc):
                if not it["has_words"]:
                    pred = [w for w in words if w[2] >= th]
                    fp += len(pred) if not it["biased"] else 0
                    continue
                pred = [(s, e) for s, e, p in words if p >= th]
                hit = [any(ps < e and pe > s for ps, pe in pred) for s, e in it["spans"]]
                tp_g = sum(hit)
                fn += len(hit) - tp_g
                tp += tp_g
                fp += sum(1 for ps, pe in pred if not any(ps < e and pe > s for s, e in it["spans"]))
            pr = tp / (tp + fp) if tp + fp else 0.0
            rc = tp / (tp + fn) if tp + fn else 0.0
            return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)

        grid = [round(x, 2) for x in np.arange(0.1, 0.91, 0.05)]
        st = max(grid, key=sent_f1)
        wt = max(grid, key=lambda t: word_prf(t)[2])
        out["babe_fold0"] = {
            "sentences": len(babe_hold),
            "sentence_macro_f1_at_0.5": round(sent_f1(0.5), 4),
            "word_prf_at_0.5": [round(v, 4) for v in word_prf(0.5)],
            "sentence_threshold": st, "sentence_macro_f1_at_threshold": round(sent_f1(st), 4),
            "word_threshold": wt, "word_prf_at_threshold": [round(v, 4) for v in word_prf(wt)],
        }
        cfg = json.loads((work / "config.json").read_text(encoding="utf-8"))
        cfg["loaded"] = {"sentence_threshold": st, "word_threshold": wt}
        (work / "config.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
        eh.clear_cache()
    return out


PAIR_METRICS = Path(__file__).resolve().parents[2] / "models" / "sentiment" / "metrics.json"


def mark_engine(work: Path, scores: dict) -> bool:
    """Make the encoder's head the sentiment engine only if it scores at least as well as the
    shipped pair model on every NewsMTSC dev file (figures of both exported models)."""
    try:
        pair = json.loads(PAIR_METRICS.read_text(encoding="utf-8"))["dev_int8_onnx"]
    except (OSError, ValueError, KeyError):
        pair = {}
    ok = bool(pair) and all(k in scores and scores[k]["macro_f1"] >= v["macro_f1"] for k, v in pair.items())
    cfg = json.loads((work / "config.json").read_text(encoding="utf-8"))
    cfg["sentiment_engine"] = ok
    cfg["pair_model_dev_macro_f1"] = {k: v["macro_f1"] for k, v in pair.items()}
    (work / "config.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    log(f"sentiment engine: {'the encoder head' if ok else 'the pair model (encoder head below it on dev)'}")
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--dev", type=Path, nargs="+", required=True)
    ap.add_argument("--babe", type=Path)
    ap.add_argument("--out", type=Path, default=Path("audit/models/encoder"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--mixed-copies", type=int, default=3)
    ap.add_argument("--bias-weight", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="only N sentences per task (timing / smoke test)")
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args(argv)

    import torch
    from tokenizers import Tokenizer

    from audit.training.torch_start import start

    base_dir = start(args.threads, args.seed)
    model = build(base_dir)
    tok = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_LENGTH)

    sent_train = read_newsmtsc(args.train, mixed_copies=args.mixed_copies)
    babe = read_babe(args.babe) if args.babe else []
    babe_train = [b for b in babe if b["fold"] != HOLD_FOLD]
    babe_hold = [b for b in babe if b["fold"] == HOLD_FOLD]
    if args.limit:
        rs = random.Random(args.seed)
        sent_train = rs.sample(sent_train, min(args.limit, len(sent_train)))
        babe_train = rs.sample(babe_train, min(args.limit // 4, len(babe_train)))
    devs = {p.stem: read_newsmtsc(p) for p in args.dev}
    log(f"sentiment sentences {len(sent_train)}, BABE train {len(babe_train)} / held {len(babe_hold)}")

    for prm in model.encoder.embeddings.parameters():
        prm.requires_grad_(False)
    rng = random.Random(args.seed)
    # one list of (task, batch) per epoch: sentiment and BABE batches interleaved at random
    def epoch_batches():
        bl = [("s", b) for b in batches([len(t) for t, _ in sent_train], args.batch_size, rng)]
        bl += [("b", b) for b in batches([len(x["text"]) for x in babe_train], args.batch_size, rng)]
        rng.shuffle(bl)
        return bl

    n_steps = len(epoch_batches())
    total = n_steps * args.epochs
    warm = int(0.1 * total)
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    opt = torch.optim.AdamW([
        {"params": [p for n, p in params if not any(k in n for k in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in params if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ], lr=args.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(warm, 1) if s < warm else max(0.0, (total - s) / max(total - warm, 1)))
    ce = torch.nn.CrossEntropyLoss()
    bce = torch.nn.BCEWithLogitsLoss()
    tok_bce = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(5.0))

    work = args.out.with_name(args.out.name + ".work")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    tok_path = work / "base_tokenizer.json"
    shutil.copy2(base_dir / "tokenizer.json", tok_path)
    history, best = [], (-1.0, 0)
    t_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, losses = time.time(), {"s": 0.0, "b": 0.0}
        counts = {"s": 0, "b": 0}
        bl = epoch_batches()
        for step, (task, idx) in enumerate(bl, 1):
            if task == "s":
                part = [sent_train[i] for i in idx]
                ids, mask, offs = tokenize(tok, [t for t, _ in part])
                h = model.states(ids, mask)
                x, y = sentiment_feats(h, offs, part)
                loss = ce(model.sent(model.dropout(x)), y)
            else:
                part = [babe_train[i] for i in idx]
                ids, mask, offs = tokenize(tok, [it["text"] for it in part])
                h = model.states(ids, mask)
                slog, tl, tlab = bias_parts(model, h, offs, part)
                loss = bce(slog, torch.tensor([float(it["biased"]) for it in part]))
                if tl is not None:
                    loss = loss + tok_bce(tl, tlab)
                loss = args.bias_weight * loss
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses[task] += loss.item()
            counts[task] += 1
            if step % 50 == 0:
                log(f"epoch {epoch} step {step}/{len(bl)} sent loss {losses['s'] / max(counts['s'], 1):.4f} "
                    f"bias loss {losses['b'] / max(counts['b'], 1):.4f} ({time.time() - t0:.0f}s)")
        scores = eval_torch(model, tok, devs, babe_hold)
        mean = sum(scores[k]["macro_f1"] for k in devs) / len(devs)
        history.append({"epoch": epoch, "sent_loss": round(losses["s"] / max(counts["s"], 1), 4),
                        "bias_loss": round(losses["b"] / max(counts["b"], 1), 4), "dev": scores,
                        "seconds": round(time.time() - t0)})
        log(f"epoch {epoch} done in {time.time() - t0:.0f}s: {scores} mean {mean:.4f}")
        if mean > best[0] and not args.no_export:
            best = (mean, epoch)
            export(model, tok_path, work, args)
            onnx_scores = score_exported(work, args.dev, babe_hold)
            log(f"exported int8 ONNX: {onnx_scores}")
            mark_engine(work, onnx_scores)
            args.out.mkdir(parents=True, exist_ok=True)
            for f in ("model.onnx", "tokenizer.json", "config.json", "heads.npz"):
                shutil.copy2(work / f, args.out / f)
            metrics = {
                "base_model": BASE_MODEL_NAME, "seed": args.seed, "epochs": args.epochs,
                "epochs_completed": epoch, "selected_epoch": best[1], "batch_size": args.batch_size,
                "lr": args.lr, "mixed_copies": args.mixed_copies, "bias_weight": args.bias_weight,
                "threads": args.threads, "torch": torch.__version__, "limit": args.limit,
                "sentiment_sentences": len(sent_train), "babe_train": len(babe_train), "babe_held": len(babe_hold),
                "history": history, "dev_int8_onnx": onnx_scores,
                "train_seconds": round(time.time() - t_start),
                "command": "python -m audit.training.encoder.train " + " ".join(argv if argv is not None else sys.argv[1:]),
            }
            (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
            from audit.training.encoder.card import write_model_card

            write_model_card(args.out)
            log(f"wrote {args.out}")
    log(f"selected epoch {best[1]} (mean dev macro-F1 {best[0]:.4f}); history {json.dumps(history)}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
