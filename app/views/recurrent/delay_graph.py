"""The unrolled picture of a delay network: no edge from h_(t−1) to h_t, but delay lines. A TDNN's (and AR's)
unit at t is fed by a window of frames below it, t, t−1, …, t−K+1 (a fan of "window" edges); NARX's by its
input window and by its own past outputs y_(t−1) … y_(t−Ky) coming down from the top row ("feedback" edges)."""

from __future__ import annotations

import numpy as np

from app.theme import GATE_COLORS

WINDOW_COLOR, FEEDBACK_COLOR = GATE_COLORS["window"], GATE_COLORS["feedback"]  # told apart from a recurrent edge
ROW = 1.25  # height between layers


def build_delay_layout(spec, T: int, outputs: list[int]):
    """Nodes x_t, h^l_t (one row per layer), NARX's y_t at every step (it feeds them back), ŷ_t and L_t at the
    loss steps; edges by kind: "input"/"stack" the current frame, "window" a delayed one, "feedback" NARX's
    output delay line, "output", "loss"."""
    from app.views.recurrent.unrolled_graph import Layout  # the recurrent picture's geometry, shared

    narx = spec.cell == "narx"
    L = spec.num_layers
    pos, kind, step, row, index = [], [], [], [], {}

    def node(key, x, y, k, t, r=-1):
        index[key] = len(pos)
        pos.append((x, y))
        kind.append(k)
        step.append(t)
        row.append(r)

    top = 1.0 + L * ROW
    for t in range(T):
        node(("x", t), t, 0.0, "x", t)
        for r in range(L):
            node(("h", r, t), t, 1.0 + r * ROW, "h", t, r)
    for t in range(T) if narx else outputs:
        node(("y", t), t, top, "y", t)
    for t in outputs:
        node(("L", t), t, top + 0.8, "L", t)
    edges, ekind, estep, erow = [], [], [], []

    def edge(a, b, k, t, r):
        edges.append((index[a], index[b]))
        ekind.append(k)
        estep.append(t)
        erow.append(r)

    taps = spec.input_delays if narx else spec.window
    for t in range(T):
        for r in range(L):
            below = (lambda s: ("x", s)) if r == 0 else (lambda s, r=r: ("h", r - 1, s))
            for k in range(min(taps, t + 1)):
                edge(below(t - k), ("h", r, t), "window" if k else ("input" if r == 0 else "stack"), t, r)
        if narx:
            for j in range(1, min(spec.output_delays, t) + 1):
                edge(("y", t - j), ("h", 0, t), "feedback", t, 0)
    for t in range(T) if narx else outputs:
        edge(("h", L - 1, t), ("y", t), "output", t, L - 1)
    for t in outputs:
        edge(("y", t), ("L", t), "loss", t, -1)
    return Layout(np.array(pos, float), kind, np.array(step), np.array(row), np.array(edges).reshape(-1, 2), ekind,
                  np.array(estep), np.array(erow))  # fmt: skip
