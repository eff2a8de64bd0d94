"""The autoregressive model AR(K), y_t = w_0 + Σ_k w_k y_(t−k) + ε_t, fitted by least squares (the classical
answer; ``DelaySpec("ar")`` is the same model trained by gradient descent inside the recurrent lab)."""

from __future__ import annotations

import numpy as np

from engine.checks import as_float_array, require_finite


def simulate_ar(coefficients, n: int, rng: np.random.Generator, intercept: float = 0.0, noise: float = 1.0,
                burn_in: int = 200) -> np.ndarray:  # fmt: skip
    """n values of y_t = w_0 + Σ_k w_k y_(t−k) + ε_t, ε_t ~ N(0, noise²), after ``burn_in`` values dropped."""
    w = np.asarray(coefficients, np.float64)
    K = len(w)
    eps = rng.normal(0.0, noise, n + burn_in)
    y = np.zeros(n + burn_in + K)
    for t in range(n + burn_in):
        y[K + t] = intercept + w @ y[t : t + K][::-1] + eps[t]
    return y[K + burn_in :]


def fit_ar(series, order: int) -> tuple[float, np.ndarray]:
    """(w_0, w_1 … w_K) minimising Σ_t (y_t − w_0 − Σ_k w_k y_(t−k))² over t = K … N−1.

    N − K equations for K + 1 unknowns: an order above (N − 1) / 2 leaves fewer equations than unknowns."""
    y = as_float_array("series", series).astype(np.float64)  # any float series; solved in float64
    if y.ndim != 1:
        raise ValueError(f"the series must be one-dimensional, not shape {y.shape}")
    require_finite("series", y)
    if not isinstance(order, int | np.integer) or isinstance(order, bool) or order < 1:
        raise ValueError(f"the AR order must be a whole number ≥ 1, not {order!r}")
    N = len(y)
    if N - order < order + 1:
        raise ValueError(f"an AR({order}) model has {order + 1} coefficients but a series of {N} values gives only "
                         f"{max(N - order, 0)} equations: the order can be at most {max((N - 1) // 2, 0)}")  # fmt: skip
    lags = np.stack([y[order - k : N - k] for k in range(1, order + 1)], axis=1)  # column k−1: y_(t−k)
    design = np.hstack([np.ones((N - order, 1)), lags])
    solution, *_ = np.linalg.lstsq(design, y[order:], rcond=None)
    return float(solution[0]), solution[1:]


def trained_ar(weight: np.ndarray, bias: np.ndarray, head_weight: np.ndarray, head_bias: np.ndarray):
    """(w_0, w_1 … w_K) of a linear window (``weight`` (H, 1, K), ``bias`` (H,)) read by a linear output layer
    (``head_weight`` (1, H), ``head_bias`` (1,)): ŷ = w_0 + Σ_k w_(k+1) x_(t−k), the AR(K) it has learned to
    predict the next value with (w_(k+1) belongs to the input k steps back, as fit_ar's lag k + 1 does)."""
    v = np.asarray(head_weight, np.float64)[0]
    W = np.asarray(weight, np.float64)[:, 0, ::-1]  # (H, K), tap k = the input k steps back
    return float(head_bias[0] + v @ bias), v @ W
