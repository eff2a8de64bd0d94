"""Exact matches against source length, with attention and without, after the same training on the same pairs
(the shape of Bahdanau et al. 2015's figure 2: without attention, quality falls as sources grow). A dashed line
marks the longest source trained on: beyond it, how far each generalises."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import SERIES_COLORS, theme
from app.views.seq2seq.controls import CHOICE_LABELS


class LengthAccuracyView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.button = QPushButton(tr("Train both and compare"))
        self.status = QLabel(tr("Trains the lab's model and the same without attention, on the same pairs."))
        self.status.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", tr("source length (characters)"))
        self.plot.setLabel("left", tr("outputs exactly right"))
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setYRange(0, 1.02)
        self.plot.addLegend(offset=(-10, 10))
        self.with_curve = self.plot.plot(name=tr("with attention"), symbol="o")
        self.without_curve = self.plot.plot(name=tr("without attention"), symbol="s")
        self.trained_line = pg.InfiniteLine(angle=90, movable=False, label=tr("longest trained"),
                                            labelOpts={"position": 0.9})  # fmt: skip
        self.plot.addItem(self.trained_line)
        self.empty = pg.TextItem(tr("Not compared yet: press “Train both and compare”."), anchor=(0.5, 0.5))
        self.plot.addItem(self.empty)
        self.empty.setPos(0.5, 0.5)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        self.restyle()
        self.show_comparison(None)

    def restyle(self) -> None:
        t = theme()
        self.with_curve.setPen(t.pen(SERIES_COLORS[0], 2))
        self.with_curve.setSymbolBrush(SERIES_COLORS[0])
        self.without_curve.setPen(t.pen(SERIES_COLORS[1], 2))
        self.without_curve.setSymbolBrush(SERIES_COLORS[1])
        self.trained_line.setPen(t.pen(t.muted, 1.5, style=pg.QtCore.Qt.DashLine))
        self.empty.setColor(t.foreground)
        self.trained_line.label.setColor(t.foreground)

    def show_progress(self, done: int, total: int) -> None:
        self.button.setEnabled(False)
        self.status.setText(tr("Training… {percent}%").format(percent=100 * done // max(total, 1)))

    def show_comparison(self, comparison) -> None:
        self.button.setEnabled(True)
        if comparison is None:
            for curve in (self.with_curve, self.without_curve):
                curve.setData([], [])
            self.trained_line.setVisible(False)
            self.empty.setVisible(True)
            self.plot.setXRange(0, 1)
            return
        self.empty.setVisible(False)
        self.plot.enableAutoRange(axis="x")
        for curve, table in ((self.with_curve, comparison.with_attention), (self.without_curve, comparison.without)):
            lengths = sorted(table)
            curve.setData(lengths, [table[n] for n in lengths])
        self.trained_line.setVisible(True)
        self.trained_line.setValue(comparison.train_max_len + 0.5)
        kind = tr(CHOICE_LABELS.get(comparison.attention, comparison.attention))
        said = tr("{steps} training steps each; attention: {kind}")
        self.status.setText(said.format(steps=comparison.steps, kind=kind))
