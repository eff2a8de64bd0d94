"""The Cell view: the classic LSTM / GRU / RNN cell diagram at the playhead's step, each gate filled with its
value for the selected unit, and beside it the cell's equations with those numbers filled in.

The diagram is drawn with QPainter on a fixed 1040 × 720 canvas scaled to the widget. Each cell's layout is
plain data (wires, gate boxes, operator nodes, labels), rebuilt only when the step, unit or snapshot changes;
a paint only walks those lists.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication, QBoxLayout, QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from app.i18n import caption, tr
from app.theme import GATE_COLORS, theme
from app.views.recurrent.cell_equations import (
    GATE_NAMES,
    GRAD_COLOR,
    cell_values,
    equation_rows,
    fmt,
    split_subscripts,
    step_subscripts,
)
from app.views.recurrent.cell_scenes import (
    GATE,
    GATE_SYMBOLS,
    GH,
    LINE,
    MUTED,
    NODE_R,
    Gate,
    H,
    Node,
    Scene,
    Text,
    W,
    Wire,
    build_scene,
    cell_title,
)
from app.views.recurrent.equation_view import EquationView
from app.views.recurrent.heatmap import colormap
from app.views.recurrent.recurrent_view import RecurrentView, layer_name

# ---------------------------------------------------------------------------------------------- painting


class _Lut:
    """256 colours of one of the heatmaps' colour maps, so a gate here looks as it does in the Gates view."""

    def __init__(self, kind: str) -> None:
        self.colors = [QColor(*map(int, rgb)) for rgb in colormap(kind).getLookupTable(0.0, 1.0, 256, alpha=False)]

    def __call__(self, u: float) -> QColor:
        return self.colors[min(255, max(0, int(u * 255 + 0.5)))]


class CellCanvas(QWidget):
    """Paints a ``Scene`` scaled to fit, with the cell's outline, title and a colour key.

    What stays from step to step (outline, wires, operators, captions, key) is drawn once into a pixmap of the
    widget's size; a paint copies it and draws only the gates' fills and the numbers."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.scene, self.title = Scene(), ""
        self.luts = {"unit": _Lut("unit"), "signed": _Lut("signed")}
        self._fonts: dict[tuple, tuple[QFont, QFontMetricsF]] = {}
        self._fixed: tuple[tuple, QPixmap] | None = None  # (what it shows, the picture)
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAttribute(Qt.WA_OpaquePaintEvent)  # the fixed picture covers every pixel

    def set_scene(self, scene: Scene, title: str) -> None:
        self.scene, self.title = scene, title
        self.update()

    def _begin(self, p: QPainter) -> None:
        """Antialiased, and the 1040 × 720 canvas scaled to fit and centred."""
        p.setRenderHint(QPainter.Antialiasing)
        p.setRenderHint(QPainter.TextAntialiasing)
        k = min(self.width() / W, self.height() / H)
        p.translate((self.width() - W * k) / 2, (self.height() - H * k) / 2)
        p.scale(k, k)
        self.t = theme()
        self.grow = 1.25 if self.t.presentation else 1.0  # presentation: larger type, thicker lines

    def paintEvent(self, event) -> None:
        ratio = self.devicePixelRatioF()
        shows = (self.scene.fixed_part(), self.title, self.size().toTuple(), ratio, theme(), self.font().key())
        if self._fixed is None or self._fixed[0] != shows:
            self._fixed = (shows, self._paint_fixed(ratio))
        p = QPainter(self)
        p.drawPixmap(0, 0, self._fixed[1])
        self._begin(p)
        for gate in self.scene.gates:
            if not gate.absent:
                self._gate(p, gate)
        for text in self.scene.texts:
            if text.live:
                self._text(p, text)
        p.end()

    def _paint_fixed(self, ratio: float) -> QPixmap:
        picture = QPixmap((self.size().toSizeF() * ratio).toSize())
        picture.setDevicePixelRatio(ratio)
        picture.fill(QColor(theme().background))
        p = QPainter(picture)
        self._begin(p)
        p.setPen(QPen(QColor("#b8c2cc"), 2 * self.t.line_width))
        p.setBrush(QColor("#f3f6f9"))
        box = self.scene.box
        p.drawRoundedRect(box, 22, 22)
        self._text(p, Text(box.right() - 14, box.bottom() - 14, self.title, "r", 16, True, MUTED))
        for wire in self.scene.wires:
            self._wire(p, wire)
        for node in self.scene.nodes:
            self._node(p, node)
        for gate in self.scene.gates:
            self._gate_caption(p, gate)
        for text in self.scene.texts:
            if not text.live:
                self._text(p, text)
        self._key(p)
        p.end()
        return picture

    def _pen(self, color: str, width: float = 1.0, style=Qt.SolidLine) -> QPen:
        pen = QPen(QColor(color), width * 1.6 * self.t.line_width, style)
        pen.setCapStyle(Qt.FlatCap if style != Qt.SolidLine else Qt.RoundCap)
        return pen

    def _wire(self, p: QPainter, wire: Wire) -> None:
        color, width, style = {
            "solid": (LINE, 1.0, Qt.SolidLine), "dotted": (MUTED, 0.9, Qt.DotLine),
            "faded": ("#c8c8c8", 1.0, Qt.DashLine), "grad": (GRAD_COLOR, 1.6, Qt.SolidLine),
        }[wire.style]  # fmt: skip
        points = [QPointF(x, y) for x, y in wire.points]
        p.setBrush(Qt.NoBrush)
        if wire.bridge:
            p.setPen(self._pen(self.t.background, 4.0))
            p.drawPolyline(points)
        p.setPen(self._pen(color, width, style))
        p.drawPolyline(points)
        if wire.arrow:
            self._arrowhead(p, points[-2], points[-1], QColor(color), 9 + 3 * width)

    def _arrowhead(self, p: QPainter, a: QPointF, b: QPointF, color: QColor, size: float) -> None:
        d = b - a
        length = max(1e-6, (d.x() ** 2 + d.y() ** 2) ** 0.5)
        u = QPointF(d.x() / length, d.y() / length) * size * self.grow
        n = QPointF(-u.y(), u.x()) * 0.5
        p.setPen(Qt.NoPen)
        p.setBrush(color)
        p.drawPolygon(QPolygonF([b, b - u + n, b - u - n]))

    def _node(self, p: QPainter, node: Node) -> None:
        color = "#c8c8c8" if node.faded else LINE
        p.setPen(self._pen(color, 0.9))
        p.setBrush(QColor("#fff6d5") if node.op != "tanh" else QColor("#ffffff"))
        if node.op == "tanh":
            p.drawEllipse(QPointF(node.x, node.y), 50, 28)
            self._text(p, Text(node.x, node.y - 6, "tanh", "c", 14, color=MUTED))
            return
        r = NODE_R * self.grow
        p.drawEllipse(QPointF(node.x, node.y), r, r)
        symbol = {"×": "⊗", "+": "⊕"}.get(node.op)
        if symbol is None:
            self._text(p, Text(node.x, node.y + 6, node.op, "c", 16, True, color))
            return
        p.setPen(self._pen(color, 0.8))
        a = r * (0.6 if node.op == "+" else 0.42)
        lines = [(-a, 0, a, 0), (0, -a, 0, a)] if node.op == "+" else [(-a, -a, a, a), (-a, a, a, -a)]
        for x0, y0, x1, y1 in lines:
            p.drawLine(QPointF(node.x + x0, node.y + y0), QPointF(node.x + x1, node.y + y1))

    def _gate(self, p: QPainter, gate: Gate) -> None:
        """The gate's box, filled with the colour of its value, its function and the value."""
        rect = QRectF(gate.x - gate.w / 2, GATE - GH / 2, gate.w, GH)
        u = (gate.value + 1) / 2 if gate.signed else gate.value
        fill = self.luts["signed" if gate.signed else "unit"](u)
        p.setPen(self._pen(GATE_COLORS.get(gate.name, LINE), 1.6))
        p.setBrush(fill)
        p.drawRoundedRect(rect, 10, 10)
        ink = "#111111" if fill.lightnessF() > 0.55 else "#ffffff"
        self._text(p, Text(gate.x, GATE - 10, gate.fn, "c", 17, False, ink))
        self._text(p, Text(gate.x, GATE + 22, fmt(gate.value), "c", 22, True, ink))

    def _gate_caption(self, p: QPainter, gate: Gate) -> None:
        """The gate's name under it (beside it for the plain RNN); an absent gate, dashed, in full."""
        if gate.absent:
            p.setPen(self._pen("#c8c8c8", 1.0, Qt.DashLine))
            p.setBrush(QColor("#fafafa"))
            p.drawRoundedRect(QRectF(gate.x - gate.w / 2, GATE - GH / 2, gate.w, GH), 10, 10)
            self._text(p, Text(gate.x, GATE - 8, "f ≡ 1", "c", 19, True, MUTED))
            self._text(p, Text(gate.x, GATE + 20, tr("no forget gate"), "c", 15, color=MUTED))
            return
        name, second = caption(GATE_NAMES[gate.name])
        symbol = GATE_SYMBOLS[gate.name]
        # a long one-language name goes under its symbol: beside it, it would run into the next gate's
        zh, en = (f"{symbol} {name}", second) if second or len(name) <= 8 else (symbol, name)
        x = gate.x + 8 if gate.name != "a" else gate.x + gate.w / 2 + 10
        y = GATE + GH / 2 + 24 if gate.name != "a" else GATE - 6
        color = QColor(GATE_COLORS.get(gate.name, LINE)).darker(130).name()
        self._text(p, Text(x, y, zh, "l", 16, True, color))
        self._text(p, Text(x, y + 21, en, "l", 15, False, color))

    def _key(self, p: QPainter) -> None:
        """Colour keys for σ gates (0 … 1) and tanh (−1 … 1)."""
        for row, (kind, label, lo, hi) in enumerate(self.scene.keys):
            x0, y0 = 640.0 + row * 200, 650.0
            lut = self.luts[kind]
            ramp = QLinearGradient(x0, 0, x0 + 128, 0)  # one fill instead of 64 rectangles a paint
            for k in range(9):
                ramp.setColorAt(k / 8, lut(k / 8))
            p.fillRect(QRectF(x0, y0, 128, 16), ramp)
            self._text(p, Text(x0, y0 - 7, label, "l", 15, color=MUTED))
            self._text(p, Text(x0, y0 + 35, lo, "l", 15, color=MUTED))
            self._text(p, Text(x0 + 128, y0 + 35, hi, "r", 15, color=MUTED))

    def _font(self, size: float, bold: bool) -> tuple[QFont, QFontMetricsF]:
        """The widget's font at a canvas size, with its metrics; cached, as a paint asks for each many times."""
        key = (self.font().key(), max(1, round(size * self.grow)), bold)
        if key not in self._fonts:
            font = QFont(self.font())
            font.setPixelSize(key[1])
            font.setBold(bold)
            self._fonts[key] = (font, QFontMetricsF(font))
        return self._fonts[key]

    def _text(self, p: QPainter, text: Text) -> None:
        """Text at a baseline, with c_{t-1}-style subscripts drawn smaller and lower."""
        parts = split_subscripts(text.text)
        fonts = {False: self._font(text.size, text.bold), True: self._font(text.size * 0.72, text.bold)}
        width = sum(fonts[sub][1].horizontalAdvance(s) for s, sub in parts)
        x = text.x - {"l": 0.0, "c": width / 2, "r": width}[text.align]
        p.setPen(QColor(text.color))
        for s, sub in parts:
            p.setFont(fonts[sub][0])
            p.drawText(QPointF(x, text.y + (text.size * 0.3 * self.grow if sub else 0)), s)
            x += fonts[sub][1].horizontalAdvance(s)


# ---------------------------------------------------------------------------------------------- the view


class CellView(RecurrentView):
    """The cell diagram and its equations for the selected layer and unit at the playhead's step.

    ``values`` holds the numbers shown (see ``cell_values``), ``phase`` and ``t`` where they were taken.
    """

    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.values: dict[str, float] = {}
        self.phase, self.t = "forward", 0
        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setWordWrap(True)
        self.canvas = CellCanvas()
        self.equations = EquationView()
        self.body = QBoxLayout(QBoxLayout.LeftToRight)
        self.body.addWidget(self.canvas, 1)
        self.scroll = QScrollArea()  # a long equation or a small window scrolls instead of clipping
        self.scroll.setWidget(self.equations)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.body.addWidget(self.scroll, 0)
        outer = QVBoxLayout(self)
        outer.addWidget(self.header)
        outer.addLayout(self.body, 1)
        self.restyle()

    def resizeEvent(self, event) -> None:
        """Equations beside the diagram on a wide view, below it on a tall one."""
        super().resizeEvent(event)
        wide = self.width() > 1.3 * self.height()
        self.body.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        self.body.setStretch(1, 0 if wide else 1)
        self._fit_equations()

    def show_snapshot(self, snapshot) -> None:
        """Nothing to precompute: every number is read when the playhead moves."""

    def show_position(self, phase: str, t: int) -> None:
        snapshot = self.snapshot
        spec, k, unit = snapshot.spec, self.timeline.layer, self.timeline.unit
        t = min(max(0, t), snapshot.inspection.trace.layers[k].hidden.shape[0] - 1)
        self.phase, self.t = phase, t
        self.values = v = cell_values(snapshot, k, unit, t)
        direction = k % spec.directions
        prev = step_subscripts(direction)
        labels = snapshot.demo.labels
        symbol = labels[t] if t < len(labels) else "?"
        symbol = "␣" if symbol == " " else symbol
        if k >= spec.directions:  # a stacked layer's input is the layer below's h_t
            symbol = tr("h_t of layer below") + f" ({symbol})"
        backward = phase == "backward"
        self.canvas.set_scene(build_scene(spec.cell, spec.variant, v, prev, symbol, backward), cell_title(spec.cell))
        if self.equations.set_rows(equation_rows(spec.cell, spec.variant, v, direction, backward)):
            self._fit_equations()
        self.header.setText(self._header(snapshot, k, unit, t, symbol, backward))

    def _fit_equations(self) -> None:
        """The equations as wide as they need, up to half the view (beyond, they scroll). A changed minimum width
        lays out the whole window again: called only when their size, the font or the view's size changed."""
        width = self.equations.sizeHint().width()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        self.scroll.setMinimumWidth(min(width + bar, max(320, self.width() // 2)))

    def _header(self, snapshot, k: int, unit: int, t: int, symbol: str, backward: bool) -> str:
        spec = snapshot.spec
        backward_word, forward_word, step, unit_word, input_word = (
            tr("backward"), tr("forward"), tr("step"), tr("unit"), tr("input"))  # fmt: skip
        sweep = (f"<span style='color:{GRAD_COLOR}'>◀ {backward_word} (BPTT)</span>" if backward
                 else f"{forward_word} ▶")  # fmt: skip
        variant = "" if spec.variant == "standard" else f" ({spec.variant})"
        return (f"<b>{cell_title(spec.cell)}{variant}</b> · {layer_name(snapshot, k)} · {sweep} · "
                f"{step} <b>t = {t}</b> / {len(snapshot.demo.labels) - 1} · {unit_word} <b>{unit}</b> · "
                f"{input_word} x<sub>t</sub> = <b>{escape(symbol).replace('h_t', 'h<sub>t</sub>')}</b>")  # fmt: skip

    def restyle(self) -> None:
        font = QFont(QApplication.font())
        # The equations are what the class reads aloud: larger than the interface, but in presentation mode
        # (already large) they must leave the diagram room.
        font.setPointSizeF(font.pointSizeF() * (0.85 if theme().presentation else 1.2))
        self.equations.setFont(font)
        self.canvas.update()
        super().restyle()
        self._fit_equations()
