"""What RBM training records, one entry per epoch, in buffers that grow by doubling.

A run of E epochs costs O(E) to record (``np.append`` copied the whole record each epoch: O(E²)). Entries
once written never change, so ``view()`` hands out the record so far without copying it.
"""

from __future__ import annotations

import numpy as np

#: The per-epoch series, in the order of the buffer's rows.
SERIES = ("reconstruction_error", "log_likelihood", "free_energy", "validation_free_energy")

_FIRST_CAPACITY = 64


class History:
    """What training recorded, one entry per completed epoch.

    ``reconstruction_error``: mean squared difference between the data and its mean-field reconstruction
    p(v | p(h | data)). ``log_likelihood``: exact mean log p(data), NaN where not computed or intractable.
    ``free_energy`` / ``validation_free_energy``: mean F(v) over the training / held-out data (NaN without
    ``validation``); a widening gap between them signals overfitting. Each is a read-only ``(epochs,)`` float64
    array. ``snapshots``: copies of W, ``(n_visible, n_hidden)`` each, taken after the epochs listed in
    ``snapshot_epochs``. ``stopped_reason``: None when the latest training call ran all its epochs, else why it
    stopped early.

    Appending is not thread-safe: take ``view()`` on the thread that appends, and hand the view on.
    """

    def __init__(
        self,
        reconstruction_error: object = (),
        log_likelihood: object = (),
        free_energy: object = (),
        validation_free_energy: object = (),
        snapshots: list[np.ndarray] | None = None,
        snapshot_epochs: list[int] | None = None,
        stopped_reason: str | None = None,
    ) -> None:
        given = [np.asarray(v, np.float64) for v in (reconstruction_error, log_likelihood, free_energy,
                                                     validation_free_energy)]  # fmt: skip
        lengths = {v.shape for v in given}
        if len(lengths) != 1 or given[0].ndim != 1:
            raise ValueError(f"a history's series must be 1-D and of one length, not of shapes {sorted(lengths)}")
        self._n = len(given[0])
        self._buffer = np.empty((len(SERIES), max(_FIRST_CAPACITY, self._n)))
        self._buffer[:, : self._n] = given
        self._read_only = False
        self.snapshots = list(snapshots or [])
        self.snapshot_epochs = list(snapshot_epochs or [])
        self.stopped_reason = stopped_reason

    @property
    def epochs(self) -> int:
        return self._n

    def _series(self, row: int) -> np.ndarray:
        values = self._buffer[row, : self._n]
        values.flags.writeable = False  # a view into the buffer: nobody may rewrite the record
        return values

    @property
    def reconstruction_error(self) -> np.ndarray:
        return self._series(0)

    @property
    def log_likelihood(self) -> np.ndarray:
        return self._series(1)

    @property
    def free_energy(self) -> np.ndarray:
        return self._series(2)

    @property
    def validation_free_energy(self) -> np.ndarray:
        return self._series(3)

    def append(self, **values: float) -> None:
        """One epoch's entry: a value for each of ``SERIES``, by name."""
        if self._read_only:
            raise ValueError("this history is a view of another one and cannot grow")
        if set(values) != set(SERIES):
            raise ValueError(f"a history entry needs exactly {', '.join(SERIES)}; got {', '.join(sorted(values))}")
        if self._n == self._buffer.shape[1]:
            grown = np.empty((len(SERIES), 2 * self._n))
            grown[:, : self._n] = self._buffer[:, : self._n]
            self._buffer = grown  # views handed out keep the old buffer, whose entries never change
        self._buffer[:, self._n] = [values[name] for name in SERIES]
        self._n += 1

    def view(self) -> History:
        """The record so far, read-only, sharing memory with this one: what a GUI frame holds, at no copy."""
        out = History.__new__(History)
        out._n, out._buffer, out._read_only = self._n, self._buffer, True
        out.snapshots, out.snapshot_epochs = list(self.snapshots), list(self.snapshot_epochs)
        out.stopped_reason = self.stopped_reason
        return out

    def series(self) -> dict[str, np.ndarray]:
        """Each of ``SERIES`` by name (read-only views)."""
        return {name: self._series(row) for row, name in enumerate(SERIES)}

    def __repr__(self) -> str:
        return f"History(epochs={self._n}, stopped_reason={self.stopped_reason!r})"
