"""The learning procedure of Ackley, Hinton & Sejnowski (1985): each cycle estimates p_ij with the training
vectors clamped (noisily) and p′_ij with the machine running free, by annealing, then moves every joined weight
and every bias by Δw_ij ∝ p_ij − p′_ij; for their encoders, by a fixed step of 2 in the direction of its sign.

    >>> bm, data, visible = encoder_network(4, 2)
    >>> history = learn(bm, data, visible, cycles=2000, seed=0)   # bm learns in place
    >>> history.solved_cycle                                       # first cycle after which the codes differ
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.boltzmann.exact import exact_G
from engine.boltzmann.model import (
    MAX_EXACT_UNITS,
    PAPER_NOISE,
    PAPER_SCHEDULE,
    PAPER_STATISTICS,
    BoltzmannMachine,
    check_data,
    check_schedule,
    check_temperature,
)
from engine.boltzmann.reference import all_states
from engine.boltzmann.sampling import check_sample_each, free_units, sample_statistics

RULES = ("sign", "proportional")
MAX_CODE_UNITS = 16  # hidden units whose 2**h completions ``hidden_codes`` enumerates
TRACK_G_UNITS = 14  # learn() records the exact G each cycle up to this many units (2**14 states: a millisecond)


@dataclass(frozen=True)
class LearningSettings:
    schedule: tuple[tuple[int, float], ...] = PAPER_SCHEDULE
    statistics: tuple[int, float] = PAPER_STATISTICS  # (time units, temperature) of collecting p_ij
    step: float = 2.0  # the sign rule's step, or the proportional rule's rate
    rule: str = "sign"
    noise: tuple[float, float] = PAPER_NOISE  # noisy clamping: p(on → off), p(off → on); (0, 0) for none
    runs_per_vector: int = 2  # annealings per training vector per phase ("allowed to reach equilibrium twice")
    sample_each: str = "time unit"  # statistics sample the state at the end of each "time unit" or each "probe"

    def checked(self) -> LearningSettings:
        check_schedule((*check_schedule(self.schedule), self.statistics))
        check_temperature(self.statistics[1])
        check_sample_each(self.sample_each)
        if self.rule not in RULES:
            raise ValueError(f"the learning rule must be one of {', '.join(RULES)}, not {self.rule!r}")
        if not (np.isfinite(self.step) and self.step > 0):
            raise ValueError(f"the learning step must be above 0, not {self.step}")
        if not 1 <= self.runs_per_vector <= 1000:
            raise ValueError(f"the annealings per training vector must be 1 to 1000, not {self.runs_per_vector}")
        return self


def hidden_codes(bm: BoltzmannMachine, data: np.ndarray, visible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each training vector clamped on the visible units, the hidden state of lowest energy (its code, the
    most probable at every temperature): (codes (M, h) int8, unique (M,) bool: no other hidden state ties it)."""
    hidden = free_units(bm.n, visible)
    if hidden.size > MAX_CODE_UNITS:
        raise ValueError(f"{hidden.size} hidden units have 2^{hidden.size} codes, more than this enumerates "
                         f"(2^{MAX_CODE_UNITS})")  # fmt: skip
    H = all_states(hidden.size)  # (2**h, h)
    W_hh, W_hv = bm.W[np.ix_(hidden, hidden)], bm.W[np.ix_(hidden, visible)]
    inner = 0.5 * np.einsum("ki,ij,kj->k", H, W_hh, H)
    energies = -(data @ W_hv.T + bm.b[hidden]) @ H.T - inner  # (M, 2**h), up to each vector's constant
    best = energies.argmin(axis=1)
    lowest = energies[np.arange(len(data)), best]
    unique = (np.isclose(energies, lowest[:, None], rtol=0, atol=1e-9)).sum(axis=1) == 1
    return H[best].astype(np.int8), unique


def codes_distinct(codes: np.ndarray, unique: np.ndarray) -> bool:
    """Every training vector has a code of its own: no ties, no two vectors sharing one."""
    return bool(unique.all()) and len(np.unique(codes, axis=0)) == len(codes)


def min_code_distance(codes: np.ndarray) -> int:
    """The smallest Hamming distance between two training vectors' codes (0 when two share one)."""
    d = (codes[:, None, :] != codes[None, :, :]).sum(axis=2)
    return int(d[~np.eye(len(codes), dtype=bool)].min()) if len(codes) > 1 else codes.shape[1]


@dataclass
class LearningHistory:
    """One entry per cycle, index 0 before learning: weights (C + 1, n, n), biases (C + 1, n), codes
    (C + 1, M, h) int8, distinct (C + 1,) bool, G (C + 1,) exact G at the statistics temperature (NaN when
    not tracked); and per cycle run, clamped (C, n, n) and free (C, n, n), the sampled p_ij and p′_ij. With more
    than ``MAX_CODE_UNITS`` hidden units no codes are recorded (h = 0) and distinct stays False.
    solved_cycle: the first cycle after which the training vectors' codes were distinct (None: not yet)."""

    weights: list[np.ndarray] = field(default_factory=list)
    biases: list[np.ndarray] = field(default_factory=list)
    codes: list[np.ndarray] = field(default_factory=list)
    distinct: list[bool] = field(default_factory=list)
    G: list[float] = field(default_factory=list)
    clamped: list[np.ndarray] = field(default_factory=list)
    free: list[np.ndarray] = field(default_factory=list)
    solved_cycle: int | None = None

    @property
    def cycles(self) -> int:
        return len(self.clamped)

    def arrays(self) -> dict[str, np.ndarray]:
        """Every series stacked (for files and for views)."""
        n = self.weights[0].shape[0]
        return {"weights": np.array(self.weights), "biases": np.array(self.biases), "codes": np.array(self.codes),
                "distinct": np.array(self.distinct, bool), "G": np.array(self.G, float),
                "clamped": np.array(self.clamped).reshape(-1, n, n),
                "free": np.array(self.free).reshape(-1, n, n)}  # fmt: skip


class Learner:
    """The procedure one cycle at a time, so that a worker can show each (``learn`` runs it to the end).
    ``bm`` learns in place; the generator ``rng`` is the learner's own."""

    def __init__(self, bm: BoltzmannMachine, data: object, visible: object, settings: LearningSettings | None = None,
                 seed: int | np.random.Generator = 0, track_G: bool | None = None) -> None:  # fmt: skip
        self.bm = bm
        self.data, self.visible = check_data(data, visible, bm.n)
        self.hidden = free_units(bm.n, self.visible)
        self.settings = (settings or LearningSettings()).checked()
        self.rng = np.random.default_rng(seed)
        self.track_G = bm.n <= TRACK_G_UNITS if track_G is None else track_G and bm.n <= MAX_EXACT_UNITS
        self.history = LearningHistory()
        self._record()

    def _record(self) -> None:
        h, bm = self.history, self.bm
        if self.hidden.size <= MAX_CODE_UNITS:
            codes, unique = hidden_codes(bm, self.data, self.visible)
        else:  # too many codes to enumerate: none recorded, and never "solved"
            codes, unique = np.zeros((len(self.data), 0), np.int8), np.zeros(len(self.data), bool)
        h.weights.append(bm.W.copy())
        h.biases.append(bm.b.copy())
        h.codes.append(codes)
        h.distinct.append(codes_distinct(codes, unique))
        temperature = self.settings.statistics[1]
        h.G.append(exact_G(bm, self.data, self.visible, temperature) if self.track_G else float("nan"))
        if h.distinct[-1] and h.solved_cycle is None and h.cycles > 0:
            h.solved_cycle = h.cycles

    def statistics(self) -> tuple[np.ndarray, np.ndarray]:
        """(p_ij, p′_ij) sampled as one cycle does: each training vector clamped noisily ``runs_per_vector``
        times, then as many free runs."""
        s = self.settings
        return sample_statistics(self.bm, self.data, self.visible, s.schedule, s.statistics, s.runs_per_vector,
                                 self.rng, s.noise, s.sample_each)  # fmt: skip

    def cycle(self) -> bool:
        """One learning cycle; True when the codes have just become distinct for the first time."""
        clamped, free = self.statistics()
        difference = clamped - free
        change = self.settings.step * (np.sign(difference) if self.settings.rule == "sign" else difference)
        bm = self.bm
        bm.W += np.where(bm.mask, change, 0.0)
        bm.b += np.diag(change)
        self.history.clamped.append(clamped)
        self.history.free.append(free)
        solved_before = self.history.solved_cycle
        self._record()
        return solved_before is None and self.history.solved_cycle is not None


def learn(bm: BoltzmannMachine, data: object, visible: object, cycles: int = 2000, seed: int = 0, *,
          settings: LearningSettings | None = None, stop_when_solved: bool = True, track_G: bool | None = None,
          progress: Callable[[int, int], None] | None = None) -> LearningHistory:  # fmt: skip
    """Up to ``cycles`` cycles of the paper's procedure on ``bm`` (changed in place), stopping at the first cycle
    after which every training vector has a hidden code of its own when ``stop_when_solved``."""
    if not 1 <= cycles <= 10_000_000:
        raise ValueError(f"cycles must be from 1 to 10000000, not {cycles}")
    learner = Learner(bm, data, visible, settings, seed, track_G)
    for done in range(1, cycles + 1):
        solved = learner.cycle()
        if progress is not None:
            progress(done, cycles)
        if solved and stop_when_solved:
            break
    return learner.history
