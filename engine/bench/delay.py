"""Delay networks: NARX's forward and backward pass through the Numba kernels against the NumPy reference (its
time loop is the one part of a delay network that is a loop), and a TDNN batch for scale.

Workload: a batch of B sequences × T steps, H hidden units, 2 input taps, Ky output delays, softmax outputs
fed back closed-loop; loss and every gradient, float32.
"""

from __future__ import annotations

import time

import numpy as np

from engine.delay import DelayClassifier, DelaySpec


def _best(fn, repeats: int) -> float:
    """The best of ``repeats`` timings, as timeit does: other work on the machine only ever slows a run."""
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _narx(T: int, B: int, H: int, Ky: int):
    spec = DelaySpec("narx", 1, H, input_delays=2, output_delays=Ky, output_size=3, output_activation="softmax")
    model = DelayClassifier(spec, 3, "softmax", "per_step")
    rng = np.random.default_rng(0)
    x, targets = rng.normal(size=(T, B, 1)).astype(np.float32), rng.integers(0, 3, (T, B))
    return model, model.init_params(0), x, targets


def run(quick: bool = False):
    yield "## delay networks: NARX forward + backward, Numba kernels vs NumPy reference (ms, best of runs)"
    yield f"{'T':>5} {'B':>4} {'H':>4} {'Ky':>3} {'numba':>9} {'reference':>10} {'speed-up':>9}"
    sizes = [(100, 8, 16, 3)] if quick else [(100, 8, 16, 3), (400, 8, 16, 3), (100, 32, 32, 6), (400, 1, 8, 2)]
    for T, B, H, Ky in sizes:
        model, *batch = _narx(T, B, H, Ky)
        model.loss_and_grads(*batch)  # compile and warm
        fast = _best(lambda m=model, b=batch: m.loss_and_grads(*b), 3 if quick else 5)
        slow = _best(lambda m=model, b=batch: m.loss_and_grads(*b, backend="reference"), 2 if quick else 3)
        yield f"{T:5d} {B:4d} {H:4d} {Ky:3d} {fast * 1e3:9.2f} {slow * 1e3:10.2f} {slow / fast:8.1f}×"
