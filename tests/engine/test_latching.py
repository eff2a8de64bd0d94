"""The latching task (Bengio, Simard & Frasconi 1994) and the memory length of each model measured on it."""

import numpy as np
import pytest

from engine.latching import LatchingSetup, half_length, latching_run, memory_lengths
from engine.tasks import make_task


def test_latching_sequences_start_with_the_sign_to_remember_in_noise_of_variance_0_2():
    b = make_task("latching", length=50).sample(4000, np.random.default_rng(0), np.float64)
    assert set(np.unique(b.x[0, :, 0])) == {-1.0, 1.0}
    np.testing.assert_array_equal(b.targets, (b.x[0, :, 0] > 0).astype(int))
    assert abs(b.x[1:].var() - 0.2) < 0.005 and abs(b.x[1:].mean()) < 0.005


def test_half_length_interpolates_where_the_success_rate_crosses_one_half():
    assert half_length([4, 16], [1.0, 0.0]) == pytest.approx(8.0)  # halfway on a log scale
    assert half_length([4, 8, 16], [1.0, 1.0, 0.5]) == pytest.approx(16)
    assert half_length([4, 8], [0.4, 0.0]) == 4
    assert half_length([4, 8], [1.0, 0.75]) == float("inf")


def test_a_tdnn_cannot_latch_past_its_window_whatever_it_learns():
    """Two layers of window 3 see 5 steps: at length 6 the first value never reaches the last step's output,
    so the test accuracy is chance, however long it trains."""
    setup = LatchingSetup(steps=150)
    assert latching_run("tdnn", 5, 0, setup) >= 0.95
    assert abs(latching_run("tdnn", 6, 0, setup) - 0.5) < 0.1


@pytest.mark.slow
def test_memory_lengths_tdnn_forgets_first_and_narx_remembers_past_it():
    curve = memory_lengths(lengths=(3, 8, 20), seeds=2)
    half = curve.half_lengths()
    assert half["tdnn"] < 8  # its window reaches 5 steps
    assert half["narx"] >= 20 and half["rnn_tanh"] > 8
