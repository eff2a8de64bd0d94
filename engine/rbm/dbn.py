"""Deep belief networks stacked greedily from RBMs (Hinton, Osindero & Teh, 2006).

Each RBM is trained on binary samples of the hidden units of the one below; sampling runs the top RBM's
Gibbs chain and then passes the sample down through the lower layers' p(v | h).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.rbm import kernels
from engine.rbm.history import History
from engine.rbm.model import (
    RBM,
    binary_rows,
    check_model,
    init,
    require_positive_int,
)
from engine.rbm.training import train

LayerEpochCallback = Callable[[int, int, RBM, History], "bool | None"]


@dataclass
class DBN:
    """RBMs bottom-up: ``layers[0]`` sees the data, ``layers[i + 1].n_visible == layers[i].n_hidden``."""

    layers: list[RBM]
    histories: list[History]


class DBNSample(NamedTuple):
    """``visible``: binary samples ``(n_samples, n_visible)``; ``visible_prob``: p(v | the layer above)."""

    visible: np.ndarray
    visible_prob: np.ndarray


def train_dbn(
    data: object,
    layer_sizes: list[int],
    epochs: int = 100,
    lr: float = 0.1,
    k: int = 1,
    batch_size: int = 16,
    seed: int = 0,
    on_epoch: LayerEpochCallback | None = None,
    **train_options: object,
) -> DBN:
    """Greedy layer-wise training on binary ``data: (N, n_visible)``; ``layer_sizes`` are the hidden sizes.

    ``train_options`` (persistent, momentum, ...) go to ``rbm.train`` for every layer.
    ``on_epoch(layer, epoch, model, history)`` returning False stops training; the DBN then holds only the
    layers trained so far, the last one stopped early (see its history's ``stopped_reason``).
    """
    rows = binary_rows("data", data, None)
    if not isinstance(layer_sizes, list | tuple) or not layer_sizes:
        raise ValueError(f"layer_sizes must be a non-empty list of hidden layer sizes, got {layer_sizes!r}")
    for i, size in enumerate(layer_sizes):
        require_positive_int(f"layer_sizes[{i}]", size)
    seeds = np.random.default_rng(seed).integers(0, 2**32, size=(len(layer_sizes), 3))
    dbn = DBN([], [])
    for i, size in enumerate(layer_sizes):
        model = init(rows.shape[1], size, seed=int(seeds[i, 0]))
        callback = None if on_epoch is None else _for_layer(on_epoch, i)
        history = train(
            model,
            rows,
            epochs,
            lr,
            k,
            batch_size=batch_size,
            seed=int(seeds[i, 1]),
            on_epoch=callback,
            **train_options,
        )
        dbn.layers.append(model)
        dbn.histories.append(history)
        if history.stopped_reason is not None:
            break
        hidden_prob = kernels.hidden_prob(rows, model.W, model.b_hidden)
        rows = kernels.sample(hidden_prob, np.random.default_rng(seeds[i, 2]).random(hidden_prob.shape))
    return dbn


def _for_layer(on_epoch: LayerEpochCallback, layer: int) -> Callable[[int, RBM, History], bool | None]:
    return lambda epoch, model, history: on_epoch(layer, epoch, model, history)


def sample(dbn: DBN, n_samples: int = 16, steps: int = 1000, seed: int = 0) -> DBNSample:
    """Draw ``n_samples`` from the DBN: ``steps`` Gibbs sweeps of the top RBM from random binary states,
    then one pass down through p(v | h) of each lower layer. Returns bottom-layer samples and probabilities.
    """
    if not isinstance(dbn, DBN) or not dbn.layers:
        raise ValueError("dbn must be a DBN with at least one layer (see train_dbn)")
    for model in dbn.layers:
        check_model(model)
    require_positive_int("n_samples", n_samples)
    require_positive_int("steps", steps)
    rng = np.random.default_rng(seed)
    top = dbn.layers[-1]
    v = (rng.random((n_samples, top.n_visible)) < 0.5).astype(np.float64)
    for _ in range(steps):
        u_h = rng.random((n_samples, top.n_hidden))
        _, _, p_v, v = kernels.gibbs_step(v, top.W, top.b_visible, top.b_hidden, u_h, rng.random(v.shape))
    for model in reversed(dbn.layers[:-1]):
        p_v = kernels.visible_prob(v, model.W, model.b_visible)
        v = kernels.sample(p_v, rng.random(p_v.shape))
    return DBNSample(v, p_v)
