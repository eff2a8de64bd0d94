"""How training goes: loss, accuracy, perplexity (language tasks) and the gradient norm before clipping."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from app.i18n import tr
from app.theme import SERIES_COLORS, theme
from app.views.recurrent.recurrent_view import RecurrentView


class TrainingView(RecurrentView):
    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.canvas = pg.GraphicsLayoutWidget()
        QVBoxLayout(self).addWidget(self.canvas)
        titles = {"loss": tr("loss"), "accuracy": tr("accuracy"), "perplexity": tr("perplexity"),
                  "grad_norm": tr("‖g‖ before clipping")}  # fmt: skip
        self.plots, self.curves = {}, {}
        for k, (key, title) in enumerate(titles.items()):
            plot = self.canvas.addPlot(row=k // 2, col=k % 2, title=title)
            plot.setLabel("bottom", tr("training step"))
            plot.showGrid(x=True, y=True, alpha=0.3)
            if key in ("loss", "perplexity", "grad_norm"):
                plot.setLogMode(y=True)
            self.plots[key] = plot
            self.curves[key] = plot.plot()
        self.clip_line = pg.InfiniteLine(angle=0, movable=False, label="clip θ", labelOpts={"position": 0.1})
        self.plots["grad_norm"].addItem(self.clip_line)
        self.restyle()

    def restyle(self) -> None:
        t = theme()
        for i, curve in enumerate(self.curves.values()):
            curve.setPen(t.pen(SERIES_COLORS[i], 2))
        self.clip_line.setPen(t.pen("#d62728", 1.5, style=pg.QtCore.Qt.DashLine))
        super().restyle()

    def show_snapshot(self, snapshot) -> None:
        h = snapshot.history
        per_step_text = snapshot.task.activation == "softmax" and snapshot.task.mode == "per_step"
        self.plots["perplexity"].setVisible(per_step_text)
        for key, curve in self.curves.items():
            values = h[key] if len(h["step"]) else np.zeros(0)
            if key in ("loss", "perplexity", "grad_norm"):
                values = np.maximum(values, 1e-12)
            curve.setData(h["step"], values)
        clip = snapshot.settings.clip_norm
        self.clip_line.setVisible(bool(clip))
        if clip:
            self.clip_line.setValue(np.log10(clip))

    def show_position(self, phase: str, t: int) -> None:
        pass
