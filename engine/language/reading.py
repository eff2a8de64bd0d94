"""What a language model makes of a text, character by character: how surprised it is by each (−log₂ p, in
bits), which characters it expected next, and its hidden units' values as it reads."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.checks import check_memory
from engine.language.model import LanguageModelSpec, final_state
from engine.recurrent import Inspection, inspect

TOP = 5
CHUNK = 256


class Reading(NamedTuple):
    """For a text's ids (n,): ``surprisal`` (n,) −log₂ p(ids[t] | ids[:t]) in bits (NaN for the first, which has
    nothing before it); ``top_ids``, ``top_probs`` (n, TOP) the likeliest characters after ids[:t + 1], best
    first; ``hidden`` (n, L, H) every layer's hidden state after reading ids[t]."""

    ids: np.ndarray
    surprisal: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    hidden: np.ndarray


def _likeliest(logp: np.ndarray, top: int) -> np.ndarray:
    """(n, top) the columns of the ``top`` largest entries of each row of ``logp`` (n, V), largest first: a
    partition, then a sort of those few (sorting every row of a vocabulary of thousands took a second a frame)."""
    if top < logp.shape[1]:
        part = np.argpartition(-logp, top - 1, axis=1)[:, :top]
    else:
        part = np.broadcast_to(np.arange(logp.shape[1]), logp.shape)
    order = np.argsort(-np.take_along_axis(logp, part, 1), axis=1, kind="stable")
    return np.take_along_axis(part, order, 1)


def _log_softmax_at(logits: np.ndarray):
    """``at(columns)`` (m, k), m ≤ n: log p of those columns of the first m rows, p = softmax(logits (n, V)), in
    float64. Only the normaliser needs every column: e^(z − max) in the logits' precision, summed in float64 (log p
    of the whole (n, V) in float64 made opening a text with a vocabulary of 10,000 stall for half a second)."""
    top = logits.max(axis=1, keepdims=True)
    log_total = np.log(np.exp(logits - top).sum(axis=1, dtype=np.float64, keepdims=True)) + top

    def at(columns: np.ndarray) -> np.ndarray:
        m = len(columns)
        return np.take_along_axis(logits[:m], columns, 1).astype(np.float64) - log_total[:m]

    return at


def read(spec: LanguageModelSpec, params: dict[str, np.ndarray], ids: np.ndarray, top: int = TOP) -> Reading:
    """The model's ``Reading`` of ``ids`` (n,), read from the zero state in chunks with the state carried."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu" or len(ids) < 1:
        raise ValueError(f"ids must be a non-empty vector of token ids, not {ids.dtype} {ids.shape}")
    n, top = len(ids), min(top, spec.vocab_size)
    per_character = spec.num_layers * spec.hidden_size * 4 + top * 16 + 16
    check_memory(n * per_character + 3 * CHUNK * spec.vocab_size * 8, f"reading {n:,} characters")
    hidden = np.empty((n, spec.num_layers, spec.hidden_size), np.float32)
    logp_next = np.full(n, np.nan)
    top_ids, top_probs = np.empty((n, top), np.int64), np.empty((n, top))
    state = None
    for start in range(0, n, CHUNK):
        piece = ids[start : start + CHUNK].astype(np.int64)
        trace = spec.run(params, piece[:, None], state)
        state = final_state(trace)
        hidden[start : start + len(piece)] = np.stack([layer.hidden[:, 0] for layer in trace.layers], axis=1)
        logits = trace.output[:, 0] @ params["head.weight"].T + params["head.bias"]
        logp_at = _log_softmax_at(logits)
        best = _likeliest(logits, top)  # the order of the logits is that of the probabilities
        top_ids[start : start + len(piece)] = best
        top_probs[start : start + len(piece)] = np.exp(logp_at(best))
        following = ids[start + 1 : start + len(piece) + 1]
        logp_next[start + 1 : start + 1 + len(following)] = logp_at(following[:, None])[:, 0]
    return Reading(ids.astype(np.int64), -logp_next / np.log(2), top_ids, top_probs, hidden)


def inspect_stretch(spec: LanguageModelSpec, params: dict[str, np.ndarray], ids: np.ndarray) -> Inspection:
    """The recurrent network inside the model reading ``ids`` (n ≥ 2,) from the zero state and predicting each
    next character: ``engine.recurrent.inspect``'s forward and backward traces, gradient flow and spectra, as the
    recurrent lab shows them (the network's input is the embedding of each character, or its one-hot vector)."""
    ids = np.asarray(ids, np.int64)
    if ids.ndim != 1 or len(ids) < 2:
        raise ValueError(f"a stretch needs at least two characters, not {len(ids)}")
    x = params["embedding.weight"][ids[:-1], None] if spec.embedding_dim else ids[:-1, None]
    network = {k.removeprefix("rnn."): v for k, v in params.items() if k.startswith("rnn.")}
    network.update({k: params[k] for k in ("head.weight", "head.bias")})
    return inspect(spec.rnn, network, x, ids[1:, None], activation="softmax", mode="per_step")
