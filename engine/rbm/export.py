"""An RBM's Gibbs chain as arrays and as a table, for ``engine.export``.

An RBM ``GibbsTrace``: ``visible``, ``hidden``, ``visible_prob``, ``hidden_prob`` as they are.
CSV: one row per step, chain, layer and unit: ``step,chain,layer,unit,sample,probability``.
A DBN ``DreamTrace`` (``DREAM_FORMAT``): its top chain as above, ``top_*``, and the pixels of every step.
"""

from __future__ import annotations

import numpy as np

from engine.export import Table, TraceFormat
from engine.rbm import GibbsTrace
from engine.rbm.dbn import DreamTrace


def _batched(a: np.ndarray) -> np.ndarray:
    """(steps + 1, B, n) whether or not the chain was run with a batch axis."""
    return a[:, None, :] if a.ndim == 2 else a


def rbm_arrays(trace: GibbsTrace) -> dict[str, np.ndarray]:
    return {n: np.ascontiguousarray(getattr(trace, n)) for n in ("visible", "hidden", "visible_prob", "hidden_prob")}


def rbm_table(trace: GibbsTrace) -> Table:
    """One row per step, chain, layer (0 visible, 1 hidden) and unit: the sample and its probability."""
    sample = np.concatenate([_batched(trace.visible), _batched(trace.hidden)], axis=-1)
    prob = np.concatenate([_batched(trace.visible_prob), _batched(trace.hidden_prob)], axis=-1)
    n_visible = trace.visible.shape[-1]
    t, b, j = (a.ravel() for a in np.indices(sample.shape))
    layer = (j >= n_visible).astype(np.int8)
    unit = np.where(layer == 1, j - n_visible, j)
    header = ["step", "chain", "layer", "unit", "sample", "probability"]
    return header, [t, b, layer, unit, sample.ravel(), prob.ravel()]


FORMAT = TraceFormat(rbm_arrays, rbm_table)


def dream_arrays(trace: DreamTrace) -> dict[str, np.ndarray]:
    """A DBN's dream: the top RBM's chain (``top_*``), the pixels of each step and the clamped labels."""
    arrays = {f"top_{n}": np.ascontiguousarray(a) for n, a in rbm_arrays(trace.top).items()}
    return {**arrays, "images": np.ascontiguousarray(trace.images), "labels": trace.labels.copy()}


def dream_table(trace: DreamTrace) -> Table:
    """One row per step, chain and pixel: ``step,chain,label,pixel,probability`` (label −1: free)."""
    t, b, j = (a.ravel() for a in np.indices(trace.images.shape))
    return ["step", "chain", "label", "pixel", "probability"], [t, b, trace.labels[b], j, trace.images.ravel()]


DREAM_FORMAT = TraceFormat(dream_arrays, dream_table)
