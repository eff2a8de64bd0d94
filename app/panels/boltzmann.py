"""Boltzmann lab: the machine with hidden units of Ackley, Hinton & Sejnowski (1985), annealed and learning.

The playhead walks an annealing run probe by probe (the units flicker, the temperature falls along the schedule,
the energy settles, and at the final temperature the visited states build up a histogram against the exact
Boltzmann distribution); learning runs in a worker and the views redraw from each frame it hands over. The
4-2-4 encoder is the built-in demo."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QSplitter

from app.i18n import tr
from app.panels.base import LabPanel
from app.panels.training_lessons import TrainingLessons
from app.sessions import boltzmann_state
from app.sessions.boltzmann import NETWORKS, BoltzmannSession, BoltzmannSettings, LearningFrame
from app.sessions.settings import setting, settings_to_json
from app.sessions.state import choice, refuse_unknown, value
from app.timeline import Phase
from app.views.boltzmann.controls import SOURCES, BoltzmannControls
from app.views.boltzmann.distribution import DistributionView
from app.views.boltzmann.learning import LearningView
from app.views.boltzmann.network import NetworkView
from app.views.boltzmann.run_plots import RunPlotsView
from app.views.boltzmann.statistics import StatisticsView
from engine.boltzmann.files import load_machine

SPEED = 20.0  # probes a second when playing
LIVE_EXACT_UNITS = 14  # exact co-occurrences redrawn with every learning frame up to this many units (2^14 states)


LEARNING_SETTINGS = ("network", "schedule", "noisy", "learn_seed")  # a lesson's cycles depend on these alone


@dataclass(frozen=True)
class BoltzmannLessonSettings(BoltzmannSettings):
    """What a lesson step sets here: the session's settings, and the panel's two choices that change the
    picture: which co-occurrences the statistics show, and whether the playhead moves a time unit at a time."""

    source: str = setting("sampled", choices=tuple(SOURCES))
    by_time_unit: bool = False


def _session_settings(settings: BoltzmannLessonSettings) -> BoltzmannSettings:
    return BoltzmannSettings(**{f.name: getattr(settings, f.name) for f in fields(BoltzmannSettings)})


class Panel(TrainingLessons, LabPanel):
    lab = "boltzmann"
    state_version = boltzmann_state.VERSION

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session = BoltzmannSession(parent=self)
        self.network, self.run_plots = NetworkView(), RunPlotsView()
        self.statistics, self.learning, self.distribution = StatisticsView(), LearningView(), DistributionView()
        run_tab = QSplitter(Qt.Horizontal)
        run_tab.addWidget(self.network)
        run_tab.addWidget(self.run_plots)
        run_tab.setSizes([440, 560])
        self.add_view("network", tr("Network"), run_tab)
        self.add_view("statistics", tr("Co-occurrences"), self.statistics)
        self.add_view("learning", tr("Learning"), self.learning)
        self.add_view("distribution", tr("Distribution"), self.distribution)
        self.panel_controls = BoltzmannControls()
        self.controls_layout.addWidget(self.panel_controls)
        self.source = "sampled"
        self.by_time_unit = False  # a playhead frame is one probe, or one time unit (as many probes as free units)
        self.frames = np.zeros(1, np.int64)  # the probe shown at each playhead position
        self.transport.speed.setValue(SPEED)
        self._connect()
        self._machine_changed()
        self._draw_frame(self.session.frame)
        self._trace_changed()
        self.fit_controls()

    def _connect(self) -> None:
        s, c = self.session, self.panel_controls
        s.machine_changed.connect(self._machine_changed)
        s.learned.connect(self._draw_frame)
        s.trace_changed.connect(self._trace_changed)
        s.learning_changed.connect(lambda running: c.show_learning(running, s.cancellable))
        s.learning_changed.connect(lambda running: running or self._draw_statistics(s.frame))
        s.failed.connect(lambda text: self.message.emit("error", text))
        s.run_progressed.connect(c.show_run_progress)
        s.run_running.connect(c.show_run_running)
        c.cancel_run_requested.connect(s.cancel_run)
        self.timeline.moved.connect(lambda *_: self._show_position(self.playhead.position))
        c.edited.connect(self._edit)
        c.open_requested.connect(self._open_dialog)
        c.learn_toggled.connect(lambda on: s.start_learning() if on else s.stop_learning())
        c.cancel_requested.connect(s.cancel_learning)
        c.cycle_requested.connect(lambda: self._guarded(s.learn_cycles, 1))
        c.reset_requested.connect(lambda: self._guarded(s.reset_weights))
        c.run_requested.connect(lambda: self._edit({"seed": (s.settings.seed + 1) % 1_000_001}))
        c.source_changed.connect(self._source_chosen)
        c.pacing_changed.connect(self.set_by_time_unit)

    # ---- actions ----------------------------------------------------------------------------------------

    def _edit(self, changes: dict) -> None:
        self._guarded(lambda: self.session.apply_settings(replace(self.session.settings, **changes)))
        self.panel_controls.show_settings(self.session.settings, len(self.session.machine.data))

    def _source_chosen(self, source: str) -> None:
        self.source = source
        self._draw_statistics(self.session.frame)

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a Boltzmann machine"), "", self.file_filter)
        if path and self._guarded(self.open_file, path):
            self.message.emit("info", tr("Boltzmann lab: {source}").format(source=self.session.machine.source))

    def open_file(self, path: str) -> None:
        """A machine (.npz of mask, data, visible, optional W and b); ValueError on bad input, nothing changed."""
        bm, data, visible = load_machine(path)
        self.session.load_machine(bm, data, visible, Path(path).name)
        self.panel_controls.show_settings(self.session.settings, len(data))

    # ---- drawing ----------------------------------------------------------------------------------------

    def _machine_changed(self) -> None:
        m, c = self.session.machine, self.panel_controls
        self.network.set_machine(m.bm.mask, m.groups)
        c.show_settings(self.session.settings, len(m.data))
        c.show_learning(self.session.learning, self.session.cancellable)
        pairs = int(np.triu(m.bm.mask, 1).sum())
        counts = tr("{n} units ({visible} visible, {hidden} hidden), {pairs} joined pairs, {vectors} training vectors")
        counts = counts.format(n=m.bm.n, visible=m.visible.size, hidden=m.bm.n - m.visible.size, pairs=pairs,
                               vectors=len(m.data))  # fmt: skip
        c.info.setText(tr(m.source) + ": " + counts)  # an encoder's name is in the catalogue, a file's is not

    def _draw_frame(self, frame: LearningFrame) -> None:
        h, c = frame.history, self.panel_controls
        self.network.set_weights(frame.machine.W)
        self.learning.show_history(np.array(h.G), np.array(h.codes), np.array(h.distinct), self.session.machine.data,
                                   h.solved_cycle)  # fmt: skip
        c.progress.setValue(min(frame.cycle, c.progress.maximum()))
        solved = tr("codes distinct after cycle {cycle}").format(cycle=h.solved_cycle) if h.solved_cycle else (
            tr("codes not yet distinct"))  # fmt: skip
        c.status.setText(tr("cycle {cycle}").format(cycle=frame.cycle) + f" · {solved}")
        self._draw_statistics(frame)

    def _draw_statistics(self, frame: LearningFrame) -> None:
        h = frame.history
        if self.source == "exact":
            if self.session.learning and self.session.machine.bm.n > LIVE_EXACT_UNITS:
                return  # enumerating 2^n states every frame would stall the window: drawn when learning pauses
            try:
                stats = self.session.exact_statistics()
            except ValueError as exc:
                self.message.emit("error", f"{exc}; showing the sampled co-occurrences")
                self.panel_controls.source.setCurrentIndex(0)  # back to sampled, which redraws
                return
            T = self.session.learner.settings.statistics[1]
            source = tr("exact at T = {T}, weights of cycle {cycle}; G = {G}").format(
                T=f"{T:g}", cycle=frame.cycle, G=f"{stats.G:.3f}")  # fmt: skip
            self.statistics.show_statistics(stats.clamped, stats.free, source)
        elif h.cycles:
            source = tr("sampled in cycle {cycle}").format(cycle=h.cycles)
            self.statistics.show_statistics(h.clamped[-1], h.free[-1], source)
        else:
            self.statistics.show_statistics(None, None, tr("no learning cycle yet: press Learn or One cycle"))

    def set_by_time_unit(self, on: bool) -> None:
        """Move the playhead a probe or a time unit at a time; the probe on show is kept (to its time unit)."""
        probe = int(self.frames[min(self.playhead.position, len(self.frames) - 1)])
        self.by_time_unit = on
        self.panel_controls.show_pacing(on)
        self._set_frames()
        self.playhead.seek(int(np.searchsorted(self.frames, probe, side="right")) - 1)
        self._show_position(self.playhead.position)

    def _set_frames(self) -> None:
        trace = self.session.trace
        step = len(trace.free) if self.by_time_unit else 1
        self.frames = np.unique(np.r_[np.arange(0, trace.n_probes + 1, step), trace.anneal_probes, trace.n_probes])
        annealing = int(np.searchsorted(self.frames, trace.anneal_probes, side="right"))
        phases = [Phase("anneal", annealing)]
        if len(self.frames) > annealing:
            phases.append(Phase("sample", len(self.frames) - annealing))
        self.timeline.set_phases(*phases)

    def _trace_changed(self) -> None:
        trace = self.session.trace
        self.playhead.pause()
        self.run_plots.set_run(trace.temperatures, trace.energies, len(trace.free), trace.anneal_probes)
        problem = self.session.histogram_problem()
        exact = None if problem else self.session.exact_free_distribution()
        self.distribution.set_exact(exact, len(trace.free), problem)
        self._set_frames()  # after the views know the new run: a shorter run moves the playhead, which draws
        self.playhead.seek(0)
        self._show_position(0)

    def _show_position(self, position: int) -> None:
        s, trace = self.session, self.session.trace
        k = int(self.frames[min(max(position, 0), len(self.frames) - 1)])
        probed = int(trace.units[k - 1]) if k else None
        if probed is None:
            title = tr("start: random states")
        else:
            title = tr("probe {k}: unit {unit} → {state}").format(k=k, unit=probed, state=int(trace.states[k, probed]))
        self.network.set_state(trace.states[k], probed, set(s.trace_clamp), title)
        self.run_plots.set_position(k)
        if s.histogram_problem() is None:
            self.distribution.set_counts(s.sampled_counts(k), trace.temperature)

    def describe_position(self, position: int) -> str:
        session = getattr(self, "session", None)  # the transport bar asks before the session exists
        if session is None or session.trace is None:
            return ""
        trace = session.trace
        position = int(self.frames[min(position, len(self.frames) - 1)])
        if position <= trace.anneal_probes:
            return tr("annealing {k}/{n}").format(k=position, n=trace.anneal_probes)
        return tr("sampling {k}/{n}").format(k=position - trace.anneal_probes, n=trace.n_probes - trace.anneal_probes)

    # ---- session files ----------------------------------------------------------------------------------

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, arrays = boltzmann_state.save(self.session)
        state["panel"] = {"source": self.source, "by_time_unit": self.by_time_unit}
        return state, arrays

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        refuse_unknown(state, (*boltzmann_state.SECTIONS, "panel"), "Boltzmann session")
        panel = value(state, "panel", dict, "the Boltzmann panel's choices")
        refuse_unknown(panel, ("source", "by_time_unit"), "Boltzmann panel's choices")
        source = choice(panel, "source", tuple(SOURCES), "the co-occurrences shown")
        by_time_unit = value(panel, "by_time_unit", bool, "time-unit pacing")
        restored = boltzmann_state.load(self.session, {k: v for k, v in state.items() if k != "panel"}, arrays)
        self.session.stop_learning()
        self.by_time_unit = by_time_unit
        self.panel_controls.show_pacing(by_time_unit)
        self.session.restore(*restored)
        self.source = source
        self.panel_controls.source.setCurrentIndex(self.panel_controls.source.findData(source))

    # ---- lessons: a step's work is learning cycles from the first weights, on the lesson's worker (TrainingLessons) --

    lesson_settings = BoltzmannLessonSettings

    def current_lesson_settings(self) -> BoltzmannLessonSettings:
        return BoltzmannLessonSettings(**settings_to_json(self.session.settings), source=self.source,
                                       by_time_unit=self.by_time_unit)  # fmt: skip

    def start_lesson(self, settings: BoltzmannLessonSettings, work: dict[str, int]) -> None:
        """The encoder of ``settings`` at its first weights, a learner from their learning seed, and the run they
        ask for made at once (the step's position is on it); ValueError for a user's machine, which a lesson
        cannot carry, or a run too long to make at once."""
        if settings.network not in NETWORKS:
            raise ValueError(f"a lesson's Boltzmann machine is one of the encoders {', '.join(NETWORKS)}, not "
                             f"{settings.network!r}")  # fmt: skip
        self.session.cancel_run(wait=True)
        self._show_choices(settings)
        self.session.start_afresh(_session_settings(settings), run_at_once=True)

    def lesson_key(self, settings: BoltzmannLessonSettings) -> BoltzmannSettings:
        """What learning depends on; steps that anneal or show the same weights another way share their state."""
        return BoltzmannSettings(**{name: getattr(settings, name) for name in LEARNING_SETTINGS})

    def show_lesson_settings(self, settings: BoltzmannLessonSettings) -> None:
        """The step's run (made at once) and choices, on the weights a kept state brought back."""
        self.session.cancel_run(wait=True)
        self._show_choices(settings)
        self.session.apply_settings(_session_settings(settings), run_at_once=True)
        self.panel_controls.show_settings(self.session.settings, len(self.session.machine.data))

    def _show_choices(self, settings: BoltzmannLessonSettings) -> None:
        """The panel's choices, before the session draws (no drawing of their own)."""
        self.by_time_unit = settings.by_time_unit
        self.panel_controls.show_pacing(settings.by_time_unit)
        self.source = settings.source
        self.panel_controls.show_source(settings.source)

    def lesson_work_done(self, kind: str) -> int:
        return self.session.frame.cycle  # the frame on show: the GUI thread's, even while a worker learns

    def lesson_work_finished(self) -> None:
        self.session.show_learnt()

    # ---- the panel protocol -----------------------------------------------------------------------------

    def run_demo_steps(self, steps: int) -> None:
        """Learn up to ``steps`` cycles now (the demo stops once its codes are distinct) and show the new run's
        last probe, where the histogram holds every sample."""
        self.session.learn_cycles(max(steps, 0))
        self.playhead.seek(self.playhead.length - 1)

    def trace(self) -> object:
        return self.session.trace

    def start_work(self) -> None:
        self.session.start_learning()

    def stop_work(self) -> None:
        self.session.stop_learning()

    def shutdown(self) -> None:
        self.session.stop_learning()
        self.session.cancel_run(wait=True)
        super().shutdown()
