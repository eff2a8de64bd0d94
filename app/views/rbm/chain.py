"""The Gibbs chain, one half-step at a time: the hidden strip above the visible image, probabilities on the left
and samples on the right, the layer just sampled outlined in green and clamped pixels in orange."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from app.i18n import in_each_language, tr
from app.sessions.rbm import ChainState
from app.theme import Theme, theme, themes
from app.views.rbm.images import CLAMP_COLOR, INK, ImagePlot


class RBMChainView(pg.GraphicsLayoutWidget):
    """``show_state(state, image_shape)`` draws one position; a click on a visible pixel emits ``unit_clicked``."""

    unit_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(420, 360)
        layout = self.ci
        self.caption = layout.addLabel("", row=0, col=0, colspan=2)
        self.hidden_prob = ImagePlot(layout, 1, 0, "", INK, grid=True)
        self.hidden = ImagePlot(layout, 1, 1, "", INK, grid=True)
        self.visible_prob = ImagePlot(layout, 2, 0, "", INK, clickable=True, grid=True)
        self.visible = ImagePlot(layout, 2, 1, "", INK, clickable=True, grid=True)
        layout.layout.setRowStretchFactor(1, 1)
        layout.layout.setRowStretchFactor(2, 4)
        self.clamp_marks = []
        for plot in (self.visible_prob, self.visible):
            marks = pg.ScatterPlotItem(symbol="s", pxMode=False, size=0.86, brush=None)
            plot.plot.addItem(marks)
            self.clamp_marks.append(marks)
            plot.image.clicked.connect(self._clicked)
        self._shape = (1, 1)
        self._state: ChainState | None = None
        themes().changed.connect(self.restyle)

    def show_state(self, state: ChainState, image_shape: tuple[int, int], steps: int) -> None:
        self._state, self._shape, self._steps = state, image_shape, steps
        self.visible_prob.set_image(state.visible_prob.reshape(image_shape))
        self.visible.set_image(state.visible.reshape(image_shape))
        self.hidden_prob.set_image(state.hidden_prob[None, :])
        self.hidden.set_image(state.hidden[None, :])
        rows, cols = np.nonzero(state.clamp.reshape(image_shape))
        for marks in self.clamp_marks:
            marks.setData(cols + 0.5, rows + 0.5)
        self.restyle(theme())

    def restyle(self, t: Theme) -> None:
        for marks in self.clamp_marks:
            marks.setPen(pg.mkPen(CLAMP_COLOR, width=1.5 * t.line_width))
        state = self._state
        if state is None:
            return
        t_v, t_h = state.t, state.t if state.layer == "hidden" else state.t - 1
        h_name = f"h{_sub(t_h)}" if t_h >= 0 else "h " + tr("(not yet sampled)")
        hidden_prob = f"p(h=1 | v{_sub(t_h)}) " + tr("hidden probabilities") if t_h >= 0 else h_name
        self.hidden_prob.set_title(hidden_prob, fresh=state.layer == "hidden")
        self.hidden.set_title(f"{h_name} " + tr("hidden sample"), fresh=state.layer == "hidden")
        source = tr("start") if t_v == 0 else f"p(v=1 | h{_sub(t_v - 1)}) " + tr("visible probabilities")
        self.visible_prob.set_title(source, fresh=state.layer == "visible")
        self.visible.set_title(f"v{_sub(t_v)} " + tr("visible sample"), fresh=state.layer == "visible")

        def what() -> str:
            if state.layer == "hidden":
                return tr("sampled") + f" h{_sub(t_v)} ~ p(h | v{_sub(t_v)})"
            if t_v == 0:
                return tr("start v₀ (clamped pixels: orange; click a pixel to clamp or free it)")
            return tr("sampled") + f" v{_sub(t_v)} ~ p(v | h{_sub(t_v - 1)})"

        self.caption.setText(
            in_each_language(
                lambda: tr("Gibbs step {step} / {steps} — {what}").format(step=t_v, steps=self._steps, what=what())
            ),
            size=f"{t.font_point_size * 1.1:.0f}pt",
            color=t.foreground,
        )

    def _clicked(self, row: int, col: int) -> None:
        if row < self._shape[0] and col < self._shape[1]:
            self.unit_clicked.emit(row * self._shape[1] + col)


def _sub(n: int) -> str:
    """``n`` in subscript digits: v₁₂."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
