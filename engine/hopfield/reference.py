"""Plain NumPy references for the Hopfield network, written after the textbook equations.

Slow and obvious on purpose: the tests hold the vectorised learning rules of :mod:`engine.hopfield.model`
and the Numba loops of :mod:`engine.hopfield.kernels` to these functions. Patterns are ±1; ``off`` is the
value of a unit that is not firing (-1 for ±1 units, 0 for 0/1 units).
"""

from __future__ import annotations

import numpy as np


def hebb(xi: np.ndarray) -> np.ndarray:
    """Hebb rule (Hopfield 1982): w_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, w_ii = 0.  xi: (P, N) of ±1 -> W: (N, N)."""
    P, N = xi.shape
    W = np.zeros((N, N))
    for mu in range(P):
        W += np.outer(xi[mu], xi[mu]) / N
    np.fill_diagonal(W, 0.0)
    return W


def storkey(xi: np.ndarray) -> np.ndarray:
    """Storkey (1997) incremental rule.  xi: (P, N) of ±1 -> W: (N, N) with w_ii = 0.

    w_ij^ν = w_ij^(ν-1) + (1/N) ξ_i^ν ξ_j^ν - (1/N) ξ_i^ν h_ji^ν - (1/N) h_ij^ν ξ_j^ν,
    h_ij^ν = Σ_{k≠i,j} w_ik^(ν-1) ξ_k^ν.
    """
    P, N = xi.shape
    W = np.zeros((N, N))
    for x in xi.astype(np.float64):
        field = W @ x  # Σ_k w_ik ξ_k
        h = field[:, None] - np.diag(W)[:, None] * x[:, None] - W * x[None, :]  # drop k = i and k = j
        W = W + (np.outer(x, x) - x[:, None] * h.T - h * x[None, :]) / N
    np.fill_diagonal(W, 0.0)
    return W


def pseudoinverse(xi: np.ndarray) -> np.ndarray:
    """Projection rule (Personnaz et al. 1985): W = Ξᵀ (Ξ Ξᵀ)⁻¹ Ξ, then w_ii = 0.

    xi: (P, N) of ±1 with linearly independent rows -> W: (N, N).
    """
    Xi = xi.astype(np.float64)
    W = Xi.T @ np.linalg.inv(Xi @ Xi.T) @ Xi
    np.fill_diagonal(W, 0.0)
    return W


def energy(W: np.ndarray, s: np.ndarray, theta: np.ndarray) -> float:
    """E = -½ sᵀ W s + θᵀ s.  W: (N, N), s: (N,), theta: (N,)."""
    s = s.astype(np.float64)
    return float(-0.5 * s @ W @ s + theta @ s)


def update(h_i: float, s_i: int, off: int) -> int:
    """Threshold unit: on if the local field is positive, off if negative, unchanged at exactly zero."""
    if h_i > 0:
        return 1
    if h_i < 0:
        return off
    return s_i


def recall_async(
    W: np.ndarray, s0: np.ndarray, order: np.ndarray, theta: np.ndarray, off: int
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Asynchronous recall: visit units one at a time in ``order`` until a whole sweep flips nothing.

    W: (N, N) symmetric, s0: (N,), order: (sweeps, N) unit indices, theta: (N,).
    Returns flipped: (S,) unit flipped at each step or -1, energies: (S+1,), converged.
    """
    s = s0.astype(W.dtype)
    E = energy(W, s, theta)
    flipped, energies = [], [E]
    for sweep in order:
        any_flip = False
        for i in sweep:
            h_i = W[i] @ s - theta[i]  # h_i = Σ_j w_ij s_j - θ_i
            new = update(h_i, s[i], off)
            ds = new - s[i]
            E += -ds * h_i - 0.5 * W[i, i] * ds * ds  # ΔE of E = -½ sᵀWs + θᵀs when s_i changes by ds
            s[i] = new
            flipped.append(i if ds else -1)
            energies.append(E)
            any_flip = any_flip or ds != 0
        if not any_flip:
            return np.array(flipped), np.array(energies), True
    return np.array(flipped), np.array(energies), False


def recall_sync(
    W: np.ndarray, s0: np.ndarray, max_sweeps: int, theta: np.ndarray, off: int
) -> tuple[np.ndarray, np.ndarray, str]:
    """Synchronous recall: all units at once, s(t+1) = update(W s(t) - θ), until a fixed point or a 2-cycle.

    W: (N, N), s0: (N,), theta: (N,).  Returns states: (S+1, N), energies: (S+1,), reason.
    """
    states = [s0.astype(np.int64)]
    for _ in range(max_sweeps):
        s = states[-1]
        h = W @ s - theta
        states.append(np.array([update(h[i], s[i], off) for i in range(len(s))]))
        if np.array_equal(states[-1], s):
            return _with_energies(W, states, theta, "fixed point")
        if len(states) >= 3 and np.array_equal(states[-1], states[-3]):
            return _with_energies(W, states, theta, "2-cycle")
    return _with_energies(W, states, theta, "max_sweeps")


def _with_energies(
    W: np.ndarray, states: list[np.ndarray], theta: np.ndarray, reason: str
) -> tuple[np.ndarray, np.ndarray, str]:
    return np.array(states), np.array([energy(W, s, theta) for s in states]), reason
