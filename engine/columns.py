"""Columns of numbers that only grow, for training records read while training goes on (the recurrent lab's
history and comparison, the RBM's per-epoch record).

Appending is amortised O(1): each column lives in a buffer whose capacity doubles when full (``np.append`` copies
the whole history on every step: quadratic over a long run). Reading hands out views of the filled part, not
copies. A row once written is never written again, and a full buffer is replaced by a new one rather than
resized, so a view taken on one thread stays valid and unchanged while another thread goes on appending.
"""

from __future__ import annotations

import numpy as np

INITIAL_CAPACITY = 256


class Columns:
    """Named float64 columns of equal length. A column first seen at row n starts with n NaNs."""

    def __init__(self, names: tuple[str, ...] = ()) -> None:
        self._capacity = INITIAL_CAPACITY
        self._length = 0
        self._buffers: dict[str, np.ndarray] = {name: self._new_buffer() for name in names}
        self._frozen = False

    def __len__(self) -> int:
        return self._length

    @property
    def names(self) -> list[str]:
        return list(self._buffers)

    def _new_buffer(self) -> np.ndarray:
        buffer = np.empty(self._capacity)
        buffer[: self._length] = np.nan
        return buffer

    def append(self, row: dict[str, float]) -> None:
        """One row; columns missing from ``row`` get NaN, new names become new columns."""
        if self._frozen:
            raise ValueError("these columns are a view of others and cannot grow")
        n = self._length
        if n == self._capacity:
            self._capacity *= 2
            for name, old in self._buffers.items():
                grown = np.empty(self._capacity)
                grown[:n] = old[:n]
                self._buffers[name] = grown
        for name in row:  # in the row's order, not a set's: views number their series by it (colours, legends)
            if name not in self._buffers:
                self._buffers[name] = self._new_buffer()
        for name, buffer in self._buffers.items():
            buffer[n] = row.get(name, np.nan)
        self._length = n + 1

    def column(self, name: str) -> np.ndarray:
        """A read-only view of the filled part of ``name``."""
        view = self._buffers[name][: self._length]
        view.flags.writeable = False
        return view

    def views(self) -> dict[str, np.ndarray]:
        """Every column as a read-only view (cheap: nothing is copied)."""
        return {name: self.column(name) for name in self._buffers}

    def view(self) -> Columns:
        """The columns so far, read-only and sharing memory: they keep this length while these grow on."""
        out = Columns.__new__(Columns)
        out._capacity, out._length, out._buffers, out._frozen = self._capacity, self._length, dict(self._buffers), True
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Columns:
        """Columns holding copies of ``arrays`` (one-dimensional, equal lengths: the caller checks)."""
        columns = cls()
        columns._length = n = len(next(iter(arrays.values()))) if arrays else 0
        while columns._capacity < n:
            columns._capacity *= 2
        for name, values in arrays.items():
            buffer = columns._buffers[name] = np.empty(columns._capacity)
            buffer[:n] = values
        return columns
