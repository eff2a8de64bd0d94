"""The Hopfield lab as a person uses it: draw with the mouse, store, corrupt, recall and step through it,
open files (and be told what is wrong with bad ones), run the capacity experiment."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from app.theme import SERIES_COLORS
from engine import checks, hopfield
from tests.app.pictures import (
    assert_curve_drawn,
    assert_image_shows,
    close,
    curve_through,
    image_showing,
    items_of,
    picture,
    pixel_of,
    rgb,
    shows_colour_near,
)


@pytest.fixture
def panel(qtbot):
    from app.panels.hopfield import Panel
    from app.theme import setup_application

    setup_application()
    p = Panel()
    qtbot.addWidget(p)
    p.resize(1300, 850)
    p.show()
    qtbot.waitExposed(p)
    p.errors = []
    p.message.connect(lambda level, text: p.errors.append(text) if level == "error" else None)
    yield p
    p.shutdown()


def snapshot(session) -> tuple:
    """Everything a failed action must leave as it was."""
    W = None if session.W is None else session.W.copy()
    return session.size, session.patterns.copy(), list(session.labels), W, session.probe.copy(), session.trace


def assert_unchanged(session, before: tuple) -> None:
    size, patterns, labels, W, probe, trace = before
    assert session.size == size and session.labels == labels and session.trace is trace
    assert np.array_equal(session.patterns, patterns) and np.array_equal(session.probe, probe)
    assert (W is None and session.W is None) or np.array_equal(session.W, W)


def cell_point(grid, row: int, col: int) -> QPoint:
    """Where the centre of a cell is on the grid's viewport, in pixels."""
    return grid.mapFromScene(grid.image.mapToScene(QPointF(col + 0.5, row + 0.5)))


def test_demo_opens_on_a_recall_ready_to_play_and_screenshots_mid_recall(panel):
    s = panel.session
    assert s.n_patterns == 5 and s.trace is not None and s.trace.mode == "async"
    assert panel.playhead.length == s.trace.n_steps + 1
    panel.run_demo_steps(150)
    assert panel.playhead.position == 150
    shown = panel.grid.image.image.reshape(-1)
    assert np.array_equal(shown, s.trace.state_at(150))
    assert not np.array_equal(shown, s.trace.final)  # mid-recall: not there yet
    assert hopfield.classify(s.trace.final, s.patterns) == ("stored", 2)


def test_mouse_drawing_inks_with_left_button_and_erases_with_right(panel, qtbot):
    grid, s = panel.grid, panel.session
    panel.panel_controls.clear_drawing.emit()
    assert (s.probe == -1).all()
    viewport = grid.viewport()
    QTest.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, cell_point(grid, 5, 1))
    for col in range(2, 7):
        QTest.mouseMove(viewport, cell_point(grid, 5, col))
    QTest.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, cell_point(grid, 5, 6))
    image = s.probe.reshape(16, 16)
    assert (image[5, 1:7] == 1).all() and np.count_nonzero(image == 1) == 6
    QTest.mouseClick(viewport, Qt.RightButton, Qt.NoModifier, cell_point(grid, 5, 3))
    assert s.probe.reshape(16, 16)[5, 3] == -1 and np.count_nonzero(s.probe == 1) == 5


def test_mask_tool_drag_overwrites_the_rectangle(panel):
    grid, s = panel.grid, panel.session
    panel.panel_controls.mask_tool.setChecked(True)
    panel.panel_controls.fill.setCurrentIndex(panel.panel_controls.fill.findData("on"))
    before = s.probe.reshape(16, 16).copy()
    viewport = grid.viewport()
    QTest.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, cell_point(grid, 2, 3))
    QTest.mouseMove(viewport, cell_point(grid, 4, 7))
    QTest.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, cell_point(grid, 4, 7))
    after = s.probe.reshape(16, 16)
    assert (after[2:5, 3:8] == 1).all()
    outside = np.ones_like(after, bool)
    outside[2:5, 3:8] = False
    assert np.array_equal(after[outside], before[outside])


def test_storing_the_drawing_adds_a_pattern_and_relearns_the_weights(panel):
    s = panel.session
    drawing = np.where(np.arange(256) % 3 == 0, 1, -1)
    panel.grid.set_state(drawing, 16)
    panel.panel_controls.store_drawing.emit()
    assert s.patterns.shape == (6, 256) and s.W.shape == (256, 256)
    assert np.array_equal(s.patterns[-1], drawing)
    assert np.allclose(s.W, hopfield.store(s.patterns, rule=s.rule))
    assert panel.overlaps.heights.shape == (6,) and panel.panel_controls.pattern.count() == 6


@pytest.mark.parametrize("percent", [0, 10, 25, 50])
def test_flipping_changes_exactly_the_chosen_share_of_units(panel, percent):
    s = panel.session
    s.start_from_pattern(1)
    panel.panel_controls.noise.setValue(percent)
    panel.panel_controls.flip_requested.emit(percent / 100)
    assert np.count_nonzero(s.probe != s.patterns[1]) == round(percent / 100 * 256)


def test_mask_bottom_half_blanks_the_lower_rows(panel):
    s = panel.session
    s.start_from_pattern(0)
    panel.panel_controls.mask_half_requested.emit()
    image = s.probe.reshape(16, 16)
    assert (image[8:] == -1).all() and np.array_equal(image[:8], s.patterns[0].reshape(16, 16)[:8])


def test_stepping_moves_the_grid_the_energy_cursor_and_the_overlap_bars(panel):
    s = panel.session
    for step in (0, 1, 37, s.trace.n_steps):
        panel.playhead.seek(step)
        assert np.array_equal(panel.grid.image.image.reshape(-1), s.trace.state_at(step))
        assert panel.energy.cursor.value() == step
        assert np.allclose(panel.overlaps.heights, hopfield.overlaps(s.trace.state_at(step), s.patterns))
    panel.playhead.seek(10)
    panel.transport.back.click()
    assert panel.playhead.position == 9


def test_the_flipping_unit_is_highlighted(panel):
    s = panel.session
    step = int(s.trace.flip_steps[0]) + 1  # the state just after the first flip
    panel.playhead.seek(step)
    xs, ys = panel.grid.flipped.getData()
    unit = int(s.trace.flip_units[0])
    assert (int(ys[0]), int(xs[0])) == divmod(unit, 16)
    assert panel.grid.visited.getData()[0].size == 1


@pytest.mark.parametrize("rule", ["hebb", "storkey", "pseudoinverse"])
def test_energy_shown_never_rises_in_asynchronous_recall(panel, rule):
    panel.panel_controls.rule.setCurrentIndex(panel.panel_controls.rule.findData(rule))
    for k in range(4):
        panel.session.start_from_pattern(k)
        panel.panel_controls.flip_requested.emit(0.3)
        shown = panel.energy.curve.getData()[1]
        assert len(shown) == panel.session.trace.n_steps + 1
        assert (np.diff(shown) <= 1e-9).all()


def test_animating_by_sweep_moves_one_sweep_per_step_and_keeps_the_step(panel):
    s = panel.session
    panel.playhead.seek(300)
    panel.panel_controls.by_sweep.setCurrentIndex(1)
    assert panel.playhead.length == s.trace.n_sweeps + 1 and panel.playhead.speed < 5  # sweeps go slowly
    panel.playhead.seek(1)
    assert panel.energy.cursor.value() == s.trace.sweep_ends[0]
    panel.panel_controls.by_sweep.setCurrentIndex(0)
    assert panel.playhead.length == s.trace.n_steps + 1 and panel.playhead.position == s.trace.sweep_ends[0]


def test_synchronous_recall_steps_a_sweep_at_a_time(panel):
    c = panel.panel_controls
    c.mode.setCurrentIndex(c.mode.findData("sync"))
    c.recall_requested.emit()
    trace = panel.session.trace
    assert trace.mode == "sync" and panel.playhead.length == trace.n_steps + 1
    panel.playhead.seek(1)
    assert np.array_equal(panel.grid.image.image.reshape(-1), trace.state_at(1))


def test_bad_actions_say_why_and_lose_nothing(panel):
    s, c = panel.session, panel.panel_controls
    before = snapshot(s)
    c.resize_requested.emit(100)
    c.store_text.emit("中", False)  # the built-in font has only A-Z and 0-9
    c.store_text.emit("HELLO", False)  # the second L repeats the first
    c.store_text.emit("N", False)  # stored in the demo already
    with pytest.raises(ValueError, match="units"):
        s.store(np.ones(30), ["x"])
    assert len(panel.errors) == 4 and "64" in panel.errors[0] and "font" in panel.errors[1]
    assert "«L» is already stored" in panel.errors[2] and "«N»" in panel.errors[3]
    assert_unchanged(s, before)
    c.clear_memory.emit()
    c.recall_requested.emit()
    assert "empty" in panel.errors[-1] and s.trace is None


def bad_files(tmp_path):
    (tmp_path / "garbage.npy").write_bytes(b"\x93NUMPY this is not really an array")
    np.save(tmp_path / "seven.npy", np.ones((2, 7)))
    np.save(tmp_path / "greys.npy", np.full((1, 256), 0.5))
    np.save(tmp_path / "empty.npy", np.zeros((0, 256)))
    np.save(tmp_path / "cube.npy", np.ones((2, 2, 256)))
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    return {"garbage.npy": "readable", "seven.npy": "square", "greys.npy": "binary", "empty.npy": "non-empty",
            "cube.npy": "shape", "picture.png": "image"}  # fmt: skip


def test_bad_files_raise_a_clear_error_and_leave_the_session_alone(panel, tmp_path):
    before = snapshot(panel.session)
    for name, words in bad_files(tmp_path).items():
        with pytest.raises(ValueError, match=words):
            panel.open_file(str(tmp_path / name))
        assert_unchanged(panel.session, before)


def test_a_file_too_large_for_the_memory_cap_is_refused(panel, tmp_path, monkeypatch):
    np.save(tmp_path / "big.npy", np.ones((1, 64 * 64)))
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 1024)
    before = snapshot(panel.session)
    with pytest.raises(ValueError, match="memory cap"):
        panel.open_file(str(tmp_path / "big.npy"))
    assert_unchanged(panel.session, before)


def test_the_window_shows_a_bad_file_as_an_error_banner(qtbot, tmp_path):
    from app.main_window import MainWindow

    window = MainWindow(panels=["hopfield"])
    qtbot.addWidget(window)
    np.save(tmp_path / "seven.npy", np.ones(7))
    assert not window.open_file(str(tmp_path / "seven.npy"))
    assert window.banner.level == "error" and "seven.npy" in window.banner.text()
    window.panels["hopfield"].shutdown()


def test_good_files_store_patterns(panel, tmp_path):
    s = panel.session
    np.save(tmp_path / "two.npy", np.random.default_rng(0).integers(0, 2, (2, 256)))
    panel.open_file(str(tmp_path / "two.npy"))
    assert s.patterns.shape == (7, 256) and s.labels[-2:] == ["two0", "two1"]
    picture = QImage(40, 40, QImage.Format_RGB32)
    picture.fill(Qt.white)
    picture.setPixelColor(20, 20, Qt.black)
    for x in range(40):
        for y in range(20, 40):
            picture.setPixelColor(x, y, Qt.black)
    picture.save(str(tmp_path / "half.png"))
    panel.open_file(str(tmp_path / "half.png"))
    stored = s.patterns[-1].reshape(16, 16)
    assert (stored[9:] == 1).all() and (stored[:7] == -1).all()
    np.save(tmp_path / "small.npy", -np.ones((1, 36)) * np.where(np.arange(36) % 2, 1, -1))
    panel.open_file(str(tmp_path / "small.npy"))
    assert s.size == 6 and s.patterns.shape == (1, 36) and panel.grid.side == 6


def test_any_character_can_be_stored_from_the_system_font(panel):
    s = panel.session
    panel.panel_controls.store_text.emit("中A", True)
    assert s.labels[-2:] == ["中", "A"]
    assert (np.count_nonzero(s.patterns[-2:] == 1, axis=1) > 10).all()


def test_capacity_experiment_runs_off_the_gui_thread_and_is_plotted(panel, qtbot):
    view = panel.capacity
    view.units.setCurrentIndex(0)  # N = 64
    view.trials.setValue(1)
    with qtbot.waitSignal(panel.session.capacity_finished, timeout=20000):
        view.run.click()
    recalled, bit_error = view.curves
    assert len(recalled) > 3 and ((0 <= recalled) & (recalled <= 1)).all() and (bit_error >= 0).all()
    assert view.limit.value() == pytest.approx(0.138) and view.progress.value() == view.progress.maximum()
    assert view.run.text().startswith("Run")


def test_cancelling_the_capacity_experiment_stops_it_and_drops_what_it_still_delivers(panel, qtbot):
    finished, infos = [], []
    panel.session.capacity_finished.connect(finished.append)
    panel.message.connect(lambda level, text: infos.append(text) if level == "info" else None)
    panel.capacity.units.setCurrentIndex(panel.capacity.units.count() - 1)  # N = 400: many seconds of work
    panel.capacity.trials.setValue(50)
    panel.capacity.run.click()
    qtbot.waitUntil(lambda: panel.capacity.progress.value() > 0, timeout=20000)
    assert panel.session.capacity_running and panel.capacity.running
    panel.capacity.run.click()  # the button cancels while it runs
    assert not panel.capacity.running and panel.capacity.run.text().startswith("Run")
    assert any("cancelled" in text for text in infos)
    panel.session.cancel_capacity(wait=True)
    qtbot.wait(50)
    assert not finished and panel.session.capacity_result is None and not panel.session.capacity_running


def test_a_memory_of_more_patterns_than_units_is_refused_unchanged(panel, tmp_path):
    before = snapshot(panel.session)
    patterns = np.random.default_rng(0).choice([-1, 1], (26, 25)).astype(np.int8)  # 26 patterns of a 5×5 grid
    np.save(tmp_path / "many.npy", patterns)
    with pytest.raises(ValueError, match="at most 25 patterns"):
        panel.open_file(str(tmp_path / "many.npy"))
    assert_unchanged(panel.session, before)


# The lab's conventions: +1 units are ink on white paper; weights blue negative, white zero, red positive;
# overlap bars blue when positive, red when negative; the playhead's step marked in orange on the energy.
UNITS = pg.ColorMap([0.0, 1.0], ["#ffffff", "#111111"])
WEIGHTS = pg.ColorMap([0.0, 0.25, 0.5, 0.75, 1.0], ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"])
POSITIVE, NEGATIVE, STEP_MARK = "#1f77b4", "#d62728", "#ff7f0e"


@pytest.fixture(params=[False, True], ids=["normal", "presentation"])
def in_theme(panel, request):
    """Each theme, presentation mode on a projector's screen."""
    from app.theme import themes

    if request.param:
        panel.resize(1920, 1080)
    themes().set_presentation(request.param)
    yield request.param
    themes().set_presentation(False)


def test_recall_tab_shows_the_state_its_energy_and_overlaps_at_the_playhead(panel, in_theme):
    panel.show_view("recall")
    panel.run_demo_steps(100)
    trace, step = panel.trace(), panel.playhead.position  # the demo moves one unit a step
    state = trace.state_at(step)
    assert not np.array_equal(state, trace.state_at(0)) and not np.array_equal(state, trace.final)
    side = int(np.sqrt(state.size))
    grid = state.reshape(side, side).astype(float)
    unchecked = grid.copy().reshape(-1)
    unchecked[trace.flip_units[trace.flip_steps == step - 1]] = np.nan  # filled red: it flipped just now
    unchecked[trace.visited[step - 1]] = np.nan  # outlined in blue: visited just now
    assert_image_shows(panel, image_showing(panel, grid), unchecked.reshape(side, side), UNITS, (-1, 1))

    steps = np.arange(len(trace.energies))
    energy = curve_through(panel, steps, trace.energies)
    falling = trace.energies > trace.energies[-1] + 1.0  # where it settles, the stored patterns' floors lie on it
    assert_curve_drawn(panel, energy, steps[falling], trace.energies[falling], SERIES_COLORS[0])
    shot = picture(panel)
    x, y = pixel_of(panel, energy, step, trace.energies[step])
    for dx in (-3, 3):  # the dot on the curve, either side of the cursor's line (in the same orange)
        assert close(shot[y, x + dx], rgb(STEP_MARK), 40), "no orange dot at the playhead's step"

    m = hopfield.overlaps(state, panel.session.patterns)
    (bars,) = items_of(panel, pg.BarGraphItem)
    for k, value in enumerate(m):
        if abs(value) > 0.15:  # a bar tall enough to see
            colour = rgb(POSITIVE if value >= 0 else NEGATIVE)
            assert shows_colour_near(panel, bars, k, value - np.sign(value) * 0.05, colour, 0, shot=shot), (k, value)
            assert not shows_colour_near(panel, bars, k, value + np.sign(value) * 0.1, colour, 0, shot=shot)


def test_weights_tab_shows_w_from_blue_through_white_to_red(panel, in_theme, tmp_path):
    patterns = np.random.default_rng(1).choice(np.int8([-1, 1]), size=(3, 64))
    np.save(tmp_path / "three.npy", patterns)
    panel.open_file(str(tmp_path / "three.npy"))
    panel.show_view("weights")
    W = panel.session.W
    assert W.shape == (64, 64) and (W > 0).any() and (W < 0).any()
    bound = float(np.abs(W).max())  # symmetric levels: white is zero
    assert_image_shows(panel, image_showing(panel, W), W, WEIGHTS, (-bound, bound))


def test_capacity_tab_plots_the_experiments_result(panel, in_theme, qtbot):
    with qtbot.waitSignal(panel.session.capacity_finished, timeout=20000) as finished:
        panel.session.run_capacity(25, 1, "hebb", 0.0)
    result = finished.args[0]
    panel.show_view("capacity")
    for values, colour in ((result.recall_fraction, SERIES_COLORS[0]), (result.bit_error, SERIES_COLORS[1])):
        assert_curve_drawn(panel, curve_through(panel, result.load, values), result.load, values, colour)


def test_presentation_mode_thickens_pens(panel):
    from app.theme import themes

    width = panel.energy.curve.opts["pen"].widthF()
    try:
        themes().set_presentation(True)
        assert panel.energy.curve.opts["pen"].widthF() > width
        assert panel.grid.visited.opts["pen"].widthF() > 2
    finally:
        themes().set_presentation(False)
