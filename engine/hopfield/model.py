"""Hopfield network: store patterns, measure energy, recall with a full (compact) trace.

Public functions validate their inputs (every bad input raises ``ValueError`` naming the problem before any
kernel runs), allocate the records and call the loops in :mod:`engine.hopfield.kernels`.

Units are ±1 (``units="bipolar"``) or 0/1 (``units="binary"``). Learning rules always see ±1 patterns
(0/1 data is mapped by ξ = 2V - 1, as Hopfield 1982 did), so one weight matrix serves both kinds of unit; every
rule leaves w_ii = 0, which with W = Wᵀ makes the energy a Lyapunov function of asynchronous recall.
"""

from __future__ import annotations

import numpy as np

from engine.checks import as_float_array, as_numeric_array, check_memory, optional_vector, require_finite, require_shape
from engine.hopfield import kernels
from engine.hopfield.trace import OFF, RecallTrace

RULES = ("hebb", "storkey", "pseudoinverse")
MODES = ("async", "sync")
ORDERS = ("random", "fixed")
#: Bytes recorded per async step: energy (8), flip step (8), flip unit (4), visit order (4).
_BYTES_PER_STEP = 24


def require_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")


def as_states(name: str, a: object, units: str, ndims: tuple[int, ...] = (1,)) -> np.ndarray:
    """``a`` as int8 unit states, refusing values other than the two states of ``units``."""
    require_choice("units", units, tuple(OFF))
    arr = as_numeric_array(name, a)
    require_finite(name, arr)
    if arr.ndim not in ndims:
        want = " or ".join(f"{d}-D" for d in ndims)
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    off = OFF[units]
    bad = (arr != off) & (arr != 1)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must hold only {off} and 1 for {units} units; found {arr[idx]} at index {idx}"
            + _units_hint(arr, units)
        )
    return arr.astype(np.int8)


def _units_hint(arr: np.ndarray, units: str) -> str:
    if units == "bipolar" and np.isin(arr, (0, 1)).all():
        return " (for 0/1 data pass units='binary')"
    if units == "binary" and np.isin(arr, (-1, 1)).all():
        return " (for ±1 data pass units='bipolar')"
    return ""


def bipolar(states: np.ndarray, units: str) -> np.ndarray:
    """int8 states of either kind as ±1: ξ = 2V - 1 for 0/1 units."""
    return states if units == "bipolar" else (2 * states - 1).astype(np.int8)


def as_weights(W: object) -> np.ndarray:
    """``W`` as a C-contiguous, finite, square, symmetric float32/float64 matrix of shape (N, N)."""
    W = as_float_array("W", W)
    require_shape("W", W, (None, None))
    if W.shape[0] != W.shape[1] or W.shape[0] == 0:
        raise ValueError(f"W has shape {W.shape}; a Hopfield weight matrix must be square (N, N) with N ≥ 1")
    W = np.ascontiguousarray(W)
    asym, largest = kernels.max_asymmetry(W)
    if asym > 1e-6 * max(largest, 1.0):
        raise ValueError(
            f"W is not symmetric (largest |w_ij - w_ji| = {asym:.3g}); "
            + "the energy and the recall kernels need W = Wᵀ"
        )
    return W


def as_theta(theta: object, N: int) -> np.ndarray:
    """Thresholds θ as (N,) float64; None means all zero."""
    return optional_vector("theta", theta, N)


def store(patterns: object, rule: str = "hebb", units: str = "bipolar", dtype: type = np.float64) -> np.ndarray:
    """Weights that make ``patterns`` (P, N) attractors; returns W: (N, N) of ``dtype``, symmetric, w_ii = 0.

    rule: "hebb" (w = ΞᵀΞ / N), "storkey" (Storkey 1997, incremental, higher capacity for correlated patterns)
    or "pseudoinverse" (projection W = Ξᵀ(ΞΞᵀ)⁻¹Ξ via pinv: every linearly independent pattern is stored).
    """
    xi = as_states("patterns", patterns, units, (2,))
    P, N = xi.shape
    if P == 0 or N == 0:
        raise ValueError(f"patterns has shape {xi.shape}; store at least one pattern of at least one unit")
    require_choice("rule", rule, RULES)
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {np.dtype(dtype)}")
    check_memory(2 * N * N * 8, f"the weight matrix of N={N} units (with its float64 workspace)")
    W = _RULES[rule](bipolar(xi, units).astype(np.float64))
    np.fill_diagonal(W, 0.0)
    return W.astype(dtype)


def _hebb(xi: np.ndarray) -> np.ndarray:
    return xi.T @ xi / xi.shape[1]


def _storkey(xi: np.ndarray) -> np.ndarray:
    """Storkey's rule with w_ii kept 0, where h_ij = h_i - w_ij ξ_j and ξ² = 1 turn it into
    Δw_ij = (ξ_i ξ_j - ξ_i h_j - h_i ξ_j + 2 w_ij) / N with h = W ξ."""
    N = xi.shape[1]
    W = np.zeros((N, N))
    for x in xi:
        h = W @ x
        W += (np.outer(x, x) - np.outer(x, h) - np.outer(h, x) + 2 * W) / N
        np.fill_diagonal(W, 0.0)
    return W


def _pseudoinverse(xi: np.ndarray) -> np.ndarray:
    # = Ξᵀ(ΞΞᵀ)⁻¹Ξ for independent rows; the projection onto their span otherwise. A projection is symmetric, but
    # pinv's rounding is not: with repeated or dependent patterns it left |w_ij − w_ji| above the symmetry check.
    W = np.linalg.pinv(xi) @ xi
    return (W + W.T) / 2


_RULES = {"hebb": _hebb, "storkey": _storkey, "pseudoinverse": _pseudoinverse}


def energy(W: object, s: object, theta: object = None) -> float | np.ndarray:
    """E = -½ sᵀ W s + θᵀ s for W: (N, N) and s: (N,) -> float, or s: (B, N) -> (B,).

    The same formula holds for 0/1 units (Hopfield 1982): E = -½ Σ_ij w_ij V_i V_j + Σ_i θ_i V_i.
    """
    W = as_weights(W)
    N = W.shape[0]
    s = as_float_array("s", s).astype(np.float64)
    if s.ndim not in (1, 2) or s.shape[-1] != N:
        raise ValueError(f"s has shape {s.shape}, expected ({N},) or (B, {N}) for W of shape {W.shape}")
    theta = as_theta(theta, N)
    E = -0.5 * np.einsum("...i,ij,...j->...", s, W.astype(np.float64), s) + s @ theta
    return float(E) if s.ndim == 1 else E


def binary_theta(W: object, theta: object = None) -> np.ndarray:
    """Thresholds θ' = (W·1 + θ) / 2 under which 0/1 units V follow exactly the ±1 network (W, θ), s = 2V - 1.

    From Σ_j w_ij s_j - θ_i = 2 (Σ_j w_ij V_j - θ'_i).  W: (N, N) -> (N,) float64.
    """
    W = as_weights(W)
    return (W.sum(axis=1, dtype=np.float64) + as_theta(theta, W.shape[0])) / 2


def recall(
    W: object,
    s0: object,
    mode: str = "async",
    max_sweeps: int = 50,
    seed: int | np.random.Generator | None = 0,
    theta: object = None,
    order: str = "random",
    units: str = "bipolar",
) -> RecallTrace:
    """Run the network from s0: (N,) until a fixed point, a 2-cycle (sync only) or ``max_sweeps`` sweeps.

    mode "async" visits one unit per step, in a fresh random order each sweep (drawn from
    ``np.random.default_rng(seed)``) or in index order (``order="fixed"``); "sync" updates all units per step.
    A unit turns on when its field h_i = Σ_j w_ij s_j - θ_i is positive, off when negative, and keeps its
    state at exactly zero.
    """
    W = as_weights(W)
    N = W.shape[0]
    s0 = as_states("s0", s0, units)
    require_shape("s0", s0, (N,))
    theta = as_theta(theta, N)
    require_choice("mode", mode, MODES)
    require_choice("order", order, ORDERS)
    if not isinstance(max_sweeps, int | np.integer) or max_sweeps < 1:
        raise ValueError(f"max_sweeps must be a positive integer, got {max_sweeps!r}")
    if mode == "sync":
        return run_sync(W, theta, s0, int(max_sweeps), units)
    check_memory(_BYTES_PER_STEP * max_sweeps * N, f"the record of {max_sweeps} sweeps of {N} units")
    return run_async(W, theta, s0, sweep_orders(N, max_sweeps, order, seed), units)


def sweep_orders(N: int, sweeps: int, order: str, seed: int | np.random.Generator | None) -> np.ndarray:
    """(sweeps, N) int32: the units in the order they are visited, one row per sweep."""
    rows = np.tile(np.arange(N, dtype=np.int32), (sweeps, 1))
    return np.random.default_rng(seed).permuted(rows, axis=1) if order == "random" else rows


def run_async(W: np.ndarray, theta: np.ndarray, s0: np.ndarray, orders: np.ndarray, units: str) -> RecallTrace:
    """Asynchronous recall on already validated arrays.  orders: (sweeps, N) int32."""
    n_max = orders.size
    energies = np.empty(n_max + 1)
    flip_steps, flip_units = np.empty(n_max, dtype=np.int64), np.empty(n_max, dtype=np.int32)
    s = s0.copy()
    n_steps, n_flips, n_sweeps, status = kernels.recall_async(
        W, theta, s, orders, OFF[units], energies, flip_steps, flip_units
    )
    N = len(s0)
    return RecallTrace(
        mode="async",
        units=units,
        initial=s0,
        energies=energies[: n_steps + 1].copy(),
        flip_steps=flip_steps[:n_flips].copy(),
        flip_units=flip_units[:n_flips].copy(),
        visited=orders.reshape(-1)[:n_steps].copy(),
        sweep_ends=N * np.arange(1, n_sweeps + 1, dtype=np.int64),
        reason=kernels.STATUS[status],
    )


def run_sync(W: np.ndarray, theta: np.ndarray, s0: np.ndarray, max_sweeps: int, units: str) -> RecallTrace:
    """Synchronous recall on already validated arrays."""
    n_max = max_sweeps * len(s0)
    check_memory(12 * n_max + 8 * (max_sweeps + 1), f"the record of {max_sweeps} sweeps of {len(s0)} units")
    energies = np.empty(max_sweeps + 1)
    flip_steps, flip_units = np.empty(n_max, dtype=np.int64), np.empty(n_max, dtype=np.int32)
    s = s0.copy()
    n_sweeps, n_flips, status = kernels.recall_sync(
        W, theta, s, max_sweeps, OFF[units], energies, flip_steps, flip_units
    )
    return RecallTrace(
        mode="sync",
        units=units,
        initial=s0,
        energies=energies[: n_sweeps + 1].copy(),
        flip_steps=flip_steps[:n_flips].copy(),
        flip_units=flip_units[:n_flips].copy(),
        visited=None,
        sweep_ends=np.arange(1, n_sweeps + 1, dtype=np.int64),
        reason=kernels.STATUS[status],
    )
