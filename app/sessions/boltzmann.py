"""The Boltzmann lab's state: the machine and its training vectors, the learner (weights, generator, record), and
the annealing run the playhead walks. Every number comes from ``engine.boltzmann``; bad input is refused
before anything changes.

Learning runs in a ``TrainingRunner``, one cycle per step; each ``FRAME_INTERVAL`` the GUI gets a
``LearningFrame`` of copies. An annealing run takes milliseconds (Numba) and is made on the GUI thread, on the
latest frame's weights. The playhead walks the run probe by probe: its start state, the annealing probes, then
the probes that sample at the chosen temperature.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jobs import Job, JobContext, TrainingRunner
from app.sessions.settings import check_settings, setting
from engine import boltzmann
from engine.boltzmann import BoltzmannMachine, Learner, LearningHistory, LearningSettings
from engine.boltzmann.exact import check_enumerable, visible_codes
from engine.boltzmann.model import PAPER_NOISE, check_data, format_schedule, parse_schedule

FRAME_INTERVAL = 0.1  # seconds between frames handed to the GUI while learning
NETWORKS = {"4-2-4": (4, 2), "4-3-4": (4, 3), "8-3-8": (8, 3)}  # the paper's encoders: (group, hidden)
MAX_PROBES = 2_000_000  # probes an annealing run may record
SYNC_PROBES = 200_000  # runs up to this many probes are made at once (milliseconds); longer ones in a worker
HISTOGRAM_UNITS = 12  # free units whose 2**F states the histogram compares with the exact distribution


@dataclass(frozen=True)
class BoltzmannSettings:
    network: str = setting("4-2-4", choices=(*NETWORKS, "file"))
    schedule: str = format_schedule(boltzmann.PAPER_SCHEDULE)  # time units@temperature, cooling
    temperature: float = setting(10.0, 0.05, 100.0)  # where annealing stops and the run samples
    sample_time: int = setting(200, 1, 100_000)  # time units sampled at ``temperature``
    clamp: int = setting(-1, -1, 255)  # the training vector held on the visible units, −1 for none
    seed: int = setting(0, 0, 1_000_000)  # the annealing run's
    learn_seed: int = setting(0, 0, 1_000_000)
    cycles: int = setting(2000, 1, 100_000)  # learning stops after this many cycles
    noisy: bool = True  # noisy clamping while learning (p on→off 0.15, off→on 0.05)
    stop_when_solved: bool = True  # learning stops once every training vector has a code of its own


@dataclass(frozen=True)
class LearningFrame:
    """Copies for the views after a learning cycle. ``history`` holds the record's lists as they were (entries
    never change once written); ``rng_state`` is the learner's generator then, for session files."""

    machine: BoltzmannMachine
    history: LearningHistory
    rng_state: dict
    finished: bool = False

    @property
    def cycle(self) -> int:
        return self.history.cycles


@dataclass(frozen=True)
class Machine:
    """A machine with its training vectors, its picture layout and where it came from."""

    bm: BoltzmannMachine
    data: np.ndarray
    visible: np.ndarray
    groups: np.ndarray  # (n,) 0 = first visible group, 1 = second (encoders), 2 = hidden
    source: str


def encoder(name: str) -> Machine:
    g, h = NETWORKS[name]
    bm, data, visible = boltzmann.encoder_network(g, h)
    return Machine(bm, data, visible, np.repeat([0, 1, 2], [g, g, h]), f"{name} encoder")


def user_machine(bm: BoltzmannMachine, data: object, visible: object, source: str) -> Machine:
    data, visible = check_data(data, visible, bm.n)
    groups = np.full(bm.n, 2)
    groups[visible] = 0
    if bm.n - visible.size == 0:
        raise ValueError("every unit of the machine is visible: a Boltzmann machine here needs a hidden unit")
    return Machine(bm, data, visible, groups, source)


def learning_settings(settings: BoltzmannSettings) -> LearningSettings:
    schedule = parse_schedule(settings.schedule)
    return LearningSettings(schedule=schedule, noise=PAPER_NOISE if settings.noisy else (0.0, 0.0)).checked()


class BoltzmannSession(QObject):
    machine_changed = Signal()  # a new machine: every view starts over
    learned = Signal(object)  # a LearningFrame
    trace_changed = Signal()
    learning_changed = Signal(bool)
    run_progressed = Signal(int, int)
    run_running = Signal(bool)
    failed = Signal(str)

    def __init__(self, settings: BoltzmannSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self.show_frame)
        self.runner.failed.connect(lambda text: self.failed.emit(f"learning failed: {text}"))
        self.runner.running_changed.connect(self._running_changed)
        self.settings = settings or BoltzmannSettings()
        self._before_run: tuple[BoltzmannMachine, LearningHistory, dict] | None = None
        self._user: Machine | None = None
        self.trace: boltzmann.AnnealTrace | None = None
        self.trace_machine: BoltzmannMachine | None = None  # the weights and clamp the run on show was made with
        self.trace_clamp: dict[int, int] = {}
        self.anneal_job = Job(self)
        self.anneal_job.progressed.connect(self.run_progressed)
        self.anneal_job.done.connect(self._run_done)
        self.anneal_job.failed.connect(lambda text: self.failed.emit(f"the annealing run failed: {text}"))
        self.anneal_job.running_changed.connect(self.run_running)
        self._commit(self._built(self.settings), self.settings)

    # ---- the machine ------------------------------------------------------------------------------------

    @property
    def learning(self) -> bool:
        return self.runner.running

    def _built(self, settings: BoltzmannSettings) -> Machine:
        if settings.network == "file":
            if self._user is None:
                raise ValueError("open a machine file first to use your own machine")
            return replace(self._user, bm=self._user.bm.copy())
        return encoder(settings.network)

    def _checked(self, settings: BoltzmannSettings, machine: Machine, run_at_once: bool = False) -> LearningSettings:
        """Refuse settings that do not fit the machine (``run_at_once``: whose annealing run is too long to be made
        at once); the learner's settings when they do."""
        check_settings(settings)
        options = learning_settings(settings)
        boltzmann.check_temperature(settings.temperature)
        if settings.clamp >= len(machine.data):
            raise ValueError(f"there is no training vector {settings.clamp + 1}; the machine has {len(machine.data)}")
        probes, most = _run_probes(settings, machine, options), SYNC_PROBES if run_at_once else MAX_PROBES
        if probes > most:
            at_once = " made at once" if run_at_once else ""
            raise ValueError(f"the run would record {probes:,} probes, more than a run{at_once} may ({most:,}); "
                             "sample for fewer time units")  # fmt: skip
        return options

    def _commit(self, machine: Machine, settings: BoltzmannSettings, learner: Learner | None = None) -> None:
        options = self._checked(settings, machine)
        self.stop_learning()
        self.machine, self.settings = machine, settings
        self.learner = learner or Learner(machine.bm, machine.data, machine.visible, options, settings.learn_seed)
        self.learner.settings = options
        self.frame = self.frame_now()
        self.machine_changed.emit()
        self.learned.emit(self.frame)
        self.run()

    def apply_settings(self, settings: BoltzmannSettings, run_at_once: bool = False) -> None:
        """New settings; a new machine when the network changed, else the learner goes on under them.
        ``run_at_once``: refuse a run too long to be made at once (a lesson step's picture may not wait)."""
        if settings.network != self.settings.network or settings.learn_seed != self.settings.learn_seed:
            self.start_afresh(settings, run_at_once)
            return
        options = self._checked(settings, self.machine, run_at_once)
        was_learning = self.learning
        self.stop_learning()
        self.settings, self.learner.settings = settings, options
        self.run()
        if was_learning:
            self.start_learning()

    def load_machine(self, bm: BoltzmannMachine, data: object, visible: object, source: str) -> None:
        """The user's machine and training vectors; on bad input nothing changes."""
        machine = user_machine(bm, data, visible, source)
        settings = replace(self.settings, network="file", clamp=-1)
        self._checked(settings, machine)
        self._user = replace(machine, bm=machine.bm.copy())
        self._commit(machine, settings)

    def restore(self, machine: Machine, settings: BoltzmannSettings, learner: Learner, user: Machine | None) -> None:
        """A session file's machine, settings and learner (``boltzmann_state.load`` checked them)."""
        self._checked(settings, machine)
        self._user, self._before_run = user, None
        self._commit(machine, settings, learner)

    @property
    def cancellable(self) -> bool:
        """Whether there is a run of learning to go back from."""
        return self._before_run is not None

    def reset_weights(self) -> None:
        """Weights and biases back to where the machine started (0 for the encoders), the record cleared."""
        self.start_afresh(self.settings)

    def start_afresh(self, settings: BoltzmannSettings, run_at_once: bool = False) -> None:
        """The machine ``settings`` name at its first weights, a new learner from their learning seed, an empty
        record (``run_at_once`` as in ``apply_settings``)."""
        machine = self._built(settings)
        self._checked(settings, machine, run_at_once)
        self._before_run = None
        self._commit(machine, settings)

    # ---- learning ---------------------------------------------------------------------------------------

    def frame_now(self, finished: bool = False) -> LearningFrame:
        """Copies for the views, on the thread that owns the learner (the runner's, or a lesson's worker)."""
        h = self.learner.history
        history = LearningHistory(list(h.weights), list(h.biases), list(h.codes), list(h.distinct), list(h.G),
                                  list(h.clamped), list(h.free), h.solved_cycle)  # fmt: skip
        state = self.learner.rng.bit_generator.state
        return LearningFrame(self.learner.bm.copy(), history, state, finished)

    def _done(self) -> bool:
        h = self.learner.history
        return h.cycles >= self.settings.cycles or (self.settings.stop_when_solved and h.solved_cycle is not None)

    def _step(self) -> bool:
        """The runner's step: one cycle; True when learning is done."""
        if not self._done():
            self.learner.cycle()
        return self._done()

    def _frame_if_new(self) -> LearningFrame | None:
        if self.learner.history.cycles == self.frame.cycle:
            return None
        return self.frame_now(self._done())

    def learn_cycles(self, cycles: int) -> None:
        """``cycles`` cycles now, on the GUI thread (the step button, tests, screenshots)."""
        self.stop_learning()
        for _ in range(cycles):
            if self._done():
                break
            self.learner.cycle()
        self.show_learnt()

    def train_once(self) -> None:
        """One cycle, whatever ``stop_when_solved`` says: on a lesson's worker, whose step says how many."""
        self.learner.cycle()

    def show_learnt(self) -> None:
        """The learner as it is on show, and a new annealing run on its weights: after learning that was not the
        runner's (on the GUI thread, or on a lesson's worker once it is done)."""
        self.show_frame(self.frame_now(self._done()))
        self.run()

    def start_learning(self) -> None:
        if self.learning:
            return
        if self._done():
            self.failed.emit("learning is done: every training vector has a code of its own (or the cycles are "
                             "used up); reset the weights or raise the cycles to go on")  # fmt: skip
            return
        self._before_run = (self.frame.machine, self.frame.history, self.frame.rng_state)
        self.runner.start(self._step, self._frame_if_new, FRAME_INTERVAL)

    def stop_learning(self) -> None:
        """Pause after the current cycle; the views then show where it stopped."""
        self.runner.stop()

    def cancel_learning(self) -> None:
        """Stop, and put back the weights, record and generator from before this run of learning."""
        self.stop_learning()
        if self._before_run is None:
            return
        machine, history, state = self._before_run
        self.learner.bm.W[:], self.learner.bm.b[:] = machine.W, machine.b
        self.learner.history = LearningHistory(list(history.weights), list(history.biases), list(history.codes),
                                               list(history.distinct), list(history.G), list(history.clamped),
                                               list(history.free), history.solved_cycle)  # fmt: skip
        self.learner.rng.bit_generator.state = state
        self._before_run = None
        self.show_frame(self.frame_now())
        self.run()

    def _running_changed(self, running: bool) -> None:
        self.learning_changed.emit(running)
        if not running:
            self.run()  # a fresh run on the weights learning stopped at

    def show_frame(self, frame: LearningFrame) -> None:
        self.frame = frame
        self.learned.emit(frame)

    # ---- the annealing run ------------------------------------------------------------------------------

    @property
    def clamp(self) -> dict[int, int]:
        k = self.settings.clamp
        if k < 0:
            return {}
        return {int(u): int(v) for u, v in zip(self.machine.visible, self.machine.data[k], strict=True)}

    def run(self) -> None:
        """A new annealing run on the latest frame's weights, with the settings' schedule, clamp and seed: at once,
        or in a worker when long (the run on show stays until it is done; a newer run replaces it)."""
        s, machine, clamp = self.settings, self.frame.machine, self.clamp
        args = (machine, parse_schedule(s.schedule), s.temperature, s.sample_time, clamp, s.seed)
        if _run_probes(s, self.machine, self.learner.settings) <= SYNC_PROBES:
            self.anneal_job.cancel()
            self._run_done((boltzmann.anneal(*args), machine, clamp))
            return

        def work(context: JobContext) -> tuple:
            return boltzmann.anneal(*args, progress=context.progress), machine, clamp

        self.anneal_job.start(work)

    def cancel_run(self, wait: bool = False) -> None:
        """Stop a run in the worker; the run on show stays."""
        self.anneal_job.cancel(wait)

    def _run_done(self, result: tuple) -> None:
        self.trace, self.trace_machine, self.trace_clamp = result
        self.trace_changed.emit()

    def histogram_problem(self) -> str | None:
        """Why the run's states cannot be compared with the exact distribution, or None."""
        free = len(self.trace.free)
        if free > HISTOGRAM_UNITS:
            return (f"{free} free units have 2^{free} states: too many to draw against the exact distribution "
                    f"(up to {HISTOGRAM_UNITS} free units); the other views are sampled")  # fmt: skip
        return None

    def exact_free_distribution(self) -> np.ndarray:
        """(2**F,) the exact P of the free units' states at the run's temperature (given the clamp); the free
        units' state number has bit j = free unit j."""
        bm, free, clamp = self.trace_machine, self.trace.free, self.trace_clamp
        q = boltzmann.exact_distribution(bm, self.trace.temperature)
        clamped = sorted(clamp)
        if clamped:
            values = np.array([clamp[u] for u in clamped])
            q = np.where(visible_codes(bm.n, np.array(clamped)) == (values << np.arange(len(clamped))).sum(), q, 0)
            q = q / q.sum()
        return np.bincount(visible_codes(bm.n, free), weights=q, minlength=2 ** len(free))

    def sampled_counts(self, position: int) -> np.ndarray:
        """(2**F,) how often each state of the free units was visited by the sampling probes up to ``position``."""
        trace = self.trace
        start = trace.anneal_probes + 1
        states = trace.states[start : max(start, position + 1), trace.free].astype(np.int64)
        codes = (states << np.arange(len(trace.free))).sum(axis=1)
        return np.bincount(codes, minlength=2 ** len(trace.free))

    def exact_statistics(self) -> boltzmann.ExactStatistics:
        """p_ij, p′_ij and G of the latest weights at the statistics temperature (ValueError when too large)."""
        m = self.machine
        check_enumerable(m.bm.n)
        return boltzmann.exact_statistics(self.frame.machine, m.data, m.visible, self.learner.settings.statistics[1])


def _run_probes(settings: BoltzmannSettings, machine: Machine, options: LearningSettings) -> int:
    """Probes of the annealing run ``settings`` ask for: the stages hotter than the temperature, then sampling."""
    free = machine.bm.n - (machine.visible.size if settings.clamp >= 0 else 0)
    stages = [s for s in options.schedule if s[1] > settings.temperature]
    return free * (sum(units for units, _ in stages) + settings.sample_time)
