"""The cell diagrams as plain data: wires, gate boxes, operator nodes and labels for LSTM (and variants), GRU
and plain RNN cells on a fixed 1040 × 720 canvas, with the numbers of one unit at one step; ``cell_diagram``
paints them."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from app.i18n import tr
from app.views.recurrent.cell_equations import (
    GRAD_COLOR,
    fmt,
    fmt_grad,
)

W, H = 1040.0, 720.0  # the canvas every layout is drawn on
TOP, BUS, GATE = 170.0, 545.0, 420.0  # y of the cell-state (GRU, RNN: hidden) line, the input bus, the gates
CELL_BOX = QRectF(150, 100, 740, 500)
GW, GH, NODE_R = 112.0, 84.0, 17.0  # gate box size, operator node radius
LINE, MUTED = "#3a3a3a", "#8a8a8a"
GATE_SYMBOLS = {"f": "f", "i": "i", "g": "c̃", "o": "o", "r": "r", "z": "z", "n": "h̃", "a": "φ"}  # their names:
# cell_equations.GATE_NAMES


@dataclass
class Wire:
    points: list[tuple[float, float]]
    arrow: bool = True
    style: str = "solid"  # solid | dotted | faded | grad
    bridge: bool = False  # drawn over a white halo where it crosses another wire


@dataclass
class Gate:
    name: str
    x: float
    fn: str  # σ, tanh, ReLU, 1 − i
    value: float
    signed: bool = False
    absent: bool = False
    w: float = GW


@dataclass
class Node:
    x: float
    y: float
    op: str  # ×, +, 1−, tanh
    faded: bool = False


@dataclass
class Text:
    x: float
    y: float  # baseline
    text: str  # subscripts as c_{t-1}
    align: str = "l"
    size: float = 17.0
    bold: bool = False
    color: str = LINE
    live: bool = False  # shows a number or the input: changes from step to step


@dataclass
class Scene:
    wires: list[Wire] = field(default_factory=list)
    gates: list[Gate] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    box: QRectF = field(default_factory=lambda: QRectF(CELL_BOX))
    out_y: float = TOP  # where h_t leaves to the right
    keys: tuple[tuple[str, str, str, str], ...] = (("unit", "σ", "0", "1"), ("signed", "tanh", "−1", "1"))

    def fixed_part(self) -> tuple:
        """All that stays when only the numbers change: a cached picture of it is stale when this differs."""
        return (
            tuple((tuple(w.points), w.arrow, w.style, w.bridge) for w in self.wires),
            tuple((g.name, g.x, g.absent, g.w) for g in self.gates),
            tuple((n.x, n.y, n.op, n.faded) for n in self.nodes),
            tuple((t.x, t.y, t.text, t.align, t.size, t.bold, t.color) for t in self.texts if not t.live),
            self.box.getRect(),
            self.keys,
        )


# ---------------------------------------------------------------------------------------------- layouts


def cell_title(cell: str) -> str:
    return {"lstm": tr("LSTM"), "gru": tr("GRU"), "rnn_tanh": tr("RNN"), "rnn_relu": tr("RNN (ReLU)")}[cell]


def _end_labels(s: Scene, y: float, left: tuple[str, float] | None, right: tuple[str, float] | None) -> None:
    """A state's name and value above the wire where it enters (left) and leaves (right) the cell."""
    if left:
        s.texts += [Text(24, y - 38, left[0], bold=True), Text(24, y - 12, fmt(left[1]), size=16, live=True)]
    if right:
        s.texts += [Text(1030, y - 38, right[0], "r", bold=True),
                    Text(1030, y - 12, fmt(right[1]), "r", size=16, live=True)]  # fmt: skip


def _inputs(s: Scene, v: dict, p: str, symbol: str, h_enters_bus: bool, bus_end: float) -> None:
    """x_t rising from below into the bus, and h_{t-1} entering at the left (on the bus or the top line)."""
    s.wires.append(Wire([(230, 690), (230, BUS)], arrow=False))
    s.texts.append(Text(230, 712, f"x_t = {symbol}", "c", bold=True, live=True))
    if h_enters_bus:
        s.wires.append(Wire([(20, BUS), (bus_end, BUS)], arrow=False))
        s.texts += [
            Text(24, BUS - 38, f"h_{{{p}}}", bold=True),
            Text(24, BUS - 12, fmt(v["h_prev"]), size=16, live=True),
        ]
    else:
        s.wires.append(Wire([(185, TOP), (185, BUS), (bus_end, BUS)], arrow=False))


def _gate_branch(s: Scene, x: float) -> None:
    s.wires.append(Wire([(x, BUS), (x, GATE + GH / 2)]))


def _top_output(s: Scene, x: float, from_y: float, bridge: bool) -> None:
    s.wires.append(Wire([(x, from_y), (x, 48)], bridge=bridge))
    s.texts += [Text(x, 32, "h_t", "c", bold=True), Text(x - 14, 70, tr("to output"), "r", size=16, color=MUTED),
                Text(x - 14, 90, "/ " + tr("next layer"), "r", size=16, color=MUTED)]  # fmt: skip


def lstm_scene(v: dict, variant: str, p: str, symbol: str) -> Scene:
    s = Scene()
    fx, ix, gx, ox, mx, tx = 260.0, 395.0, 520.0, 680.0, 457.0, 790.0
    _inputs(s, v, p, symbol, True, ox)
    for x in (fx, ix, gx, ox):
        _gate_branch(s, x)
    no_f = variant == "no_forget"
    s.wires += [
        Wire([(20, TOP), (fx - NODE_R, TOP)]),
        Wire([(fx + NODE_R, TOP), (mx - NODE_R, TOP)]),
        Wire([(mx + NODE_R, TOP), (1030, TOP)]),
        Wire([(fx, GATE - GH / 2), (fx, TOP + NODE_R)], style="faded" if no_f else "solid"),
        Wire([(ix, GATE - GH / 2), (ix, 290), (mx - NODE_R, 290)]),
        Wire([(gx, GATE - GH / 2), (gx, 290), (mx + NODE_R, 290)]),
        Wire([(mx, 290 - NODE_R), (mx, TOP + NODE_R)]),
        Wire([(tx, TOP), (tx, 285 - 28)]),
        Wire([(tx, 285 + 28), (tx, GATE - NODE_R)]),
        Wire([(ox + GW / 2, GATE), (tx - NODE_R, GATE)]),
        Wire([(tx, GATE + NODE_R), (tx, BUS), (1030, BUS)]),
    ]
    _top_output(s, 862, BUS, bridge=True)
    f_fn = "1 − i" if variant == "coupled" else "σ"
    s.gates += [Gate("f", fx, f_fn, v["f"], absent=no_f), Gate("i", ix, "σ", v["i"]),
                Gate("g", gx, "tanh", v["g"], signed=True), Gate("o", ox, "σ", v["o"])]  # fmt: skip
    s.nodes += [Node(fx, TOP, "×", faded=no_f), Node(mx, 290, "×"), Node(mx, TOP, "+"), Node(tx, GATE, "×")]
    s.nodes.append(Node(tx, 285, "tanh"))
    s.texts += [Text(tx, 300, fmt(v["tanh_c"]), "c", size=16, bold=True, live=True)]
    if variant == "coupled":
        s.wires.append(Wire([(ix - GW / 2, GATE), (fx + GW / 2, GATE)]))
    if variant == "peephole":
        s.wires += [Wire([(185, TOP), (185, 335), (372, 335), (372, GATE - GH / 2)], style="dotted"),
                    Wire([(238, 335), (238, GATE - GH / 2)], style="dotted"),
                    Wire([(720, TOP), (720, GATE - GH / 2)], style="dotted")]  # fmt: skip
        s.texts.append(Text(192, 326, tr("peephole"), size=14, color=MUTED))
    if not no_f:
        s.texts.append(Text(fx + 22, TOP + 34, f"f⊙c_{{{p}}} = {fmt(v['fc'])}", size=16, color=MUTED, live=True))
    s.texts.append(Text(mx + 14, 238, f"i⊙c̃ = {fmt(v['ig'])}", size=16, color=MUTED, live=True))
    _end_labels(s, TOP, (f"c_{{{p}}}", v["c_prev"]), ("c_t", v["c"]))
    _end_labels(s, BUS, None, ("h_t", v["h"]))
    s.out_y = BUS
    return s


def gru_scene(v: dict, variant: str, p: str, symbol: str) -> Scene:
    s = Scene()
    zx, rx, nx, onex, mrx = 270.0, 430.0, 700.0, 480.0, 572.0
    _inputs(s, v, p, symbol, False, nx)
    for x in (zx, rx, nx):
        _gate_branch(s, x)
    s.wires += [
        Wire([(20, TOP), (zx - NODE_R, TOP)]),
        Wire([(zx + NODE_R, TOP), (nx - NODE_R, TOP)]),
        Wire([(nx + NODE_R, TOP), (1030, TOP)]),
        Wire([(zx, GATE - GH / 2), (zx, TOP + NODE_R)]),
        Wire([(zx, 285), (onex - NODE_R, 285)], arrow=False),
        Wire([(onex + NODE_R, 285), (nx - NODE_R, 285)]),
        Wire([(nx, GATE - GH / 2), (nx, 285 + NODE_R)]),
        Wire([(nx, 285 - NODE_R), (nx, TOP + NODE_R)]),
        Wire([(rx + GW / 2, GATE), (mrx - NODE_R, GATE)]),
        Wire([(mrx, BUS), (mrx, GATE + NODE_R)]),
        Wire([(mrx + NODE_R, GATE), (nx - GW / 2, GATE)]),
    ]
    _top_output(s, 862, TOP, bridge=False)
    s.gates += [Gate("z", zx, "σ", v["z"]), Gate("r", rx, "σ", v["r"]), Gate("n", nx, "tanh", v["n"], signed=True)]
    s.nodes += [Node(zx, TOP, "×"), Node(nx, TOP, "+"), Node(onex, 285, "1−"), Node(nx, 285, "×"), Node(mrx, GATE, "×")]
    after = variant == "reset_after"
    reset_in = v["hn"] if after else v["h_prev"]  # what r scales, for this unit
    s.texts += [
        Text(zx + 22, TOP + 34, f"z⊙h_{{{p}}} = {fmt(v['zh'])}", size=16, color=MUTED, live=True),
        Text(onex, 322, f"1−z = {fmt(1 - v['z'])}", "c", size=16, color=MUTED, live=True),
        Text(nx + 24, 262, f"(1−z)⊙h̃ = {fmt(v['zn'])}", size=16, color=MUTED, live=True),
        Text(mrx, GATE - 50, f"{'r⊙(U_h h+b)' if after else f'r⊙h_{{{p}}}'} = {fmt(v['r'] * reset_in)}", "c", 16,
             color=MUTED, live=True),
        Text(mrx + 10, BUS - 14, "U_h h+b" if after else f"h_{{{p}}}", size=15, color=MUTED),
        Text(mrx, GATE - 74, tr("reset after") if after else tr("reset before"), "c", size=15, color=MUTED),
    ]  # fmt: skip
    _end_labels(s, TOP, (f"h_{{{p}}}", v["h_prev"]), ("h_t", v["h"]))
    return s


def rnn_scene(v: dict, relu: bool, p: str, symbol: str) -> Scene:
    out = 290.0
    s = Scene(box=QRectF(300, 220, 480, 380), out_y=out)
    s.keys = (("unit", "ReLU", "0", "≥ 1"),) if relu else (("signed", "tanh", "−1", "1"),)
    ax = 520.0
    _inputs(s, v, p, symbol, True, ax)
    s.wires += [Wire([(ax, BUS), (ax, GATE + 55)]), Wire([(ax, GATE - 55), (ax, out), (1030, out)])]
    _top_output(s, 862, out, bridge=False)
    s.gates.append(Gate("a", ax, "ReLU" if relu else "tanh", v["h"], signed=not relu, w=150))
    s.texts.append(Text(ax + 12, BUS - 20, f"a_t = W x_t + U h_{{{p}}} + b = {fmt(v['a'])}", size=16, color=MUTED,
                        live=True))  # fmt: skip
    _end_labels(s, out, None, ("h_t", v["h"]))
    return s


def gradient_overlay(s: Scene, v: dict, cell: str, p: str) -> None:
    """Backward sweep: the gradients reaching this step, as red arrows running right to left."""
    out_y = s.out_y
    s.wires.append(Wire([(1025, out_y + 20), (905, out_y + 20)], style="grad"))
    s.texts += [Text(1030, out_y + 46, "∂L/∂h_t", "r", bold=True, color=GRAD_COLOR),
                Text(1030, out_y + 68, fmt_grad(v["dh"]), "r", size=16, color=GRAD_COLOR, live=True)]  # fmt: skip
    if cell == "lstm":
        s.wires.append(Wire([(1025, TOP + 20), (905, TOP + 20)], style="grad"))
        s.texts += [Text(1030, TOP + 46, "∂L/∂c_t", "r", bold=True, color=GRAD_COLOR),
                    Text(1030, TOP + 68, fmt_grad(v["dc"]), "r", size=16, color=GRAD_COLOR, live=True)]  # fmt: skip
    carry = {"lstm": ("f⊙∂L/∂c_t", "dc_carry"), "gru": ("z⊙∂L/∂h_t", "dh_carry")}.get(cell)
    if carry:
        s.wires.append(Wire([(140, TOP + 20), (24, TOP + 20)], style="grad"))
        s.texts += [Text(24, TOP + 46, carry[0], size=16, bold=True, color=GRAD_COLOR),
                    Text(24, TOP + 68, f"→ {fmt_grad(v[carry[1]])}", size=16, color=GRAD_COLOR, live=True)]  # fmt: skip
    else:
        s.texts += [Text(430, GATE - 10, "∂L/∂a_t", "r", bold=True, color=GRAD_COLOR),
                    Text(430, GATE + 14, fmt_grad(v["da"]), "r", size=16, color=GRAD_COLOR, live=True)]  # fmt: skip


def build_scene(cell: str, variant: str, v: dict, p: str, symbol: str, backward: bool) -> Scene:
    if cell == "lstm":
        s = lstm_scene(v, variant, p, symbol)
    elif cell == "gru":
        s = gru_scene(v, variant, p, symbol)
    else:
        s = rnn_scene(v, cell == "rnn_relu", p, symbol)
    if backward:
        gradient_overlay(s, v, cell, p)
    return s
