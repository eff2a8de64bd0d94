"""Numba twins of ``reference.py``: same arguments, same random numbers, same samples. Equations and shapes are
documented there.

The sampler keeps each unit's energy gap ΔE_j = Σ_k w_jk s_k + b_j up to date (O(n) when a unit changes) rather
than recomputing the probed one (also O(n)), so that the co-occurrences, which change only in the row and column
of a unit that changed, are added up in O(n) per probe instead of O(n²): a running sum of s sᵀ times how long
it has held.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _flush(total, s, held):
    """total += held · s sᵀ."""
    n = s.shape[0]
    for i in range(n):
        if s[i] != 0.0:
            for j in range(n):
                if s[j] != 0.0:
                    total[i, j] += held


@njit(cache=True, nogil=True)
def anneal(W, b, starts, free, picks, uniforms, temperatures, collect_from, every):
    n, runs, probes = b.shape[0], starts.shape[0], picks.shape[1]
    finals = starts.astype(np.float64).copy()
    total = np.zeros((n, n))
    for r in range(runs):
        s = finals[r]
        gap = W @ s + b
        held = 0.0  # samples the current state has lasted
        for t in range(probes):
            k = free[picks[r, t]]
            new = 1.0 if uniforms[r, t] < 1.0 / (1.0 + np.exp(-gap[k] / temperatures[t])) else 0.0
            if new != s[k]:
                if held > 0.0:
                    _flush(total, s, held)
                    held = 0.0
                delta = new - s[k]
                s[k] = new
                for j in range(n):
                    gap[j] += W[j, k] * delta
            if t >= collect_from and (t - collect_from + 1) % every == 0:
                held += 1.0
        if held > 0.0:
            _flush(total, s, held)
    return finals, total


@njit(cache=True, nogil=True)
def anneal_traced(W, b, start, free, picks, uniforms, temperatures):
    n, probes = b.shape[0], picks.shape[0]
    s = start.astype(np.float64).copy()
    gap = W @ s + b
    e = -0.5 * (s @ W @ s) - s @ b
    states = np.empty((probes + 1, n), np.int8)
    energies = np.empty(probes + 1)
    for i in range(n):
        states[0, i] = np.int8(s[i])
    energies[0] = e
    for t in range(probes):
        k = free[picks[t]]
        new = 1.0 if uniforms[t] < 1.0 / (1.0 + np.exp(-gap[k] / temperatures[t])) else 0.0
        if new != s[k]:
            delta = new - s[k]
            e -= delta * gap[k]  # E(s_k = 1) − E(s_k = 0) = −ΔE_k
            s[k] = new
            for j in range(n):
                gap[j] += W[j, k] * delta
        for i in range(n):
            states[t + 1, i] = np.int8(s[i])
        energies[t + 1] = e
    return states, energies


@njit(cache=True, nogil=True)
def state_energies(W, b):
    """Every state's energy, visiting them in Gray-code order: one unit changes from each state to the next,
    and E and the gaps follow in O(n)."""
    n = b.shape[0]
    out = np.empty(2**n)
    s = np.zeros(n)
    gap = b.copy()
    e = 0.0
    out[0] = 0.0
    code = 0
    for step in range(1, 2**n):
        k = 0
        while (step >> k) & 1 == 0:  # the Gray code of step differs from step − 1's in bit k
            k += 1
        delta = 1.0 - 2.0 * s[k]
        e -= delta * gap[k]
        s[k] += delta
        for j in range(n):
            gap[j] += W[j, k] * delta
        code ^= 1 << k
        out[code] = e
    return out


@njit(cache=True, nogil=True)
def weighted_cooccurrence(p, n):
    total = np.zeros((n, n))
    on = np.empty(n, np.int64)
    for k in range(p.shape[0]):
        if p[k] == 0.0:
            continue
        m = 0
        for i in range(n):
            if (k >> i) & 1:
                on[m] = i
                m += 1
        for a in range(m):
            for c in range(m):
                total[on[a], on[c]] += p[k]
    return total
