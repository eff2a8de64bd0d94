import numpy as np
import pytest

from engine.patterns import bars_and_stripes, glyphs, random_patterns


def _is_bar_or_stripe(image: np.ndarray) -> bool:
    """Every row equal (bars: whole columns on) or every column equal (stripes: whole rows on)."""
    return bool((image == image[:1]).all() or (image == image[:, :1]).all())


def test_bars_and_stripes_3x3_lists_all_14_distinct_patterns():
    patterns = bars_and_stripes(3, 3)
    assert patterns.shape == (14, 9)
    assert patterns.dtype == np.uint8
    assert len(np.unique(patterns, axis=0)) == 14
    assert all(_is_bar_or_stripe(p.reshape(3, 3)) for p in patterns)


@pytest.mark.parametrize(("rows", "cols"), [(2, 2), (2, 4), (4, 3), (1, 5)])
def test_bars_and_stripes_count_is_two_to_the_rows_plus_two_to_the_cols_minus_two(rows, cols):
    patterns = bars_and_stripes(rows, cols)
    expected = len({tuple(p) for p in patterns})
    assert len(patterns) == expected == 2**rows + 2**cols - 2
    assert all(_is_bar_or_stripe(p.reshape(rows, cols)) for p in patterns)


def test_sampled_bars_and_stripes_are_valid_reproducible_and_varied():
    sample = bars_and_stripes(8, 8, n=200, rng=3)
    assert sample.shape == (200, 64)
    assert set(np.unique(sample)) <= {0, 1}
    assert all(_is_bar_or_stripe(p.reshape(8, 8)) for p in sample)
    np.testing.assert_array_equal(sample, bars_and_stripes(8, 8, n=200, rng=3))
    assert len(np.unique(sample, axis=0)) > 150


def test_enumerating_too_many_bars_and_stripes_asks_for_a_sample():
    with pytest.raises(ValueError, match="pass n="):
        bars_and_stripes(20, 20)


def test_glyphs_have_one_row_per_character_and_differ_between_letters():
    images = glyphs("AB0O8", 12)
    assert images.shape == (5, 144)
    assert set(np.unique(images)) == {0, 1}
    assert len(np.unique(images, axis=0)) == 5


def test_glyph_at_native_size_is_the_font_bitmap_and_case_does_not_matter():
    a = glyphs("A", 7).reshape(7, 7)
    assert a[:, 0].sum() == 0 and a[:, 6].sum() == 0  # the 5-wide glyph is centred
    np.testing.assert_array_equal(a[3, 1:6], 1)  # the crossbar of the A
    np.testing.assert_array_equal(glyphs("a", 7), glyphs("A", 7))


def test_upscaled_glyph_is_the_native_glyph_with_each_pixel_repeated():
    native = glyphs("K", 7).reshape(7, 7)
    np.testing.assert_array_equal(glyphs("K", 14).reshape(14, 14), np.kron(native, np.ones((2, 2), np.uint8)))


def test_every_letter_and_digit_has_a_distinct_glyph():
    text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    images = glyphs(text, 7)
    assert len(np.unique(images, axis=0)) == len(text)
    assert (images.sum(axis=1) > 5).all()


def test_random_patterns_are_binary_reproducible_and_about_half_on():
    patterns = random_patterns(50, 100, np.random.default_rng(1))
    assert patterns.shape == (50, 100) and patterns.dtype == np.uint8
    np.testing.assert_array_equal(patterns, random_patterns(50, 100, np.random.default_rng(1)))
    assert 0.45 < patterns.mean() < 0.55
    assert random_patterns(50, 100, 2, p=0.1).mean() < 0.15


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bars_and_stripes(0, 3), "rows must be a positive integer"),
        (lambda: bars_and_stripes(3, 2.5), "cols must be a positive integer"),
        (lambda: glyphs("A?", 7), "no glyph for '\\?'"),
        (lambda: glyphs("", 7), "non-empty"),
        (lambda: glyphs("A", 0), "size must be a positive integer"),
        (lambda: random_patterns(3, 4, 0, p=1.5), "probability"),
        (lambda: random_patterns(10**9, 10**6, 0), "memory cap"),
    ],
)
def test_bad_pattern_requests_raise_value_errors_naming_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()
