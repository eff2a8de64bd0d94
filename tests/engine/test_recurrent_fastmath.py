"""The kernels' branch-free exp, sigmoid and tanh agree with NumPy's to a few ulp, and keep NaN and Inf."""

import numpy as np
import pytest
from numba import njit

from engine.recurrent import fastmath


def _elementwise(fn):
    @njit
    def apply(x):
        out = np.empty_like(x)
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


GRID32 = np.concatenate(
    [np.linspace(-200, 200, 400_001), np.linspace(-20, 20, 400_001), np.geomspace(1e-45, 1e-3, 20_001)]
).astype(np.float32)
GRID32 = np.concatenate([GRID32, -GRID32, np.float32([0.0, -0.0])])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_float32_is_computed_in_float32_within_three_of_its_ulp(name):
    ours, reference = FUNCTIONS[name]
    got = _elementwise(ours)(GRID32)
    assert got.dtype == np.float32
    with np.errstate(over="ignore"):
        exact = reference(GRID32.astype(np.float64))  # float64: exact at float32's precision
        rounded = exact.astype(np.float32)
    normal = np.isfinite(rounded) & (np.abs(rounded) >= np.finfo(np.float32).tiny)
    ulps = np.abs(got[normal] - exact[normal]) / np.spacing(np.abs(rounded[normal])).astype(np.float64)
    assert ulps.max() <= 3
    with np.errstate(over="ignore"):
        numpy32 = reference(GRID32)  # beyond float32's range: inf, 0 or a subnormal step, as NumPy's float32
    finite = np.isfinite(numpy32)
    assert np.array_equal(got[~finite], numpy32[~finite])
    tiny = finite & ~normal
    assert np.abs(got[tiny] - numpy32[tiny]).max() <= 4 * np.finfo(np.float32).smallest_subnormal


@pytest.mark.parametrize("name", FUNCTIONS)
def test_float32_keeps_nan_infinity_and_the_sign_of_zero(name):
    ours, reference = FUNCTIONS[name]
    special = np.float32([np.nan, np.inf, -np.inf, 0.0, -0.0])
    got = _elementwise(ours)(special)
    with np.errstate(over="ignore"):
        want = reference(special)
    assert np.isnan(got[0])
    assert np.array_equal(got[1:], want[1:])
    assert np.array_equal(np.signbit(got[1:]), np.signbit(want[1:]))
