"""Token ids standing in for one-hot input vectors, so that the one-hot matrix is never made.

A one-hot x_t = e_v picks a column: W_ih x_t = W_ih[:, v]. So the input projection of a token is a gather of
columns (T·B·G numbers read instead of T·B·V·G multiply-adds), and its weight gradient Σ_t dz_t x_tᵀ adds each
dz_t into the column of its token. The recurrent weights keep PyTorch's shapes and names: ``weight_ih_l0`` is
(G·H, V), as when PyTorch's LSTM is fed one-hot vectors, so weights move over unchanged.

Dropout on a one-hot input zeroes its single one or scales it by 1/(1 − p): ``scale`` carries that value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory


@dataclass(frozen=True)
class OneHot:
    """ids (T, B) whole numbers below ``size``; scale (T, B) the value of each vector's one, None for 1.

    Behaves as the (T, B, size) array it stands for where the recurrent layers use one: ``shape``, indexing
    along time, and ``x[t] @ M`` (the rows of M that the ids pick).
    """

    ids: np.ndarray
    size: int
    scale: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return (*self.ids.shape, self.size)

    def __getitem__(self, index) -> OneHot:
        """Indexing the leading (time, batch) axes: ``x[t]``, ``x[::-1]``."""
        return OneHot(self.ids[index], self.size, None if self.scale is None else self.scale[index])

    def __matmul__(self, m: np.ndarray) -> np.ndarray:
        """x @ m for m (size, K): the rows of m that the ids pick, (..., K)."""
        out = m[self.ids]
        return out if self.scale is None else out * self.scale[..., None]

    def contiguous(self) -> OneHot:
        scale = None if self.scale is None else np.ascontiguousarray(self.scale)
        return OneHot(np.ascontiguousarray(self.ids), self.size, scale)

    def outer(self, dz: np.ndarray) -> np.ndarray:
        """Σ over steps and batch of dz_t x_tᵀ: (T, B, K) -> (K, size), each dz_t added into its token's column."""
        rows = dz if self.scale is None else dz * self.scale[..., None]
        out = np.zeros((self.size, dz.shape[-1]), dz.dtype)
        np.add.at(out, self.ids.ravel(), rows.reshape(-1, dz.shape[-1]))
        return out.T

    def dense(self, dtype: np.dtype | type = np.float64) -> np.ndarray:
        """The (T, B, size) array itself, memory-checked first: for showing one sequence, not for training."""
        dtype = np.dtype(dtype)
        T, B = self.ids.shape
        check_memory(T * B * self.size * dtype.itemsize, f"one-hot vectors of {self.size} for {T} steps × batch {B}")
        out = np.zeros(self.shape, dtype)
        ones = 1 if self.scale is None else self.scale[..., None]
        np.put_along_axis(out, self.ids[..., None], ones, axis=-1)
        return out


def as_tokens(name: str, ids: np.ndarray, size: int) -> OneHot:
    """``ids`` (T, B) checked: whole numbers from 0 to size − 1."""
    ids = np.asarray(ids)
    if ids.ndim != 2 or ids.dtype.kind not in "iu":
        raise ValueError(f"{name} as tokens must be (steps, batch) whole numbers, not {ids.dtype} of shape {ids.shape}")
    if ids.size and (ids.min() < 0 or ids.max() >= size):
        raise ValueError(f"{name} holds token ids {ids.min()}..{ids.max()}; the network takes 0 to {size - 1}")
    return OneHot(np.ascontiguousarray(ids, np.int64), size)
