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

from app.theme import theme
from app.views.heatmap import colormap
from app.views.recurrent_view import RecurrentView

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
    def __init__(self, session, playhead, parent=None) -> None:
        super().__init__(session, playhead, parent)
        self.canvas = pg.GraphicsLayoutWidget()
        self.follow = QCheckBox("follow the playhead 跟随播放")
        self.follow.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.follow)
        self.plot = self.canvas.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.hideAxis("left")
        self.plot.setLabel("bottom", "time step t 时间步")
        self.plot.setTitle("unrolled through time 按时间展开 · the same W_xh, W_hh, W_hy at every step 每一步共享权重")
        self.band = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(255, 0, 255, 30), pen=pg.mkPen(None))
        self.plot.addItem(self.band)
        self.curves = [pg.PlotCurveItem(connect="pairs") for _ in range(BINS + 2)]
        for c in self.curves:
            self.plot.addItem(c)
        self.nodes = pg.ScatterPlotItem(hoverable=True, tip=lambda x, y, data: data, pxMode=True)
        self.nodes.sigClicked.connect(self._clicked)
        self.plot.addItem(self.nodes)
        self.labels: list[pg.TextItem] = []
        self.layout_key = None
        self.palette = [pg.mkColor(c) for c in colormap("magnitude").getLookupTable(0.15, 0.9, BINS)]

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
                self._label("ŷ_t", -0.9, ys[0, 1])
                self._label("L_t", -0.9, ys[0, 1] + 0.8)
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

    def show_position(self, phase: str, t: int) -> None:
        snapshot = self.session.snapshot
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

    def _node_values(self, snapshot) -> np.ndarray:
        """The selected unit's value at every h and c node; 0 elsewhere."""
        trace, unit, g = snapshot.inspection.trace, self.session.selected_unit, self.geo
        values = np.zeros(len(g.kind))
        for n, (k, t, r) in enumerate(zip(g.kind, g.step, g.row, strict=True)):
            if k == "h":
                values[n] = trace.layers[r].hidden[t, 0, unit]
            elif k == "c":
                values[n] = np.tanh(trace.layers[r].cell[t, 0, unit])
        return values

    def _processing_step(self, snapshot) -> np.ndarray:
        """When each node is computed: its time step, counted from the end for the reverse direction."""
        g, D = self.geo, snapshot.spec.directions
        reverse = (g.row >= 0) & (g.row % D == 1)
        return np.where(reverse, len(snapshot.demo.labels) - 1 - g.step, g.step)

    def _draw_forward(self, snapshot, t: int) -> None:
        g = self.geo
        self.plot.setTitle(
            f"forward sweep 前向计算 · node colour: unit {self.session.selected_unit}'s value "
            "(blue −1 … red +1) · the same weights at every step 每一步共享权重"
        )
        lit = self._processing_step(snapshot) <= t
        values = self._node_values(snapshot)
        cmap = colormap("signed")
        brushes = []
        tips = []
        for n, k in enumerate(g.kind):
            if not lit[n]:
                brushes.append(pg.mkBrush(IDLE))
            elif k in ("h", "c"):
                brushes.append(pg.mkBrush(cmap.map((values[n] + 1) / 2, mode="qcolor")))
            else:
                brushes.append(pg.mkBrush("#f0f0f0" if k == "x" else "#ffe9a8"))
            tips.append(self._tip(snapshot, n, values[n]))
        self._set_nodes(brushes, tips)
        active = np.asarray(lit)[g.edges[:, 1]]
        self._set_edges({BINS: g.edges[~active], BINS + 1: g.edges[active]}, {BINS: IDLE, BINS + 1: DONE})

    def _edge_magnitudes(self, snapshot) -> np.ndarray:
        """The size of the gradient each edge carries back: ‖∂L/∂(target)‖ at its step and row."""
        ins, g = snapshot.inspection, self.geo
        mags = np.zeros(len(g.edge_kind))
        d_out = ins.loss.d_output[:, 0] if ins.loss is not None else None
        for e, (k, t, r) in enumerate(zip(g.edge_kind, g.edge_step, g.edge_row, strict=True)):
            if k in ("output", "loss"):
                mags[e] = np.linalg.norm(d_out[t]) if d_out is not None else 0.0
            elif k == "cell":
                mags[e] = ins.grads.dc_norm[r, t]
            else:
                mags[e] = ins.grads.dh_norm[r, t]
        return mags

    def _draw_backward(self, snapshot, t: int) -> None:
        g = self.geo
        reached = self._processing_step(snapshot)[g.edges[:, 1]] >= t
        mags = self._edge_magnitudes(snapshot)
        logs = np.log10(np.maximum(mags, 1e-30))
        top = logs.max()
        # the colours span the gradients actually present (at least one decade, at most DECADES)
        span = float(np.clip(top - logs[mags > 0].min(), 1.0, DECADES)) if (mags > 0).any() else 1.0
        bins = np.clip(((logs - top + span) / span * BINS).astype(int), 0, BINS - 1)
        groups = {b: g.edges[reached & (bins == b)] for b in range(BINS)}
        groups[BINS] = g.edges[~reached]
        self._set_edges(groups, {BINS: IDLE})
        values = self._node_values(snapshot)
        self._set_nodes([pg.mkBrush("#f4f4f4") for _ in g.kind],
                        [self._tip(snapshot, n, values[n]) for n in range(len(g.kind))])  # fmt: skip
        self.plot.setTitle(
            f"backward sweep 反向传播 · edge colour and width: ‖gradient‖ from 1e{top - span:.1f} (thin, "
            f"dark) to 1e{top:.1f} (thick, bright)"
        )

    def _set_edges(self, groups: dict[int, np.ndarray], colors: dict[int, str]) -> None:
        t = theme()
        for b, curve in enumerate(self.curves):
            pairs = groups.get(b, np.zeros((0, 2), int))
            if len(pairs) == 0:
                curve.setData([], [])
                continue
            xy = self.geo.pos[pairs.reshape(-1)]
            color = colors.get(b, self.palette[min(b, BINS - 1)] if b < BINS else IDLE)
            width = 1.0 + (2.5 * b / (BINS - 1) if b < BINS and b not in colors else 0.5)
            curve.setData(xy[:, 0], xy[:, 1], pen=t.pen(color, width))

    def _set_nodes(self, brushes, tips) -> None:
        g = self.geo
        size = 22 if theme().presentation else 16
        sizes = [size * (0.7 if k == "c" else 1.0) for k in g.kind]
        symbols = ["s" if k in ("c", "L") else "o" for k in g.kind]
        self.nodes.setData(pos=g.pos, brush=brushes, size=sizes, symbol=symbols, data=tips,
                           pen=pg.mkPen(theme().foreground, width=1))  # fmt: skip

    def _tip(self, snapshot, n: int, value: float) -> str:
        g, t = self.geo, int(self.geo.step[n])
        k = g.kind[n]
        if k in ("h", "c"):
            name = "h" if k == "h" else "tanh c"
            return f"{name}_{t} (row {g.row[n]}), unit {self.session.selected_unit}: {value:.4f}"
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
                self.session.select(r, self.session.selected_unit)
            phase, _ = self.session.phase(self.playhead.position)
            self.playhead.seek(self.session.position(phase, int(self.geo.step[n])))
