"""A thread that runs kernel warm-up jobs (``engine.warmup``) and reports progress. Only QtCore: ``unroll`` starts
it before the widgets and pyqtgraph are imported, so that loading kernels and importing overlap."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal


class WarmUpThread(QThread):
    """``state`` is the last progress reported, for a window that connects after the thread began (or ended)."""

    progressed = Signal(int, int, str)  # done, total, label of the next job

    def __init__(self, jobs, parent=None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.state = (0, 0, "")

    def run(self) -> None:
        jobs = list(self.jobs)
        for k, (label, job) in enumerate(jobs):
            if self.isInterruptionRequested():
                return  # the app is closing: leave the rest for next time
            self._report(k, len(jobs), label)
            job()
        self._report(len(jobs), len(jobs), "")

    def stop(self) -> None:
        """End after the current job and wait for it."""
        self.requestInterruption()
        self.wait()

    def _report(self, done: int, total: int, label: str) -> None:
        self.state = (done, total, label)
        self.progressed.emit(done, total, label)


class Kernels(QObject):
    """Whether the compiled kernels are loaded. ``unroll`` opens its window while Numba still loads them
    (from its cache, a second or two); until then the labs draw with the NumPy reference, which is fast
    enough for the demonstration sequences. Elsewhere (tests, screenshots) kernels load when first used."""

    ready_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.ready = True

    def set_ready(self, ready: bool) -> None:
        if ready != self.ready:
            self.ready = ready
            self.ready_changed.emit(ready)

    @property
    def backend(self) -> str:
        """The engine backend to draw with now."""
        return "numba" if self.ready else "reference"


_KERNELS: Kernels | None = None


def kernels() -> Kernels:
    global _KERNELS
    if _KERNELS is None:
        _KERNELS = Kernels()
    return _KERNELS
