"""The Boltzmann machine's public face: the machine, its checks, annealing schedules and the paper's encoders.

A machine of n binary units s_i ∈ {0, 1} with symmetric weights w_ij = w_ji (zero diagonal), joined only where
``mask`` allows, and biases b_i (Ackley, Hinton & Sejnowski 1985 give each unit a weight from an always-on unit:
the same thing). Its energy and the probability a probed unit turns on at temperature T (their eqs. 1 and 3):

    E(s) = −Σ_{i<j} w_ij s_i s_j − Σ_i b_i s_i,        p(s_k = 1) = 1 / (1 + exp(−ΔE_k / T)),  ΔE_k = Σ_j w_kj s_j + b_k
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.checks import as_float_array, as_numeric_array

MAX_UNITS = 400  # a machine the lab and the engine will build (weights n², states sampled one unit at a time)
MAX_EXACT_UNITS = 20  # exact values enumerate 2**n states: about a million at 20 units

#: Their 4-2-4 annealing schedule, (time units, temperature) per stage, then statistics for 10 time units at 10.
PAPER_SCHEDULE = ((2, 20.0), (2, 15.0), (2, 12.0), (4, 10.0))
PAPER_STATISTICS = (10, 10.0)
PAPER_NOISE = (0.15, 0.05)  # noisy clamping: p(on → off), p(off → on)


@dataclass
class BoltzmannMachine:
    """W: (n, n) float64 symmetric, zero diagonal, zero where ``mask`` is False; b: (n,) float64; mask: (n, n)
    bool, the pairs that are joined (symmetric, False on the diagonal). Checked when made; learning changes
    W and b in place."""

    W: np.ndarray
    b: np.ndarray
    mask: np.ndarray

    def __post_init__(self) -> None:
        self.mask = check_mask(self.mask)
        n = len(self.mask)
        self.W = check_weights(self.W, self.mask)
        self.b = as_float_array("the biases", self.b).astype(np.float64)
        if self.b.shape != (n,):
            raise ValueError(f"the biases must be ({n},), one per unit; got shape {self.b.shape}")

    @property
    def n(self) -> int:
        return len(self.b)

    @classmethod
    def zeros(cls, mask: object) -> BoltzmannMachine:
        """A machine with connectivity ``mask`` and every weight and bias 0 (where the paper starts)."""
        mask = check_mask(mask)
        return cls(np.zeros(mask.shape), np.zeros(len(mask)), mask)

    def copy(self) -> BoltzmannMachine:
        return BoltzmannMachine(self.W.copy(), self.b.copy(), self.mask.copy())


def check_mask(mask: object) -> np.ndarray:
    """``mask`` as an (n, n) bool array that is symmetric and joins no unit to itself; a ValueError names the
    first pair that breaks this."""
    m = as_numeric_array("the connectivity mask", mask)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] < 1:
        raise ValueError(f"the connectivity mask must be square (n, n); got shape {m.shape}")
    if m.shape[0] > MAX_UNITS:
        raise ValueError(f"the machine has {m.shape[0]} units; at most {MAX_UNITS} are supported")
    if not np.isin(m, (0, 1)).all():
        raise ValueError("the connectivity mask must hold only 0 and 1 (or False and True)")
    m = m.astype(bool)
    self_joined = np.flatnonzero(np.diag(m))
    if self_joined.size:
        raise ValueError(f"the connectivity mask joins unit {self_joined[0]} to itself; the diagonal must be 0")
    lopsided = np.argwhere(m != m.T)
    if lopsided.size:
        i, j = (int(v) for v in lopsided[0])
        joined, other = (i, j) if m[i, j] else (j, i)
        raise ValueError(f"the connectivity mask is not symmetric: it joins unit {joined} to unit {other} but not "
                         f"{other} to {joined}")  # fmt: skip
    return m


def check_weights(W: object, mask: np.ndarray) -> np.ndarray:
    """``W`` as (n, n) float64, finite, symmetric, and zero on the diagonal and wherever ``mask`` is False."""
    W = as_float_array("the weights", W).astype(np.float64)
    if W.shape != mask.shape:
        raise ValueError(f"the weights must be {mask.shape} like the connectivity mask; got shape {W.shape}")
    if not np.allclose(W, W.T, rtol=0, atol=1e-12):
        i, j = (int(v) for v in np.argwhere(~np.isclose(W, W.T, rtol=0, atol=1e-12))[0])
        raise ValueError(f"the weights are not symmetric: w[{i},{j}] = {W[i, j]:g} but w[{j},{i}] = {W[j, i]:g}")
    stray = np.argwhere((W != 0) & ~mask)
    if stray.size:
        i, j = (int(v) for v in stray[0])
        kind = "itself" if i == j else f"unit {j}"
        raise ValueError(f"w[{i},{j}] = {W[i, j]:g} joins unit {i} to {kind}, which the connectivity mask does not "
                         "allow")  # fmt: skip
    return W


def check_temperature(temperature: object) -> float:
    """A temperature: a finite number above 0."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.integer, np.floating)):
        raise ValueError(f"the temperature must be a number, not {temperature!r}")
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"the temperature must be above 0 (and finite), not {temperature:g}")
    return float(temperature)


def check_schedule(schedule: object) -> tuple[tuple[int, float], ...]:
    """An annealing schedule: one or more (time units, temperature) stages, each of at least one time unit,
    every temperature above 0 and none above the one before (annealing cools)."""
    try:
        stages = [tuple(stage) for stage in schedule]
    except TypeError:
        raise ValueError("the annealing schedule must be a list of (time units, temperature) stages") from None
    if not stages:
        raise ValueError("the annealing schedule is empty; give at least one (time units, temperature) stage")
    checked = []
    for k, stage in enumerate(stages, 1):
        if len(stage) != 2:
            raise ValueError(f"stage {k} of the annealing schedule must be (time units, temperature), not {stage!r}")
        units, temperature = stage
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or not 1 <= units <= 1_000_000:
            raise ValueError(f"stage {k} of the annealing schedule must last 1 to 1000000 time units, not {units!r}")
        try:
            temperature = check_temperature(temperature)
        except ValueError as exc:
            raise ValueError(f"stage {k} of the annealing schedule: {exc}") from None
        if checked and temperature > checked[-1][1]:
            raise ValueError(f"the annealing schedule rises from T = {checked[-1][1]:g} to T = {temperature:g} at "
                             f"stage {k}; annealing only cools")  # fmt: skip
        checked.append((int(units), temperature))
    return tuple(checked)


def parse_schedule(text: str) -> tuple[tuple[int, float], ...]:
    """``"2@20, 2@15, 2@12, 4@10"`` (time units @ temperature, the paper's notation) as a checked schedule."""
    stages = []
    for k, part in enumerate((p.strip() for p in text.replace(";", ",").split(",")), 1):
        if not part:
            continue
        units, at, temperature = part.partition("@")
        if not at:
            raise ValueError(f"stage {k} of the annealing schedule, {part!r}, lacks its @temperature")
        try:
            stages.append((int(units), float(temperature)))
        except ValueError:
            raise ValueError(f"stage {k} of the annealing schedule, {part!r}, is not time units@temperature "
                             "(like 2@20)") from None  # fmt: skip
    return check_schedule(stages)


def format_schedule(schedule: Sequence[tuple[int, float]]) -> str:
    return ", ".join(f"{units}@{temperature:g}" for units, temperature in schedule)


def check_data(data: object, visible: object, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(data (M, V) float64 of 0/1, visible (V,) int64 distinct unit indices below n)."""
    visible = as_numeric_array("the visible units", visible)
    if visible.ndim != 1 or visible.size == 0 or visible.dtype.kind not in "iu":
        raise ValueError(f"the visible units must be a non-empty list of unit numbers; got {visible!r}")
    if visible.min() < 0 or visible.max() >= n or len(np.unique(visible)) != visible.size:
        raise ValueError(f"the visible units must be distinct unit numbers from 0 to {n - 1}; got {visible.tolist()}")
    data = as_numeric_array("the training vectors", data)
    data = data.reshape(1, -1) if data.ndim == 1 else data
    if data.ndim != 2 or data.shape[1] != visible.size or len(data) == 0:
        raise ValueError(f"the training vectors must be (M, {visible.size}), a 0/1 value per visible unit; "
                         f"got shape {data.shape}")  # fmt: skip
    if not np.isin(data, (0, 1)).all():
        raise ValueError("the training vectors must hold only 0 and 1")
    return data.astype(np.float64), visible.astype(np.int64)


def encoder_network(n_group: int, n_hidden: int) -> tuple[BoltzmannMachine, np.ndarray, np.ndarray]:
    """The paper's encoder n_group-n_hidden-n_group: visible groups V1 (units 0..g−1) and V2 (g..2g−1), each
    fully connected inside and to every hidden unit (2g..2g+h−1); no V1–V2 and no hidden–hidden links; every
    weight and bias 0. Returns (machine, data (g, 2g) with V1[i] = V2[i] = 1 in row i, visible = 0..2g−1)."""
    if not (2 <= n_group <= 64 and 1 <= n_hidden <= 32):
        raise ValueError(f"an encoder has 2 to 64 units per visible group and 1 to 32 hidden units; "
                         f"got {n_group} and {n_hidden}")  # fmt: skip
    g, h = n_group, n_hidden
    groups = np.repeat([0, 1, 2], [g, g, h])  # V1, V2, hidden
    inside = (groups[:, None] == groups[None, :]) & (groups[:, None] < 2)
    to_hidden = (groups[:, None] == 2) != (groups[None, :] == 2)
    mask = (inside | to_hidden) & ~np.eye(2 * g + h, dtype=bool)
    data = np.hstack([np.eye(g), np.eye(g)])
    return BoltzmannMachine.zeros(mask), data, np.arange(2 * g)
