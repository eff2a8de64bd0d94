"""Compile (or load from Numba's cache) every kernel once on tiny inputs, one named job at a time, so that
an application can show progress on a first start instead of freezing on its first real call."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np


def _recurrent(cell: str, variant: str, dtype) -> Callable[[], None]:
    def run() -> None:
        from engine.recurrent import RecurrentSpec, backward, forward, init_params

        spec = RecurrentSpec(cell=cell, input_size=2, hidden_size=3, variant=variant)
        params = init_params(spec, dtype=dtype)
        trace = forward(spec, params, np.zeros((3, 1, 2), dtype))
        backward(spec, params, trace, np.zeros((3, 1, 3), dtype))

    return run


def jobs(dtypes=(np.float32,)) -> Iterator[tuple[str, Callable[[], None]]]:
    """(label, job) pairs; running every job leaves every recurrent kernel compiled for ``dtypes``."""
    for dtype in dtypes:
        for cell, variant in (("rnn_tanh", "standard"), ("lstm", "standard"), ("gru", "reset_after")):
            yield f"{cell} kernels ({np.dtype(dtype).name})", _recurrent(cell, variant, dtype)
