"""Each layer's filters and its reconstruction error as it trains: the layer chosen above, its units' weights
carried down to the pixels through the layers below, and every layer's curve below."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.i18n import tr
from app.sessions.dbn import DBNFrame
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.filters import FiltersView
from app.views.images import style_axes

MAX_TILES = 100


def pixel_filters(frame: DBNFrame, layer: int) -> np.ndarray:
    """Layer ``layer``'s filters at the pixels, ``(pixels, units)``: W_1 W_2 ... W_layer (the label units' rows
    of the top layer dropped), at most ``MAX_TILES`` units."""
    layers = frame.net.layers
    W = layers[0].W[: layers[0].n_visible - (frame.net.n_labels if len(layers) == 1 else 0)]
    for i in range(1, layer + 1):
        W = W @ layers[i].W[: layers[i - 1].n_hidden]
    return W[:, :MAX_TILES]


class DBNLayersView(QWidget):
    """``show_frame(frame, image_shape, layer)``: the filters of ``layer`` and every layer's error curve."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.filters = FiltersView()
        self.curves = pg.GraphicsLayoutWidget()
        self.curves.setMinimumHeight(180)
        self.plot = self.curves.ci.addPlot()
        self.plot.setLabel("bottom", tr("epoch (all layers, in turn)"))
        self.plot.setLabel("left", "MSE")
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.lines: list[pg.PlotDataItem] = []
        splitter = QSplitter()
        splitter.setOrientation(pg.QtCore.Qt.Vertical)
        splitter.addWidget(self.filters)
        splitter.addWidget(self.curves)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show_frame(self, frame: DBNFrame, image_shape: tuple[int, int], layer: int) -> None:
        layer = min(layer, len(frame.net.layers) - 1)
        units = frame.net.layers[layer].n_hidden
        shown = min(units, MAX_TILES)
        heading = tr("layer {layer}: {shown} of its {units} units' weights, carried down to the pixels").format(
            layer=layer + 1, shown=shown, units=units)  # fmt: skip
        heading += " · " + tr("epoch") + f" {frame.epochs_done} / {frame.total_epochs}"
        self.filters.show_filters(pixel_filters(frame, layer), image_shape, heading)
        while len(self.lines) < len(frame.errors):
            i = len(self.lines)
            self.lines.append(self.plot.plot(name=tr("layer {layer}").format(layer=i + 1)))
            self.restyle(theme())
        start = 0
        for line, errors in zip(self.lines, frame.errors, strict=False):
            line.setData(np.arange(start + 1, start + len(errors) + 1), errors)
            start += len(errors)
        for line in self.lines[len(frame.errors) :]:
            line.setData([], [])

    def restyle(self, t: Theme) -> None:
        self.plot.setTitle(tr("reconstruction error of each layer's input"), color=t.foreground,
                           size=f"{t.font_point_size:.0f}pt")  # fmt: skip
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        style_axes(self.plot, t)
        for i, line in enumerate(self.lines):
            line.setPen(t.pen(SERIES_COLORS[i % len(SERIES_COLORS)]))
        for _, label in self.legend.items:
            label.setText(label.text, size=f"{t.font_point_size * 0.9:.0f}pt", color=t.foreground)
