"""Numba twins of the recall loops in :mod:`engine.hopfield.reference`.

The kernels keep the local fields h = W s - θ and touch them only when a unit flips (O(N) per flip, O(1) per
visit that changes nothing), so a sweep over a settled network costs N reads, not N² multiplications. Both
rely on W being symmetric: the change of every field after unit i flips is row i of W, which is contiguous.

Arrays come in preallocated by :mod:`engine.hopfield.model`; the kernels fill them and return counts and a
status code, an index into :data:`STATUS`. Unit states are int8; fields and energies are float64 whatever the
dtype of W, so float32 weights lose nothing in the running sums.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: What a status code returned by the kernels means.
STATUS = ("fixed point", "2-cycle", "max_sweeps")
FIXED_POINT, TWO_CYCLE, MAX_SWEEPS = 0, 1, 2


@njit(cache=True, nogil=True)
def max_asymmetry(W: np.ndarray) -> tuple[float, float]:
    """(max |w_ij - w_ji|, max |w_ij|) of a square W: (N, N), in 64×64 tiles so that both W[i, j] and W[j, i]
    stay in cache (NumPy's W - W.T walks the transpose with a stride of N: ~6× slower at N = 1024)."""
    N = W.shape[0]
    worst, largest = 0.0, 0.0
    for i0 in range(0, N, 64):
        for j0 in range(i0, N, 64):
            for i in range(i0, min(i0 + 64, N)):
                for j in range(max(j0, i), min(j0 + 64, N)):
                    worst = max(worst, abs(W[i, j] - W[j, i]))
                    largest = max(largest, abs(W[i, j]), abs(W[j, i]))
    return worst, largest


@njit(cache=True, nogil=True)
def _add_row(h: np.ndarray, W: np.ndarray, i: int, ds: int) -> None:
    for j in range(h.shape[0]):
        h[j] += ds * W[i, j]


@njit(cache=True, nogil=True)
def local_fields(W: np.ndarray, s: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """h = W s - θ.  W: (N, N) symmetric float32/64, s: (N,) int8, theta: (N,) float64 -> (N,) float64.

    Summed as Σ_j s_j W[j, :] (rows, which equal columns for symmetric W): contiguous, vectorisable without
    reordering a reduction, and free of BLAS threads, which fight over the cores when the app is busy.
    """
    h = np.zeros(s.shape[0])
    for j in range(s.shape[0]):
        if s[j] != 0:
            _add_row(h, W, j, s[j])
    return h - theta


@njit(cache=True, nogil=True)
def energy_from_fields(s: np.ndarray, h: np.ndarray, theta: np.ndarray) -> float:
    """E = -½ sᵀ W s + θᵀ s, computed in O(N) from h = W s - θ as -½ sᵀ (h + θ) + θᵀ s."""
    E = 0.0
    for i in range(s.shape[0]):
        E += -0.5 * s[i] * (h[i] + theta[i]) + theta[i] * s[i]
    return E


@njit(cache=True, nogil=True)
def _update(h_i: float, s_i: int, off: int) -> int:
    if h_i > 0.0:
        return 1
    if h_i < 0.0:
        return off
    return s_i


@njit(cache=True, nogil=True)
def recall_async(
    W: np.ndarray,
    theta: np.ndarray,
    s: np.ndarray,
    order: np.ndarray,
    off: int,
    energies: np.ndarray,
    flip_steps: np.ndarray,
    flip_units: np.ndarray,
) -> tuple[int, int, int, int]:
    """Visit units in ``order`` one at a time until a whole sweep flips nothing.

    W: (N, N) symmetric; theta: (N,) float64; s: (N,) int8, updated in place to the final state;
    order: (max_sweeps, N) int32 unit indices; off: -1 or 0.
    Fills energies: (max_sweeps*N + 1,) with the energy of each state, and the first n_flips entries of
    flip_steps / flip_units: (max_sweeps*N,) with the step and unit of each flip.
    Returns (n_steps, n_flips, n_sweeps, status).
    """
    h = local_fields(W, s, theta)
    energies[0] = energy_from_fields(s, h, theta)
    return async_sweeps(W, s, h, order, off, energies, flip_steps, flip_units)


@njit(cache=True, nogil=True)
def async_sweeps(
    W: np.ndarray,
    s: np.ndarray,
    h: np.ndarray,
    order: np.ndarray,
    off: int,
    energies: np.ndarray,
    flip_steps: np.ndarray,
    flip_units: np.ndarray,
) -> tuple[int, int, int, int]:
    """The update loop of :func:`recall_async`, starting from the fields h = W s - θ: (N,) float64 and the
    energy in energies[0]; s and h are updated in place. O(1) per visit, O(N) per flip."""
    N = s.shape[0]
    E = energies[0]
    step = 0
    n_flips = 0
    for sweep in range(order.shape[0]):
        flips_before = n_flips
        for k in range(N):
            i = order[sweep, k]
            ds = _update(h[i], s[i], off) - s[i]
            if ds != 0:
                E -= ds * h[i] + 0.5 * W[i, i] * ds * ds  # ΔE = -ds h_i - ½ w_ii ds²
                s[i] += ds
                _add_row(h, W, i, ds)
                flip_steps[n_flips] = step
                flip_units[n_flips] = i
                n_flips += 1
            step += 1
            energies[step] = E
        if n_flips == flips_before:
            return step, n_flips, sweep + 1, FIXED_POINT
    return step, n_flips, order.shape[0], MAX_SWEEPS


@njit(cache=True, nogil=True)
def recall_sync(
    W: np.ndarray,
    theta: np.ndarray,
    s: np.ndarray,
    max_sweeps: int,
    off: int,
    energies: np.ndarray,
    flip_steps: np.ndarray,
    flip_units: np.ndarray,
) -> tuple[int, int, int]:
    """Update all units at once from the same fields until a fixed point or a 2-cycle.

    Arguments as :func:`recall_async`, with energies: (max_sweeps + 1,). A 2-cycle is detected when a sweep
    flips exactly the units the sweep before flipped, so that s(t+1) = s(t-1).
    Returns (n_sweeps, n_flips, status).
    """
    N = s.shape[0]
    h = local_fields(W, s, theta)
    energies[0] = energy_from_fields(s, h, theta)
    new = np.empty_like(s)
    n_flips = 0
    prev_start, prev_count = 0, -1
    for sweep in range(max_sweeps):
        start = n_flips
        for i in range(N):
            new[i] = _update(h[i], s[i], off)
            if new[i] != s[i]:
                flip_steps[n_flips] = sweep
                flip_units[n_flips] = i
                n_flips += 1
        for f in range(start, n_flips):
            i = flip_units[f]
            _add_row(h, W, i, new[i] - s[i])
            s[i] = new[i]
        energies[sweep + 1] = energy_from_fields(s, h, theta)
        count = n_flips - start
        if count == 0:
            return sweep + 1, n_flips, FIXED_POINT
        if count == prev_count and np.array_equal(flip_units[start:n_flips], flip_units[prev_start:start]):
            return sweep + 1, n_flips, TWO_CYCLE
        prev_start, prev_count = start, count
    return max_sweeps, n_flips, MAX_SWEEPS
