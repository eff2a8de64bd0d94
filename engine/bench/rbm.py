"""RBM speed. Training against scikit-learn's ``BernoulliRBM`` when it is importable (it is optional): the same
data, sizes and settings, timed in turns in one run, and the AIS log-likelihood of both trained models. Then
throughput at 784 visible x 256 hidden units, batch 64, of the Numba kernels against the NumPy reference.

The kernel throughput has two workloads, both with pre-drawn uniforms so that only the arithmetic is timed:
a block-Gibbs sweep (v -> h -> v for 64 chains), and a CD-1 update (gradient plus the parameter step).
PyTorch (CPU, float64) runs the same equations when it is importable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np

from engine import rbm
from engine.patterns import glyphs
from engine.rbm import kernels, reference

N_VISIBLE, N_HIDDEN, BATCH, LR = 784, 256, 64, 0.01

#: The training runs against scikit-learn: (image side, hidden units, batch size), PCD-1, learning rate 0.05.
TRAINING_RUNS = ((24, 256, 16), (28, 256, 64))
TRAINING_EPOCHS, TRAINING_LR = 10, 0.05
CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def glyph_images(side: int, seed: int = 0) -> np.ndarray:
    """1,800 binary ``side x side`` images in random order: the 36 built-in glyphs drawn ``side - 4`` pixels
    high at each of 25 shifts, twice, with 2% of the pixels flipped: ``(1800, side * side)`` float64 (a fifth
    to a quarter of the pixels on). Shuffled, since scikit-learn takes its mini-batches in the data's order."""
    drawn = glyphs(CHARACTERS, side - 4).reshape(len(CHARACTERS), side - 4, side - 4)
    canvas = np.zeros((5, 5, len(CHARACTERS), side, side), np.uint8)
    for dy in range(5):
        for dx in range(5):
            canvas[dy, dx, :, dy : dy + side - 4, dx : dx + side - 4] = drawn
    images = np.tile(canvas.reshape(-1, side * side), (2, 1))
    rng = np.random.default_rng(seed)
    return (images ^ (rng.random(images.shape) < 0.02)).astype(np.float64)[rng.permutation(len(images))]


def _train_unroll(data: np.ndarray, n_hidden: int, batch_size: int, epochs: int = TRAINING_EPOCHS) -> rbm.RBM:
    model = rbm.init(data.shape[1], n_hidden, seed=0)
    rbm.train(model, data, epochs, TRAINING_LR, k=1, persistent=True, batch_size=batch_size, seed=0,
              log_likelihood_every=0)  # fmt: skip
    return model


def _train_sklearn(data: np.ndarray, n_hidden: int, batch_size: int, epochs: int = TRAINING_EPOCHS) -> rbm.RBM:
    from sklearn.neural_network import BernoulliRBM  # PCD-1 with batch_size chains, weights ~ N(0, 0.01^2)

    fitted = BernoulliRBM(n_components=n_hidden, learning_rate=TRAINING_LR, batch_size=batch_size,
                          n_iter=epochs, random_state=0).fit(data)  # fmt: skip
    W = np.ascontiguousarray(fitted.components_.T, dtype=np.float64)
    return rbm.RBM(W, fitted.intercept_visible_.astype(np.float64), fitted.intercept_hidden_.astype(np.float64))


def training_against_sklearn(quick: bool = False) -> list[str]:
    """Both trainers in turns, ``rounds`` times each; the fastest of each and the spread; then the AIS
    log-likelihood (mean over the training images) of the models from the last round."""
    try:
        import sklearn
    except ImportError:
        return ["Training against scikit-learn: not installed (pip install scikit-learn to compare)"]
    rounds, n_chains, n_betas = (1, 20, 300) if quick else (3, 100, 2000)
    trainers = {"Unroll": _train_unroll, "scikit-learn": _train_sklearn}
    lines = [
        f"Training against scikit-learn {sklearn.__version__} BernoulliRBM: PCD-1, learning rate {TRAINING_LR}, "
        f"{TRAINING_EPOCHS} epochs on 1,800 glyph images, timed in turns, fastest of {rounds} (slowest)",
        f"{'visible x hidden':<18}{'batch':>6}{'Unroll s':>16}{'sklearn s':>16}{'speed-up':>10}"
        f"{'AIS log p Unroll':>22}{'AIS log p sklearn':>22}",
    ]
    loads = [os.getloadavg()[0]] if hasattr(os, "getloadavg") else []
    for side, n_hidden, batch_size in TRAINING_RUNS:
        data = glyph_images(side)
        times: dict[str, list[float]] = {name: [] for name in trainers}
        models: dict[str, rbm.RBM] = {}
        for train in trainers.values():  # compiling, loading from Numba's cache, first BLAS calls: untimed
            train(data[: 4 * batch_size], n_hidden, batch_size, epochs=1)
        for _ in range(rounds):
            for name, train in trainers.items():
                t0 = time.perf_counter()
                models[name] = train(data, n_hidden, batch_size)
                times[name].append(time.perf_counter() - t0)
        ours, theirs = times["Unroll"], times["scikit-learn"]
        likelihood = {name: rbm.ais_log_likelihood(m, data, n_chains, n_betas, seed=0) for name, m in models.items()}
        ll = {name: f"{e.value:.1f} ± {e.margin:.1f}" for name, e in likelihood.items()}
        lines.append(
            f"{f'{side * side} x {n_hidden}':<18}{batch_size:>6}{f'{min(ours):.2f} ({max(ours):.2f})':>16}"
            f"{f'{min(theirs):.2f} ({max(theirs):.2f})':>16}{min(theirs) / min(ours):>9.1f}x"
            f"{ll['Unroll']:>22}{ll['scikit-learn']:>22}"
        )
        loads += [os.getloadavg()[0]] if hasattr(os, "getloadavg") else []
    lines.append(f"AIS: {n_chains} chains, {n_betas} steps; "
                 + (f"load average {min(loads):.1f}-{max(loads):.1f} during the run" if loads else ""))  # fmt: skip
    return lines


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
    return [*training_against_sklearn(quick), "", *_table(rates, _same_samples(_workload()))]


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
