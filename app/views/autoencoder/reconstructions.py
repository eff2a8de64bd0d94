"""Held-out images, and what the autoencoder and PCA make of them through a code of the same size."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import Theme, theme, themes
from app.views.images import INK, PADDING, ImagePlot
from engine.rbm import data


class ReconstructionsView(pg.GraphicsLayoutWidget):
    """``show(originals, reconstructions, pca_reconstructions, image_shape, errors, caption)``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 320)
        self.caption = self.ci.addLabel("", row=0, col=0)
        self.rows = [ImagePlot(self.ci, i + 1, 0, "", INK, background=PADDING) for i in range(3)]
        self._caption = ""
        self._titles = ("", "", "")
        themes().changed.connect(self.restyle)

    def show(self, originals: np.ndarray, reconstructions: np.ndarray, pca_reconstructions: np.ndarray,
             image_shape: tuple[int, int], errors: tuple[float, float], caption: str) -> None:  # fmt: skip
        columns = len(originals)
        shown = (originals, np.nan_to_num(reconstructions), np.clip(pca_reconstructions, 0, 1))  # NaN: no net yet
        for plot, images in zip(self.rows, shown, strict=True):
            plot.set_image(data.tile(images, image_shape, columns=columns))
        ae_error, pca_error = (f"{e:.2f}" if np.isfinite(e) else "–" for e in errors)
        ae_title = tr("deep autoencoder: {error} squared error per image (all held-out images)")
        self._titles = (tr("held-out originals"), ae_title.format(error=ae_error),
                        tr("PCA, same code size: {error}").format(error=pca_error))  # fmt: skip
        self._caption = caption
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self._caption, size=f"{t.font_point_size:.0f}pt", color=t.foreground)
        for plot, title in zip(self.rows, self._titles, strict=True):
            plot.set_title(title)
