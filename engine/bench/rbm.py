"""RBM throughput at 784 visible x 256 hidden units, batch 64: Numba kernels against the NumPy reference.

Two workloads, both with pre-drawn uniforms so that only the arithmetic is timed:
a block-Gibbs sweep (v -> h -> v for 64 chains), and a CD-1 update (gradient plus the parameter step).
PyTorch (CPU, float64) runs the same equations when it is importable.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from engine.rbm import kernels, reference

N_VISIBLE, N_HIDDEN, BATCH, LR = 784, 256, 64, 0.01


def _workload() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "W": rng.normal(0.0, 0.01, (N_VISIBLE, N_HIDDEN)),
        "b": np.zeros(N_VISIBLE),
        "c": np.zeros(N_HIDDEN),
        "v": (rng.random((BATCH, N_VISIBLE)) < 0.3).astype(np.float64),
        "u_h": rng.random((1, BATCH, N_HIDDEN)),
        "u_v": rng.random((1, BATCH, N_VISIBLE)),
    }


def _rate(step: Callable[[], object], budget_s: float) -> float:
    """Calls of ``step`` per second, after one warm-up call, over at least ``budget_s`` seconds."""
    step()
    calls, t0 = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < budget_s or calls < 3:
        step()
        calls += 1
    return calls / elapsed


def _numpy_steps(impl: object, w: dict[str, np.ndarray]) -> tuple[Callable[[], object], Callable[[], None]]:
    """(one Gibbs sweep, one CD-1 update) with ``impl`` = ``reference`` or ``kernels``."""
    W, b, c, v, u_h, u_v = (w[key] for key in ("W", "b", "c", "v", "u_h", "u_v"))

    def gibbs() -> object:
        return impl.gibbs_step(v, W, b, c, u_h[0], u_v[0])

    def cd1() -> None:
        gradient = impl.cd_gradient(v, v, W, b, c, u_h, u_v)[:3]
        for param, grad in zip((W, b, c), gradient, strict=True):
            param += LR * grad

    return gibbs, cd1


def _torch_steps(w: dict[str, np.ndarray]) -> tuple[Callable[[], object], Callable[[], None]] | None:
    """The same two steps in PyTorch on the CPU, or None when PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    W, b, c, v, u_h, u_v = (torch.from_numpy(w[key].copy()) for key in ("W", "b", "c", "v", "u_h", "u_v"))

    def gibbs() -> object:
        h = (u_h[0] < torch.sigmoid(v @ W + c)).double()
        return (u_v[0] < torch.sigmoid(h @ W.T + b)).double()

    def cd1() -> None:
        ph_data = torch.sigmoid(v @ W + c)
        v_model = gibbs()
        ph_model = torch.sigmoid(v_model @ W + c)
        W.add_(LR * (v.T @ ph_data - v_model.T @ ph_model) / BATCH)
        b.add_(LR * (v - v_model).mean(0))
        c.add_(LR * (ph_data - ph_model).mean(0))

    return gibbs, cd1


def _same_samples(w: dict[str, np.ndarray]) -> bool:
    """Whether kernel and reference draw identical samples from the same uniforms (checks the timed code)."""
    args = (w["v"], w["W"], w["b"], w["c"], w["u_h"][0], w["u_v"][0])
    return bool(np.array_equal(kernels.gibbs_step(*args)[3], reference.gibbs_step(*args)[3]))


def run(quick: bool = False) -> list[str]:
    """Measure and return the printable lines of a results table."""
    budget = 0.3 if quick else 2.0
    candidates = {
        "NumPy reference": lambda w: _numpy_steps(reference, w),
        "Numba kernels": lambda w: _numpy_steps(kernels, w),
        "PyTorch (CPU)": _torch_steps,
    }
    rates: dict[str, tuple[float, float]] = {}
    for name, make_steps in candidates.items():
        steps = make_steps(_workload())  # fresh parameters for each, since the CD-1 steps update them
        if steps is not None:
            rates[name] = (_rate(steps[0], budget), _rate(steps[1], budget))
    return _table(rates, _same_samples(_workload()))


def _table(rates: dict[str, tuple[float, float]], same_samples: bool) -> list[str]:
    base_gibbs, base_cd = rates["NumPy reference"]
    lines = [
        f"RBM {N_VISIBLE} x {N_HIDDEN}, batch {BATCH}, float64",
        f"{'implementation':<18}{'Gibbs sweeps/s':>16}{'vs NumPy':>10}{'CD-1 updates/s':>16}{'vs NumPy':>10}",
    ]
    for name, (gibbs, cd) in rates.items():
        lines.append(f"{name:<18}{gibbs:>16.0f}{gibbs / base_gibbs:>9.2f}x{cd:>16.0f}{cd / base_cd:>9.2f}x")
    if "PyTorch (CPU)" not in rates:
        lines.append("PyTorch (CPU)      not installed")
    lines.append(f"kernel and reference draw the same samples: {'yes' if same_samples else 'NO'}")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
