"""A thread that runs kernel warm-up jobs (``engine.warmup``) and reports progress. Only QtCore: ``unroll`` starts
it before the widgets and pyqtgraph are imported, so that loading kernels and importing overlap."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal


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
            self._report(k, len(jobs), label)
            job()
        self._report(len(jobs), len(jobs), "")

    def _report(self, done: int, total: int, label: str) -> None:
        self.state = (done, total, label)
        self.progressed.emit(done, total, label)
