"""The numbers of one cell at one step for one unit, and the cell's equations with those numbers filled in.

``cell_values`` only indexes the snapshot's arrays (cheap enough for every playhead move); ``equation_rows``
writes the course's equations (σ, tanh, ⊙; W acts on x_t, U on h_{t-1}) as rows of styled runs, which
``equation_view`` lays out once and then only fills with new numbers.
Symbols use a small markup shared with the diagram: ``c_{t-1}`` is c with subscript t−1.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from app.i18n import caption, tr
from app.languages import QT_TR_NOOP
from app.sessions.recurrent import Snapshot
from app.theme import GATE_COLORS

GRAD_COLOR = "#c0392b"
GATE_NAMES = {
    "i": QT_TR_NOOP("input gate"), "f": QT_TR_NOOP("forget gate"), "g": QT_TR_NOOP("candidate memory"),
    "o": QT_TR_NOOP("output gate"), "r": QT_TR_NOOP("reset gate"), "z": QT_TR_NOOP("update gate"),
    "n": QT_TR_NOOP("candidate state"), "a": QT_TR_NOOP("activation"),
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


@dataclass(frozen=True)
class Run:
    """A piece of an equation in one style. A ``number`` changes with the step; ``key`` names the value it shows
    (a key of ``cell_values``), empty for numbers worked out on the way."""

    text: str
    color: str = ""  # empty: the foreground colour
    bold: bool = False
    sub: bool = False
    number: bool = False
    key: str = ""


Line = tuple[Run, ...]


@dataclass(frozen=True)
class Row:
    title: tuple[str, str]  # the name, and a smaller second line (app.i18n.caption): ("输入门", "input gate")
    lines: tuple[Line, ...]  # the formula, then its numbers


@lru_cache(maxsize=512)
def sym(text: str, color: str = "", bold: bool = False) -> Line:
    """Fixed text in the diagram's markup, ``h_{t-1}`` being h with subscript t−1 (never bold, as in the slides)."""
    return tuple(Run(s, color, bold and not sub, sub) for s, sub in split_subscripts(text))


def num(v: dict, key: str, bold: bool = False, grad: bool = False, wrap: bool = False) -> Run:
    """The value ``v[key]``, in parentheses if ``wrap`` and negative; a ``grad`` to three significant digits
    (red when it is a result, i.e. ``bold``)."""
    text = fmt_grad(v[key]) if grad else fmt(v[key])
    return Run(paren(text) if wrap else text, GRAD_COLOR if grad and bold else "", bold, number=True, key=key)


def worked(value: float) -> Run:
    """A number worked out on the way (e.g. 1 − z), not one of ``cell_values``."""
    return Run(fmt(value), number=True)


def _name(gate: str) -> Line:
    colour = GATE_COLORS.get(gate, "#404040")
    return sym(f"{ {'g': 'c̃', 'n': 'h̃', 'a': 'h'}.get(gate, gate) }_t", colour, True)


def _grad(symbol: str) -> Line:
    return sym(f"∂L/∂{symbol}_t", GRAD_COLOR)


def _gate_row(v: dict, gate: str, fn: str, w: str, p: str, peep: str = "") -> Row:
    """σ or tanh of the gate's pre-activation, as in the course: W acts on x_t, U on the previous h."""
    symbolic = (*_name(gate), *sym(f" = {fn}(W_{{{w}}} x_t + U_{{{w}}} h_{{{p}}}{peep} + b_{{{w}}})"))
    numeric = (*sym(f"= {fn}("), num(v, gate + "_pre"), *sym(") = "), num(v, gate, bold=True))
    return Row(caption(GATE_NAMES[gate]), (symbolic, numeric))


def lstm_rows(v: dict, variant: str, p: str) -> list[Row]:
    peep = {g: f" + V_{g} {c}" for g, c in (("i", f"c_{{{p}}}"), ("f", f"c_{{{p}}}"), ("o", "c_t"))}
    if variant != "peephole":
        peep = {}
    f, i, g, eq, times = _name("f"), _name("i"), _name("g"), sym(" = "), sym("×")
    rows = [_gate_row(v, "i", "σ", "i", p, peep.get("i", ""))]
    if variant == "no_forget":
        rows.append(
            Row(
                caption(GATE_NAMES["f"]),
                ((*f, *sym(f" ≡ 1  ({tr('no forget gate')})")), (*sym("= "), Run("1", bold=True))),
            )  # fmt: skip
        )
    elif variant == "coupled":
        symbolic = (*f, *sym(" = 1 − "), *i, *sym(f"  ({tr('coupled')})"))
        rows.append(
            Row(caption(GATE_NAMES["f"]), (symbolic, (*sym("= 1 − "), num(v, "i"), *eq, num(v, "f", bold=True))))
        )
    else:
        rows.append(_gate_row(v, "f", "σ", "f", p, peep.get("f", "")))
    rows.append(_gate_row(v, "g", "tanh", "c", p))
    if variant == "no_forget":
        forget, forget_num = sym(f"c_{{{p}}}"), (num(v, "c_prev", wrap=True),)
    else:
        forget, forget_num = (*f, *sym(f" ⊙ c_{{{p}}}")), (num(v, "f"), *times, num(v, "c_prev", wrap=True))
    symbolic = (*sym("c_t", bold=True), *eq, *forget, *sym(" + "), *i, *sym(" ⊙ "), *g)
    numeric = (*sym("= "), *forget_num, *sym(" + "), num(v, "i"), *times, num(v, "g", wrap=True))
    rows.append(Row(caption(QT_TR_NOOP("cell state")), (symbolic, numeric, (*sym("= "), num(v, "c", bold=True)))))
    rows.append(_gate_row(v, "o", "σ", "o", p, peep.get("o", "")))
    symbolic = (*sym("h_t", bold=True), *eq, *_name("o"), *sym(" ⊙ tanh(c_t)"))
    first = (*sym("= "), num(v, "o"), *sym("×tanh("), num(v, "c"), *sym(")"))
    second = (*sym("= "), num(v, "o"), *times, num(v, "tanh_c", wrap=True), *eq, num(v, "h", bold=True))
    rows.append(Row(caption(QT_TR_NOOP("hidden state")), (symbolic, first, second)))
    return rows


def gru_rows(v: dict, variant: str, p: str) -> list[Row]:
    rows = [_gate_row(v, "r", "σ", "r", p), _gate_row(v, "z", "σ", "z", p)]
    r, z, n, plus = _name("r"), _name("z"), _name("n"), sym(" + ")
    if variant == "reset_after":
        symbolic = (*n, *sym(" = tanh(W_h x_t + "), *r, *sym(f" ⊙ (U_h h_{{{p}}} + b_h))"))
        first = (*sym("= tanh("), worked(v["n_pre"] - v["r"] * v["hn"]), *plus, num(v, "r"), *sym("×"),
                 num(v, "hn", wrap=True), *sym(")"))  # fmt: skip
    else:
        symbolic = (*n, *sym(" = tanh(W_h x_t + U_h("), *r, *sym(f" ⊙ h_{{{p}}}) + b_h)"))
        first = (*sym("= tanh("), worked(v["n_pre"] - v["hn"]), *plus, num(v, "hn", wrap=True), *sym(")"))
    second = (*sym("= tanh("), num(v, "n_pre"), *sym(") = "), num(v, "n", bold=True))
    rows.append(Row(caption(GATE_NAMES["n"]), (symbolic, first, second)))
    symbolic = (*sym("h_t", bold=True), *sym(" = "), *z, *sym(f" ⊙ h_{{{p}}} + (1 − "), *z, *sym(") ⊙ "), *n)
    numeric = (*sym("= "), num(v, "z"), *sym("×"), num(v, "h_prev", wrap=True), *plus, worked(1 - v["z"]),
               *sym("×"), num(v, "n", wrap=True))  # fmt: skip
    rows.append(Row(caption(QT_TR_NOOP("hidden state")), (symbolic, numeric, (*sym("= "), num(v, "h", bold=True)))))
    return rows


def rnn_rows(v: dict, relu: bool, p: str) -> list[Row]:
    fn = "ReLU" if relu else "tanh"
    pre = (*sym("a_t", bold=True), *sym(f" = W x_t + U h_{{{p}}} + b"))
    hidden = (*sym("h_t", bold=True), *sym(f" = {fn}(a_t)"))
    numeric = (*sym(f"= {fn}("), num(v, "a"), *sym(") = "), num(v, "h", bold=True))
    return [Row(caption(QT_TR_NOOP("pre-activation")), (pre, (*sym("= "), num(v, "a", bold=True)))),
            Row(caption(QT_TR_NOOP("hidden state")), (hidden, numeric))]  # fmt: skip


def gradient_rows(v: dict, cell: str, p: str) -> list[Row]:
    """The backward sweep's numbers: the gradients reaching this step, and what passes straight back."""
    rows = [Row(caption(QT_TR_NOOP("gradient")), (_grad("h"), (*sym("= "), num(v, "dh", bold=True, grad=True))))]
    if cell == "lstm":
        rows.append(Row(("", ""), (_grad("c"), (*sym("= "), num(v, "dc", bold=True, grad=True)))))
        symbolic = (*_name("f"), *sym(" ⊙ "), *_grad("c"), *sym(f" → c_{{{p}}}"))
        numeric = (*sym("= "), num(v, "f"), *sym("×"), num(v, "dc", grad=True, wrap=True), *sym(" = "),
                   num(v, "dc_carry", bold=True, grad=True))  # fmt: skip
        rows.append(Row(caption(QT_TR_NOOP("along c")), (symbolic, numeric)))
    elif cell == "gru":
        symbolic = (*_name("z"), *sym(" ⊙ "), *_grad("h"), *sym(f" → h_{{{p}}}"))
        numeric = (*sym("= "), num(v, "z"), *sym("×"), num(v, "dh", grad=True, wrap=True), *sym(" = "),
                   num(v, "dh_carry", bold=True, grad=True))  # fmt: skip
        rows.append(Row(caption(QT_TR_NOOP("direct path")), (symbolic, numeric)))
    else:
        slope = "1[a_t > 0]" if cell == "rnn_relu" else "(1 − h_t²)"
        symbolic = (*_grad("a"), *sym(" = "), *_grad("h"), *sym(f" · {slope}"))
        rows.append(Row(caption(QT_TR_NOOP("through φ")), (symbolic, (*sym("= "), num(v, "da", bold=True, grad=True)))))
    return rows


def equation_rows(cell: str, variant: str, v: dict, direction: int, backward: bool) -> list[Row]:
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
    return rows
