"""Restricted Boltzmann machines with binary units: sampling, training by CD-k / PCD, exact likelihood, and its
annealed-importance-sampling estimate for models too large to sum over.

    from engine import rbm
    model = rbm.init(9, 16, seed=0)
    history = rbm.train(model, data, epochs=100, lr=0.1, k=1)
    trainer = rbm.RBMTrainer(model, data, lr=0.1, persistent=True, momentum=0.5)  # owns momentum, chains, rng
    trainer.train(3); state, arrays = trainer.checkpoint(); trainer.restore(state, arrays); trainer.train(7)
    trace = rbm.gibbs(model, v0, steps=100, seed=0, clamp=mask)
    rbm.log_likelihood(model, data)
    rbm.ais_log_likelihood(model, data, n_chains=100, n_betas=10_000, seed=0)  # -> AISEstimate

``reference.py`` holds the NumPy equations, ``kernels.py`` their Numba twins, ``training.py`` the trainer,
``history.py`` its record, ``checkpoint.py`` its saved state, ``dbn.py`` greedy stacking, ``ais.py`` the AIS
estimates.
"""

from engine.rbm.ais import AISEstimate, ais_log_likelihood, ais_log_partition
from engine.rbm.history import History
from engine.rbm.model import (
    MAX_ENUMERATED_UNITS,
    RBM,
    GibbsTrace,
    free_energy,
    gibbs,
    init,
    log_likelihood,
    log_partition,
)
from engine.rbm.training import RBMTrainer, TrainingConfig, train

__all__ = [
    "MAX_ENUMERATED_UNITS",
    "RBM",
    "AISEstimate",
    "GibbsTrace",
    "History",
    "RBMTrainer",
    "TrainingConfig",
    "ais_log_likelihood",
    "ais_log_partition",
    "free_energy",
    "gibbs",
    "init",
    "log_likelihood",
    "log_partition",
    "train",
]
