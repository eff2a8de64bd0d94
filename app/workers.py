"""Running engine calls off the GUI thread. Kernels release the GIL (``nogil=True``), so the window keeps
answering while they run; results come back to the GUI thread by queued signals, as copies."""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal


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


class BackgroundLoop(QObject):
    """At most one ``LoopThread`` at a time, for a session that trains in the background.

    ``produced`` passes on the current thread's results (deliveries still queued from a thread that has
    since been stopped are dropped); ``running_changed`` says when a loop starts or ends, whether stopped
    from the GUI, by ``request_stop()`` from the step itself, or by an error (then ``failed`` says why).
    """

    produced = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.thread: LoopThread | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    @property
    def stopping(self) -> bool:
        return self.thread is not None and self.thread.stopping

    def start(self, step: Callable[[], object | None]) -> None:
        if self.running:
            return
        thread = self.thread = LoopThread(step, self)
        thread.produced.connect(lambda result: self.produced.emit(result) if thread is self.thread else None)
        thread.failed.connect(lambda text: self._failed(thread, text))
        thread.finished.connect(lambda: self._finished(thread))
        thread.start()
        self.running_changed.emit(True)

    def request_stop(self) -> None:
        """Ask the loop to end after the current step (safe to call from the step itself)."""
        if self.thread is not None:
            self.thread.request_stop()

    def stop(self) -> None:
        """End the loop after its current step and wait for it."""
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.stop()
            thread.deleteLater()
            self.running_changed.emit(False)

    def _finished(self, thread: LoopThread) -> None:
        if thread is self.thread:
            self.thread = None
            thread.deleteLater()
            self.running_changed.emit(False)

    def _failed(self, thread: LoopThread, text: str) -> None:
        if thread is self.thread:
            self.failed.emit(text)
