"""Annealed importance sampling against the exact sums: the estimate lands within its stated spread and a tenth
of a nat of the exact log Z and log-likelihood on models small enough to enumerate."""

import math

import numpy as np
import pytest

from engine import rbm
from engine.patterns import glyphs
from engine.rbm import ais


def _random_model(n_visible: int, n_hidden: int, seed: int, scale: float = 1.0) -> rbm.RBM:
    """Parameters ~ N(0, scale²): conditionals far from 1/2, so p_B is far from the base model."""
    rng = np.random.default_rng(seed)
    return rbm.RBM(
        rng.normal(0, scale, (n_visible, n_hidden)), rng.normal(0, scale, n_visible), rng.normal(0, scale, n_hidden)
    )


def _assert_close_to(estimate: rbm.AISEstimate, exact: float, tolerance: float = 0.1) -> None:
    assert estimate.low <= exact <= estimate.high, f"{exact} outside [{estimate.low}, {estimate.high}]"
    assert abs(estimate.value - exact) < tolerance
    assert estimate.margin < 0.2  # a spread that says something


@pytest.mark.parametrize("seed", range(4))
def test_log_partition_is_within_its_spread_and_a_tenth_of_a_nat_of_the_exact_one(seed):
    m = _random_model(12, 10, seed)
    _assert_close_to(ais.ais_log_partition(m, n_chains=100, n_betas=1_000, seed=seed), rbm.log_partition(m))


def test_log_partition_from_a_base_with_visible_biases():
    m = _random_model(10, 12, seed=7)
    base = np.random.default_rng(8).normal(0, 2, 10)
    _assert_close_to(ais.ais_log_partition(m, n_betas=1_000, base_visible_bias=base), rbm.log_partition(m))


def test_log_likelihood_of_a_trained_model_matches_the_exact_one_and_the_fitted_base_narrows_it():
    digits = glyphs("0123456789", 5)  # pixel means from 0 to 0.9: a fitted base differs from the zero one
    m = rbm.init(25, 12, seed=0)
    rbm.train(m, digits, epochs=300, lr=0.1, batch_size=10, momentum=0.5, log_likelihood_every=0)
    exact = rbm.log_likelihood(m, digits)
    assert exact > rbm.log_likelihood(rbm.init(25, 12), digits) + 5  # it learned something
    estimate = rbm.ais_log_likelihood(m, digits, n_betas=1_000)
    _assert_close_to(estimate, exact)
    assert estimate.margin < ais.ais_log_partition(m, n_betas=1_000).margin / 2


def test_the_base_model_itself_gets_its_exact_log_partition_and_no_spread():
    base = np.random.default_rng(0).normal(0, 1, 9)
    m = rbm.RBM(np.zeros((9, 5)), base.copy(), np.zeros(5))
    estimate = ais.ais_log_partition(m, n_chains=10, n_betas=50, base_visible_bias=base)
    assert estimate.value == pytest.approx(5 * math.log(2) + np.logaddexp(0, base).sum(), abs=1e-12)
    assert estimate.value == pytest.approx(rbm.log_partition(m), abs=1e-12)
    assert estimate.margin == pytest.approx(0.0, abs=1e-12)


def test_same_seed_gives_the_same_estimate_and_another_seed_another():
    m = _random_model(8, 6, seed=1)
    first, again = (ais.ais_log_partition(m, n_chains=20, n_betas=100, seed=3) for _ in range(2))
    assert first == again
    assert ais.ais_log_partition(m, n_chains=20, n_betas=100, seed=4).value != first.value


def test_progress_counts_every_step_up_to_the_total_and_an_exception_there_cancels():
    m = _random_model(6, 4, seed=2)
    seen: list[tuple[int, int]] = []
    ais.ais_log_partition(m, n_chains=4, n_betas=251, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (251, 251) and all(total == 251 for _, total in seen)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen}) and len(seen) >= 100

    def cancel(done: int, total: int) -> None:
        raise InterruptedError("stop")

    with pytest.raises(InterruptedError):
        ais.ais_log_partition(m, n_chains=4, n_betas=251, progress=cancel)


def test_interval_is_the_log_of_the_mean_weight_plus_minus_three_standard_errors_without_overflow():
    log_w = np.log([2.0, 3.0, 3.0, 4.0])
    w = np.exp(log_w)
    spread = 3 * w.std(ddof=1) / 2
    expected = (math.log(w.mean() - spread), math.log(w.mean()), math.log(w.mean() + spread))
    np.testing.assert_allclose(ais._interval(log_w), expected, rtol=1e-12)
    np.testing.assert_allclose(ais._interval(log_w + 1e5), np.add(expected, 1e5), rtol=1e-12)
    assert ais._interval(np.array([0.0, -50.0]))[0] == -math.inf  # mean - 3 SE below zero


_MODEL = rbm.init(9, 4, seed=0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ais.ais_log_partition(_MODEL, n_chains=0), "n_chains must be a positive integer"),
        (lambda: ais.ais_log_partition(_MODEL, n_chains=1), "n_chains must be at least 2"),
        (lambda: ais.ais_log_partition(_MODEL, n_betas=0), "n_betas must be a positive integer"),
        (lambda: ais.ais_log_partition(_MODEL, n_betas=2.5), "n_betas must be a positive integer"),
        (lambda: ais.ais_log_partition(_MODEL, n_betas=10**12), "AIS schedule .* memory cap"),
        (lambda: ais.ais_log_partition(_MODEL, n_chains=10**9), "AIS chains.* memory cap"),
        (lambda: ais.ais_log_partition(_MODEL, base_visible_bias=np.zeros(8)), r"base_visible_bias has shape \(8,\)"),
        (lambda: ais.ais_log_partition(_MODEL, base_visible_bias=[np.inf] * 9), "base_visible_bias holds NaN or Inf"),
        (lambda: ais.ais_log_partition(rbm.RBM(np.full((9, 4), np.nan), np.zeros(9), np.zeros(4))),
         "model.W holds NaN or Inf"),
        (lambda: ais.ais_log_partition(rbm.RBM(np.zeros((9, 4)), np.zeros(9), np.full(4, -np.inf))),
         "model.b_hidden holds NaN or Inf"),
        (lambda: ais.ais_log_partition("model"), "model must be an engine.rbm.RBM"),
        (lambda: rbm.ais_log_likelihood(_MODEL, np.full((3, 9), 0.5)), r"data must be binary \(0 or 1\)"),
        (lambda: rbm.ais_log_likelihood(_MODEL, np.ones((3, 8))), r"data has shape \(3, 8\), expected \(rows, 9\)"),
        (lambda: rbm.ais_log_likelihood(_MODEL, np.ones((0, 9))), "data is empty"),
        (lambda: rbm.ais_log_likelihood(_MODEL, np.ones((2, 9)), n_betas=-3), "n_betas must be a positive integer"),
    ],
)  # fmt: skip
def test_bad_input_raises_value_error_naming_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()
