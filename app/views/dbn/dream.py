"""What the net dreams: chains of the top RBM, each step carried down to the pixels, one tile per chain."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.theme import Theme, theme, themes
from app.views.images import INK, PADDING, ImagePlot
from engine.rbm import data


class DBNDreamView(pg.GraphicsLayoutWidget):
    """``show_step(images, image_shape, step, steps, labels, classes)`` draws the chains at one step."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 320)
        self.caption = self.ci.addLabel("", row=0, col=0)
        self.mosaic = ImagePlot(self.ci, 1, 0, "", INK, background=PADDING)
        self.note = self.ci.addLabel("", row=2, col=0)
        self.ci.layout.setRowStretchFactor(1, 1)
        self._text = ("", "")
        themes().changed.connect(self.restyle)

    def show_step(self, images: np.ndarray, image_shape: tuple[int, int], step: int, steps: int,
                  labels: np.ndarray, classes: tuple[str, ...]) -> None:  # fmt: skip
        self.mosaic.set_image(data.tile(images, image_shape, columns=min(len(images), 5)))
        clamped = sorted({int(v) for v in labels if v >= 0})
        if not clamped:
            which = tr("label units free")
        elif len(clamped) == 1:
            which = tr("label clamped to {name}").format(name=classes[clamped[0]])
        else:
            which = tr("one chain per class, left to right: {names}").format(
                names=" ".join(classes[c] for c in clamped)
            )
        self._text = (tr("Gibbs step") + f" {step} / {steps} · {which}",
                      tr("Gibbs sampling at the top RBM, then one top-down pass p(v | h) to the pixels"))  # fmt: skip
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        self.caption.setText(self._text[0], size=f"{t.font_point_size:.0f}pt", color=t.foreground)
        self.note.setText(self._text[1], size=f"{t.font_point_size * 0.9:.0f}pt", color=t.foreground)
