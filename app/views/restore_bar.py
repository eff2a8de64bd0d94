"""The bar that offers, after a crash, to bring back what the last run autosaved."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from app.panels import PANELS
from app.persistence import Leftover


class RestoreBar(QFrame):
    restore_requested = Signal(object)  # the Leftover
    discard_requested = Signal(object)

    def __init__(self, leftover: Leftover, parent=None) -> None:
        super().__init__(parent)
        self.leftover = leftover
        self.setStyleSheet("RestoreBar { background:#fff4d6; border:1px solid #e5c36a; border-radius:4px; }")
        labs = ", ".join(PANELS[lab][1] if lab in PANELS else lab for lab in sorted(leftover.sessions))
        self.label = QLabel(f"Unroll did not close properly last time. Restore the work it autosaved at "
                            f"{leftover.saved:%Y-%m-%d %H:%M} ({labs})?")  # fmt: skip
        self.label.setWordWrap(True)
        self.restore_button = QPushButton("Restore 恢复")
        self.discard_button = QPushButton("Discard 丢弃")
        self.restore_button.clicked.connect(lambda: self._answer(self.restore_requested))
        self.discard_button.clicked.connect(lambda: self._answer(self.discard_requested))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)

    def _answer(self, signal) -> None:
        self.hide()
        signal.emit(self.leftover)
