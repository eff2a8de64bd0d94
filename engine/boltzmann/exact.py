"""Exact values by enumerating every state, for machines of up to ``MAX_EXACT_UNITS`` units.

The Boltzmann distribution P′(s) = exp(−E(s)/T) / Z; the clamped phase's distribution, where each training vector
V_α (with its frequency P(V_α) in the data) holds the visible units and the hidden ones are at equilibrium,
P(V_α) · P′(H | V_α); their co-occurrences p_ij and p′_ij; and (Ackley, Hinton & Sejnowski 1985, eqs. 4 and 5)

    G = Σ_α P(V_α) ln(P(V_α) / P′(V_α)),        ∂G/∂w_ij = −(p_ij − p′_ij) / T.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.boltzmann import kernels
from engine.boltzmann.model import MAX_EXACT_UNITS, BoltzmannMachine, check_data, check_temperature


class ExactStatistics(NamedTuple):
    """clamped: (n, n) p_ij, free: (n, n) p′_ij (unit means p_i, p′_i on their diagonals); G in nats."""

    clamped: np.ndarray
    free: np.ndarray
    G: float


def check_enumerable(n: int) -> None:
    if n > MAX_EXACT_UNITS:
        raise ValueError(f"the machine has {n} units: exact values would enumerate 2^{n} = {2**n:,} states, more "
                         f"than the {2**MAX_EXACT_UNITS:,} (2^{MAX_EXACT_UNITS}) this does; estimate them by sampling "
                         "instead")  # fmt: skip


def _boltzmann(energies: np.ndarray, temperature: float) -> np.ndarray:
    """exp(−E/T) normalised, shifted by the lowest energy so that nothing overflows."""
    x = -(energies - energies.min()) / temperature
    p = np.exp(x)
    return p / p.sum()


def state_energies(bm: BoltzmannMachine) -> np.ndarray:
    """(2**n,) E of every state; state k has unit i = bit i of k."""
    check_enumerable(bm.n)
    return kernels.state_energies(bm.W, bm.b)


def exact_distribution(bm: BoltzmannMachine, temperature: float = 1.0) -> np.ndarray:
    """(2**n,) P′ of every state at ``temperature``; state k has unit i = bit i of k."""
    temperature = check_temperature(temperature)
    return _boltzmann(state_energies(bm), temperature)


def visible_codes(n: int, visible: np.ndarray) -> np.ndarray:
    """(2**n,) for every state, the number whose bit j is its visible unit ``visible[j]``."""
    k = np.arange(2**n, dtype=np.int64)
    return sum(((k >> int(unit)) & 1) << j for j, unit in enumerate(visible))


def _environment(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes of the distinct training vectors, their probabilities P(V_α) in the data)."""
    codes = (data.astype(np.int64) << np.arange(data.shape[1])).sum(axis=1)
    distinct, counts = np.unique(codes, return_counts=True)
    return distinct, counts / counts.sum()


def clamped_distribution(bm: BoltzmannMachine, data: object, visible: object, temperature: float = 1.0) -> np.ndarray:
    """(2**n,) the clamped phase's distribution over states: P(V_α) P′(H | V_α) on the states whose visible
    units show a training vector V_α, 0 elsewhere."""
    temperature = check_temperature(temperature)
    data, visible = check_data(data, visible, bm.n)
    energies = state_energies(bm)
    codes = visible_codes(bm.n, visible)
    q = np.zeros_like(energies)
    for code, weight in zip(*_environment(data), strict=True):
        states = np.flatnonzero(codes == code)
        q[states] = weight * _boltzmann(energies[states], temperature)
    return q


def exact_statistics(bm: BoltzmannMachine, data: object, visible: object, temperature: float = 1.0) -> ExactStatistics:
    """p_ij, p′_ij and G at ``temperature``, all from one enumeration."""
    temperature = check_temperature(temperature)
    data, visible = check_data(data, visible, bm.n)
    free = exact_distribution(bm, temperature)
    clamped = clamped_distribution(bm, data, visible, temperature)
    codes, weights = _environment(data)
    p_visible = np.bincount(visible_codes(bm.n, visible), weights=free, minlength=2 ** len(visible))[codes]
    G = float(np.sum(weights * (np.log(weights) - np.log(np.maximum(p_visible, np.finfo(float).tiny)))))
    return ExactStatistics(kernels.weighted_cooccurrence(clamped, bm.n), kernels.weighted_cooccurrence(free, bm.n), G)


def exact_G(bm: BoltzmannMachine, data: object, visible: object, temperature: float = 1.0) -> float:
    """G = Σ_α P(V_α) ln(P(V_α) / P′(V_α)) in nats: 0 when the free machine reproduces the data exactly."""
    return exact_statistics(bm, data, visible, temperature).G


def exact_gradient(bm: BoltzmannMachine, data: object, visible: object, temperature: float = 1.0) -> np.ndarray:
    """(n, n) ∂G/∂w_ij = −(p_ij − p′_ij) / T for the symmetric weight w_ij = w_ji (one parameter for the pair),
    for every pair of distinct units, joined by the mask or not; 0 on the diagonal (the biases' gradient is
    ``exact_bias_gradient``)."""
    temperature = check_temperature(temperature)
    stats = exact_statistics(bm, data, visible, temperature)
    gradient = -(stats.clamped - stats.free) / temperature
    np.fill_diagonal(gradient, 0.0)
    return gradient


def exact_bias_gradient(bm: BoltzmannMachine, data: object, visible: object, temperature: float = 1.0) -> np.ndarray:
    """(n,) ∂G/∂b_i = −(p_i − p′_i) / T."""
    temperature = check_temperature(temperature)
    stats = exact_statistics(bm, data, visible, temperature)
    return -(np.diag(stats.clamped) - np.diag(stats.free)) / temperature
