"""Hopfield lab: store patterns, corrupt them, and watch the energy descend to a memory.

The first tab shows recall as it runs: the grid of neurons (drawn on with the mouse), the energy falling
step by step and the overlap with every stored pattern. The other tabs show the weights and the capacity
experiment. ``HopfieldSession`` makes every engine call; the panel wires widgets to it, names what recall
found, and checks its own choices in a session file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from app.i18n import in_each_language, tr
from app.languages import QT_TR_NOOP
from app.panels.base import LabPanel
from app.sessions import hopfield as sessions
from app.sessions.hopfield import (
    MAX_FLIP_PERCENT,
    CapacityChoices,
    HopfieldLessonSettings,
    HopfieldSession,
    capacity_loads,
)
from app.sessions.settings import settings_from_json, settings_to_json
from app.sessions.state import choice, integer, refuse_unknown, value
from app.timeline import Phase
from app.views.hopfield.capacity import CapacityPlotView
from app.views.hopfield.controls import HopfieldControls
from app.views.hopfield.energy import EnergyPlotView
from app.views.hopfield.grid import TOOLS, NeuronGridView
from app.views.hopfield.images import character_picture, image_file_picture
from app.views.hopfield.overlaps import OverlapBarsView
from app.views.hopfield.weights import WeightHeatmapView
from engine.checks import check_memory
from engine.hopfield import MODES, ORDERS, Classification, capacity_experiment
from engine.hopfield.corrupt import MASK_FILLS, ink_to_states
from engine.patterns import glyphs

DEMO_TEXT, DEMO_START, DEMO_NOISE = "UNROL", 2, 0.25
SPEED_BY_UNIT, SPEED_BY_SWEEP = 60.0, 2.0

REASONS = {
    "fixed point": QT_TR_NOOP("fixed point"),
    "2-cycle": QT_TR_NOOP("2-cycle"),
    "max_sweeps": QT_TR_NOOP("the sweep limit"),
}


def describe_state(c: Classification | None, labels: list[str], m: np.ndarray, settled: bool) -> str:
    """The words for what ``classify`` found, with pattern names; m: (P,) overlaps, to name the nearest
    pattern of a state that is none of them yet (``settled`` is False until recall has stopped)."""
    if c is None:
        return "nothing stored to compare with"
    if c.kind in ("stored", "reversed"):
        kind = tr("stored") if c.kind == "stored" else tr("reversed")
        return f"{kind} {c.which} «{labels[c.which]}»"
    if c.kind == "mixture":
        return tr("mixture of") + " " + " ".join(f"{'+' if sign > 0 else '−'}{labels[k]}" for k, sign in c.which)
    if settled:
        return tr("spurious: a false memory")
    return tr("not a memory yet, nearest «{label}»").format(label=labels[int(np.argmax(m))])


def checked_choices(choices: object, n_patterns: int) -> dict:
    """The panel's own choices from a session file (see ``Panel.lab_state``), checked."""
    if not isinstance(choices, dict):
        raise ValueError("the Hopfield panel's choices must be a mapping")
    refuse_unknown(choices, ("by_sweep", "mode", "order", "text", "system_font", "noise_percent", "fill", "tool",
                             "pattern", "capacity"), "Hopfield panel's choices")  # fmt: skip
    out = {"by_sweep": value(choices, "by_sweep", bool, "by-sweep pacing"),
           "system_font": value(choices, "system_font", bool, "the system-font choice"),
           "mode": choice(choices, "mode", MODES, "the update mode"),
           "order": choice(choices, "order", ORDERS, "the visiting order"),
           "fill": choice(choices, "fill", MASK_FILLS, "the mask fill"),
           "tool": choice(choices, "tool", TOOLS, "the drawing tool"),
           "text": value(choices, "text", str, "the text to store"),
           "noise_percent": integer(choices, "noise_percent", 0, MAX_FLIP_PERCENT, "the share of units to flip"),
           "pattern": integer(choices, "pattern", -1, n_patterns - 1, "the chosen start pattern")}  # fmt: skip
    if len(out["text"]) > 1000:
        raise ValueError("the text to store is longer than 1000 characters")
    capacity = settings_from_json(CapacityChoices, choices.get("capacity"), "capacity experiment's choices")
    out["capacity"] = settings_to_json(capacity)
    return out


class Panel(LabPanel):
    lab = "hopfield"
    controls_width = (330, 360)
    presentation_controls_width = (440, 520)
    state_version = sessions.VERSION

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session = HopfieldSession(size=16, rule="pseudoinverse", parent=self)
        self.by_sweep = False
        self._whole_sweeps: bool | None = None  # what a playhead frame was last paced for
        self.frames = np.zeros(1, np.int64)
        self.grid, self.energy, self.overlaps = NeuronGridView(), EnergyPlotView(), OverlapBarsView()
        self.weights, self.capacity = WeightHeatmapView(), CapacityPlotView()
        self.add_view("recall", tr("Recall"), self._recall_tab())
        self.add_view("weights", tr("Weights"), self.weights)
        self.add_view("capacity", tr("Capacity"), self.capacity)
        self.panel_controls = HopfieldControls()
        self.controls_layout.addWidget(self.panel_controls)
        self._connect()
        self._load_demo()
        self.fit_controls()

    def _recall_tab(self) -> QSplitter:
        plots = QSplitter(Qt.Vertical)
        plots.addWidget(self.energy)
        plots.addWidget(self.overlaps)
        tab = QSplitter(Qt.Horizontal)
        tab.addWidget(self.grid)
        tab.addWidget(plots)
        tab.setSizes([560, 440])
        return tab

    def _connect(self) -> None:
        s, c = self.session, self.panel_controls
        s.memory_changed.connect(self._show_memory)
        s.trace_changed.connect(self._show_trace)
        s.capacity_progressed.connect(self.capacity.set_progress)
        s.capacity_finished.connect(self.capacity.show_result)
        s.capacity_failed.connect(
            lambda text: self.message.emit("error", tr("Capacity experiment failed: {reason}").format(reason=text))
        )
        s.capacity_job.running_changed.connect(self.capacity.set_running)
        self.timeline.moved.connect(lambda _, t: self.show_frame(t))
        self.grid.drawn.connect(lambda state: self._change(lambda: s.set_probe(state)))
        self.grid.rect_masked.connect(lambda *r: self._change(lambda: s.mask(*r, fill=c.fill.currentData())))
        self.capacity.run_requested.connect(self._run_capacity)
        self.capacity.cancel_requested.connect(self._cancel_capacity)
        c.resize_requested.connect(lambda n: self._act(lambda: s.resize(n)))
        c.tool_changed.connect(lambda tool: setattr(self.grid, "tool", tool))
        c.clear_drawing.connect(lambda: self._change(lambda: s.set_probe(-np.ones(s.n_units, np.int8))))
        c.rule_changed.connect(lambda rule: self._change(lambda: s.set_rule(rule)))
        c.store_drawing.connect(self.store_drawing)
        c.store_text.connect(self.store_text)
        c.clear_memory.connect(lambda: self._act(s.clear_memory))
        c.start_from.connect(lambda k: self._change(lambda: s.start_from_pattern(k)))
        c.flip_requested.connect(lambda f: self._change(lambda: s.flip(f)))
        c.mask_half_requested.connect(self.mask_bottom_half)
        c.recall_requested.connect(lambda: self._act(self.recall))
        c.granularity_changed.connect(self.set_by_sweep)

    def _load_demo(self) -> None:
        """Letters stored with the projection rule, one of them 25 % corrupted, its recall ready to play."""
        self.session.store(glyphs(DEMO_TEXT, self.session.size), list(DEMO_TEXT))
        self.panel_controls.rule.blockSignals(True)
        self.panel_controls.rule.setCurrentIndex(self.panel_controls.rule.findData(self.session.rule))
        self.panel_controls.rule.blockSignals(False)
        self.session.start_from_pattern(DEMO_START)
        self.panel_controls.pattern.setCurrentIndex(DEMO_START)
        self.session.flip(DEMO_NOISE)
        self.recall()

    # --- actions -----------------------------------------------------------------------------------

    def _act(self, action: Callable[[], object]) -> bool:
        """Run ``action``; a ValueError becomes an error message and the session stays as it was."""
        try:
            action()
        except ValueError as exc:
            self.message.emit("error", str(exc))
            self.show_frame(self.playhead.position)  # undo a stroke the session refused
            return False
        return True

    def _change(self, action: Callable[[], object]) -> None:
        """A change to the start state or the memory, followed by a fresh recall when there is a memory."""
        if self._act(action) and self.session.W is not None:
            self._act(self.recall)

    def recall(self) -> None:
        c = self.panel_controls
        self.session.recall(mode=c.mode.currentData(), order=c.order.currentData())

    def store_drawing(self) -> None:
        label = f"#{self.session.n_patterns}"
        self._change(lambda: self.session.store(self.grid.state, [label]))

    def store_text(self, text: str, system_font: bool) -> None:
        chars = [ch for ch in text if not ch.isspace()]
        if not chars:
            self.message.emit("error", tr("type one or more characters to store"))
            return
        side = self.session.size
        if system_font:
            patterns = np.array([ink_to_states(character_picture(ch, side)) for ch in chars])
            self._change(lambda: self.session.store(patterns, chars))
        else:
            self._change(lambda: self.session.store(glyphs("".join(chars), side), chars))

    def mask_bottom_half(self) -> None:
        n, fill = self.session.size, self.panel_controls.fill.currentData()
        self._change(lambda: self.session.mask(n // 2, 0, n, n, fill=fill))

    def set_by_sweep(self, by_sweep: bool) -> None:
        """Move the playhead a unit or a sweep at a time; the step on show is kept."""
        step = int(self.frames[self.playhead.position])
        self.by_sweep = by_sweep
        self.frames = self.session.frame_steps(by_sweep)
        self.timeline.set_phases(Phase("", len(self.frames)))
        self._pace_frames()
        self.playhead.seek(int(np.searchsorted(self.frames, step)))
        self.show_frame(self.playhead.position)

    def _pace_frames(self) -> None:
        """A brisk speed when a frame is one unit visit, a slow one when it is a whole sweep; set only when
        that changes, so a speed the user chose stays."""
        trace = self.session.trace
        whole_sweeps = self.by_sweep or (trace is not None and trace.mode == "sync")
        if whole_sweeps != self._whole_sweeps:
            self._whole_sweeps = whole_sweeps
            self.transport.speed.setValue(SPEED_BY_SWEEP if whole_sweeps else SPEED_BY_UNIT)

    # --- session files -----------------------------------------------------------------------------

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The session's state and the panel's own choices: pacing, recall, text and start-state controls."""
        state, arrays = self.session.save_state()
        choices = {"by_sweep": self.by_sweep, "tool": self.grid.tool, "capacity": self.capacity.choices()}
        state["panel"] = {**self.panel_controls.choices(), **choices}
        return state, arrays

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        refuse_unknown(state, (*sessions.SECTIONS, "panel"), "Hopfield session")
        memory = state.get("memory")
        labels = memory.get("labels") if isinstance(memory, dict) else None
        choices = checked_choices(state.get("panel"), len(labels) if isinstance(labels, list) else 0)
        self.session.restore_state({k: v for k, v in state.items() if k != "panel"}, arrays)
        self.panel_controls.show_choices(self.session.rule, choices)
        self.capacity.show_choices(choices["capacity"])
        self.grid.tool, self.by_sweep = choices["tool"], choices["by_sweep"]
        self._show_trace()
        result = self.session.capacity_result
        self.capacity.set_running(False)
        self.capacity.show_result(result) if result is not None else self.capacity.clear()
        if not self.session.recall_ends_as_saved:
            self.message.emit("info", tr("The saved recall was run again here and ends differently from the saved "
                                         "one (a tie broken the other way); this run is shown."))  # fmt: skip

    def migrate_state(self, state: dict, version: int) -> dict:
        """Version 1 (one flat dict) to version 2's sections."""
        if version != 1:
            return super().migrate_state(state, version)
        return sessions.migrate_v1(state)

    # --- showing the session -----------------------------------------------------------------------

    def _show_memory(self) -> None:
        s, c = self.session, self.panel_controls
        self.weights.set_weights(s.W, s.rule, s.n_patterns)
        self.overlaps.set_patterns(s.labels)
        self.energy.set_floors(s.pattern_energies(), s.labels)
        c.set_patterns(s.labels)
        c.size.setValue(s.size)
        c.memory_label.setText(
            tr(
                "{patterns} patterns stored in N = {units} units ({size}×{size}); load P/N = {load} "
                "(Hebb holds random patterns up to ≈ 0.138)"
            ).format(patterns=s.n_patterns, units=s.n_units, size=s.size, load=f"{s.n_patterns / s.n_units:.3f}")
        )

    def _show_trace(self) -> None:
        s = self.session
        self.frames = s.frame_steps(self.by_sweep)
        self._pace_frames()
        self.playhead.pause()
        self.timeline.set_phases(Phase("", len(self.frames)))
        self.playhead.seek(0)
        mode = "async" if s.trace is None else s.trace.mode
        self.energy.set_energies(s.energies(), mode)
        self.panel_controls.result.setText(self._result_text())
        self.show_frame(0)

    def _result_text(self) -> str:
        trace = self.session.trace
        if trace is None:
            return tr("No recall yet: store a pattern, then press Recall.") if self.session.W is None else ""
        s = self.session
        state, m = s.classify_at(trace.n_steps), s.overlaps_at(trace.n_steps)
        return in_each_language(
            lambda: tr("Stopped at a {reason} after {sweeps} sweeps ({steps} steps): {found}.").format(
                reason=tr(REASONS.get(trace.reason, trace.reason)), sweeps=trace.n_sweeps, steps=trace.n_steps,
                found=describe_state(state, s.labels, m, True))
        )  # fmt: skip

    def show_frame(self, position: int) -> None:
        """Grid, energy cursor and overlap bars at the step of playhead frame ``position``."""
        s = self.session
        position = min(position, len(self.frames) - 1)
        step = int(self.frames[position])
        previous = int(self.frames[position - 1]) if position > 0 else step
        m, settled = s.overlaps_at(step), s.trace is not None and step == s.n_steps
        self.grid.set_state(s.state_at(step), s.size)
        self.grid.set_changes(*s.changes_between(previous, step))
        state = s.classify_at(step)
        self.grid.set_title(in_each_language(
            lambda: tr("step {step}: {found}").format(step=step, found=describe_state(state, s.labels, m, settled))
        ))  # fmt: skip
        self.energy.set_step(step)
        self.overlaps.set_overlaps(m)

    def describe_position(self, position: int) -> str:
        session = getattr(self, "session", None)  # the transport bar asks before the session exists
        if session is None or session.trace is None:
            return tr("no recall yet")
        step = int(self.frames[min(position, len(self.frames) - 1)])
        sweep = int(np.searchsorted(session.trace.sweep_ends, step)) + 1 if step else 0
        if session.trace.mode == "sync":
            return tr("sweep {sweep}/{sweeps}").format(sweep=step, sweeps=session.n_steps)
        return tr("step {step}/{steps} · sweep {sweep}").format(
            step=step, steps=session.n_steps, sweep=min(sweep, session.trace.n_sweeps)
        )

    # --- capacity ----------------------------------------------------------------------------------

    def _run_capacity(self, N: int, trials: int, rule: str, noise: float) -> None:
        self._act(lambda: self.session.run_capacity(N, trials, rule, noise))

    def _cancel_capacity(self) -> None:
        self.session.cancel_capacity()
        self.message.emit("info", tr("Capacity experiment cancelled"))

    # --- lessons -----------------------------------------------------------------------------------

    lesson_settings = HopfieldLessonSettings
    lesson_work = ("capacity",)  # 1: the capacity experiment has run

    def current_lesson_settings(self) -> HopfieldLessonSettings:
        s, c, cap = self.session, self.panel_controls.choices(), self.capacity.choices()
        text = "".join(s.labels) if all(len(label) == 1 for label in s.labels) and s.labels else c["text"]
        return HopfieldLessonSettings(s.size, s.rule, text, max(0, c["pattern"]), c["noise_percent"], c["mode"],
                                      c["order"], self.by_sweep, cap["N"], cap["trials"], cap["rule"],
                                      float(cap["noise_percent"]))  # fmt: skip

    def start_lesson(self, settings: HopfieldLessonSettings, work: dict[str, int]) -> None:
        """Store the letters of ``settings.text``, start from one of them with its noise, and recall."""
        chars = [ch for ch in settings.text if not ch.isspace()]
        patterns = glyphs("".join(chars), settings.size) if chars else None
        if patterns is None or not settings.start < len(chars):
            raise ValueError(f"the lesson starts from letter {settings.start} of {settings.text!r}, which has none")
        s = self.session
        s.cancel_capacity(wait=True)
        s.capacity_result = None
        s.resize(settings.size)
        s.set_rule(settings.rule)
        s.store(patterns, chars)
        s.noise_seed = 0  # the same noise every time
        s.start_from_pattern(settings.start)
        s.flip(settings.noise_percent / 100)
        choices = {**self.panel_controls.choices(), "mode": settings.mode, "order": settings.order,
                   "text": settings.text, "noise_percent": settings.noise_percent, "pattern": settings.start,
                   "by_sweep": settings.by_sweep, "tool": self.grid.tool}  # fmt: skip
        self.panel_controls.show_choices(settings.rule, choices)
        self.capacity.show_choices(
            {
                "N": settings.capacity_N,
                "trials": settings.capacity_trials,
                "rule": settings.capacity_rule,
                "noise_percent": settings.capacity_noise_percent,
            }
        )
        self.capacity.clear()
        self.by_sweep = settings.by_sweep
        s.recall(mode=settings.mode, order=settings.order)

    def lesson_work_done(self, kind: str) -> int:
        return int(self.session.capacity_result is not None)

    def do_lesson_work(self, kind: str) -> None:
        a = self._capacity_asked
        self._capacity_found = capacity_experiment(
            a.capacity_N,
            capacity_loads(a.capacity_N),
            a.capacity_trials,
            a.capacity_rule,
            noise=a.capacity_noise_percent / 100,
        )

    def lesson_frame(self, kind: str) -> object:
        return getattr(self, "_capacity_found", None)

    def show_lesson_frame(self, kind: str, frame: object) -> None:
        if frame is not None:
            self.session.capacity_result = frame
            self.capacity.show_result(frame)

    def set_lesson_busy(self, busy: bool) -> None:
        super().set_lesson_busy(busy)
        if busy:  # what the worker runs, read here on the GUI thread (a step reached from a cached one)
            self._capacity_found = None
            self._capacity_asked = self.current_lesson_settings()

    # --- the panel protocol ------------------------------------------------------------------------

    def run_demo_steps(self, steps: int) -> None:
        """Show the demo's recall ``steps`` steps in (unit visits, or sweeps when animating by sweep)."""
        if self.session.trace is None:
            self._act(self.recall)
        self.playhead.seek(min(steps, self.playhead.length - 1))

    def open_file(self, path: str) -> None:
        """Store the patterns of a .npy file (P, N) or (N,) of 0/1 or ±1, or one picture, thresholded to the
        grid. A file of another square size starts a grid of that size. Raises ValueError, changing nothing."""
        name = Path(path).stem[:8]
        if Path(path).suffix.lower() == ".npy":
            patterns = self._patterns_from_npy(path)
            labels = [name] if len(patterns) == 1 else [f"{name}{k}" for k in range(len(patterns))]
            if patterns.shape[1] != self.session.n_units:
                self.session.replace_memory(patterns, labels)
                self.message.emit("info", f"the grid is now {self.session.size}×{self.session.size}")
                return
        else:
            patterns, labels = ink_to_states(image_file_picture(path, self.session.size))[None], [name]
        self.session.store(patterns, labels)
        self._act(self.recall)

    @staticmethod
    def _patterns_from_npy(path: str) -> np.ndarray:
        try:
            data = np.load(path, mmap_mode="r", allow_pickle=False)
        except Exception as exc:  # damaged header, truncated data, pickles: all one answer
            raise ValueError(f"not a readable NumPy .npy array ({type(exc).__name__}: {exc})") from None
        if data.ndim not in (1, 2) or data.size == 0:
            raise ValueError(f"expected patterns of shape (P, N) or (N,), non-empty; got shape {data.shape}")
        n = data.shape[-1]
        check_memory(n * n * 8, f"the weight matrix of {n} units")
        side = round(n**0.5)
        if side * side != n:
            raise ValueError(f"each pattern has {n} units, which is not a square grid (side × side)")
        return np.atleast_2d(np.asarray(data))

    def trace(self) -> object:
        if self.session.trace is None:
            raise ValueError(f"{self.title} has no recall to export yet")
        return self.session.trace

    def start_work(self) -> None:
        """A new noisy start, recalled (a recall is the Hopfield lab's work)."""
        self.session.flip(0.2)
        self.recall()

    def stop_work(self) -> None:
        pass  # a recall ends by itself

    def shutdown(self) -> None:
        super().shutdown()
        self.session.cancel_capacity(wait=True)
