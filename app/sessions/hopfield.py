"""The Hopfield lab's state: the grid, the stored patterns and their weights, the start state, the current
recall and the capacity experiment. Every number comes from ``engine.hopfield``; this object keeps them
together, refuses bad input before changing anything, and says what changed by signal.

Session state, version 2: sections ``settings`` (``HopfieldSettings``: grid size, learning rule), ``memory``
(pattern names), ``start`` (noise seed), ``recall`` (how the last recall ran), ``capacity`` (the experiment's
result), and the panel's ``panel``; arrays ``patterns``, ``probe``, ``recall/*``, ``capacity/*``. Version 1 had
the same values in one flat dict (``migrate_v1``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jobs import Job, JobContext
from app.sessions.settings import setting, settings_from_json, settings_to_json
from app.sessions.state import choice, integer, refuse_unknown, required, value
from engine import hopfield
from engine.checks import check_memory
from engine.hopfield.corrupt import flip_fraction, mask_region, to_bipolar
from engine.hopfield.model import require_choice

MIN_SIZE, MAX_SIZE = 5, 64
MAX_SWEEPS = 1000  # a recall a session file may ask for
MAX_LABEL = 200  # characters in a pattern's name
MAX_FLIP_PERCENT = 50  # the share of the start state one flip may change
VERSION = 2
SECTIONS = ("settings", "memory", "start", "recall", "capacity")
ARRAY_NAMES = ("patterns", "probe", "recall/final", "recall/energies", "capacity/P_values",
               "capacity/recall_fraction", "capacity/bit_error")  # fmt: skip


@dataclass(frozen=True)
class HopfieldSettings:
    size: int = setting(16, MIN_SIZE, MAX_SIZE)  # the grid's side
    rule: str = setting("hebb", choices=hopfield.RULES)


@dataclass(frozen=True)
class CapacityChoices:
    """What the capacity experiment is asked to run (the view's controls)."""

    N: int = setting(100, 1, 400)
    trials: int = setting(5, 1, 50)
    rule: str = setting("hebb", choices=hopfield.RULES)
    noise_percent: float = setting(5.0, 0.0, 30.0)


@dataclass(frozen=True)
class HopfieldLessonSettings:
    """What a lesson step sets here: the grid, the rule and the letters stored; the start state (stored letter
    ``start`` with a share of its units flipped, by the noise seed's first draw); how recall runs; and the
    capacity experiment's choices."""

    size: int = setting(16, MIN_SIZE, MAX_SIZE)
    rule: str = setting("pseudoinverse", choices=hopfield.RULES)
    text: str = "UNROL"
    start: int = setting(2, 0, 1000)
    noise_percent: int = setting(25, 0, MAX_FLIP_PERCENT)
    mode: str = setting("async", choices=hopfield.MODES)
    order: str = setting("random", choices=hopfield.ORDERS)
    by_sweep: bool = setting(False)
    capacity_N: int = setting(100, 1, 400)
    capacity_trials: int = setting(5, 1, 50)
    capacity_rule: str = setting("hebb", choices=hopfield.RULES)
    capacity_noise_percent: float = setting(5.0, 0.0, 30.0)


def capacity_loads(N: int) -> list[int]:
    """The numbers of patterns P the capacity experiment tries: 1 to 0.3 N, about 15 of them."""
    top = max(2, int(0.3 * N))
    return list(range(1, top + 1, max(1, top // 15)))


def migrate_v1(state: dict) -> dict:
    """A version-1 state (one flat dict) in version 2's sections; ``restore_state`` checks the values."""
    old = dict(state)
    migrated = {"settings": {k: old.pop(k) for k in ("size", "rule") if k in old},
                "memory": {"labels": old.pop("labels", None)},
                "start": {"noise_seed": old.pop("noise_seed", None)}}  # fmt: skip
    return {**old, **migrated}


class HopfieldSession(QObject):
    """Grid of ``size × size`` ±1 units.  patterns: (P, N) int8, W: (N, N) or None when nothing is stored,
    probe: (N,) the start state of the next recall, trace: the last ``RecallTrace`` (None after any change
    to the start state or the memory)."""

    memory_changed = Signal()
    probe_changed = Signal()
    trace_changed = Signal()
    capacity_progressed = Signal(int, int)
    capacity_finished = Signal(object)
    capacity_failed = Signal(str)

    def __init__(self, size: int = 16, rule: str = "hebb", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rule = rule
        self.size = self._checked_size(size)
        self.patterns = np.zeros((0, size * size), np.int8)
        self.labels: list[str] = []
        self.W: np.ndarray | None = None
        self.probe = -np.ones(size * size, np.int8)
        self.trace: hopfield.RecallTrace | None = None
        self.noise_seed = 0
        self.recall_ends_as_saved = True  # after opening a session: did its recall, run again, end as saved?
        self.recall_settings: dict | None = None  # mode, order, seed, max_sweeps of ``trace``
        self.capacity_result: hopfield.CapacityResult | None = None
        self.capacity_job = Job(self)
        self.capacity_job.progressed.connect(self.capacity_progressed)
        self.capacity_job.done.connect(self._capacity_done)
        self.capacity_job.failed.connect(self.capacity_failed)

    @property
    def n_units(self) -> int:
        return self.size * self.size

    @property
    def n_patterns(self) -> int:
        return len(self.patterns)

    # --- the grid and the memory -------------------------------------------------------------------

    @staticmethod
    def _checked_size(size: int) -> int:
        if not MIN_SIZE <= int(size) <= MAX_SIZE:
            raise ValueError(f"the grid must be {MIN_SIZE}×{MIN_SIZE} to {MAX_SIZE}×{MAX_SIZE}; got {size}×{size}")
        check_memory(2 * (size * size) ** 2 * 8, f"the weight matrix of a {size}×{size} grid")
        return int(size)

    def resize(self, size: int) -> None:
        """A fresh, empty grid of ``size × size`` units: memory, start state and recall are cleared."""
        self.size = self._checked_size(size)
        self.patterns = np.zeros((0, self.n_units), np.int8)
        self.labels, self.W = [], None
        self.probe = -np.ones(self.n_units, np.int8)
        self.trace = None
        self.memory_changed.emit()
        self.probe_changed.emit()
        self.trace_changed.emit()

    def store(self, patterns: object, labels: list[str]) -> None:
        """Add patterns (P, N) or (N,) of 0/1 or ±1 to the memory and relearn W with the current rule."""
        xi = to_bipolar("patterns", patterns)
        xi = xi.reshape(1, -1) if xi.ndim == 1 else xi
        if xi.ndim != 2 or xi.shape[1] != self.n_units:
            raise ValueError(
                f"a pattern must have {self.n_units} units for the {self.size}×{self.size} grid; got shape {xi.shape}"
            )
        if len(labels) != len(xi):
            raise ValueError(f"{len(xi)} patterns need {len(xi)} labels, got {len(labels)}")
        _refuse_too_many(self.n_patterns + len(xi), self.n_units)
        _refuse_repeats(self.patterns, self.labels, xi, list(labels))
        self._learn(np.concatenate([self.patterns, xi]), self.labels + list(labels), self.rule)

    def set_rule(self, rule: str) -> None:
        """Relearn the stored patterns with ``rule``; on failure the previous rule and W stay."""
        if self.n_patterns:
            self._learn(self.patterns, self.labels, rule)
        else:
            require_choice("rule", rule, hopfield.RULES)
            self.rule = rule
            self.memory_changed.emit()

    def replace_memory(self, patterns: object, labels: list[str]) -> None:
        """A new memory of patterns (P, N) with N = side² for any allowed side: the grid takes their size.
        W is learnt before anything changes, so a failure leaves the session as it was."""
        xi = to_bipolar("patterns", patterns)
        side = round(xi.shape[-1] ** 0.5)
        if xi.ndim != 2 or side * side != xi.shape[1]:
            raise ValueError(f"patterns must be (P, side²) for a square grid; got shape {xi.shape}")
        self._checked_size(side)
        _refuse_too_many(len(xi), side * side)
        W = hopfield.store(xi, rule=self.rule)
        self.size, self.probe = side, -np.ones(side * side, np.int8)
        self.patterns, self.labels, self.W, self.trace = xi, list(labels), W, None
        self.memory_changed.emit()
        self.probe_changed.emit()
        self.trace_changed.emit()

    def _learn(self, patterns: np.ndarray, labels: list[str], rule: str) -> None:
        W = hopfield.store(patterns, rule=rule)  # raises before anything here changes
        self.patterns, self.labels, self.rule, self.W, self.trace = patterns, labels, rule, W, None
        self.memory_changed.emit()
        self.trace_changed.emit()  # a recall under the old weights no longer applies

    def clear_memory(self) -> None:
        self.patterns = np.zeros((0, self.n_units), np.int8)
        self.labels, self.W, self.trace = [], None, None
        self.memory_changed.emit()
        self.trace_changed.emit()

    def pattern_energies(self) -> np.ndarray:
        """(P,) energy of each stored pattern: the floors recall can descend to."""
        if self.W is None:
            return np.zeros(0)
        return np.atleast_1d(hopfield.energy(self.W, self.patterns))

    # --- the start state ---------------------------------------------------------------------------

    def set_probe(self, state: object) -> None:
        """A new start state (N,) of 0/1 or ±1; the last recall no longer applies and is dropped."""
        s = to_bipolar("start state", state).reshape(-1)
        if s.size != self.n_units:
            raise ValueError(f"the start state must have {self.n_units} units; got {s.size}")
        self.probe, self.trace = s, None
        self.probe_changed.emit()
        self.trace_changed.emit()

    def start_from_pattern(self, k: int) -> None:
        if not 0 <= k < self.n_patterns:
            raise ValueError(f"there is no stored pattern {k}; the memory holds {self.n_patterns}")
        self.set_probe(self.patterns[k])

    def flip(self, fraction: float) -> None:
        """Flip round(fraction · N) random units of the start state (a new random choice each time)."""
        self.noise_seed += 1
        self.set_probe(flip_fraction(self.probe, fraction, seed=self.noise_seed))

    def mask(self, top: int, left: int, bottom: int, right: int, fill: str = "off") -> None:
        """Overwrite rows top..bottom-1, columns left..right-1 of the start state with ``fill``."""
        self.noise_seed += 1
        grid = (self.size, self.size)
        self.set_probe(mask_region(self.probe, grid, top, left, bottom, right, fill, seed=self.noise_seed))

    # --- recall ------------------------------------------------------------------------------------

    def recall(self, mode: str = "async", order: str = "random", seed: int = 0, max_sweeps: int = 50) -> None:
        if self.W is None:
            raise ValueError("the memory is empty: store a pattern before recalling")
        self.trace = hopfield.recall(self.W, self.probe, mode=mode, order=order, seed=seed, max_sweeps=max_sweeps)
        self.recall_settings = {"mode": mode, "order": order, "seed": seed, "max_sweeps": max_sweeps}
        self.trace_changed.emit()

    @property
    def n_steps(self) -> int:
        return 0 if self.trace is None else self.trace.n_steps

    def frame_steps(self, by_sweep: bool) -> np.ndarray:
        """The recall step shown at each playhead frame: every step, or only the ends of sweeps."""
        if self.trace is None:
            return np.zeros(1, np.int64)
        if by_sweep and self.trace.mode == "async":
            return np.concatenate([[0], np.minimum(self.trace.sweep_ends, self.trace.n_steps)])
        return np.arange(self.trace.n_steps + 1)

    def state_at(self, step: int) -> np.ndarray:
        """(N,) int8 ±1: the start state at step 0 and before any recall."""
        return self.probe if self.trace is None else self.trace.state_at(step)

    def energies(self) -> np.ndarray:
        """(S+1,) energy at each step of the recall; just the start state's energy before one."""
        if self.trace is not None:
            return self.trace.energies
        return np.zeros(0) if self.W is None else np.array([hopfield.energy(self.W, self.probe)])

    def overlaps_at(self, step: int) -> np.ndarray:
        """(P,) m_μ = ξ_μ · s / N of the state at ``step`` with every stored pattern."""
        if self.n_patterns == 0:
            return np.zeros(0)
        return hopfield.overlaps(self.state_at(step), self.patterns)

    def classify_at(self, step: int) -> hopfield.Classification | None:
        return None if self.n_patterns == 0 else hopfield.classify(self.state_at(step), self.patterns)

    def changes_between(self, start: int, end: int) -> tuple[int | None, np.ndarray]:
        """(unit visited at the last step, units flipped in steps start..end-1) for the highlight."""
        if self.trace is None or end <= start:
            return None, np.zeros(0, np.int32)
        lo, hi = np.searchsorted(self.trace.flip_steps, [start, end])
        visited = None if self.trace.visited is None or end - start > 1 else int(self.trace.visited[end - 1])
        return visited, self.trace.flip_units[lo:hi]

    # --- capacity ----------------------------------------------------------------------------------

    @property
    def capacity_running(self) -> bool:
        return self.capacity_job.running

    def run_capacity(self, N: int, trials: int, rule: str, noise: float) -> None:
        """Start ``capacity_experiment`` for P = 1 .. 0.3 N off the GUI thread; results come by signal."""
        if self.capacity_running:
            raise ValueError("a capacity experiment is already running")
        P_values = capacity_loads(N)

        def work(context: JobContext) -> hopfield.CapacityResult:
            return hopfield.capacity_experiment(N, P_values, trials, rule, noise=noise, progress=context.progress)

        self.capacity_job.start(work)

    def _capacity_done(self, result: hopfield.CapacityResult) -> None:
        self.capacity_result = result
        self.capacity_finished.emit(result)

    def cancel_capacity(self, wait: bool = False) -> None:
        """Stop the experiment between two values of P; what it still delivers is dropped."""
        self.capacity_job.cancel(wait)

    # --- session files -----------------------------------------------------------------------------

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON state, arrays): grid, rule, patterns and labels, start state, noise seed, how the last recall
        was run (with its final state and energies, which restoring checks) and the capacity result. W is not
        saved: it follows from the patterns and the rule."""
        state = {"settings": settings_to_json(HopfieldSettings(self.size, self.rule)),
                 "memory": {"labels": list(self.labels)}, "start": {"noise_seed": self.noise_seed},
                 "recall": None, "capacity": None}  # fmt: skip
        arrays = {"patterns": self.patterns, "probe": self.probe}
        if self.trace is not None and self.recall_settings is not None:
            state["recall"] = {**self.recall_settings, "n_steps": self.trace.n_steps, "reason": self.trace.reason}
            arrays.update({"recall/final": self.trace.final, "recall/energies": self.trace.energies})
        result = self.capacity_result
        if result is not None:
            state["capacity"] = {"N": int(result.N), "rule": result.rule, "trials": int(result.trials),
                                 "noise": float(result.noise)}  # fmt: skip
            arrays.update({"capacity/P_values": result.P_values, "capacity/recall_fraction": result.recall_fraction,
                           "capacity/bit_error": result.bit_error})  # fmt: skip
        return state, arrays

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Put back what ``save_state`` gave: W is learnt again and the recall run again (it is deterministic)
        and must end as recorded. Everything is checked first; a ValueError leaves the session as it was."""
        refuse_unknown(state, SECTIONS, "Hopfield session")
        refuse_unknown(arrays, ARRAY_NAMES, "Hopfield session's arrays")
        settings = settings_from_json(HopfieldSettings, state.get("settings"), "grid settings")
        size, rule = settings.size, settings.rule
        self._checked_size(size)
        memory, start = value(state, "memory", dict, "the memory section"), value(state, "start", dict, "the start")
        refuse_unknown(memory, ("labels",), "memory section")
        refuse_unknown(start, ("noise_seed",), "start section")
        patterns, labels = self._patterns_from(memory, arrays, size * size)
        W = hopfield.store(patterns, rule=rule) if len(patterns) else None
        probe = required(arrays, "probe", 1, "biuf")
        if probe.size != size * size:
            raise ValueError(f"the start state has {probe.size} units; the {size}×{size} grid has {size * size}")
        probe = to_bipolar("the start state", probe)
        noise_seed = integer(start, "noise_seed", 0, 2**63 - 1, "the noise seed")
        recall, trace, same = self._recall_from(state.get("recall"), arrays, W, probe)
        capacity = _capacity_from(state.get("capacity"), arrays)
        self.cancel_capacity(wait=True)
        self.size, self.rule, self.patterns, self.labels, self.W = size, rule, patterns, labels, W
        self.probe, self.noise_seed, self.recall_settings, self.trace = probe, noise_seed, recall, trace
        self.capacity_result = capacity
        self.recall_ends_as_saved = same
        self.memory_changed.emit()
        self.probe_changed.emit()
        self.trace_changed.emit()

    @staticmethod
    def _patterns_from(state: dict, arrays: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, list[str]]:
        labels = value(state, "labels", list, "the pattern names")
        if not all(isinstance(label, str) and len(label) <= MAX_LABEL for label in labels):
            raise ValueError(f"the pattern names must be text of at most {MAX_LABEL} characters")
        _refuse_too_many(len(labels), n)
        patterns = required(arrays, "patterns", 2, "biuf")
        if patterns.shape != (len(labels), n):
            raise ValueError(f"the patterns must be ({len(labels)}, {n}): one per name, a unit per grid cell; "
                             f"got {patterns.shape}")  # fmt: skip
        patterns = to_bipolar("the patterns", patterns) if len(labels) else np.zeros((0, n), np.int8)
        _refuse_repeats(np.zeros((0, n), np.int8), [], patterns, labels)
        return patterns, list(labels)

    @staticmethod
    def _recall_from(
        recall: object, arrays: dict[str, np.ndarray], W: np.ndarray | None, probe: np.ndarray
    ) -> tuple[dict | None, hopfield.RecallTrace | None, bool]:
        """The recorded recall run again: (its settings, its trace, whether it ends as recorded). Another
        machine's arithmetic may break a tie (a local field of exactly 0) the other way: then this machine's
        run is shown, and the caller says so, rather than refusing the file."""
        if recall is None:
            return None, None, True
        if not isinstance(recall, dict):
            raise ValueError("the recall must be a mapping of its settings")
        refuse_unknown(recall, ("mode", "order", "seed", "max_sweeps", "n_steps", "reason"), "recall")
        if W is None:
            raise ValueError("the file has a recall but no stored patterns to recall with")
        settings = {"mode": choice(recall, "mode", hopfield.MODES, "the recall mode"),
                    "order": choice(recall, "order", hopfield.ORDERS, "the recall order"),
                    "seed": integer(recall, "seed", 0, 2**63 - 1, "the recall seed"),
                    "max_sweeps": integer(recall, "max_sweeps", 1, MAX_SWEEPS, "the recall's sweep limit")}  # fmt: skip
        trace = hopfield.recall(W, probe, **settings)
        final, energies = required(arrays, "recall/final", 1), required(arrays, "recall/energies", 1, "f")
        same = (recall.get("n_steps") == trace.n_steps and recall.get("reason") == trace.reason
                and final.shape == trace.final.shape and np.array_equal(final, trace.final)
                and energies.shape == trace.energies.shape and np.allclose(energies, trace.energies))  # fmt: skip
        return settings, trace, same


def _refuse_too_many(n_patterns: int, n_units: int) -> None:
    """N units hold at most N patterns: the projection rule needs them independent, and the others fail far
    sooner (Hebb near 0.138 N). A bound, too, on what a file may make the lab compare and store."""
    if n_patterns > n_units:
        raise ValueError(f"a grid of {n_units} units holds at most {n_units} patterns, not {n_patterns}")


def _refuse_repeats(known: np.ndarray, names: list[str], xi: np.ndarray, labels: list[str]) -> None:
    """A pattern already stored, or its reverse, adds no memory (its reverse is an attractor already) and
    makes the pseudoinverse rule ill-posed; say which instead of storing it. known: (P, N), xi: (K, N)."""
    seen = {}
    for row, label in zip(known, names, strict=True):
        seen.setdefault(row.tobytes(), label)
    for row, label in zip(xi, labels, strict=True):
        first = seen.get(row.tobytes(), seen.get((-row).tobytes()))
        if first is not None:
            raise ValueError(f"«{label}» is already stored as «{first}» (or its reverse); store it once")
        seen[row.tobytes()] = label


def _capacity_from(capacity: object, arrays: dict[str, np.ndarray]) -> hopfield.CapacityResult | None:
    """A capacity result from the file, checked: P from 1 up, fractions in [0, 1], one of each per P."""
    if capacity is None:
        return None
    if not isinstance(capacity, dict):
        raise ValueError("the capacity result must be a mapping")
    refuse_unknown(capacity, ("N", "rule", "trials", "noise"), "capacity result")
    N = integer(capacity, "N", 1, MAX_SIZE * MAX_SIZE, "the capacity experiment's N")
    rule = choice(capacity, "rule", hopfield.RULES, "the capacity experiment's rule")
    trials = integer(capacity, "trials", 1, 1000, "the capacity experiment's trials")
    noise = value(capacity, "noise", (int, float), "the capacity experiment's noise")
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"the capacity experiment's noise must be in [0, 0.5], not {noise!r}")
    P = required(arrays, "capacity/P_values", 1, "iu")
    recalled = required(arrays, "capacity/recall_fraction", 1, "f")
    error = required(arrays, "capacity/bit_error", 1, "f")
    if not (P.size and recalled.shape == error.shape == P.shape):
        raise ValueError("the capacity result needs one recall fraction and one bit error per P")
    if (P < 1).any() or (P > N).any():
        raise ValueError(f"the capacity result's P must be from 1 to N = {N}")
    if not all(np.isfinite(a).all() and (a >= 0).all() and (a <= 1).all() for a in (recalled, error)):
        raise ValueError("the capacity result's fractions must be numbers in [0, 1]")
    P, recalled, error = P.astype(np.int64), recalled.astype(float), error.astype(float)
    return hopfield.CapacityResult(N, rule, trials, float(noise), P, recalled, error, hopfield.CAPACITY_RATIO * N)
