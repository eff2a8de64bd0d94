"""The grid of neurons: black units are on (+1), white off (-1). The mouse draws on it (left button inks,
right button erases, dragging paints) or, with the mask tool, drags a rectangle to blank out. Outlines mark
the unit recall just visited (blue) and the units that flipped (red)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsRectItem

from app.theme import Theme, theme, themes
from app.views.hopfield.style import BLANK, FLIPPED, INK, MASK, VISITED, style_plot

TOOLS = ("draw", "mask")


class NeuronGridView(pg.PlotWidget):
    """Shows one state (N,) of ±1 as a ``side × side`` image.  ``drawn`` carries the whole state after a
    stroke; ``rect_masked`` (top, left, bottom, right) a rectangle dragged with the mask tool."""

    drawn = Signal(object)
    rect_masked = Signal(int, int, int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tool = "draw"
        self.side = 1
        self.title = ""
        self._paint_value: int | None = None
        self._drag_start: tuple[int, int] | None = None
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        box = plot.getViewBox()
        box.setMouseEnabled(False, False)
        box.setAspectLocked(True)
        box.invertY(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.ColorMap([0.0, 1.0], [BLANK, INK]))
        self.grid_lines = pg.PlotCurveItem(connect="pairs")
        self.visited = pg.ScatterPlotItem(pxMode=False, symbol="s", size=1.0, brush=None)
        self.flipped = pg.ScatterPlotItem(pxMode=False, symbol="s", size=1.0, brush=pg.mkBrush(214, 39, 40, 70))
        self.mask_rect = QGraphicsRectItem()
        self.mask_rect.setBrush(QBrush(QColor(255, 127, 14, 50)))
        self.mask_rect.hide()
        for item in (self.image, self.grid_lines, self.flipped, self.visited, self.mask_rect):
            plot.addItem(item)
        self.setCursor(Qt.CrossCursor)
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    @property
    def state(self) -> np.ndarray:
        """(N,) int8 ±1, the state on display (with any strokes drawn since)."""
        return np.where(self.image.image.reshape(-1) > 0, 1, -1).astype(np.int8)

    def set_state(self, state: np.ndarray, side: int) -> None:
        """Show ``state`` (side · side,) of ±1."""
        if side != self.side:
            self.side = side
            self._draw_grid_lines()
            self.getPlotItem().getViewBox().setRange(QRectF(0, 0, side, side), padding=0.02)
        self.image.setImage(np.asarray(state, np.float32).reshape(side, side), levels=(-1.0, 1.0))

    def set_changes(self, visited: int | None, flipped: np.ndarray) -> None:
        """Outline the unit visited at the last step and fill the units that flipped."""
        self.visited.setData(*self._centres(np.array([] if visited is None else [visited], np.int64)))
        self.flipped.setData(*self._centres(np.asarray(flipped, np.int64)))

    def _centres(self, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = np.divmod(units, self.side)
        return cols + 0.5, rows + 0.5

    def set_title(self, text: str) -> None:
        self.title = text
        style_plot(self.getPlotItem(), theme(), text)

    def restyle(self, t: Theme) -> None:
        self.visited.setPen(t.pen(VISITED, 2.0))
        self.flipped.setPen(t.pen(FLIPPED, 1.5))
        self.mask_rect.setPen(t.pen(MASK, 1.5, style=Qt.DashLine))
        self._draw_grid_lines()
        style_plot(self.getPlotItem(), t, self.title)

    def _draw_grid_lines(self) -> None:
        """Thin lines between cells on small grids, where they help a class count units; none past 32."""
        if self.side > 32:
            self.grid_lines.setData([], [])
            return
        ends = np.repeat(np.arange(self.side + 1, dtype=float), 2)
        span = np.tile([0.0, float(self.side)], self.side + 1)
        self.grid_lines.setData(np.concatenate([ends, span]), np.concatenate([span, ends]))
        self.grid_lines.setPen(pg.mkPen("#c8c8c8", width=0.8 * theme().line_width / 1.5))

    # --- the mouse ---------------------------------------------------------------------------------

    def _cell_at(self, event) -> tuple[int, int]:
        p = self.image.mapFromScene(self.mapToScene(event.position().toPoint()))
        return int(np.floor(p.y())), int(np.floor(p.x()))

    def mousePressEvent(self, event) -> None:
        row, col = self._cell_at(event)
        if self.tool == "mask":
            self._drag_start = (row, col)
            self._show_mask_rect(row, col)
        else:
            self._paint_value = 1 if event.button() == Qt.LeftButton else -1
            self._paint(row, col)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        row, col = self._cell_at(event)
        if self._drag_start is not None:
            self._show_mask_rect(row, col)
        elif self._paint_value is not None:
            self._paint(row, col)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag_start is not None:
            (r0, c0), (r1, c1) = self._drag_start, self._cell_at(event)
            self._drag_start = None
            self.mask_rect.hide()
            self.rect_masked.emit(min(r0, r1), min(c0, c1), max(r0, r1) + 1, max(c0, c1) + 1)
        elif self._paint_value is not None:
            self._paint_value = None
            self.drawn.emit(self.state)
        event.accept()

    def _paint(self, row: int, col: int) -> None:
        if 0 <= row < self.side and 0 <= col < self.side and self.image.image is not None:
            image = self.image.image
            if image[row, col] != self._paint_value:
                image[row, col] = self._paint_value
                self.image.setImage(image, levels=(-1.0, 1.0))

    def _show_mask_rect(self, row: int, col: int) -> None:
        r0, c0 = self._drag_start
        top_left = QPointF(min(c0, col), min(r0, row))
        self.mask_rect.setRect(QRectF(top_left, QPointF(max(c0, col) + 1, max(r0, row) + 1)))
        self.mask_rect.show()
