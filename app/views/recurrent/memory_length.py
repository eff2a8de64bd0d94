"""Memory length, seen: the latching task's success rate against sequence length for TDNN, NARX, RNN and LSTM,
and the length where each falls to one half. The TDNN drops to chance right past its stacked windows."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.sessions.memory_length import MemoryLengthDemo
from app.theme import SERIES_COLORS, theme, themes
from engine.latching import LABELS, SUCCESS_ACCURACY


class MemoryLengthView(QWidget):
    """Fed by its ``MemoryLengthDemo``: draws every curve it reports; the button starts or stops a measurement."""

    def __init__(self, demo: MemoryLengthDemo, parent=None) -> None:
        super().__init__(parent)
        self.demo = demo
        self.button = QPushButton(tr("Measure"))
        self.button.setCheckable(True)
        self.button.toggled.connect(lambda on: demo.measure() if on else demo.stop())
        s = demo.setup
        self.info = QLabel(tr("Latching (Bengio et al. 1994): the first value is ±1, noise follows; at the end, name "
                              "its sign. A run succeeds when it names it for {acc:.0%} of new sequences.").format(
                                  acc=SUCCESS_ACCURACY)  # fmt: skip
                           + " " + tr("TDNN of {layers} layers × window {window}, NARX with {ky} output delays, "
                                      "{hidden} units each, {steps} training steps.").format(
                                          layers=s.tdnn_layers, window=s.window, ky=s.output_delays, hidden=s.hidden,
                                          steps=s.steps))  # fmt: skip
        self.info.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.button)
        bar.addWidget(self.info, 1)
        self.canvas = pg.GraphicsLayoutWidget()
        self.plot = self.canvas.addPlot(title=tr("success rate against sequence length"))
        self.plot.setLogMode(x=True)
        self.plot.setYRange(-0.05, 1.05)
        self.plot.setLabel("bottom", tr("sequence length T"))
        self.plot.setLabel("left", tr("runs that succeed"))
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend(offset=(10, -10))  # bottom left: the curves start high on the left
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        demo.curve_changed.connect(self._draw)
        demo.running_changed.connect(self._show_running)
        themes().changed.connect(self._theme_changed)  # a bound method: Qt disconnects it when the view dies
        self._draw(demo.curve)

    def _theme_changed(self, _theme) -> None:
        self._draw(self.demo.curve)

    def _show_running(self, on: bool) -> None:
        self.button.blockSignals(True)
        self.button.setChecked(on)
        self.button.setText(tr("Stop") if on else tr("Measure"))
        self.button.blockSignals(False)

    def _draw(self, curve) -> None:
        self.plot.clear()
        self.plot.legend.clear()
        t = theme()
        half = pg.InfiniteLine(0.5, angle=0, pen=t.pen("#888888", 1, style=pg.QtCore.Qt.DashLine))
        self.plot.addItem(half)
        s = self.demo.setup
        reach = s.tdnn_layers * (s.window - 1) + 1  # the last step's stacked windows reach back this far
        window = pg.InfiniteLine(np.log10(reach), angle=90, pen=t.pen(SERIES_COLORS[0], 1, style=pg.QtCore.Qt.DotLine),
                                 label=tr("TDNN sees {n} steps").format(n=reach),
                                 labelOpts={"position": 0.55, "color": SERIES_COLORS[0]})  # fmt: skip
        self.plot.addItem(window)
        if curve is None:
            return
        lengths = np.array(curve.lengths, float)
        self.plot.getAxis("bottom").setTicks([[(np.log10(n), str(n)) for n in curve.lengths]])
        for m, name in enumerate(curve.models):
            done = ~np.isnan(curve.success[m])
            if not done.any():
                continue
            at = curve.half_lengths()[name] if done.all() else float("nan")
            if np.isnan(at):
                label = LABELS[name]
            elif np.isinf(at):
                label = tr("{name}: above 50 % up to T = {n}").format(name=LABELS[name], n=curve.lengths[-1])
            else:
                label = tr("{name}: 50 % at T ≈ {n}").format(name=LABELS[name], n=f"{at:.0f}")
            color = SERIES_COLORS[m % len(SERIES_COLORS)]
            self.plot.plot(lengths[done], curve.success[m, done], pen=t.pen(color, 2.5), symbol="o", symbolSize=8,
                           symbolBrush=color, symbolPen=None, name=label)  # fmt: skip
