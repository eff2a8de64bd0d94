"""Pieces every lab's control column shares: narrow combo boxes, forms that wrap in presentation mode, and the
train / pause / reset box of the labs that train."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr


def narrow(combo: QComboBox) -> QComboBox:
    """A combo box whose width does not follow its longest item, so the control column stays narrow."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def form_layout(owner: QWidget) -> QFormLayout:
    """A form that puts a field under its label when the column is too narrow (presentation mode)."""
    form = QFormLayout(owner)
    form.setRowWrapPolicy(QFormLayout.WrapLongRows)
    return form


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
        # the style's icons: "⏸" is missing from common fonts (Noto Sans CJK among them) and showed as a box
        icon = QStyle.SP_MediaPause if running else QStyle.SP_MediaPlay
        self.train.setIcon(self.style().standardIcon(icon))
        self.train.setText(tr("Pause") if running else tr("Train"))
