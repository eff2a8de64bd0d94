"""The RBM lab's control column: data set and training settings, the train/pause buttons, the Gibbs chain."""

from __future__ import annotations

from PySide6.QtCore import Signal
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

from app.sessions.rbm import RBMSettings
from engine.rbm.data import CLAMP_REGIONS

DATASET_LABELS = {"bars": "bars & stripes 条纹", "glyphs": "digits, letters 字符", "file": "my images 我的"}
CLAMP_LABELS = {"none": "none (free) 不固定", "top": "top half 上半", "bottom": "bottom 下半", "left": "left 左半",
                "right": "right 右半"}  # fmt: skip


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


def _real(low: float, high: float, value: float, step: float, decimals: int, tip: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals, value=value)
    box.setToolTip(tip)
    return box


class RBMSettingsForm(QGroupBox):
    """Data set and training settings; ``applied(RBMSettings)`` when the user presses Apply."""

    applied = Signal(object)
    open_requested = Signal()
    open_folder_requested = Signal()

    def __init__(self, settings: RBMSettings, parent=None) -> None:
        super().__init__("数据 Data, training", parent)
        self.dataset = _narrow(QComboBox())
        for key, label in DATASET_LABELS.items():
            self.dataset.addItem(label, key)
        self.rows, self.cols = _spin(2, 8, 4, "image height"), _spin(2, 8, 4, "image width")
        self.glyph_text = QLineEdit()
        self.glyph_text.setToolTip("characters to learn: A–Z, 0–9")
        self.glyph_size = _spin(5, 16, 7, "glyph image size in pixels")
        self.held_out = _real(0.0, 0.5, 0.2, 0.05, 2, "fraction of the patterns kept aside to compare free energies")
        self.n_hidden = _spin(1, 400, 16, "hidden units; above 20 in both layers the exact likelihood is unavailable")
        self.lr = _real(0.0, 5.0, 0.05, 0.01, 3, "learning rate")
        self.k = _spin(1, 50, 1, "Gibbs steps in the negative phase")
        self.method = _narrow(QComboBox())
        self.method.addItems(["CD-k", "PCD (persistent)"])
        self.method.setToolTip("CD-k starts the negative phase at the data; PCD keeps its chains between updates")
        self.momentum = _real(0.0, 0.99, 0.9, 0.05, 2)
        self.weight_decay = _real(0.0, 0.1, 0.0, 0.0001, 4)
        self.batch_size = _spin(1, 1000, 10)
        self.seed = _spin(0, 1_000_000, 0, "random seed for the weights, the split and the sampling")
        self.apply = QPushButton("应用 Apply")
        self.apply.setToolTip("A new model when the data, size, seed or split changed; otherwise training goes on")
        self.open = QPushButton("Open… 打开")
        self.open_folder = QPushButton("Folder… 文件夹")
        self.open_folder.setToolTip("every PNG image in a folder (one size; dark = 1)")
        self.open.setToolTip(".npy array (M, n) or (M, h, w) of 0/1, or PNG images of one size (dark = 1)")
        form = _form(self)
        size = QHBoxLayout()
        size.addWidget(self.rows)
        size.addWidget(QLabel("×"))
        size.addWidget(self.cols)
        for label, widget in (("data 数据", self.dataset), ("bars size", size), ("characters", self.glyph_text),
                              ("glyph size", self.glyph_size), ("", self.open), ("", self.open_folder),
                              ("held out", self.held_out),
                              ("hidden 隐单元", self.n_hidden), ("learning rate", self.lr), ("k", self.k),
                              ("method", self.method), ("momentum", self.momentum),
                              ("weight decay", self.weight_decay), ("batch size", self.batch_size),
                              ("seed", self.seed), ("", self.apply)):  # fmt: skip
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
        super().__init__("训练 Training", parent)
        self.train = QPushButton("▶ Train 训练")
        self.train.setToolTip("Train in the background; the views follow; press again to pause")
        self.train.setCheckable(True)
        self.epoch = QPushButton("+1 epoch")
        self.epoch.setToolTip("One epoch now, then a new chain on the new weights")
        self.reset = QPushButton("Reset")
        self.reset.setToolTip("A fresh model with random weights on the same data")
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
        self.train.setText("⏸ Pause 暂停" if running else "▶ Train 训练")


class ChainBox(QGroupBox):
    """Where the Gibbs chain starts, which pixels stay clamped and how long it runs."""

    def __init__(self, parent=None) -> None:
        super().__init__("吉布斯链 Gibbs chain", parent)
        self.pattern = _spin(0, 0, 0, "training pattern the chain starts from")
        self.steps = _spin(1, 500, 20, "Gibbs sweeps v → h → v")
        self.noise = QCheckBox("free pixels start as noise")
        self.noise.setToolTip("Unclamped pixels start as coin flips; off: the chain starts at the pattern itself")
        self.noise.setChecked(True)
        self.clamp = _narrow(QComboBox())
        for key in CLAMP_REGIONS:
            self.clamp.addItem(CLAMP_LABELS[key], key)
        self.clamp.addItem("drawn 手绘", "drawn")
        self.run = QPushButton("▶ Run chain 运行")
        hint = QLabel("Click pixels of v in the chain view to clamp or free them; clamped pixels keep their value.")
        hint.setWordWrap(True)
        form = _form(self)
        form.addRow("start pattern", self.pattern)
        form.addRow("clamp 固定", self.clamp)
        form.addRow("steps", self.steps)
        form.addRow(self.noise)
        form.addRow(self.run)
        form.addRow(hint)
