"""The recurrent explorer opens on its demo, and stepping, scrubbing, training and opening files change what
its views hold, while bad input changes nothing."""

import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.theme import GATE_COLORS, SERIES_COLORS, theme, themes
from engine import io
from tests.app.pictures import (
    assert_curve_drawn,
    assert_image_shows,
    close,
    colour_of,
    curve_through,
    image_showing,
    items_of,
    picture,
    pixel_of,
    rgb,
    shows_colour_near,
)
from tests.app.test_cell_view import assert_diagram_shows_gates, assert_equations_name_the_gates_in_their_colours


@pytest.fixture
def panel(window):
    return window.panels["recurrent"]


def test_opens_on_a_ready_demo(panel):
    snap = panel.session.snapshot
    assert snap.spec.cell == "lstm" and snap.task.name == "reber"
    assert panel.playhead.length == 2 * panel.session.steps
    gates = panel.show_view("gates")
    lt = snap.inspection.trace.layers[0]
    np.testing.assert_allclose(gates.maps["f"].data, lt.gate("f")[:, 0, :].T, rtol=1e-6)


def test_step_back_and_scrub_move_every_cursor(panel, qtbot):
    gates = panel.show_view("gates")
    panel.playhead.seek(0)
    panel.transport.forward.click()
    panel.transport.forward.click()
    assert gates.maps["i"].cursor.value() == 2
    panel.transport.back.click()
    assert gates.maps["i"].cursor.value() == 1
    T = panel.session.steps
    panel.transport.slider.setValue(T)  # the first position of the backward sweep is the last step
    assert panel.timeline.moment() == ("backward", T - 1)
    assert gates.maps["o"].cursor.value() == T - 1
    assert "backward" in panel.transport.label.text()
    states = panel.show_view("states")
    panel.playhead.seek(2 * T - 1)
    assert states.cursor.value() == 0


def test_play_advances_the_playhead(panel, qtbot):
    panel.playhead.seek(0)
    panel.playhead.set_speed(60)
    panel.transport.play.click()
    qtbot.waitUntil(lambda: panel.playhead.position >= 3, timeout=3000)
    panel.transport.play.click()
    assert not panel.playhead.playing


def test_clicking_a_heatmap_selects_unit_and_step_everywhere(panel):
    gates = panel.show_view("gates")
    gates.maps["f"].signals.clicked.emit(3, 5)
    assert panel.timeline.unit == 5
    assert panel.timeline.moment()[1] == 3
    assert panel.controls_panel.unit_box.value() == 5
    states = panel.show_view("states")
    lt = panel.session.snapshot.inspection.trace.layers[0]
    np.testing.assert_allclose(states.h_curve.yData, lt.hidden[:, 0, 5])


def test_background_training_keeps_the_window_answering(panel, qtbot):
    """Counts, not seconds (a shared machine's timing varies): training goes on while the GUI thread is blocked,
    so it runs in a worker; and meanwhile the event loop turns and receives snapshots. How fast the window
    answers while training is measured by `unroll fps`."""
    first = panel.session.snapshot
    panel.controls_panel.train_button.click()
    steps = panel.session.trainer.steps
    deadline = time.monotonic() + 30
    while panel.session.trainer.steps == steps and time.monotonic() < deadline:
        time.sleep(0.01)  # the GUI thread blocked: no events processed here
    assert panel.session.trainer.steps > steps, "training waited for the GUI thread"
    ticks = []
    timer = QTimer(interval=10, timeout=lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 20 and len(panel.session.snapshot.history["loss"]) >= 10, timeout=30000)
    timer.stop()
    panel.controls_panel.train_button.click()
    assert not panel.session.training
    assert panel.session.snapshot is not first


def test_changing_the_cell_rebuilds_model_and_views(panel):
    gates = panel.show_view("gates")
    combo = panel.controls_panel.widgets["cell"]
    combo.setCurrentIndex(combo.findData("gru"))
    assert panel.session.spec.cell == "gru" and panel.session.spec.variant == "reset_after"
    assert list(gates.maps) == ["r", "z", "n"]
    panel.controls_panel.widgets["bidirectional"].setChecked(True)
    assert panel.session.snapshot.inspection.trace.output.shape[2] == 2 * panel.session.spec.hidden_size
    assert panel.controls_panel.layer_box.count() == 2


def test_bad_files_show_a_message_and_change_nothing(window, panel, tmp_path):
    before = panel.session.snapshot
    params = {k: v.copy() for k, v in panel.session.trainer.params.items()}
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 this is not a zip archive")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("1,2,3\n4,5,6\n")
    nan = tmp_path / "nan.npy"
    np.save(nan, np.array([[np.nan] * 7]))
    binary = tmp_path / "latin1.txt"
    binary.write_bytes("caf\xe9".encode("latin-1"))
    for path, message in [(broken, "not a readable .npz"), (wrong, "3 features per step, but the network takes 7"),
                          (nan, "NaN"), (binary, "not UTF-8")]:  # fmt: skip
        assert not window.open_file(str(path))
        assert window.banner.level == "error" and message in window.banner.text()
        assert panel.session.snapshot is before
    for k, v in params.items():
        np.testing.assert_array_equal(panel.session.trainer.params[k], v)


def test_weights_round_trip_and_mismatch(window, panel, tmp_path):
    params = {k: v * 0.5 for k, v in panel.session.trainer.params.items()}
    good = tmp_path / "weights.npz"
    io.save_arrays(good, params)
    assert window.open_file(str(good))
    np.testing.assert_allclose(panel.session.trainer.params["weight_hh_l0"], params["weight_hh_l0"])
    del params["bias_hh_l0"]
    io.save_arrays(tmp_path / "short.npz", params)
    assert not window.open_file(str(tmp_path / "short.npz"))
    assert "missing: bias_hh_l0" in window.banner.text()


def test_a_sequence_file_becomes_the_demo(window, panel, tmp_path):
    x = np.eye(7)[[0, 1, 2, 3, 4, 5, 6, 0, 1]]
    path = tmp_path / "seq.npy"
    np.save(path, x)
    assert window.open_file(str(path))
    assert panel.session.steps == 9
    assert panel.playhead.length == 18
    np.testing.assert_allclose(panel.session.snapshot.inspection.trace.layers[0].inputs[:, 0], x)


def test_chinese_text_trains_a_character_model(window, panel, tmp_path):
    path = tmp_path / "诗.txt"
    path.write_text("床前明月光，疑是地上霜。举头望明月，低头思故乡。" * 4, encoding="utf-8")
    assert window.open_file(str(path))
    assert panel.session.task.name == "text" and "月" in panel.session.task.symbols
    assert all(len(label) == 1 for label in panel.session.demo.labels)


def test_exploding_training_is_shown_not_crashed(window, panel, qtbot):
    panel.session.apply_settings(panel.session.with_settings(cell="rnn_relu", lr=5.0, clip_norm=0.0, optimizer="sgd",
                                                             hidden_size=64))  # fmt: skip
    params = panel.session.trainer.params
    params["weight_hh_l0"][:] = np.eye(64, dtype=params["weight_hh_l0"].dtype) * 50
    panel.session.train_steps(5)
    assert window.banner.level == "error" and "NaN or Inf" in window.banner.text()
    assert all(np.isfinite(v).all() for v in panel.session.trainer.params.values())


# The lab's colour scales: gates (0 … 1) on viridis, signed values (−1 … 1) from blue to red on CET-D1,
# gradient magnitudes on inferno; the playhead's step is a magenta line.
UNIT, SIGNED, MAGNITUDE = (pg.colormap.get(name) for name in ("viridis", "CET-D1", "inferno"))
CURSOR = "#ff00ff"
STEP = 4  # the playhead's step in the forward sweep


@pytest.fixture(params=[False, True], ids=["normal", "presentation"])
def trained(panel, request):
    """The demo after 20 training steps, in each theme (presentation mode on a projector's screen)."""
    if request.param:
        panel.window().resize(1920, 1080)
    panel.session.train_steps(20)
    themes().set_presentation(request.param)
    yield panel
    themes().set_presentation(False)


def show(panel, view: str):
    widget = panel.show_view(view)
    panel.playhead.seek(STEP)
    assert panel.timeline.moment() == ("forward", STEP)
    return widget


def first_layer(panel):
    return panel.session.snapshot.inspection.trace.layers[0]


def assert_cursor_at(widget, image, t: int) -> None:
    """A heatmap's magenta line runs down the middle of column t."""
    rows = image.image.shape[0]
    for row in (0.25, rows / 2 + 0.25, rows - 0.75):
        assert shows_colour_near(widget, image, t + 0.5, row, rgb(CURSOR), radius=1, tolerance=60), (t, row)


def test_graph_view_colours_each_node_by_the_units_value_up_to_the_playhead(trained):
    widget = show(trained, "graph")
    lt, unit = first_layer(trained), trained.timeline.unit
    (nodes,) = items_of(widget, pg.ScatterPlotItem)
    row_y = {label.toPlainText(): label.pos().y() for label in items_of(widget, pg.TextItem)}
    spots = nodes.getData()
    shot = picture(widget)
    for name, values in (("h1", lt.hidden[:, 0, unit]), ("c1", np.tanh(lt.cell[:, 0, unit]))):
        on_row = np.flatnonzero(np.isclose(spots[1], row_y[name]))
        assert len(on_row) == len(values), name
        for t, k in enumerate(on_row[np.argsort(spots[0][on_row])]):
            x, y = pixel_of(widget, nodes, spots[0][k], spots[1][k])
            if t <= STEP:  # computed: blue −1 … red +1
                assert close(shot[y, x], colour_of(values[t], SIGNED, (-1, 1)), 16), (name, t, values[t])
            else:  # not reached yet: grey
                assert abs(np.ptp(shot[y, x])) < 10 and not close(shot[y, x], colour_of(0, SIGNED, (-1, 1)), 16)


def test_cell_view_fills_each_gate_box_with_its_value(trained):
    view = show(trained, "cell").recurrent  # the Cell tab shows the recurrent diagram for an LSTM
    assert_diagram_shows_gates(view, "lstm")
    assert_equations_name_the_gates_in_their_colours(view, "lstm")


def test_gates_view_shows_every_gate_over_time_and_units(trained):
    widget = show(trained, "gates")
    lt = first_layer(trained)
    assert lt.gate_names == ("i", "f", "g", "o")
    for gate in lt.gate_names:
        values = lt.gate(gate)[:, 0, :].T  # rows are units, columns time steps
        scale, levels = (SIGNED, (-1, 1)) if gate == "g" else (UNIT, (0, 1))
        image = image_showing(widget, values)
        assert_image_shows(widget, image, values, scale, levels)
        assert_cursor_at(widget, image, STEP)


def test_states_view_shows_h_and_c_and_the_selected_units_curves(trained):
    widget = show(trained, "states")
    lt, unit = first_layer(trained), trained.timeline.unit
    bound = max(1.0, float(np.abs(lt.cell).max()))
    for values, levels in ((lt.hidden[:, 0, :].T, (-1, 1)), (lt.cell[:, 0, :].T, (-bound, bound))):
        image = image_showing(widget, values)
        assert_image_shows(widget, image, values, SIGNED, levels)
        assert_cursor_at(widget, image, STEP)
    steps = np.arange(lt.hidden.shape[0])
    for values, colour in ((lt.hidden[:, 0, unit], SERIES_COLORS[0]), (lt.cell[:, 0, unit], SERIES_COLORS[1])):
        assert_curve_drawn(widget, curve_through(widget, steps, values), steps, values, colour)


def test_gradients_view_shows_the_flow_the_norms_the_spectrum_and_w_hh(trained):
    # W_hh has 4 × 24 rows: cells a few pixels tall; projected, the view is wider than 1920 leaves it (it scrolls)
    trained.window().resize(2560 if theme().presentation else 1920, 1300)
    widget = show(trained, "gradients")
    for _ in range(5):  # the window's new size reaches the scrolled view a few layout passes later
        QApplication.processEvents()
    ins = trained.session.snapshot.inspection
    with np.errstate(divide="ignore"):
        logs = np.where(ins.flow[0] > 0, np.log10(ins.flow[0]), np.nan)  # no path from t to s: blank
    top = float(np.nanmax(logs))
    assert_image_shows(widget, image_showing(widget, logs), logs, MAGNITUDE, (top - 8, top))
    W = ins.recurrent_weights["weight_hh_l0"]
    bound = max(0.1, float(np.abs(W).max()))
    assert_image_shows(widget, image_showing(widget, W), W, SIGNED, (-bound, bound))
    dh = np.maximum(ins.grads.dh_norm[0], 1e-30)
    steps = np.arange(len(dh))
    assert_curve_drawn(widget, curve_through(widget, steps, dh), steps, dh, SERIES_COLORS[0])
    # singular values of each gate's block, in the gate's colour; they may overlap, and projected lines are thick
    least = 0.25 if theme().presentation else 0.5
    for block in ins.spectrum:
        index = np.arange(len(block.singular_values))
        curve = curve_through(widget, index, block.singular_values)
        assert_curve_drawn(widget, curve, index, block.singular_values, GATE_COLORS[block.gate], least=least)


def test_training_view_draws_each_history_in_its_colour(trained):
    widget = show(trained, "training")
    h = trained.session.snapshot.history
    assert len(h["step"]) == 20
    for key, colour in (("loss", SERIES_COLORS[0]), ("accuracy", SERIES_COLORS[1]), ("grad_norm", SERIES_COLORS[3])):
        values = np.maximum(h[key], 1e-12) if key != "accuracy" else h[key]
        curve = curve_through(widget, h["step"], values)
        if np.ptp(values) > 0:  # a flat line at the bottom of its range hides under the axis
            assert_curve_drawn(widget, curve, h["step"], values, colour)


def compare_flows(widget) -> list:
    return [i for i in items_of(widget, pg.ImageItem) if i.image is not None and i.image.size > 1]


def test_compare_view_shows_three_flows_on_one_scale_and_their_norms(trained):
    trained.window().resize(1920, 1300)  # three flows of 50 steps side by side: cells a few pixels wide
    widget = show(trained, "compare")
    flows = compare_flows(widget)
    assert len(flows) == 3 and len({tuple(i.levels) for i in flows}) == 1  # one colour scale for the three
    for image in flows:
        assert_image_shows(widget, image, image.image, MAGNITUDE, tuple(image.levels))
    steps = len(trained.comparison.demo[0])  # the comparison's own sequence (the adding problem at first)
    drawn = [c for c in items_of(widget, pg.PlotDataItem) if c.getOriginalDataset()[0] is not None]
    norms = [c for c in drawn if len(c.getOriginalDataset()[0]) == steps]
    assert sorted(c.opts["pen"].color().name() for c in norms) == sorted(SERIES_COLORS[:3])
    for curve in norms:
        x, y = curve.getOriginalDataset()
        assert_curve_drawn(widget, curve, x, y, curve.opts["pen"].color().name(), least=0.5)  # they may cross


def test_compare_view_draws_the_flows_when_first_shown(panel):
    widget = panel.show_view("compare")
    assert len(compare_flows(widget)) == 3


def test_compare_view_opens_on_the_adding_problem_where_the_three_differ(panel):
    panel.show_view("compare")
    snap = panel.comparison.snapshot
    assert snap.task.name == "adding" and snap.steps == 0
    first = [float(c.inspection.grads.dh_norm[-1][0]) for c in snap.contenders]  # ‖∂L/∂h_0‖: how much came back
    assert max(first) > 10 * min(first), first


def test_presentation_mode_enlarges_fonts(window):
    from PySide6.QtWidgets import QApplication

    size = QApplication.font().pointSizeF()
    window.presentation_action.trigger()
    assert QApplication.font().pointSizeF() > size * 1.5
    window.presentation_action.trigger()
    assert QApplication.font().pointSizeF() == size


def test_thousands_of_redraws_and_signals_do_not_crash(panel):
    # PySide6 6.12.0 on Python 3.11 aborted after a few hundred Signal.emit() calls (bool_dealloc).
    gates = panel.show_view("gates")
    for k in range(3000):
        panel.playhead.seek(k % panel.playhead.length)
        gates.maps["i"].set_data(np.full((4, 4), k % 7 / 7.0, np.float32))
    assert panel.playhead.position == 2999 % panel.playhead.length


def test_unrolled_graph_lights_the_forward_sweep_and_colours_the_backward(panel):
    graph = panel.show_view("graph")
    T = panel.session.steps
    panel.playhead.seek(2)
    g = graph.geo
    assert sum(k == "x" for k in g.kind) == T and sum(k == "L" for k in g.kind) == T
    brushes = [b.color().name() for b in graph.nodes.data["brush"]]
    lit = [brushes[n] != "#c8c8c8" for n in range(len(g.kind))]
    assert all(lit[n] == (g.step[n] <= 2) for n in range(len(g.kind)))
    active = graph.curves[-1].getData()[0]
    assert len(active) > 0 and active.max() <= 2.3  # only edges into steps ≤ 2 are drawn dark
    panel.playhead.seek(T)  # backward sweep at t = T − 1: only the last step's edges carry gradient yet
    coloured = np.concatenate([c.getData()[0] for c in graph.curves[:-2] if c.getData()[0] is not None])
    assert len(coloured) > 0 and coloured.min() >= T - 2
    panel.playhead.seek(2 * T - 1)
    coloured = np.concatenate([c.getData()[0] for c in graph.curves[:-2] if c.getData()[0] is not None])
    assert coloured.min() <= 0.0


def test_compare_trains_rnn_lstm_gru_side_by_side_on_the_same_sequence(panel):
    view = panel.show_view("compare")
    session = panel.comparison
    assert [c for c in session.cells] == ["rnn_tanh", "lstm", "gru"]
    session.train_steps(3)
    snap = session.snapshot
    assert snap.steps == 3 and all(len(c.losses) == 3 for c in snap.contenders)
    inputs = [c.inspection.trace.layers[0].input_values() for c in snap.contenders]
    np.testing.assert_array_equal(inputs[0], inputs[1])
    np.testing.assert_array_equal(inputs[1], inputs[2])
    for heat, contender in zip(view.flows, snap.contenders, strict=True):
        flow = contender.inspection.flow[-1]
        flow = flow[(flow > 0).any(axis=1)]  # the steps that carry a loss (the last one of the adding problem)
        np.testing.assert_allclose(heat.data[flow > 0], np.log10(flow[flow > 0]), rtol=1e-5)
    view.cell_boxes[0].setCurrentIndex(view.cell_boxes[0].findData("rnn_relu"))
    view.setup_button.click()
    assert session.cells[0] == "rnn_relu" and session.snapshot.steps == 0


def test_selection_controls_are_filled_from_the_start(panel):
    assert panel.controls_panel.layer_box.count() == 1
    assert panel.controls_panel.unit_box.maximum() == panel.session.spec.hidden_size - 1


def test_float64_weights_open_in_a_float32_lab(window, panel, tmp_path):
    params = {k: v.astype(np.float64) * 0.25 for k, v in panel.session.trainer.params.items()}
    io.save_arrays(tmp_path / "w64.npz", params)
    assert window.open_file(str(tmp_path / "w64.npz"))
    assert panel.session.trainer.params["weight_ih_l0"].dtype == np.float32
    np.testing.assert_allclose(panel.session.trainer.params["weight_ih_l0"], params["weight_ih_l0"], rtol=1e-6)


def test_backward_sweep_repaints_every_node_plainly(panel):
    graph = panel.show_view("graph")
    panel.playhead.seek(0)
    panel.playhead.seek(panel.session.steps + 2)
    colours = {b.color().name() for b in graph.nodes.data["brush"]}
    assert colours == {"#f4f4f4"}


def test_forget_bias_control_starts_the_lstm_there_and_stands_aside_for_other_cells(panel, tmp_path):
    widgets = panel.controls_panel.widgets
    bias = widgets["forget_bias"]
    assert bias.isEnabled()  # the demo is a standard LSTM
    bias.setValue(1.0)
    H = panel.session.spec.hidden_size
    params = panel.session.trainer.params
    np.testing.assert_array_equal(params["bias_ih_l0"][H : 2 * H], 1.0)
    np.testing.assert_array_equal(params["bias_hh_l0"][H : 2 * H], 0.0)
    f = panel.session.snapshot.inspection.trace.layers[0].gate("f")
    assert f[0].mean() > 0.65  # σ(W x + 1) at the first step: most of the cell state is kept
    widgets["cell"].setCurrentIndex(widgets["cell"].findData("gru"))
    assert panel.session.spec.cell == "gru" and not bias.isEnabled()  # applied, not refused
    widgets["cell"].setCurrentIndex(widgets["cell"].findData("lstm"))
    widgets["variant"].setCurrentIndex(widgets["variant"].findData("coupled"))
    assert panel.session.spec.variant == "coupled" and not bias.isEnabled()
    widgets["variant"].setCurrentIndex(widgets["variant"].findData("peephole"))
    assert bias.isEnabled() and bias.value() == 1.0
    np.testing.assert_array_equal(panel.session.trainer.params["bias_ih_l0"][H : 2 * H], 1.0)
    saved = panel.save_session()
    assert saved.state["settings"]["forget_bias"] == 1.0


def test_the_form_offers_exactly_the_declared_ranges_and_choices(panel):
    from app.sessions.recurrent import RecurrentSettings
    from app.sessions.settings import choices, limits

    for name, widget in panel.controls_panel.widgets.items():
        if hasattr(widget, "maximum"):
            assert (widget.minimum(), widget.maximum()) == limits(RecurrentSettings, name), name
        elif name != "variant" and hasattr(widget, "itemData"):  # the variants are the chosen cell's
            assert tuple(widget.itemData(k) for k in range(widget.count())) == choices(RecurrentSettings, name)


def test_weights_without_an_output_layer_keep_the_labs_and_bad_ones_change_nothing(window, panel, tmp_path):
    """A bare nn.LSTM's state_dict has no head: the lab keeps its own; a wrong shape or a NaN is named."""
    params = panel.session.trainer.params
    head = params["head.weight"].copy()
    rnn = {k: v * 0.5 for k, v in params.items() if not k.startswith("head.")}
    io.save_arrays(tmp_path / "rnn.npz", rnn)
    assert window.open_file(str(tmp_path / "rnn.npz")), window.banner.text()
    np.testing.assert_array_equal(params["weight_hh_l0"], rnn["weight_hh_l0"])
    np.testing.assert_array_equal(params["head.weight"], head)
    before = {k: v.copy() for k, v in params.items()}
    wrong = dict(rnn, weight_hh_l0=rnn["weight_hh_l0"][:, :-1])
    nan = dict(rnn, bias_ih_l0=np.full_like(rnn["bias_ih_l0"], np.nan))
    for label, arrays, problem in (("wrong", wrong, "weight_hh_l0 has shape"), ("nan", nan, "bias_ih_l0 hold NaN")):
        io.save_arrays(tmp_path / f"{label}.npz", arrays)
        assert not window.open_file(str(tmp_path / f"{label}.npz"))
        assert problem in window.banner.text() and f"{label}.npz" in window.banner.text()
        assert all(np.array_equal(params[k], before[k]) for k in before)
