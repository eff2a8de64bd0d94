"""Making start states for recall: patterns as ±1 units, corrupted by flipped units or a masked region, and
grey-level pictures turned into units.

States here are always bipolar (±1) int8 vectors; images are flattened row-major, ``rows * cols`` units.
"""

from __future__ import annotations

import numpy as np

from engine.checks import as_numeric_array, check_memory

#: What a masked region is filled with: units off (-1, white), on (+1, black) or coin flips.
MASK_FILLS = ("off", "on", "random")


def to_bipolar(name: str, a: object) -> np.ndarray:
    """``a`` (of 0/1 or of ±1 values, any shape) as ±1 int8; 0/1 data is mapped by ξ = 2V - 1.

    Raises ``ValueError`` for empty, non-numeric or non-finite data, or for values other than 0, 1 and -1.
    A mix of 0 and -1 is refused: it is neither kind of unit.
    """
    arr = as_numeric_array(name, a)
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} holds NaN or Inf")
    values = set(np.unique(arr).tolist())
    if values <= {0, 1}:
        return (2 * arr.astype(np.int8) - 1).astype(np.int8)
    if values <= {-1, 1}:
        return arr.astype(np.int8)
    odd = sorted(values - {-1, 0, 1})[:3] or sorted(values)[:3]
    raise ValueError(f"{name} must be binary (0/1 or ±1); found values such as {odd}")


def flip_fraction(state: object, fraction: float, seed: int | np.random.Generator | None = 0) -> np.ndarray:
    """A copy of the ±1 ``state`` (N,) with exactly round(fraction · N) units, chosen at random, flipped."""
    s = to_bipolar("state", state).reshape(-1).copy()
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction is the share of units to flip, in [0, 1]; got {fraction!r}")
    count = round(fraction * s.size)
    s[np.random.default_rng(seed).choice(s.size, size=count, replace=False)] *= -1
    return s


def mask_region(
    state: object,
    grid: tuple[int, int],
    top: int,
    left: int,
    bottom: int,
    right: int,
    fill: str = "off",
    seed: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """A copy of the ±1 ``state`` (rows · cols,) with rows top..bottom-1 and columns left..right-1 of the
    ``grid`` (rows, cols) replaced by ``fill``: "off" (-1), "on" (+1) or "random" (each unit a coin flip).

    The rectangle is clipped to the grid, so a drag that leaves the grid masks what it covers.
    """
    rows, cols = grid
    s = to_bipolar("state", state).reshape(-1).copy()
    if s.size != rows * cols:
        raise ValueError(f"state has {s.size} units, but the grid {rows}×{cols} has {rows * cols}")
    if fill not in MASK_FILLS:
        raise ValueError(f"fill must be one of {', '.join(map(repr, MASK_FILLS))}; got {fill!r}")
    image = s.reshape(rows, cols)
    region = image[max(0, top) : max(0, bottom), max(0, left) : max(0, right)]
    if fill == "random":
        region[...] = np.random.default_rng(seed).choice(np.array([-1, 1], np.int8), size=region.shape)
    else:
        region[...] = 1 if fill == "on" else -1
    return s


def ink_to_states(grey: object, threshold: float = 0.5) -> np.ndarray:
    """A grey-level picture (rows, cols) with values in [0, 1] (0 black) or 0..255 (integers) as ±1 units
    (rows · cols,): ink darker than ``threshold`` (a fraction of white) is on (+1), the rest off (-1)."""
    g = np.asarray(grey)
    if g.ndim != 2 or g.size == 0:
        raise ValueError(f"a picture must be a non-empty 2-D grey-level array, got shape {g.shape}")
    if g.dtype.kind not in "biuf":
        raise ValueError(f"a picture must hold numbers, not {g.dtype}")
    check_memory(g.size, f"a {g.shape[0]}×{g.shape[1]} picture as units")
    white = 255.0 if g.dtype.kind in "biu" else 1.0
    return np.where(g < threshold * white, 1, -1).astype(np.int8).reshape(-1)
