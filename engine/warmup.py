"""Compile (or load from Numba's cache) every kernel once on tiny inputs, one named job at a time, so that
an application can show progress on a first start instead of freezing on its first real call."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np


def _recurrent(cell: str, variant: str, dtype) -> Callable[[], None]:
    def run() -> None:
        from engine.recurrent import RecurrentSpec, backward, forward, init_params

        spec = RecurrentSpec(cell=cell, input_size=2, hidden_size=3, variant=variant)
        params = init_params(spec, dtype=dtype)
        for x in (np.zeros((3, 1, 2), dtype), np.zeros((3, 1), np.int64)):  # numbers, and token ids
            trace = forward(spec, params, x)
            backward(spec, params, trace, np.zeros((3, 1, 3), dtype))

    return run


def recurrent_jobs(dtypes=(np.float32,)) -> Iterator[tuple[str, Callable[[], None]]]:
    """(label, job) pairs; running every job leaves every recurrent kernel compiled for ``dtypes``."""
    for dtype in dtypes:
        for cell, variant in (("rnn_tanh", "standard"), ("lstm", "standard"), ("gru", "reset_after")):
            yield f"{cell} kernels ({np.dtype(dtype).name})", _recurrent(cell, variant, dtype)


def cache_is_warm(folder: Path | None = None) -> bool:
    """Whether Numba's cache seems to hold the recurrent kernels of the current sources, judged from file
    times without importing Numba: every module with compiled functions has an index (``.nbi``) in its
    ``__pycache__`` written after the module was. A wrong guess costs time, never correctness: Numba checks
    its cache itself and compiles what is missing."""
    if os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("NUMBA_DISABLE_JIT"):
        return False
    folder = folder or Path(__file__).parent / "recurrent"
    tag = f"py{sys.version_info.major}{sys.version_info.minor}"
    for source in folder.glob("*.py"):
        if "njit" not in source.read_text(encoding="utf-8"):
            continue
        indexes = list((folder / "__pycache__").glob(f"{source.stem}.*.{tag}.nbi"))
        if not indexes or max(index.stat().st_mtime for index in indexes) < source.stat().st_mtime:
            return False
    return True


def hopfield_jobs() -> Iterator[tuple[str, Callable[[], None]]]:
    yield "Hopfield kernels", _hopfield


def rbm_jobs() -> Iterator[tuple[str, Callable[[], None]]]:
    yield "RBM kernels", _rbm


def _hopfield() -> None:
    from engine import hopfield

    patterns = np.array([[1, -1, 1, -1], [1, 1, -1, -1]], np.int8)
    W = hopfield.store(patterns)
    hopfield.recall(W, patterns[0], mode="async", max_sweeps=2)
    hopfield.recall(W, patterns[0], mode="sync", max_sweeps=2)


def _rbm() -> None:
    from engine import rbm

    model = rbm.init(4, 3, seed=0)
    data = np.array([[1, 0, 1, 0], [0, 1, 0, 1]], np.float64)
    rbm.train(model, data, epochs=1, batch_size=2)
    rbm.gibbs(model, data[0], steps=2)


def seq2seq_jobs() -> Iterator[tuple[str, Callable[[], None]]]:
    """The encoder–decoder runs on the recurrent kernels (the GRU's, its default cell) and NumPy."""
    yield "encoder–decoder", _seq2seq


def _seq2seq() -> None:
    from engine.seq2seq import Seq2SeqSpec, decode, init_model, loss_and_grads

    spec = Seq2SeqSpec(5, 5, 2, "gru", 2, attention="additive")
    params = init_model(spec)
    src, lengths = np.array([[3], [4]]), np.array([2])
    loss_and_grads(spec, params, src, lengths, np.array([[1], [3], [2]]), np.array([3]))
    decode(spec, params, src, lengths, max_len=2, width=2)


def boltzmann_jobs() -> Iterator[tuple[str, Callable[[], None]]]:
    yield "Boltzmann machine kernels", _boltzmann


def _boltzmann() -> None:
    from engine import boltzmann

    bm, data, visible = boltzmann.encoder_network(2, 1)
    boltzmann.learn(bm, data, visible, cycles=1, stop_when_solved=False)
    boltzmann.anneal(bm, ((1, 2.0),), 1.0, sample_time=1, clamp={0: 1})
