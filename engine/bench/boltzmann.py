"""The Boltzmann machine: the paper's encoders learnt against Ackley, Hinton & Sejnowski (1985), and the sampler's
probes per second, Numba kernel against the NumPy reference.

Paper (section 4): 4-2-4, 250 of 250 runs found a global minimum, median 110 learning cycles to four different
codes, longest 1,810; 4-3-4, median 270 cycles to four codes no two of which differ in one bit only, longest 1,090
in 200 runs; 8-3-8 (off bits turned on with p = 0.02 in noisy clamping, 4,000 cycles), all 8 codes in 16 of 20 runs
(median 1,570 cycles), 7 codes in the rest. Here a run is solved at the first cycle after which every training
vector's lowest-energy hidden code is its own (and, for the 4-3-4, every two codes differ in at least 2 bits).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from engine.boltzmann import LearningSettings, encoder_network, kernels, min_code_distance, reference
from engine.boltzmann.learning import Learner

SEEDS = 20
PAPER_424_RUNS = 250
NOISE_838 = (0.15, 0.02)  # the paper's 8-3-8: off bits turned on with p = 0.02 rather than 0.05


class EncoderRun(NamedTuple):
    solved_cycle: int | None  # first cycle after which every code was distinct and far enough apart (None: never)
    cycles: int  # cycles run
    distance: int  # smallest Hamming distance between two codes at the end
    codes: int  # how many different codes the training vectors had at the end


def encoder_run(n_group: int, n_hidden: int, seed: int, cycles: int = 2000, distance: int = 1,
                settings: LearningSettings | None = None) -> EncoderRun:  # fmt: skip
    """The n_group-n_hidden-n_group encoder learnt from weights 0 by the paper's procedure until every training
    vector has a code of its own, each two codes at least ``distance`` bits apart, or for ``cycles`` cycles."""
    bm, data, visible = encoder_network(n_group, n_hidden)
    learner = Learner(bm, data, visible, settings, seed, track_G=False)
    history, solved = learner.history, None
    for cycle in range(1, cycles + 1):
        learner.cycle()
        if history.distinct[-1] and min_code_distance(history.codes[-1]) >= distance:
            solved = cycle
            break
    codes = history.codes[-1]
    return EncoderRun(solved, history.cycles, min_code_distance(codes), len(np.unique(codes, axis=0)))


def encoder_runs(n_group: int, n_hidden: int, seeds: int = SEEDS, cycles: int = 2000, distance: int = 1,
                 settings: LearningSettings | None = None) -> list[EncoderRun]:  # fmt: skip
    """``encoder_run`` with seeds 0..seeds−1."""
    return [encoder_run(n_group, n_hidden, seed, cycles, distance, settings) for seed in range(seeds)]


def summary(runs: list[EncoderRun]) -> str:
    solved = [r.solved_cycle for r in runs if r.solved_cycle is not None]
    median = f"{np.median(solved):.0f}" if solved else "–"
    longest = f"{max(solved)}" if solved else "–"
    return f"{len(solved)} of {len(runs)} solved, median {median} cycles, longest {longest}"


def _probe_rate(use_kernel: bool, probes: int) -> float:
    bm, _, _ = encoder_network(4, 2)
    rng = np.random.default_rng(0)
    bm.W[:] = np.where(bm.mask, rng.normal(0, 2, bm.W.shape), 0)
    bm.W[:] = np.triu(bm.W, 1) + np.triu(bm.W, 1).T
    starts = (rng.random((4, bm.n)) < 0.5).astype(float)
    free = np.arange(bm.n)
    picks, uniforms = rng.integers(0, bm.n, (4, probes)), rng.random((4, probes))
    temperatures = np.full(probes, 10.0)
    run = kernels.anneal if use_kernel else reference.anneal
    run(bm.W, bm.b, starts[:, :], free, picks[:, :10], uniforms[:, :10], temperatures[:10], 0, 1)  # compile
    t0 = time.perf_counter()
    run(bm.W, bm.b, starts, free, picks, uniforms, temperatures, probes // 2, 1)
    return 4 * probes / (time.perf_counter() - t0)


def run(quick: bool = False) -> Iterator[str]:
    yield "## Boltzmann machine (Ackley, Hinton & Sejnowski 1985)"
    kernel, numpy_ = _probe_rate(True, 200_000), _probe_rate(False, 5_000)
    yield f"sampler, 10 units, statistics every probe: Numba {kernel:,.0f} probes/s, NumPy {numpy_:,.0f} probes/s, " \
          f"ratio {kernel / numpy_:.0f}×"  # fmt: skip
    yield ""
    yield "| encoder | paper | measured (seeds from 0) |"
    yield "|---|---|---|"
    t0 = time.perf_counter()
    seeds = SEEDS if quick else PAPER_424_RUNS
    yield f"| 4-2-4 | 250 of 250, median 110, longest 1810 | {summary(encoder_runs(4, 2, seeds))} within 2000 |"
    if not quick:
        per_probe = encoder_runs(4, 2, seeds, settings=LearningSettings(sample_each="probe"))
        yield f"| 4-2-4, statistics sampled after every probe | – | {summary(per_probe)} within 2000 |"
        apart = encoder_runs(4, 3, distance=2)
        yield f"| 4-3-4, codes ≥ 2 bits apart | median 270, longest 1090 (200 runs) | {summary(apart)} within 2000 |"
        wide = encoder_runs(8, 3, cycles=4000, settings=LearningSettings(noise=NOISE_838))
        rest = sorted(r.codes for r in wide if r.solved_cycle is None)
        yield f"| 8-3-8, noise (0.15, 0.02) | all 8 codes in 16 of 20, median 1570; 7 in the rest | " \
              f"{summary(wide)} within 4000; the rest end with {rest} codes |"  # fmt: skip
    yield f"({time.perf_counter() - t0:.0f} s)"
