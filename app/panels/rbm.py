"""RBM lab: Gibbs sampling and contrastive divergence, seen step by step.

The playhead walks the current Gibbs chain by half-steps (v₀, h₀, v₁, h₁, ...); training runs in a worker
thread and the views redraw from each frame it hands over, at the runner's steady rate.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout

from app.i18n import tr
from app.panels.base import LabPanel
from app.panels.images import OpensImages
from app.sessions import rbm_state
from app.sessions.rbm import DEFAULT_CLAMP, RBMSession, RBMSettings, TrainingFrame
from app.sessions.rbm_likelihood import LikelihoodEstimate
from app.sessions.state import choice, refuse_unknown, value
from app.timeline import Phase
from app.views.forms import TrainingBox
from app.views.rbm.chain import RBMChainView
from app.views.rbm.controls import ChainBox, RBMSettingsForm
from app.views.rbm.curves import RBMCurvesView
from app.views.rbm.filters import RBMFiltersView
from app.views.rbm.gallery import RBMGalleryView
from engine.rbm import data
from engine.rbm.data import CLAMP_REGIONS

DEMO_EPOCH_CAP = 300  # run_demo_steps(n) trains min(2 n, this) epochs: 150 steps give a well-trained demo


class LikelihoodBox(QGroupBox):
    """Where the exact log-likelihood is out of reach: a button that estimates it by AIS, and the estimate."""

    IDLE_TEXT = QT_TR_NOOP("Estimate log-likelihood (AIS)")

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Log-likelihood"), parent)
        self.estimate = QPushButton(tr(self.IDLE_TEXT))
        self.estimate.setToolTip(
            tr(
                "Annealed importance sampling (Salakhutdinov & Murray 2008) on a copy of the model: the mean log p(v) "
                "of the training patterns in nats, ± 3 standard errors of the chains' mean weight. Training goes on."
            )
        )
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.estimate)
        layout.addWidget(self.result)
        self.clear()

    def clear(self) -> None:
        self.result.setText(tr("not estimated yet"))

    def show_running(self, running: bool) -> None:
        self.estimate.setEnabled(not running)
        self.estimate.setText(tr("Estimating…") if running else tr(self.IDLE_TEXT))

    def show_progress(self, done: int, total: int) -> None:
        self.estimate.setText(f"{tr('Estimating…')} {100 * done // total}%")

    def show_estimate(self, result: LikelihoodEstimate) -> None:
        e = result.estimate
        decimals = 1 if e.margin >= 0.1 else 2
        number = f"{e.value:.{decimals}f}".replace("-", "−")
        if math.isinf(e.high):  # the chains' weights too uneven to bound log Z from below
            spread = f"−{e.value - e.low:.{decimals}f} / +∞"
        else:
            spread = f"± {e.margin:.{decimals}f}"
        self.result.setText(tr("log-likelihood ≈ {value} {spread} (AIS, {chains} chains; epoch {epoch})").format(
            value=number, spread=spread, chains=e.n_chains, epoch=result.epoch))  # fmt: skip


class Panel(OpensImages, LabPanel):
    lab = "rbm"
    state_version = rbm_state.VERSION

    def __init__(self, parent=None, settings: RBMSettings | None = None) -> None:
        super().__init__(parent)
        self.session = RBMSession(settings, parent=self)
        self.chain_view = RBMChainView()
        self.filters_view = RBMFiltersView()
        self.curves_view = RBMCurvesView()
        self.gallery_view = RBMGalleryView()
        self.add_view("chain", tr("Gibbs chain"), self.chain_view)
        self.add_view("filters", tr("Weight filters"), self.filters_view)
        self.add_view("curves", tr("Training curves"), self.curves_view)
        self.add_view("gallery", tr("Samples"), self.gallery_view)
        self.settings_form = RBMSettingsForm(self.session.settings)
        self.training_box = TrainingBox()
        self.chain_box = ChainBox()
        self.likelihood_box = LikelihoodBox()
        for box in (self.training_box, self.likelihood_box, self.chain_box, self.settings_form):
            self.controls_layout.addWidget(box)
        self.controls_layout.addStretch(1)
        self._connect()
        self._data_changed()
        self._draw_frame(self.session.frame)
        self._trace_changed()
        self.fit_controls()

    def _connect(self) -> None:
        s = self.session
        s.rebuilt.connect(self._data_changed)
        s.trained.connect(self._draw_frame)
        s.trace_changed.connect(self._trace_changed)
        s.training_changed.connect(self._training_changed)
        s.failed.connect(lambda text: self.message.emit("error", text))
        s.likelihood.running_changed.connect(self.likelihood_box.show_running)
        s.likelihood.progressed.connect(self.likelihood_box.show_progress)
        s.likelihood.done.connect(self.likelihood_box.show_estimate)
        failed = tr("the log-likelihood estimate failed: {reason}")
        s.likelihood.failed.connect(lambda text: self.message.emit("error", failed.format(reason=text)))
        self.likelihood_box.estimate.clicked.connect(lambda: self._guarded(s.estimate_likelihood))
        self.timeline.moved.connect(lambda _, t: self._draw_chain(t))
        self.chain_view.unit_clicked.connect(self._toggle_unit)
        self.training_box.train.clicked.connect(self._train_clicked)
        self.training_box.epoch.clicked.connect(lambda: self._guarded(self.train_and_sample, 1))
        self.training_box.reset.clicked.connect(lambda: self._guarded(s.reset))
        self.chain_box.run.clicked.connect(self._run_chain)
        self.chain_box.clamp.currentIndexChanged.connect(self._clamp_chosen)
        self.settings_form.applied.connect(self._apply_settings)
        self.settings_form.open_requested.connect(self._open_dialog)
        self.settings_form.open_folder_requested.connect(self._open_folder_dialog)

    # ---- actions ----------------------------------------------------------------------------------------

    def _apply_settings(self, settings: RBMSettings) -> None:
        if self._guarded(self.session.apply_settings, settings):
            self.message.emit("info", tr("RBM lab: {source}, {n} hidden units").format(
                source=self.session.source_title(), n=settings.n_hidden))  # fmt: skip
        self.settings_form.set_settings(self.session.settings)

    def _train_clicked(self, checked: bool) -> None:
        self.session.start_training() if checked else self.session.stop_training()

    def train_and_sample(self, epochs: int) -> None:
        """Train ``epochs`` epochs synchronously, then run the chain again on the new weights."""
        self.session.train_epochs(epochs)
        self.session.run_chain()

    def _run_chain(self) -> None:
        box = self.chain_box
        if self._guarded(self.session.run_chain, box.pattern.value(), box.steps.value(), box.noise.isChecked()):
            self.playhead.play()

    def _clamp_chosen(self) -> None:
        region = self.chain_box.clamp.currentData()
        if region != "drawn":
            self.session.clamp_region(region)
            self._run_chain()

    def _toggle_unit(self, unit: int) -> None:
        self.session.toggle_clamped(unit)
        self._show_clamp_choice("drawn")
        self.session.run_chain()

    def _show_clamp_choice(self, region: str) -> None:
        self.chain_box.clamp.blockSignals(True)
        self.chain_box.clamp.setCurrentIndex(self.chain_box.clamp.findData(region))
        self.chain_box.clamp.blockSignals(False)

    def opened(self) -> None:
        self.message.emit("info", tr("RBM lab: training on {source}").format(source=self.session.source_title()))

    # ---- drawing ----------------------------------------------------------------------------------------

    def _data_changed(self) -> None:
        s = self.session
        self.gallery_view.show_data(s.rows, s.image_shape)
        self.chain_box.pattern.setMaximum(len(s.rows) - 1)
        self.chain_box.pattern.setValue(s.chain_pattern)
        self._show_clamp_choice(DEFAULT_CLAMP)
        self.settings_form.set_settings(s.settings)
        self.likelihood_box.setVisible(data.likelihood_problem(s.n_visible, s.model.n_hidden) is not None)
        self.likelihood_box.clear()
        self.fit_controls()
        self._draw_frame(s.frame)

    def _draw_frame(self, frame: TrainingFrame) -> None:
        shape = self.session.image_shape
        self.filters_view.show_frame(frame, shape)
        self.curves_view.show_frame(frame)
        self.gallery_view.show_frame(frame, shape)
        self.training_box.status.setText(self._status(frame))

    def _status(self, frame: TrainingFrame) -> str:
        s, h = self.session, frame.history
        # values stand once, beside labels in the user's language(s): a sentence in both languages would say
        # every number twice
        patterns, visible, hidden, epoch = tr("training patterns"), tr("visible units"), tr("hidden units"), tr("epoch")
        sizes = f"{len(s.rows)} {patterns} · {s.n_visible} {visible} × {frame.model.n_hidden} {hidden}"
        lines = [f"{s.source_title()} · {sizes}", f"{epoch} {frame.epoch}"]
        if h.epochs:
            lines[-1] += " · " + tr("reconstruction error") + f" {h.reconstruction_error[-1]:.4f}"
        problem = data.likelihood_problem(s.n_visible, frame.model.n_hidden)
        lines.append(problem or tr("exact log-likelihood: tracked (small model)"))
        return "\n".join(lines)

    def _training_changed(self, running: bool) -> None:
        self.training_box.show_training(running)

    def _trace_changed(self) -> None:
        self.playhead.pause()
        self.timeline.set_phases(Phase("", self.session.chain_length))
        self.playhead.seek(0)
        self._draw_chain(0)

    def _chain_geometry(self) -> tuple[tuple[int, int], int]:
        return self.session.image_shape, len(self.session.trace.visible) - 1

    def _draw_chain(self, position: int) -> None:
        self.chain_view.show_state(self.session.chain_state(position), *self._chain_geometry())

    def describe_position(self, position: int) -> str:
        t, odd = divmod(position, 2)
        layer = f"h{t} ~ p(h | v{t})" if odd else (f"v{t} ~ p(v | h{t - 1})" if t else tr("v0 start"))
        return f"{layer} · {position + 1} / {self.playhead.length}"

    # ---- session files ----------------------------------------------------------------------------------

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """The session's sections and the panel's: which clamp the chain box shows (a region, or "drawn")."""
        state, arrays = self.session.save_state()
        state["panel"] = {"clamp_choice": self.chain_box.clamp.currentData()}
        return state, arrays

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        refuse_unknown(state, (*rbm_state.SECTIONS, "panel"), "RBM session")
        panel = value(state, "panel", dict, "the RBM panel's choices")
        refuse_unknown(panel, ("clamp_choice",), "RBM panel's choices")
        clamp_choice = choice(panel, "clamp_choice", (*CLAMP_REGIONS, "drawn"), "the clamp choice")
        self.session.restore_state({k: v for k, v in state.items() if k != "panel"}, arrays)
        self._show_clamp_choice(clamp_choice)
        self.chain_box.steps.setValue(self.session.chain_steps)
        self.chain_box.noise.setChecked(self.session.chain_noise)

    def migrate_state(self, state: dict, version: int) -> dict:
        """Version 1 (one flat dict, no momentum or persistent chains saved) to version 2's sections."""
        if version != 1:
            return super().migrate_state(state, version)
        return rbm_state.migrate_v1(state)

    # ---- lessons ----------------------------------------------------------------------------------------------

    lesson_settings = RBMSettings
    lesson_work = ("train",)  # epochs

    def current_lesson_settings(self) -> RBMSettings:
        return self.session.settings

    def start_lesson(self, settings: RBMSettings, work: dict[str, int]) -> None:
        s = self.session
        s.stop_training()
        s.chain_pattern, s.chain_steps, s.chain_noise = 0, 20, True
        s.apply_settings(settings)
        s.reset()  # a fresh model from the seed even where the settings kept the old one
        self.settings_form.set_settings(settings)

    def lesson_work_done(self, kind: str) -> int:
        return self.session.trainer.epoch

    def do_lesson_work(self, kind: str) -> None:
        self.session.trainer.train(1)

    def lesson_frame(self, kind: str) -> object:
        self.session.restart_gallery()  # the samples depend on the epoch alone, not on how many frames were made
        return self.session._make_frame()

    def show_lesson_frame(self, kind: str, frame: object) -> None:
        self.session._receive(frame)

    def lesson_work_finished(self) -> None:
        self.session.run_chain()

    # ---- the panel protocol -----------------------------------------------------------------------------

    def run_demo_steps(self, steps: int) -> None:
        """Train min(2 steps, DEMO_EPOCH_CAP) epochs now and show a fresh pattern-completion chain half-way."""
        self.train_and_sample(min(2 * max(steps, 0), DEMO_EPOCH_CAP))
        self.playhead.seek(self.playhead.length // 2)

    def trace(self) -> object:
        if self.session.trace is None:
            raise ValueError(f"{self.title} has no Gibbs chain to export yet")
        return self.session.trace

    def shutdown(self) -> None:
        self.session.stop_training()
        self.session.likelihood.cancel(wait=True)
        super().shutdown()
