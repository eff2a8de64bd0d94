"""Vanishing and exploding gradients, seen: ‖∂L/∂h_t‖ over t (log scale), the t × s matrix of gradient flow,
per-parameter gradient norms over training with the clipping threshold, and the recurrent matrix with its
singular values and spectral radius (the cause)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout

from app.i18n import tr
from app.theme import SERIES_COLORS, color, theme
from app.views.legend import legend_below
from app.views.recurrent.heatmap import Heatmap
from app.views.recurrent.recurrent_view import RecurrentView, layer_name
from app.views.series import thinned
from engine.delay import DelaySpec

TINY = 1e-30  # log scales cannot show zero


class GradientView(RecurrentView):
    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.canvas = pg.GraphicsLayoutWidget()
        QVBoxLayout(self).addWidget(self.canvas)
        c = self.canvas
        self.norms = c.addPlot(row=0, col=0, title="‖∂L/∂h_t‖ " + tr("gradient back through time"))
        self.norms.setLogMode(y=True)
        self.norms.setLabel("bottom", "t")
        self.norms.showGrid(x=True, y=True, alpha=0.3)
        legend_below(
            self.norms, columns=1
        )  # h and c of each layer one under the other: in F5, side by side, they took the
        # gradient flow's width
        self.norm_cursor = pg.InfiniteLine(angle=90, movable=False)
        self.norms.addItem(self.norm_cursor)
        self.flow = Heatmap(c.addPlot(row=0, col=1), "‖∂L_t/∂h_s‖ (log₁₀) " + tr("gradient flow"), "magnitude", (-8, 0))
        self.flow.plot.setLabel("bottom", tr("state s"))
        self.flow.plot.setLabel("left", tr("loss at t"))
        self.flow.plot.setMinimumWidth(200)  # a matrix, not a sliver
        self.spectrum = c.addPlot(row=0, col=2, title=tr("singular values of W_hh"))
        self.spectrum.setLabel("bottom", tr("index"))
        legend_below(self.spectrum, columns=2)  # two gates a row: the plot keeps its height
        self.spectrum.showGrid(x=True, y=True, alpha=0.3)
        self.params = c.addPlot(row=1, col=0, colspan=2, title=tr("gradient norms over training"))
        self.params.setLogMode(y=True)
        self.params.setLabel("bottom", tr("training step"))
        self.params.showGrid(x=True, y=True, alpha=0.3)
        legend_below(self.params, columns=4)
        self.weights = Heatmap(
            c.addPlot(row=1, col=2), "W_hh " + tr("recurrent weights"), "signed", (-1, 1), markers=False
        )
        self.weights.plot.setLabel("bottom", tr("from unit"))
        self.weights.plot.setLabel("left", tr("gate row"))
        for col in range(3):  # the three columns share the width: left to their least widths, an LSTM's legend of
            c.ci.layout.setColumnStretchFactor(col, 1)  # four gates squeezed the gradient flow to a sliver in F5
        self._curves: dict[str, pg.PlotDataItem] = {}
        self.norm_cursor.setPen(theme().pen("#ff00ff", 1.2))

    def restyle(self) -> None:
        self.norm_cursor.setPen(theme().pen("#ff00ff", 1.2))
        self._curves = {}
        self._spec_key = None
        super().restyle()

    def _curve(self, plot: pg.PlotItem, key: str, name: str, pen, **style) -> pg.PlotDataItem:
        """The curve called ``key``, made (with its pen and symbol style) the first time it is asked for;
        later calls only feed it data, which is what keeps a redraw cheap."""
        curve = self._curves.get(key)
        if curve is None:
            curve = self._curves[key] = plot.plot(name=name, pen=pen, **style)
        return curve

    def _reset_if_new_spec(self, snapshot) -> None:
        key = (snapshot.spec, snapshot.settings.clip_norm)
        if getattr(self, "_spec_key", None) != key:
            for plot in (self.norms, self.spectrum, self.params):
                plot.clear()
                if plot.legend is not None:
                    plot.legend.clear()
            self.norms.addItem(self.norm_cursor)
            self._curves = {}
            self._spec_key = key

    def show_snapshot(self, snapshot) -> None:
        self._reset_if_new_spec(snapshot)
        ins, t = snapshot.inspection, theme()
        steps = np.arange(ins.grads.dh_norm.shape[1])
        for k in range(ins.grads.dh_norm.shape[0]):
            pen = t.pen(SERIES_COLORS[k % 8], 2)
            self._curve(self.norms, f"dh{k}", f"‖∂L/∂h‖ {layer_name(snapshot, k)}", pen).setData(
                steps, np.maximum(ins.grads.dh_norm[k], TINY)
            )
            if ins.grads.dc_norm is not None:
                dashed = t.pen(SERIES_COLORS[k % 8], 1.0, style=pg.QtCore.Qt.DotLine)
                self._curve(self.norms, f"dc{k}", f"‖∂L/∂c‖ {layer_name(snapshot, k)}", dashed).setData(
                    steps, np.maximum(ins.grads.dc_norm[k], TINY))  # fmt: skip
        self._show_flow(snapshot)
        self._show_spectrum(snapshot)
        self._show_training(snapshot)

    def _show_flow(self, snapshot) -> None:
        flow = snapshot.inspection.flow
        if flow is None:
            return
        f = flow[self.timeline.layer]
        with np.errstate(divide="ignore"):
            logs = np.where(f > 0, np.log10(f), np.nan)  # no path from t to s: left blank
        top = float(np.nanmax(logs)) if f.max() > 0 else 0.0
        self.flow.set_data(logs, (top - 8.0, top))

    def _show_spectrum(self, snapshot) -> None:
        t = theme()
        k = self.timeline.layer
        D = snapshot.spec.directions
        blocks = [b for b in snapshot.inspection.spectrum if b.layer * D + b.direction == k]
        delay = isinstance(snapshot.spec, DelaySpec)
        title = tr("delay-line singular values") if delay else tr("singular values of W_hh")
        if getattr(self, "_spectrum_title", tr("singular values of W_hh")) != title:  # a new title lays the
            self._spectrum_title = title  # plots out again: only when the network's kind changes
            self.spectrum.setTitle(title)
        for b in blocks:
            label = f"{b.gate}: σ₁ = {b.singular_values[0]:.2f}" if delay else f"{b.gate}: ρ = {b.spectral_radius:.2f}"
            curve = self._curve(self.spectrum, f"sv{b.gate}", label, t.pen(color(b.gate).name(), 1.25), symbol="o",
                                symbolSize=5, symbolBrush=color(b.gate), symbolPen=None)  # fmt: skip
            curve.setData(np.arange(len(b.singular_values)), b.singular_values)
            legend_label = self.spectrum.legend.getLabel(curve)
            if legend_label.text != label:
                legend_label.setText(label)
        name = f"weight_hh_l{k // D}" + ("_reverse" if k % D else "")
        weights = snapshot.inspection.recurrent_weights
        if name in weights:
            W, title, axis = weights[name], name, tr("from unit")  # each gate block's ρ: the singular values' legend
        else:  # a delay network: the weights of its delay line (H × inputs·taps), the oldest tap first
            name = f"weight_l{k}" if f"weight_l{k}" in weights else next(iter(weights))
            W, title, axis = weights[name], name + ": " + tr("delay-line weights"), tr("input × tap, the oldest first")
        if getattr(self, "_weights_axis", tr("from unit")) != axis:  # a new label lays the plots out again
            self._weights_axis = axis
            self.weights.plot.setLabel("bottom", axis)
        bound = max(0.1, float(np.abs(W).max()))
        self.weights.set_data(W, (-bound, bound))
        self.weights.plot.setTitle(title)

    def _show_training(self, snapshot) -> None:
        h, t = snapshot.history, theme()
        if len(h["step"]) == 0:
            return
        names = [k for k in h if k.startswith("param:")]
        for i, key in enumerate(names):
            label = key.removeprefix("param:")
            self._curve(self.params, key, label, t.pen(SERIES_COLORS[i % 8], 1)).setData(
                *thinned(h["step"], np.maximum(h[key], TINY))
            )
        self._curve(self.params, "global", tr("‖g‖ before clipping"), t.pen("#000000", 2)).setData(
            *thinned(h["step"], np.maximum(h["grad_norm"], TINY))
        )
        clip = snapshot.settings.clip_norm
        if clip:
            pen = t.pen("#d62728", 2, style=pg.QtCore.Qt.DashLine)
            clip_curve = self._curve(self.params, "clip", tr("clip threshold θ = {clip}").format(clip=f"{clip:g}"), pen)
            clip_curve.setData(h["step"][[0, -1]], [clip, clip])

    def show_position(self, phase: str, t: int) -> None:
        self.norm_cursor.setValue(t)
        self.flow.set_cursor(t)
