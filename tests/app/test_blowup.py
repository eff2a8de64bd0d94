"""Numerical blow-up while training stops training with a message and keeps the last good state."""

import numpy as np

from app.sessions.rbm import RBMSession, RBMSettings

EXPLODING = RBMSettings(lr=1e307, momentum=0.0, batch_size=4)  # weights overflow within a few epochs


def watched(session: RBMSession) -> list[str]:
    messages: list[str] = []
    session.failed.connect(messages.append)
    return messages


def test_rbm_blowup_in_a_step_stops_with_a_message_and_keeps_the_trained_weights(qapp):
    session = RBMSession(RBMSettings(momentum=0.0, batch_size=4))
    messages = watched(session)
    session.train_epochs(5)
    trained = session.model.W.copy()
    session.apply_settings(EXPLODING)  # a new learning rate keeps the model
    session.train_epochs(200)
    assert messages and "diverged" in messages[0] and "smaller learning rate" in messages[0]
    assert session.model.is_finite() and session.frame.model.is_finite() and not session.training
    assert 5 <= session.frame.epoch < 205
    if session.frame.epoch == 5:  # it blew up in its first epoch: the weights are the trained ones
        np.testing.assert_array_equal(session.model.W, trained)
    np.testing.assert_array_equal(session.frame.model.W, session.model.W)
    session.run_chain()  # the kept model still samples
    assert np.isfinite(session.trace.visible_prob).all()


def test_rbm_blowup_in_the_worker_stops_training_with_a_message(qapp, qtbot):
    session = RBMSession(EXPLODING)
    messages = watched(session)
    session.start_training()
    # the message and the end of the run arrive as two queued signals: on a busy machine, one event loop pass apart
    qtbot.waitUntil(lambda: bool(messages) and not session.training, timeout=20000)
    assert "diverged" in messages[0]
    assert session.model.is_finite() and session.frame.model.is_finite()
    assert all(np.isfinite(v).all() for v in (session.frame.history.free_energy,))
    session.stop_training()
