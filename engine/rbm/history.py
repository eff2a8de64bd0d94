"""What RBM training records, one entry per epoch, in ``engine.columns.Columns`` (buffers that grow by doubling).

A run of E epochs costs O(E) to record (``np.append`` copied the whole record each epoch: O(E²)). Entries
once written never change, so ``view()`` hands out the record so far without copying it.
"""

from __future__ import annotations

import numpy as np

from engine.columns import Columns

#: The per-epoch series.
SERIES = ("reconstruction_error", "log_likelihood", "free_energy", "validation_free_energy")


class History:
    """What training recorded, one entry per completed epoch.

    ``reconstruction_error``: mean squared difference between the data and its mean-field reconstruction
    p(v | p(h | data)). ``log_likelihood``: exact mean log p(data), NaN where not computed or intractable.
    ``free_energy`` / ``validation_free_energy``: mean F(v) over the training / held-out data (NaN without
    ``validation``); a widening gap between them signals overfitting. These three are measured on at most
    ``training.MEASURED_ROWS`` evenly spaced rows of each set. Each is a read-only ``(epochs,)`` float64
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
        self._columns = Columns.from_arrays(dict(zip(SERIES, given, strict=True)))
        self.snapshots = list(snapshots or [])
        self.snapshot_epochs = list(snapshot_epochs or [])
        self.stopped_reason = stopped_reason

    @property
    def epochs(self) -> int:
        return len(self._columns)

    @property
    def reconstruction_error(self) -> np.ndarray:
        return self._columns.column("reconstruction_error")

    @property
    def log_likelihood(self) -> np.ndarray:
        return self._columns.column("log_likelihood")

    @property
    def free_energy(self) -> np.ndarray:
        return self._columns.column("free_energy")

    @property
    def validation_free_energy(self) -> np.ndarray:
        return self._columns.column("validation_free_energy")

    def append(self, **values: float) -> None:
        """One epoch's entry: a value for each of ``SERIES``, by name."""
        if set(values) != set(SERIES):
            raise ValueError(f"a history entry needs exactly {', '.join(SERIES)}; got {', '.join(sorted(values))}")
        try:
            self._columns.append(values)
        except ValueError:
            raise ValueError("this history is a view of another one and cannot grow") from None

    def view(self) -> History:
        """The record so far, read-only, sharing memory with this one: what a GUI frame holds, at no copy."""
        out = History.__new__(History)
        out._columns = self._columns.view()
        out.snapshots, out.snapshot_epochs = list(self.snapshots), list(self.snapshot_epochs)
        out.stopped_reason = self.stopped_reason
        return out

    def series(self) -> dict[str, np.ndarray]:
        """Each of ``SERIES`` by name (read-only views)."""
        return self._columns.views()

    def __repr__(self) -> str:
        return f"History(epochs={self.epochs}, stopped_reason={self.stopped_reason!r})"
