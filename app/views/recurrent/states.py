"""The memory itself: cell state c_t (LSTM) and hidden state h_t as heatmaps, and the selected unit's
values as lines over time."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from app.i18n import tr
from app.theme import SERIES_COLORS, theme
from app.views.legend import legend_below
from app.views.recurrent.heatmap import Heatmap
from app.views.recurrent.recurrent_view import RecurrentView


class StateView(RecurrentView):
    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.canvas = pg.GraphicsLayoutWidget()
        QVBoxLayout(self).addWidget(self.canvas)
        self.hidden_map = Heatmap(self.canvas.addPlot(row=0, col=0), tr("hidden state h_t"), "signed", (-1, 1))
        self.cell_map = Heatmap(self.canvas.addPlot(row=0, col=1), tr("cell state c_t"), "signed", (-2, 2))
        for heat in (self.hidden_map, self.cell_map):
            heat.signals.clicked.connect(self.select_time)
            heat.plot.getAxis("left").enableAutoSIPrefix(False)  # a single row (NARX's one output) reads 0, not ×0.001
        self.lines = self.canvas.addPlot(row=1, col=0, colspan=2, title=tr("selected unit over time"))
        legend_below(self.lines)  # over the data, it hid the curves' start
        self.lines.setLabel("bottom", "t")
        self.lines.showGrid(x=True, y=True, alpha=0.3)
        self.h_curve = self.lines.plot(name="h_t")
        self.c_curve = self.lines.plot(name="c_t")
        self._c_in_legend = True
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.lines.addItem(self.cursor)
        self.restyle()

    def restyle(self) -> None:
        t = theme()
        self.h_curve.setPen(t.pen(SERIES_COLORS[0], 1.5))
        self.c_curve.setPen(t.pen(SERIES_COLORS[1], 1.5))  # solid: Qt strokes dashed curves many times slower
        self.cursor.setPen(t.pen("#ff00ff", 1.2))
        super().restyle()

    def show_snapshot(self, snapshot) -> None:
        lt = self.selected_layer_trace()
        unit = self.timeline.unit
        self.hidden_map.set_data(lt.hidden[:, 0, :].T)
        outputs = getattr(snapshot.inspection.trace, "outputs", None)  # NARX: the outputs it feeds back
        has_cell = lt.cell is not None or outputs is not None
        self.cell_map.plot.setVisible(has_cell)
        self.c_curve.setVisible(lt.cell is not None)
        if (lt.cell is not None) != self._c_in_legend:  # a hidden curve's entry is drawn crossed out: a GRU has no c_t
            legend = self.lines.legend
            legend.addItem(self.c_curve, "c_t") if lt.cell is not None else legend.removeItem(self.c_curve)
            self._c_in_legend = lt.cell is not None
        T = lt.hidden.shape[0]
        self.h_curve.setData(np.arange(T), lt.hidden[:, 0, unit])
        if outputs is not None:
            self.cell_map.set_data(outputs[:, 0, :].T, (-1.0, 1.0))
            self.cell_map.plot.setTitle(tr("outputs y_t fed back (NARX)"))
        elif has_cell:
            self.cell_map.plot.setTitle(tr("cell state c_t"))
            bound = max(1.0, float(np.abs(lt.cell).max()))
            self.cell_map.set_data(lt.cell[:, 0, :].T, (-bound, bound))
            self.c_curve.setData(np.arange(T), lt.cell[:, 0, unit])
        for heat in (self.hidden_map, self.cell_map):
            heat.set_unit(unit)
        self.lines.setTitle(tr("unit {unit} over time").format(unit=unit))

    def show_position(self, phase: str, t: int) -> None:
        for item in (self.hidden_map, self.cell_map):
            item.set_cursor(t)
        self.cursor.setValue(t)
