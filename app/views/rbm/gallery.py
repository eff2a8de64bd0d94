"""What the model dreams next to what it was shown: the training patterns and the persistent sample chains."""

from __future__ import annotations

import pyqtgraph as pg

from app.i18n import tr
from app.sessions.rbm import GALLERY_SWEEPS, TrainingFrame
from app.theme import Theme, theme, themes
from app.views.rbm.images import INK, PADDING, ImagePlot
from engine.rbm import data


class RBMGalleryView(pg.GraphicsLayoutWidget):
    """``show_data(rows, image_shape)`` once per data set; ``show_frame(frame, image_shape)`` per frame."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 300)
        self.data = ImagePlot(self.ci, 0, 0, "", INK, background=PADDING)
        self.samples = ImagePlot(self.ci, 0, 1, "", INK, background=PADDING)
        self.note = self.ci.addLabel("", row=1, col=0, colspan=2)
        self._counts = (0, 0)
        themes().changed.connect(self.restyle)

    def show_data(self, rows, image_shape: tuple[int, int]) -> None:
        self.data.set_image(data.tile(rows, image_shape))
        self._counts = (len(rows), self._counts[1])
        self.restyle(theme())

    def show_frame(self, frame: TrainingFrame, image_shape: tuple[int, int]) -> None:
        self.samples.set_image(data.tile(frame.gallery, image_shape))
        self._counts = (self._counts[0], len(frame.gallery))
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        n_data, n_chains = self._counts
        self.data.set_title(tr("training data ({patterns} patterns)").format(patterns=n_data))
        self.samples.set_title(tr("samples: {chains} persistent chains, p(v | h)").format(chains=n_chains))
        self.note.setText(
            tr(
                "Each chain started from random pixels and keeps running: {sweeps} Gibbs sweeps per update. "
                "A good model's samples look like the training data."
            ).format(sweeps=GALLERY_SWEEPS),
            size=f"{t.font_point_size * 0.9:.0f}pt",
            color=t.foreground,
        )
