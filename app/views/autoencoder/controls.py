"""The deep-autoencoder lab's settings form (the train / pause box is ``app.views.forms.TrainingBox``)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGroupBox, QLineEdit, QPushButton, QSpinBox

from app.i18n import tr
from app.sessions.autoencoder import DATASETS, AESettings
from app.sessions.settings import limits
from app.views.dbn.controls import DATASET_LABELS
from app.views.forms import form_layout, narrow

INTEGERS = ("size", "per_class", "code", "pre_epochs", "fine_epochs", "batch_size", "seed")
REALS = {"noise": (0.01, 2), "lr": (0.0005, 4), "held_out": (0.05, 2)}


class AESettingsForm(QGroupBox):
    """``applied(AESettings)`` when the user presses Apply; ``open_requested`` for the user's images."""

    applied = Signal(object)
    open_requested = Signal()

    def __init__(self, settings: AESettings, sklearn: bool, parent=None) -> None:
        super().__init__(tr("Data, network"), parent)
        self.dataset = narrow(QComboBox())
        for key in DATASETS:
            if key != "sklearn" or sklearn:
                self.dataset.addItem(tr(DATASET_LABELS[key]), key)
        for name in INTEGERS:
            low, high = limits(AESettings, name)
            setattr(self, name, QSpinBox(minimum=low, maximum=high))
        for name, (step, decimals) in REALS.items():
            low, high = limits(AESettings, name)
            setattr(self, name, QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals))
        self.layers = QLineEdit()
        self.layers.setToolTip(tr("hidden units between the pixels and the code, separated by commas"))
        self.pre_epochs.setToolTip(tr("epochs of each layer"))
        self.code.setToolTip(tr("code units: the size of the bottleneck (PCA keeps as many components)"))
        self.apply = QPushButton(tr("Apply"))
        self.open = QPushButton(tr("Open…"))
        self.open.setToolTip(tr(".npy array (M, n) or (M, h, w) of 0/1, or PNG images of one size (dark = 1)"))
        form = form_layout(self)
        for label, widget in ((tr("data"), self.dataset), ("", self.open), (tr("canvas"), self.size),
                              (tr("per class"), self.per_class), (tr("noise"), self.noise),
                              (tr("layers"), self.layers), (tr("code size"), self.code),
                              (tr("epochs per layer"), self.pre_epochs),
                              (tr("fine-tuning epochs"), self.fine_epochs), (tr("learning rate"), self.lr),
                              (tr("batch size"), self.batch_size), (tr("held out"), self.held_out),
                              (tr("seed"), self.seed), ("", self.apply)):  # fmt: skip
            form.addRow(label, widget)
        self.apply.clicked.connect(lambda: self.applied.emit(self.settings()))
        self.open.clicked.connect(self.open_requested)
        self.set_settings(settings)

    def set_settings(self, s: AESettings) -> None:
        self.dataset.setCurrentIndex(max(0, self.dataset.findData(s.dataset)))
        for name in (*INTEGERS, *REALS):
            getattr(self, name).setValue(getattr(s, name))
        self.layers.setText(s.layers)

    def settings(self) -> AESettings:
        values = {name: getattr(self, name).value() for name in (*INTEGERS, *REALS)}
        return AESettings(dataset=self.dataset.currentData(), layers=self.layers.text(), **values)
