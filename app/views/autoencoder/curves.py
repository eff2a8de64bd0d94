"""Training curves: each pre-trained layer's reconstruction error, then fine-tuning's squared error per image on
the training and held-out images against PCA's, beside the published figures' shape."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.sessions.autoencoder import AEFrame
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.images import style_axes


class AECurvesView(pg.GraphicsLayoutWidget):
    """``show_frame(frame, pca_error, code)``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 420)
        self.pre_plot = self.ci.addPlot(row=0, col=0)
        self.fine_plot = self.ci.addPlot(row=1, col=0)
        self.note = self.ci.addLabel("", row=2, col=0)
        self.pre_legend = self.pre_plot.addLegend(offset=(-10, 10))
        self.fine_legend = self.fine_plot.addLegend(offset=(-10, 10))
        self.pre_lines: list[pg.PlotDataItem] = []
        self.train = self.fine_plot.plot(name=tr("training images"))
        self.held = self.fine_plot.plot(name=tr("held-out images"))
        self.pca = pg.InfiniteLine(angle=0, movable=False, label="PCA", labelOpts={"position": 0.9})
        self.fine_plot.addItem(self.pca)
        self.pre_plot.setLabel("left", "MSE")
        self.pre_plot.setLabel("bottom", tr("epoch (all layers, in turn)"))
        self.fine_plot.setLabel("left", tr("squared error per image"))
        self.fine_plot.setLabel("bottom", tr("fine-tuning epoch"))
        self._note = ""
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show_frame(self, frame: AEFrame, pca_error: float, code: int) -> None:
        while len(self.pre_lines) < len(frame.pre_errors):
            self.pre_lines.append(self.pre_plot.plot(name=tr("layer {layer}").format(layer=len(self.pre_lines) + 1)))
        start = 0
        for line, errors in zip(self.pre_lines, frame.pre_errors, strict=False):
            line.setData(np.arange(start + 1, start + len(errors) + 1), errors)
            start += len(errors)
        for line in self.pre_lines[len(frame.pre_errors) :]:
            line.setData([], [])
        epochs = np.arange(1, len(frame.train_error) + 1)
        self.train.setData(epochs, frame.train_error)
        self.held.setData(epochs, frame.held_out_error)
        self.pca.setValue(pca_error)
        here = f"{frame.held_out_error[-1]:.2f}" if len(frame.held_out_error) else "–"
        published = tr("MNIST test images, 30-D code: autoencoder 3.00 · logistic PCA 8.01 · PCA 13.87")
        ours = tr("held-out images, {code}-D code: autoencoder {error} · PCA {pca}").format(
            code=code, error=here, pca=f"{pca_error:.2f}")  # fmt: skip
        self._note = tr("published (Hinton & Salakhutdinov 2006): {published}<br>here: {ours}").format(
            published=published, ours=ours)  # fmt: skip
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        size = f"{t.font_point_size:.0f}pt"
        self.pre_plot.setTitle(tr("pre-training: each RBM's reconstruction error"), color=t.foreground, size=size)
        self.fine_plot.setTitle(tr("fine-tuning: squared error per image"), color=t.foreground, size=size)
        for plot in (self.pre_plot, self.fine_plot):
            plot.showGrid(x=True, y=True, alpha=0.15)
            style_axes(plot, t)
        for i, line in enumerate(self.pre_lines):
            line.setPen(t.pen(SERIES_COLORS[i % len(SERIES_COLORS)]))
        self.train.setPen(t.pen(SERIES_COLORS[0]))
        self.held.setPen(t.pen(SERIES_COLORS[1]))
        self.pca.setPen(t.pen(t.muted, style=pg.QtCore.Qt.DashLine))
        self.pca.label.setColor(t.muted)
        for legend in (self.pre_legend, self.fine_legend):
            for _, label in legend.items:
                label.setText(label.text, size=f"{t.font_point_size * 0.9:.0f}pt", color=t.foreground)
        self.note.setText(self._note, size=f"{t.font_point_size * 0.9:.0f}pt", color=t.foreground)
