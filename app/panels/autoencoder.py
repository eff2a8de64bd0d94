"""Deep autoencoder lab (Hinton & Salakhutdinov, Science 2006): pre-train a stack of RBMs with a linear code
layer, unroll it into an encoder and a decoder with tied weights, fine-tune by back-propagation, and compare with
PCA at the same code size. The playhead walks fine-tuning: the unrolled net, then each epoch."""

from __future__ import annotations

import numpy as np

from app.i18n import tr
from app.panels.base import LabPanel
from app.panels.images import OpensImages
from app.sessions.autoencoder import AEFrame, AESettings, AutoencoderSession
from app.sessions.state import refuse_unknown
from app.timeline import Phase
from app.views.autoencoder.codes import CodesView
from app.views.autoencoder.controls import AESettingsForm
from app.views.autoencoder.curves import AECurvesView
from app.views.autoencoder.reconstructions import ReconstructionsView
from app.views.forms import TrainingBox
from engine import image_sets

PRE, FINE = "pre-training", "fine-tuning"  # the playhead's phases


class Panel(OpensImages, LabPanel):
    lab = "autoencoder"
    state_version = 1

    def __init__(self, parent=None, settings: AESettings | None = None) -> None:
        super().__init__(parent)
        self.session = AutoencoderSession(settings, parent=self)
        self.codes_view = CodesView()
        self.reconstructions_view = ReconstructionsView()
        self.curves_view = AECurvesView()
        self.add_view("codes", tr("Codes"), self.codes_view)
        self.add_view("reconstructions", tr("Reconstructions"), self.reconstructions_view)
        self.add_view("curves", tr("Training curves"), self.curves_view)
        self.training_box = TrainingBox()
        self.training_box.epoch.setToolTip(tr("One epoch now: of pre-training, then of fine-tuning"))
        self.training_box.reset.setToolTip(tr("A fresh stack with random weights on the same data"))
        self.settings_form = AESettingsForm(self.session.settings, image_sets.has_sklearn_digits())
        for box in (self.training_box, self.settings_form):
            self.controls_layout.addWidget(box)
        self.controls_layout.addStretch(1)
        s = self.session
        s.rebuilt.connect(self._rebuilt)
        s.trained.connect(self._draw_frame)
        s.training_changed.connect(self.training_box.show_training)
        s.failed.connect(lambda text: self.message.emit("error", text))
        self.timeline.moved.connect(self._draw_moment)
        self.training_box.train.clicked.connect(self._train_clicked)
        self.training_box.epoch.clicked.connect(lambda: self._guarded(s.train_epochs, 1))
        self.training_box.reset.clicked.connect(lambda: self._guarded(s.reset))
        self.settings_form.applied.connect(self._apply_settings)
        self.settings_form.open_requested.connect(self._open_dialog)
        self._rebuilt()
        self.fit_controls()

    def _train_clicked(self, checked: bool) -> None:
        if not checked:
            self.session.stop_training()
        elif self.session.done:
            self.message.emit("info", tr("pre-training and fine-tuning are done; Reset or Apply starts again"))
        else:
            self.session.start_training()
        self.training_box.show_training(self.session.training)

    def _apply_settings(self, settings: AESettings) -> None:
        if self._guarded(self.session.apply_settings, settings):
            self.message.emit("info", tr("Autoencoder lab: layers {sizes}").format(
                sizes=" – ".join(map(str, self.session.built.sizes))))  # fmt: skip
        self.settings_form.set_settings(self.session.settings)

    # ---- drawing ----------------------------------------------------------------------------------------

    def _rebuilt(self) -> None:
        self.settings_form.set_settings(self.session.settings)
        self._draw_frame(self.session.frame)

    def _draw_frame(self, frame: AEFrame) -> None:
        s = self.session
        self.curves_view.show_frame(frame, s.pca_error, s.settings.code)
        self.training_box.status.setText(self._status(frame))
        phases = [Phase(PRE, max(1, frame.pre_done))] + ([Phase(FINE, len(frame.snapshots))] if frame.snapshots else [])
        if tuple(phases) != tuple(self.timeline.phases):
            at_end = self.playhead.position >= self.playhead.length - 1
            self.timeline.set_phases(*phases)
            if at_end:
                self.playhead.seek(self.playhead.length - 1)
        self._draw_moment(*self.timeline.moment())

    def _status(self, frame: AEFrame) -> str:
        b = self.session.built
        images, held, layers, linear = tr("training images"), tr("held out"), tr("layers"), tr("code layer linear")
        pre, fine = tr("pre-training"), tr("fine-tuning")
        lines = [f"{b.images.source} · {len(b.rows)} {images} · {len(b.held_out)} {held}",
                 f"{layers} {' – '.join(map(str, b.sizes))} · {linear}",
                 f"{pre} {frame.pre_done} / {frame.pre_total} · {fine} {frame.fine_epoch} / "
                 f"{self.session.settings.fine_epochs}"]  # fmt: skip
        return "\n".join(lines)

    def _moment_text(self, phase: str, t: int) -> str:
        if phase == PRE:
            return tr("pre-training epoch {epoch}: no autoencoder yet").format(epoch=t + 1)
        if t == 0:
            return tr("unrolled, before fine-tuning: decoder = encoder transposed")
        return tr("after fine-tuning epoch {epoch}").format(epoch=t)

    def _draw_moment(self, phase: str, t: int) -> None:
        s = self.session
        snapshot = t if phase == FINE and s.frame.snapshots else None
        trace = s.trace(snapshot)
        held_error = np.nan if snapshot is None else s.frame.snapshots[snapshot][2]
        caption = self._moment_text(phase, t)
        classes, note = s.built.images.classes, caption + " · " + tr("held-out images")
        self.codes_view.show_codes(trace.codes, trace.pca_codes, trace.labels, classes, note)
        self.reconstructions_view.show(trace.originals, trace.reconstructions, trace.pca_reconstructions,
                                       s.built.images.shape, (held_error, s.pca_error), caption)  # fmt: skip

    def describe_position(self, position: int) -> str:
        """Short, for the transport bar (the views' captions say it in full)."""
        phase, t = self.timeline.moment(position)
        if phase == PRE:
            moment = tr("pre-training {epoch}").format(epoch=t + 1)
        else:
            moment = tr("unrolled") if t == 0 else tr("fine-tuning {epoch}").format(epoch=t)
        return f"{moment} · {position + 1} / {self.playhead.length}"

    # ---- session files and the panel protocol -------------------------------------------------------------

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        return self.session.save_state()

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        refuse_unknown(state, ("settings", "work", "user"), "autoencoder session")
        self.session.restore_state(state, arrays)

    def run_demo_steps(self, steps: int) -> None:
        """``steps`` epochs now (pre-training first), then the playhead at the latest snapshot."""
        self.session.train_epochs(max(steps, 0))
        self.playhead.seek(self.playhead.length - 1)

    def trace(self) -> object:
        phase, t = self.timeline.moment()
        return self.session.trace(t if phase == FINE else None)

    def shutdown(self) -> None:
        self.session.stop_training()
        super().shutdown()
