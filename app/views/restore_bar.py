"""The bar that offers, after a crash, to bring back what the last run autosaved."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from app import labs
from app.i18n import tr
from app.persistence import Leftover


class RestoreBar(QFrame):
    restore_requested = Signal(object)  # the Leftover
    discard_requested = Signal(object)

    def __init__(self, leftover: Leftover, parent=None) -> None:
        super().__init__(parent)
        self.leftover = leftover
        self.setStyleSheet("RestoreBar { background:#fff4d6; border:1px solid #e5c36a; border-radius:4px; }")
        names = ", ".join(
            tr(labs.lab(name).title) if name in labs.names() else name for name in sorted(leftover.sessions)
        )
        self.label = QLabel(tr("Unroll did not close properly last time. Restore the work it autosaved at {time} "
                               "({labs})?").format(time=f"{leftover.saved:%Y-%m-%d %H:%M}", labs=names))  # fmt: skip
        self.label.setWordWrap(True)
        self.restore_button = QPushButton(tr("Restore"))
        self.discard_button = QPushButton(tr("Discard"))
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
