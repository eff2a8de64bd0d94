"""The capacity experiment: store P random patterns in N units, start recall from each one (with a little
noise), and plot the fraction recovered exactly and the bit error against the load P/N, next to the Hebb
limit 0.138. The view only asks for a run (``run_requested``); the session runs it off the GUI thread."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TR_NOOP, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import in_each_language, tr
from app.sessions.hopfield import CapacityChoices
from app.sessions.settings import limits
from app.theme import SERIES_COLORS, Theme, theme, themes
from app.views.hopfield.style import RULE_NAMES, rule_box, style_plot, ui_font
from engine.hopfield import CAPACITY_RATIO

TITLE = (QT_TR_NOOP("Capacity"), QT_TR_NOOP("how many patterns can N units hold?"))
PROMPT = QT_TR_NOOP("Press Run: each point stores P random patterns and tries to recall every one.")


class CapacityPlotView(QWidget):
    run_requested = Signal(int, int, str, float)  # N, trials, rule, noise
    cancel_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.units = QComboBox()
        for n in (64, 100, 196, 256, 400):
            self.units.addItem(f"N = {n}", n)
        self.units.setCurrentIndex(1)
        (t_low, t_high), (n_low, n_high) = limits(CapacityChoices, "trials"), limits(CapacityChoices, "noise_percent")
        self.trials = QSpinBox(minimum=t_low, maximum=t_high, value=CapacityChoices.trials, prefix="trials ")
        self.rule = rule_box()
        self.noise = QDoubleSpinBox(minimum=n_low, maximum=n_high, value=CapacityChoices.noise_percent, decimals=0,
                                    suffix=" % noise")  # fmt: skip
        self.run = QPushButton(tr("Run"))
        self.running = False  # the button cancels while an experiment runs
        self.run.clicked.connect(self._run_clicked)
        self.progress = QProgressBar()
        bar = QHBoxLayout()
        for w in (self.units, self.trials, self.rule, self.noise, self.run):
            bar.addWidget(w)
        bar.addWidget(self.progress, 1)
        self.plot_widget = pg.PlotWidget()
        self.plot = self.plot_widget.getPlotItem()
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setYRange(0, 1.02, padding=0)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.recalled = self.plot.plot([], [], name=tr("fraction recalled exactly"), symbol="o", symbolSize=7)
        self.bit_error = self.plot.plot([], [], name=tr("bit error (wrong units / N)"), symbol="s", symbolSize=7)
        self.limit = pg.InfiniteLine(
            pos=CAPACITY_RATIO, angle=90, movable=False, label=f"P/N = {CAPACITY_RATIO}",
            labelOpts={"position": 0.55, "anchors": [(0, 0.5), (0, 0.5)]},
        )  # fmt: skip
        self.plot.addItem(self.limit)
        self.plot.setXRange(0, 0.3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.plot_widget, 1)
        self.note = QLabel(tr(PROMPT))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.restyle(theme())
        themes().changed.connect(self.restyle)

    def _run_clicked(self) -> None:
        if self.running:
            self.cancel_requested.emit()
        else:
            self.run_requested.emit(
                self.units.currentData(), self.trials.value(), self.rule.currentData(), self.noise.value() / 100
            )

    def set_running(self, running: bool) -> None:
        self.running = running
        self.run.setText(tr("Cancel") if running else tr("Run"))
        if running:
            self.progress.setValue(0)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def show_result(self, result) -> None:
        """result: ``engine.hopfield.CapacityResult``."""
        self.recalled.setData(result.load, result.recall_fraction)
        self.bit_error.setData(result.load, result.bit_error)
        self.note.setText(in_each_language(lambda: tr(
            "N = {units}, {rule} rule, {trials} trials, {noise} of units flipped at the start. Theory (Hebb, "
            "large N): recall breaks down near P = {limit}.").format(
                units=result.N, rule=tr(RULE_NAMES.get(result.rule, result.rule)), trials=result.trials,
                noise=f"{result.noise:.0%}", limit=f"{result.theory_limit:.1f}")))  # fmt: skip

    def choices(self) -> dict:
        """The experiment's settings as chosen here, for a session file."""
        return {"N": self.units.currentData(), "trials": self.trials.value(), "rule": self.rule.currentData(),
                "noise_percent": self.noise.value()}  # fmt: skip

    def show_choices(self, choices: dict) -> None:
        """Show checked ``choices`` (see ``choices``); an N not offered here keeps the current one."""
        units = self.units.findData(choices["N"])
        self.units.setCurrentIndex(units if units >= 0 else self.units.currentIndex())
        self.trials.setValue(choices["trials"])
        self.rule.setCurrentIndex(max(0, self.rule.findData(choices["rule"])))
        self.noise.setValue(choices["noise_percent"])

    def clear(self) -> None:
        """No result on show, as before the first run."""
        self.recalled.setData([], [])
        self.bit_error.setData([], [])
        self.note.setText(tr(PROMPT))

    @property
    def curves(self) -> tuple[np.ndarray, np.ndarray]:
        return self.recalled.getData()[1], self.bit_error.getData()[1]

    def restyle(self, t: Theme) -> None:
        for curve, color in ((self.recalled, SERIES_COLORS[0]), (self.bit_error, SERIES_COLORS[1])):
            curve.setPen(t.pen(color, 1.3))
            curve.setSymbolBrush(color)
            curve.setSymbolPen(t.pen(color, 0.5))
        self.limit.setPen(t.pen("#606060", 1.0, dash=[6, 4]))
        self.limit.label.setFont(ui_font(t, 0.9))
        self.limit.label.setColor(t.foreground)
        self.legend.setLabelTextSize(f"{t.font_point_size:.0f}pt")
        style_plot(self.plot, t, f"{tr(TITLE[0])}: {tr(TITLE[1])}", tr("load P / N"), tr("fraction"))
