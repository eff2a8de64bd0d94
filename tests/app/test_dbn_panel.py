"""The deep-belief-net lab as a person uses it: train layer by layer (here and in the worker, paused and resumed),
dream with a label clamped, classify, save and reopen, and be refused bad input with the lab unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.panels.dbn import Panel
from app.sessions.dbn import DBNSettings
from app.theme import setup_application
from engine.session_file import load_session, save_session

SMALL = DBNSettings(dataset="digits", size=8, per_class=8, layers="20, 30", epochs=3, batch_size=10)


@pytest.fixture
def panel(qtbot, qapp):
    setup_application()
    lab = Panel(settings=SMALL)
    qtbot.addWidget(lab)
    lab.resize(1200, 800)
    lab.messages = []
    lab.message.connect(lambda level, text: lab.messages.append((level, text)))
    yield lab
    lab.shutdown()


def weights(lab: Panel) -> list[np.ndarray]:
    return [m.W.copy() for m in lab.session.stack.dbn().layers]


def test_layers_train_in_turn_and_the_top_one_classifies(panel):
    panel.session.train_epochs(2)
    assert panel.session.frame.layer == 0 and panel.session.frame.predictions is None
    panel.session.train_epochs(4)
    frame = panel.session.frame
    assert frame.layer == 1 and frame.epochs_done == frame.total_epochs == 6
    assert [len(e) for e in frame.errors] == [3, 3]
    assert frame.predictions.shape == (len(panel.session.built.held_out),)
    assert "held-out accuracy" in panel.training_box.status.text()


def test_a_dream_with_a_label_clamped_keeps_that_label_on_every_step(panel):
    panel.session.train_epochs(6)
    panel.session.run_dream(label=3, steps=20)
    dream = panel.session.dream
    assert (dream.labels == 3).all() and dream.images.shape == (21, 10, 64)
    top = dream.top.visible[:, :, 20:]  # 20 units below, then 10 labels
    assert (top[:, :, 3] == 1).all() and top.sum() == top.shape[0] * top.shape[1]
    assert panel.playhead.length == 21


def test_training_in_the_worker_pauses_and_goes_on(panel, qtbot):
    panel.session.start_training()
    qtbot.waitUntil(lambda: panel.session.frame.epochs_done >= 1, timeout=20_000)
    panel.session.stop_training()
    done = panel.session.frame.epochs_done
    assert not panel.session.training and done >= 1
    panel.session.start_training()
    qtbot.waitUntil(lambda: not panel.session.training, timeout=60_000)
    assert panel.session.frame.epochs_done == 6 > done or done == 6


def test_a_saved_session_reopens_and_training_goes_on_with_the_same_numbers(panel, tmp_path):
    panel.session.train_epochs(4)
    save_session(tmp_path / "dbn.unroll", panel.save_session())
    panel.session.train_epochs(2)
    expected = weights(panel)
    panel.restore_session(load_session(tmp_path / "dbn.unroll"))
    assert panel.session.frame.epochs_done == 4
    panel.session.train_epochs(2)
    for a, b in zip(weights(panel), expected, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.full((5, 4, 4), 0.5), "must be binary"),
        (np.ones((3, 80, 80)), "too large"),
        (np.ones((1, 4, 4)), "at least two images"),
    ],
)
def test_bad_images_are_refused_with_a_message_and_the_lab_unchanged(panel, tmp_path, images, message):
    before = (panel.session.settings, weights(panel), panel.session.built.rows.copy())
    path = tmp_path / "bad.npy"
    np.save(path, images)
    with pytest.raises(ValueError, match=message):
        panel.open_file(str(path))
    assert panel.messages and panel.messages[-1][0] == "error" and message in panel.messages[-1][1]
    assert panel.session.settings == before[0]
    np.testing.assert_array_equal(panel.session.built.rows, before[2])


@pytest.mark.parametrize(("layers", "message"), [("20, x", "whole numbers"), ("", "whole numbers"),
                                                  ("1,2,3,4,5,6,7", "1 to 6 layers")])  # fmt: skip
def test_bad_layer_sizes_are_refused_with_a_message(panel, layers, message):
    panel._apply_settings(replace(SMALL, layers=layers))
    assert panel.messages[-1][0] == "error" and message in panel.messages[-1][1]
    assert panel.session.settings == SMALL


def test_a_session_whose_layers_do_not_chain_is_refused(panel):
    panel.session.train_epochs(4)
    saved = panel.save_session()
    arrays = dict(saved.arrays)
    arrays["stack/layer0/W"] = np.zeros((64, 7))
    before = weights(panel)
    with pytest.raises(ValueError, match="layer 1's W must be finite numbers of shape"):
        panel.restore_session(replace(saved, arrays=arrays))
    for a, b in zip(weights(panel), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_user_images_train_without_labels(panel, tmp_path):
    images = (np.random.default_rng(0).random((12, 5, 6)) < 0.4).astype(np.uint8)
    np.save(tmp_path / "mine.npy", images)
    panel.open_file(str(tmp_path / "mine.npy"))
    assert panel.session.image_shape == (5, 6) and panel.session.classes == ()
    panel.session.train_epochs(6)
    assert panel.session.frame.predictions is None
    panel.session.run_dream()
    assert (panel.session.dream.labels == -1).all()


def test_train_when_every_layer_is_trained_says_so_and_leaves_the_button_up(panel):
    panel.session.train_epochs(6)
    panel.training_box.train.click()
    assert not panel.session.training and not panel.training_box.train.isChecked()
    assert panel.messages[-1][0] == "info" and "every layer is trained" in panel.messages[-1][1]
