"""TDNN, NARX and AR(K) in the recurrent lab: every view draws them, the graph tells their delay lines from
recurrent edges, sessions keep them, the Compare tab takes them, bad settings are refused with the lab unchanged,
and the memory-length demonstration measures and draws."""

import numpy as np
import pytest

from app.main_window import MainWindow
from app.views.recurrent.delay_graph import FEEDBACK_COLOR, WINDOW_COLOR
from engine import io
from engine.latching import LatchingSetup
from engine.recurrent.export import recurrent_arrays

VIEWS = ("graph", "cell", "gates", "states", "gradients", "training")
MODELS = {
    "tdnn": dict(cell="tdnn", task="sine", num_layers=2, window=3, hidden_size=6),
    "narx": dict(cell="narx", task="sine", input_delays=2, output_delays=3, hidden_size=6),
    "narx-teacher": dict(cell="narx", task="sine", output_delays=2, hidden_size=6, feedback="teacher"),
    "ar": dict(cell="ar", task="parity", window=4, hidden_size=3),
}


@pytest.fixture
def panel(window):
    return window.panels["recurrent"]


def _use(panel, **settings):
    panel.session.apply_settings(panel.session.with_settings(**settings))
    panel.controls_panel.show_settings(panel.session.settings)
    panel.session.train_steps(3)


@pytest.mark.parametrize("model", list(MODELS))
def test_every_view_draws_a_delay_model_forward_and_backward(panel, model):
    _use(panel, **MODELS[model])
    T = panel.session.steps
    for name in VIEWS:
        panel.show_view(name)
        for position in (2, T + 3):  # a forward and a backward moment
            panel.playhead.seek(position)
    cell = panel.show_view("cell")
    assert cell.stack.currentWidget() is cell.delay
    taps = MODELS[model].get("window", MODELS[model].get("input_delays", 2))
    assert len(cell.delay.canvas.rows[0][1]) == min(taps, 8)
    assert len(cell.delay.canvas.rows) == (2 if model.startswith("narx") else 1)


def test_the_graph_draws_window_and_feedback_edges_in_their_own_colours(panel):
    _use(panel, **MODELS["narx"])
    graph = panel.show_view("graph")
    panel.playhead.seek(5)
    kinds = set(graph.geo.edge_kind)
    assert "recurrent" not in kinds and {"window", "feedback"} <= kinds
    window, feedback = graph.delay_curves
    assert window.getData()[0] is not None and feedback.getData()[0] is not None
    assert window.opts["pen"].color().name() == WINDOW_COLOR
    assert feedback.opts["pen"].color().name() == FEEDBACK_COLOR
    # every feedback edge runs from an output at an earlier step down to a unit at a later one
    g = graph.geo
    edges = g.edges[np.array(g.edge_kind) == "feedback"]
    assert all(g.kind[a] == "y" and g.kind[b] == "h" and g.step[a] < g.step[b] for a, b in edges)


def test_a_teacher_forced_narx_shows_its_closed_loop_loss_beside(panel):
    _use(panel, **MODELS["narx-teacher"])
    ins = panel.session.snapshot.inspection
    assert ins.closed_loop_loss is not None and ins.closed_loop_loss != ins.loss.loss
    assert "closed-loop" in panel.status.text()


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (dict(cell="tdnn", task="sine", length=10, window=11), "longer than the sequence"),
        (dict(cell="ar", task="sine", length=10, window=30), "longer than the sequence"),
        (dict(cell="narx", task="sine", length=10, output_delays=10), "none before the sequence ends"),
        (dict(cell="narx", task="latching", feedback="teacher"), "train it closed-loop"),
    ],
)
def test_bad_delay_settings_are_refused_with_a_message_and_the_lab_unchanged(panel, qtbot, settings, words):
    before = panel.session.settings
    params = {k: v.copy() for k, v in panel.session.trainer.params.items()}
    messages = []
    panel.session.message.connect(lambda kind, text: messages.append(text))
    panel.controls_panel._apply(panel.session.with_settings(**settings))
    assert messages and words in messages[-1]
    assert panel.session.settings == before
    assert all(np.array_equal(v, params[k]) for k, v in panel.session.trainer.params.items())
    assert panel.controls_panel.widgets["cell"].currentData() == before.cell  # the form shows the lab as it is


def test_a_delay_model_and_its_comparison_survive_a_session_file(window, panel, qtbot, tmp_path):
    _use(panel, **MODELS["narx"])
    panel.show_view("compare")
    panel.setup_comparison(["tdnn", "narx", "lstm"])
    panel.comparison.train_steps(2)
    path = tmp_path / "delays.unroll"
    assert window.save_session_to(str(path))
    other = MainWindow(panels=["recurrent"])
    qtbot.addWidget(other)
    assert other.open_file(str(path))
    restored = other.panels["recurrent"]
    assert restored.session.settings == panel.session.settings
    assert restored.controls_panel.widgets["output_delays"].value() == 3
    for k, v in panel.session.trainer.params.items():
        np.testing.assert_array_equal(restored.session.trainer.params[k], v)
    assert restored.comparison.cells == ("tdnn", "narx", "lstm")
    assert restored.comparison.trainers[0].steps == 2
    restored.shutdown()


def test_the_memory_length_view_measures_and_draws_each_model(panel, qtbot):
    view = panel.show_view("memory")
    panel.memory.setup = LatchingSetup(hidden=4, steps=3, batch=4, test_batch=16)
    with qtbot.waitSignal(panel.memory.job.done, timeout=60_000):
        panel.memory.measure(lengths=(3, 8), seeds=1)
    curve = panel.memory.curve
    assert curve.success.shape == (4, 2) and not np.isnan(curve.success).any()
    names = [item.name() for item in view.plot.listDataItems()]
    assert len(names) == 4 and names[0].startswith("TDNN")


def test_a_comparison_the_settings_refuse_keeps_the_networks_it_had(panel):
    panel.show_view("compare")
    before = panel.comparison.cells
    panel.session.apply_settings(panel.session.with_settings(task="sine", length=4, window=3))
    panel.session.settings = panel.session.with_settings(window=9)  # as a form that let it through would
    messages = []
    panel.message.connect(lambda kind, text: messages.append(text))
    panel.setup_comparison(["tdnn", "rnn_tanh", "lstm"])
    assert messages and "longer than the sequence" in messages[-1]
    assert panel.comparison.cells == before


def test_a_tdnn_on_reber_strings_shorter_than_its_window_trains_and_exports(panel):
    """Reber strings vary in length: a window the task's length allows also takes the shorter ones."""
    _use(panel, cell="tdnn", task="reber", length=12, window=12)
    arrays = recurrent_arrays(panel.trace())
    assert arrays["l0.d0.gate.tdnn"].shape[2] == panel.session.settings.hidden_size
    assert np.isfinite(arrays["grad.weight_l0"]).all()


def test_a_narx_models_weights_open_from_a_file(window, panel, tmp_path):
    _use(panel, **MODELS["narx"])
    params = {k: v * 0.5 for k, v in panel.session.trainer.params.items()}
    io.save_arrays(tmp_path / "narx.npz", params)
    assert window.open_file(str(tmp_path / "narx.npz"))
    np.testing.assert_array_equal(panel.session.trainer.params["weight_y"], params["weight_y"])
