"""The gradient's paths: ‖∂L_t/∂h̄_s‖, how strongly the loss at target step t reaches the encoder's state at source
step s, along every path. With attention each target step reaches every source step in one hop; without, only
through the encoder's last state and back along its recurrence, fading with distance."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.i18n import tr
from app.views.seq2seq.matrix import MatrixWidget

DECADES = 2  # the colour spans this many powers of ten below each row's largest entry


class GradientPathView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.matrix = MatrixWidget("red")
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.matrix, 1)

    def show_paths(self, paths: np.ndarray, source: list[str], targets: list[str], attention: str) -> None:
        """``paths`` (T, S); ``targets`` the T tokens the losses are on."""
        # each row against its own largest entry: where step t's gradient goes, whatever that step's loss
        top = paths.max(axis=1, keepdims=True) if paths.size else np.ones((0, 1))
        top = np.where(top > 0, top, 1.0)
        scaled = np.clip(1.0 + np.log10(np.maximum(paths, 1e-300) / top) / DECADES, 0.0, 1.0)
        text = [[f"{v:.0e}" if v > 0 else "0" for v in row] for row in paths]
        self.matrix.show_matrix(scaled, targets, source, text=text,
                                corner=(tr("loss at target step t"), tr("encoder state h̄_s")))  # fmt: skip
        self.caption.setText(
            tr(
                "‖∂L_t/∂h̄_s‖, each row on a log scale of {decades} decades below its largest entry; attention: {kind}. "
                "With attention every target step reaches every source step directly; without, only through the "
                "encoder's last state."
            ).format(decades=DECADES, kind=attention)  # fmt: skip
        )
