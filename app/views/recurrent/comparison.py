"""RNN, LSTM and GRU side by side on the same task and sequence: their gradient flow matrices next to each
other on one colour scale, ‖∂L/∂h_t‖ on one log axis, and their losses, so the vanishing gradient is seen."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.panels.recurrent_controls import CELL_LABELS
from app.sessions.comparison import DEFAULT_CELLS, ComparisonSnapshot
from app.theme import SERIES_COLORS, theme, themes
from app.views.recurrent.heatmap import Heatmap

TINY = 1e-30


class CompareView(QWidget):
    """Fed by its panel: ``show_snapshot`` draws a ``ComparisonSnapshot``, ``show_cells`` and ``show_training``
    set the boxes and the button. Asks for networks with ``setup_requested(cells)`` and for training with
    ``training_toggled(on)``; the panel owns the networks."""

    setup_requested = Signal(list)
    training_toggled = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.snapshot: ComparisonSnapshot | None = None
        self.cell_boxes = []
        bar = QHBoxLayout()
        for cell in DEFAULT_CELLS:
            box = QComboBox()
            for key, label in CELL_LABELS.items():
                box.addItem(label, key)
            box.setCurrentIndex(box.findData(cell))
            self.cell_boxes.append(box)
            bar.addWidget(box)
        self.setup_button = QPushButton(tr("New networks from the main settings"))
        self.setup_button.clicked.connect(lambda: self.setup_requested.emit(self.cells()))
        self.train_button = QPushButton(tr("Train all"))
        self.train_button.setCheckable(True)
        self.train_button.toggled.connect(self.training_toggled)
        self.info = QLabel()
        for w in (self.setup_button, self.train_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.canvas = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.info)
        layout.addWidget(self.canvas, 1)
        self.flows = [
            Heatmap(self.canvas.addPlot(row=0, col=k), "", "magnitude", (-8, 0), colorbar=k == 2, markers=False)
            for k in range(3)
        ]
        self.norms = self.canvas.addPlot(
            row=1, col=0, colspan=2, title="‖∂L/∂h_t‖ " + tr("gradient back through time") + " (log)"
        )
        self.norms.setLogMode(y=True)
        self.norms.setLabel("bottom", "t")
        self.norms.showGrid(x=True, y=True, alpha=0.3)
        self.norms.addLegend(offset=(10, 5))
        self.losses = self.canvas.addPlot(row=1, col=2, title=tr("loss"))
        self.losses.setLabel("bottom", tr("training step"))
        self.losses.setLogMode(y=True)
        self.losses.showGrid(x=True, y=True, alpha=0.3)
        themes().changed.connect(self._theme_changed)

    def cells(self) -> list[str]:
        """The cells the boxes show."""
        return [box.currentData() for box in self.cell_boxes]

    def show_cells(self, cells: tuple[str, ...]) -> None:
        for box, cell in zip(self.cell_boxes, cells, strict=False):
            box.setCurrentIndex(box.findData(cell))

    def show_training(self, on: bool) -> None:
        self.train_button.blockSignals(True)
        self.train_button.setChecked(on)
        self.train_button.blockSignals(False)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw()  # what arrived while hidden (or from a session file)

    def _theme_changed(self, _theme) -> None:
        self._draw()

    def show_snapshot(self, snap: ComparisonSnapshot) -> None:
        self.snapshot = snap
        self._draw()

    def _draw(self) -> None:
        snap = self.snapshot
        if snap is None or not self.isVisible():
            return
        t = theme()
        flows = [c.inspection.flow[-1] for c in snap.contenders]  # the top layer's flow
        top = max(float(f.max()) for f in flows)
        top = np.log10(top) if top > 0 else 0.0
        self.norms.clear()
        self.losses.clear()
        self.norms.legend.clear()
        for k, (contender, flow) in enumerate(zip(snap.contenders, flows, strict=True)):
            with np.errstate(divide="ignore"):
                self.flows[k].set_data(np.where(flow > 0, np.log10(flow), np.nan), (top - 8, top))
            label = CELL_LABELS[contender.name]
            self.flows[k].plot.setTitle(f"{label}: ‖∂L_t/∂h_s‖ (log₁₀)")
            self.flows[k].plot.setLabel("bottom", tr("state s"))
            self.flows[k].plot.setLabel("left", tr("loss at t"))
            pen = t.pen(SERIES_COLORS[k], 2)
            dh = contender.inspection.grads.dh_norm[-1]
            self.norms.plot(np.arange(len(dh)), np.maximum(dh, TINY), pen=pen, name=label)
            if len(contender.losses):
                self.losses.plot(np.arange(1, len(contender.losses) + 1), np.maximum(contender.losses, 1e-12), pen=pen)
        last = ", ".join(f"{CELL_LABELS[c.name]} {c.losses[-1]:.3f}" for c in snap.contenders if len(c.losses))
        self.info.setText(f"<b>{tr(snap.task.title)}</b> · "
                          + tr("same batches, same sequence · training step {step}").format(step=snap.steps)
                          + (" · " + tr("loss: {losses}").format(losses=last) if last else ""))  # fmt: skip
