"""The record of one recall, kept compact: the start state and the flips, not every state.

Recording every single-unit step of a 64×64 network for 50 sweeps as full states would take 64·64 · 64·64 · 50
bytes = 800 MiB; the flips, visits and energies of the same run take a few MiB. States are rebuilt on request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory

#: The value of a unit that is not firing, for each kind of unit.
OFF = {"bipolar": -1, "binary": 0}


@dataclass(frozen=True, eq=False)
class RecallTrace:
    """What one call of :func:`engine.hopfield.recall` did.

    Step k is the move from state k to state k+1: one unit visited (``mode="async"``) or one sweep of all
    units at once (``mode="sync"``). State 0 is the start state.

    mode:        "async" or "sync"
    units:       "bipolar" (±1) or "binary" (0/1)
    initial:     (N,) int8, the start state
    energies:    (S+1,) float64, energy of state k
    flip_steps:  (F,) int64, the step at which each flip happened, non-decreasing
    flip_units:  (F,) int32, the unit that flipped
    visited:     (S,) int32, the unit considered at each step (async); None in sync mode
    sweep_ends:  (n_sweeps,) int64, the state index at which each sweep ends
    reason:      "fixed point" (a whole sweep flipped nothing), "2-cycle" (sync only) or "max_sweeps"
    """

    mode: str
    units: str
    initial: np.ndarray
    energies: np.ndarray
    flip_steps: np.ndarray
    flip_units: np.ndarray
    visited: np.ndarray | None
    sweep_ends: np.ndarray
    reason: str

    @property
    def converged(self) -> bool:
        """True when recall stopped at a fixed point."""
        return self.reason == "fixed point"

    @property
    def cycle(self) -> bool:
        """True when synchronous recall fell into a 2-cycle: state S equals state S-2."""
        return self.reason == "2-cycle"

    @property
    def n_steps(self) -> int:
        return len(self.energies) - 1

    @property
    def n_sweeps(self) -> int:
        return len(self.sweep_ends)

    @property
    def n_units(self) -> int:
        return len(self.initial)

    @property
    def final(self) -> np.ndarray:
        """(N,) int8, the state recall stopped in."""
        return self.state_at(self.n_steps)

    @property
    def flipped(self) -> np.ndarray:
        """(S,) int32, the unit that flipped at each step, -1 where the visited unit kept its state.

        Async only: a synchronous step can flip many units (see :meth:`flips_at`).
        """
        if self.mode != "async":
            raise ValueError("a synchronous step can flip many units; use flips_at(step) instead of flipped")
        out = np.full(self.n_steps, -1, dtype=np.int32)
        out[self.flip_steps] = self.flip_units
        return out

    def flips_at(self, step: int) -> np.ndarray:
        """The units that flipped in the move from state ``step`` to state ``step + 1``."""
        self._check_step(step, self.n_steps - 1)
        lo, hi = np.searchsorted(self.flip_steps, [step, step + 1])
        return self.flip_units[lo:hi]

    def state_at(self, step: int) -> np.ndarray:
        """(N,) int8, state ``step`` rebuilt from the start state and the flips before it, in O(F + N)."""
        self._check_step(step, self.n_steps)
        n = np.searchsorted(self.flip_steps, step)
        parity = (np.bincount(self.flip_units[:n], minlength=self.n_units) & 1).astype(np.int8)
        return self._apply_parity(parity)

    @property
    def states(self) -> np.ndarray:
        """(S+1, N) int8, every state; refused when it would exceed the memory cap (use :meth:`state_at`)."""
        shape = (self.n_steps + 1, self.n_units)
        check_memory(
            2 * shape[0] * shape[1],
            f"all {shape[0]} states of {shape[1]} units (use trace.state_at(step) for single states)",
        )
        parity = np.zeros(shape, dtype=np.int8)
        parity[self.flip_steps + 1, self.flip_units] = 1
        np.bitwise_xor.accumulate(parity, axis=0, out=parity)  # unit flipped an odd number of times so far
        return self._apply_parity(parity)

    def _apply_parity(self, parity: np.ndarray) -> np.ndarray:
        """Toggle the start state where parity is 1: s = s0 + parity · (toggled(s0) - s0), in place."""
        toggled = (OFF[self.units] + 1) - self.initial
        parity *= toggled - self.initial
        parity += self.initial
        return parity

    def _check_step(self, step: int, last: int) -> None:
        if not 0 <= step <= last:
            raise ValueError(f"step {step} is outside this trace, which has steps 0 to {last}")
