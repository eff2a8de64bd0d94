"""Start states for recall: flipped units, masked regions, pictures as units, and refusals of bad data."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.hopfield.corrupt import flip_fraction, ink_to_states, mask_region, to_bipolar


def test_to_bipolar_maps_binary_data_and_keeps_bipolar_data():
    assert to_bipolar("p", [[0, 1, 1]]).tolist() == [[-1, 1, 1]]
    assert to_bipolar("p", np.array([-1.0, 1.0])).tolist() == [-1, 1]
    assert to_bipolar("p", np.array([1, 1], np.uint8)).dtype == np.int8


@pytest.mark.parametrize(
    "bad, words",
    [([0, 2, 1], "binary"), ([-1, 0, 1], "binary"), ([], "empty"), (["a"], "numbers"), ([np.nan, 1], "NaN")],
)
def test_to_bipolar_refuses_what_is_not_binary(bad, words):
    with pytest.raises(ValueError, match=words):
        to_bipolar("patterns", bad)


@given(n=st.integers(1, 300), fraction=st.floats(0, 1), seed=st.integers(0, 2**16))
def test_flip_fraction_flips_exactly_the_asked_share(n, fraction, seed):
    s = np.where(np.arange(n) % 3 == 0, 1, -1).astype(np.int8)
    out = flip_fraction(s, fraction, seed)
    assert np.count_nonzero(out != s) == round(fraction * n)
    assert set(np.unique(out)) <= {-1, 1}


def test_flip_fraction_leaves_its_input_alone_and_repeats_with_a_seed():
    s = -np.ones(100, np.int8)
    a, b = flip_fraction(s, 0.25, seed=3), flip_fraction(s, 0.25, seed=3)
    assert (s == -1).all() and np.array_equal(a, b)
    with pytest.raises(ValueError, match="fraction"):
        flip_fraction(s, 1.5)


@pytest.mark.parametrize("fill, value", [("off", -1), ("on", 1)])
def test_mask_region_fills_exactly_the_rectangle(fill, value):
    s = np.ones(6 * 5, np.int8) * -value
    out = mask_region(s, (6, 5), top=3, left=1, bottom=6, right=4, fill=fill).reshape(6, 5)
    changed = out != s.reshape(6, 5)
    assert changed[3:6, 1:4].all() and changed.sum() == 9


def test_mask_region_clips_to_the_grid_and_random_fill_is_binary():
    s = -np.ones(16, np.int8)
    out = mask_region(s, (4, 4), top=-3, left=2, bottom=99, right=99, fill="random", seed=1).reshape(4, 4)
    assert (out[:, :2] == -1).all() and set(np.unique(out)) <= {-1, 1}
    with pytest.raises(ValueError, match="grid"):
        mask_region(s, (5, 5), 0, 0, 1, 1)
    with pytest.raises(ValueError, match="fill"):
        mask_region(s, (4, 4), 0, 0, 1, 1, fill="grey")


def test_ink_to_states_turns_dark_pixels_on():
    assert ink_to_states(np.array([[0, 255], [100, 200]], np.uint8)).tolist() == [1, -1, 1, -1]
    assert ink_to_states(np.array([[0.9, 0.1]])).tolist() == [-1, 1]
    with pytest.raises(ValueError, match="2-D"):
        ink_to_states(np.zeros(4))
