"""Two halves of a batch at once, on two cores: ``both(first, second)`` runs ``first()`` here while ``second()``
runs in a helper thread. Both must release the GIL for this to pay (BLAS products, NumPy's element-wise loops on
large arrays, Numba's ``nogil`` kernels), and each must write only its own rows of arrays they share.

The recurrent layers (``layers.py``) and the output head (``head.py``) split their work this way, eight times in
a language model's training step. The helper is handed its work through two bare locks: a thread pool's future
and condition took 60-130 µs to start the second half and as long again to report it done, 1.4 ms of a 27 ms step.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable


@functools.cache
def two_cores() -> bool:
    return (os.cpu_count() or 1) >= 2  # asked once: a question to the system at every layer of every step


class _Helper:
    """One daemon thread that runs one function at a time for ``both``."""

    def __init__(self) -> None:
        self.busy = threading.Lock()  # held by the ``both`` that is using the helper
        self._go, self._done = threading.Lock(), threading.Lock()
        self._go.acquire()
        self._done.acquire()
        self._work: Callable[[], object] | None = None
        self._result: object = None
        self._error: BaseException | None = None
        threading.Thread(target=self._serve, name="recurrent-half", daemon=True).start()

    def _serve(self) -> None:
        while True:
            self._go.acquire()
            try:
                self._result, self._error = self._work(), None
            except BaseException as exc:  # handed back to the caller, raised there
                self._result, self._error = None, exc
            self._work = None
            self._done.release()

    def start(self, work: Callable[[], object]) -> None:
        self._work = work
        self._go.release()

    def join(self) -> object:
        self._done.acquire()
        result, error, self._result, self._error = self._result, self._error, None, None
        if error is not None:
            raise error
        return result


_helper: _Helper | None = None
_helper_made = threading.Lock()


def both(first, second):
    """first() here while second() runs in the helper thread; returns both results. Where the helper is busy (a
    call from inside ``first``, or from another thread meanwhile), the two run one after the other here."""
    global _helper
    if _helper is None:
        with _helper_made:
            if _helper is None:
                _helper = _Helper()
    helper = _helper
    if not helper.busy.acquire(blocking=False):
        return first(), second()
    try:
        helper.start(second)
        try:
            result = first()
        finally:
            other = helper.join()  # never leave while the other half still writes into shared arrays
        return result, other
    finally:
        helper.busy.release()
