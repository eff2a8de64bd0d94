"""A labelled matrix drawn with QPainter: rows (target steps) × columns (source characters), each cell's colour
its value, characters on both axes; rows after ``upto`` left blank (the decoder has not written them yet) and
row ``upto`` outlined. The attention and gradient-path views are both one of these."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.theme import theme

MAX_CELL = 72


def ramp(value: float, hue: str = "blue") -> QColor:
    """White at 0 to a full colour at 1."""
    v = float(np.clip(value, 0.0, 1.0))
    r, g, b = {"blue": (31, 119, 180), "red": (214, 39, 40)}[hue]
    return QColor(int(255 - v * (255 - r)), int(255 - v * (255 - g)), int(255 - v * (255 - b)))


class MatrixWidget(QWidget):
    def __init__(self, hue: str = "blue", parent=None) -> None:
        super().__init__(parent)
        self.hue = hue
        self.values: np.ndarray | None = None  # (rows, cols) in [0, 1]
        self.text: np.ndarray | None = None  # what each cell says (None: nothing)
        self.row_labels: list[str] = []
        self.col_labels: list[str] = []
        self.upto: int | None = None
        self.empty_text = ""
        self.corner = ("", "")  # axis names: rows, columns
        self.numbers_shown = False  # whether the last picture wrote each cell's number in it
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(240, 200)

    def show_matrix(self, values, row_labels, col_labels, *, text=None, upto=None, empty_text="",
                    corner=("", "")) -> None:  # fmt: skip
        self.values = None if values is None else np.asarray(values, np.float64)
        self.text, self.row_labels, self.col_labels = text, list(row_labels), list(col_labels)
        self.upto, self.empty_text, self.corner = upto, empty_text, corner
        self.update()

    def geometry_of_cells(self) -> tuple[float, float, float]:
        """(left, top, cell size) of the grid in this widget."""
        rows, cols = max(1, len(self.row_labels)), max(1, len(self.col_labels))
        margin = 3.2 * self.fontMetrics().height()
        cell = min((self.width() - 1.6 * margin) / cols, (self.height() - 1.6 * margin) / rows, MAX_CELL)
        left = margin + max(0.0, (self.width() - 1.6 * margin - cell * cols) / 2)
        top = margin + max(0.0, (self.height() - 1.6 * margin - cell * rows) / 3)
        return left, top, max(cell, 4.0)

    def _fits(self, metrics: QFontMetrics, cell: float) -> bool:
        """Whether every cell's number fits inside its cell (in presentation mode the font grows, not the cells:
        numbers wider than their cells ran into each other)."""
        widest = max((metrics.horizontalAdvance(t) for row in self.text for t in row), default=0)
        return widest <= cell - 4

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor(theme().background))
        fg = QColor(theme().foreground)
        p.setPen(fg)
        if self.values is None or not self.row_labels:
            p.drawText(self.rect(), Qt.AlignCenter | Qt.TextWordWrap, self.empty_text)
            return
        left, top, cell = self.geometry_of_cells()
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, min(font.pointSizeF() * 1.2, cell * 0.45)))
        p.setFont(font)
        rows, cols = len(self.row_labels), len(self.col_labels)
        shown = rows if self.upto is None else min(rows, self.upto + 1)
        numbers = self.numbers_shown = self.text is not None and self._fits(QFontMetrics(font), cell)
        for i in range(rows):
            for j in range(cols):
                r = QRectF(left + j * cell, top + i * cell, cell, cell)
                if i < shown:
                    v = self.values[i, j]
                    p.fillRect(r, ramp(v, self.hue))
                    if numbers:
                        p.setPen(QColor("#ffffff") if v > 0.6 else fg)
                        p.drawText(r, Qt.AlignCenter, self.text[i][j])
                p.setPen(QPen(QColor(theme().muted), 0.5))
                p.drawRect(r)
        p.setPen(fg)
        for j, label in enumerate(self.col_labels):
            p.drawText(QRectF(left + j * cell, top - cell * 0.9, cell, cell * 0.9), Qt.AlignCenter, label)
        for i, label in enumerate(self.row_labels):
            p.drawText(QRectF(left - 2.2 * cell, top + i * cell, 2.1 * cell, cell), Qt.AlignRight | Qt.AlignVCenter,
                       label)  # fmt: skip
        if self.upto is not None and 0 <= self.upto < rows:
            p.setPen(QPen(QColor("#ff7f0e"), 2.5))
            p.drawRect(QRectF(left, top + self.upto * cell, cols * cell, cell))
        p.setPen(fg)
        small = QFont(self.font())
        p.setFont(small)
        p.drawText(QRectF(left, top + rows * cell + 4, cols * cell, 2 * self.fontMetrics().height()),
                   Qt.AlignHCenter | Qt.AlignTop, self.corner[1])  # fmt: skip
        p.save()
        p.translate(left - 2.4 * cell - 4, top + rows * cell / 2)
        p.rotate(-90)
        p.drawText(QRectF(-rows * cell / 2, -self.fontMetrics().height(), rows * cell, self.fontMetrics().height()),
                   Qt.AlignCenter, self.corner[0])  # fmt: skip
        p.restore()
