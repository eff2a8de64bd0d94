"""The held-out images' codes as points coloured by class: the autoencoder's beside PCA's at the same size (the
first two code units when the code is larger)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.images import style_axes

CLASS_COLORS = (*SERIES_COLORS, "#7f7f7f", "#bcbd22")


def _plane(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two columns of ``codes``, or the only one against zero."""
    return codes[:, 0], codes[:, 1] if codes.shape[1] > 1 else np.zeros(len(codes))


class CodesView(pg.GraphicsLayoutWidget):
    """``show_codes(codes, pca_codes, labels, classes, caption)`` redraws both scatters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 320)
        self.caption = self.ci.addLabel("", row=0, col=0, colspan=2)
        self.ae_plot = self.ci.addPlot(row=1, col=0)
        self.pca_plot = self.ci.addPlot(row=1, col=1)
        self.legend = self.pca_plot.addLegend(offset=(-10, 10))
        self.points: dict[pg.PlotItem, list[pg.ScatterPlotItem]] = {self.ae_plot: [], self.pca_plot: []}
        self._text, self._classes = "", ()
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show_codes(self, codes: np.ndarray, pca_codes: np.ndarray, labels: np.ndarray, classes: tuple[str, ...],
                   caption: str) -> None:  # fmt: skip
        groups = list(range(len(classes))) if classes else [0]
        new_classes = self._classes != classes or not self.points[self.ae_plot]
        if new_classes:
            self._classes = classes
            self.legend.clear()
            for plot, items in self.points.items():
                for item in items:
                    plot.removeItem(item)
                items.clear()
                for k in groups:
                    color = CLASS_COLORS[k % len(CLASS_COLORS)]
                    name = classes[k] if classes and plot is self.pca_plot else None
                    items.append(plot.plot([], [], pen=None, symbol="o", symbolSize=7, symbolPen=None,
                                           symbolBrush=pg.mkBrush(color), name=name))  # fmt: skip
        for plot, points in ((self.ae_plot, codes), (self.pca_plot, pca_codes)):
            x, y = _plane(points)
            for k, item in zip(groups, self.points[plot], strict=True):
                mine = ((labels == k) if classes else np.ones(len(labels), bool)) & np.isfinite(x)
                item.setData(x[mine], y[mine])
        self._text = caption
        if new_classes:  # the new legend's labels take the theme
            self.restyle(theme())
        else:  # restyling the titles, axes and legend at every frame took most of a frame's time
            t = theme()
            self.caption.setText(caption, size=f"{t.font_point_size:.0f}pt", color=t.foreground)

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self._text, size=f"{t.font_point_size:.0f}pt", color=t.foreground)
        size = f"{t.font_point_size:.0f}pt"
        self.ae_plot.setTitle(tr("deep autoencoder: code units 1 and 2"), color=t.foreground, size=size)
        self.pca_plot.setTitle(tr("PCA: components 1 and 2"), color=t.foreground, size=size)
        for plot in (self.ae_plot, self.pca_plot):
            plot.showGrid(x=True, y=True, alpha=0.15)
            style_axes(plot, t)
        for _, label in self.legend.items:
            label.setText(label.text, size=f"{t.font_point_size * 0.9:.0f}pt", color=t.foreground)
