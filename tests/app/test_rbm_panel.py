"""The RBM lab as a person uses it: train (here and in the worker), step through the Gibbs chain, clamp pixels,
open good and bad files, switch settings and presentation mode; every view shows what it was given."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage

from app.i18n import tr
from app.panels.rbm import Panel
from app.sessions.rbm import RBMSettings
from app.theme import SERIES_COLORS, setup_application, themes
from engine.rbm import data
from tests.app.pictures import assert_curve_drawn, assert_image_shows, curve_through, image_showing


@pytest.fixture
def panel(qtbot, qapp):
    setup_application()
    lab = Panel()
    qtbot.addWidget(lab)
    lab.resize(1200, 800)
    messages: list[tuple[str, str]] = []
    lab.message.connect(lambda level, text: messages.append((level, text)))
    lab.messages = messages
    yield lab
    lab.shutdown()


def image_of(plot) -> np.ndarray:
    return np.array(plot.image.image, copy=True)


def state_of(lab: Panel) -> tuple:
    s = lab.session
    return (s.rows.copy(), s.image_shape, s.settings, s.model.W.copy(), s.frame.epoch, s.source)


def assert_same_state(before: tuple, after: tuple) -> None:
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[3], after[3])
    assert before[1:3] == after[1:3] and before[4:] == after[4:]


def curve_length(item) -> int:
    x = item.getData()[0]
    return 0 if x is None else len(x)


def test_opens_on_the_bars_and_stripes_demo(panel):
    assert panel.title == "RBM 受限玻尔兹曼机"
    assert panel.view_names() == ["chain", "filters", "curves", "gallery"]
    assert panel.session.image_shape == (4, 4) and panel.session.model.n_hidden == 16
    assert panel.playhead.length == 2 * (panel.session.chain_steps + 1)


def test_training_here_changes_filters_and_curves(panel):
    filters = image_of(panel.filters_view.mosaic)
    panel.train_and_sample(5)
    assert not np.allclose(filters, image_of(panel.filters_view.mosaic), equal_nan=True)
    epochs, errors = panel.curves_view.error.getData()
    assert len(epochs) == 5 and np.isfinite(errors).all()
    assert len(panel.curves_view.train_energy.getData()[0]) == 5


def test_training_in_the_worker_updates_views_while_the_event_loop_answers(panel, qtbot):
    ticks = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(1))
    timer.start()
    filters = image_of(panel.filters_view.mosaic)
    panel.training_box.train.click()
    assert panel.session.training
    assert panel.training_box.train.text() == tr("Pause") and "⏸" not in panel.training_box.train.text()
    qtbot.waitUntil(lambda: curve_length(panel.curves_view.error) >= 20, timeout=15000)
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)
    panel.training_box.train.click()
    timer.stop()
    assert not panel.session.training and panel.training_box.train.text() == tr("Train")
    assert not np.allclose(filters, image_of(panel.filters_view.mosaic), equal_nan=True)


def test_new_settings_while_training_restart_it_on_a_new_model(panel, qtbot):
    panel.session.start_training()
    settings = RBMSettings(dataset="glyphs", glyph_text="0123", glyph_size=7, n_hidden=25)
    panel.settings_form.set_settings(settings)
    panel.settings_form.apply.click()
    assert panel.session.training and panel.session.model.W.shape == (49, 25)
    qtbot.waitUntil(lambda: panel.session.frame.epoch >= 3, timeout=10000)
    panel.session.stop_training()
    assert "not available" in panel.curves_view.unavailable.textItem.toPlainText()
    assert not any(level == "error" for level, _ in panel.messages)


def test_stepping_the_playhead_changes_the_displayed_layers(panel):
    view = panel.chain_view
    panel.playhead.seek(0)
    v0, h_blank = image_of(view.visible), image_of(view.hidden_prob)
    assert np.isnan(h_blank).all()  # nothing sampled in the hidden layer yet
    panel.playhead.step_forward()
    trace = panel.session.trace
    assert np.array_equal(image_of(view.hidden)[0], trace.hidden[0])
    assert np.array_equal(image_of(view.hidden_prob)[0], trace.hidden_prob[0].astype(np.float32))
    seen = {image_of(view.visible).tobytes()}
    for position in range(2, panel.playhead.length, 2):
        panel.playhead.seek(position)
        t = position // 2
        assert np.array_equal(image_of(view.visible).ravel(), trace.visible[t])
        seen.add(image_of(view.visible).tobytes())
    assert len(seen) > 1 or not np.array_equal(v0, image_of(view.visible))


def test_clamped_pixels_stay_fixed_through_the_displayed_chain(panel):
    panel.train_and_sample(3)
    panel.chain_box.clamp.setCurrentIndex(panel.chain_box.clamp.findData("left"))
    clamp = panel.session.trace_clamp
    assert clamp.sum() == 8
    panel.playhead.seek(0)
    start = image_of(panel.chain_view.visible).ravel()
    for position in range(panel.playhead.length):
        panel.playhead.seek(position)
        assert np.array_equal(image_of(panel.chain_view.visible).ravel()[clamp], start[clamp])


def test_clicking_a_pixel_clamps_it_and_reruns_the_chain(panel):
    before = panel.session.clamp.copy()
    panel.chain_view.unit_clicked.emit(15)
    assert panel.session.clamp[15] != before[15] and panel.chain_box.clamp.currentData() == "drawn"
    assert panel.session.trace_clamp[15] == panel.session.clamp[15]


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("half.npy", np.full((4, 9), 0.5), "binary"),
        ("cube.npy", np.zeros((2, 2, 2, 2)), "shape"),
        ("corrupt.npy", b"\x93NUMPY garbage that is not an array", "readable"),
        ("words.txt", b"hello", ".npy"),
    ],
)
def test_bad_files_say_why_and_change_nothing(panel, tmp_path, name, content, words):
    panel.train_and_sample(2)
    before = state_of(panel)
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        np.save(path, content)
    with pytest.raises(ValueError, match=words):
        panel.open_file(str(path))
    assert panel.messages[-1][0] == "error" and words in panel.messages[-1][1]
    assert_same_state(before, state_of(panel))


def save_png(path, pixels: np.ndarray) -> str:
    image = QImage(pixels.shape[1], pixels.shape[0], QImage.Format_RGB32)
    for (r, c), ink in np.ndenumerate(pixels):
        image.setPixelColor(c, r, QColor("black" if ink else "white"))
    assert image.save(str(path))
    return str(path)


def test_png_images_of_mixed_sizes_are_refused(panel, tmp_path):
    before = state_of(panel)
    paths = [save_png(tmp_path / "a.png", np.eye(5)), save_png(tmp_path / "b.png", np.eye(6))]
    with pytest.raises(ValueError, match="mixed sizes"):
        panel.open_files(paths)
    assert_same_state(before, state_of(panel))


def test_own_images_train_from_npy_and_png(panel, tmp_path):
    images = np.array([np.eye(5), np.fliplr(np.eye(5)), np.zeros((5, 5))], np.uint8)
    np.save(tmp_path / "x.npy", images)
    panel.open_file(str(tmp_path / "x.npy"))
    assert panel.session.image_shape == (5, 5) and panel.session.settings.dataset == "file"
    panel.open_files([save_png(tmp_path / f"{i}.png", im) for i, im in enumerate(images)])
    assert panel.session.source == "3 PNG images" and panel.session.n_visible == 25
    panel.train_and_sample(2)
    assert panel.session.frame.epoch == 2


# The lab's conventions: ink on paper (0 white, 1 near-black); weights blue negative, white zero, red positive.
INK = pg.ColorMap([0.0, 1.0], ["#ffffff", "#1a1a2e"])
WEIGHTS = pg.ColorMap([0.0, 0.5, 1.0], ["#2166ac", "#f7f7f7", "#b2182b"])
GAP = "#c8c8c8"  # between the tiles of a mosaic


@pytest.fixture(params=[False, True], ids=["normal", "presentation"])
def shown(panel, qtbot, request):
    """The panel after a short demo, on screen in each theme (presentation mode on a projector's screen)."""
    if request.param:
        panel.resize(1920, 1080)
    panel.run_demo_steps(10)
    panel.show()
    qtbot.waitExposed(panel)
    themes().set_presentation(request.param)
    yield panel
    themes().set_presentation(False)


def test_chain_view_shows_the_traced_samples_and_probabilities(shown, qtbot):
    view = shown.show_view("chain")
    qtbot.waitExposed(view)
    trace, shape = shown.trace(), shown.session.image_shape
    # a step whose sample a transposed or stale picture would not show: not symmetric, not the one before
    t = next(t for t in range(1, len(trace.visible)) if not np.array_equal(trace.visible[t], trace.visible[t - 1])
             and not np.array_equal(trace.visible[t].reshape(shape), trace.visible[t].reshape(shape).T))  # fmt: skip
    shown.playhead.seek(2 * t)
    h = t - 1  # an even position has just sampled v_t from h_(t-1)
    for visible in (trace.visible[t], trace.visible_prob[t]):
        assert_image_shows(view, image_showing(view, visible.reshape(shape)), visible.reshape(shape), INK, (0, 1))
    for hidden in (trace.hidden[h], trace.hidden_prob[h]):
        assert_image_shows(view, image_showing(view, hidden[None, :]), hidden[None, :], INK, (0, 1))


def test_filters_view_shows_each_hidden_units_weights_as_a_tile(shown, qtbot):
    view = shown.show_view("filters")
    qtbot.waitExposed(view)
    mosaic = data.filter_mosaic(shown.session.model.W, shown.session.image_shape)
    assert_image_shows(view, image_showing(view, mosaic), mosaic, WEIGHTS, (-1, 1), nan=GAP)


def test_gallery_view_shows_the_training_data_and_the_models_samples(shown, qtbot):
    view = shown.show_view("gallery")
    qtbot.waitExposed(view)
    shape = shown.session.image_shape
    for rows in (shown.session.rows, shown.session.frame.gallery):
        tiles = data.tile(rows, shape)
        assert_image_shows(view, image_showing(view, tiles), tiles, INK, (0, 1), nan=GAP)


def test_curves_view_draws_each_history_in_its_series_colour(shown, qtbot):
    view = shown.show_view("curves")
    qtbot.waitExposed(view)
    h = shown.session.frame.history
    epochs = np.arange(1, h.epochs + 1)
    assert h.epochs == 20 and np.isfinite(h.log_likelihood).any() and np.isfinite(h.validation_free_energy).any()
    blue, red = SERIES_COLORS[:2]
    for values, colour in ((h.reconstruction_error, blue), (h.log_likelihood, blue), (h.free_energy, blue),
                           (h.validation_free_energy, red)):  # fmt: skip
        known = np.isfinite(values)
        x, y = epochs[known], values[known]
        assert_curve_drawn(view, curve_through(view, x, y), x, y, colour)


def test_training_settings_keep_the_model_and_its_history(panel):
    panel.train_and_sample(4)
    W = panel.session.model.W
    settings = RBMSettings(persistent=True, k=3, weight_decay=0.001, lr=0.02, momentum=0.5, batch_size=100)
    panel.settings_form.set_settings(settings)
    panel.settings_form.apply.click()
    assert panel.session.model.W is W and panel.session.settings.persistent
    panel.train_and_sample(3)
    assert panel.session.frame.epoch == 7 and curve_length(panel.curves_view.error) == 7


def test_settings_the_trainer_refuses_change_nothing_and_training_goes_on(panel, qtbot):
    s = panel.session
    s.start_training()
    qtbot.waitUntil(lambda: s.frame.epoch > 0, timeout=20000)
    before, trainer = s.settings, s.trainer
    for bad in (replace(before, momentum=1.0), replace(before, momentum=1.0, n_hidden=8)):  # same model, new one
        with pytest.raises(ValueError, match="momentum must be below 1"):
            s.apply_settings(bad)
        assert s.training and s.settings == before and s.trainer is trainer
    s.stop_training()


def test_a_folder_of_png_images_becomes_the_training_data(qtbot, tmp_path):
    from PySide6.QtGui import QColor

    from app.panels.rbm import Panel

    panel = Panel()
    qtbot.addWidget(panel)
    for k in range(3):
        image = QImage(4, 4, QImage.Format_RGB32)
        image.fill(QColor("white"))
        image.setPixelColor(k, k, QColor("black"))
        image.save(str(tmp_path / f"{k}.png"))
    (tmp_path / "notes.txt").write_text("not an image")
    panel.open_file(str(tmp_path))
    assert panel.session.image_shape == (4, 4)
    assert "3 PNG images" in panel.session.source
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="holds no .png images"):
        panel.open_file(str(empty))
    panel.shutdown()
