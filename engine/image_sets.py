"""Labelled binary images the deep-belief and autoencoder labs learn from, made here, at run time, the same on
every machine: digits in several hand-drawn bitmap fonts, shifted about a canvas and speckled with noise;
bars and stripes labelled by kind; and scikit-learn's bundled 8 × 8 digits when scikit-learn happens to be
installed (it is not a dependency).

Images are flattened row-major: an ``(h, w)`` image is a row of ``h * w`` units.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine import patterns
from engine.checks import check_memory

DIGITS = "0123456789"

# A second, rounder 5 x 7 hand-drawn digit face beside ``engine.patterns``' built-in font.
_ROUND_DIGITS = {
    "0": (".###.", "##.##", "#...#", "#...#", "#...#", "##.##", ".###."),
    "1": ("..#..", "###..", "..#..", "..#..", "..#..", "..#..", "#####"),
    "2": (".###.", "#...#", "....#", "..##.", ".#...", "#....", "#####"),
    "3": (".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###."),
    "4": ("#..#.", "#..#.", "#..#.", "#####", "...#.", "...#.", "...#."),
    "5": ("#####", "#....", "#....", "####.", "....#", "....#", "####."),
    "6": (".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "#...#", "...#.", "...#.", "..#..", "..#..", "..#.."),
    "8": (".###.", "#...#", ".###.", "#...#", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."),
}

#: The faces digits are drawn in: two hand-drawn fonts, each plain, bold and slanted.
FONTS = ("block", "block bold", "block slanted", "round", "round bold", "round slanted")


class LabelledImages(NamedTuple):
    """``images: (N, h * w)`` uint8 of 0 and 1; ``labels: (N,)`` int64 class numbers; ``shape`` (h, w);
    ``classes``: the name of each class number; ``source``: where the images came from, in words."""

    images: np.ndarray
    labels: np.ndarray
    shape: tuple[int, int]
    classes: tuple[str, ...]
    source: str


def _bitmap(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[c == "#" for c in row] for row in rows], dtype=np.uint8)


def _face(digit: str, font: str) -> np.ndarray:
    """The ``(7, 6)`` bitmap of ``digit`` in ``font`` (one of ``FONTS``)."""
    base = patterns._FONT_ROWS[digit] if font.startswith("block") else _ROUND_DIGITS[digit]
    glyph = np.pad(_bitmap(base), ((0, 0), (0, 1)))
    if font.endswith("bold"):  # each stroke doubled one pixel to the right
        glyph = glyph | np.roll(glyph, 1, axis=1)
    elif font.endswith("slanted"):  # the top three rows lean one pixel right
        glyph = glyph.copy()
        glyph[:3] = np.roll(glyph[:3], 1, axis=1)
    return glyph


def font_digits(per_class: int = 60, size: int = 12, noise: float = 0.02, seed: int = 0) -> LabelledImages:
    """``per_class`` images of each digit 0-9 on a ``size × size`` canvas: a face drawn from ``FONTS`` at random,
    shifted to a random place on the canvas, each pixel then flipped with probability ``noise``."""
    if not isinstance(per_class, int) or not 1 <= per_class <= 10_000:
        raise ValueError(f"images per class must be an integer from 1 to 10000, got {per_class!r}")
    if not isinstance(size, int) or not 8 <= size <= 64:
        raise ValueError(f"the canvas must be 8 to 64 pixels wide, got {size!r}")
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"the noise (chance of a flipped pixel) must be in [0, 0.5], got {noise!r}")
    n = per_class * len(DIGITS)
    check_memory(n * size * size, "the digit images")
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(DIGITS)), per_class)
    images = np.zeros((n, size, size), np.uint8)
    faces = rng.integers(0, len(FONTS), n)
    tops, lefts = rng.integers(0, size - 7 + 1, n), rng.integers(0, size - 6 + 1, n)
    for i in range(n):
        images[i, tops[i] : tops[i] + 7, lefts[i] : lefts[i] + 6] = _face(DIGITS[labels[i]], FONTS[faces[i]])
    images ^= (rng.random(images.shape) < noise).astype(np.uint8)
    order = rng.permutation(n)
    source = f"digits in {len(FONTS)} faces, {size}×{size}, {noise:.0%} noise"
    return LabelledImages(images.reshape(n, -1)[order], labels[order], (size, size), tuple(DIGITS), source)


def labelled_bars_and_stripes(rows: int = 4, cols: int = 4) -> LabelledImages:
    """Every bars-and-stripes image of ``rows × cols``, labelled 0 (vertical bars) or 1 (horizontal stripes);
    the blank and the full image, both kinds at once, are kept once each, as bars."""
    images = patterns.bars_and_stripes(rows, cols)
    grid = images.reshape(len(images), rows, cols)
    stripes = (grid == grid[:, :, :1]).all(axis=(1, 2))  # every row one colour
    bars = (grid == grid[:, :1, :]).all(axis=(1, 2))  # every column one colour
    labels = (stripes & ~bars).astype(np.int64)
    return LabelledImages(images, labels, (rows, cols), ("bars", "stripes"), f"bars and stripes {rows}×{cols}")


def sklearn_digits() -> LabelledImages | None:
    """scikit-learn's 1,797 bundled 8 × 8 digits, ink where darker than half, or None without scikit-learn."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        return None
    bunch = load_digits()
    images = (bunch.data >= 8).astype(np.uint8)  # grey levels 0-16
    return LabelledImages(images, bunch.target.astype(np.int64), (8, 8), tuple(DIGITS), "scikit-learn's 8×8 digits")


def has_sklearn_digits() -> bool:
    import importlib.util

    return importlib.util.find_spec("sklearn") is not None
