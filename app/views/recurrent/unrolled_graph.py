"""The network unrolled through time: x_t at the bottom, one row of h_t (and c_t) per layer and direction,
ŷ_t and L_t on top; the same weights on every step's edges. The forward sweep lights the nodes step by step;
the backward sweep colours and thickens each edge by the size of the gradient passing along it.

Edges are drawn in eight colour bins, one ``PlotCurveItem(connect="pairs")`` each: a pen per edge paints about
8 frames a second at 800 edges, binned edges about 120.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QVBoxLayout

from app.i18n import tr
from app.theme import theme
from app.views.recurrent.delay_graph import FEEDBACK_COLOR, WINDOW_COLOR, build_delay_layout
from app.views.recurrent.heatmap import colormap
from app.views.recurrent.recurrent_view import RecurrentView
from engine.delay import DelaySpec

BINS = 8
DECADES = 6.0  # gradient magnitudes shown span this many powers of ten below the largest
MAX_LABELS = 120
IDLE, DONE = "#c8c8c8", "#505050"


@dataclass
class Layout:
    """Node positions and the edges between them, as index pairs, for one spec and length."""

    pos: np.ndarray  # (n, 2)
    kind: list[str]  # "x", "h", "c", "y", "L" per node
    step: np.ndarray  # (n,) time step of each node
    row: np.ndarray  # (n,) layer·D + direction for h and c nodes, −1 otherwise
    edges: np.ndarray  # (m, 2) node indices, source → target in the forward direction
    edge_kind: list[str]  # "input", "recurrent", "cell", "stack", "output", "loss"
    edge_step: np.ndarray  # (m,) the step whose gradient an edge carries back
    edge_row: np.ndarray  # (m,) the row whose gradient it carries (−1: the loss)


def build_layout(T: int, LD: int, D: int, lstm: bool, outputs: list[int]) -> Layout:
    pos, kind, step, row = [], [], [], []
    index: dict[tuple, int] = {}

    def node(key, x, y, k, t, r=-1):
        index[key] = len(pos)
        pos.append((x, y))
        kind.append(k)
        step.append(t)
        row.append(r)

    for t in range(T):
        node(("x", t), t, 0.0, "x", t)
        for r in range(LD):
            node(("h", r, t), t, 1.0 + r * (1.6 if lstm else 1.0), "h", t, r)
            if lstm:
                node(("c", r, t), t + 0.3, 1.55 + r * 1.6, "c", t, r)
    top = 1.0 + LD * (1.6 if lstm else 1.0)
    for t in outputs:
        node(("y", t), t, top, "y", t)
        node(("L", t), t, top + 0.8, "L", t)
    edges, ekind, estep, erow = [], [], [], []

    def edge(a, b, k, t, r):
        edges.append((index[a], index[b]))
        ekind.append(k)
        estep.append(t)
        erow.append(r)

    for t in range(T):
        for r in range(LD):
            layer, d = divmod(r, D)
            src = ("x", t) if layer == 0 else None
            if src:
                edge(src, ("h", r, t), "input", t, r)
            else:
                for below in range((layer - 1) * D, layer * D):
                    edge(("h", below, t), ("h", r, t), "stack", t, r)
            prev = t - 1 if d == 0 else t + 1
            if 0 <= prev < T:
                edge(("h", r, prev), ("h", r, t), "recurrent", t, r)
                if lstm:
                    edge(("c", r, prev), ("c", r, t), "cell", t, r)
    for t in outputs:
        for r in range(LD - D, LD):
            edge(("h", r, t), ("y", t), "output", t, r)
        edge(("y", t), ("L", t), "loss", t, -1)
    return Layout(np.array(pos, float), kind, np.array(step), np.array(row), np.array(edges).reshape(-1, 2), ekind,
                  np.array(estep), np.array(erow))  # fmt: skip


class UnrolledGraphView(RecurrentView):
    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.canvas = pg.GraphicsLayoutWidget()
        self.follow = QCheckBox(tr("follow the playhead"))
        self.follow.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.follow)
        self.plot = self.canvas.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.hideAxis("left")
        self.plot.setLabel("bottom", tr("time step t"))
        self.plot.setTitle(tr("unrolled through time") + " · " + tr("the same W_xh, W_hh, W_hy at every step"))
        self.band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(255, 0, 255, 30), pen=pg.mkPen(None))
        self.plot.addItem(self.band)
        self.curves = [pg.PlotCurveItem(connect="pairs") for _ in range(BINS + 2)]  # the bins, idle, done
        self.delay_curves = [pg.PlotCurveItem(connect="pairs") for _ in range(2)]  # window, feedback edges once done
        for c in self.curves + self.delay_curves:
            self.plot.addItem(c)
        self.nodes = pg.ScatterPlotItem(hoverable=True, tip=self._tip, pxMode=True)
        self.nodes.sigClicked.connect(self._clicked)
        self.plot.addItem(self.nodes)
        self.labels: list[pg.TextItem] = []
        self.layout_key = None
        self.palette = [pg.mkColor(c) for c in colormap("magnitude").getLookupTable(0.15, 0.9, BINS)]
        # brushes made once: per frame each node only picks one
        self.value_brushes = [pg.mkBrush(c) for c in colormap("signed").getLookupTable(0.0, 1.0, 65)]
        self.idle_brush, self.plain_brush = pg.mkBrush(IDLE), pg.mkBrush("#f4f4f4")
        self.input_brush, self.output_brush = pg.mkBrush("#f0f0f0"), pg.mkBrush("#ffe9a8")

    # ------------------------------------------------------------------ geometry, once per spec and length

    def _outputs(self, snapshot) -> list[int]:
        T = snapshot.inspection.trace.output.shape[0]
        return list(range(T)) if snapshot.task.mode == "per_step" else [T - 1]

    def _ensure_layout(self, snapshot) -> None:
        spec, T = snapshot.spec, snapshot.inspection.trace.output.shape[0]
        key = (spec, T, snapshot.task.mode, tuple(snapshot.demo.labels))
        if key == self.layout_key:
            return
        self.layout_key = key
        if isinstance(spec, DelaySpec):
            self.geo = build_delay_layout(spec, T, self._outputs(snapshot))
        else:
            self.geo = build_layout(T, spec.num_layers * spec.directions, spec.directions, spec.cell == "lstm",
                                    self._outputs(snapshot))  # fmt: skip
        for item in self.labels:
            self.plot.removeItem(item)
        self.labels = []
        if T <= MAX_LABELS:
            for t, text in enumerate(snapshot.demo.labels[:T]):
                self._label(text, t, -0.55)
            self._label("x_t", -0.9, 0.0)
            for r in range(spec.num_layers * spec.directions):
                name = f"h{r // spec.directions + 1}" + ("←" if r % spec.directions else "")
                rows = self.geo.pos[self.geo.row == r]
                self._label(name, -0.9, rows[0, 1])
                if spec.cell == "lstm":
                    self._label(name.replace("h", "c"), -0.9, rows[1, 1])
            ys = self.geo.pos[[k == "y" for k in self.geo.kind]]
            if len(ys):
                self._label("y_t" if spec.cell == "narx" else "ŷ_t", -0.9, ys[0, 1])
                self._label("L_t", -0.9, ys[0, 1] + 0.8)
        self._cache_key = None
        self._place_nodes()
        top = self.geo.pos[:, 1].max()
        self.plot.setLimits(xMin=-2, xMax=T + 1, yMin=-1.5, yMax=top + 1.5)
        self.plot.setYRange(-1.0, top + 0.6, padding=0.05)
        self.plot.setXRange(-1.2, min(T, 30) - 0.2, padding=0.02)

    def _label(self, text: str, x: float, y: float) -> None:
        item = pg.TextItem(text, color=theme().foreground, anchor=(0.5, 0.5))
        item.setPos(x, y)
        self.plot.addItem(item)
        self.labels.append(item)

    # ------------------------------------------------------------------ per frame

    def show_snapshot(self, snapshot) -> None:
        self._ensure_layout(snapshot)

    def restyle(self) -> None:
        self.layout_key = None  # node sizes and label colours follow the theme
        super().restyle()

    def show_position(self, phase: str, t: int) -> None:
        snapshot = self.snapshot
        self._ensure_layout(snapshot)
        self.band.setRegion((t - 0.45, t + 0.45))
        if phase == "forward":
            self._draw_forward(snapshot, t)
        else:
            self._draw_backward(snapshot, t)
        if self.follow.isChecked():
            lo, hi = self.plot.viewRange()[0]
            if not lo + 0.5 <= t <= hi - 0.5:
                width = hi - lo
                self.plot.setXRange(t - width / 2, t + width / 2, padding=0)

    def _cached(self, snapshot) -> dict:
        """What a frame needs from a snapshot, computed once per snapshot and selected unit."""
        key = (id(snapshot), self.timeline.unit)
        if getattr(self, "_cache_key", None) == key:
            return self._cache
        g, trace, unit = self.geo, snapshot.inspection.trace, self.timeline.unit
        kinds = np.array(g.kind)
        h, c = kinds == "h", kinds == "c"
        values = np.zeros(len(kinds))
        hidden = np.stack([lt.hidden[:, 0, unit] for lt in trace.layers])
        values[h] = hidden[g.row[h], g.step[h]]
        if c.any():
            cells = np.tanh(np.stack([lt.cell[:, 0, unit] for lt in trace.layers]))
            values[c] = cells[g.row[c], g.step[c]]
        reverse = (g.row >= 0) & (g.row % snapshot.spec.directions == 1)
        processing = np.where(reverse, len(snapshot.demo.labels) - 1 - g.step, g.step)
        top = len(self.value_brushes) - 1  # values beyond ±1 (ReLU, AR's linear units) take the end colours
        levels = np.clip(((values + 1) / 2 * top).round().astype(int), 0, top)
        value_brushes = [self.value_brushes[k] for k in levels]
        fixed = {"x": self.input_brush, "y": self.output_brush, "L": self.output_brush}
        self._cache_key = key
        self._cache = {
            "processing": processing,
            "lit_brushes": [fixed.get(k, b) for k, b in zip(g.kind, value_brushes, strict=True)],
            "magnitudes": self._edge_magnitudes(snapshot),
        }
        return self._cache

    def _draw_forward(self, snapshot, t: int) -> None:
        g, cache = self.geo, self._cached(snapshot)
        self.plot.setTitle(
            tr("forward sweep · node colour: unit {unit}'s value (blue −1 … red +1) · the same weights at every step")
            .format(unit=self.timeline.unit))  # fmt: skip
        lit = cache["processing"] <= t
        self.nodes.setBrush([b if on else self.idle_brush for b, on in zip(cache["lit_brushes"], lit, strict=True)])
        active = lit[g.edges[:, 1]]
        kinds = np.array(g.edge_kind)
        window, feedback = kinds == "window", kinds == "feedback"
        plain = active & ~window & ~feedback
        groups = {BINS: g.edges[~active], BINS + 1: g.edges[plain], BINS + 2: g.edges[active & window],
                  BINS + 3: g.edges[active & feedback]}  # fmt: skip
        self._set_edges(groups, {BINS: IDLE, BINS + 1: DONE, BINS + 2: WINDOW_COLOR, BINS + 3: FEEDBACK_COLOR})
        if window.any() or feedback.any():
            lines = [tr("teal: delay-line (window) edges")] if window.any() else []
            teacher = getattr(snapshot.inspection.trace, "teacher", False)
            fed = tr("orange: true outputs fed back (teacher forcing)") if teacher else tr("orange: outputs fed back")
            lines += [fed] if feedback.any() else []
            title = tr("forward sweep · no recurrent edge: {lines} · node colour: unit {unit}'s value")
            self.plot.setTitle(title.format(lines=" · ".join(lines), unit=self.timeline.unit))

    def _edge_magnitudes(self, snapshot) -> np.ndarray:
        """The size of the gradient each edge carries back: ‖∂L/∂(target)‖ at its step and row."""
        ins, g = snapshot.inspection, self.geo
        kinds = np.array(g.edge_kind)
        rows, steps = np.maximum(g.edge_row, 0), g.edge_step
        mags = ins.grads.dh_norm[rows, steps]
        if ins.grads.dc_norm is not None:
            mags = np.where(kinds == "cell", ins.grads.dc_norm[rows, steps], mags)
        head = np.isin(kinds, ("output", "loss"))
        d_out = np.linalg.norm(ins.loss.d_output[:, 0], axis=1) if ins.loss is not None else np.zeros(g.step.max() + 1)
        return np.where(head, d_out[steps], mags)

    def _draw_backward(self, snapshot, t: int) -> None:
        g, cache = self.geo, self._cached(snapshot)
        reached = cache["processing"][g.edges[:, 1]] >= t
        mags = cache["magnitudes"]
        logs = np.log10(np.maximum(mags, 1e-30))
        top = logs.max()
        # the colours span the gradients actually present (at least one decade, at most DECADES)
        span = float(np.clip(top - logs[mags > 0].min(), 1.0, DECADES)) if (mags > 0).any() else 1.0
        bins = np.clip(((logs - top + span) / span * BINS).astype(int), 0, BINS - 1)
        groups = {b: g.edges[reached & (bins == b)] for b in range(BINS)}
        groups[BINS] = g.edges[~reached]
        self._set_edges(groups, {BINS: IDLE, BINS + 1: IDLE, BINS + 2: IDLE, BINS + 3: IDLE})
        self.nodes.setBrush([self.plain_brush] * len(g.kind))  # per spot: a single brush leaves old ones
        low = top - span
        self.plot.setTitle(
            tr("backward sweep · edge colour and width: ‖gradient‖ from 1e{low} (thin, dark) "
               "to 1e{top} (thick, bright)")
            .format(low=f"{low:.1f}", top=f"{top:.1f}"))  # fmt: skip

    def _set_edges(self, groups: dict[int, np.ndarray], colors: dict[int, str]) -> None:
        t = theme()
        for b, curve in enumerate(self.curves + self.delay_curves):
            pairs = groups.get(b, np.zeros((0, 2), int))
            if len(pairs) == 0:
                curve.setData([], [])
                continue
            xy = self.geo.pos[pairs.reshape(-1)]
            color = colors.get(b, self.palette[min(b, BINS - 1)] if b < BINS else IDLE)
            width = 1.0 + (2.5 * b / (BINS - 1) if b < BINS and b not in colors else 0.8 * (b >= BINS + 2))
            # width is part of the picture here (it shows the gradient's size), so it bypasses the theme's
            # one-pixel rule: at most eight thick curves a frame
            curve.setData(
                xy[:, 0], xy[:, 1], pen=pg.mkPen(color, width=width * (t.line_width if t.presentation else 1))
            )

    def _place_nodes(self) -> None:
        """Positions, sizes and symbols: once per layout (brushes change per frame)."""
        g = self.geo
        size = 22 if theme().presentation else 16
        self.nodes.setData(pos=g.pos, size=[size * (0.7 if k == "c" else 1.0) for k in g.kind],
                           symbol=["s" if k in ("c", "L") else "o" for k in g.kind], data=np.arange(len(g.kind)),
                           pen=pg.mkPen(theme().foreground, width=1), brush=self.plain_brush)  # fmt: skip

    def _tip(self, x: float, y: float, n: int) -> str:
        """Hover text, made only when asked."""
        snapshot, g = self.snapshot, self.geo
        t, k, r, unit = int(g.step[n]), g.kind[n], int(g.row[n]), self.timeline.unit
        layers = snapshot.inspection.trace.layers
        if k == "h":
            return f"h_{t} (row {r}), unit {unit}: {layers[r].hidden[t, 0, unit]:.4f}"
        if k == "c":
            return f"c_{t} (row {r}), unit {unit}: {layers[r].cell[t, 0, unit]:.4f}"
        if k == "x":
            return f"x_{t} = {snapshot.demo.labels[t]}"
        loss = snapshot.inspection.loss
        if loss is None:
            return f"{k}_{t}: no targets"
        return f"L_{t} = {loss.step_loss[t, 0]:.4f}" if k == "L" else f"ŷ_{t}"

    def _clicked(self, _item, points, _event) -> None:
        if len(points):
            n = points[0].index()
            r = int(self.geo.row[n])
            if r >= 0:
                self.timeline.select(layer=r)
            self.timeline.seek_step(int(self.geo.step[n]))
