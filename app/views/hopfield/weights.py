"""The weight matrix W (N × N) as a heatmap: red where two units excite each other, blue where they
inhibit, white for no connection (the diagonal). Levels are symmetric about zero, so white always means 0."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP

from app.i18n import in_each_language, tr
from app.theme import Theme, theme, themes
from app.views.hopfield.style import DIVERGING, RULE_NAMES, style_plot, titled, ui_font

TITLE = (QT_TR_NOOP("Weights"), "w_ij")


class WeightHeatmapView(pg.GraphicsLayoutWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plot = self.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        box = self.plot.getViewBox()
        box.setAspectLocked(True)
        box.invertY(True)
        self.image = pg.ImageItem(axisOrder="row-major", autoDownsample=True)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=(-1, 1), colorMap=DIVERGING, interactive=False, width=18)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.rule, self.n_patterns = "", 0
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    @property
    def levels(self) -> tuple[float, float]:
        return tuple(self.colorbar.levels())

    def set_weights(self, W: np.ndarray | None, rule: str, n_patterns: int) -> None:
        """W: (N, N), or None for an empty memory (shown as an all-white matrix)."""
        self.rule, self.n_patterns = rule, n_patterns
        if W is None:
            W = np.zeros((1, 1))
        image = np.ascontiguousarray(W, dtype=np.float32)
        scale = float(np.abs(image).max()) or 1.0  # symmetric levels: white is exactly zero
        self.image.setImage(image, levels=(-scale, scale))
        self.colorbar.setLevels((-scale, scale))
        self.plot.getViewBox().setRange(xRange=(0, image.shape[1]), yRange=(0, image.shape[0]), padding=0.02)
        self._title(theme())

    def _title(self, t: Theme) -> None:
        def stored() -> str:
            rule = tr(RULE_NAMES[self.rule])
            return tr("{rule} rule, {patterns} patterns").format(rule=rule, patterns=self.n_patterns)

        detail = in_each_language(stored) if self.n_patterns else tr("nothing stored yet")
        style_plot(self.plot, t, f"{titled(*TITLE)} · {detail}", tr("unit j"), tr("unit i"))

    def restyle(self, t: Theme) -> None:
        axis = self.colorbar.getAxis("right")
        axis.setTickFont(ui_font(t, 0.9))
        axis.setTextPen(t.foreground)
        self._title(t)
