"""Binary teaching patterns shared by the Hopfield and RBM labs.

Every function returns a ``(M, N)`` array of dtype ``uint8`` holding 0 and 1, one pattern per row, with
images flattened row-major (``rows * cols`` or ``size * size`` pixels).
"""

from __future__ import annotations

import numpy as np

from engine.checks import check_memory

#: Largest number of bars-and-stripes patterns returned when all are asked for.
MAX_ENUMERATED_PATTERNS = 1 << 16

# A 5 x 7 bitmap font: seven rows of five pixels per glyph, '#' is ink.
_FONT_ROWS = {
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": (".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    " ": (".....",) * 7,
}


def bars_and_stripes(rows: int, cols: int, n: int | None = None, rng: object = None) -> np.ndarray:
    """Bars-and-stripes images: either whole columns (bars) or whole rows (stripes) are on.

    With ``n=None`` all ``2**rows + 2**cols - 2`` distinct patterns, stripes first (the blank and the full
    image once each); with ``n`` given, ``n`` patterns drawn with ``rng`` (a seed or ``np.random.Generator``):
    orientation by a fair coin, then each row or column on with probability 1/2.
    Returns ``(M, rows * cols)`` uint8.
    """
    _require_positive_int("rows", rows)
    _require_positive_int("cols", cols)
    if n is None:
        return _all_bars_and_stripes(rows, cols)
    _require_positive_int("n", n)
    check_memory(n * rows * cols, "bars_and_stripes patterns")
    gen = np.random.default_rng(rng)
    stripes = gen.random((n, rows)) < 0.5
    bars = gen.random((n, cols)) < 0.5
    vertical = gen.random(n) < 0.5
    images = np.where(vertical[:, None, None], bars[:, None, :], stripes[:, :, None])
    return images.reshape(n, rows * cols).astype(np.uint8)


def _all_bars_and_stripes(rows: int, cols: int) -> np.ndarray:
    count = 2**rows + 2**cols - 2
    if count > MAX_ENUMERATED_PATTERNS:
        raise ValueError(
            f"bars_and_stripes({rows}, {cols}) has {count} distinct patterns, more than "
            f"{MAX_ENUMERATED_PATTERNS} to list; pass n= to draw a sample instead"
        )
    stripes = _binary_codes(rows)  # (2**rows, rows): which rows are on
    bars = _binary_codes(cols)[1:-1]  # blank and full image are already among the stripes
    stripe_images = np.repeat(stripes[:, :, None], cols, axis=2)
    bar_images = np.repeat(bars[:, None, :], rows, axis=1)
    return np.concatenate([stripe_images, bar_images]).reshape(count, rows * cols)


def _binary_codes(m: int) -> np.ndarray:
    """All ``2**m`` binary words of length ``m``, counting up from zero: ``(2**m, m)`` uint8."""
    return ((np.arange(2**m)[:, None] >> np.arange(m)[::-1]) & 1).astype(np.uint8)


def glyphs(text: str, size: int = 7) -> np.ndarray:
    """Letters A-Z, digits 0-9 and spaces from a built-in 5 x 7 font, resampled to ``size x size``.

    Lower case is drawn as upper case. The 5 x 7 glyph is centred in a 7 x 7 square and scaled by
    nearest-neighbour sampling. Returns ``(len(text), size * size)`` uint8.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    _require_positive_int("size", size)
    check_memory(len(text) * size * size, "glyph images")
    unknown = sorted({ch for ch in text.upper() if ch not in _FONT_ROWS})
    if unknown:
        raise ValueError(f"the built-in font has no glyph for {''.join(unknown)!r}; it has A-Z, 0-9 and space")
    source = np.array([_glyph_square(ch) for ch in text.upper()])  # (len, 7, 7)
    pick = ((2 * np.arange(size) + 1) * 7) // (2 * size)  # source pixel under each output pixel's centre
    return source[:, pick][:, :, pick].reshape(len(text), size * size)


def _glyph_square(ch: str) -> np.ndarray:
    """The 5 x 7 glyph of ``ch`` with one blank column either side: ``(7, 7)`` uint8."""
    bitmap = np.array([[c == "#" for c in row] for row in _FONT_ROWS[ch]], dtype=np.uint8)
    return np.pad(bitmap, ((0, 0), (1, 1)))


def random_patterns(P: int, N: int, rng: object = None, p: float = 0.5) -> np.ndarray:
    """``P`` independent patterns of ``N`` units, each unit on with probability ``p``: ``(P, N)`` uint8.

    ``rng`` is a seed or an ``np.random.Generator``.
    """
    _require_positive_int("P", P)
    _require_positive_int("N", N)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p}")
    check_memory(P * N * 9, "random patterns")  # float64 uniforms plus the uint8 result
    return (np.random.default_rng(rng).random((P, N)) < p).astype(np.uint8)


def _require_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
