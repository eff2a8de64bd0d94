"""The Cell view shows, for the selected unit at the playhead's step, exactly the numbers of the trace: in its
``values``, in its equations and on its diagram; stepping, selecting and the backward sweep change them."""

import numpy as np
import pyqtgraph as pg
import pytest

from app.playhead import Playhead
from app.sessions.recurrent import RecurrentSession, RecurrentSettings
from app.theme import GATE_COLORS, themes
from app.timeline import Phase, Timeline
from app.views.recurrent.cell_diagram import CellView
from app.views.recurrent.cell_equations import fmt, fmt_grad
from app.views.recurrent.cell_scenes import GATE, GH, H, W
from tests.app.pictures import close, colour_of, picture, rgb

CELLS = [("lstm", "standard"), ("lstm", "no_forget"), ("lstm", "peephole"), ("lstm", "coupled"),
         ("gru", "reset_after"), ("gru", "reset_before"), ("rnn_tanh", ""), ("rnn_relu", "")]  # fmt: skip


def make_view(qtbot, cell: str, variant: str = "", **settings) -> CellView:
    """A Cell view fed as its panel feeds it: a snapshot, and a timeline of the forward and backward sweeps."""
    session = RecurrentSession(RecurrentSettings(cell=cell, variant=variant, hidden_size=4, task="reber", **settings))
    session.train_steps(3)
    timeline = Timeline(Playhead())
    T, spec = session.steps, session.spec
    timeline.set_phases(Phase("forward", T), Phase("backward", T, reverse=True))
    timeline.set_extent(spec.num_layers * spec.directions, spec.hidden_size)
    view = CellView(timeline)
    view.set_snapshot(session.snapshot)
    view.playhead = timeline.playhead  # the tests move it as the transport bar would
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    return view


def forward_numbers(view: CellView, t: int, unit: int) -> dict[str, float]:
    """What the trace holds for ``unit`` at step ``t`` of layer 0, under the view's names."""
    lt = view.snapshot.inspection.trace.layers[0]
    out = {name: lt.gate(name)[t, 0, unit] for name in lt.gate_names if name != "h̃"}
    out.update({f"{name}_pre": lt.gate(name, pre=True)[t, 0, unit] for name in lt.gate_names if name != "h̃"})
    out["h"] = lt.hidden[t, 0, unit]
    out["h_prev"] = lt.hidden[t - 1, 0, unit] if t else lt.h0[0, unit]
    if lt.cell is not None:
        out["c"], out["c_prev"] = lt.cell[t, 0, unit], (lt.cell[t - 1, 0, unit] if t else lt.c0[0, unit])
    if lt.gate_names == ("h̃",):
        out["a"] = lt.gate("h̃", pre=True)[t, 0, unit]
    return out


@pytest.mark.parametrize("cell,variant", CELLS)
def test_shows_the_traces_numbers_for_the_selected_unit(qtbot, cell, variant):
    view = make_view(qtbot, cell, variant)
    view.timeline.select(0, 2)
    view.playhead.seek(3)
    assert (view.phase, view.t) == ("forward", 3)
    expected = forward_numbers(view, 3, 2)
    for name, value in expected.items():
        assert view.values[name] == pytest.approx(float(value), abs=1e-6), name
    text = view.equations.text()
    derived = ["h_prev", "c_prev"]
    if variant in ("no_forget", "coupled"):  # f is no σ(·) of its own: f ≡ 1 (shown as "1") or f = 1 − i
        derived += ["f_pre", "f"] if variant == "no_forget" else ["f_pre"]
    for name in expected:
        if name not in derived:
            assert fmt(view.values[name]) in text, name
    assert f"<b>{view.snapshot.demo.labels[3]}</b>" in view.header.text()


@pytest.mark.parametrize("cell,variant", CELLS)
def test_values_obey_the_cells_equations(qtbot, cell, variant):
    view = make_view(qtbot, cell, variant)
    for t in range(len(view.snapshot.demo.labels)):
        view.playhead.seek(t)
        v = view.values
        if cell == "lstm":
            assert v["c"] == pytest.approx(v["f"] * v["c_prev"] + v["i"] * v["g"], abs=1e-5)
            assert v["h"] == pytest.approx(v["o"] * np.tanh(v["c"]), abs=1e-5)
        elif cell == "gru":
            assert v["h"] == pytest.approx(v["z"] * v["h_prev"] + (1 - v["z"]) * v["n"], abs=1e-5)
        else:
            assert v["h"] == pytest.approx(np.tanh(v["a"]) if cell == "rnn_tanh" else max(v["a"], 0.0), abs=1e-5)


def test_stepping_and_selecting_change_the_numbers(qtbot):
    view = make_view(qtbot, "lstm")
    view.playhead.seek(2)
    at_2 = dict(view.values)
    view.playhead.step_forward()
    assert view.t == 3 and view.values != at_2
    assert view.values["c_prev"] == pytest.approx(at_2["c"])  # this step starts where the last one ended
    before = dict(view.values)
    view.timeline.select(0, 1)
    assert view.values["i"] == pytest.approx(float(forward_numbers(view, 3, 1)["i"]))
    assert view.values != before
    assert fmt(view.values["i"]) in view.equations.text()


@pytest.mark.parametrize("cell,variant", [("lstm", "standard"), ("gru", "reset_after"), ("rnn_tanh", "")])
def test_backward_sweep_shows_the_gradients_reaching_the_step(qtbot, cell, variant):
    view = make_view(qtbot, cell, variant)
    grads = view.snapshot.inspection.grads
    view.timeline.select(0, 1)
    t = 4
    view.playhead.seek(view.timeline.position("backward", t))
    assert (view.phase, view.t) == ("backward", t)
    assert view.values["dh"] == pytest.approx(float(grads.dh[0, t, 0, 1]), rel=1e-6, abs=1e-12)
    text = view.equations.text()
    assert "∂L/∂h" in text and fmt_grad(view.values["dh"]) in text
    if cell == "lstm":
        assert view.values["dc"] == pytest.approx(float(grads.dc[0, t, 0, 1]), rel=1e-6, abs=1e-12)
        assert fmt_grad(view.values["dc"]) in text
    view.playhead.seek(t)
    assert "∂L/∂h" not in view.equations.text()


def test_reverse_direction_takes_its_previous_state_from_the_next_step(qtbot):
    view = make_view(qtbot, "lstm", bidirectional=True)
    view.timeline.select(1, 0)  # layer 1's backward-running direction
    lt = view.snapshot.inspection.trace.layers[1]
    view.playhead.seek(2)
    assert view.values["h_prev"] == pytest.approx(float(lt.hidden[3, 0, 0]))
    assert view.values["c"] == pytest.approx(
        view.values["f"] * view.values["c_prev"] + view.values["i"] * view.values["g"], abs=1e-5
    )
    assert "t+1" in view.equations.text()
    view.playhead.seek(len(view.snapshot.demo.labels) - 1)  # the reverse direction's first step starts from c0
    assert view.values["c_prev"] == pytest.approx(float(lt.c0[0, 0]))


GRADIENTS = {"dh", "dc", "dc_carry", "dh_carry", "da"}


@pytest.mark.parametrize("cell,variant", CELLS)
def test_every_number_in_the_equations_is_the_value_it_names(qtbot, cell, variant):
    view = make_view(qtbot, cell, variant)
    view.timeline.select(0, 1)
    for position in (2, 3, view.timeline.position("backward", 4)):
        view.playhead.seek(position)
        shown = [run for row in view.equations.rows for line in row.lines for run in line if run.key]
        assert {run.key for run in shown} >= {"h"} | ({"dh"} if view.phase == "backward" else set())
        for run in shown:
            value = view.values[run.key]
            expected = fmt_grad(value) if run.key in GRADIENTS else fmt(value)
            assert run.text.strip("()") == expected, run.key
            assert run.text in view.equations.text()


def test_equations_follow_the_playhead_without_laying_out_again(qtbot):
    view = make_view(qtbot, "lstm")
    view.playhead.seek(1)
    size = view.equations.sizeHint()
    for t in range(2, len(view.snapshot.demo.labels)):
        view.playhead.seek(t)
        assert view.equations.sizeHint().width() >= size.width()  # it may grow for a wider number, never shrink
        assert view.equations.sizeHint().height() == size.height()
        assert fmt(view.values["c"]) in view.equations.text()


# The diagram's conventions: each gate box outlined in its gate colour (the plain RNN's activation in the line
# colour) and filled with the colour of its value, σ gates (0 … 1) on viridis, tanh (−1 … 1) on CET-D1 as in the
# Gates view; a 1040 × 720 canvas scaled to fit and centred.
UNIT, SIGNED = pg.colormap.get("viridis"), pg.colormap.get("CET-D1")
LINE = "#3a3a3a"


def canvas_pixel(canvas, x: float, y: float) -> tuple[int, int]:
    """Where the canvas point (x, y) lands on the widget."""
    k = min(canvas.width() / W, canvas.height() / H)
    return round((canvas.width() - W * k) / 2 + x * k), round((canvas.height() - H * k) / 2 + y * k)


def assert_diagram_shows_gates(view, cell: str) -> None:
    """Every gate box of the diagram is outlined in its colour and filled with the colour of the selected unit's
    value at the playhead's step, read from the trace."""
    _, t = view.timeline.moment()
    numbers = forward_numbers(view, t, view.timeline.unit)
    shot = picture(view.canvas)
    gates = [g for g in view.canvas.scene.gates if not g.absent]
    assert {g.name for g in gates} == {"lstm": {"i", "f", "g", "o"}, "gru": {"r", "z", "n"}}.get(cell, {"a"})
    for gate in gates:
        value = numbers["h" if gate.name == "a" else gate.name]
        signed = gate.name in ("g", "n") or (gate.name == "a" and cell == "rnn_tanh")
        fill = colour_of(value, SIGNED, (-1, 1)) if signed else colour_of(value, UNIT, (0, 1))
        x, y = canvas_pixel(view.canvas, gate.x - gate.w / 2 + 12, GATE)  # inside the box, left of its text
        assert close(shot[y, x], fill, 16), (gate.name, value, shot[y, x], fill)
        outline = rgb(GATE_COLORS.get(gate.name, LINE))
        x, y = canvas_pixel(view.canvas, gate.x, GATE - GH / 2)  # the middle of its top edge
        patch = shot[y - 2 : y + 3, x - 2 : x + 3]
        assert (np.abs(patch - outline).max(axis=-1) <= 40).any(), (gate.name, "outline")


def assert_equations_name_the_gates_in_their_colours(view, cell: str) -> None:
    shot = picture(view.equations)
    for gate in {"lstm": "ifgo", "gru": "rzn"}.get(cell, ""):
        inked = np.abs(shot - rgb(GATE_COLORS[gate])).max(axis=-1) <= 30
        assert inked.sum() >= 20, f"no {gate} in its colour in the equations"


@pytest.mark.parametrize("cell,variant", [("lstm", "peephole"), ("gru", "reset_before"), ("rnn_relu", ""),
                                          ("rnn_tanh", "")])  # fmt: skip
def test_diagram_shows_each_gate_in_its_colour_filled_by_its_value_in_both_themes(qtbot, cell, variant):
    view = make_view(qtbot, cell, variant)
    view.timeline.select(0, 1)
    for position in (2, len(view.snapshot.demo.labels) + 2):  # forward, then backward sweep
        view.playhead.seek(position)
        assert_diagram_shows_gates(view, cell)
        assert_equations_name_the_gates_in_their_colours(view, cell)
    themes().set_presentation(False)  # the theme's fonts, not the test application's
    normal = view.equations.sizeHint()
    try:
        themes().set_presentation(True)
        assert_diagram_shows_gates(view, cell)
        assert_equations_name_the_gates_in_their_colours(view, cell)
        assert view.equations.sizeHint() != normal  # laid out again in the presentation font
    finally:
        themes().set_presentation(False)
    assert view.equations.sizeHint() == normal
