"""What a state means with respect to the stored patterns, and how many patterns a network can hold."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.checks import check_memory
from engine.hopfield.model import as_states, bipolar, require_choice, run_async, store, sweep_orders

#: Capacity of the Hebb rule for random patterns at large N (Amit, Gutfreund & Sompolinsky 1985): P ≈ 0.138 N.
CAPACITY_RATIO = 0.138


def _patterns_and_state(state: object, patterns: object, units: str) -> tuple[np.ndarray, np.ndarray]:
    """Both as ±1 int64 arrays: state (N,) or (B, N), patterns (P, N) with P ≥ 1."""
    xi = as_states("patterns", patterns, units, (2,))
    if xi.shape[0] == 0:
        raise ValueError("patterns is empty (P=0): there is no stored pattern to compare the state with")
    s = as_states("state", state, units, (1, 2))
    if s.shape[-1] != xi.shape[1]:
        raise ValueError(f"state has {s.shape[-1]} units but the patterns have {xi.shape[1]}")
    return bipolar(s, units).astype(np.int64), bipolar(xi, units).astype(np.int64)


def overlaps(state: object, patterns: object, units: str = "bipolar") -> np.ndarray:
    """m_μ = ξ_μ · s / N, in ±1 terms for either kind of unit.  state: (N,) or (B, N), patterns: (P, N)
    -> (P,) or (B, P); 1 means the state is pattern μ, -1 its reverse."""
    s, xi = _patterns_and_state(state, patterns, units)
    return (s @ xi.T) / xi.shape[1]


class Classification(NamedTuple):
    """What a state is: kind "stored", "reversed", "mixture" or "spurious".

    which: the pattern index k for "stored" and "reversed"; for "mixture" the signed triple
    ((a, σa), (b, σb), (c, σc)), a < b < c, with the state equal to sign(σa ξa + σb ξb + σc ξc); else None.
    """

    kind: str
    which: int | tuple[tuple[int, int], ...] | None


def classify(state: object, patterns: object, units: str = "bipolar") -> Classification:
    """Name a state (N,) against the patterns (P, N): a stored pattern, its reverse, a 3-mixture or spurious.

    Only exact matches count, so a state one bit away from a pattern is "spurious" (a different attractor).
    """
    s, xi = _patterns_and_state(state, patterns, units)
    if s.ndim != 1:
        raise ValueError(f"state must be one state of shape (N,), got shape {s.shape}")
    N = xi.shape[1]
    dots = xi @ s
    for kind, target in (("stored", N), ("reversed", -N)):
        hits = np.flatnonzero(dots == target)
        if hits.size:
            return Classification(kind, int(hits[0]))
    mixture = _find_mixture(s, xi, dots)
    return Classification("mixture", mixture) if mixture else Classification("spurious", None)


def _find_mixture(s: np.ndarray, xi: np.ndarray, dots: np.ndarray) -> tuple[tuple[int, int], ...] | None:
    """Search triples for s = sign(σa ξa + σb ξb + σc ξc).

    Where s is such a majority, at least two of the three signed patterns agree with it at every unit, so
    Σ σμ ξμ·s ≥ N; triples are visited by falling |ξμ·s| and the search stops as soon as that cannot hold.
    """
    N = xi.shape[1]
    rank = np.argsort(-np.abs(dots), kind="stable")
    size = np.abs(dots)[rank]
    for x in range(len(rank)):
        if 3 * size[x] < N:
            break
        for y in range(x + 1, len(rank)):
            if size[x] + 2 * size[y] < N:
                break
            for z in range(y + 1, len(rank)):
                if size[x] + size[y] + size[z] < N:
                    break
                found = _mixture_signs(s, xi, dots, sorted(int(mu) for mu in rank[[x, y, z]]))
                if found:
                    return found
    return None


def _mixture_signs(
    s: np.ndarray, xi: np.ndarray, dots: np.ndarray, trio: list[int]
) -> tuple[tuple[int, int], ...] | None:
    for signs in itertools.product((1, -1), repeat=3):
        if np.dot(signs, dots[trio]) >= xi.shape[1] and np.array_equal(np.sign(signs @ xi[trio]), s):
            return tuple(zip(trio, signs, strict=True))
    return None


@dataclass(frozen=True, eq=False)
class CapacityResult:
    """Recall quality against the number of stored random patterns, for one network size N.

    P_values: (K,), recall_fraction: (K,) fraction of patterns recovered exactly, bit_error: (K,) mean
    fraction of wrong units in the final state; theory_limit = 0.138 N (Hebb rule, large N, a few percent bit errors).
    """

    N: int
    rule: str
    trials: int
    noise: float
    P_values: np.ndarray
    recall_fraction: np.ndarray
    bit_error: np.ndarray
    theory_limit: float

    @property
    def load(self) -> np.ndarray:
        """(K,) α = P / N."""
        return self.P_values / self.N


def capacity_experiment(
    N: int,
    P_values: Sequence[int],
    trials: int,
    rule: str = "hebb",
    seed: int = 0,
    noise: float = 0.0,
    max_sweeps: int = 20,
    progress: Callable[[int, int], None] | None = None,
) -> CapacityResult:
    """Store P random ±1 patterns of N units (``trials`` times for each P), start recall from each pattern
    with a fraction ``noise`` of its units flipped, and count exact recoveries and wrong units.

    ``progress(done, total)`` is called after each P; raising from it cancels the experiment.
    """
    P_values = _check_capacity_args(N, P_values, trials, rule, noise, max_sweeps)
    rng = np.random.default_rng(seed)
    fraction, error = np.empty(len(P_values)), np.empty(len(P_values))
    for k, P in enumerate(P_values):
        wrong = np.concatenate([_trial(N, int(P), rule, noise, max_sweeps, rng) for _ in range(trials)])
        fraction[k], error[k] = np.mean(wrong == 0), np.mean(wrong) / N
        if progress is not None:
            progress(k + 1, len(P_values))
    return CapacityResult(N, rule, trials, noise, P_values, fraction, error, CAPACITY_RATIO * N)


def _trial(N: int, P: int, rule: str, noise: float, max_sweeps: int, rng: np.random.Generator) -> np.ndarray:
    """(P,) number of wrong units after recall from each (corrupted) pattern of one random memory."""
    xi = rng.choice(np.array([-1, 1], dtype=np.int8), size=(P, N))
    W = store(xi, rule)
    theta = np.zeros(N)
    wrong = np.empty(P, dtype=np.int64)
    for mu in range(P):
        start = xi[mu].copy()
        start[rng.choice(N, size=round(noise * N), replace=False)] *= -1
        final = run_async(W, theta, start, sweep_orders(N, max_sweeps, "random", rng), "bipolar").final
        wrong[mu] = np.count_nonzero(final != xi[mu])
    return wrong


def _check_capacity_args(
    N: int, P_values: Sequence[int], trials: int, rule: str, noise: float, max_sweeps: int
) -> np.ndarray:
    if not isinstance(N, int | np.integer) or N < 1:
        raise ValueError(f"N must be a positive integer, got {N!r}")
    P = np.asarray(P_values)
    if P.ndim != 1 or P.size == 0 or P.dtype.kind not in "iu" or (P < 1).any():
        raise ValueError(
            f"P_values must be a non-empty list of positive integers (P=0 stores nothing), got {P_values!r}"
        )
    if not isinstance(trials, int | np.integer) or trials < 1:
        raise ValueError(f"trials must be a positive integer, got {trials!r}")
    if not isinstance(max_sweeps, int | np.integer) or max_sweeps < 1:
        raise ValueError(f"max_sweeps must be a positive integer, got {max_sweeps!r}")
    require_choice("rule", rule, ("hebb", "storkey", "pseudoinverse"))
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise is the fraction of units flipped in the start state, in [0, 0.5]; got {noise!r}")
    check_memory(2 * N * N * 8, f"the weight matrix of N={N} units (with its float64 workspace)")
    return P.astype(np.int64)
