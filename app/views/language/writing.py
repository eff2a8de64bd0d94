"""View (2): a text written after a prompt, character by character as the playhead moves: the prompt in grey, the
characters written so far coloured by the probability they had, the current one outlined, and below, as bars,
the distribution the current character was drawn from."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import theme
from app.views.language.characters import SEQUENTIAL, CharacterCells, colours, shown


class WritingView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.writing = None
        self.chars: tuple[str, ...] = ()
        self.t = 0
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.cells = CharacterCells()
        self.cells.tooltip = self._tooltip
        scroll = QScrollArea()
        scroll.setWidget(self.cells)
        scroll.setWidgetResizable(True)
        self.canvas = pg.GraphicsLayoutWidget()
        self.plot = self.canvas.addPlot()
        self.plot.setLabel("left", tr("probability"))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setYRange(0, 1, padding=0.02)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.chosen = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.plot.addItem(self.bars)
        self.plot.addItem(self.chosen)
        split = QSplitter(Qt.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.canvas)
        split.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(split, 1)

    def show_writing(self, writing, chars: tuple[str, ...]) -> None:
        self.writing, self.chars = writing, chars
        self.show_step(min(self.t, len(writing.ids) - 1))

    def show_step(self, t: int) -> None:
        w = self.writing
        if w is None:
            return
        self.t = t = max(0, min(t, len(w.ids) - 1))
        prompt = "".join(self.chars[i] for i in w.prompt)
        written = "".join(self.chars[i] for i in w.ids[: t + 1])
        bits = -np.log2(np.maximum(w.chosen_prob[: t + 1], 1e-300))
        fills = [pg.mkColor(theme().background)] * len(prompt) + colours(bits, 0, 8, SEQUENTIAL)
        self.cells.set_text(prompt + written, fills, marked=len(prompt) + t, muted=set(range(len(prompt))))
        p, top = w.top_probs[t], w.top_ids[t]
        keep = p > 0
        x = np.arange(int(keep.sum()))
        is_chosen = top[keep] == w.ids[t]
        self.bars.setOpts(x=x[~is_chosen], height=p[keep][~is_chosen], brush="#1f77b4", pen=None)
        self.chosen.setOpts(x=x[is_chosen], height=p[keep][is_chosen], brush="#ff7f0e", pen=None)
        self.plot.getAxis("bottom").setTicks([[(int(i), shown(self.chars[c])) for i, c in zip(x, top[keep],
                                                                                           strict=True)]])  # fmt: skip
        self.plot.setXRange(-0.6, max(len(x), 5) - 0.4, padding=0)
        self.caption.setText(tr("step {t} of {n}: wrote “{char}”, probability {p:.1%}; the bars are the "
                                "distribution it was drawn from (orange: the character written)").format(
            t=t + 1, n=len(w.ids), char=shown(self.chars[w.ids[t]]), p=w.chosen_prob[t]))  # fmt: skip

    def _tooltip(self, i: int) -> str:
        k = i - len(self.writing.prompt)
        if k < 0:
            return tr("prompt")
        return tr("probability {p:.1%}").format(p=self.writing.chosen_prob[k])
