"""View (4): perplexity over training, on the training batches and on the held-out text, with the two baselines
as lines: the uniform model's (the vocabulary size) and the unigram model's (character frequencies)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import SERIES_COLORS, theme, themes
from app.views.legend import legend_below

LEAST_STEPS = 10  # the step axis spans at least this many, so that before training it counts whole steps (not 0.2)


class PerplexityView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget()
        QVBoxLayout(self).addWidget(self.canvas)
        self.plot = self.canvas.addPlot(title=tr("perplexity"))
        self.plot.setLabel("bottom", tr("training step"))
        self.plot.setLogMode(y=True)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.legend = legend_below(self.plot)  # the baselines cross the whole plot: no corner is free
        self.train = self.plot.plot(name=tr("training batches"))
        self.held_out = self.plot.plot(name=tr("held-out text"), symbol="o", symbolSize=5)
        self.uniform = self.plot.plot(name=tr("uniform model (vocabulary size)"))
        self.unigram = self.plot.plot(name=tr("unigram model (character frequencies)"))
        self.frame = None
        self.restyle()
        themes().changed.connect(self._theme_changed)  # a bound method: Qt lets go of it when the view dies

    def _theme_changed(self, _theme) -> None:
        self.restyle()

    def restyle(self) -> None:
        t = theme()
        self.train.setPen(t.pen(SERIES_COLORS[0], 1))
        self.held_out.setPen(t.pen(SERIES_COLORS[1], 2))
        self.held_out.setSymbolBrush(SERIES_COLORS[1])
        self.uniform.setPen(t.pen(t.muted, 1.5, style=pg.QtCore.Qt.DashLine))
        self.unigram.setPen(t.pen(SERIES_COLORS[2], 1.5, style=pg.QtCore.Qt.DashLine))

    def set_frame(self, frame) -> None:
        self.frame = frame
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        if self.frame is None:
            return
        h = self.frame.history
        steps = h["step"]
        self.train.setData(steps, np.maximum(h["train_perplexity"], 1.0))
        measured = np.isfinite(h["held_out_perplexity"])
        self.held_out.setData(steps[measured], h["held_out_perplexity"][measured])
        end = max(float(steps[-1]) if len(steps) else 0.0, LEAST_STEPS)
        for curve, key in ((self.uniform, "uniform"), (self.unigram, "unigram")):
            curve.setData([0.0, end], [self.frame.baselines[key]] * 2)
