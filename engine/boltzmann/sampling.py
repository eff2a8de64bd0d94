"""Sampling: annealing runs, and co-occurrence statistics estimated from them.

A run visits free units by random probes, each at the temperature of its stage of the schedule; a time unit is
as many probes as there are free units (Ackley, Hinton & Sejnowski 1985). Clamped units keep their values. The
random numbers are drawn here, with a ``np.random.Generator``, and handed to the kernels.

Statistics "collected at a temperature of 10 for 10 units of time" are read here as one sample of the state at
the end of each time unit (``sample_each="time unit"``, the default): both phases then average the same number
of samples per annealing (10), however many units are free (2 hidden units clamped, 10 units free in the 4-2-4).
Sampling after every probe (``"probe"``) gives the free phase 5 times the clamped phase's samples there; under
the sign rule, which steps on which estimate is larger rather than by how much, that asymmetry biases the steps
of rarely co-occurring pairs, and the 4-2-4 fails more often (see ``engine/bench/boltzmann.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from engine.boltzmann import kernels
from engine.boltzmann.model import BoltzmannMachine, check_data, check_schedule, check_temperature
from engine.checks import check_memory

Schedule = Sequence[tuple[int, float]]
CHUNK = 100_000  # probes an annealing run records between two reports of its progress
SAMPLE_EACH = ("time unit", "probe")  # when statistics sample the state: at the end of each time unit, or each probe


class AnnealTrace(NamedTuple):
    """One recorded run: annealing through ``schedule``, then ``sample_time`` time units at ``temperature``.

    states: (P + 1, n) int8, the state before any probe and after each; energies: (P + 1,); temperatures: (P,)
    of each probe; units: (P,) the unit each probe visited; free: (F,) the units that were free;
    anneal_probes: how many of the P probes were annealing (the rest sample at ``temperature``)."""

    states: np.ndarray
    energies: np.ndarray
    temperatures: np.ndarray
    units: np.ndarray
    free: np.ndarray
    anneal_probes: int
    temperature: float

    @property
    def n_probes(self) -> int:
        return len(self.units)


def probe_temperatures(schedule: Schedule, n_free: int) -> np.ndarray:
    """(P,) the temperature of every probe of ``schedule``: each stage's time units × ``n_free`` probes."""
    stages = check_schedule(schedule)
    return np.concatenate([np.full(units * n_free, temperature) for units, temperature in stages])


def free_units(n: int, clamped: object) -> np.ndarray:
    """The units not in ``clamped`` (indices), in order."""
    free = np.setdiff1d(np.arange(n), np.asarray(clamped, np.int64))
    if free.size == 0:
        raise ValueError("every unit is clamped: nothing is left to sample")
    return free


def random_starts(rng: np.random.Generator, runs: int, n: int) -> np.ndarray:
    """(runs, n) states of fair coin flips: where each annealing run begins before its clamps are set."""
    return (rng.random((runs, n)) < 0.5).astype(np.float64)


def check_sample_each(sample_each: str) -> int:
    if sample_each not in SAMPLE_EACH:
        raise ValueError(f"statistics sample the state at the end of each {' or each '.join(SAMPLE_EACH)}, "
                         f"not each {sample_each!r}")  # fmt: skip
    return SAMPLE_EACH.index(sample_each)


def run_phase(bm: BoltzmannMachine, starts: np.ndarray, free: np.ndarray, schedule: Schedule,
              statistics: tuple[int, float], rng: np.random.Generator, sample_each: str = "time unit"
              ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Anneal every row of ``starts`` (R, n) through ``schedule``, then collect statistics for
    ``statistics = (time units, temperature)``, sampling the state at the end of each time unit or after each
    probe (``sample_each``). Returns (final states (R, n), co-occurrences (n, n): the mean of s sᵀ over runs and
    samples, unit means on the diagonal)."""
    every = len(free) if check_sample_each(sample_each) == 0 else 1
    temperatures = probe_temperatures((*check_schedule(schedule), statistics), len(free))
    collect_from = len(temperatures) - statistics[0] * len(free)
    runs = len(starts)
    picks = rng.integers(0, len(free), size=(runs, len(temperatures)))
    uniforms = rng.random((runs, len(temperatures)))
    finals, total = kernels.anneal(bm.W, bm.b, starts, free, picks, uniforms, temperatures, collect_from, every)
    return finals, total / (runs * ((len(temperatures) - collect_from) // every))


def anneal(bm: BoltzmannMachine, schedule: Schedule, temperature: float, sample_time: int = 10,
           clamp: dict[int, int] | None = None, seed: int | np.random.Generator = 0,
           progress: Callable[[int, int], None] | None = None) -> AnnealTrace:  # fmt: skip
    """A recorded run from coin-flip states: the stages of ``schedule`` hotter than ``temperature`` (annealing
    stops there), then ``sample_time`` time units at ``temperature``. ``clamp`` holds units at 0 or 1.
    ``progress(done, total)`` hears of every ``CHUNK`` probes (and may raise to stop the run there)."""
    temperature = check_temperature(temperature)
    stages = [stage for stage in check_schedule(schedule) if stage[1] > temperature]
    if not 1 <= sample_time <= 1_000_000:
        raise ValueError(f"the sampling time must be 1 to 1000000 time units, not {sample_time}")
    clamp = dict(clamp or {})
    if any(not 0 <= unit < bm.n or value not in (0, 1) for unit, value in clamp.items()):
        raise ValueError(f"a clamp holds units 0 to {bm.n - 1} at 0 or 1; got {clamp}")
    free = free_units(bm.n, sorted(clamp))
    temperatures = probe_temperatures((*stages, (sample_time, temperature)), len(free))
    P = len(temperatures)
    check_memory((P + 1) * (bm.n + 16), "the run's record of states")
    rng = np.random.default_rng(seed)
    start = random_starts(rng, 1, bm.n)[0]
    for unit, value in clamp.items():
        start[unit] = value
    picks, uniforms = rng.integers(0, len(free), size=P), rng.random(P)
    states, energies = np.empty((P + 1, bm.n), np.int8), np.empty(P + 1)
    states[0] = start
    for lo in range(0, P, CHUNK):  # the same numbers whatever the chunks: each goes on from the last state
        hi = min(lo + CHUNK, P)
        part = kernels.anneal_traced(bm.W, bm.b, states[lo].astype(np.float64), free, picks[lo:hi],
                                     uniforms[lo:hi], temperatures[lo:hi])  # fmt: skip
        states[lo : hi + 1], energies[lo : hi + 1] = part
        if progress is not None:
            progress(hi, P)
    anneal_probes = P - sample_time * len(free)
    return AnnealTrace(states, energies, temperatures, free[picks], free, anneal_probes, temperature)


def sample_statistics(bm: BoltzmannMachine, data: object, visible: object, schedule: Schedule,
                      statistics: tuple[int, float], runs_per_vector: int = 1, seed: int | np.random.Generator = 0,
                      noise: tuple[float, float] = (0.0, 0.0), sample_each: str = "time unit"
                      ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """(clamped p_ij, free p′_ij), each (n, n), estimated by annealing: every training vector clamped (noisily
    when ``noise`` = (p on → off, p off → on) is not zero, a fresh draw for each annealing) ``runs_per_vector``
    times, and as many free runs, each sampled as ``sample_each`` says. What stands in for ``exact_statistics``
    on machines too large to enumerate, and what each learning cycle does."""
    data, visible = check_data(data, visible, bm.n)
    check_temperature(statistics[1])
    rng = np.random.default_rng(seed)
    vectors = np.repeat(data, runs_per_vector, axis=0)
    starts = random_starts(rng, len(vectors), bm.n)
    starts[:, visible] = noisy(vectors, noise, rng)
    _, clamped = run_phase(bm, starts, free_units(bm.n, visible), schedule, statistics, rng, sample_each)
    starts = random_starts(rng, len(vectors), bm.n)
    _, free = run_phase(bm, starts, np.arange(bm.n), schedule, statistics, rng, sample_each)
    return clamped, free


def noisy(vectors: np.ndarray, noise: tuple[float, float], rng: np.random.Generator) -> np.ndarray:
    """``vectors`` of 0/1 with each on bit turned off with probability noise[0] and each off bit turned on with
    probability noise[1] (the paper's noisy clamping: 0.15 and 0.05)."""
    off, on = noise
    if not (0 <= off <= 1 and 0 <= on <= 1):
        raise ValueError(f"noisy clamping's probabilities must be from 0 to 1, not {off} and {on}")
    u = rng.random(vectors.shape)
    return np.where(vectors == 1, u >= off, u < on).astype(np.float64)
