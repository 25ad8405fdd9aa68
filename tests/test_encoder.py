"""The shared sentence encoder (audit.encoder) and its numpy heads (audit.analyzers.encoder_heads)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from audit import encoder as enc
from audit.analyzers import encoder_heads as eh

needs_encoder = pytest.mark.skipif(not enc.model_available(), reason="the encoder is not exported yet")


def _fake(text, pieces):
    """An Encoded whose word pieces are ``pieces`` ((start, end) in ``text``), state k = k."""
    offs = np.array([(0, 0)] + list(pieces) + [(0, 0)], dtype=np.int64)
    states = np.arange(len(offs), dtype=np.float32)[:, None].repeat(4, 1)
    return enc.Encoded(text, states, offs)


def test_pieces_sentence_vector_and_alignment_to_tokens():
    # "Ann praised Bob." -> pieces Ann | pra ##ised | Bob | .
    e = _fake("Ann praised Bob.", [(0, 3), (4, 7), (7, 11), (12, 15), (15, 16)])
    assert list(e.pieces_in(4, 11)) == [2, 3]
    assert list(e.pieces_in(12, 15)) == [4]
    assert list(e.pieces_in(3, 4)) == []          # the space between words: no piece
    # the sentence vector ignores [CLS] (state 0) and [SEP] (state 6): mean of 1..5
    assert e.vector[0] == pytest.approx(3.0)
    # spaCy-like tokens: Ann, praised, Bob, "." and a whitespace token (no pieces -> zeros)
    st = e.token_states([(0, 3), (4, 11), (12, 15), (15, 16), (3, 4)])
    assert st[:, 0].tolist() == pytest.approx([1.0, 2.5, 4.0, 5.0, 0.0])
    mean, mx = enc.pool_span(e.states, e.pieces_in(4, 11))
    assert (mean[0], mx[0]) == (2.5, 3.0)
    z_mean, z_max = enc.pool_span(e.states, e.pieces_in(3, 4))
    assert not z_mean.any() and not z_max.any()


def test_missing_encoder_files_give_one_clear_error(tmp_path):
    enc.load.cache_clear()
    with pytest.raises(enc.EncoderUnavailable, match="missing.*lexicon"):
        enc.encode(["A sentence."], model_dir=tmp_path)
    assert enc.model_available(tmp_path) is False
    assert enc.serves_sentiment(tmp_path) is False


@needs_encoder
def test_corrupt_encoder_file_gives_one_clear_error(tmp_path):
    for f in enc.MODEL_FILES:
        shutil.copy2(enc.MODEL_DIR / f, tmp_path / f)
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(enc.EncoderUnavailable, match="could not be loaded"):
        enc.encode(["A sentence."], model_dir=tmp_path)


@needs_encoder
def test_one_pass_per_distinct_sentence_in_input_order(monkeypatch):
    calls = []
    real = enc._run

    def counting(session, tok, texts, bs):
        calls.append(list(texts))
        return real(session, tok, texts, bs)

    monkeypatch.setattr(enc, "_run", counting)
    enc.clear_cache()
    texts = ["Ann praised Bob and Carl.", "A much longer sentence about the budget vote in the Senate today.",
             "Ann praised Bob and Carl."]
    out = enc.encode(texts)
    assert [e.text for e in out] == texts
    assert calls == [texts[:2]]                  # the repeated sentence is encoded once
    assert out[0] is out[2]
    enc.encode(texts[:1])                        # a recent sentence comes from the cache
    assert len(calls) == 1
    padded = enc.encode(["\n  " + texts[0] + " \n"])[0]   # edge whitespace: same pass, offsets shifted
    assert len(calls) == 1 and padded.text == "\n  " + texts[0] + " \n"
    assert list(padded.pieces_in(3, 6)) == list(out[0].pieces_in(0, 3))
    e = out[1]
    assert e.states.shape[0] == e.offsets.shape[0] and e.states.shape[1] == e.vector.shape[0]


@needs_encoder
def test_three_actors_of_a_sentence_share_one_pass(monkeypatch):
    calls = []
    real = enc._run
    monkeypatch.setattr(enc, "_run", lambda s, t, texts, bs: calls.append(len(texts)) or real(s, t, texts, bs))
    enc.clear_cache()
    text = "Ann praised Bob, but Carl condemned the plan."
    probs = eh.predict_targets([(text, (0, 3)), (text, (12, 15)), (text, (21, 25))])
    assert calls == [1]
    for p in probs:
        assert len(p) == 3 and sum(p) == pytest.approx(1.0, abs=1e-5) and min(p) >= 0


@needs_encoder
def test_loaded_scores_give_word_spans_with_probabilities():
    text = "The senator's outrageous, job-killing scheme passed on Tuesday."
    [(p_sent, words)] = eh.loaded_scores([text])
    assert 0.0 <= p_sent <= 1.0
    assert [text[s:e] for s, e, _ in words] == ["The", "senator's", "outrageous", "job-killing", "scheme",
                                                   "passed", "on", "Tuesday"]
    assert all(0.0 <= p <= 1.0 for *_, p in words)
    th = eh.loaded_thresholds()
    assert 0 < th["sentence_threshold"] < 1 and 0 < th["word_threshold"] < 1
