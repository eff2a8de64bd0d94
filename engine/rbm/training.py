"""Training an RBM by contrastive divergence (CD-k) or persistent CD, one Python loop around the kernels.

``RBMTrainer`` owns everything training carries from one mini-batch to the next: the model, the momentum
velocities, the persistent chains, the random generator, the epoch count and the record. ``train(3)`` then
``train(7)`` is ``train(10)``, bit for bit, and ``checkpoint()`` / ``restore()`` carry that state through a file.
The epoch loop stays in Python so that the app can watch progress and cancel between epochs (``on_epoch``);
the mini-batches of an epoch run in a few calls of one kernel that samples and updates in float32.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, fields, replace

import numpy as np

from engine.blas_threads import one_blas_thread
from engine.checks import check_memory
from engine.rbm import checkpoint, kernels
from engine.rbm.history import History
from engine.rbm.model import (
    MAX_ENUMERATED_UNITS,
    RBM,
    binary_rows,
    check_model,
    log_likelihood,
    require_nonnegative_int,
    require_positive_int,
)

EpochCallback = Callable[[int, RBM, History], "bool | None"]

#: What the trainer computes in. float64 is there for comparison; the tests hold the float32 kernel to the
#: float64 reference (the same samples, parameters within 1e-5 after an epoch).
TRAINING_DTYPE = np.float32

#: The uniforms drawn at once (float32): 4 MB, many mini-batches' worth (one batch of 64 at 784 x 256 takes 66,560).
UNIFORMS_PER_CHUNK = 2**20

#: The rows of the training and the held-out data each epoch's record is measured on: the free energies of
#: equal-sized sets are what Hinton's practical guide compares to see overfitting, and measuring all of a large
#: set took as long as training on it (1,800 glyphs: 24 ms of an epoch's 58).
MEASURED_ROWS = 1024

#: BLAS's threads from this much work per mini-batch (batch_size x n_visible x n_hidden): below it, waking the
#: second thread for each product costs more than it saves.
PARALLEL_MIN_WORK = 2**17


def kernel_threads(batch_size: int, shape: tuple[int, int]) -> int:
    """BLAS threads for ``kernels.train_batches``: two when the work is large enough and the machine has two
    cores to spare. A thread that waits for the other at every product loses its core on an oversubscribed
    machine: measured at a load average of 20 on two cores, two threads made an epoch 6 to 20 times slower.
    Two BLAS threads sum some products in another order than one: a run is bit for bit reproducible only with
    the same count (the app starts BLAS with one, so its labs and lessons always are)."""
    cores = os.cpu_count() or 1
    if cores < 2 or batch_size * shape[0] * shape[1] < PARALLEL_MIN_WORK:
        return 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return 2 if load < cores + 1 else 1  # our own two threads count in the load average


def _kernel_threads(threads: int):
    """BLAS in this thread alone during a kernel call, or as many threads as BLAS has."""
    return one_blas_thread() if threads == 1 else nullcontext()


@dataclass(frozen=True)
class TrainingConfig:
    """How the trainer updates: velocity = momentum * velocity + lr * (gradient - weight_decay * W),
    parameters += velocity (no decay on biases); ``k`` Gibbs sweeps in the negative phase, started at the
    mini-batch (CD-k) or at ``batch_size`` persistent chains (PCD). The exact log-likelihood is recorded every
    ``log_likelihood_every`` epochs (0: never) when the smaller layer has at most 20 units; a W snapshot is
    kept every ``snapshot_every`` epochs (0: never)."""

    lr: float = 0.1
    k: int = 1
    persistent: bool = False
    batch_size: int = 16
    momentum: float = 0.0
    weight_decay: float = 0.0
    snapshot_every: int = 0
    log_likelihood_every: int = 1


def check_config(shape: tuple[int, int], config: TrainingConfig) -> TrainingConfig:
    """``config`` with plain Python numbers, or a ValueError naming the first bad value; checks that the
    training buffers for a model of ``shape`` (n_visible, n_hidden) fit in memory."""
    require_positive_int("k", config.k)
    require_positive_int("batch_size", config.batch_size)
    require_nonnegative_int("snapshot_every", config.snapshot_every)
    require_nonnegative_int("log_likelihood_every", config.log_likelihood_every)
    if not isinstance(config.persistent, bool | np.bool_):
        raise ValueError(f"persistent must be True or False, got {config.persistent!r}")
    for name in ("lr", "momentum", "weight_decay"):
        value = getattr(config, name)
        number = isinstance(value, int | float | np.floating) and not isinstance(value, bool)
        if not (number and _finite(value) and value >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if config.momentum >= 1:
        raise ValueError(f"momentum must be below 1, got {config.momentum}")
    n_visible, n_hidden = shape
    n_params = n_visible * n_hidden + n_visible + n_hidden
    per_batch = config.batch_size * (n_visible + n_hidden) * (config.k + 2)
    check_memory((4 * n_params + per_batch) * 8, "training buffers (velocity, last good state, random numbers)")
    return TrainingConfig(float(config.lr), int(config.k), bool(config.persistent), int(config.batch_size),
                          float(config.momentum), float(config.weight_decay), int(config.snapshot_every),
                          int(config.log_likelihood_every))  # fmt: skip


def _finite(value: float) -> bool:
    """A finite number, also for Python ints too large for a float (from a file)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _config(options: dict[str, object], base: TrainingConfig = TrainingConfig()) -> TrainingConfig:
    known = {f.name for f in fields(TrainingConfig)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(f"unknown training setting {unknown[0]!r}; the settings are {', '.join(sorted(known))}")
    return replace(base, **options)


class RBMTrainer:
    """Trains ``model`` in place on binary ``data: (N, n_visible)``; ``options`` are ``TrainingConfig``'s fields.

    ``validation: (M, n_visible)`` rows give the held-out free energy. ``seed`` starts the generator that
    shuffles, samples and starts the persistent chains (from random training rows).
    """

    def __init__(self, model: RBM, data: object, *, validation: object = None, seed: int = 0, **options: object):
        check_model(model)
        self.config = check_config(model.W.shape, _config(options))
        require_nonnegative_int("seed", seed)
        self.model = model
        self.rows = binary_rows("data", data, model.n_visible)
        self.held_out = None if validation is None else binary_rows("validation", validation, model.n_visible)
        self.rng = np.random.default_rng(seed)
        self.velocity = RBM(np.zeros_like(model.W), np.zeros_like(model.b_visible), np.zeros_like(model.b_hidden))
        self.chains = self._fresh_chains() if self.config.persistent else None
        self.history = History()
        self._float32: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def epoch(self) -> int:
        """Epochs trained so far: the next epoch's index."""
        return self.history.epochs

    def _fresh_chains(self) -> np.ndarray:
        """``(batch_size, n_visible)`` persistent chains started at random training rows."""
        return self.rows[self.rng.integers(0, len(self.rows), self.config.batch_size)]

    def configure(self, **options: object) -> None:
        """New training settings for the epochs to come; the model, momentum and record carry on. The
        persistent chains start afresh from the data when PCD is switched on or the batch size changes."""
        config = check_config(self.model.W.shape, _config(options, self.config))
        fresh = config.persistent and (self.chains is None or config.batch_size != self.config.batch_size)
        self.config = config
        if not config.persistent:
            self.chains = None
        elif fresh:
            self.chains = self._fresh_chains()

    def train(self, epochs: int, on_epoch: EpochCallback | None = None) -> str | None:
        """Train ``epochs`` more epochs; returns None when all ran, else why training stopped (also kept in
        ``history.stopped_reason``).

        ``on_epoch(epoch, model, history)`` runs after each epoch (``epoch`` counts from the trainer's start);
        returning False stops training. If the parameters become NaN or Inf the epoch is undone (parameters,
        momentum, chains and generator as before it) and training stops, saying so.
        """
        require_nonnegative_int("epochs", epochs)
        reason = None
        for _ in range(epochs):
            epoch, before = self.epoch, self._state()
            self._train_epoch()
            record = self._measure(epoch)
            if not (self.model.is_finite() and np.isfinite(record["free_energy"])):
                self._set_state(before)
                reason = f"diverged in epoch {epoch} (NaN or Inf); kept the parameters before it"
                break
            self.history.append(**record)
            if self.config.snapshot_every and (epoch + 1) % self.config.snapshot_every == 0:
                self.history.snapshots.append(self.model.W.copy())
                self.history.snapshot_epochs.append(epoch)
            if on_epoch is not None and on_epoch(epoch, self.model, self.history) is False:
                reason = f"stopped by on_epoch after epoch {epoch}"
                break
        self.history.stopped_reason = reason
        return reason

    def _state(self) -> tuple[RBM, RBM, np.ndarray | None, dict]:
        """What an epoch changes besides the record: copies to go back to."""
        return self.model.copy(), self.velocity.copy(), self.chains, self.rng.bit_generator.state

    def _set_state(self, state: tuple[RBM, RBM, np.ndarray | None, dict]) -> None:
        model, velocity, self.chains, self.rng.bit_generator.state = state
        self.model.assign(model)
        self.velocity.assign(velocity)

    def _train_epoch(self) -> None:
        """One pass over shuffled mini-batches, in float32 (``kernels.train_batches``): the parameters, momentum
        and chains go to float32 and back, so the float64 arrays between epochs hold what the next epoch starts
        from exactly. The uniforms are the ones the reference would draw, in the same order, drawn in chunks of
        whole batches. The chains are replaced, never written in place."""
        s, model, velocity = self.config, self.model, self.velocity
        n, width = len(self.rows), model.n_visible + model.n_hidden
        order = self.rng.permutation(n)
        params = [a.astype(TRAINING_DTYPE) for a in (model.W, model.b_visible, model.b_hidden)]
        moments = [a.astype(TRAINING_DTYPE) for a in (velocity.W, velocity.b_visible, velocity.b_hidden)]
        start = self.chains if self.chains is not None else np.zeros((s.batch_size, model.n_visible))
        chains = start.astype(TRAINING_DTYPE)
        starts = np.arange(0, n, s.batch_size)
        n_chains = np.full(len(starts), s.batch_size) if s.persistent else np.minimum(s.batch_size, n - starts)
        per_batch = s.k * width * n_chains
        threads, rows, first = kernel_threads(s.batch_size, model.W.shape), self._as_float32("rows"), 0
        while first < len(starts):
            count = max(1, int(np.searchsorted(np.cumsum(per_batch[first:]), UNIFORMS_PER_CHUNK, side="right")))
            u = self.rng.random(int(per_batch[first : first + count].sum()), dtype=np.float32)
            with _kernel_threads(threads):
                kernels.train_batches(rows, order, first, count, s.batch_size, s.persistent, chains, *params,
                                      *moments, u, s.lr, s.momentum, s.weight_decay, s.k)  # fmt: skip
            first += count
        for target, value in zip((model.W, model.b_visible, model.b_hidden), params, strict=True):
            target[...] = value
        for target, value in zip((velocity.W, velocity.b_visible, velocity.b_hidden), moments, strict=True):
            target[...] = value
        if self.chains is not None:
            self.chains = chains.astype(np.float64)

    def _measure(self, epoch: int) -> dict[str, float]:
        """The epoch's entries for ``History``: reconstruction error and free energies over at most
        ``MEASURED_ROWS`` training and held-out rows (evenly spaced; the first ones the same every epoch), the
        exact log-likelihood over all of them when asked for and tractable."""
        model, every = self.model, self.config.log_likelihood_every
        with np.errstate(all="ignore"):  # a diverged model yields NaN here, which train() checks
            W, b, c = (a.astype(np.float32) for a in (model.W, model.b_visible, model.b_hidden))
            reconstruction_error, free_energy = kernels.measure(self._measured("rows"), W, b, c, True)
            record = {
                "reconstruction_error": float(reconstruction_error),
                "free_energy": float(free_energy),
                "validation_free_energy": np.nan,
                "log_likelihood": np.nan,
            }
            if self.held_out is not None:
                record["validation_free_energy"] = float(kernels.measure(self._measured("held_out"), W, b, c, False)[1])
            tractable = min(model.n_visible, model.n_hidden) <= MAX_ENUMERATED_UNITS
            if tractable and every and epoch % every == 0 and model.is_finite():
                record["log_likelihood"] = log_likelihood(model, self.rows)
        return record

    def _measured(self, name: str) -> np.ndarray:
        """At most ``MEASURED_ROWS`` evenly spaced rows of ``self.rows`` or ``self.held_out``, as float32."""
        rows = self._as_float32(name)
        if len(rows) <= MEASURED_ROWS:
            return rows
        key = name + ".measured"
        cached = self._float32.get(key)
        if cached is None or cached[0] is not rows:
            picked = np.ascontiguousarray(rows[np.linspace(0, len(rows) - 1, MEASURED_ROWS).astype(np.int64)])
            cached = self._float32[key] = (rows, picked)
        return cached[1]

    def _as_float32(self, name: str) -> np.ndarray:
        """``self.rows`` or ``self.held_out`` as float32, made once: what the kernel and the record read."""
        source = getattr(self, name)
        cached = self._float32.get(name)
        if cached is None or cached[0] is not source:
            cached = self._float32[name] = (source, source.astype(np.float32))
        return cached[1]

    # ---- checkpoints ------------------------------------------------------------------------------------

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON values, arrays) from which ``restore`` continues exactly: the settings, the generator's
        state, the model, the momentum, the persistent chains and the record. Copies, except the record's
        series, whose entries never change."""
        return checkpoint.save(self)

    def restore(self, state: object, arrays: dict[str, np.ndarray]) -> None:
        """Continue from ``checkpoint()``'s output, taken from a trainer of a model of the same shape.

        Every value is checked (types, shapes, finiteness, ranges, memory) before anything changes: a
        ValueError leaves the trainer as it was. The model's arrays are overwritten in place."""
        checkpoint.restore(self, state, arrays)


def train(
    model: RBM,
    data: object,
    epochs: int = 100,
    lr: float = 0.1,
    k: int = 1,
    persistent: bool = False,
    batch_size: int = 16,
    seed: int = 0,
    *,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    validation: object = None,
    snapshot_every: int = 0,
    log_likelihood_every: int = 1,
    on_epoch: EpochCallback | None = None,
) -> History:
    """Train ``model`` in place for ``epochs`` epochs with a new ``RBMTrainer`` (see it and ``TrainingConfig``)
    and return its record; ``history.stopped_reason`` says why training stopped early, if it did."""
    trainer = RBMTrainer(
        model, data, validation=validation, seed=seed, lr=lr, k=k, persistent=persistent, batch_size=batch_size,
        momentum=momentum, weight_decay=weight_decay, snapshot_every=snapshot_every,
        log_likelihood_every=log_likelihood_every,
    )  # fmt: skip
    trainer.train(epochs, on_epoch)
    return trainer.history
