"""The RBM lab's helpers: user image stacks, splits, clamp masks, completion starts and mosaics."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.rbm import data
from engine.rbm.model import MAX_ENUMERATED_UNITS


@given(st.integers(1, 400))
def test_image_shape_multiplies_back_and_is_near_square(n):
    h, w = data.image_shape_for(n)
    assert h * w == n and h <= w
    assert all(n % d for d in range(h + 1, int(n**0.5) + 1))


def test_image_stack_accepts_flat_and_3d_binary_arrays():
    rows, shape = data.image_stack(np.ones((3, 2, 5)))
    assert rows.shape == (3, 10) and shape == (2, 5) and rows.dtype == np.uint8
    rows, shape = data.image_stack(np.zeros((4, 16), np.uint8))
    assert shape == (4, 4)


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.full((2, 4), 0.5), "binary"),
        (np.ones(5), "shape"),
        (np.ones((2, 2, 2, 2)), "shape"),
        (np.zeros((0, 4)), "empty"),
        (np.array(["a", "b"]), "numbers"),
        (np.array([[0, np.nan]]), "NaN"),
        (np.zeros((1, 100, 100)), "too large"),
    ],
)
def test_image_stack_refuses_bad_input_with_a_reason(bad, words):
    with pytest.raises(ValueError, match=words):
        data.image_stack(bad)


def test_binarise_marks_dark_pixels_as_ink():
    gray = np.array([[0.0, 0.9], [0.2, 1.0]])
    assert data.binarise(gray).tolist() == [[1, 0], [1, 0]]
    assert data.binarise(np.array([[10, 200]], np.uint8)).tolist() == [[1, 0]]


def test_stack_images_names_the_odd_size_out():
    with pytest.raises(ValueError, match="mixed sizes.*b.png"):
        data.stack_images([np.zeros((3, 3)), np.zeros((3, 4))], ["a.png", "b.png"])
    assert data.stack_images([np.zeros((3, 3))] * 2, ["a", "b"]).shape == (2, 3, 3)


@given(st.integers(2, 50), st.floats(0.0, 0.95))
def test_split_held_out_partitions_the_rows(m, fraction):
    rows = np.arange(m)[:, None]
    train, held = data.split_held_out(rows, fraction, seed=1)
    both = train[:, 0].tolist() + ([] if held is None else held[:, 0].tolist())
    assert sorted(both) == list(range(m)) and len(train) >= 1


def test_likelihood_is_tracked_only_when_cheap_and_refused_when_intractable():
    live, n = data.LIVE_LIKELIHOOD_UNITS, MAX_ENUMERATED_UNITS
    assert data.likelihood_problem(live + 5, live) is None and data.likelihood_every(live + 5, live) >= 1
    assert data.likelihood_every(1, 1) == 1
    assert "not tracked" in data.likelihood_problem(n, n) and data.likelihood_every(n, n) == 0
    assert "not available" in data.likelihood_problem(n + 1, n + 1) and data.likelihood_every(n + 1, n + 1) == 0
    assert data.uniform_log_likelihood(16) == pytest.approx(16 * np.log(0.5))


@pytest.mark.parametrize("region, count", [("none", 0), ("top", 6), ("bottom", 6), ("left", 4), ("right", 4)])
def test_clamp_regions_cover_the_rounded_down_half(region, count):
    mask = data.clamp_mask((4, 3), region)
    assert mask.shape == (12,) and mask.sum() == count


def test_clamp_mask_top_is_the_first_rows():
    assert data.clamp_mask((2, 2), "top").tolist() == [True, True, False, False]
    with pytest.raises(ValueError, match="region"):
        data.clamp_mask((2, 2), "middle")


@given(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1), st.integers(0, 100))
def test_completion_start_keeps_the_clamped_units(bits, mask_bits, seed):
    pattern = (bits >> np.arange(16)) & 1
    clamp = ((mask_bits >> np.arange(16)) & 1).astype(bool)
    start = data.completion_start(pattern, clamp, seed)
    assert np.array_equal(start[clamp], pattern[clamp]) and set(np.unique(start)) <= {0.0, 1.0}


def test_toggle_unit_flips_one_unit_in_a_copy():
    mask = np.zeros(4, bool)
    assert data.toggle_unit(mask, 2).tolist() == [False, False, True, False] and not mask.any()


def test_tile_places_each_image_and_pads_with_nan():
    images = np.arange(2 * 6).reshape(2, 6)
    out = data.tile(images, (2, 3), columns=2)
    assert out.shape == (2, 7)
    assert np.array_equal(out[:, :3], images[0].reshape(2, 3)) and np.isnan(out[:, 3]).all()
    with pytest.raises(ValueError, match="expected"):
        data.tile(images, (3, 3))


def test_filter_mosaic_scales_each_field_to_unit_peak():
    W = np.array([[2.0, 0.0], [-4.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    out = data.filter_mosaic(W, (2, 2), columns=2)
    assert np.nanmax(np.abs(out[:, :2])) == 1.0 and out[1, 0] == 0.25 and np.nanmax(np.abs(out[:, 3:])) == 0
