"""Weight filters: each hidden unit's receptive field drawn as an image, all units in a mosaic (RBM and DBN)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import Theme, theme, themes
from app.views.images import DIVERGING, PADDING, ImagePlot
from engine.rbm import data


class FiltersView(pg.GraphicsLayoutWidget):
    """``show_filters(W, image_shape, heading)`` redraws the mosaic of ``W: (pixels, units)``, one tile a column."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 320)
        self.caption = self.ci.addLabel("", row=0, col=0)
        self.mosaic = ImagePlot(self.ci, 1, 0, "", DIVERGING, levels=(-1.0, 1.0), background=PADDING)
        self.legend = self.ci.addLabel("", row=2, col=0)
        self.ci.layout.setRowStretchFactor(1, 1)
        self._heading = ""
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show_filters(self, W: np.ndarray, image_shape: tuple[int, int], heading: str) -> None:
        self.mosaic.set_image(data.filter_mosaic(W, image_shape))
        self._heading = heading
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self._heading, size=f"{t.font_point_size:.0f}pt", color=t.foreground)
        self.legend.setText(
            tr(
                "<span style='color:#b2182b'>■ red: positive weight</span> &nbsp; "
                "<span style='color:#2166ac'>■ blue: negative</span> &nbsp; white: zero · each tile scaled to its "
                "largest |w|"
            ),
            size=f"{t.font_point_size * 0.9:.0f}pt",
            color=t.foreground,
        )
