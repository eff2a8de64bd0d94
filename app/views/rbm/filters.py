"""Weight filters: each hidden unit's receptive field W[:, j] drawn as an image, all units in a mosaic."""

from __future__ import annotations

import pyqtgraph as pg

from app.i18n import tr
from app.sessions.rbm import TrainingFrame
from app.theme import Theme, theme, themes
from app.views.rbm.images import DIVERGING, PADDING, ImagePlot
from engine.rbm import data


class RBMFiltersView(pg.GraphicsLayoutWidget):
    """``show_frame(frame, image_shape)`` redraws the mosaic from the frame's weights."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 320)
        self.caption = self.ci.addLabel("", row=0, col=0)
        self.mosaic = ImagePlot(self.ci, 1, 0, "", DIVERGING, levels=(-1.0, 1.0), background=PADDING)
        self.legend = self.ci.addLabel("", row=2, col=0)
        self.ci.layout.setRowStretchFactor(1, 1)
        self._epoch = 0
        themes().changed.connect(self.restyle)
        self.restyle(theme())

    def show_frame(self, frame: TrainingFrame, image_shape: tuple[int, int]) -> None:
        self.mosaic.set_image(data.filter_mosaic(frame.model.W, image_shape))
        self._epoch = frame.epoch
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        size = f"{t.font_point_size:.0f}pt"
        what = tr("as an image, one per hidden unit j")
        self.caption.setText(
            tr("weight filters · epoch {epoch} · W[:, j] {what}").format(epoch=self._epoch, what=what),
            size=size,
            color=t.foreground,
        )
        self.legend.setText(
            "<span style='color:#b2182b'>■ red: positive weight</span> &nbsp; "
            "<span style='color:#2166ac'>■ blue: negative</span> &nbsp; white: zero · each tile scaled to its "
            "largest |w|",
            size=f"{t.font_point_size * 0.9:.0f}pt",
            color=t.foreground,
        )
