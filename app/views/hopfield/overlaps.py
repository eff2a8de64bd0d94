"""How much the current state looks like each stored pattern: one bar per pattern, m_μ = ξ_μ·s / N from
−1 (the pattern reversed) to +1 (the pattern itself), moving as recall runs."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP

from app.i18n import tr
from app.theme import Theme, theme, themes
from app.views.hopfield.style import NEGATIVE, POSITIVE, style_plot, titled

TITLE = (QT_TR_NOOP("Overlap"), "m = ξ·s / N")


class OverlapBarsView(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.showGrid(y=True, alpha=0.25)
        plot.setYRange(-1.05, 1.05, padding=0)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.zero = pg.InfiniteLine(pos=0, angle=0, movable=False)
        plot.addItem(self.zero)
        plot.addItem(self.bars)
        self.labels: list[str] = []
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    @property
    def heights(self) -> np.ndarray:
        return np.asarray(self.bars.opts["height"], float)

    def set_patterns(self, labels: list[str]) -> None:
        """One bar per stored pattern, named on the x axis."""
        self.labels = list(labels)
        self.getPlotItem().getAxis("bottom").setTicks([list(enumerate(self.labels))])
        self.getPlotItem().setXRange(-0.6, max(len(self.labels), 1) - 0.4, padding=0)

    def set_overlaps(self, m: np.ndarray) -> None:
        """m: (P,) overlaps in [-1, 1]; positive bars blue, negative red."""
        m = np.asarray(m, float)
        brushes = [pg.mkBrush(POSITIVE if v >= 0 else NEGATIVE) for v in m]
        self.bars.setOpts(x=np.arange(len(m)), height=m, brushes=brushes)

    def restyle(self, t: Theme) -> None:
        self.zero.setPen(t.pen(t.foreground, 0.6))
        self.bars.setOpts(pen=t.pen(t.foreground, 0.4))
        style_plot(self.getPlotItem(), t, titled(*TITLE), tr("stored pattern"), "m")
