"""Text as a row of coloured cells that wraps: each character on a background of its own colour, one of them
outlined, and a tooltip per character. Chinese and Latin text alike (each cell as wide as its character)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from app.theme import theme

PAD = 6
WORD = 24  # a run of more characters than this without a space is not kept whole on a line
# low → high: white to deep red for surprisal; blue, white, red for a unit's value from −1 to 1
SEQUENTIAL = np.array([[255, 255, 255], [253, 190, 133], [230, 85, 13], [150, 20, 10]], float)
DIVERGING = np.array([[33, 102, 172], [255, 255, 255], [178, 24, 43]], float)


def shown(c: str) -> str:
    """A character as a label shows it: space, newline and tab made visible."""
    return {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}.get(c, c)


def colours(values: np.ndarray, low: float, high: float, palette: np.ndarray) -> list[QColor]:
    """Each value's colour on ``palette`` stretched over [low, high]; NaN is light grey."""
    x = np.clip((np.asarray(values, float) - low) / max(high - low, 1e-12), 0, 1) * (len(palette) - 1)
    k = np.minimum(np.floor(np.nan_to_num(x)).astype(int), len(palette) - 2)
    f = (np.nan_to_num(x) - k)[:, None]
    rgb = palette[k] * (1 - f) + palette[k + 1] * f
    return [QColor(230, 230, 230) if np.isnan(v) else QColor(*map(int, c)) for v, c in zip(values, rgb, strict=True)]


class CharacterCells(QWidget):
    """``set_text(text, colours, marked)``; ``tooltip(i)`` gives the text shown when hovering character i."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.text = ""
        self.fills: list[QColor] = []
        self.muted: set[int] = set()
        self.marked: int | None = None
        self.tooltip: Callable[[int], str] | None = None
        self.rects: list[QRectF] = []
        self._laid_for = -1
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.setFont(font)

    def set_text(self, text: str, fills: list[QColor], marked: int | None = None,
                 muted: set[int] | None = None) -> None:  # fmt: skip
        self.text, self.fills, self.marked, self.muted = text, fills, marked, muted or set()
        self._laid_for = -1
        self.update()

    def _layout(self) -> None:
        """One rectangle per character, lines wrapped at the widget's width: between words where a word is short
        enough to move whole (Latin text), else between any two characters (Chinese has no spaces)."""
        if self._laid_for == self.width():
            return
        metrics = self.fontMetrics()
        height = metrics.height() + 4
        widths = [metrics.horizontalAdvance(shown(c) if c in " \n\t" else c) + 1 for c in self.text]
        x, y, self.rects, right = PAD, PAD, [], self.width() - PAD
        for i, (c, w) in enumerate(zip(self.text, widths, strict=True)):
            if c != "\n" and x > PAD:
                word = w
                if c not in " \t" and (i == 0 or self.text[i - 1] in " \t"):
                    end = i + 1
                    while end < len(self.text) and end - i < WORD and self.text[end] not in " \t\n":
                        end += 1
                    word = sum(widths[i:end]) if end - i < WORD else w
                if x + word > right:
                    x, y = PAD, y + height
            self.rects.append(QRectF(x, y, w, height))
            x += w
            if c == "\n":
                x, y = PAD, y + height
        self._laid_for = self.width()
        self.setMinimumHeight(int(y + height + PAD))

    def paintEvent(self, event) -> None:
        self._layout()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme().background))
        ink, muted = QColor(theme().foreground), QColor(theme().muted)
        for i, (c, rect) in enumerate(zip(self.text, self.rects, strict=True)):
            if i < len(self.fills):
                painter.fillRect(rect, self.fills[i])
            painter.setPen(muted if i in self.muted or c in " \n\t" else ink)
            painter.drawText(rect, Qt.AlignCenter, shown(c) if c in "\n\t" else c)
        if self.marked is not None and 0 <= self.marked < len(self.rects):
            painter.setPen(QPen(QColor("#ff7f0e"), 2))
            painter.drawRect(self.rects[self.marked].adjusted(0, 0, -1, -1))
        painter.end()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._laid_for = -1

    def index_at(self, x: float, y: float) -> int | None:
        self._layout()
        for i, rect in enumerate(self.rects):
            if rect.contains(x, y):
                return i
        return None

    def mouseMoveEvent(self, event) -> None:
        i = self.index_at(event.position().x(), event.position().y())
        if i is not None and self.tooltip is not None:
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip(i), self)
        else:
            QToolTip.hideText()
