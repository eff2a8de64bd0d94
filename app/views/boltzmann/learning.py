"""Learning as it went: G (how far the free machine's visible distribution is from the data's) per cycle, the
code each training vector gets (its hidden state of lowest energy) per cycle, and the codes found so far, each
beside its training vector."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.boltzmann.style import style, ui_font

INK = pg.ColorMap([0.0, 1.0], ["#ffffff", "#1a1a2e"])
CODES = pg.colormap.get("CET-C6")  # cyclic: one hue per code number


class LearningView(pg.GraphicsLayoutWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.caption = self.addLabel("", row=0, col=0, colspan=2)
        self.G_plot = self.addPlot(row=1, col=0)
        self.code_plot = self.addPlot(row=2, col=0)
        self.code_plot.setXLink(self.G_plot)
        self.table_plot = self.addPlot(row=1, col=1, rowspan=2)
        self.ci.layout.setColumnStretchFactor(0, 3)
        self.ci.layout.setColumnStretchFactor(1, 2)
        for plot in (self.G_plot, self.code_plot, self.table_plot):
            plot.setMenuEnabled(False)
            plot.hideButtons()
        self.G_curve = self.G_plot.plot([], [])
        self.solved = [pg.InfiniteLine(angle=90, movable=False) for _ in range(2)]
        self.G_plot.addItem(self.solved[0])
        self.code_plot.addItem(self.solved[1])
        self.code_image = pg.ImageItem(axisOrder="row-major")
        self.code_plot.addItem(self.code_image)
        self.code_plot.invertY(True)
        self.table = pg.ImageItem(axisOrder="row-major")
        self.table.setLookupTable(INK.getLookupTable(nPts=2))
        self.table_plot.addItem(self.table)
        self.table_plot.invertY(True)
        self.table_plot.setAspectLocked(True)
        self.table_plot.setMouseEnabled(False, False)
        self.table_plot.hideAxis("bottom")
        self.table_plot.hideAxis("left")
        self.headers = [pg.TextItem(anchor=(0.5, 1.0)) for _ in range(2)]
        for header in self.headers:
            self.table_plot.addItem(header)
        self.summary = ""
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def show_history(self, G: np.ndarray, codes: np.ndarray, distinct: np.ndarray, data: np.ndarray,
                     solved_cycle: int | None) -> None:  # fmt: skip
        """G: (C + 1,); codes: (C + 1, M, h) 0/1; distinct: (C + 1,); data: (M, V) the training vectors."""
        cycles = np.arange(len(G))
        known = np.isfinite(G)
        self.G_curve.setData(cycles[known], G[known])
        h = codes.shape[2]
        numbers = (codes.astype(np.int64) << np.arange(h)).sum(axis=2).T  # (M, C + 1)
        self.code_image.setImage(np.ascontiguousarray(numbers, np.float32), levels=(0, 2**h))
        self.code_image.setLookupTable(CODES.getLookupTable(nPts=2**h + 1))
        self.code_image.setRect(-0.5, 0, len(G), len(data))
        for line in self.solved:
            line.setVisible(solved_cycle is not None)
            line.setValue(solved_cycle or 0)
        M, V = data.shape
        self.code_plot.getAxis("left").setTicks([[(k + 0.5, str(k + 1)) for k in range(M)]])
        table = np.full((M, V + 1 + h), np.nan, np.float32)
        table[:, :V], table[:, V + 1 :] = data, codes[-1]
        self.table.setImage(np.nan_to_num(table, nan=0.0), levels=(0, 1))
        self.table_plot.getViewBox().setRange(xRange=(0, V + 1 + h), yRange=(-1, M), padding=0.05)
        self.headers[0].setPos(V / 2, -0.1)
        self.headers[1].setPos(V + 1 + h / 2, -0.1)
        last = "" if known.sum() == 0 else f" · G = {G[known][-1]:.3f}"
        done = tr("codes distinct since cycle {cycle}").format(cycle=solved_cycle) if solved_cycle else (
            tr("codes distinct") if distinct[-1] else tr("codes not yet distinct"))  # fmt: skip
        self.summary = tr("cycle {cycle}").format(cycle=len(G) - 1) + f"{last} · {done}"
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self.summary, color=t.foreground, size=f"{t.font_point_size * 1.15:.0f}pt")
        style(self.G_plot, t, "G = Σ P ln(P / P′)", "", tr("G (nats)"))
        style(self.code_plot, t, tr("Codes by cycle (a colour per code)"), tr("learning cycle"), tr("training vector"))
        style(self.table_plot, t, tr("Codes now"))
        for header, text in zip(self.headers, (tr("training vector"), tr("code")), strict=True):
            header.setText(text, color=t.foreground)
            header.setFont(ui_font(t))
        self.G_curve.setPen(t.pen(SERIES_COLORS[0], 1.3))
        for line in self.solved:
            line.setPen(t.pen("#2ca02c", 1.0, dash=[4, 4]))
