"""The Boltzmann machine: the paper's encoders learnt over 20 seeds against Ackley, Hinton & Sejnowski (1985), and
the sampler's probes per second, Numba kernel against the NumPy reference.

Paper: 4-2-4, 250 of 250 runs found a global minimum, median 110 learning cycles, longest 1,810; 4-3-4, codes end
at Hamming distance ≥ 2; 8-3-8, all 8 codes in 16 of 20 runs. Here a run counts as solved at the first cycle after
which every training vector's lowest-energy hidden code is its own (``history.solved_cycle``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from engine.boltzmann import encoder_network, kernels, learn, min_code_distance, reference
from engine.boltzmann.learning import hidden_codes

SEEDS = 20


class EncoderRun(NamedTuple):
    solved_cycle: int | None  # first cycle after which every code was distinct (None: never)
    cycles: int  # cycles run
    distance: int  # smallest Hamming distance between two codes at the end


def encoder_runs(n_group: int, n_hidden: int, seeds: int = SEEDS, cycles: int = 2000,
                 stop_when_solved: bool = True) -> list[EncoderRun]:  # fmt: skip
    """The n_group-n_hidden-n_group encoder learnt from weights 0 with seeds 0..seeds−1, the paper's procedure."""
    runs = []
    for seed in range(seeds):
        bm, data, visible = encoder_network(n_group, n_hidden)
        history = learn(bm, data, visible, cycles, seed, stop_when_solved=stop_when_solved, track_G=False)
        codes, _ = hidden_codes(bm, data, visible)
        runs.append(EncoderRun(history.solved_cycle, history.cycles, min_code_distance(codes)))
    return runs


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
    run(bm.W, bm.b, starts[:, :], free, picks[:, :10], uniforms[:, :10], temperatures[:10], 0)  # compile
    t0 = time.perf_counter()
    run(bm.W, bm.b, starts, free, picks, uniforms, temperatures, probes // 2)
    return 4 * probes / (time.perf_counter() - t0)


def run(quick: bool = False) -> Iterator[str]:
    yield "## Boltzmann machine (Ackley, Hinton & Sejnowski 1985)"
    kernel, numpy_ = _probe_rate(True, 200_000), _probe_rate(False, 5_000)
    yield f"sampler, 10 units, statistics every probe: Numba {kernel:,.0f} probes/s, NumPy {numpy_:,.0f} probes/s, " \
          f"ratio {kernel / numpy_:.0f}×"  # fmt: skip
    yield ""
    yield "| encoder | paper | measured (seeds 0–19, up to 2000 cycles) |"
    yield "|---|---|---|"
    t0 = time.perf_counter()
    yield f"| 4-2-4 | 250 of 250, median 110, longest 1810 | {summary(encoder_runs(4, 2))} |"
    if not quick:
        apart = encoder_runs(4, 3, stop_when_solved=False)
        ended = sum(r.distance >= 2 for r in apart)
        yield f"| 4-3-4 | codes end at Hamming distance ≥ 2 | {ended} of {len(apart)} end at distance ≥ 2 after " \
              f"2000 cycles; {summary(apart)} |"  # fmt: skip
        yield f"| 8-3-8 | all 8 codes in 16 of 20 | {summary(encoder_runs(8, 3))} |"
    yield f"({time.perf_counter() - t0:.0f} s)"
