"""The deep-autoencoder lab as a person uses it: pre-train, unroll, fine-tune (here and in the worker), walk the
snapshots, save and reopen, and be refused bad input with the lab unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.panels.autoencoder import FINE, PRE, Panel
from app.sessions.autoencoder import AESettings
from app.theme import setup_application
from engine import autoencoder as ae
from engine.session_file import load_session, save_session

SMALL = AESettings(size=8, per_class=6, layers="20", code=2, pre_epochs=2, fine_epochs=4, batch_size=20)


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


def test_pretraining_then_unrolling_with_tied_weights_then_fine_tuning(panel):
    s = panel.session
    s.train_epochs(3)
    assert s.tuner is None and panel.timeline.moment()[0] == PRE
    s.train_epochs(1)
    net = s.tuner.ae
    np.testing.assert_array_equal(net.decoder[0], net.encoder[-1].T)
    assert len(s.frame.snapshots) == 1 and panel.timeline.moment() == (FINE, 0)
    s.train_epochs(10)
    assert s.tuner.epoch == 4 and len(s.frame.snapshots) == 5 and s.done
    assert panel.timeline.moment() == (FINE, 4)
    trace = panel.trace()
    np.testing.assert_allclose(trace.codes, ae.encode(net, s.built.held_out))
    assert trace.codes.shape == trace.pca_codes.shape == (len(s.built.held_out), 2)
    assert "PCA" in panel.curves_view.note.text


def test_the_worker_pre_trains_and_fine_tunes_to_the_end(panel, qtbot):
    panel.session.start_training()
    qtbot.waitUntil(lambda: not panel.session.training, timeout=60_000)
    assert panel.session.done and panel.session.frame.fine_epoch == 4


def test_a_saved_session_reopens_in_fine_tuning_and_goes_on_with_the_same_numbers(panel, tmp_path):
    s = panel.session
    s.train_epochs(6)
    save_session(tmp_path / "ae.unroll", panel.save_session())
    s.train_epochs(2)
    expected = [W.copy() for W in s.tuner.ae.weights]
    panel.restore_session(load_session(tmp_path / "ae.unroll"))
    assert panel.session.tuner.epoch == 2 and len(panel.session.frame.snapshots) == 3
    panel.session.train_epochs(2)
    for a, b in zip(panel.session.tuner.ae.weights, expected, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": 100}, "code of 100 units is larger than the data's 64 pixels"),
        ({"layers": "20, zero"}, "whole numbers"),
        ({"dataset": "file"}, "open a file"),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_the_lab_unchanged(panel, change, message):
    panel.session.train_epochs(2)
    before = [m.W.copy() for m in panel.session.pre.layers()]
    panel._apply_settings(replace(SMALL, **change))
    assert panel.messages[-1][0] == "error" and message in panel.messages[-1][1]
    assert panel.session.settings == SMALL
    for a, b in zip(panel.session.pre.layers(), before, strict=True):
        np.testing.assert_array_equal(a.W, b)


def test_images_that_are_not_binary_are_refused(panel, tmp_path):
    np.save(tmp_path / "grey.npy", np.full((8, 4, 4), 0.3))
    with pytest.raises(ValueError, match="must be binary"):
        panel.open_file(str(tmp_path / "grey.npy"))
    assert panel.session.settings == SMALL and panel.messages[-1][0] == "error"
