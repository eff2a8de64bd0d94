"""The restricted Boltzmann machine: parameters, sampling, free energy and exact likelihood.

The public functions validate their input (``ValueError`` naming the problem, before any kernel runs),
allocate the outputs, draw all random numbers with ``np.random.default_rng(seed)`` and hand them to the
Numba kernels in ``kernels.py``. Training lives in ``training.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from engine.checks import as_float_array, check_memory, require_finite, require_shape
from engine.rbm import kernels, reference

#: The exact partition function enumerates the smaller layer, 2**m states; above this many units it refuses.
MAX_ENUMERATED_UNITS = 20

#: Elements of one enumeration chunk's largest temporary (configurations x units of the other layer).
_CHUNK_ELEMENTS = 1 << 21


@dataclass
class RBM:
    """Parameters of a binary RBM with energy E(v, h) = -v^T W h - b_visible^T v - b_hidden^T h.

    ``W: (n_visible, n_hidden)``, ``b_visible: (n_visible,)``, ``b_hidden: (n_hidden,)``, all float64.
    Training updates the arrays in place, so views of them stay current.
    """

    W: np.ndarray
    b_visible: np.ndarray
    b_hidden: np.ndarray

    @property
    def n_visible(self) -> int:
        return self.W.shape[0]

    @property
    def n_hidden(self) -> int:
        return self.W.shape[1]

    def copy(self) -> RBM:
        return RBM(self.W.copy(), self.b_visible.copy(), self.b_hidden.copy())

    def assign(self, other: RBM) -> None:
        """Overwrite this model's arrays in place with ``other``'s values."""
        self.W[...] = other.W
        self.b_visible[...] = other.b_visible
        self.b_hidden[...] = other.b_hidden

    def is_finite(self) -> bool:
        return all(bool(np.isfinite(a).all()) for a in (self.W, self.b_visible, self.b_hidden))


@dataclass(frozen=True)
class GibbsTrace:
    """A block-Gibbs chain. ``hidden[t]`` is drawn from ``visible[t]``; ``visible[t + 1]`` from ``hidden[t]``.

    ``visible, visible_prob: (steps + 1, [B,] n_visible)``;
    ``hidden, hidden_prob: (steps + 1, [B,] n_hidden)``.
    Samples are 0/1 floats; ``visible_prob[0]`` is the start state, and clamped units keep their start value.
    """

    visible: np.ndarray
    hidden: np.ndarray
    visible_prob: np.ndarray
    hidden_prob: np.ndarray


def init(n_visible: int, n_hidden: int, seed: int = 0, weight_scale: float = 0.01) -> RBM:
    """A fresh RBM: weights ~ N(0, weight_scale^2), biases zero (Hinton's practical guide, section 8)."""
    require_positive_int("n_visible", n_visible)
    require_positive_int("n_hidden", n_hidden)
    check_memory(n_visible * n_hidden * 8, "the RBM weight matrix")
    W = np.random.default_rng(seed).normal(0.0, weight_scale, (n_visible, n_hidden))
    return RBM(W, np.zeros(n_visible), np.zeros(n_hidden))


def gibbs(model: RBM, v0: object, steps: int = 100, seed: int = 0, clamp: object = None) -> GibbsTrace:
    """Run ``steps`` block-Gibbs sweeps from binary ``v0: (n_visible,)`` or ``(B, n_visible)``.

    ``clamp`` is a boolean mask, ``(n_visible,)`` or shaped like ``v0``, of visible units held at their
    value in ``v0`` (pattern completion). A single ``v0`` gives a trace without the batch axis.
    """
    check_model(model)
    v = binary_rows("v0", v0, model.n_visible, allow_single=True)
    require_nonnegative_int("steps", steps)
    mask = _clamp_mask(clamp, v.shape)
    B, nv, nh = v.shape[0], model.n_visible, model.n_hidden
    check_memory((steps + 1) * B * (nv + nh) * 3 * 8, "the Gibbs trace and its random numbers")
    rng = np.random.default_rng(seed)
    u_h = rng.random((steps + 1, B, nh))
    u_v = rng.random((steps, B, nv))
    tr = GibbsTrace(*(np.empty((steps + 1, B, n)) for n in (nv, nh, nv, nh)))
    params = (model.W, model.b_visible, model.b_hidden)
    kernels.gibbs_chain_into(v, *params, mask, u_h, u_v, tr.visible, tr.hidden, tr.visible_prob, tr.hidden_prob)
    if np.ndim(v0) == 1:
        return GibbsTrace(tr.visible[:, 0], tr.hidden[:, 0], tr.visible_prob[:, 0], tr.hidden_prob[:, 0])
    return tr


def _clamp_mask(clamp: object, shape: tuple[int, int]) -> np.ndarray:
    """``clamp`` as a C-contiguous boolean ``shape`` array (all False when None)."""
    if clamp is None:
        return np.zeros(shape, bool)
    mask = np.asarray(clamp)
    if mask.dtype != bool:
        raise ValueError(f"clamp must be a boolean mask, not {mask.dtype}")
    if mask.shape not in ((shape[1],), shape):
        raise ValueError(f"clamp has shape {mask.shape}, expected ({shape[1]},) or the shape of v0")
    return np.ascontiguousarray(np.broadcast_to(mask, shape))


def free_energy(model: RBM, v: object) -> np.ndarray:
    """F(v) = -log sum_h exp(-E(v, h)) for binary ``v: (B, n_visible)`` or ``(n_visible,)``: ``(B,)``."""
    check_model(model)
    rows = binary_rows("v", v, model.n_visible, allow_single=True)
    return reference.free_energy(rows, model.W, model.b_visible, model.b_hidden)


def log_partition(model: RBM) -> float:
    """log Z = log sum_{v,h} exp(-E(v, h)), exactly, by enumerating the smaller layer in chunks."""
    check_model(model)
    m = min(model.n_visible, model.n_hidden)
    if m > MAX_ENUMERATED_UNITS:
        raise ValueError(
            f"the exact likelihood enumerates 2^{m} states of the smaller layer ({model.n_visible} visible, "
            f"{model.n_hidden} hidden units); that is only tractable up to {MAX_ENUMERATED_UNITS} units"
        )
    W, b, c = model.W, model.b_visible, model.b_hidden
    if model.n_hidden < model.n_visible:
        # sum over h first instead: E is symmetric in (v, W, b) <-> (h, W^T, c)
        W, b, c = W.T, c, b
    n_other = W.shape[1]
    chunk = max(1, min(2**m, _CHUNK_ELEMENTS // n_other))
    parts = [
        logsumexp(-reference.free_energy(_states(start, min(start + chunk, 2**m), m), W, b, c))
        for start in range(0, 2**m, chunk)
    ]
    return float(logsumexp(parts))


def _states(start: int, stop: int, m: int) -> np.ndarray:
    """Binary states number ``start .. stop - 1`` of ``m`` units: ``(stop - start, m)`` float64."""
    return ((np.arange(start, stop)[:, None] >> np.arange(m)) & 1).astype(np.float64)


def log_likelihood(model: RBM, data: object) -> float:
    """Exact mean log p(v) over binary ``data: (B, n_visible)``; needs min(n_visible, n_hidden) <= 20."""
    check_model(model)
    rows = binary_rows("data", data, model.n_visible)
    log_z = log_partition(model)
    free = reference.free_energy(rows, model.W, model.b_visible, model.b_hidden)
    return float(-free.mean() - log_z)


def check_model(model: object) -> None:
    """Refuse anything that is not an RBM with consistent, finite, C-contiguous float64 parameters."""
    if not isinstance(model, RBM):
        raise ValueError(f"model must be an engine.rbm.RBM (see rbm.init), not {type(model).__name__}")
    n_visible, n_hidden = np.shape(model.W)[0], np.shape(model.W)[-1]
    expected = (("W", (n_visible, n_hidden)), ("b_visible", (n_visible,)), ("b_hidden", (n_hidden,)))
    for name, shape in expected:
        arr = getattr(model, name)
        if not (isinstance(arr, np.ndarray) and arr.dtype == np.float64 and arr.flags.c_contiguous):
            raise ValueError(f"model.{name} must be a C-contiguous float64 NumPy array")
        require_shape(f"model.{name}", arr, shape)
        require_finite(f"model.{name}", arr)


def binary_rows(name: str, data: object, n_visible: int | None, allow_single: bool = False) -> np.ndarray:
    """``data`` as a C-contiguous ``(B, n_visible)`` float64 array of 0 and 1, or ValueError.

    ``n_visible=None`` accepts any width; ``allow_single`` accepts one row given as ``(n_visible,)``.
    """
    arr = as_float_array(name, data)
    if allow_single and arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or (n_visible is not None and arr.shape[1] != n_visible):
        want = "(rows, units)" if n_visible is None else f"(rows, {n_visible}) to match the model"
        raise ValueError(f"{name} has shape {arr.shape}, expected {want}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} is empty: its shape is {arr.shape}")
    not_binary = (arr != 0) & (arr != 1)
    if not_binary.any():
        where = tuple(int(i) for i in np.argwhere(not_binary)[0])
        raise ValueError(f"{name} must be binary (0 or 1), but holds {arr[where]} at index {where}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def require_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def require_nonnegative_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
