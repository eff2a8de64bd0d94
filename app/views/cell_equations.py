"""The numbers of one cell at one step for one unit, and the cell's equations with those numbers filled in.

``cell_values`` only indexes the snapshot's arrays (cheap enough for every playhead move); ``equations_html``
writes the course's equations (σ, tanh, ⊙; W acts on x_t, U on h_{t-1}) as rich text for a QLabel.
Symbols use a small markup shared with the diagram: ``c_{t-1}`` is c with subscript t−1.
"""

from __future__ import annotations

import math
import re

from app.sessions.recurrent import Snapshot
from app.theme import GATE_COLORS

GRAD_COLOR = "#c0392b"
GATE_NAMES_ZH = {
    "i": "输入门 input", "f": "遗忘门 forget", "g": "候选记忆 candidate", "o": "输出门 output",
    "r": "重置门 reset", "z": "更新门 update", "n": "候选状态 candidate", "a": "激活 activation",
}  # fmt: skip
_SUB = re.compile(r"_\{([^}]*)\}|_(\w)")


def fmt(v: float) -> str:
    """A value as the view prints it: three decimals, a true minus sign."""
    return f"{v:.3f}".replace("-", "−")


def fmt_grad(v: float) -> str:
    """A gradient: three significant digits (they are often tiny)."""
    text = f"{v:.3g}" if v == 0 or 1e-3 <= abs(v) < 1e4 else f"{v:.2e}"
    return text.replace("-", "−")


def paren(text: str) -> str:
    """A formatted number, in parentheses when negative (so that "0.5×(−0.2)" reads right)."""
    return f"({text})" if text.startswith("−") else text


def split_subscripts(text: str) -> list[tuple[str, bool]]:
    """``"c_{t-1} = 2"`` → ``[("c", False), ("t−1", True), (" = 2", False)]``."""
    parts, pos = [], 0
    for m in _SUB.finditer(text):
        if m.start() > pos:
            parts.append((text[pos : m.start()], False))
        parts.append(((m.group(1) or m.group(2)).replace("-", "−"), True))
        pos = m.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


# ---------------------------------------------------------------------------------------------- values


def cell_values(snapshot: Snapshot, layer: int, unit: int, t: int) -> dict[str, float]:
    """Every number the Cell view shows for ``unit`` of layer ``layer`` (l·D + direction) at step ``t``.

    Keys: gate activations under their names (i f g o, r z n; "a" the plain RNN's pre-activation), ``<g>_pre``
    the pre-activations, h_prev, h (and c_prev, c for LSTM), products on the diagram's nodes, and the
    gradients dh (∂L/∂h_t), dc (∂L/∂c_t) with the share carried straight back to the previous step.
    """
    lt = snapshot.inspection.trace.layers[layer]
    grads = snapshot.inspection.grads
    prev = t + 1 if lt.direction else t - 1
    first = not 0 <= prev < lt.hidden.shape[0]
    v: dict[str, float] = {}
    H = lt.hidden.shape[-1]
    for k, name in enumerate(lt.gate_names):
        v[name] = float(lt.gates[t, 0, k * H + unit])
        v[name + "_pre"] = float(lt.gates_pre[t, 0, k * H + unit])
    v["h_prev"] = float(lt.h0[0, unit] if first else lt.hidden[prev, 0, unit])
    v["h"] = float(lt.hidden[t, 0, unit])
    v["dh"] = float(grads.dh[layer, t, 0, unit])
    if lt.cell is not None:
        v["c_prev"] = float(lt.c0[0, unit] if first else lt.cell[prev, 0, unit])
        v["c"] = float(lt.cell[t, 0, unit])
        v["tanh_c"] = math.tanh(v["c"])
        v["fc"], v["ig"] = v["f"] * v["c_prev"], v["i"] * v["g"]
        v["dc"] = float(grads.dc[layer, t, 0, unit])
        v["dc_carry"] = v["f"] * v["dc"]
    elif lt.extra is not None:
        v["hn"] = float(lt.extra[t, 0, unit])
        v["zh"], v["zn"] = v["z"] * v["h_prev"], (1 - v["z"]) * v["n"]
        v["dh_carry"] = v["z"] * v["dh"]
    else:
        v["a"] = v.pop("h̃_pre")
        v.pop("h̃")
        relu = snapshot.spec.cell == "rnn_relu"
        v["da"] = v["dh"] * ((v["a"] > 0) if relu else 1 - v["h"] ** 2)
    return v


def step_subscripts(direction: int) -> str:
    """The previous step's subscript: t−1, or t+1 in a backward-running direction."""
    return "t+1" if direction else "t−1"


# ---------------------------------------------------------------------------------------------- equations


def _name(gate: str) -> str:
    colour = GATE_COLORS.get(gate, "#404040")
    label = {"g": "c̃", "n": "h̃", "a": "h"}.get(gate, gate)
    return f"<span style='color:{colour}'><b>{label}</b><sub>t</sub></span>"


def _grad(symbol: str) -> str:
    return f"<span style='color:{GRAD_COLOR}'>∂L/∂{symbol}<sub>t</sub></span>"


def _bold(text: str, color: str = "") -> str:
    return f"<b style='color:{color}'>{text}</b>" if color else f"<b>{text}</b>"


def _row(title: str, symbolic: str, *numeric: str) -> str:
    """One equation: its name (Chinese, then English), the formula, then each line of numbers, indented."""
    zh, _, en = title.partition(" ")
    lines = "".join(f"<br>&nbsp;&nbsp;&nbsp;{line}" for line in numeric)
    return (
        f"<tr><td style='padding-right:8px; color:#606060'>{zh}<br><small>{en}</small></td>"
        f"<td>{symbolic}{lines}</td></tr>"
    )


def _gate_row(v: dict, gate: str, fn: str, w: str, p: str, peep: str = "") -> str:
    """σ or tanh of the gate's pre-activation, as in the course: W acts on x_t, U on the previous h."""
    args = f"W<sub>{w}</sub> x<sub>t</sub> + U<sub>{w}</sub> h<sub>{p}</sub>{peep} + b<sub>{w}</sub>"
    numeric = f"= {fn}({fmt(v[gate + '_pre'])}) = {_bold(fmt(v[gate]))}"
    return _row(GATE_NAMES_ZH[gate], f"{_name(gate)} = {fn}({args})", numeric)


def lstm_rows(v: dict, variant: str, p: str) -> list[str]:
    cp = f"c<sub>{p}</sub>"
    peep = {g: f" + V<sub>{g}</sub> {c}" for g, c in (("i", cp), ("f", cp), ("o", "c<sub>t</sub>"))}
    if variant != "peephole":
        peep = {}
    rows = [_gate_row(v, "i", "σ", "i", p, peep.get("i", ""))]
    if variant == "no_forget":
        rows.append(_row(GATE_NAMES_ZH["f"], f"{_name('f')} ≡ 1 &nbsp;(no forget gate 无遗忘门)", f"= {_bold('1')}"))
    elif variant == "coupled":
        symbolic = f"{_name('f')} = 1 − {_name('i')} &nbsp;(coupled 耦合)"
        rows.append(_row(GATE_NAMES_ZH["f"], symbolic, f"= 1 − {fmt(v['i'])} = {_bold(fmt(v['f']))}"))
    else:
        rows.append(_gate_row(v, "f", "σ", "f", p, peep.get("f", "")))
    rows.append(_gate_row(v, "g", "tanh", "c", p))
    if variant == "no_forget":
        forget = (cp, paren(fmt(v["c_prev"])))
    else:
        forget = (f"{_name('f')} ⊙ {cp}", f"{fmt(v['f'])}×{paren(fmt(v['c_prev']))}")
    symbolic = f"<b>c</b><sub>t</sub> = {forget[0]} + {_name('i')} ⊙ {_name('g')}"
    numeric = f"= {forget[1]} + {fmt(v['i'])}×{paren(fmt(v['g']))}"
    rows.append(_row("细胞状态 cell", symbolic, numeric, f"= {_bold(fmt(v['c']))}"))
    rows.append(_gate_row(v, "o", "σ", "o", p, peep.get("o", "")))
    o = fmt(v["o"])
    symbolic = f"<b>h</b><sub>t</sub> = {_name('o')} ⊙ tanh(c<sub>t</sub>)"
    numeric = (f"= {o}×tanh({fmt(v['c'])})", f"= {o}×{paren(fmt(v['tanh_c']))} = {_bold(fmt(v['h']))}")
    rows.append(_row("隐状态 hidden", symbolic, *numeric))
    return rows


def gru_rows(v: dict, variant: str, p: str) -> list[str]:
    rows = [_gate_row(v, "r", "σ", "r", p), _gate_row(v, "z", "σ", "z", p)]
    hp, wx, r = f"h<sub>{p}</sub>", "W<sub>h</sub> x<sub>t</sub>", _name("r")
    if variant == "reset_after":
        symbolic = f"{_name('n')} = tanh({wx} + {r} ⊙ (U<sub>h</sub> {hp} + b<sub>h</sub>))"
        xn = v["n_pre"] - v["r"] * v["hn"]
        first = f"= tanh({fmt(xn)} + {fmt(v['r'])}×{paren(fmt(v['hn']))})"
    else:
        symbolic = f"{_name('n')} = tanh({wx} + U<sub>h</sub>({r} ⊙ {hp}) + b<sub>h</sub>)"
        first = f"= tanh({fmt(v['n_pre'] - v['hn'])} + {paren(fmt(v['hn']))})"
    rows.append(_row(GATE_NAMES_ZH["n"], symbolic, first, f"= tanh({fmt(v['n_pre'])}) = {_bold(fmt(v['n']))}"))
    z = _name("z")
    symbolic = f"<b>h</b><sub>t</sub> = {z} ⊙ {hp} + (1 − {z}) ⊙ {_name('n')}"
    numeric = f"= {fmt(v['z'])}×{paren(fmt(v['h_prev']))} + {fmt(1 - v['z'])}×{paren(fmt(v['n']))}"
    rows.append(_row("隐状态 hidden", symbolic, numeric, f"= {_bold(fmt(v['h']))}"))
    return rows


def rnn_rows(v: dict, relu: bool, p: str) -> list[str]:
    fn = "ReLU" if relu else "tanh"
    pre = f"<b>a</b><sub>t</sub> = W x<sub>t</sub> + U h<sub>{p}</sub> + b"
    return [
        _row("净输入 pre-activation", pre, f"= {_bold(fmt(v['a']))}"),
        _row(
            "隐状态 hidden",
            f"<b>h</b><sub>t</sub> = {fn}(a<sub>t</sub>)",
            f"= {fn}({fmt(v['a'])}) = {_bold(fmt(v['h']))}",
        ),
    ]


def gradient_rows(v: dict, cell: str, p: str) -> list[str]:
    """The backward sweep's numbers: the gradients reaching this step, and what passes straight back."""
    rows = [_row("梯度 gradient", _grad("h"), f"= {_bold(fmt_grad(v['dh']), GRAD_COLOR)}")]
    if cell == "lstm":
        rows.append(_row("", _grad("c"), f"= {_bold(fmt_grad(v['dc']), GRAD_COLOR)}"))
        symbolic = f"{_name('f')} ⊙ {_grad('c')} → c<sub>{p}</sub>"
        numeric = f"= {fmt(v['f'])}×{paren(fmt_grad(v['dc']))} = {_bold(fmt_grad(v['dc_carry']), GRAD_COLOR)}"
        rows.append(_row("沿细胞状态 along&nbsp;c", symbolic, numeric))
    elif cell == "gru":
        symbolic = f"{_name('z')} ⊙ {_grad('h')} → h<sub>{p}</sub>"
        numeric = f"= {fmt(v['z'])}×{paren(fmt_grad(v['dh']))} = {_bold(fmt_grad(v['dh_carry']), GRAD_COLOR)}"
        rows.append(_row("直接通路 direct", symbolic, numeric))
    else:
        slope = "1[a<sub>t</sub> &gt; 0]" if cell == "rnn_relu" else "(1 − h<sub>t</sub>²)"
        symbolic = f"{_grad('a')} = {_grad('h')} · {slope}"
        rows.append(_row("穿过激活 through&nbsp;φ", symbolic, f"= {_bold(fmt_grad(v['da']), GRAD_COLOR)}"))
    return rows


def equations_html(cell: str, variant: str, v: dict, direction: int, backward: bool) -> str:
    """The cell's equations with ``v`` (from ``cell_values``) filled in; gradients too when ``backward``."""
    p = step_subscripts(direction)
    if cell == "lstm":
        rows = lstm_rows(v, variant, p)
    elif cell == "gru":
        rows = gru_rows(v, variant, p)
    else:
        rows = rnn_rows(v, cell == "rnn_relu", p)
    if backward:
        rows += gradient_rows(v, cell, p)
    return f"<table cellspacing='0' cellpadding='5'>{''.join(rows)}</table>"
