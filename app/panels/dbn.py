"""Deep belief net lab: RBMs stacked greedily, layer by layer, with label units on the top one (Hinton, Osindero
& Teh 2006). Watch each layer's filters and error as it trains, dream from the top with a label clamped, and
classify by the label of lowest free energy. The playhead walks the dream's Gibbs steps."""

from __future__ import annotations

import numpy as np

from app.i18n import tr
from app.panels.base import LabPanel
from app.panels.images import OpensImages
from app.sessions.dbn import DBNFrame, DBNSession, DBNSettings, accuracy
from app.sessions.state import integer, refuse_unknown, value
from app.timeline import Phase
from app.views.dbn.classify import DBNClassifyView
from app.views.dbn.controls import DBNSettingsForm, DreamBox
from app.views.dbn.dream import DBNDreamView
from app.views.dbn.layers import DBNLayersView
from app.views.forms import TrainingBox
from engine import image_sets

DEMO_EPOCH_CAP = 60  # run_demo_steps(n) trains min(n, this) epochs


class Panel(OpensImages, LabPanel):
    lab = "dbn"
    state_version = 1

    def __init__(self, parent=None, settings: DBNSettings | None = None) -> None:
        super().__init__(parent)
        self.session = DBNSession(settings, parent=self)
        self.layers_view = DBNLayersView()
        self.dream_view = DBNDreamView()
        self.classify_view = DBNClassifyView()
        self.add_view("layers", tr("Layers"), self.layers_view)
        self.add_view("dream", tr("Dream"), self.dream_view)
        self.add_view("classify", tr("Classify"), self.classify_view)
        self.training_box = TrainingBox()
        self.training_box.epoch.setToolTip(tr("One epoch of the layer in training, now"))
        self.training_box.reset.setToolTip(tr("A fresh stack with random weights on the same data"))
        self.dream_box = DreamBox()
        self.settings_form = DBNSettingsForm(self.session.settings, image_sets.has_sklearn_digits())
        for box in (self.training_box, self.dream_box, self.settings_form):
            self.controls_layout.addWidget(box)
        self.controls_layout.addStretch(1)
        self._connect()
        self._rebuilt()
        self.fit_controls()

    def _connect(self) -> None:
        s = self.session
        s.rebuilt.connect(self._rebuilt)
        s.trained.connect(self._draw_frame)
        s.dream_changed.connect(self._dream_changed)
        s.training_changed.connect(self.training_box.show_training)
        s.failed.connect(lambda text: self.message.emit("error", text))
        self.timeline.moved.connect(lambda _, t: self._draw_dream(t))
        self.training_box.train.clicked.connect(self._train_clicked)
        self.training_box.epoch.clicked.connect(lambda: self._guarded(s.train_epochs, 1))
        self.training_box.reset.clicked.connect(lambda: self._guarded(s.reset))
        self.dream_box.dream.clicked.connect(self._dream)
        self.dream_box.layer.valueChanged.connect(lambda _: self._draw_frame(s.frame))
        self.dream_box.image.valueChanged.connect(lambda _: self._draw_classes(s.frame))
        self.settings_form.applied.connect(self._apply_settings)
        self.settings_form.open_requested.connect(self._open_dialog)

    def _train_clicked(self, checked: bool) -> None:
        if not checked:
            self.session.stop_training()
        elif self.session.stack.done:
            self.message.emit("info", tr("every layer is trained; Reset or Apply starts a new stack"))
        else:
            self.session.start_training()
        self.training_box.show_training(self.session.training)

    def _apply_settings(self, settings: DBNSettings) -> None:
        if self._guarded(self.session.apply_settings, settings):
            self.message.emit("info", tr("DBN lab: {source}, layers {layers}").format(
                source=self.session.built.images.source, layers=settings.layers))  # fmt: skip
        self.settings_form.set_settings(self.session.settings)

    def _dream(self) -> None:
        if self._guarded(self.session.run_dream, self.dream_box.label.currentData(), self.dream_box.steps.value()):
            self.playhead.play()

    def opened(self) -> None:
        self.message.emit("info", tr("DBN lab: training on {source}").format(source=self.session.built.images.source))

    # ---- drawing ----------------------------------------------------------------------------------------

    def _rebuilt(self) -> None:
        s = self.session
        self.settings_form.set_settings(s.settings)
        self.dream_box.set_classes(s.classes, s.dream_label)
        self.dream_box.layer.setMaximum(len(s.stack.sizes))
        self.dream_box.image.setMaximum(max(0, len(s.built.held_out) - 1))
        self.fit_controls()
        self._draw_frame(s.frame)

    def _draw_frame(self, frame: DBNFrame) -> None:
        s = self.session
        self.layers_view.show_frame(frame, s.image_shape, self.dream_box.layer.value() - 1)
        self._draw_classes(frame)
        self.training_box.status.setText(self._status(frame))

    def _draw_classes(self, frame: DBNFrame) -> None:
        b = self.session.built
        if frame.predictions is None:
            reason = (tr("no labels: these images have no classes") if b.labels is None else
                      tr("classification starts when the top layer, with its label units, trains"))  # fmt: skip
            self.classify_view.show_none(reason)
            return
        self.classify_view.show(frame.predictions, frame.energies, b.held_out_labels, b.held_out,
                                self.session.image_shape, b.images.classes, self.dream_box.image.value())  # fmt: skip

    def _status(self, frame: DBNFrame) -> str:
        s, b = self.session, self.session.built
        sizes = " – ".join(str(n) for n in [b.rows.shape[1], *s.stack.sizes])
        # values stand once, beside labels in the user's language(s), as in the RBM lab
        images, layers, layer, epoch = tr("training images"), tr("layers"), tr("layer"), tr("epoch")
        labels = f" + {len(s.classes)} " + tr("labels") if s.classes else ""
        lines = [f"{b.images.source} · {len(b.rows)} {images}", f"{layers} {sizes}{labels}",
                 f"{layer} {frame.layer + 1} / {len(s.stack.sizes)} · {epoch} {frame.epochs_done} / "
                 f"{frame.total_epochs}"]  # fmt: skip
        if frame.errors and len(frame.errors[-1]):
            lines[-1] += " · " + tr("reconstruction error") + f" {frame.errors[-1][-1]:.4f}"
        acc = accuracy(frame.predictions, b.held_out_labels)
        if np.isfinite(acc):
            lines.append(tr("held-out accuracy") + f" {acc:.1%}")
        return "\n".join(lines)

    def _dream_changed(self) -> None:
        self.playhead.pause()
        self.timeline.set_phases(Phase("", len(self.session.dream.images)))
        self.playhead.seek(0)
        self._draw_dream(0)

    def _draw_dream(self, position: int) -> None:
        s = self.session
        steps = len(s.dream.images) - 1
        self.dream_view.show_step(s.dream_images(position), s.image_shape, min(position, steps), steps,
                                  s.dream.labels, s.built.images.classes)  # fmt: skip

    def describe_position(self, position: int) -> str:
        return tr("Gibbs step") + f" {position} · {position + 1} / {self.playhead.length}"

    # ---- session files and the panel protocol -------------------------------------------------------------

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, arrays = self.session.save_state()
        state["panel"] = {"layer": self.dream_box.layer.value(), "image": self.dream_box.image.value()}
        return state, arrays

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        panel = value(state, "panel", dict, "the DBN panel's choices")
        refuse_unknown(panel, ("layer", "image"), "DBN panel's choices")
        layer, image = integer(panel, "layer", 1, 6, "the layer shown"), integer(panel, "image", 0, 10**6, "the image")
        self.session.restore_state({k: v for k, v in state.items() if k != "panel"}, arrays)
        self.dream_box.layer.setValue(layer)
        self.dream_box.image.setValue(image)

    def run_demo_steps(self, steps: int) -> None:
        """Train min(steps, DEMO_EPOCH_CAP) epochs now, dream, and show the dream half-way."""
        self.session.train_epochs(min(max(steps, 0), DEMO_EPOCH_CAP))
        self.session.run_dream()
        self.playhead.seek(self.playhead.length // 2)

    def trace(self) -> object:
        if self.session.dream is None:
            raise ValueError(f"{self.title} has no dream to export yet")
        return self.session.dream

    def shutdown(self) -> None:
        self.session.stop_training()
        super().shutdown()
