"""Greedy layer-wise training of a stack of RBMs one epoch at a time, so that an app can watch each layer learn,
pause between epochs and save where it is (``train_dbn`` does the same in one call).

Layer ``i`` learns from binary samples of layer ``i − 1``'s hidden units given the data below (the data itself for
layer 0); with labels, the top layer's input ends with one unit per class, on for the image's class.
"""

from __future__ import annotations

import numpy as np

from engine.rbm import reference
from engine.rbm.dbn import DBN, _labels, one_hot
from engine.rbm.history import History
from engine.rbm.model import RBM, binary_rows, init, require_nonnegative_int, require_positive_int
from engine.rbm.training import RBMTrainer

MAX_LAYERS = 6


class StackTrainer:
    """Trains ``len(layer_sizes)`` RBMs in turn, ``epochs`` each, on binary ``data: (N, n_visible)``.

    ``labels: (N,)`` classes in [0, n_labels) join the top layer as label units; ``options`` are
    ``rbm.TrainingConfig``'s fields, for every layer. ``layer`` is the layer in training (``len(layer_sizes)`` when
    all are done); ``trainer`` its ``RBMTrainer``.
    """

    def __init__(self, data: object, layer_sizes: list[int], epochs: int, *, labels: object = None,
                 n_labels: int = 0, seed: int = 0, **options: object) -> None:  # fmt: skip
        self.rows = binary_rows("data", data, None)
        if not isinstance(layer_sizes, list | tuple) or not 1 <= len(layer_sizes) <= MAX_LAYERS:
            raise ValueError(f"a stack has 1 to {MAX_LAYERS} layers, got {layer_sizes!r}")
        for i, size in enumerate(layer_sizes):
            require_positive_int(f"layer {i + 1}'s size", size)
        require_positive_int("epochs per layer", epochs)
        require_nonnegative_int("n_labels", n_labels)
        require_nonnegative_int("seed", seed)
        self.labels = None
        if n_labels:
            self.labels = _labels("labels", labels, n_labels)
            if len(self.labels) != len(self.rows):
                raise ValueError(f"{len(self.labels)} labels for {len(self.rows)} images; give one label per image")
        self.sizes, self.epochs, self.n_labels, self.options = [int(s) for s in layer_sizes], epochs, n_labels, options
        self.seeds = np.random.default_rng(seed).integers(0, 2**32, size=(len(layer_sizes), 3))
        self.layers: list[RBM] = []
        self.histories: list[History] = []
        self.trainer = self._trainer(0)

    @property
    def layer(self) -> int:
        return len(self.layers)

    @property
    def done(self) -> bool:
        return self.layer == len(self.sizes)

    @property
    def epochs_done(self) -> int:
        """Epochs trained over all layers."""
        return self.layer * self.epochs + (0 if self.done else self.trainer.epoch)

    @property
    def total_epochs(self) -> int:
        return len(self.sizes) * self.epochs

    def inputs(self, layer: int) -> np.ndarray:
        """What layer ``layer`` learns from: the data passed up through the layers below, sampled with each
        layer's own seed (so the same on every call), and the labels at the top."""
        x = self.rows
        for i in range(layer):
            p = reference.hidden_prob(x, self.layers[i].W, self.layers[i].b_hidden)
            x = reference.sample(p, np.random.default_rng(self.seeds[i, 2]).random(p.shape))
        if self.n_labels and layer == len(self.sizes) - 1:
            x = np.hstack([x, one_hot(self.labels, self.n_labels)])
        return np.ascontiguousarray(x)

    def _trainer(self, layer: int) -> RBMTrainer:
        x = self.inputs(layer)
        options = {**self.options, "batch_size": min(int(self.options.get("batch_size", 16)), len(x))}
        model = init(x.shape[1], self.sizes[layer], seed=int(self.seeds[layer, 0]))
        return RBMTrainer(model, x, seed=int(self.seeds[layer, 1]), **options)

    def step(self) -> str | None:
        """One epoch of the layer in training, moving to the next layer after its last; returns why training
        stopped (divergence), else None. Does nothing once all layers are done."""
        if self.done:
            return None
        reason = self.trainer.train(1)
        if reason is None and self.trainer.epoch >= self.epochs:
            self.layers.append(self.trainer.model)
            self.histories.append(self.trainer.history)
            if not self.done:
                self.trainer = self._trainer(self.layer)
        return reason

    def dbn(self) -> DBN:
        """Copies of the layers trained so far and, unless all are done, the one in training: a DBN whose top
        layer is the latest (labels only once the top layer of the stack is reached)."""
        layers = [m.copy() for m in self.layers]
        histories = [h.view() for h in self.histories]
        if not self.done:
            layers.append(self.trainer.model.copy())
            histories.append(self.trainer.history.view())
        at_top = len(layers) == len(self.sizes)
        return DBN(layers, histories, self.n_labels if at_top else 0)

    # ---- checkpoints --------------------------------------------------------------------------------------

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON values, arrays): the finished layers and their records, and the layer in training's trainer."""
        arrays: dict[str, np.ndarray] = {}
        for i, (m, h) in enumerate(zip(self.layers, self.histories, strict=True)):
            arrays |= {f"layer{i}/{p}": getattr(m, p).copy() for p in ("W", "b_visible", "b_hidden")}
            arrays |= {f"layer{i}/history/{n}": np.array(v) for n, v in h.series().items()}
        state = {"layer": self.layer, "trainer": None}
        if not self.done:
            trainer_state, trainer_arrays = self.trainer.checkpoint()
            state["trainer"] = trainer_state
            arrays |= {f"current/{k}": v for k, v in trainer_arrays.items()}
        return state, arrays

    def restore(self, state: object, arrays: dict[str, np.ndarray]) -> None:
        """Continue from ``checkpoint()``'s output of a stack of the same settings; a ValueError (naming the
        problem) leaves this trainer as it was."""
        if not isinstance(state, dict) or set(state) != {"layer", "trainer"}:
            raise ValueError("the stack's state must have exactly 'layer' and 'trainer'")
        layer = state["layer"]
        if type(layer) is not int or not 0 <= layer <= len(self.sizes):
            raise ValueError(f"the stack's layer in training must be 0 to {len(self.sizes)}, not {layer!r}")
        other = StackTrainer.__new__(StackTrainer)
        other.__dict__ |= {k: v for k, v in self.__dict__.items() if k not in ("layers", "histories", "trainer")}
        other.layers, other.histories = [], []
        for i in range(layer):
            other.layers.append(_layer(arrays, i, other.inputs(i).shape[1], self.sizes[i]))
            other.histories.append(_history(arrays, f"layer{i}/history/"))
        if layer < len(self.sizes):
            other.trainer = other._trainer(layer)
            current = {k.removeprefix("current/"): v for k, v in arrays.items() if k.startswith("current/")}
            other.trainer.restore(state["trainer"], current)
            if other.trainer.epoch > self.epochs:
                raise ValueError(f"the layer in training has {other.trainer.epoch} epochs, more than {self.epochs}")
        self.__dict__ |= other.__dict__


def _layer(arrays: dict[str, np.ndarray], i: int, n_visible: int, n_hidden: int) -> RBM:
    shapes = {"W": (n_visible, n_hidden), "b_visible": (n_visible,), "b_hidden": (n_hidden,)}
    params = {}
    for name, shape in shapes.items():
        a = arrays.get(f"layer{i}/{name}")
        if not isinstance(a, np.ndarray) or a.shape != shape or a.dtype.kind != "f" or not np.isfinite(a).all():
            raise ValueError(f"layer {i + 1}'s {name} must be finite numbers of shape {shape}")
        params[name] = np.ascontiguousarray(a, np.float64)
    return RBM(**params)


def _history(arrays: dict[str, np.ndarray], prefix: str) -> History:
    series = {k.removeprefix(prefix): v for k, v in arrays.items() if k.startswith(prefix)}
    try:
        return History(**series)
    except TypeError:
        raise ValueError(f"the record {prefix!r} holds unknown series {sorted(series)}") from None
