"""The RBM lab's AIS log-likelihood estimate, as a person uses it: offered only where the exact one is out of
reach, run in a worker while the window answers and training goes on, and showing what the engine computes for
the model as it was when the button was pressed; a new model cancels it."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QTimer

from app.i18n import tr
from app.panels.rbm import LikelihoodBox, Panel
from app.sessions.rbm import RBMSettings
from app.theme import setup_application
from engine import rbm

BIG = RBMSettings(dataset="glyphs", glyph_text="0123456789", glyph_size=7, n_hidden=25)  # 49 × 25: 2^25 states
N_BETAS = 2_000  # fast, yet long enough (about half a second) for training to run beside it


@pytest.fixture
def panel(qtbot, qapp):
    setup_application()
    lab = Panel(settings=BIG)
    qtbot.addWidget(lab)
    lab.resize(1200, 800)
    lab.session.likelihood.n_betas = N_BETAS
    yield lab
    lab.shutdown()


def shown_estimate(lab: Panel) -> tuple[str, str]:
    """The value and the ± the panel shows, as written there."""
    found = re.search(r"log-likelihood ≈ (−?\d+\.\d+) ± (\d+\.\d+) \(AIS, 100 chains", lab.likelihood_box.result.text())
    assert found, lab.likelihood_box.result.text()
    return found.group(1).replace("−", "-"), found.group(2)


def test_the_button_is_offered_only_where_the_exact_likelihood_is_out_of_reach(panel):
    assert not panel.likelihood_box.isHidden()
    assert panel.likelihood_box.estimate.text() == "Estimate log-likelihood (AIS) 估计对数似然"
    panel.session.apply_settings(RBMSettings())  # bars and stripes 4×4, 16 hidden: tracked exactly
    assert panel.likelihood_box.isHidden()


def test_estimate_shows_the_engines_number_for_the_model_at_the_click_while_training_goes_on(panel, qtbot):
    panel.train_and_sample(3)
    clicked_model, rows = panel.session.frame.model.copy(), panel.session.rows.copy()
    panel.likelihood_box.estimate.click()
    button = panel.likelihood_box.estimate
    assert not button.isEnabled() and button.text().startswith("Estimating… 估计中")
    panel.train_and_sample(2)  # changes the session's model while the worker estimates
    qtbot.waitUntil(lambda: "≈" in panel.likelihood_box.result.text(), timeout=30000)
    expected = rbm.ais_log_likelihood(clicked_model, rows, n_chains=100, n_betas=N_BETAS, seed=0)
    decimals = 1 if expected.margin >= 0.1 else 2
    assert shown_estimate(panel) == (f"{expected.value:.{decimals}f}", f"{expected.margin:.{decimals}f}")
    assert "epoch 3)" in panel.likelihood_box.result.text()
    qtbot.waitUntil(lambda: button.isEnabled())
    assert button.text() == tr(LikelihoodBox.IDLE_TEXT)


def test_the_window_answers_during_an_estimate_and_a_new_model_cancels_it(panel, qtbot):
    panel.session.likelihood.n_betas = 200_000  # far longer than the test waits
    ticks = []
    timer = QTimer(interval=20, timeout=lambda: ticks.append(1))
    timer.start()
    panel.likelihood_box.estimate.click()
    qtbot.waitUntil(lambda: len(ticks) >= 10 and panel.likelihood_box.estimate.text().endswith("%"), timeout=5000)
    timer.stop()
    assert panel.session.likelihood.running
    panel.session.reset()
    qtbot.waitUntil(lambda: panel.likelihood_box.estimate.isEnabled(), timeout=5000)
    assert panel.likelihood_box.result.text() == "not estimated yet 尚未估计"
    assert panel.likelihood_box.estimate.text() == tr(LikelihoodBox.IDLE_TEXT)
