"""The deep-belief-net lab's control column: data and stack settings, the layer on show, dreams, the held-out
image to classify (the train / pause box is ``app.views.forms.TrainingBox``)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QGroupBox, QLineEdit, QPushButton, QSpinBox

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.sessions.dbn import DATASETS, MAX_DREAM_STEPS, DBNSettings
from app.sessions.settings import limits
from app.views.forms import form_layout, narrow

DATASET_LABELS = {"digits": QT_TR_NOOP("digits in six faces"), "bars": QT_TR_NOOP("bars & stripes"),
                  "sklearn": QT_TR_NOOP("scikit-learn 8×8 digits"), "file": QT_TR_NOOP("my images")}  # fmt: skip


def _spin(name: str, tip: str = "") -> QSpinBox:
    low, high = limits(DBNSettings, name)
    box = QSpinBox(minimum=low, maximum=high, value=getattr(DBNSettings, name))
    box.setToolTip(tip)
    return box


def _real(name: str, step: float, decimals: int, tip: str = "") -> QDoubleSpinBox:
    low, high = limits(DBNSettings, name)
    box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals,
                         value=getattr(DBNSettings, name))  # fmt: skip
    box.setToolTip(tip)
    return box


class DBNSettingsForm(QGroupBox):
    """``applied(DBNSettings)`` when the user presses Apply; ``open_requested`` for the user's images."""

    applied = Signal(object)
    open_requested = Signal()

    def __init__(self, settings: DBNSettings, sklearn: bool, parent=None) -> None:
        super().__init__(tr("Data, stack"), parent)
        self.dataset = narrow(QComboBox())
        for key in DATASETS:
            if key != "sklearn" or sklearn:  # offered only where scikit-learn is installed
                self.dataset.addItem(tr(DATASET_LABELS[key]), key)
        self.size = _spin("size", tr("the digits' canvas, pixels a side"))
        self.per_class = _spin("per_class", tr("images drawn of each digit"))
        self.noise = _real("noise", 0.01, 2, tr("chance that a pixel is flipped"))
        self.layers = QLineEdit()
        self.layers.setToolTip(tr("hidden units of each layer, bottom-up, separated by commas"))
        self.labels = QCheckBox(tr("label units on the top layer"))
        self.epochs = _spin("epochs", tr("epochs of each layer"))
        self.lr = _real("lr", 0.01, 3, tr("learning rate"))
        self.momentum = _real("momentum", 0.05, 2)
        self.batch_size = _spin("batch_size")
        self.seed = _spin("seed", tr("random seed for the images, the split and the weights"))
        self.held_out = _real("held_out", 0.05, 2, tr("fraction of the images kept aside to classify"))
        self.apply = QPushButton(tr("Apply"))
        self.open = QPushButton(tr("Open…"))
        self.open.setToolTip(tr(".npy array (M, n) or (M, h, w) of 0/1, or PNG images of one size (dark = 1)"))
        form = form_layout(self)
        for label, widget in ((tr("data"), self.dataset), ("", self.open), (tr("canvas"), self.size),
                              (tr("per class"), self.per_class), (tr("noise"), self.noise),
                              (tr("layers"), self.layers), ("", self.labels), (tr("epochs per layer"), self.epochs),
                              (tr("learning rate"), self.lr), (tr("momentum"), self.momentum),
                              (tr("batch size"), self.batch_size), (tr("held out"), self.held_out),
                              (tr("seed"), self.seed), ("", self.apply)):  # fmt: skip
            form.addRow(label, widget)
        self.apply.clicked.connect(lambda: self.applied.emit(self.settings()))
        self.open.clicked.connect(self.open_requested)
        self.set_settings(settings)

    def set_settings(self, s: DBNSettings) -> None:
        self.dataset.setCurrentIndex(max(0, self.dataset.findData(s.dataset)))
        for name in ("size", "per_class", "noise", "epochs", "lr", "momentum", "batch_size", "seed", "held_out"):
            getattr(self, name).setValue(getattr(s, name))
        self.layers.setText(s.layers)
        self.labels.setChecked(s.labels)

    def settings(self) -> DBNSettings:
        values = {n: getattr(self, n).value() for n in ("size", "per_class", "noise", "epochs", "lr", "momentum",
                                                         "batch_size", "seed", "held_out")}  # fmt: skip
        return DBNSettings(dataset=self.dataset.currentData(), layers=self.layers.text(),
                           labels=self.labels.isChecked(), **values)  # fmt: skip


class DreamBox(QGroupBox):
    """Which layer's filters to show, what to dream, and which held-out image to classify."""

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Layers, dreams, labels"), parent)
        self.layer = QSpinBox(minimum=1, maximum=1)
        self.layer.setToolTip(tr("the layer whose filters the Layers view shows"))
        self.label = narrow(QComboBox())
        self.steps = QSpinBox(minimum=1, maximum=MAX_DREAM_STEPS, value=200)
        self.steps.setToolTip(tr("Gibbs steps at the top RBM"))
        self.dream = QPushButton("▶ " + tr("Dream"))
        self.dream.setToolTip(tr("Run the top RBM's chains from random states and watch them at the pixels"))
        self.image = QSpinBox(minimum=0, maximum=0)
        self.image.setToolTip(tr("the held-out image whose free energies the Classify view shows"))
        form = form_layout(self)
        form.addRow(tr("layer shown"), self.layer)
        form.addRow(tr("dream of"), self.label)
        form.addRow(tr("steps"), self.steps)
        form.addRow(self.dream)
        form.addRow(tr("held-out image"), self.image)

    def set_classes(self, classes: tuple[str, ...], chosen: int) -> None:
        self.label.blockSignals(True)
        self.label.clear()
        if classes:
            self.label.addItem(tr("each class"), -2)
        self.label.addItem(tr("free labels"), -1)
        for k, name in enumerate(classes):
            self.label.addItem(tr("class {name}").format(name=name), k)
        self.label.setCurrentIndex(max(0, self.label.findData(chosen)))
        self.label.blockSignals(False)
