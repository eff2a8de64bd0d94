"""Forward + backward with full traces for RNN, LSTM and GRU, against the NumPy reference and PyTorch.

Sizes: input 64, length 100, hidden 32/128/512, batch 1 and 32, float32. PyTorch (CPU, 2 threads) runs its
own forward + backward when it is importable; it stays optional. Cold and warm start are measured in fresh
interpreters with an empty and then a filled Numba cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from engine.recurrent import RecurrentSpec, backward, forward, init_params

T, INPUT = 100, 64
CELLS = ("rnn_tanh", "lstm", "gru")
PAUSE = 0.3  # seconds: OpenBLAS's idle threads spin for up to 2^28 cycles (0.1 s here) before they sleep
TORCH_MODULES = {"rnn_tanh": "RNN", "lstm": "LSTM", "gru": "GRU"}


def best_time(fn, repeats: int) -> float:
    """Fastest of ``repeats`` calls after one warm-up, in seconds."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def paired_best_times(first, second, repeats: int, rounds: int = 5) -> tuple[float, float]:
    """Fastest of ``rounds`` × ``repeats`` calls of each, in blocks that take turns.

    On a shared machine the speed of the same code drifts by a third within seconds (a kernel measured
    375-500 µs over ten seconds here): two things timed one after the other can meet different speeds,
    while turns meet both at the same ones. Calls do not alternate one by one: each side's BLAS or OpenMP
    threads keep spinning for a while after their work, and would take the other side's second core; the
    pause before each block lets them fall asleep, as they would between the calls of one program.
    """
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for k, fn in enumerate((first, second)):
            time.sleep(PAUSE)
            best[k] = min(best[k], best_time(fn, repeats))
    return best[0], best[1]


def _ours(spec, params, x, d_out, backend):
    def run():
        backward(spec, params, forward(spec, params, x, backend=backend), d_out, backend=backend)

    return run


def _torch(cell, hidden, x, d_out):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    module = getattr(torch.nn, TORCH_MODULES[cell])(INPUT, hidden)
    xt, dt = torch.from_numpy(x), torch.from_numpy(d_out)

    def run():
        module.zero_grad()
        out, _ = module(xt)
        out.backward(dt)

    return run


def _row(cell: str, hidden: int, batch: int, repeats: int) -> str:
    spec = RecurrentSpec(cell=cell, input_size=INPUT, hidden_size=hidden)
    params = init_params(spec, seed=0, dtype=np.float32)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(T, batch, INPUT)).astype(np.float32)
    d_out = rng.normal(size=(T, batch, hidden)).astype(np.float32)
    run = _ours(spec, params, x, d_out, "numba")
    ref = best_time(_ours(spec, params, x, d_out, "reference"), 1 if hidden * batch > 4096 else repeats)
    torch_run = _torch(cell, hidden, x, d_out)
    if torch_run is None:
        ours, th = best_time(run, repeats), None
    else:
        ours, th = paired_best_times(run, torch_run, repeats)
    line = f"| {cell:8} | {hidden:4} | {batch:3} | {ours * 1e3:8.2f} | {ref * 1e3:8.1f} | {ref / ours:6.1f}× |"
    if th is None:
        return line + "        – |        – |"
    return line + f" {th * 1e3:8.2f} | {th / ours:7.2f}× |"


_START = """
import time, numpy as np
t0 = time.perf_counter()
from engine.recurrent import RecurrentSpec, backward, forward, init_params
for cell in ("rnn_tanh", "rnn_relu", "lstm", "gru"):
    for variant in {"lstm": ("standard", "peephole"), "gru": ("reset_after", "reset_before")}.get(cell, ("standard",)):
        spec = RecurrentSpec(cell=cell, input_size=3, hidden_size=4, variant=variant)
        for dtype in (np.float32, np.float64):
            p = init_params(spec, dtype=dtype)
            tr = forward(spec, p, np.zeros((5, 2, 3), dtype))
            backward(spec, p, tr, np.zeros((5, 2, 4), dtype))
print(time.perf_counter() - t0)
"""


def start_times(warm_repeats: int = 3) -> tuple[float, float]:
    """(cold, warm) seconds to import the engine and run every recurrent kernel once; warm is the fastest
    of ``warm_repeats`` starts, like every other time here (one start on a shared machine varies by ±30 %)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        runs = [subprocess.run([sys.executable, "-c", _START], env=env, capture_output=True, text=True, check=True)
                for _ in range(1 + warm_repeats)]  # fmt: skip
    cold, *warm = (float(r.stdout.strip().splitlines()[-1]) for r in runs)
    return cold, min(warm)


def run(quick: bool = False) -> list[str]:
    repeats = 2 if quick else 5
    hiddens = (32, 128) if quick else (32, 128, 512)
    lines = [
        f"Recurrent forward + backward, full traces, T={T}, input {INPUT}, float32 (best of {repeats}); "
        f"load average at start {os.getloadavg()[0]:.2f}",
        "| cell     | H    | B   | ours ms  | NumPy ms | vs NumPy | torch ms | vs torch |",
        "|----------|------|-----|----------|----------|----------|----------|----------|",
    ]
    for cell in CELLS:
        for hidden in hiddens:
            for batch in (1, 32):
                lines.append(_row(cell, hidden, batch, repeats))
    cold, warm = start_times()
    lines.append(
        f"start (import + every recurrent kernel once): cold {cold:.1f} s (compiling), warm {warm:.2f} s (cache, "
        f"best of 3); load average at end {os.getloadavg()[0]:.2f}"
    )
    return lines
