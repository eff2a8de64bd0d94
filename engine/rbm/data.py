"""Small numeric helpers the RBM lab needs around the model: user image stacks, held-out splits, clamp
masks for pattern completion, and mosaics of images for display. NumPy only; no Qt.

Images are flattened row-major: a ``(h, w)`` image is a row of ``h * w`` visible units.
"""

from __future__ import annotations

import math

import numpy as np

from engine.checks import as_float_array, check_memory
from engine.rbm.model import MAX_ENUMERATED_UNITS, binary_rows

#: Regions of an image that pattern completion can clamp, by name.
CLAMP_REGIONS = ("none", "top", "bottom", "left", "right")

#: Largest smaller layer whose exact log-likelihood is tracked while training: 2^16 terms take about 0.1 s,
#: 2^20 (the engine's limit) several seconds, too long to wait for between epochs.
LIVE_LIKELIHOOD_UNITS = 16

#: Largest image (visible units) the lab trains on; bigger ones would take minutes per epoch on a laptop.
MAX_IMAGE_UNITS = 4096


def image_shape_for(n_visible: int) -> tuple[int, int]:
    """The most nearly square ``(h, w)`` with ``h * w == n_visible`` and ``h <= w``."""
    h = max(d for d in range(1, math.isqrt(n_visible) + 1) if n_visible % d == 0)
    return h, n_visible // h


def image_stack(array: object) -> tuple[np.ndarray, tuple[int, int]]:
    """A user's binary images as training rows: ``(M, n)`` or ``(M, h, w)`` of 0 and 1.

    Returns ``(rows: (M, h * w) uint8, (h, w))``; ``(M, n)`` input is shown as the most nearly square image.
    """
    arr = as_float_array("images", array)
    if arr.ndim == 3:
        shape = (arr.shape[1], arr.shape[2])
        arr = arr.reshape(arr.shape[0], -1)
    elif arr.ndim == 2:
        shape = image_shape_for(arr.shape[1]) if arr.shape[1] else (0, 0)
    else:
        raise ValueError(f"images have shape {arr.shape}; expected (images, units) or (images, height, width)")
    if arr.ndim == 2 and arr.shape[1] > MAX_IMAGE_UNITS:
        raise ValueError(f"images of {arr.shape[1]} pixels are too large; this lab takes up to {MAX_IMAGE_UNITS}")
    rows = binary_rows("images", arr, None)
    return rows.astype(np.uint8), shape


def binarise(gray: object, threshold: float = 0.5) -> np.ndarray:
    """A grey image ``(h, w)`` as ink = 1 where darker than ``threshold`` of white: uint8.

    Values run from 0 (black) to 1 (white), or to 255 for a uint8 image.
    """
    white = 255.0 if np.asarray(gray).dtype == np.uint8 else 1.0
    arr = as_float_array("image", gray)
    if arr.ndim != 2:
        raise ValueError(f"a grey image must be (height, width), not {arr.shape}")
    return (arr < threshold * white).astype(np.uint8)


def stack_images(images: list[np.ndarray], names: list[str]) -> np.ndarray:
    """Equal-sized binary ``(h, w)`` images as ``(M, h, w)`` uint8; mixed sizes raise ValueError naming them."""
    if not images:
        raise ValueError("no images given")
    first = images[0].shape
    for image, name in zip(images, names, strict=True):
        if image.shape != first:
            raise ValueError(
                f"images of mixed sizes: {names[0]} is {first[1]}×{first[0]}, {name} is "
                f"{image.shape[1]}×{image.shape[0]}; all images must share one size"
            )
    return np.stack(images).astype(np.uint8)


def split_held_out(rows: np.ndarray, fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
    """Shuffle ``rows: (M, n)`` and keep ``round(fraction * M)`` of them aside (at least one for training).

    Returns ``(training rows, held-out rows or None)``.
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"the held-out fraction must be in [0, 1), got {fraction}")
    n_held = min(len(rows) - 1, round(fraction * len(rows)))
    if n_held < 1:
        return rows, None
    order = np.random.default_rng(seed).permutation(len(rows))
    return rows[order[n_held:]], rows[order[:n_held]]


def likelihood_every(n_visible: int, n_hidden: int) -> int:
    """How often (in epochs) to track the exact log-likelihood during training: every epoch for small models,
    rarer as its 2^min(n_visible, n_hidden) terms grow, never above ``LIVE_LIKELIHOOD_UNITS``."""
    m = min(n_visible, n_hidden)
    return 0 if m > LIVE_LIKELIHOOD_UNITS else max(1, 2 ** (m - 12))


def likelihood_problem(n_visible: int, n_hidden: int) -> str | None:
    """Why the exact log-likelihood is not tracked during training for this size, or None when it is."""
    m = min(n_visible, n_hidden)
    if m <= LIVE_LIKELIHOOD_UNITS:
        return None
    states = f"it sums over 2^{m} states of the smaller layer ({n_visible} visible, {n_hidden} hidden)"
    if m <= MAX_ENUMERATED_UNITS:
        return (
            f"exact log-likelihood not tracked during training: {states}, seconds per evaluation; "
            f"use at most {LIVE_LIKELIHOOD_UNITS} units in the smaller layer to watch it"
        )
    return f"exact log-likelihood not available: {states}; only tractable up to {MAX_ENUMERATED_UNITS} units"


def uniform_log_likelihood(n_visible: int) -> float:
    """log p(v) under the uniform model, −n_visible · ln 2: the line a trained model must rise above."""
    return -n_visible * math.log(2.0)


def clamp_mask(shape: tuple[int, int], region: str) -> np.ndarray:
    """Boolean ``(h * w,)`` mask of the units in ``region`` (one of ``CLAMP_REGIONS``) of an ``(h, w)`` image."""
    h, w = shape
    mask = np.zeros((h, w), bool)
    if region == "top":
        mask[: h // 2] = True
    elif region == "bottom":
        mask[h - h // 2 :] = True
    elif region == "left":
        mask[:, : w // 2] = True
    elif region == "right":
        mask[:, w - w // 2 :] = True
    elif region != "none":
        raise ValueError(f"unknown clamp region {region!r}; choose one of {', '.join(CLAMP_REGIONS)}")
    return mask.reshape(-1)


def completion_start(pattern: object, clamp: np.ndarray, seed: int = 0) -> np.ndarray:
    """The start of a pattern-completion chain: ``pattern`` on the clamped units, fair coin flips elsewhere."""
    row = binary_rows("pattern", pattern, None, allow_single=True)[0]
    clamp = np.asarray(clamp, bool)
    if clamp.shape != row.shape:
        raise ValueError(f"clamp has shape {clamp.shape}, expected {row.shape}")
    noise = (np.random.default_rng(seed).random(row.shape) < 0.5).astype(np.float64)
    return np.where(clamp, row, noise)


def toggle_unit(clamp: np.ndarray, unit: int) -> np.ndarray:
    """A copy of ``clamp`` with ``unit`` flipped (drawing a mask by hand)."""
    out = np.array(clamp, bool)
    out[unit] = not out[unit]
    return out


def tile(images: object, shape: tuple[int, int], columns: int | None = None, pad: int = 1) -> np.ndarray:
    """Lay ``images: (B, h * w)`` out in a grid, ``columns`` wide (near-square by default), separated by
    ``pad`` pixels of NaN (drawn as background): ``(rows * (h + pad) - pad, columns * (w + pad) - pad)``."""
    arr = as_float_array("images", images)
    h, w = shape
    if arr.ndim != 2 or arr.shape[1] != h * w:
        raise ValueError(f"images have shape {arr.shape}, expected (count, {h * w}) for {h}×{w} images")
    count = arr.shape[0]
    columns = columns or max(1, math.ceil(math.sqrt(count)))
    n_rows = max(1, math.ceil(count / columns))
    check_memory(n_rows * (h + pad) * columns * (w + pad) * 8, "the image mosaic")
    out = np.full((n_rows * (h + pad) - pad, columns * (w + pad) - pad), np.nan)
    for i, image in enumerate(arr):
        r, c = divmod(i, columns)
        out[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = image.reshape(h, w)
    return out


def filter_mosaic(W: object, shape: tuple[int, int], columns: int | None = None) -> np.ndarray:
    """Each hidden unit's receptive field ``W[:, j]`` as an ``(h, w)`` tile, scaled by its largest |weight|
    so every tile spans [−1, 1]: a mosaic as in ``tile``."""
    weights = as_float_array("W", W)
    if weights.ndim != 2:
        raise ValueError(f"W has shape {weights.shape}, expected (n_visible, n_hidden)")
    scale = np.abs(weights).max(axis=0)
    fields = weights.T / np.where(scale > 0, scale, 1.0)[:, None]
    return tile(fields, shape, columns)
