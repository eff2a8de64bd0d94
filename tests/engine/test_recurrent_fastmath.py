"""The kernels' branch-free exp, sigmoid and tanh agree with NumPy's to a few ulp, and keep NaN and Inf."""

import numpy as np
import pytest
from numba import njit

from engine.recurrent import fastmath


def _elementwise(fn):
    @njit
    def apply(x):
        out = np.empty(x.size)
        for k in range(x.size):
            out[k] = fn(x[k])
        return out

    return apply


def _sigmoid_reference(x):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


FUNCTIONS = {
    "exp": (fastmath.exp, np.exp),
    "sigmoid": (fastmath.sigmoid, _sigmoid_reference),
    "tanh": (fastmath.tanh, np.tanh),
}
TINY = np.geomspace(1e-300, 1e-3, 20_001)
GRID = np.concatenate(
    [np.linspace(-1000, 1000, 400_001), np.linspace(-40, 40, 400_001), TINY, -TINY, [0.0, 5e-324, -5e-324]]
)


def _ulps(got, want):
    return np.abs(got - want) / np.spacing(np.abs(want))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_within_four_ulp_of_numpy(name):
    ours, reference = FUNCTIONS[name]
    got = _elementwise(ours)(GRID)
    with np.errstate(over="ignore"):
        want = reference(GRID)
    finite = np.isfinite(want)
    normal = finite & (np.abs(want) >= np.finfo(np.float64).tiny)
    assert _ulps(got[normal], want[normal]).max() <= 4
    # subnormal results (exp and σ below −708, tanh of the tiniest numbers) within two of their steps
    assert np.abs(got[finite & ~normal] - want[finite & ~normal]).max() <= 1e-323
    assert np.array_equal(got[~finite], want[~finite])  # exp overflowing to inf above 709.8


def test_tanh_keeps_the_sign_of_zero_and_the_relative_accuracy_of_tiny_values():
    tanh = _elementwise(fastmath.tanh)
    assert np.array_equal(np.signbit(tanh(np.array([0.0, -0.0]))), [False, True])
    assert _ulps(tanh(TINY), np.tanh(TINY)).max() <= 2


@pytest.mark.parametrize("name", FUNCTIONS)
def test_nan_and_infinity_propagate(name):
    ours, reference = FUNCTIONS[name]
    special = np.array([np.nan, np.inf, -np.inf])
    got = _elementwise(ours)(special)
    with np.errstate(over="ignore"):
        want = reference(special)
    assert np.isnan(got[0]), "NaN must stay NaN: a blow-up has to remain visible in the traces"
    assert np.array_equal(got[1:], want[1:])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_float32_input_is_computed_in_float64(name):
    ours, reference = FUNCTIONS[name]
    x = np.linspace(-30, 30, 10_001).astype(np.float32)
    with np.errstate(over="ignore"):
        want = reference(x.astype(np.float64))
    np.testing.assert_allclose(_elementwise(ours)(x), want, rtol=1e-15, atol=1e-300)
