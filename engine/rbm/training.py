"""Training an RBM by contrastive divergence (CD-k) or persistent CD, one Python loop around the kernels.

The epoch loop stays in Python so that the app can watch progress and cancel between epochs through
``on_epoch``; the gradient of each mini-batch is one kernel call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory
from engine.rbm import kernels, reference
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

EpochCallback = Callable[[int, RBM, "History"], "bool | None"]


@dataclass(frozen=True)
class _Settings:
    lr: float
    k: int
    batch_size: int
    momentum: float
    weight_decay: float


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
    """Train ``model`` in place on binary ``data: (N, n_visible)`` with CD-k, or PCD when ``persistent``.

    PCD keeps ``batch_size`` fantasy chains across mini-batches, started from random training rows.
    Updates: velocity = momentum * velocity + lr * (gradient - weight_decay * W), parameters += velocity
    (no decay on biases). The exact log-likelihood is recorded every ``log_likelihood_every`` epochs
    (0: never) when the smaller layer has at most 20 units; a W snapshot every ``snapshot_every`` epochs.
    ``on_epoch(epoch, model, history)`` runs after each epoch; returning False stops training.
    If the parameters become NaN or Inf, training stops with the last good parameters restored and says
    so in ``history.stopped_reason``.
    """
    settings = _validate(model, epochs, lr, k, batch_size, momentum, weight_decay, snapshot_every, log_likelihood_every)
    rows = binary_rows("data", data, model.n_visible)
    held_out = None if validation is None else binary_rows("validation", validation, model.n_visible)
    rng = np.random.default_rng(seed)
    chains = rows[rng.integers(0, len(rows), batch_size)] if persistent else None
    velocity = RBM(np.zeros_like(model.W), np.zeros_like(model.b_visible), np.zeros_like(model.b_hidden))
    history = History()
    for epoch in range(epochs):
        last_good = model.copy()
        chains = _train_epoch(model, rows, chains, velocity, settings, rng)
        record = _measure(model, rows, held_out, epoch, log_likelihood_every)
        if not (model.is_finite() and np.isfinite(record["free_energy"])):
            model.assign(last_good)
            history.stopped_reason = f"diverged in epoch {epoch} (NaN or Inf); kept the parameters before it"
            break
        history.append(**record)
        if snapshot_every and (epoch + 1) % snapshot_every == 0:
            history.snapshots.append(model.W.copy())
            history.snapshot_epochs.append(epoch)
        if on_epoch is not None and on_epoch(epoch, model, history) is False:
            history.stopped_reason = f"stopped by on_epoch after epoch {epoch}"
            break
    return history


def _validate(
    model: RBM,
    epochs: int,
    lr: float,
    k: int,
    batch_size: int,
    momentum: float,
    weight_decay: float,
    snapshot_every: int,
    log_likelihood_every: int,
) -> _Settings:
    check_model(model)
    require_nonnegative_int("epochs", epochs)
    require_positive_int("k", k)
    require_positive_int("batch_size", batch_size)
    require_nonnegative_int("snapshot_every", snapshot_every)
    require_nonnegative_int("log_likelihood_every", log_likelihood_every)
    for name, value in (("lr", lr), ("momentum", momentum), ("weight_decay", weight_decay)):
        if not (isinstance(value, int | float | np.floating) and np.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if momentum >= 1:
        raise ValueError(f"momentum must be below 1, got {momentum}")
    n_params = model.W.size + model.n_visible + model.n_hidden
    per_batch = batch_size * (model.n_visible + model.n_hidden) * (k + 2)
    check_memory((3 * n_params + per_batch) * 8, "training buffers (velocity, gradient, random numbers)")
    return _Settings(float(lr), k, batch_size, float(momentum), float(weight_decay))


def _train_epoch(
    model: RBM,
    rows: np.ndarray,
    chains: np.ndarray | None,
    velocity: RBM,
    settings: _Settings,
    rng: np.random.Generator,
) -> np.ndarray | None:
    """One pass over shuffled mini-batches; returns the persistent chains' new state (None for CD)."""
    order = rng.permutation(len(rows))
    for start in range(0, len(rows), settings.batch_size):
        batch = rows[order[start : start + settings.batch_size]]
        v_start = batch if chains is None else chains
        u_h = rng.random((settings.k, len(v_start), model.n_hidden))
        u_v = rng.random((settings.k, len(v_start), model.n_visible))
        dW, db, dc, v_end = kernels.cd_gradient(batch, v_start, model.W, model.b_visible, model.b_hidden, u_h, u_v)
        if chains is not None:
            chains = v_end
        _apply_update(model, velocity, (dW - settings.weight_decay * model.W, db, dc), settings)
    return chains


def _apply_update(
    model: RBM, velocity: RBM, gradient: tuple[np.ndarray, np.ndarray, np.ndarray], settings: _Settings
) -> None:
    """Gradient ascent with momentum, in place."""
    params = (model.W, model.b_visible, model.b_hidden)
    velocities = (velocity.W, velocity.b_visible, velocity.b_hidden)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected after the epoch
        for param, vel, grad in zip(params, velocities, gradient, strict=True):
            vel *= settings.momentum
            vel += settings.lr * grad
            param += vel


def _measure(
    model: RBM, rows: np.ndarray, held_out: np.ndarray | None, epoch: int, log_likelihood_every: int
) -> dict[str, float]:
    """The epoch's entries for ``History``: reconstruction error, free energies, log-likelihood."""
    with np.errstate(all="ignore"):  # a diverged model yields NaN here, which train() checks
        W, b, c = model.W, model.b_visible, model.b_hidden
        reconstruction = kernels.visible_prob(kernels.hidden_prob(rows, W, c), W, b)
        record = {
            "reconstruction_error": float(np.mean((rows - reconstruction) ** 2)),
            "free_energy": float(reference.free_energy(rows, W, b, c).mean()),
            "validation_free_energy": np.nan,
            "log_likelihood": np.nan,
        }
        if held_out is not None:
            record["validation_free_energy"] = float(reference.free_energy(held_out, W, b, c).mean())
        tractable = min(model.n_visible, model.n_hidden) <= MAX_ENUMERATED_UNITS
        if tractable and log_likelihood_every and epoch % log_likelihood_every == 0 and model.is_finite():
            record["log_likelihood"] = log_likelihood(model, rows)
    return record
