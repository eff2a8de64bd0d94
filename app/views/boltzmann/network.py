"""The machine as units and edges: each joined pair a line, red when it excites and blue when it inhibits, wider as its
weight grows, thin grey while its weight is 0 (so that an untrained machine shows its connections); each unit a disc,
dark when on, white when off, with the unit just probed ringed and clamped units drawn square. Edges are binned by
colour and width into a few long-lived curves (one path each), never a pen per edge."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.theme import Theme, theme, themes
from app.views.boltzmann.style import set_title, style, ui_font

LEVELS = 4  # widths of edge per sign
ON, OFF, PROBED = "#1a1a2e", "#ffffff", "#ff7f0e"
POSITIVE, NEGATIVE, ZERO = "#b2182b", "#2166ac", "#9e9e9e"  # as the weight heatmaps: red excites, blue inhibits
GROUP_NAMES = ("V1", "V2", QT_TR_NOOP("hidden"))  # V1, V2 as in the paper


def layout(groups: np.ndarray) -> np.ndarray:
    """(n, 2) positions: each visible group on a ring (so that links inside it show), the hidden units in a
    column between the rings (or right of a single ring)."""
    pos = np.zeros((len(groups), 2))
    rings = [g for g in (0, 1) if (groups == g).any()]
    radius = {g: 0.5 + 0.22 * (groups == g).sum() for g in rings}
    centres = {0: -(radius[0] + 2.0)} if len(rings) == 1 else {0: -(radius[0] + 2.0), 1: radius[1] + 2.0}
    for g in rings:
        members = np.flatnonzero(groups == g)
        angle = np.pi / 2 + 2 * np.pi * np.arange(len(members)) / len(members)
        pos[members] = np.c_[centres[g] + radius[g] * np.cos(angle), radius[g] * np.sin(angle)]
    hidden = np.flatnonzero(groups == 2)
    pos[hidden, 1] = (np.arange(len(hidden)) - (len(hidden) - 1) / 2) * -1.3
    return pos


class NetworkView(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setMouseEnabled(False, False)
        plot.getViewBox().setAspectLocked(True)
        self.edges = {(sign, level): pg.PlotCurveItem(connect="pairs") for sign in (1, -1) for level in range(LEVELS)}
        self.edges[0, 0] = pg.PlotCurveItem(connect="pairs")  # joined, weight 0
        for curve in self.edges.values():
            plot.addItem(curve)
        self.units = pg.ScatterPlotItem(pxMode=True)
        self.units.setZValue(5)
        plot.addItem(self.units)
        self.labels: list[pg.TextItem] = []
        self.key = pg.TextItem(anchor=(0.5, 0.0))  # what colour and width say
        plot.addItem(self.key)
        self.pos, self.pairs = np.zeros((0, 2)), np.zeros((0, 2), int)
        self.clamped: set[int] = set()
        self.title = ""
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def set_machine(self, mask: np.ndarray, groups: np.ndarray) -> None:
        plot = self.getPlotItem()
        for label in self.labels:
            plot.removeItem(label)
        self.pos = layout(groups)
        i, j = np.nonzero(np.triu(mask, 1))
        self.pairs = np.c_[i, j]
        self.labels = []
        for g, name in enumerate(GROUP_NAMES):
            members = np.flatnonzero(groups == g)
            if members.size:
                label = pg.TextItem(tr(name) if g == 2 else name, anchor=(0.5, 1.0), color=theme().foreground)
                label.setPos(self.pos[members, 0].mean(), self.pos[:, 1].max() + 0.9)
                plot.addItem(label)
                self.labels.append(label)
        self.key.setPos(self.pos[:, 0].mean(), self.pos[:, 1].min() - 0.7)
        span = np.ptp(self.pos, axis=0) + 2.0
        centre = self.pos.min(axis=0) + np.ptp(self.pos, axis=0) / 2
        plot.getViewBox().setRange(
            xRange=(centre[0] - span[0] / 2, centre[0] + span[0] / 2),
            yRange=(centre[1] - span[1] / 2 - 0.8, centre[1] + span[1] / 2 + 0.6),
            padding=0.05,
        )
        self._font(theme())

    def set_weights(self, W: np.ndarray) -> None:
        """Edges binned by the sign and the size of their weight, relative to the largest."""
        w = W[self.pairs[:, 0], self.pairs[:, 1]] if len(self.pairs) else np.zeros(0)
        scale = float(np.abs(w).max()) if w.size and np.abs(w).max() > 0 else 1.0
        level = np.minimum((np.abs(w) / scale * LEVELS).astype(int), LEVELS - 1)
        for (sign, lvl), curve in self.edges.items():
            chosen = self.pairs[(level == lvl) & (np.sign(w) == sign)]
            xy = self.pos[chosen.ravel()] if len(chosen) else np.zeros((0, 2))
            curve.setData(xy[:, 0], xy[:, 1])
        largest = f"{np.abs(w).max():g}" if w.size else "0"
        self.key.setText(tr("red w > 0, blue w < 0, grey w = 0\nwidth ∝ |w|, largest |w| = {w}").format(w=largest))

    def set_state(self, state: np.ndarray, probed: int | None, clamped: set[int], title: str) -> None:
        """state: (n,) 0/1; ``probed`` the unit just visited; ``clamped`` units held by the run."""
        self.clamped, self.title = clamped, title
        t = theme()
        size = 22 + 8 * t.presentation
        brushes = [pg.mkBrush(ON if s else OFF) for s in state]
        pens = [pg.mkPen(PROBED, width=4) if k == probed else pg.mkPen(t.foreground, width=1.2)
                for k in range(len(state))]  # fmt: skip
        symbols = ["s" if k in clamped else "o" for k in range(len(state))]
        self.units.setData(pos=self.pos, brush=brushes, pen=pens, symbol=symbols, size=size)
        set_title(self.getPlotItem(), t, title)

    def _restyle_edges(self, t: Theme) -> None:
        for (sign, level), curve in self.edges.items():
            color = pg.mkColor({1: POSITIVE, -1: NEGATIVE, 0: ZERO}[sign])
            color.setAlpha(90 + 55 * level)
            width = 0.8 + 1.6 * level if sign else 0.6
            curve.setPen(pg.mkPen(color, width=width * (1.6 if t.presentation else 1.0)))

    def _font(self, t: Theme) -> None:
        self.key.setFont(ui_font(t, 0.95))
        self.key.setColor(t.foreground)
        for label in self.labels:
            label.setFont(ui_font(t, 1.1))
            label.setColor(t.foreground)

    def restyle(self, t: Theme) -> None:
        self._restyle_edges(t)
        self._font(t)
        style(self.getPlotItem(), t, self.title)
