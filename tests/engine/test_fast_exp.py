"""engine.fast_exp against NumPy in float64: a unit or two in the last place, NaN kept, ends clamped."""

import numpy as np
import pytest
from numba import njit

from engine.fast_exp import LIMIT, exp32, exp64, sigmoid, softplus


@njit(fastmath={"reassoc", "contract"}, error_model="numpy")  # the flags of the kernels that call them
def _exp32_all(x, out):
    for i in range(x.size):
        out[i] = exp32(x[i])


@njit(fastmath={"reassoc", "contract"}, error_model="numpy")
def _exp64_all(x, out):
    for i in range(x.size):
        out[i] = exp64(x[i])


@njit(fastmath={"reassoc", "contract"}, error_model="numpy")
def _sigmoid_all(x, one):
    out = np.empty_like(x)
    for i in range(x.size):
        out[i] = sigmoid(x[i], one)
    return out


def test_exp32_is_within_two_units_in_the_last_place_of_float32_over_its_range():
    x = np.linspace(-LIMIT, LIMIT, 400_001).astype(np.float32)
    got = np.empty_like(x)
    _exp32_all(x, got)
    exact = np.exp(x.astype(np.float64))
    assert np.max(np.abs(got - exact) / exact) < 2 * 2.0**-24


def test_exp64_is_within_one_unit_in_the_last_place_of_float64():
    x = np.concatenate([np.linspace(-700.0, 700.0, 400_001), np.random.default_rng(0).normal(0, 3, 100_000)])
    got = np.empty_like(x)
    _exp64_all(x, got)
    assert np.max(np.abs(got - np.exp(x)) / np.exp(x)) < 2.0**-52


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_keeps_nan_saturates_at_the_ends_and_matches_the_formula(dtype):
    x = np.array([np.nan, -np.inf, -1e30, -30.0, -1.0, 0.0, 2.5, 1e30, np.inf], dtype)
    got = _sigmoid_all(x, dtype(1.0))
    assert got.dtype == dtype and np.isnan(got[0])
    with np.errstate(over="ignore"):
        exact = 1.0 / (1.0 + np.exp(-x[1:].astype(np.float64)))
    np.testing.assert_allclose(got[1:], exact, rtol=4 * np.finfo(dtype).eps, atol=1e-34)
    assert got[2] < 1e-30 and got[-1] == 1.0


@njit(fastmath={"reassoc", "contract"}, error_model="numpy")
def _softplus_all(x, one):
    out = np.empty(x.size)
    for i in range(x.size):
        out[i] = softplus(x[i], one)
    return out


@pytest.mark.parametrize(("dtype", "tolerance", "floor"), [(np.float32, 4e-7, 80.0), (np.float64, 1e-15, 700.0)])
def test_softplus_matches_numpys_logaddexp_for_any_input(dtype, tolerance, floor):
    """Relative error a few units in the last place; below -80 (float32) or -700 (float64), where exp is
    clamped, softplus(x) = e^x is given as e^-80 or e^-700: absolute errors below 2e-35 and 1e-304."""
    x = np.concatenate([np.linspace(-90, 90, 100_001), [-1e30, -1e-9, 0.0, 1e-9, 1e30]]).astype(dtype)
    got = _softplus_all(x, dtype(1.0))
    exact = np.logaddexp(0.0, x.astype(np.float64))
    np.testing.assert_allclose(got, exact, rtol=tolerance, atol=1.01 * np.exp(-floor))
