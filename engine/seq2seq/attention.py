"""Attention after the textbook formulas, forward and back, batched over steps: (B, T, ·) queries h_t of the
decoder, (B, S, H) keys h̄_s of the encoder (its annotations).

    e_ts = score(h_t, h̄_s)        dot: h_tᵀ h̄_s   general: h_tᵀ W_a h̄_s   additive: vᵀ tanh(W h_t + U h̄_s)
    a_ts = softmax_s(e_ts)         over the source's tokens only: padding gets −∞ before, so exactly 0 after
    c_t  = Σ_s a_ts h̄_s           the context

Everything here is a handful of batched matrix products, which NumPy's BLAS already does at full speed; there
is no loop over steps for a kernel to save.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Attended(NamedTuple):
    """One pass of attention: ``scores`` e and ``weights`` a (B, T, S), ``context`` c (B, T, H); ``keys`` the
    projected keys (general: W_a h̄_s; additive: U h̄_s), ``hidden`` (additive) tanh(W h_t + U h̄_s) (B, T, S, H)."""

    scores: np.ndarray
    weights: np.ndarray
    context: np.ndarray
    keys: np.ndarray | None = None
    hidden: np.ndarray | None = None


def masked_softmax(scores: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """softmax over the last axis of scores (B, T, S) where valid (B, S) is True; exactly 0 elsewhere. Every
    row needs one valid position (a source has at least one token)."""
    e = np.where(valid[:, None, :], scores, -np.inf)
    e = np.exp(e - e.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def project_keys(kind: str, w: dict[str, np.ndarray], keys: np.ndarray) -> np.ndarray | None:
    """What of the score depends on the keys alone, made once for all steps: W_a h̄_s (general), U h̄_s
    (additive); None for dot."""
    if kind == "general":
        return keys @ w["weight"].T
    if kind == "additive":
        return keys @ w["key.weight"].T
    return None


def attend(kind: str, w: dict[str, np.ndarray], queries: np.ndarray, keys: np.ndarray, valid: np.ndarray,
           projected: np.ndarray | None = None) -> Attended:  # fmt: skip
    """Attention of ``kind`` ("dot", "general", "additive") with its weights ``w`` (the part's names: "weight";
    "query.weight", "key.weight", "v.weight") for queries (B, T, H) over keys (B, S, H), valid (B, S).
    ``projected``: ``project_keys`` of these keys, when a decoder stepping along has it already."""
    if kind not in ("dot", "general", "additive"):
        raise ValueError(f"unknown attention {kind!r}")
    projected = project_keys(kind, w, keys) if projected is None else projected
    hidden = None
    if kind == "dot":
        scores = queries @ keys.transpose(0, 2, 1)
    elif kind == "general":
        scores = queries @ projected.transpose(0, 2, 1)
    else:
        hidden = np.tanh((queries @ w["query.weight"].T)[:, :, None, :] + projected[:, None, :, :])
        scores = hidden @ w["v.weight"][0]
    weights = masked_softmax(scores, valid)
    return Attended(scores, weights, weights @ keys, projected, hidden)


def attend_backward(kind: str, w: dict[str, np.ndarray], queries: np.ndarray, keys: np.ndarray, att: Attended,
                    d_context: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:  # fmt: skip
    """From ∂L/∂c (B, T, H): ∂L/∂queries (B, T, H), ∂L/∂keys (B, S, H) and the weights' gradients."""
    a = att.weights
    d_keys = a.transpose(0, 2, 1) @ d_context  # c_t = Σ_s a_ts h̄_s
    da = d_context @ keys.transpose(0, 2, 1)
    de = a * (da - (a * da).sum(axis=-1, keepdims=True))  # back through softmax; 0 where a is 0 (padding)
    grads: dict[str, np.ndarray] = {}
    if kind == "dot":
        d_queries = de @ keys
        d_keys += de.transpose(0, 2, 1) @ queries
    elif kind == "general":
        d_queries = de @ att.keys
        d_projected = de.transpose(0, 2, 1) @ queries  # (B, S, H): ∂L/∂(W_a h̄_s)
        d_keys += d_projected @ w["weight"]
        grads["weight"] = _outer(d_projected, keys)
    else:
        u = att.hidden
        grads["v.weight"] = de.reshape(1, -1) @ u.reshape(-1, u.shape[-1])
        dz = de[..., None] * w["v.weight"][0] * (1.0 - u * u)  # back through tanh
        d_query_proj, d_key_proj = dz.sum(axis=2), dz.sum(axis=1)
        d_queries = d_query_proj @ w["query.weight"]
        d_keys += d_key_proj @ w["key.weight"]
        grads["query.weight"] = _outer(d_query_proj, queries)
        grads["key.weight"] = _outer(d_key_proj, keys)
    return d_queries, d_keys, grads


def _outer(d: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Σ over batch and steps of d xᵀ: (B, N, I), (B, N, J) -> (I, J), the gradient of a linear map x -> W x."""
    return d.reshape(-1, d.shape[-1]).T @ x.reshape(-1, x.shape[-1])
