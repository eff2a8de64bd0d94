"""The RBM lab's control column: data set and training settings, the train/pause buttons, the Gibbs chain."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.sessions.rbm_state import MAX_CHAIN_STEPS, RBMSettings
from app.sessions.settings import choices, limits
from engine.rbm.data import CLAMP_REGIONS

DATASET_LABELS = {
    "bars": QT_TR_NOOP("bars & stripes"),
    "glyphs": QT_TR_NOOP("digits, letters"),
    "file": QT_TR_NOOP("my images"),
}
CLAMP_LABELS = {
    "none": QT_TR_NOOP("none (free)"),
    "top": QT_TR_NOOP("top half"),
    "bottom": QT_TR_NOOP("bottom"),
    "left": QT_TR_NOOP("left"),
    "right": QT_TR_NOOP("right"),
}


def _narrow(combo: QComboBox) -> QComboBox:
    """A combo box whose width does not follow its longest item, so the control column stays narrow."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def _form(owner: QWidget) -> QFormLayout:
    """A form that puts a field under its label when the column is too narrow (presentation mode)."""
    form = QFormLayout(owner)
    form.setRowWrapPolicy(QFormLayout.WrapLongRows)
    return form


def _spin(low: int, high: int, value: int, tip: str = "") -> QSpinBox:
    box = QSpinBox(minimum=low, maximum=high, value=value)
    box.setToolTip(tip)
    return box


def _setting(name: str, tip: str = "") -> QSpinBox:
    """A spin box over the whole range ``RBMSettings`` declares for ``name``."""
    low, high = limits(RBMSettings, name)
    return _spin(low, high, getattr(RBMSettings, name), tip)


def _real(name: str, step: float, decimals: int, tip: str = "") -> QDoubleSpinBox:
    low, high = limits(RBMSettings, name)
    box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals,
                         value=getattr(RBMSettings, name))  # fmt: skip
    box.setToolTip(tip)
    return box


class RBMSettingsForm(QGroupBox):
    """Data set and training settings; ``applied(RBMSettings)`` when the user presses Apply."""

    applied = Signal(object)
    open_requested = Signal()
    open_folder_requested = Signal()

    def __init__(self, settings: RBMSettings, parent=None) -> None:
        super().__init__(tr("Data, training"), parent)
        self.dataset = _narrow(QComboBox())
        for key in choices(RBMSettings, "dataset"):
            self.dataset.addItem(tr(DATASET_LABELS[key]), key)
        self.rows, self.cols = _setting("rows", tr("image height")), _setting("cols", tr("image width"))
        self.glyph_text = QLineEdit()
        self.glyph_text.setToolTip(tr("characters to learn: A–Z, 0–9"))
        self.glyph_size = _setting("glyph_size", tr("glyph image size in pixels"))
        self.held_out = _real("held_out", 0.05, 2, tr("fraction of the patterns kept aside to compare free energies"))
        self.n_hidden = _setting("n_hidden", tr("hidden units; above 20 in both layers the exact likelihood is "
                                                "unavailable"))  # fmt: skip
        self.lr = _real("lr", 0.01, 3, tr("learning rate"))
        self.k = _setting("k", tr("Gibbs steps in the negative phase"))
        self.method = _narrow(QComboBox())
        self.method.addItems(["CD-k", tr("PCD (persistent)")])
        self.method.setToolTip(tr("CD-k starts the negative phase at the data; PCD keeps its chains between updates"))
        self.momentum = _real("momentum", 0.05, 2)
        self.weight_decay = _real("weight_decay", 0.0001, 4)
        self.batch_size = _setting("batch_size")
        self.seed = _setting("seed", tr("random seed for the weights, the split and the sampling"))
        self.apply = QPushButton(tr("Apply"))
        self.apply.setToolTip(tr("A new model when the data, size, seed or split changed; otherwise training goes on"))
        self.open = QPushButton(tr("Open…"))
        self.open_folder = QPushButton(tr("Folder…"))
        self.open_folder.setToolTip(tr("every PNG image in a folder (one size; dark = 1)"))
        self.open.setToolTip(tr(".npy array (M, n) or (M, h, w) of 0/1, or PNG images of one size (dark = 1)"))
        form = _form(self)
        size = QHBoxLayout()
        size.addWidget(self.rows)
        size.addWidget(QLabel("×"))
        size.addWidget(self.cols)
        for label, widget in ((tr("data"), self.dataset), (tr("bars size"), size),
                              (tr("characters"), self.glyph_text), (tr("glyph size"), self.glyph_size),
                              ("", self.open), ("", self.open_folder), (tr("held out"), self.held_out),
                              (tr("hidden"), self.n_hidden), (tr("learning rate"), self.lr), ("k", self.k),
                              (tr("method"), self.method), (tr("momentum"), self.momentum),
                              (tr("weight decay"), self.weight_decay), (tr("batch size"), self.batch_size),
                              (tr("seed"), self.seed), ("", self.apply)):  # fmt: skip
            form.addRow(label, widget)
        self.apply.clicked.connect(lambda: self.applied.emit(self.settings()))
        self.open.clicked.connect(self.open_requested)
        self.open_folder.clicked.connect(self.open_folder_requested)
        self.set_settings(settings)

    def set_settings(self, s: RBMSettings) -> None:
        self.dataset.setCurrentIndex(max(0, self.dataset.findData(s.dataset)))
        self.rows.setValue(s.rows)
        self.cols.setValue(s.cols)
        self.glyph_text.setText(s.glyph_text)
        self.glyph_size.setValue(s.glyph_size)
        self.held_out.setValue(s.held_out)
        self.n_hidden.setValue(s.n_hidden)
        self.lr.setValue(s.lr)
        self.k.setValue(s.k)
        self.method.setCurrentIndex(int(s.persistent))
        self.momentum.setValue(s.momentum)
        self.weight_decay.setValue(s.weight_decay)
        self.batch_size.setValue(s.batch_size)
        self.seed.setValue(s.seed)

    def settings(self) -> RBMSettings:
        return RBMSettings(
            dataset=self.dataset.currentData(), rows=self.rows.value(), cols=self.cols.value(),
            glyph_text=self.glyph_text.text(), glyph_size=self.glyph_size.value(), n_hidden=self.n_hidden.value(),
            lr=self.lr.value(), k=self.k.value(), persistent=self.method.currentIndex() == 1,
            momentum=self.momentum.value(), weight_decay=self.weight_decay.value(),
            batch_size=self.batch_size.value(), seed=self.seed.value(), held_out=self.held_out.value(),
        )  # fmt: skip


class TrainingBox(QGroupBox):
    """Train / pause, a single epoch, a fresh model; ``status`` says where training stands."""

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Training"), parent)
        self.train = QPushButton("▶ " + tr("Train"))
        self.train.setToolTip(tr("Train in the background; the views follow; press again to pause"))
        self.train.setCheckable(True)
        self.epoch = QPushButton(tr("+1 epoch"))
        self.epoch.setToolTip(tr("One epoch now, then a new chain on the new weights"))
        self.reset = QPushButton(tr("Reset"))
        self.reset.setToolTip(tr("A fresh model with random weights on the same data"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.train)
        row = QHBoxLayout()
        row.addWidget(self.epoch)
        row.addWidget(self.reset)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def show_training(self, running: bool) -> None:
        self.train.setChecked(running)
        self.train.setText("⏸ " + tr("Pause") if running else "▶ " + tr("Train"))


class ChainBox(QGroupBox):
    """Where the Gibbs chain starts, which pixels stay clamped and how long it runs."""

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Gibbs chain"), parent)
        self.pattern = _spin(0, 0, 0, tr("training pattern the chain starts from"))
        self.steps = _spin(1, MAX_CHAIN_STEPS, 20, tr("Gibbs sweeps v → h → v"))
        self.noise = QCheckBox()  # its words beside it in a label that wraps: two languages are long
        self.noise.setToolTip(tr("Unclamped pixels start as coin flips; off: the chain starts at the pattern itself"))
        self.noise.setChecked(True)
        noise_words = QLabel(tr("free pixels start as noise"))
        noise_words.setWordWrap(True)
        noise_words.setBuddy(self.noise)
        noise_row = QHBoxLayout()
        noise_row.addWidget(self.noise)
        noise_row.addWidget(noise_words, 1)
        self.clamp = _narrow(QComboBox())
        for key in CLAMP_REGIONS:
            self.clamp.addItem(tr(CLAMP_LABELS[key]), key)
        self.clamp.addItem(tr("drawn"), "drawn")
        self.run = QPushButton("▶ " + tr("Run chain"))
        hint = QLabel(tr("Click pixels of v in the chain view to clamp or free them; clamped pixels keep their value."))
        hint.setWordWrap(True)
        form = _form(self)
        form.addRow(tr("start pattern"), self.pattern)
        form.addRow(tr("clamp"), self.clamp)
        form.addRow(tr("steps"), self.steps)
        form.addRow(noise_row)
        form.addRow(self.run)
        form.addRow(hint)
