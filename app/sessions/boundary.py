"""State that only the thread that trains may read, handed to the GUI on request at a step boundary.

A save needs the weights, the optimizer's moments and the batches' generator of one and the same step. Copying
them into every snapshot (several times a second) costs what no view shows; stopping the worker to read them
costs the user a pause. Instead the GUI asks, and the worker takes the state after its current step: the GUI
waits at most one step, and training goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Request(Generic[T]):
    def __init__(self) -> None:
        self.served = threading.Event()
        self.value: T | None = None


class StepBoundary(Generic[T]):
    """``take()`` on the GUI thread returns ``read()`` of a step boundary: read here when no worker trains, else
    by the worker in its next ``passed()``. The session calls ``started()`` before its worker's first step,
    ``passed()`` on the worker after every step (``last=True`` when no step follows, or when the step failed),
    and ``stopped()`` once the worker has ended (``TrainingRunner`` calls it as the run's ``ended``, on the worker,
    whatever ended the run)."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._lock = threading.Lock()  # guards the two below, shared by the GUI and the worker
        self._request: _Request[T] | None = None
        self._worker_trains = False  # a worker may take another step: it, not the GUI, may read

    def started(self) -> None:
        with self._lock:
            self._worker_trains = True

    def stopped(self) -> None:
        """No worker trains any more (it was stopped, or ended by itself, however): a request still waiting is
        served here, on this thread, so that a save never waits for a step that will not come."""
        self.passed(last=True)

    def passed(self, last: bool = False) -> None:
        """Worker, between steps: serve a waiting request."""
        with self._lock:
            request, self._request = self._request, None
            if last:
                self._worker_trains = False
        if request is not None:
            try:
                request.value = self._read()
            finally:  # a read that failed here is tried again by take(), which then reports it
                request.served.set()

    def take(self) -> T:
        with self._lock:
            request = None
            if self._worker_trains:
                request = self._request = self._request or _Request()
        if request is None:
            return self._read()
        request.served.wait()
        return request.value if request.value is not None else self._read()
