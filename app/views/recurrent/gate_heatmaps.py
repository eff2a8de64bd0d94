"""Every gate's activation as a time × unit heatmap (i, f, g, o for LSTM; r, z, n for GRU)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from app.i18n import tr
from app.theme import style_plots
from app.views.recurrent.heatmap import Heatmap
from app.views.recurrent.recurrent_view import RecurrentView, layer_name


def gate_title(gate: str) -> str:
    return {
        "i": tr("input gate i"), "f": tr("forget gate f"), "g": tr("candidate g (c̃)"), "o": tr("output gate o"),
        "r": tr("reset gate r"), "z": tr("update gate z"), "n": tr("candidate n (h̃)"),
        "h̃": tr("activation h = φ(W x + U h)"),
        "tdnn": tr("TDNN: h_t = tanh(Σ_k W_k u_(t−k) + b), no recurrent term"),
        "ar": tr("AR: h_t = Σ_k W_k x_(t−k) + b, linear"),
        "narx": tr("NARX: h_t = tanh(W_x x window + W_y y fed back + b)"),
    }[gate]  # fmt: skip


SIGNED = {"g", "n", "h̃", "tdnn", "ar", "narx"}
UNBOUNDED = {"rnn_relu", "ar"}  # activations not squashed into [−1, 1]: levels follow the values


class GateHeatmapView(RecurrentView):
    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.canvas = pg.GraphicsLayoutWidget()
        QVBoxLayout(self).addWidget(self.canvas)
        self.maps: dict[str, Heatmap] = {}
        self._cell = None

    def _build(self, gates: tuple[str, ...], relu: bool) -> None:
        self.canvas.clear()
        self.maps = {}
        cols = 2 if len(gates) > 1 else 1
        for k, gate in enumerate(gates):
            plot = self.canvas.addPlot(row=k // cols, col=k % cols)
            signed = gate in SIGNED and not relu
            kind, levels = ("signed", (-1.0, 1.0)) if signed else ("unit", (0.0, 1.0))
            heat = Heatmap(plot, gate_title(gate), kind, levels)
            heat.signals.clicked.connect(self.select_time)
            self.maps[gate] = heat
        style_plots(self.canvas)  # plots made after the theme styled the window: in F5 their titles stayed small

    def show_snapshot(self, snapshot) -> None:
        spec = snapshot.spec
        key = (spec.cell, spec.variant)
        if key != self._cell:
            self._build(spec.gates, spec.cell == "rnn_relu")
            self._cell = key
        lt = self.selected_layer_trace()
        title = layer_name(snapshot, self.timeline.layer)
        for gate, heat in self.maps.items():
            values = lt.gate(gate)[:, 0, :].T
            levels = None
            if spec.cell == "rnn_relu":
                levels = (0.0, max(1.0, float(values.max())))
            elif spec.cell == "ar":
                bound = max(1.0, float(np.abs(values).max()))
                levels = (-bound, bound)
            heat.set_data(values, levels)
            heat.set_unit(self.timeline.unit)
            heat.plot.setTitle(
                f"{gate_title(gate)} · {title}" if spec.num_layers * spec.directions > 1 else gate_title(gate)
            )

    def show_position(self, phase: str, t: int) -> None:
        for heat in self.maps.values():
            heat.set_cursor(t)
