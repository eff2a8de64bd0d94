"""The energy of the state at each step of recall, with a cursor at the playhead's step and the energy of
every stored pattern as a dashed floor: recall slides down the curve towards one of them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP

from app.i18n import tr
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.hopfield.style import style_plot, titled, ui_font

TITLE = (QT_TR_NOOP("Energy"), "E = −½ sᵀWs")
X_LABELS = {"async": QT_TR_NOOP("step (one unit visited per step)"), "sync": QT_TR_NOOP("sweep (all units at once)")}


class EnergyPlotView(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMenuEnabled(False)
        self.curve = plot.plot([], [])
        self.marker = pg.ScatterPlotItem(size=11)
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        plot.addItem(self.cursor)
        plot.addItem(self.marker)
        self.floors: list[pg.InfiniteLine] = []
        self.mode = "async"
        self.energies = np.zeros(0)
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def set_energies(self, energies: np.ndarray, mode: str) -> None:
        """energies: (S+1,) energy of state k at step k."""
        self.energies, self.mode = np.asarray(energies, float), mode
        self.curve.setData(np.arange(len(self.energies)), self.energies)
        style_plot(self.getPlotItem(), theme(), titled(*TITLE), tr(X_LABELS[mode]), "E")
        self.getPlotItem().enableAutoRange()

    def set_floors(self, energies: np.ndarray, labels: list[str]) -> None:
        """One dashed horizontal line per stored pattern at its energy, labelled with its name; labels are
        staggered along the line because several patterns often share one energy."""
        plot = self.getPlotItem()
        for line in self.floors:
            plot.removeItem(line)
        t = theme()
        self.floors = []
        for k, (value, label) in enumerate(zip(energies, labels, strict=True)):
            color = SERIES_COLORS[k % len(SERIES_COLORS)]
            place = {"position": 0.97 - 0.06 * (k % 15), "color": color, "anchors": [(0.5, 1), (0.5, 1)]}
            pen = t.pen(color, 0.8, dash=[4, 4])
            line = pg.InfiniteLine(pos=float(value), angle=0, movable=False, pen=pen, label=label, labelOpts=place)
            line.label.setFont(ui_font(t, 0.9))
            plot.addItem(line)
            self.floors.append(line)

    def set_step(self, step: int) -> None:
        """Move the cursor and the dot to ``step``."""
        self.cursor.setValue(step)
        if 0 <= step < len(self.energies):
            self.marker.setData([step], [self.energies[step]])
        else:
            self.marker.setData([], [])

    def restyle(self, t: Theme) -> None:
        self.curve.setPen(t.pen(SERIES_COLORS[0], 1.3))
        self.cursor.setPen(t.pen("#ff7f0e", 1.0))
        self.marker.setBrush(pg.mkBrush("#ff7f0e"))
        self.marker.setPen(t.pen(t.foreground, 0.5))
        self.marker.setSize(7 + 2 * t.line_width)
        for line in self.floors:
            line.label.setFont(ui_font(t, 0.9))
        style_plot(self.getPlotItem(), t, titled(*TITLE), tr(X_LABELS[self.mode]), "E")
