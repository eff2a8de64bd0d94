"""Training curves: reconstruction error, the exact log-likelihood against the uniform model, and the free
energy of training versus held-out data (a widening gap means the model is memorising)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.sessions.rbm import TrainingFrame
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.rbm.images import style_axes
from engine.rbm import data


class RBMCurvesView(pg.GraphicsLayoutWidget):
    """``show_frame(frame)`` updates the curves; long-lived items, only their data changes."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 420)
        self.error_plot = self.ci.addPlot(row=0, col=0)
        self.likelihood_plot = self.ci.addPlot(row=1, col=0)
        self.energy_plot = self.ci.addPlot(row=2, col=0)
        self.error = self.error_plot.plot()
        self.likelihood = self.likelihood_plot.plot(symbolSize=4)
        self.uniform = pg.InfiniteLine(
            angle=0, movable=False, label="uniform model −n·ln2", labelOpts={"position": 0.85}
        )
        self.likelihood_plot.addItem(self.uniform)
        self.unavailable = pg.TextItem(anchor=(0.5, 0.5))
        self.unavailable.setTextWidth(520)
        self.likelihood_plot.addItem(self.unavailable, ignoreBounds=True)
        self.legend = self.energy_plot.addLegend(offset=(-10, 10))
        self.train_energy = self.energy_plot.plot(name=tr("training data"))
        self.held_out_energy = self.energy_plot.plot(name=tr("held-out data"))
        for plot in (self.likelihood_plot, self.energy_plot):
            plot.setXLink(self.error_plot)
        self.error_plot.setLabel("left", "MSE")
        self.likelihood_plot.setLabel("left", "nats")
        self.energy_plot.setLabel("left", "F(v)")
        self.energy_plot.setLabel("bottom", tr("epoch"))
        self._problem: str | None = None
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show_frame(self, frame: TrainingFrame) -> None:
        h, model = frame.history, frame.model
        epochs = np.arange(1, h.epochs + 1)
        self.error.setData(epochs, h.reconstruction_error)
        known = np.isfinite(h.log_likelihood)  # computed only every few epochs when the model is larger
        self.likelihood.setData(epochs[known], h.log_likelihood[known])
        self.uniform.setValue(data.uniform_log_likelihood(model.n_visible))
        self._problem = data.likelihood_problem(model.n_visible, model.n_hidden)
        self.likelihood.setVisible(self._problem is None)
        self.uniform.setVisible(self._problem is None)
        self.unavailable.setText(self._problem or "")
        if self._problem:  # an empty plot with the reason in its middle
            self.likelihood_plot.setYRange(-1.0, 1.0, padding=0)
            self.unavailable.setPos(max(1.0, h.epochs / 2), 0.0)
        else:
            self.likelihood_plot.enableAutoRange(y=True)
        self.train_energy.setData(epochs, h.free_energy)
        held = np.isfinite(h.validation_free_energy)
        self.held_out_energy.setData(epochs[held], h.validation_free_energy[held])

    def restyle(self, t: Theme) -> None:
        size = f"{t.font_point_size:.0f}pt"
        titles = {
            self.error_plot: tr("reconstruction error") + "  ‖v − p(v | p(h | v))‖²",
            self.likelihood_plot: tr("exact log-likelihood") + "  mean log p(v)",
            self.energy_plot: tr("free energy") + "  F(v)",
        }
        for plot, title in titles.items():
            plot.setTitle(title, color=t.foreground, size=size)
            plot.showGrid(x=True, y=True, alpha=0.15)
            style_axes(plot, t)
        for item, color in ((self.error, 0), (self.likelihood, 0), (self.train_energy, 0), (self.held_out_energy, 1)):
            item.setPen(t.pen(SERIES_COLORS[color]))
        self.likelihood.setSymbolBrush(SERIES_COLORS[0])
        self.likelihood.setSymbolPen(None)
        self.likelihood.setSymbol("o")
        self.uniform.setPen(t.pen(t.muted, style=pg.QtCore.Qt.DashLine))
        self.uniform.label.setColor(t.muted)
        font = pg.QtGui.QFont()
        font.setPointSizeF(t.font_point_size * 0.9)
        self.uniform.label.setFont(font)
        for _, label in self.legend.items:
            label.setText(label.text, size=f"{t.font_point_size * 0.9:.0f}pt", color=t.foreground)
        self.unavailable.setColor(SERIES_COLORS[1])
