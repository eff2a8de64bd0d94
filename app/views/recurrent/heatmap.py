"""A time × unit heatmap with a playhead cursor, a marked unit, exact values on hover and click to select.

Items are created once and fed with ``set_data``; nothing is rebuilt per frame (pyqtgraph is fast when items
live long and images come as float32 with explicit levels).
"""

from __future__ import annotations

import weakref

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Signal

from app.i18n import tr
from app.theme import theme

COLORMAPS = {"unit": "viridis", "signed": "CET-D1", "magnitude": "inferno"}


def colormap(kind: str) -> pg.ColorMap:
    return pg.colormap.get(COLORMAPS[kind])


class HeatmapSignals(QObject):
    clicked = Signal(int, int)  # (time step, unit)


class _Image(pg.ImageItem):
    """The heatmap's image, handing hovers and clicks to its ``Heatmap`` through a weak reference. The Heatmap's
    bound methods stored on the item made a cycle, so every plot a view cleared (about 500 objects, Qt menus
    among them) waited for Python's cycle collector, and a collection on a worker thread then deleted them there:
    a segmentation fault, reproduced in a few lines (see ``app/garbage.py``)."""

    def __init__(self, owner: Heatmap, **kwargs) -> None:
        super().__init__(**kwargs)
        self._owner = weakref.ref(owner)

    def hoverEvent(self, ev) -> None:
        owner = self._owner()
        if owner is not None:
            owner._hover(ev)

    def mouseClickEvent(self, ev) -> None:
        owner = self._owner()
        if owner is not None:
            owner._click(ev)


class Heatmap:
    """An ImageItem in a PlotItem: x is the time step, y the unit (row-major image: rows are units)."""

    def __init__(self, plot: pg.PlotItem, title: str, kind: str = "unit", levels=(0.0, 1.0), colorbar=True,
                 markers=True) -> None:  # fmt: skip
        self.plot, self.kind, self.levels = plot, kind, levels
        self.signals = HeatmapSignals()
        plot.setTitle(title)
        plot.setLabel("bottom", "t")
        plot.setLabel("left", tr("unit"))
        plot.invertY(True)
        plot.setMenuEnabled(False)
        for name in ("left", "bottom"):
            plot.getAxis(name).enableAutoSIPrefix(False)  # rows and steps are whole numbers: never "(x0.001)"
        self.image = _Image(self, axisOrder="row-major")
        self.image.setColorMap(colormap(kind))
        plot.addItem(self.image)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.unit_mark = pg.InfiniteLine(angle=0, movable=False)
        if markers:
            plot.addItem(self.cursor)
            plot.addItem(self.unit_mark)
        self.value_text = pg.TextItem(anchor=(0, 1), color=theme().foreground, fill=pg.mkBrush(255, 255, 255, 220))
        self.value_text.setZValue(10)
        plot.addItem(self.value_text, ignoreBounds=True)
        self.value_text.hide()
        if colorbar:
            self.colorbar = pg.ColorBarItem(values=levels, colorMap=colormap(kind), interactive=False, width=12)
            self.colorbar.setImageItem(self.image, insert_in=plot)
            self._colorbar_ticks(levels)
        self.data = np.zeros((1, 1), np.float32)
        self.restyle()

    def _colorbar_ticks(self, levels) -> None:
        """The colour bar's two ends and middle only: in presentation mode at 1280 × 720 pyqtgraph's six labels of a
        bar 60 px high ran into each other."""
        lo, hi = (float(v) for v in levels)
        self.colorbar.getAxis("right").setTicks([[(v, f"{v:.3g}") for v in (lo, (lo + hi) / 2, hi)], []])

    def restyle(self) -> None:
        t = theme()
        self.cursor.setPen(t.pen("#ff00ff", 1.2))
        self.unit_mark.setPen(t.pen("#ffffff", 0.8, style=pg.QtCore.Qt.DashLine))

    def set_data(self, data: np.ndarray, levels=None) -> None:
        """``data``: (units, T)."""
        self.data = np.ascontiguousarray(data, np.float32)
        if levels is not None:
            self.levels = levels
            if hasattr(self, "colorbar"):
                self.colorbar.setLevels(levels)
                self._colorbar_ticks(levels)
        self.image.setImage(self.data, levels=self.levels, autoLevels=False)
        self.plot.setLimits(xMin=-0.5, xMax=self.data.shape[1] + 0.5, yMin=-0.5, yMax=self.data.shape[0] + 0.5)
        self.image.setRect(-0.5, -0.5, self.data.shape[1], self.data.shape[0])
        if self.data.shape != getattr(self, "_shape", None):
            self._shape = self.data.shape
            self.plot.setRange(xRange=(-0.5, self.data.shape[1] - 0.5), yRange=(-0.5, self.data.shape[0] - 0.5),
                               padding=0)  # fmt: skip

    def set_cursor(self, t: int) -> None:
        self.cursor.setValue(t)

    def set_unit(self, unit: int) -> None:
        self.unit_mark.setValue(unit)

    def _cell(self, pos: QPointF) -> tuple[int, int] | None:
        p = self.image.mapToParent(pos)
        t, unit = int(np.floor(p.x() + 0.5)), int(np.floor(p.y() + 0.5))
        if 0 <= unit < self.data.shape[0] and 0 <= t < self.data.shape[1]:
            return t, unit
        return None

    def _hover(self, event) -> None:
        cell = None if event.isExit() else self._cell(event.pos())
        if cell is None:
            self.value_text.hide()
            return
        t, unit = cell
        self.value_text.setText(f"t={t}  unit {unit}: {self.data[unit, t]:.4g}")
        self.value_text.setPos(self.image.mapToParent(event.pos()))
        self.value_text.show()

    def _click(self, event) -> None:
        cell = self._cell(event.pos())
        if cell is not None:
            event.accept()
            self.signals.clicked.emit(*cell)
