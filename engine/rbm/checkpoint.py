"""An ``RBMTrainer``'s state as JSON values and arrays, and the checks it passes on its way back.

JSON: ``{"config": {TrainingConfig's fields}, "rng": PCG64 state, "snapshot_epochs": [int, ...]}``.
Arrays: ``model/{W,b_visible,b_hidden}``, ``velocity/{W,b_visible,b_hidden}``, ``persistent_chains`` ``(batch_size,
n_visible)`` with PCD only, ``history/<series>`` ``(epochs,)`` each and, with snapshots, ``snapshots``
``(S, n_visible, n_hidden)``. A restore checks all of it before it changes anything.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import TYPE_CHECKING

import numpy as np

from engine.checks import check_memory, generator_from_state
from engine.rbm.history import SERIES, History
from engine.rbm.model import RBM

if TYPE_CHECKING:
    from engine.rbm.training import RBMTrainer

PARAMETERS = ("W", "b_visible", "b_hidden")
STATE_KEYS = ("config", "rng", "snapshot_epochs")
ALWAYS_FINITE = ("reconstruction_error", "free_energy")  # the other series are NaN where not measured


def array_names(persistent: bool, snapshots: bool) -> set[str]:
    """The arrays a checkpoint holds."""
    names = {f"{group}/{p}" for group in ("model", "velocity") for p in PARAMETERS}
    names |= {f"history/{s}" for s in SERIES}
    return names | ({"persistent_chains"} if persistent else set()) | ({"snapshots"} if snapshots else set())


def save(trainer: RBMTrainer) -> tuple[dict, dict[str, np.ndarray]]:
    m, v, h = trainer.model, trainer.velocity, trainer.history
    state = {"config": asdict(trainer.config), "rng": trainer.rng.bit_generator.state,
             "snapshot_epochs": list(h.snapshot_epochs)}  # fmt: skip
    arrays = {f"model/{p}": getattr(m, p).copy() for p in PARAMETERS}
    arrays |= {f"velocity/{p}": getattr(v, p).copy() for p in PARAMETERS}
    arrays |= {f"history/{name}": series for name, series in h.series().items()}
    if trainer.chains is not None:
        arrays["persistent_chains"] = trainer.chains.copy()
    if h.snapshots:
        arrays["snapshots"] = np.stack(h.snapshots)
    return state, arrays


def restore(trainer: RBMTrainer, state: object, arrays: dict[str, np.ndarray]) -> None:
    from engine.rbm.training import TrainingConfig, check_config

    if not isinstance(state, dict) or set(state) != set(STATE_KEYS):
        raise ValueError(f"a trainer checkpoint is a mapping of {', '.join(STATE_KEYS)}")
    config = state["config"]
    names = [f.name for f in fields(TrainingConfig)]
    if not isinstance(config, dict) or sorted(config) != sorted(names):
        raise ValueError(f"the trainer's settings must be a mapping of {', '.join(names)}")
    config = check_config(trainer.model.W.shape, TrainingConfig(**config))
    rng = generator_from_state(state["rng"])
    shapes = {"W": trainer.model.W.shape, "b_visible": trainer.model.b_visible.shape,
              "b_hidden": trainer.model.b_hidden.shape}  # fmt: skip
    epochs_saved = state["snapshot_epochs"]
    unexpected = set(arrays) - array_names(config.persistent, bool(epochs_saved))
    if unexpected:
        raise ValueError(f"the trainer checkpoint has an unexpected array {sorted(unexpected)[0]!r}")
    model = RBM(*(_finite(arrays, f"model/{p}", shapes[p]) for p in PARAMETERS))
    velocity = RBM(*(_finite(arrays, f"velocity/{p}", shapes[p]) for p in PARAMETERS))
    chains = (
        _binary(arrays, "persistent_chains", (config.batch_size, trainer.model.n_visible))
        if config.persistent
        else None
    )
    history = _history(arrays, epochs_saved, shapes["W"])
    trainer.config, trainer.rng, trainer.chains, trainer.history = config, rng, chains, history
    trainer.model.assign(model)
    trainer.velocity = velocity


def _array(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...], kinds: str) -> np.ndarray:
    a = arrays.get(name)
    if a is None:
        raise ValueError(f"the trainer checkpoint lacks the array {name!r}")
    if not isinstance(a, np.ndarray) or a.dtype.kind not in kinds or a.shape != shape:
        raise ValueError(f"the array {name!r} must be numbers of shape {shape}, not {getattr(a, 'dtype', type(a))} "
                         f"of shape {getattr(a, 'shape', '?')}")  # fmt: skip
    check_memory(a.size * 8, f"a copy of {name}")
    return np.array(a, np.float64, order="C")


def _finite(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    a = _array(arrays, name, shape, "f")
    if not np.isfinite(a).all():
        raise ValueError(f"the array {name!r} must hold finite numbers")
    return a


def _binary(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    a = _array(arrays, name, shape, "biuf")
    if not ((a == 0) | (a == 1)).all():
        raise ValueError(f"the array {name!r} must hold only 0 and 1")
    return a


def _history(arrays: dict[str, np.ndarray], snapshot_epochs: object, w_shape: tuple[int, int]) -> History:
    """The record: series of one length, without Inf, reconstruction error and free energy finite; snapshots
    of W after increasing epochs of the record."""
    lengths = {len(a) for s in SERIES if isinstance(a := arrays.get(f"history/{s}"), np.ndarray) and a.ndim == 1}
    if len(lengths) > 1:
        raise ValueError("the training history's series differ in length")
    n = lengths.pop() if lengths else -1
    series = {s: _array(arrays, f"history/{s}", (n,), "f") for s in SERIES}
    if any(np.isinf(v).any() for v in series.values()) or not all(np.isfinite(series[s]).all() for s in ALWAYS_FINITE):
        raise ValueError("the training history holds infinite or missing values")
    if not (
        isinstance(snapshot_epochs, list)
        and all(type(e) is int for e in snapshot_epochs)
        and snapshot_epochs == sorted(set(snapshot_epochs))
        and all(0 <= e < n for e in snapshot_epochs)
    ):
        raise ValueError("the snapshot epochs must be increasing epochs of the training history")
    snapshots = []
    if snapshot_epochs:
        snapshots = list(_finite(arrays, "snapshots", (len(snapshot_epochs), *w_shape)))
    return History(**series, snapshots=snapshots, snapshot_epochs=list(snapshot_epochs))
