"""Plain NumPy Boltzmann machine, written after Ackley, Hinton & Sejnowski (1985); ``kernels.py`` has the Numba
twins, which take the same arguments and draw the same samples.

States are float64 vectors of 0/1. Weights W: (n, n) symmetric with zero diagonal, biases b: (n,).

    E(s) = −½ sᵀ W s − bᵀ s                                   (zero diagonal: the sum over pairs i < j)
    ΔE_k = E(s_k = 0) − E(s_k = 1) = Σ_j w_kj s_j + b_k       (the energy gap of unit k)
    p(s_k = 1) = 1 / (1 + exp(−ΔE_k / T))                     (the probed unit's rule at temperature T)

The random numbers come from the caller: ``picks[r, t]`` is which free unit probe t of run r visits (an index
into ``free``), ``uniforms[r, t]`` decides its new state.
"""

from __future__ import annotations

import numpy as np


def energy(W: np.ndarray, b: np.ndarray, s: np.ndarray) -> np.ndarray:
    """E of states ``s: (..., n)``: shape ``(...)``."""
    return -0.5 * np.einsum("...i,ij,...j->...", s, W, s) - s @ b


def all_states(n: int) -> np.ndarray:
    """(2**n, n) float64: row k is state k, whose unit i is bit i of k."""
    k = np.arange(2**n)[:, None]
    return ((k >> np.arange(n)) & 1).astype(np.float64)


def state_energies(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(2**n,) the energy of every state, in the order of ``all_states``."""
    return energy(W, b, all_states(len(b)))


def weighted_cooccurrence(p: np.ndarray, n: int) -> np.ndarray:
    """(n, n) Σ_k p_k s_i s_j over every state k: co-occurrences under the distribution p, with the unit
    means Σ_k p_k s_i on the diagonal (s_i s_i = s_i)."""
    s = all_states(n)
    return s.T @ (p[:, None] * s)


def anneal(W: np.ndarray, b: np.ndarray, starts: np.ndarray, free: np.ndarray, picks: np.ndarray,
           uniforms: np.ndarray, temperatures: np.ndarray, collect_from: int, every: int
           ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Runs r = 0..R−1, each from ``starts[r]`` (n,): P probes, probe t at ``temperatures[t]``; units not in
    ``free`` keep their start values (clamped). From probe ``collect_from`` on, the state is sampled after every
    ``every``-th probe (1: after each; the number of free units: at the end of each time unit) and its
    co-occurrences s sᵀ are added up. Returns (final states (R, n), the sum of s sᵀ over runs and samples (n, n))."""
    finals = starts.astype(np.float64).copy()
    total = np.zeros((len(b), len(b)))
    for r in range(len(finals)):
        s = finals[r]
        for t in range(picks.shape[1]):
            k = free[picks[r, t]]
            gap = W[k] @ s + b[k]
            s[k] = 1.0 if uniforms[r, t] < 1.0 / (1.0 + np.exp(-gap / temperatures[t])) else 0.0
            if t >= collect_from and (t - collect_from + 1) % every == 0:
                total += np.outer(s, s)
    return finals, total


def anneal_traced(W: np.ndarray, b: np.ndarray, start: np.ndarray, free: np.ndarray, picks: np.ndarray,
                  uniforms: np.ndarray, temperatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """One run of P probes as ``anneal``, recorded: (states (P + 1, n) int8, energies (P + 1,)); row t + 1 is
    the state after probe t."""
    s = start.astype(np.float64).copy()
    states = np.empty((len(picks) + 1, len(s)), np.int8)
    states[0] = s
    for t in range(len(picks)):
        k = free[picks[t]]
        s[k] = 1.0 if uniforms[t] < 1.0 / (1.0 + np.exp(-(W[k] @ s + b[k]) / temperatures[t])) else 0.0
        states[t + 1] = s
    return states, energy(W, b, states.astype(np.float64))
