"""The co-occurrences that drive learning: p_ij with the training vectors clamped, p′_ij with the machine free,
and their difference, whose sign moves each weight (unit means p_i on the diagonals, which move the biases)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.theme import Theme, theme, themes
from app.views.boltzmann.style import DIVERGING, style, ui_font

PROBABILITY = pg.colormap.get("viridis")
TITLES = ((QT_TR_NOOP("clamped"), "p_ij"), (QT_TR_NOOP("free"), "p′_ij"), (QT_TR_NOOP("difference"), "p_ij − p′_ij"))


class StatisticsView(pg.GraphicsLayoutWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.caption = self.addLabel("", row=0, col=0, colspan=3)
        self.plots, self.images, self.bars = [], [], []
        for k in range(3):
            plot = self.addPlot(row=1, col=k)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setMouseEnabled(False, False)
            plot.getViewBox().invertY(True)  # no locked aspect: the three stay aligned with their axes
            image = pg.ImageItem(axisOrder="row-major")
            plot.addItem(image)
            levels, colormap = ((-1, 1), DIVERGING) if k == 2 else ((0, 1), PROBABILITY)
            bar = pg.ColorBarItem(values=levels, colorMap=colormap, interactive=False, width=12,
                                  orientation="horizontal")  # fmt: skip
            bar.setImageItem(image)
            self.addItem(bar, row=2, col=k)
            self.plots.append(plot)
            self.images.append(image)
            self.bars.append(bar)
        self.source = ""
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def show_statistics(self, clamped: np.ndarray | None, free: np.ndarray | None, source: str) -> None:
        """clamped, free: (n, n) co-occurrences (None before any learning cycle); ``source`` says whence."""
        self.source = source
        if clamped is None or free is None:
            for image in self.images:
                image.clear()
        else:
            difference = clamped - free
            scale = float(np.abs(difference).max()) or 1.0
            for image, bar, data, levels in zip(self.images, self.bars, (clamped, free, difference),
                                                 ((0, 1), (0, 1), (-scale, scale)), strict=True):  # fmt: skip
                image.setImage(np.ascontiguousarray(data, np.float32), levels=levels)
                bar.setLevels(levels)
            n = len(clamped)
            step = max(1, n // 12)
            ticks = [[(k + 0.5, str(k)) for k in range(0, n, step)]]
            for plot in self.plots:
                plot.getViewBox().setRange(xRange=(0, n), yRange=(0, n), padding=0)
                for name in ("left", "bottom"):
                    plot.getAxis(name).setTicks(ticks)
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self.source, color=t.foreground, size=f"{t.font_point_size * 1.1:.0f}pt")
        for plot, (name, formula), bar in zip(self.plots, TITLES, self.bars, strict=True):
            style(plot, t, f"{tr(name)}  {formula}", tr("unit j"), tr("unit i"))
            axis = bar.getAxis("bottom")
            axis.setTickFont(ui_font(t, 0.85))
            axis.setTextPen(t.foreground)
