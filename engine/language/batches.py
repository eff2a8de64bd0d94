"""Batches of a long text for training a language model, two ways:

- ``Streams``: the text cut into B parallel streams, read chunk after chunk in order, so that the state after
  one chunk starts the next (stateful truncated BPTT: the gradient stops at the chunk's edge, the memory not);
- ``random_chunks``: B windows at random places, each read from the zero state.

A chunk is (T + 1, B) ids: the model reads rows :T and predicts rows 1:, so consecutive chunks share a row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _text_ids(ids, needed: int) -> np.ndarray:
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"the text's ids must be a vector (n,) of whole numbers, not {ids.dtype} {ids.shape}")
    if len(ids) < needed:
        raise ValueError(f"the text has {len(ids)} characters; it needs at least {needed} for these batches")
    return ids


def _check_sizes(batch: int, length: int) -> None:
    for name, value in (("batch", batch), ("length", length)):
        if not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a whole number ≥ 1, not {value!r}")


@dataclass(frozen=True)
class Streams:
    """``streams`` (S, B): column b is the b-th of B equal stretches of the text; ``len`` chunks of ``length``
    steps, chunk k (≤ length + 1, B) being rows k·length … k·length + length."""

    streams: np.ndarray
    length: int

    def __len__(self) -> int:
        return -(-(self.streams.shape[0] - 1) // self.length)

    def __getitem__(self, k: int) -> np.ndarray:
        if not 0 <= k < len(self):
            raise IndexError(f"chunk {k} of {len(self)}")
        return self.streams[k * self.length : (k + 1) * self.length + 1]


def streams(ids: np.ndarray, batch: int, length: int) -> Streams:
    """The text ids (n,) as ``batch`` streams of n // batch characters (the rest left out), in chunks of
    ``length`` steps."""
    _check_sizes(batch, length)
    ids = _text_ids(ids, 2 * batch)
    S = len(ids) // batch
    return Streams(np.ascontiguousarray(ids[: S * batch].reshape(batch, S).T), int(length))


def random_chunks(ids: np.ndarray, batch: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """(length + 1, batch) windows of the text ids (n,) starting at places drawn from ``rng``."""
    _check_sizes(batch, length)
    ids = _text_ids(ids, length + 1)
    start = rng.integers(0, len(ids) - length, batch)
    return ids[start[None, :] + np.arange(length + 1)[:, None]]
