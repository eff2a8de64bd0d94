"""Asynchronous single-unit updates per second at N = 1024: Numba kernel against the NumPy reference.

The workload is recall in a Hebb network of N = 1024 units holding 51 random patterns (P/N = 0.05), started
from stored patterns with 20 % of their units flipped; every visit of a unit counts as one update, whether it
flips or not. Each run ends at a fixed point, so the last sweep of each run flips nothing.

Rows: the update loop alone (local fields given), the whole kernel (adding the O(N²) h = W s - θ at the
start), the public ``recall`` (adding checks, visiting orders and the trace), and the reference, which
computes h_i = W[i] @ s - θ_i at every visit.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from engine.hopfield import kernels, reference
from engine.hopfield.model import recall, store, sweep_orders

N, P, NOISE, MAX_SWEEPS = 1024, 51, 0.2, 50


def _workload(dtype: type, n_starts: int) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """W: (N, N), and n_starts noisy cues (N,) int8 with their visiting orders (MAX_SWEEPS, N) int32."""
    rng = np.random.default_rng(0)
    xi = rng.choice(np.array([-1, 1], dtype=np.int8), size=(P, N))
    cues = [xi[k % P].copy() for k in range(n_starts)]
    for cue in cues:
        cue[rng.choice(N, size=int(NOISE * N), replace=False)] *= -1
    orders = [sweep_orders(N, MAX_SWEEPS, "random", rng) for _ in range(n_starts)]
    return store(xi, dtype=dtype), cues, orders


def _rate(run_one: Callable[[int], int], n_runs: int, repeats: int = 3) -> tuple[float, int]:
    """(updates per second, updates) over n_runs calls of run_one(k) -> number of updates; the best of
    ``repeats`` timings, as timeit does, since other work on the machine only ever slows a run down."""
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        updates = sum(run_one(k) for k in range(n_runs))
        best = min(best, time.perf_counter() - t0)
    return updates / best, updates


def _kernel_rates(W: np.ndarray, cues: list[np.ndarray], orders: list[np.ndarray]) -> list[tuple[float, int]]:
    """Rates of the update loop alone (fields given) and of the whole kernel (with h = W s - θ, O(N²))."""
    theta = np.zeros(N)
    energies = np.empty(MAX_SWEEPS * N + 1)
    flips = np.empty(MAX_SWEEPS * N, np.int64), np.empty(MAX_SWEEPS * N, np.int32)
    fields = [kernels.local_fields(W, cue, theta) for cue in cues]

    def loop(k: int) -> int:
        return kernels.async_sweeps(W, cues[k].copy(), fields[k].copy(), orders[k], -1, energies, *flips)[0]

    def whole(k: int) -> int:
        return kernels.recall_async(W, theta, cues[k].copy(), orders[k], -1, energies, *flips)[0]

    return [_rate(loop, len(cues)), _rate(whole, len(cues))]


def _recall_rate(W: np.ndarray, cues: list[np.ndarray]) -> tuple[float, int]:
    return _rate(lambda k: recall(W, cues[k], seed=k, max_sweeps=MAX_SWEEPS).n_steps, len(cues))


def _reference_rate(W: np.ndarray, cues: list[np.ndarray], orders: list[np.ndarray]) -> tuple[float, int]:
    theta = np.zeros(N)
    return _rate(lambda k: len(reference.recall_async(W, cues[k], orders[k], theta, -1)[0]), len(cues))


def _warm_up() -> None:
    """Compile (or load from the cache) every kernel the bench calls, on tiny arrays, so that it is not timed."""
    s, h, order = np.array([1, -1], dtype=np.int8), np.zeros(2), np.array([[0, 1]], dtype=np.int32)
    for dtype in (np.float32, np.float64):
        W = np.zeros((2, 2), dtype=dtype)
        recall(W, s)
        kernels.async_sweeps(W, s, h, order, -1, np.zeros(3), np.empty(2, np.int64), np.empty(2, np.int32))


def run(quick: bool = False) -> list[str]:
    """Measure and return the lines of a results table (kernel, public recall(), reference, speed-up)."""
    _warm_up()
    n_fast, n_ref = (20, 2) if quick else (200, 6)
    lines = [
        f"Hopfield async recall, N={N}, P={P} (Hebb), cues with {NOISE:.0%} flipped units",
        f"{'implementation':<38}{'dtype':>8}{'updates':>12}{'updates/s':>14}{'vs reference':>14}",
    ]
    for dtype in (np.float64, np.float32):
        W, cues, orders = _workload(dtype, n_fast)
        ref_rate, ref_updates = _reference_rate(W, cues[:n_ref], orders[:n_ref])
        (loop_rate, loop_updates), (kernel_rate, kernel_updates) = _kernel_rates(W, cues, orders)
        rows = [
            ("Numba update loop (async_sweeps)", loop_rate, loop_updates),
            ("Numba kernel + h = Ws (recall_async)", kernel_rate, kernel_updates),
            ("hopfield.recall (checks + trace)", *_recall_rate(W, cues)),
            ("NumPy reference", ref_rate, ref_updates),
        ]
        for name, rate, updates in rows:
            lines.append(f"{name:<38}{np.dtype(dtype).name:>8}{updates:>12,}{rate:>14,.0f}{rate / ref_rate:>13.0f}×")
    return lines


if __name__ == "__main__":
    print("\n".join(run(quick=True)))
