"""Decoding an encoder–decoder: greedy or beam search through ``engine.decoding`` (the language model's search,
the same tree), column by column, and greedy free running for a whole batch at once.

The decoder's ``step`` for the search carries (h, c, h̃) for each hypothesis; the encoder runs once per column.
A ``prefix`` forces the first output tokens (Seq2Seq-Vis' what-if): the decoder reads them, then searches on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.decoding import BeamResult, BeamStep, beam_search
from engine.recurrent.model import forward as rnn_forward
from engine.recurrent.parts import split_parts
from engine.seq2seq.attention import project_keys
from engine.seq2seq.model import check_source, encode, forward, one_blas_thread, readout
from engine.seq2seq.spec import BOS, EOS, PARTS, Seq2SeqSpec

MAX_LEN = 1000


@dataclass
class Decoded:
    """Per column: ``sequences`` the output tokens after BOS (ending with EOS where one was produced);
    ``scores`` (B,) their sums of log-probabilities in nats and ``normalized`` (B,) divided by GNMT's length
    penalty; ``attention`` (n, S_b) the weights over the source at each output step; ``tree`` every step's
    candidates (``engine.decoding.BeamStep``, as the language lab's search); ``beams`` the ``width`` best."""

    sequences: list[np.ndarray]
    scores: np.ndarray
    normalized: np.ndarray
    attention: list[np.ndarray | None]
    tree: list[list[BeamStep]] = field(default_factory=list)
    beams: list[BeamResult] = field(default_factory=list)


@one_blas_thread
def decode(spec: Seq2SeqSpec, params: dict[str, np.ndarray], src, src_lengths, max_len: int = 30, width: int = 1,
           length_penalty: float = 0.0, *, prefix=None) -> Decoded:  # fmt: skip
    """Beam search of ``width`` (1: greedy) for each column of ``src`` (S, B), up to ``max_len`` output tokens,
    hypotheses ranked by score / lp(|Y|) with α = ``length_penalty``. ``prefix``: tokens every column's output
    starts with (forced, not searched)."""
    spec.check_params(params)
    src, src_lengths = check_source(spec, src, src_lengths)
    prefix = _check_prefix(spec, prefix, max_len)
    named = split_parts(params, PARTS)
    _, annotations, h0, c0 = encode(spec, named, src, src_lengths)
    out = Decoded([], np.zeros(src.shape[1]), np.zeros(src.shape[1]), [])
    for b in range(src.shape[1]):
        n = int(src_lengths[b])
        keys = np.ascontiguousarray(annotations[:n, b][None])
        state = (h0[:, b : b + 1], None if c0 is None else c0[:, b : b + 1], None)
        step = _stepper(spec, named, keys)
        logits = None
        for token in [BOS, *prefix.tolist()]:
            logits, state = step(state, np.zeros(1, np.int64), np.array([token]))
        result = beam_search(logits[0], state, step, max_len - len(prefix), width=width,
                             length_penalty=length_penalty, end=EOS)  # fmt: skip
        sequence = np.concatenate([prefix, result.sequences[0]])
        out.sequences.append(sequence)
        out.scores[b], out.normalized[b] = result.scores[0], result.normalized[0]
        out.attention.append(_attention(spec, params, src[:n, b : b + 1], n, sequence))
        out.tree.append(result.tree)
        out.beams.append(result)
    return out


def _check_prefix(spec: Seq2SeqSpec, prefix, max_len: int) -> np.ndarray:
    if not isinstance(max_len, int | np.integer) or not 1 <= max_len <= MAX_LEN:
        raise ValueError(f"max_len must be a whole number from 1 to {MAX_LEN}, not {max_len!r}")
    prefix = np.zeros(0, np.int64) if prefix is None else np.asarray(prefix)
    if prefix.ndim != 1 or (prefix.size and prefix.dtype.kind not in "iu"):
        raise ValueError("prefix must be a vector of token ids")
    if prefix.size and (prefix.min() < 0 or prefix.max() >= spec.tgt_vocab):
        raise ValueError(f"prefix holds ids outside 0..{spec.tgt_vocab - 1}")
    if len(prefix) >= max_len:
        raise ValueError(f"the prefix of {len(prefix)} tokens leaves nothing to decode within max_len {max_len}")
    return prefix.astype(np.int64)


def _stepper(spec: Seq2SeqSpec, named: dict, keys: np.ndarray):
    """``engine.decoding``'s step for one column: state (h, c, h̃_{t−1}) with one row per hypothesis."""
    emb = named["tgt_embedding"]["weight"]
    projected = project_keys(spec.attention, named["attention"], keys)  # the same for every step and hypothesis

    def step(state, parents, tokens):
        h, c, feed = state
        h = h[:, parents]
        c = None if c is None else c[:, parents]
        x = emb[tokens]
        if spec.input_feeding:
            feed = np.zeros((1, spec.features), emb.dtype) if feed is None else feed[parents]
            x = np.concatenate([x, feed], axis=1)
        trace = rnn_forward(spec.decoder, named["decoder"], x[None], h, c)
        K = len(tokens)
        wide = (K, *keys.shape[1:])
        known = None if projected is None else np.broadcast_to(projected, wide)
        out = readout(spec, named, trace.output.transpose(1, 0, 2), np.broadcast_to(keys, wide),
                      np.ones((K, keys.shape[1]), bool), known)  # fmt: skip
        return out.logits[:, 0], (trace.h_n, trace.c_n, out.features[:, 0] if spec.input_feeding else None)

    return step


def _attention(spec: Seq2SeqSpec, params, src: np.ndarray, n: int, sequence: np.ndarray) -> np.ndarray | None:
    """(len(sequence), n) the attention the decoder paid while writing ``sequence``: it reads BOS and the
    sequence but its last token, as it did in the search."""
    if spec.attention == "none":
        return None
    tgt_in = np.concatenate([[BOS], sequence[:-1]]).astype(np.int64)[:, None]
    return forward(spec, params, src, np.array([n]), tgt_in).attention[:, 0]


def free_running(spec: Seq2SeqSpec, params, src, src_lengths, max_len: int = 30):
    """Greedy decoding of a whole batch at once, the decoder reading its own argmax at every step: the tokens
    (max_len, B) and the trace. Column b's output is its tokens up to its first EOS."""
    src = np.asarray(src)
    tgt_in = np.full((max_len, src.shape[1] if src.ndim == 2 else 1), BOS, np.int64)
    trace = forward(spec, params, src, src_lengths, tgt_in, teacher_forcing=0.0)
    return trace.logits.argmax(axis=-1), trace


def until_end(tokens: np.ndarray) -> np.ndarray:
    """A column of output tokens cut after its first EOS."""
    ends = np.flatnonzero(tokens == EOS)
    return tokens[: ends[0] + 1] if len(ends) else tokens
