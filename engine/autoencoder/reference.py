"""The deep autoencoder's forward and backward passes in plain NumPy, after the textbook equations.

Layers ``l = 0 .. 2L − 1`` map ``a_l`` to ``a_{l+1} = f_l(z_l)``, ``z_l = a_l W_l + b_l``; ``f`` is the logistic
function except at the code layer (``l = L − 1``: linear, Hinton & Salakhutdinov 2006) and wherever ``hidden`` or
``output`` say "linear". The matrix products dominate and NumPy hands them to BLAS: a Numba twin would not pay.
"""

from __future__ import annotations

import numpy as np

ACTIVATIONS = ("logistic", "linear")
LOSSES = ("cross_entropy", "squared")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1 / (1 + e^−x), without overflow


def activation_of(layer: int, n_layers: int, hidden: str, output: str) -> str:
    """What layer ``layer`` of ``n_layers`` (= 2L) applies: the code layer is linear."""
    if layer == n_layers // 2 - 1:
        return "linear"
    return output if layer == n_layers - 1 else hidden


def forward(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, hidden: str = "logistic",
            output: str = "logistic") -> list[np.ndarray]:  # fmt: skip
    """The activations ``[a_0 = x, a_1, ..., a_2L]``, each ``(N, n_l)``: the trace ``backward`` walks."""
    trace = [x]
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z = trace[-1] @ W + b
        trace.append(sigmoid(z) if activation_of(layer, len(weights), hidden, output) == "logistic" else z)
    return trace


def loss(trace: list[np.ndarray], weights: list[np.ndarray], biases: list[np.ndarray], kind: str) -> float:
    """Mean over images of: the squared error Σ_i (y_i − x_i)², or the cross-entropy
    −Σ_i [x_i log y_i + (1 − x_i) log(1 − y_i)] (from the output's logits, for stability)."""
    x, y = trace[0], trace[-1]
    if kind == "squared":
        return float(np.sum((y - x) ** 2) / len(x))
    z = trace[-2] @ weights[-1] + biases[-1]
    return float(np.sum(np.logaddexp(0.0, z) - x * z) / len(x))  # −log σ(z)^x (1 − σ(z))^(1−x)


def backward(trace: list[np.ndarray], weights: list[np.ndarray], kind: str, hidden: str = "logistic",
             output: str = "logistic") -> tuple[list[np.ndarray], list[np.ndarray]]:  # fmt: skip
    """dE/dW_l and dE/db_l of ``loss(trace, ..., kind)`` by back-propagation through the trace."""
    x, y, n = trace[0], trace[-1], len(trace[0])
    last = len(weights) - 1
    if kind == "cross_entropy":
        dz = (y - x) / n  # dE/dz of the logistic output under cross-entropy
    else:
        dz = 2.0 * (y - x) / n
        if activation_of(last, len(weights), hidden, output) == "logistic":
            dz *= y * (1.0 - y)
    dW, db = [None] * len(weights), [None] * len(weights)
    for layer in range(last, -1, -1):
        a = trace[layer]
        dW[layer] = a.T @ dz
        db[layer] = dz.sum(axis=0)
        if layer:
            da = dz @ weights[layer].T
            logistic = activation_of(layer - 1, len(weights), hidden, output) == "logistic"
            dz = da * a * (1.0 - a) if logistic else da  # back through σ: σ' = σ (1 − σ)
    return dW, db


def linear_rbm_gradient(v: np.ndarray, W: np.ndarray, b: np.ndarray, c: np.ndarray,
                        noise: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """CD-1 for an RBM with logistic visible and unit-variance Gaussian hidden units (the code layer's):
    h₀ = c + v W + noise, v₁ = σ(b + h₀ Wᵀ); statistics from the means c + v W and c + v₁ W.
    ``v: (B, n_visible)`` in [0, 1], ``noise: (B, n_hidden)`` standard normal. Returns (dW, db, dc) to ascend."""
    h0_mean = c + v @ W
    v1 = sigmoid(b + (h0_mean + noise) @ W.T)
    h1_mean = c + v1 @ W
    B = len(v)
    return (v.T @ h0_mean - v1.T @ h1_mean) / B, (v - v1).mean(axis=0), (h0_mean - h1_mean).mean(axis=0)
