"""Classification by free energy: the held-out images' confusion matrix, and one image's free energy per label."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.images import INK, PADDING, ImagePlot, style_axes

CONFUSION = pg.ColorMap([0.0, 1.0], ["#ffffff", "#08519c"])


class DBNClassifyView(pg.GraphicsLayoutWidget):
    """``show(predictions, energies, labels, images, image_shape, classes, index)``; ``show_none(reason)``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 320)
        self.caption = self.ci.addLabel("", row=0, col=0, colspan=2)
        self.confusion = ImagePlot(self.ci, 1, 0, "", CONFUSION, background=PADDING)
        self.image = ImagePlot(self.ci, 1, 1, "", INK, background=PADDING)
        self.energy_plot = self.ci.addPlot(row=2, col=0, colspan=2)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.energy_plot.addItem(self.bars)
        self.ci.layout.setRowStretchFactor(1, 3)
        self.ci.layout.setRowStretchFactor(2, 2)
        self._caption = ""
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show(self, predictions: np.ndarray, energies: np.ndarray, labels: np.ndarray, images: np.ndarray,
             image_shape: tuple[int, int], classes: tuple[str, ...], index: int) -> None:  # fmt: skip
        n = len(classes)
        counts = np.zeros((n, n))
        np.add.at(counts, (labels, predictions), 1)
        self.confusion.set_image(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1))
        self.confusion.set_title(tr("confusion: true class (rows) × chosen label (columns)"))
        index = min(max(index, 0), len(images) - 1)
        self.image.set_image(images[index].reshape(image_shape).astype(float))
        chosen = int(predictions[index])
        self.image.set_title(tr("held-out image {i}: class {true}, chosen {chosen}").format(
            i=index, true=classes[labels[index]], chosen=classes[chosen]), fresh=chosen == labels[index])  # fmt: skip
        relative = energies[index] - energies[index].min()
        brushes = [SERIES_COLORS[2] if k == chosen else SERIES_COLORS[0] for k in range(n)]
        self.bars.setOpts(x=np.arange(n), height=relative, brushes=brushes)
        self.energy_plot.getAxis("bottom").setTicks([[(k, classes[k]) for k in range(n)]])
        self.energy_plot.setTitle(tr("free energy F(x, label) − its lowest: the lowest label wins"))
        accuracy = float(np.mean(predictions == labels))
        self._caption = tr("held-out accuracy {accuracy:.1%} on {n} images").format(accuracy=accuracy, n=len(labels))
        self.restyle(theme())

    def show_none(self, reason: str) -> None:
        self.confusion.set_image(np.full((1, 1), np.nan))
        self.image.set_image(np.full((1, 1), np.nan))
        self.bars.setOpts(x=[], height=[])
        self._caption = reason
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self._caption, size=f"{t.font_point_size:.0f}pt", color=t.foreground)
        style_axes(self.energy_plot, t)
        self.energy_plot.setLabel("left", "ΔF")
