"""The run over time, in time units (as many probes as free units): the annealing schedule as a temperature
curve, and the energy of the state after each probe, both with the playhead's moment marked. The stretch where
the run samples at its final temperature is shaded."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.boltzmann.style import set_title, style, titled

CURSOR = "#ff7f0e"


class _Trace:
    """A curve with a cursor line and a dot at the playhead, in one plot."""

    def __init__(self, plot: pg.PlotItem, color: str) -> None:
        self.plot, self.color = plot, color
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=0.25)
        self.sampling = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(44, 160, 44, 30), pen=pg.mkPen(None))
        plot.addItem(self.sampling)
        self.curve = plot.plot([], [])
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.dot = pg.ScatterPlotItem(size=10)
        plot.addItem(self.cursor)
        plot.addItem(self.dot)
        self.x, self.y = np.zeros(0), np.zeros(0)

    def set_data(self, x: np.ndarray, y: np.ndarray, sample_from: float) -> None:
        self.x, self.y = x, y
        self.curve.setData(x, y)
        self.sampling.setRegion((sample_from, x[-1] if len(x) else sample_from))
        self.plot.enableAutoRange()

    def mark(self, k: int) -> None:
        if 0 <= k < len(self.x):
            self.cursor.setValue(self.x[k])
            self.dot.setData([self.x[k]], [self.y[k]])

    def restyle(self, t: Theme) -> None:
        self.curve.setPen(t.pen(self.color, 1.3))
        self.cursor.setPen(t.pen(CURSOR, 1.0))
        self.dot.setBrush(pg.mkBrush(CURSOR))
        self.dot.setPen(t.pen(t.foreground, 0.5))


class RunPlotsView(pg.GraphicsLayoutWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.temperature = _Trace(self.addPlot(row=0, col=0), SERIES_COLORS[1])
        self.energy = _Trace(self.addPlot(row=1, col=0), SERIES_COLORS[0])
        self.energy.plot.setXLink(self.temperature.plot)
        self.temperature_now = ""
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def set_run(self, temperatures: np.ndarray, energies: np.ndarray, n_free: int, anneal_probes: int) -> None:
        """temperatures: (P,) of each probe; energies: (P + 1,) of the state before any probe and after each."""
        time = np.arange(len(energies)) / n_free  # state k follows probe k − 1
        self.temperature.set_data(time, np.concatenate([temperatures[:1], temperatures]), anneal_probes / n_free)
        self.energy.set_data(time, energies, anneal_probes / n_free)

    def set_position(self, k: int) -> None:
        self.temperature.mark(k)
        self.energy.mark(k)
        if 0 <= k < len(self.temperature.y):
            self.temperature_now = f"T = {self.temperature.y[k]:g}"
            set_title(self.temperature.plot, theme(), self._schedule_title())

    def _schedule_title(self) -> str:
        return titled(QT_TR_NOOP("Annealing schedule"), self.temperature_now)

    def _titles(self, t: Theme) -> None:
        style(self.temperature.plot, t, self._schedule_title(), "", tr("temperature"))
        style(self.energy.plot, t, titled(QT_TR_NOOP("Energy"), "E = −½ sᵀWs − bᵀs"),
                   tr("time units"), "E")  # fmt: skip

    def restyle(self, t: Theme) -> None:
        self.temperature.restyle(t)
        self.energy.restyle(t)
        self._titles(t)
