"""Decoding a model that gives the next token's logits: greedy search, sampling (temperature, top-k, top-p),
beam search with the GNMT length penalty, and exhaustive search to hold the others to.

Shared by the language model and the encoder–decoder: each brings a ``step`` function and its own state.

    step(state, parents, tokens) -> (logits, state)

``parents`` (K,) picks, for each of the K hypotheses going on, the row of ``state`` it continues (beam search
reorders and repeats rows); ``tokens`` (K,) are the tokens they append; ``logits`` (K, V) the next token's
logits for each. A search starts from ``logits`` (V,) of the first token and the one-row ``state`` they came
from. Softmax is always taken with the maximum subtracted.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.checks import check_memory

Step = Callable[[Any, np.ndarray, np.ndarray], tuple[np.ndarray, Any]]


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log p over the last axis, with the maximum subtracted first (finite for logits of any size)."""
    z = logits - logits.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def probabilities(logits: np.ndarray, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> np.ndarray:
    """The distribution a sampler draws from, (V,): softmax(logits / temperature), then only the top_k
    likeliest tokens (0: all), then only the smallest set of likeliest tokens whose probability reaches top_p
    (the nucleus), renormalised. Temperature 0 puts all mass on the argmax (the first, on ties)."""
    logits = np.asarray(logits, np.float64)
    _check_sampling(logits, temperature, top_k, top_p)
    if temperature == 0:
        p = np.zeros_like(logits)
        p[np.argmax(logits)] = 1.0
        return p
    # (z − max) / T ≤ 0: exp never overflows, however small T or large the logits
    p = np.exp((logits - logits.max()) / temperature)
    p /= p.sum()
    if top_k == 0 and top_p >= 1.0:
        return p
    order = np.argsort(-p, kind="stable")
    keep = np.zeros(p.shape, bool)
    keep[order[: _nucleus_size(p[order], top_k, top_p)]] = True
    p = np.where(keep, p, 0.0)
    return p / p.sum()


def _nucleus_size(sorted_p: np.ndarray, top_k: int, top_p: float) -> int:
    """How many of the likeliest tokens (``sorted_p`` best first) top-k, then top-p, keep."""
    n = len(sorted_p) if top_k == 0 else min(top_k, len(sorted_p))
    if top_p < 1.0:
        head = sorted_p[:n]
        reached = np.cumsum(head) >= top_p * head.sum()
        n = int(np.argmax(reached)) + 1 if reached.any() else n
    return n


def _check_sampling(logits: np.ndarray, temperature: float, top_k: int, top_p: float) -> None:
    if logits.ndim != 1 or logits.size == 0:
        raise ValueError(f"logits must be one non-empty vector (V,), not of shape {logits.shape}")
    if not np.isfinite(logits).all():
        raise ValueError("logits hold NaN or Inf")
    if not (np.isfinite(temperature) and temperature >= 0):
        raise ValueError(f"temperature must be a number ≥ 0 (0: greedy), not {temperature!r}")
    if not isinstance(top_k, int | np.integer) or top_k < 0:
        raise ValueError(f"top_k must be a whole number ≥ 0 (0: every token), not {top_k!r}")
    if not 0.0 < top_p <= 1.0:
        raise ValueError(f"top_p must be in (0, 1], not {top_p!r}")


def draw(logits: np.ndarray, rng: np.random.Generator, temperature: float = 1.0, top_k: int = 0,
         top_p: float = 1.0) -> int:  # fmt: skip
    """One token from ``probabilities(logits, ...)`` by inverting its cumulative sum at one uniform number
    (one number drawn per token, whatever the settings); temperature 0 is the argmax."""
    p = probabilities(logits, temperature, top_k, top_p)
    u = rng.random()
    if temperature == 0:
        return int(np.argmax(logits))
    cumulative = np.cumsum(p)
    return min(int(np.searchsorted(cumulative, u * cumulative[-1], side="right")), len(p) - 1)


def check_steps(steps: int, end: int | None, vocab: int) -> None:
    if not isinstance(steps, int | np.integer) or steps < 1:
        raise ValueError(f"steps must be a whole number ≥ 1, not {steps!r}")
    if end is not None and not 0 <= end < vocab:
        raise ValueError(f"end must be a token id from 0 to {vocab - 1}, not {end!r}")


def sample(logits: np.ndarray, state, step: Step, steps: int, *, temperature: float = 1.0, top_k: int = 0,
           top_p: float = 1.0, seed: int | None = 0, end: int | None = None) -> np.ndarray:  # fmt: skip
    """Up to ``steps`` tokens (stopping after ``end``), each drawn from ``probabilities``; the same ``seed``
    draws the same tokens. Temperature 0 is greedy search."""
    check_steps(steps, end, np.shape(logits)[-1])
    rng = np.random.default_rng(seed)
    out: list[int] = []
    one = np.zeros(1, np.int64)
    for t in range(steps):
        token = draw(logits, rng, temperature, top_k, top_p)
        out.append(token)
        if token == end or t == steps - 1:
            break
        logits, state = step(state, one, np.array([token]))
        logits = logits[0]
    return np.array(out, np.int64)


def greedy(logits: np.ndarray, state, step: Step, steps: int, end: int | None = None) -> np.ndarray:
    """The likeliest next token at every step (the first, on ties): up to ``steps`` tokens, ending after ``end``."""
    return sample(logits, state, step, steps, temperature=0.0, end=end)


def lp(length: np.ndarray | int, alpha: float) -> np.ndarray:
    """GNMT's lp(Y) = ((5 + |Y|) / 6)^α (Wu et al. 2016, eq. 14); α = 0 gives 1 (raw log-probabilities)."""
    return ((5.0 + np.asarray(length, np.float64)) / 6.0) ** alpha


@dataclass
class BeamStep:
    """The candidates one step of beam search weighed, (N,) each: ``parent``, the index of the candidate they
    extend in the previous step's arrays (−1: the prompt); ``token``; ``score``, the sum of log-probabilities
    of the hypothesis' tokens; ``kept``, whether it stayed in the beam (else pruned); ``finished``, kept and
    ending with the end token."""

    parent: np.ndarray
    token: np.ndarray
    score: np.ndarray
    kept: np.ndarray
    finished: np.ndarray


@dataclass
class BeamResult:
    """The best hypotheses, best first by score / lp(|Y|): ``sequences`` (lists of token ids, as arrays),
    ``scores`` their sums of natural-log probabilities, ``normalized`` the scores divided by the length
    penalty; ``tree`` every step's candidates."""

    sequences: list[np.ndarray]
    scores: np.ndarray
    normalized: np.ndarray
    tree: list[BeamStep] = field(default_factory=list)


def _candidates(logp: np.ndarray, scores: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each hypothesis' ``width`` likeliest continuations (no other can enter a beam of ``width``):
    (rows, tokens, scores), ranked best first (ties: lower row, then lower token)."""
    K, V = logp.shape
    if width < V:
        tokens = np.argpartition(-logp, width - 1, axis=1)[:, :width]
    else:
        tokens = np.broadcast_to(np.arange(V), (K, V))
    rows = np.broadcast_to(np.arange(K)[:, None], tokens.shape).ravel()
    tokens = tokens.ravel()
    total = scores[rows] + logp[rows, tokens]
    order = np.lexsort((tokens, rows, -total))
    return rows[order], tokens[order], total[order]


def beam_search(logits: np.ndarray, state, step: Step, steps: int, *, width: int = 5, length_penalty: float = 0.0,
                end: int | None = None) -> BeamResult:  # fmt: skip
    """Beam search of ``width``: at every step the ``width`` best extensions of the hypotheses kept are kept;
    one ending with ``end`` is finished and set aside. Hypotheses of different lengths (only with ``end``)
    are ranked by score / lp(|Y|) with α = ``length_penalty``; without a penalty short ones win. Width 1 is greedy;
    a width that keeps every hypothesis is exhaustive search."""
    V = np.shape(logits)[-1]
    check_steps(steps, end, V)
    if not isinstance(width, int | np.integer) or width < 1:
        raise ValueError(f"width must be a whole number ≥ 1, not {width!r}")
    check_memory(steps * width * min(width, V) * 40, f"the beam tree of {steps} steps × width {width}")
    logp = log_softmax(np.asarray(logits, np.float64)[None])
    alive = _Hypotheses(np.zeros((1, 0), np.int64), np.zeros(1), np.array([-1]))
    finished: list[tuple[np.ndarray, float]] = []
    tree: list[BeamStep] = []
    for t in range(steps):
        rows, tokens, scores = _candidates(logp, alive.scores, width)
        kept = np.arange(len(tokens)) < width
        ends = kept & (tokens == end) if end is not None else np.zeros_like(kept)
        tree.append(BeamStep(alive.nodes[rows], tokens, scores, kept, ends))
        seqs = np.concatenate([alive.seqs[rows], tokens[:, None]], axis=1)
        finished += [(seqs[i], float(scores[i])) for i in np.flatnonzero(ends)]
        go = np.flatnonzero(kept & ~ends)
        alive = _Hypotheses(seqs[go], scores[go], go)
        if len(go) == 0 or t == steps - 1:
            break
        logits_next, state = step(state, rows[go], tokens[go])
        logp = log_softmax(np.asarray(logits_next, np.float64))
    finished += list(zip(alive.seqs, alive.scores.tolist(), strict=True))
    return _ranked(finished, width, length_penalty, tree)


@dataclass
class _Hypotheses:
    seqs: np.ndarray  # (K, t) tokens so far
    scores: np.ndarray  # (K,) sums of log-probabilities
    nodes: np.ndarray  # (K,) their index in the last step of the tree


def _ranked(hypotheses, best: int, alpha: float, tree: list[BeamStep]) -> BeamResult:
    scores = np.array([s for _, s in hypotheses])
    normalized = scores / lp(np.array([len(q) for q, _ in hypotheses]), alpha)
    order = np.argsort(-normalized, kind="stable")[:best]
    return BeamResult([hypotheses[i][0] for i in order], scores[order], normalized[order], tree)


def exhaustive_search(logits: np.ndarray, state, step: Step, steps: int, *, best: int = 1,
                      length_penalty: float = 0.0, end: int | None = None) -> BeamResult:  # fmt: skip
    """Every sequence of ``steps`` tokens (cut after its first ``end``) scored, the ``best`` returned as beam
    search ranks them: V^steps of them, for tests on small vocabularies."""
    V = np.shape(logits)[-1]
    check_steps(steps, end, V)
    check_memory(V**steps * steps * 24, f"all {V}^{steps} sequences")
    seqs = np.array(list(itertools.product(range(V), repeat=steps)), np.int64).reshape(-1, steps)
    logp = log_softmax(np.asarray(logits, np.float64))
    cumulative = np.zeros(seqs.shape)
    cumulative[:, 0] = logp[seqs[:, 0]]
    rows = np.zeros(len(seqs), np.int64)
    for t in range(1, steps):
        logits_t, state = step(state, rows, seqs[:, t - 1])
        rows = np.arange(len(seqs))
        cumulative[:, t] = cumulative[:, t - 1] + log_softmax(np.asarray(logits_t, np.float64))[rows, seqs[:, t]]
    unique: dict[tuple[int, ...], float] = {}
    for seq, scores in zip(seqs, cumulative, strict=True):
        stop = int(np.argmax(seq == end)) + 1 if end is not None and (seq == end).any() else steps
        unique[tuple(seq[:stop].tolist())] = float(scores[stop - 1])
    hypotheses = [(np.array(q, np.int64), s) for q, s in unique.items()]
    return _ranked(hypotheses, best, length_penalty, [])
