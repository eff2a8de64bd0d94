"""Training curves: the teacher-forced loss and accuracy of every batch, beside the same model running free on
held-out pairs (reading its own output: exposure bias is the gap), and the share of outputs exactly right."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import SERIES_COLORS, theme


class Seq2SeqCurvesView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget()
        QVBoxLayout(self).addWidget(self.canvas)
        self.loss = self.canvas.addPlot(row=0, col=0, title=tr("loss (nats per token)"))
        self.accuracy = self.canvas.addPlot(row=0, col=1, title=tr("accuracy"))
        for plot, corner in ((self.loss, (10, -10)), (self.accuracy, (-10, -10))):  # below the curves' start
            plot.setLabel("bottom", tr("training step"))
            plot.showGrid(x=True, y=True, alpha=0.3)
            plot.addLegend(offset=corner)
        self.loss.setLogMode(y=True)
        self.accuracy.setYRange(0, 1.02)
        self.curves = {
            "loss": self.loss.plot(name=tr("teacher-forced")),
            "free_loss": self.loss.plot(name=tr("free running")),
            "accuracy": self.accuracy.plot(name=tr("tokens, teacher-forced")),
            "free_accuracy": self.accuracy.plot(name=tr("tokens, free running")),
            "free_exact": self.accuracy.plot(name=tr("outputs exactly right")),
        }
        self.restyle()

    def restyle(self) -> None:
        colors = {"loss": 0, "free_loss": 1, "accuracy": 0, "free_accuracy": 1, "free_exact": 2}
        for key, curve in self.curves.items():
            curve.setPen(theme().pen(SERIES_COLORS[colors[key]], 2))

    def show_history(self, history: dict[str, np.ndarray]) -> None:
        for key, curve in self.curves.items():
            x = history["free_step" if key.startswith("free") else "step"]
            y = history[key]
            curve.setData(x, np.maximum(y, 1e-6) if "loss" in key else y)
