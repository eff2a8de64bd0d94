"""For small machines, the states the run has visited while sampling, against the exact Boltzmann distribution
at its temperature: bars for the exact probabilities of the most probable states, dots for how often each was
visited up to the playhead (a triangle at the top for one above the axis), and their total variation distance,
which shrinks as the run goes on."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.boltzmann.style import set_title, style

SHOWN = 48  # the most probable states drawn
HEADROOM = 1.15  # the P axis reaches this many times the largest exact probability, and stays there
OVER, WITHIN = "t1", "o"  # a frequency above the axis is pinned at its top as a triangle pointing up


class DistributionView(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.showGrid(y=True, alpha=0.25)
        self.legend = plot.addLegend(offset=(-10, 10))
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        plot.addItem(self.bars)
        self.dots = pg.ScatterPlotItem(size=9)
        plot.addItem(self.dots)
        self.legend.addItem(self.bars, tr("exact P"))
        self.legend.addItem(self.dots, tr("sampled frequency"))
        self.problem = pg.TextItem(anchor=(0.5, 0.5))
        self.problem.setTextWidth(560)
        plot.addItem(self.problem, ignoreBounds=True)
        self.order, self.exact, self.top = np.zeros(0, int), np.zeros(0), 1.0
        self.title, self.ticks = "", []
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def set_exact(self, p: np.ndarray | None, n_free: int, problem: str | None) -> None:
        """p: (2**F,) the exact probabilities of the free units' states (None with ``problem`` saying why)."""
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        if p is None:
            self.order, self.exact = np.zeros(0, int), np.zeros(0)
            self.bars.setOpts(x=[], height=[])
            self.dots.setData([], [])
            self.getPlotItem().setRange(xRange=(0, 1), yRange=(0, 1))
            self.problem.setPos(0.5, 0.5)
            return
        self.exact = p
        self.order = np.argsort(-p, kind="stable")[:SHOWN]
        x = np.arange(len(self.order))
        self.bars.setOpts(x=x, height=p[self.order], width=0.8)
        self.ticks = [(k, format(int(s), f"0{n_free}b")[::-1]) for k, s in enumerate(self.order)]
        self._thin_ticks()
        self.top = HEADROOM * p[self.order].max()
        self.getPlotItem().setRange(xRange=(-0.8, len(x) - 0.2), yRange=(0, self.top))

    def _thin_ticks(self) -> None:
        """As many state labels as fit side by side at the current width and font."""
        if not getattr(self, "ticks", None):  # pyqtgraph resizes before __init__ has run
            return
        label = (len(self.ticks[0][1]) + 2) * 0.6 * theme().font_point_size * 1.33  # pixels, digits ≈ 0.6 em
        fit = max(1, int(self.getPlotItem().getViewBox().width() / label))
        step = -(-len(self.ticks) // fit)
        self.getPlotItem().getAxis("bottom").setTicks([self.ticks[::step]])

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._thin_ticks()

    def set_counts(self, counts: np.ndarray, temperature: float) -> None:
        """counts: (2**F,) visits of each state by the sampling probes so far."""
        if not len(self.order):
            self.title = tr("Sampled states against the exact distribution")
            self.restyle(theme())
            return
        total = int(counts.sum())
        frequency = counts / max(total, 1)
        # the axis holds still while the run plays: a count above it (early ones are noisy) is pinned at its top
        shown = frequency[self.order]
        over = shown > self.top
        symbols = np.where(over, OVER, WITHIN)
        self.dots.setData(np.arange(len(self.order)), np.where(over, 0.97 * self.top, shown), symbol=symbols)
        distance = 0.5 * np.abs(frequency - self.exact).sum() if total else 1.0
        self.title = tr("At T = {T}: {samples} samples, total variation distance {tv}").format(
            T=f"{temperature:g}", samples=total, tv=f"{distance:.3f}")  # fmt: skip
        set_title(self.getPlotItem(), theme(), self.title)

    def restyle(self, t: Theme) -> None:
        self.bars.setOpts(brush=pg.mkBrush(SERIES_COLORS[0] + "80"), pen=pg.mkPen(None))
        self.dots.setBrush(pg.mkBrush(SERIES_COLORS[1]))
        self.dots.setPen(t.pen(t.foreground, 0.5))
        self.problem.setColor(t.foreground)
        self._thin_ticks()
        x_label = tr("state of the free units (lowest-numbered first), most probable first")
        style(self.getPlotItem(), t, self.title, x_label, "P")
