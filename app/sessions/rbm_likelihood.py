"""The RBM lab's log-likelihood estimate by annealed importance sampling, run off the GUI thread as a ``Job``.

The job works on copies of a model and its training patterns, so training on meanwhile cannot change what it
measures; the result names the epoch it belongs to. A new estimate or a cancel drops the running one: it stops
within about a hundredth of its steps, and whatever it still delivers is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.jobs import Job, JobContext
from engine import rbm

AIS_CHAINS = 100
AIS_BETAS = 10_000  # about 35 s for 784 visible × 256 hidden units on a two-core laptop
AIS_SEED = 0


@dataclass(frozen=True)
class LikelihoodEstimate:
    """Mean log p(v) over the training patterns of the model at ``epoch``, estimated by AIS."""

    epoch: int
    estimate: rbm.AISEstimate


class LikelihoodEstimator(Job):
    """``done`` carries a ``LikelihoodEstimate``; ``progressed`` (steps done, steps in all)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.n_chains, self.n_betas, self.seed = AIS_CHAINS, AIS_BETAS, AIS_SEED

    def estimate(self, model: rbm.RBM, rows: np.ndarray, epoch: int) -> None:
        """Estimate the log-likelihood of copies of ``model`` and ``rows: (M, n_visible)`` in a worker thread."""
        model, rows = model.copy(), np.array(rows, np.float64)
        n_chains, n_betas, seed = self.n_chains, self.n_betas, self.seed

        def work(context: JobContext) -> LikelihoodEstimate:
            estimate = rbm.ais_log_likelihood(model, rows, n_chains, n_betas, seed, progress=context.progress)
            return LikelihoodEstimate(epoch, estimate)

        self.start(work)
