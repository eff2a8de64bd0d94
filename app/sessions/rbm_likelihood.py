"""The RBM lab's log-likelihood estimate by annealed importance sampling, run off the GUI thread.

The job works on copies of a model and its training patterns, so training on meanwhile cannot change what it
measures; the result names the epoch it belongs to. At most one job runs; a cancelled one stops within about
a hundredth of its steps and its result, if one still arrives, is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.workers import JobThread
from engine import rbm

AIS_CHAINS = 100
AIS_BETAS = 10_000  # about 35 s for 784 visible × 256 hidden units on a two-core laptop
AIS_SEED = 0


class EstimateCancelled(Exception):
    """Raised from the engine's progress callback to stop a job nobody waits for any more."""


@dataclass(frozen=True)
class LikelihoodEstimate:
    """Mean log p(v) over the training patterns of the model at ``epoch``, estimated by AIS."""

    epoch: int
    estimate: rbm.AISEstimate


class LikelihoodEstimator(QObject):
    progressed = Signal(int, int)  # (steps done, steps in all)
    estimated = Signal(object)  # a LikelihoodEstimate
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.n_chains, self.n_betas, self.seed = AIS_CHAINS, AIS_BETAS, AIS_SEED
        self._job: JobThread | None = None
        self._cancelled = False

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.isRunning()

    def start(self, model: rbm.RBM, rows: np.ndarray, epoch: int) -> None:
        """Estimate the log-likelihood of copies of ``model`` and ``rows: (M, n_visible)`` in a worker thread."""
        if self.running:
            raise ValueError("a log-likelihood estimate is already running")
        model, rows = model.copy(), np.array(rows, np.float64)
        n_chains, n_betas, seed = self.n_chains, self.n_betas, self.seed
        self._cancelled = False

        def job() -> LikelihoodEstimate:
            estimate = rbm.ais_log_likelihood(model, rows, n_chains, n_betas, seed, progress=self._progress)
            return LikelihoodEstimate(epoch, estimate)

        job_thread = self._job = JobThread(job, self)
        job_thread.finished_with.connect(lambda result: self._finished_with(job_thread, result))
        job_thread.failed.connect(lambda text: self._failed(job_thread, text))
        job_thread.finished.connect(lambda: self._ended(job_thread))
        job_thread.start()
        self.running_changed.emit(True)

    def cancel(self, wait: bool = False) -> None:
        """Stop the running job, if any, and drop its result; with ``wait``, return once it has ended."""
        self._cancelled = True
        if wait and self._job is not None:
            self._job.wait()

    def _progress(self, done: int, total: int) -> None:
        if self._cancelled:
            raise EstimateCancelled("the log-likelihood estimate was cancelled")
        self.progressed.emit(done, total)

    def _finished_with(self, job_thread: JobThread, result: LikelihoodEstimate) -> None:
        if job_thread is self._job and not self._cancelled:
            self.estimated.emit(result)

    def _failed(self, job_thread: JobThread, text: str) -> None:
        if job_thread is self._job and not self._cancelled:
            self.failed.emit(f"the log-likelihood estimate failed: {text}")

    def _ended(self, job_thread: JobThread) -> None:
        job_thread.deleteLater()
        if job_thread is self._job:
            self._job = None
            self.running_changed.emit(False)
