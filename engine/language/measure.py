"""How well a language model predicts a text: mean cross-entropy in nats per character and perplexity
exp(cross-entropy), "the number of candidates for the next character", beside two baselines: the uniform
model (perplexity = the vocabulary size) and the unigram model (each character's frequency in training text)."""

from __future__ import annotations

import numpy as np

from engine.language.model import LanguageModelSpec, final_state

CHUNK = 256


def cross_entropy(spec: LanguageModelSpec, params: dict[str, np.ndarray], ids: np.ndarray, chunk: int = CHUNK) -> float:
    """Mean −ln p(ids[t + 1] | ids[:t + 1]) over a text's ids (n,), read as one stream in chunks of ``chunk``
    steps with the state carried (the same as reading it whole)."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or len(ids) < 2:
        raise ValueError(f"ids must be a vector of at least 2 token ids, not of shape {ids.shape}")
    total, state = 0.0, None
    for start in range(0, len(ids) - 1, chunk):
        piece = ids[start : start + chunk + 1, None]
        trace, result = spec.evaluate(params, piece, state)
        total += result.loss * (len(piece) - 1)
        state = final_state(trace)
    return total / (len(ids) - 1)


def perplexity(spec: LanguageModelSpec, params: dict[str, np.ndarray], ids: np.ndarray, chunk: int = CHUNK) -> float:
    """exp(``cross_entropy``): 1 for a model sure and right, the vocabulary size for the uniform model."""
    return float(np.exp(cross_entropy(spec, params, ids, chunk)))


def unigram_log_probs(train_ids: np.ndarray, vocab_size: int, smoothing: float = 1.0) -> np.ndarray:
    """(V,) ln p(c) = ln((count(c) + α) / (n + α·V)) from the training text (α: add-α smoothing, so that a
    character unseen in training is not impossible)."""
    counts = np.bincount(np.asarray(train_ids).ravel(), minlength=vocab_size).astype(np.float64)
    if len(counts) > vocab_size or smoothing < 0 or counts.sum() + smoothing * vocab_size <= 0:
        raise ValueError("the training ids must lie below vocab_size, and smoothing be ≥ 0")
    with np.errstate(divide="ignore"):
        return np.log(counts + smoothing) - np.log(counts.sum() + smoothing * vocab_size)


def unigram_cross_entropy(train_ids: np.ndarray, eval_ids: np.ndarray, vocab_size: int,
                          smoothing: float = 1.0) -> float:  # fmt: skip
    """The unigram model's mean −ln p over the characters a language model predicts in ``eval_ids`` (all
    but the first)."""
    return float(-unigram_log_probs(train_ids, vocab_size, smoothing)[np.asarray(eval_ids)[1:]].mean())


def uniform_cross_entropy(vocab_size: int) -> float:
    """ln V: every character equally likely, perplexity V."""
    return float(np.log(vocab_size))
