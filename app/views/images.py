"""Pieces the image views of the Boltzmann labs share (RBM, DBN, autoencoder): image plots with fixed colour
scales, clickable pixels and theme-aware titles."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGraphicsRectItem

from app.theme import Theme, theme

# Ink on paper: 0 is white, 1 is near-black, so binary images look like the patterns they are.
INK = pg.ColorMap([0.0, 1.0], ["#ffffff", "#1a1a2e"])
# Weights: blue negative, white zero, red positive.
DIVERGING = pg.ColorMap([0.0, 0.5, 1.0], ["#2166ac", "#f7f7f7", "#b2182b"])
PADDING = "#c8c8c8"  # background behind mosaics, seen through the NaN gaps between tiles
GRID_COLOR = "#a8a8a8"  # lines between pixels, so white pixels stay visible on a white page
CLAMP_COLOR = "#e6550d"
FRESH_COLOR = "#2ca02c"


class ClickableImage(pg.ImageItem):
    """An image whose pixels can be clicked: ``clicked(row, col)``."""

    clicked = Signal(int, int)

    def mouseClickEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.LeftButton or self.image is None:
            return
        pos = event.pos()
        row, col = int(pos.y()), int(pos.x())
        if 0 <= row < self.image.shape[0] and 0 <= col < self.image.shape[1]:
            event.accept()
            self.clicked.emit(row, col)


class ImagePlot:
    """A titled plot holding one image with a fixed colour scale: rows downwards, square pixels, no axes."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, title: str, colormap: pg.ColorMap,
                 levels: tuple[float, float] = (0.0, 1.0), clickable: bool = False, background: str | None = None,
                 grid: bool = False) -> None:  # fmt: skip
        self.title = title
        self.plot = layout.addPlot(row=row, col=col)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        box = self.plot.getViewBox()
        box.setAspectLocked(True)
        box.invertY(True)
        # A backing rectangle the size of the image: NaN pixels (gaps in mosaics) show its colour.
        self.backing = QGraphicsRectItem()
        self.backing.setPen(pg.mkPen(None))
        self.backing.setBrush(pg.mkBrush(background or "#ffffff"))
        self.plot.addItem(self.backing)
        self.grid = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(GRID_COLOR, width=1)) if grid else None
        self.image = (ClickableImage if clickable else pg.ImageItem)(axisOrder="row-major")
        self.image.setLookupTable(colormap.getLookupTable(nPts=256))
        self.levels = levels
        self.plot.addItem(self.image)
        if self.grid is not None:
            self.plot.addItem(self.grid)
        self.set_title(title)

    def set_image(self, image: np.ndarray) -> None:
        """``image: (h, w)`` floats; NaN shows the background."""
        old = self.image.image
        self.image.setImage(np.ascontiguousarray(image, dtype=np.float32), levels=self.levels, autoLevels=False)
        if old is None or old.shape != image.shape:
            h, w = image.shape
            self.backing.setRect(0, 0, w, h)
            if self.grid is not None:
                self.grid.setData(*_grid_lines(h, w))
            self.plot.getViewBox().autoRange(padding=0.02)

    def set_title(self, text: str, fresh: bool = False) -> None:
        t = theme()
        self.title = text
        color = FRESH_COLOR if fresh else t.foreground
        self.plot.setTitle(text, color=color, size=t.css_size("title"), bold=fresh)
        border = pg.mkPen(FRESH_COLOR, width=2 * t.line_width) if fresh else pg.mkPen(PADDING, width=1)
        self.plot.getViewBox().setBorder(border)


def _grid_lines(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Endpoints of the lines around every pixel of an ``(h, w)`` image, in pairs for ``connect="pairs"``."""
    xs = [(c, c) for c in range(w + 1)] + [(0, w)] * (h + 1)
    ys = [(0, h)] * (w + 1) + [(r, r) for r in range(h + 1)]
    return np.ravel(xs).astype(float), np.ravel(ys).astype(float)


def style_axes(plot: pg.PlotItem, t: Theme) -> None:
    """Axis fonts and pens for a line plot in the current theme."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(t.font("tick"))
        axis.setPen(pg.mkPen(t.foreground, width=max(1.0, t.line_width / 1.5)))
        axis.setTextPen(t.foreground)
        axis.label.setFont(t.font("label"))
