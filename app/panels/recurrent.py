"""The recurrent explorer: an RNN, LSTM or GRU computing and learning, step by step, forward and back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QLabel, QPushButton

from app.i18n import tr
from app.panels.base import LabPanel
from app.panels.recurrent_controls import RecurrentControls
from app.sessions.comparison import DEFAULT_CELLS, ComparisonSession, Networks, default_networks, fresh_networks
from app.sessions.memory_length import MemoryLengthDemo
from app.sessions.recurrent import DemoSequence, RecurrentSession, RecurrentSettings
from app.sessions.state import prefixed, refuse_unknown, value, with_prefix
from app.timeline import Phase
from app.views.recurrent.comparison import CompareView
from app.views.recurrent.delay_cell import CellTab
from app.views.recurrent.gate_heatmaps import GateHeatmapView
from app.views.recurrent.gradients import GradientView
from app.views.recurrent.memory_length import MemoryLengthView
from app.views.recurrent.recurrent_view import RecurrentView
from app.views.recurrent.states import StateView
from app.views.recurrent.training_curves import TrainingView
from app.views.recurrent.unrolled_graph import UnrolledGraphView
from engine import io
from engine.recurrent.classifier import PARTS
from engine.recurrent.parts import part_of


class Panel(LabPanel):
    lab = "recurrent"
    presentation_controls_width = (440, 560)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session = RecurrentSession(parent=self)
        self.session.message.connect(self.message)
        self._fit_timeline(self.session.snapshot)
        self.comparison: ComparisonSession | None = None  # made when the Compare view is first shown
        self.compare_view: CompareView | None = None
        self.memory: MemoryLengthDemo | None = None  # made when the Memory length view is first shown
        self._views: list[RecurrentView] = []  # those built so far
        self._add_views()
        self.controls_panel = RecurrentControls(self.session, self.timeline)
        self.controls_layout.addWidget(self.controls_panel)
        self.forward_button = QPushButton("▶ " + tr("forward sweep"))
        self.forward_button.setToolTip(tr("Jump to the start of the forward sweep (compute h_t step by step)"))
        self.forward_button.clicked.connect(lambda: self.timeline.seek("forward", 0))
        self.backward_button = QPushButton("◀ " + tr("backward sweep"))
        self.backward_button.setToolTip(tr("Jump to the start of the backward sweep (gradients flow back in time)"))
        self.backward_button.clicked.connect(lambda: self.timeline.seek("backward", self.session.steps - 1))
        self.transport.add_widget(self.forward_button)
        self.transport.add_widget(self.backward_button)
        self.status = QLabel()
        self.status.setWordWrap(True)  # a long title or hint must not widen the controls column
        self.controls_layout.insertWidget(0, self.status)
        self.session.snapshot_changed.connect(self._on_snapshot)
        self._on_snapshot(self.session.snapshot)
        self.transport.refresh()
        self.fit_controls()

    def _add_views(self) -> None:
        for name, label, view in [("graph", tr("Unrolled"), UnrolledGraphView), ("cell", tr("Cell"), CellTab),
                                  ("gates", tr("Gates"), GateHeatmapView), ("states", tr("States"), StateView),
                                  ("gradients", tr("Gradients"), GradientView),
                                  ("training", tr("Training"), TrainingView)]:  # fmt: skip
            self.add_view(name, label, lambda view=view: self._fed(view(self.timeline)))
        self.add_view("compare", tr("Compare"), self._compare_view)
        self.add_view("memory", tr("Memory length"), self._memory_view)

    def _fed(self, view: RecurrentView | CellTab) -> RecurrentView | CellTab:
        """A new view, given the latest snapshot and every one after."""
        self._views.append(view)
        view.set_snapshot(self.session.snapshot)
        return view

    def describe_position(self, position: int) -> str:
        phase, t = self.timeline.moment(position)
        arrow = tr("forward") + " →" if phase == "forward" else "← " + tr("backward")
        return f"{arrow}  t = {t} / {self.session.steps - 1}"

    def _fit_timeline(self, snapshot) -> None:
        """The forward sweep and then the backward sweep over the demo's T steps; a unit of any layer to select."""
        T, spec = len(snapshot.demo.labels), snapshot.spec
        self.timeline.set_phases(Phase("forward", T), Phase("backward", T, reverse=True))
        self.timeline.set_extent(spec.num_layers * spec.directions, spec.hidden_size)

    def _on_snapshot(self, snapshot) -> None:
        self._fit_timeline(snapshot)
        for view in self._views:
            view.set_snapshot(snapshot)
        self.transport.refresh()  # the position in words, and the bar measured for it
        loss = snapshot.inspection.loss
        hint = tr("▶ or Space plays the forward and backward sweeps; <b>Train</b> makes it learn")
        text = (f"<b>{tr(snapshot.task.title)}</b><br><span style='color:#555'>{hint}</span><br>"
                + tr("training step {step}").format(step=snapshot.training_step))  # fmt: skip
        if len(snapshot.history["loss"]):
            text += " · " + tr("batch loss {loss}").format(loss=f"{snapshot.history['loss'][-1]:.4f}")
        if loss is not None:
            text += "<br>" + tr("this sequence: loss {loss}").format(loss=f"{loss.loss:.4f}")
            closed = getattr(snapshot.inspection, "closed_loop_loss", None)
            if closed is not None:  # a teacher-forced NARX: what its own outputs fed back would do
                text += " " + tr("teacher-forced; {loss} closed-loop").format(loss=f"{closed:.4f}")
        self.status.setText(text)

    def run_demo_steps(self, steps: int) -> None:
        self.session.train_steps(steps)
        self.playhead.seek(self.session.steps + self.session.steps // 3)

    def trace(self) -> object:
        return self.session.snapshot.inspection

    def shutdown(self) -> None:
        super().shutdown()
        self.session.stop_training()
        if self.comparison is not None:
            self.comparison.stop_training()
        if self.memory is not None:
            self.memory.stop(wait=True)

    def _memory_view(self) -> MemoryLengthView:
        self.memory = MemoryLengthDemo(self)
        self.memory.message.connect(self.message)
        return MemoryLengthView(self.memory)

    # ------------------------------------------------------------------ the Compare view's networks

    def _compare_view(self) -> CompareView:
        """Built the first time it is shown; so are its networks (from the main settings), unless a session file
        brought some."""
        self.compare_view = view = CompareView()
        view.setup_requested.connect(self.setup_comparison)
        view.training_toggled.connect(lambda on: self.comparison.start_training() if on else
                                      self.comparison.stop_training())  # fmt: skip
        if self.comparison is None:
            self._take_networks(default_networks(self.session.settings))
        else:
            self._show_comparison()
        return view

    def setup_comparison(self, cells: list[str]) -> None:
        """New networks of ``cells``, all else from the main settings."""
        s = self.session
        try:
            networks = fresh_networks(s.settings, s.task, s.text, cells)
        except ValueError as exc:  # e.g. a TDNN window longer than the task's sequences: the old networks stay
            self.message.emit("error", tr("Comparison refused: {reason}").format(reason=exc))
            return
        self._take_networks(networks)

    def _take_networks(self, networks: Networks) -> None:
        if self.comparison is None:
            self.comparison = ComparisonSession(networks, parent=self)
            self.comparison.message.connect(self.message)
            self.comparison.snapshot_changed.connect(self._show_comparison)
            self.comparison.training_changed.connect(self._show_comparison_training)
        else:
            self.comparison.setup(networks)
        self._show_comparison()

    def _show_comparison(self, *_) -> None:
        if self.compare_view is not None and self.comparison is not None:
            self.compare_view.show_cells(self.comparison.cells)
            self.compare_view.show_snapshot(self.comparison.snapshot)

    def _show_comparison_training(self, on: bool) -> None:
        if self.compare_view is not None:
            self.compare_view.show_training(on)

    # ------------------------------------------------------------------ lessons

    lesson_settings = RecurrentSettings
    lesson_work = ("train", "compare")  # steps of the main network; steps of the Compare view's networks

    def current_lesson_settings(self) -> RecurrentSettings:
        return self.session.settings

    def start_lesson(self, settings: RecurrentSettings, work: dict[str, int]) -> None:
        self.session.stop_training()
        self.session.apply_settings(settings)
        self.controls_panel.show_settings(settings)
        self.setup_comparison(list(DEFAULT_CELLS))  # the Compare view's networks from the step's settings too: built
        # by the view on first showing, they took its own default task (the adding problem at T = 50), and lesson 2's
        # first step showed T = 50 beside a text about T = 100

    def lesson_work_done(self, kind: str) -> int:
        if kind == "compare":
            return self.comparison.trainers[0].steps if self.comparison is not None else 0
        return self.session.trainer.steps

    def do_lesson_work(self, kind: str) -> None:
        self.comparison._train_once() if kind == "compare" else self.session._train_once()

    def lesson_frame(self, kind: str) -> object:
        if kind == "compare":
            return self.comparison._snapshot()
        return self.session._snapshot(self.session._inspect())

    def show_lesson_frame(self, kind: str, frame: object) -> None:
        self.comparison._publish(frame) if kind == "compare" else self.session._publish_snapshot(frame)

    def restore_lesson_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        super().restore_lesson_state(state, arrays)
        if state.get("comparison") is None and self.comparison is not None:
            self.setup_comparison(list(DEFAULT_CELLS))  # a step before the comparison trained

    # ------------------------------------------------------------------ files

    state_version = 2  # 1: text, rng, trace_step and selection beside the sections

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The session's sections (``RecurrentSession.save_state``), "panel" (what is selected) and "comparison"
        (the Compare view's networks, None until it was shown; their arrays under comparison/)."""
        state, arrays = self.session.save_state()
        state["panel"] = {"selection": [self.timeline.layer, self.timeline.unit]}
        state["comparison"] = None
        if self.comparison is not None:
            state["comparison"], compared = self.comparison.save_state()
            arrays.update(with_prefix("comparison/", compared))
        return state, arrays

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        selection = self._selection_from(value(state, "panel", dict, "the panel section"))
        networks = None
        if state.get("comparison") is not None:  # checked before anything changes
            networks = ComparisonSession.networks_from(state["comparison"], prefixed(arrays, "comparison/"))
        self.session.restore_state({k: v for k, v in state.items() if k not in ("panel", "comparison")},
                                   {k: v for k, v in arrays.items() if not k.startswith("comparison/")})  # fmt: skip
        self.controls_panel.show_settings(self.session.settings)
        self.timeline.select(*selection)
        if networks is not None:
            self._take_networks(networks)

    @staticmethod
    def _selection_from(panel: dict) -> tuple[int, int]:
        refuse_unknown(panel, ("selection",), "panel section")
        selection = panel.get("selection", [0, 0])
        if not (isinstance(selection, list) and len(selection) == 2 and all(type(v) is int for v in selection)):
            raise ValueError(f"the selection must be [layer, unit], not {selection!r}")
        return selection[0], selection[1]  # the timeline keeps them within the network

    def migrate_state(self, state: dict, version: int) -> dict:
        """Version 1 (files written before sections): the selection becomes the "panel" section, the task's text
        and generator the "task" section, trace_step the "trace" section."""
        if version != 1:
            return super().migrate_state(state, version)
        state = dict(state)
        selection = state.pop("selection", None)
        if not (isinstance(selection, list) and len(selection) == 2 and all(type(v) is int for v in selection)):
            selection = [0, 0]  # version 1 read a damaged selection as none
        comparison = state.pop("comparison", None)
        return {**RecurrentSession.migrate_v1(state), "panel": {"selection": selection}, "comparison": comparison}

    def open_file(self, path: str) -> None:
        """Text trains a character model on it; .safetensors, or .npz with parameter names, loads weights;
        else a sequence."""
        suffix = Path(path).suffix.lower()
        if suffix == ".txt":
            text = io.read_text(path)
            self.session.apply_settings(self.session.with_settings(task="text"), text=text)
            self.controls_panel.show_settings(self.session.settings)
            return
        if suffix == ".safetensors":
            self._load_weights(Path(path).name, io.load_weights(path))
            return
        if suffix == ".npz":
            arrays = io.load_arrays(path)
            if any(name.startswith(("weight_ih_l", "weight_l", "weight_x")) for name in arrays):  # RNN, TDNN/AR, NARX
                self._load_weights(Path(path).name, arrays)
                return
        self._load_sequence(path)

    def _load_weights(self, name: str, arrays: dict[str, np.ndarray]) -> None:
        """Weights under PyTorch's names (a bare nn.LSTM's state_dict has no output layer: the lab's is kept),
        in the lab's precision; engine.io checks names, shapes and values."""
        params = self.session.trainer.params
        head = [key for key in params if part_of(key, PARTS) == "head"]
        self.session.load_parameters(io.weights_for(params, arrays, name, optional=head))

    def _load_sequence(self, path: str) -> None:
        seq = io.read_sequence(path)
        spec = self.session.spec
        if seq.x.shape[1] != spec.input_size:
            raise ValueError(f"{Path(path).name} has {seq.x.shape[1]} features per step, but the network takes "
                             f"{spec.input_size}")  # fmt: skip
        dtype = self.session.trainer.params[next(iter(self.session.trainer.params))].dtype
        targets = seq.targets if self.session.task.mode == "per_step" else None
        demo = DemoSequence(seq.x[:, None, :].astype(dtype), None if targets is None else targets[:, None],
                            np.array([seq.x.shape[0]]), seq.labels, Path(path).name)  # fmt: skip
        self.session.set_demo(demo)
