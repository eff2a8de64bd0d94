"""Deep belief networks stacked greedily from RBMs (Hinton, Osindero & Teh, 2006).

Each RBM is trained on binary samples of the hidden units of the one below; sampling runs the top RBM's
Gibbs chain and then passes the sample down through the lower layers' p(v | h). With label units (``n_labels``),
the top RBM's visible layer is the layer below's hidden units followed by one unit per class, on for the image's
class (the paper's softmax label group, here one-hot binary units): clamping a label and running the top chain
generates that class (``dream``), and the label whose unit gives the lowest free energy classifies (``classify``).
``engine.rbm.stack.StackTrainer`` trains such a stack one epoch at a time, for an app to watch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.rbm import kernels, reference
from engine.rbm.history import History
from engine.rbm.model import (
    RBM,
    GibbsTrace,
    binary_rows,
    check_model,
    gibbs,
    init,
    require_positive_int,
)
from engine.rbm.training import train

LayerEpochCallback = Callable[[int, int, RBM, History], "bool | None"]


@dataclass
class DBN:
    """RBMs bottom-up: ``layers[0]`` sees the data, ``layers[i + 1].n_visible == layers[i].n_hidden``, except
    that the top layer's visible units end with ``n_labels`` label units."""

    layers: list[RBM]
    histories: list[History]
    n_labels: int = 0


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


class DreamTrace(NamedTuple):
    """Chains of the top RBM and what each step looks like at the bottom.

    ``top``: the top RBM's block-Gibbs trace, ``(steps + 1, B, n)`` per layer (label units last, when there are
    any); ``images: (steps + 1, B, n_visible)`` p(v) of the bottom layer after one top-down pass from each step's
    top sample (probabilities all the way down, so that a picture shows the chain, not the down-pass's noise);
    ``labels: (B,)`` the label each chain was clamped to, −1 where the label units ran free.
    """

    top: GibbsTrace
    images: np.ndarray
    labels: np.ndarray


def check_dbn(dbn: object) -> None:
    """Refuse anything but a DBN whose layer sizes chain (labels on the top layer's visible units)."""
    if not isinstance(dbn, DBN) or not dbn.layers:
        raise ValueError("dbn must be a DBN with at least one layer (see train_dbn)")
    for model in dbn.layers:
        check_model(model)
    for i in range(1, len(dbn.layers)):
        below, above = dbn.layers[i - 1].n_hidden, dbn.layers[i].n_visible
        extra = dbn.n_labels if i == len(dbn.layers) - 1 else 0
        if above != below + extra:
            labels = f" + {extra} label units" if extra else ""
            raise ValueError(f"the stack's layer sizes do not chain: layer {i} has {above} visible units, layer "
                             f"{i - 1} has {below} hidden units{labels}")  # fmt: skip
    if dbn.n_labels and dbn.layers[-1].n_visible <= dbn.n_labels:
        raise ValueError(
            f"the top layer has {dbn.layers[-1].n_visible} visible units, too few for {dbn.n_labels} labels"
        )


def n_pixels(dbn: DBN) -> int:
    """Units of the data layer (the bottom layer's visible units, less labels when it is also the top)."""
    return dbn.layers[0].n_visible - (dbn.n_labels if len(dbn.layers) == 1 else 0)


def down_pass(dbn: DBN, top_visible: np.ndarray) -> np.ndarray:
    """p(v) at the bottom from the top RBM's visible state ``(..., n_top_visible)`` (labels dropped), passing
    probabilities down through each lower layer's p(v | h): ``(..., n_visible)``."""
    x = top_visible[..., : dbn.layers[-1].n_visible - dbn.n_labels]
    if len(dbn.layers) == 1:
        return x.copy()
    for model in reversed(dbn.layers[:-1]):
        x = reference.visible_prob(x, model.W, model.b_visible)
    return x


def up_pass(dbn: DBN, data: np.ndarray) -> np.ndarray:
    """p(h) of the layer below the top from binary ``data: (N, n_visible)``, by probabilities: ``(N, n)``."""
    x = data
    for model in dbn.layers[:-1]:
        x = reference.hidden_prob(x, model.W, model.b_hidden)
    return x


def dream(dbn: DBN, labels: object = None, n_chains: int = 10, steps: int = 100, seed: int = 0) -> DreamTrace:
    """``steps`` Gibbs sweeps of the top RBM from random states, each followed down to the pixels.

    ``labels``: one class per chain ``(B,)`` clamped on the label units (−1 leaves a chain's labels free), or
    None for ``n_chains`` free chains."""
    check_dbn(dbn)
    require_positive_int("steps", steps)
    if labels is None:
        require_positive_int("n_chains", n_chains)
        wanted = np.full(n_chains, -1)
    else:
        wanted = _labels("labels", labels, dbn.n_labels, allow_free=True)
    top = dbn.layers[-1]
    rng = np.random.default_rng(seed)
    v0 = (rng.random((len(wanted), top.n_visible)) < 0.5).astype(np.float64)
    clamp = np.zeros(v0.shape, bool)
    for b, label in enumerate(wanted):
        if label >= 0:
            first = top.n_visible - dbn.n_labels
            v0[b, first:] = 0.0
            v0[b, first + label] = 1.0
            clamp[b, first:] = True
    trace = gibbs(top, v0, steps, seed=int(rng.integers(2**32)), clamp=clamp)
    return DreamTrace(trace, down_pass(dbn, trace.visible), wanted)


def label_free_energies(dbn: DBN, data: object) -> np.ndarray:
    """F(x, y) of the top RBM for every class ``y`` with ``x`` the up-pass of binary ``data``: ``(N, n_labels)``."""
    check_dbn(dbn)
    if not dbn.n_labels:
        raise ValueError("this DBN has no label units to classify with; train it with labels")
    rows = binary_rows("data", data, n_pixels(dbn), allow_single=True)
    x = up_pass(dbn, rows)
    top = dbn.layers[-1]
    energies = np.empty((len(rows), dbn.n_labels))
    for y in range(dbn.n_labels):
        one_hot = np.zeros((len(rows), dbn.n_labels))
        one_hot[:, y] = 1.0
        energies[:, y] = reference.free_energy(np.hstack([x, one_hot]), top.W, top.b_visible, top.b_hidden)
    return energies


def classify(dbn: DBN, data: object) -> np.ndarray:
    """The class of each row of binary ``data``: the label with the lowest free energy, ``(N,)`` int64."""
    return np.argmin(label_free_energies(dbn, data), axis=1)


def one_hot(labels: np.ndarray, n_labels: int) -> np.ndarray:
    """``(N, n_labels)`` float64 with a 1 at each row's label."""
    out = np.zeros((len(labels), n_labels))
    out[np.arange(len(labels)), labels] = 1.0
    return out


def _labels(name: str, labels: object, n_labels: int, allow_free: bool = False) -> np.ndarray:
    """``labels`` as an int64 vector of classes in [0, n_labels) (or −1 with ``allow_free``), else ValueError."""
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.dtype.kind not in "iu" or len(arr) == 0:
        raise ValueError(f"{name} must be a non-empty vector of integer classes, not {arr.dtype} of shape {arr.shape}")
    low = -1 if allow_free else 0
    if n_labels == 0 and (arr >= 0).any():
        raise ValueError("this DBN has no label units to clamp; train it with labels")
    bad = (arr < low) | (arr >= n_labels)
    if bad.any():
        raise ValueError(f"{name} holds {int(arr[bad][0])}, not a class in 0..{n_labels - 1}")
    return arr.astype(np.int64)
