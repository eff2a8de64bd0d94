"""Running engine calls off the GUI thread. Kernels release the GIL (``nogil=True``), so the window keeps
answering while they run; results come back to the GUI thread by queued signals, as copies."""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal


class LoopThread(QThread):
    """Calls ``step()`` again and again until stopped; a non-None result is emitted by ``produced``.

    ``step`` must return copies, never arrays the engine is still writing. An exception ends the loop and is
    reported by ``failed`` with its message.
    """

    produced = Signal(object)
    failed = Signal(str)

    def __init__(self, step: Callable[[], object | None], parent=None) -> None:
        super().__init__(parent)
        self._step = step
        self._stopping = False

    def run(self) -> None:
        while not self._stopping:
            try:
                result = self._step()
            except Exception as exc:  # reported to the user, never a crash
                traceback.print_exc()
                self.failed.emit(f"{type(exc).__name__}: {exc}")
                return
            if result is not None:
                self.produced.emit(result)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def request_stop(self) -> None:
        """Ask the loop to end after the current step (callable from the step itself)."""
        self._stopping = True

    def stop(self) -> None:
        """Ask the loop to end after the current step and wait for it."""
        self._stopping = True
        self.wait()


class JobThread(QThread):
    """Runs ``job()`` once; ``finished_with`` carries its result, ``failed`` its error message."""

    finished_with = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[], object], parent=None) -> None:
        super().__init__(parent)
        self._job = job

    def run(self) -> None:
        try:
            result = self._job()
        except Exception as exc:
            traceback.print_exc()
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.finished_with.emit(result)
