"""Checking the RBM lab's state on its way back from a session file: the settings within the ranges the lab
offers, the model, the training history, the sample chains and the Gibbs trace, each of the right shape and
finite. Qt-free, so that what an RBM session may hold is testable without a window; every problem is a
ValueError naming it."""

from __future__ import annotations

import math

import numpy as np

from app.sessions.state import prefixed, refuse_unknown, required
from engine import rbm
from engine.rbm.data import MAX_IMAGE_UNITS

#: The ranges the settings form offers; a session file may hold nothing outside them.
SETTING_RANGES = {"rows": (2, 8), "cols": (2, 8), "glyph_size": (5, 16), "n_hidden": (1, 400), "k": (1, 50),
                  "batch_size": (1, 1000), "seed": (0, 1_000_000), "lr": (0.0, 5.0), "momentum": (0.0, 0.99),
                  "weight_decay": (0.0, 0.1), "held_out": (0.0, 0.5)}  # fmt: skip
MAX_GLYPH_TEXT = 100
MAX_CHAIN_STEPS = 500
MAX_USER_IMAGES = 100_000
HISTORY_SERIES = ("reconstruction_error", "log_likelihood", "free_energy", "validation_free_energy")
ALWAYS_FINITE = ("reconstruction_error", "free_energy")  # the others are NaN where not measured
TRACE_LAYERS = ("visible", "hidden", "visible_prob", "hidden_prob")


def check_ranges(settings: object) -> None:
    """Every numeric setting within ``SETTING_RANGES`` (NaN is in none); the glyph text not too long."""
    for name, (low, high) in SETTING_RANGES.items():
        v = getattr(settings, name)
        if not low <= v <= high:
            raise ValueError(f"the setting {name} must be from {low} to {high}, not {v!r}")
    if len(settings.glyph_text) > MAX_GLYPH_TEXT:
        raise ValueError(f"the characters to learn are more than {MAX_GLYPH_TEXT}")


def binary(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    """The array ``name`` of 0s and 1s with ``shape``, as float64."""
    a = required(arrays, name, len(shape), "biuf")
    if a.shape != shape:
        raise ValueError(f"the array {name!r} must have shape {shape}, not {a.shape}")
    a = a.astype(np.float64)
    if not ((a == 0) | (a == 1)).all():
        raise ValueError(f"the array {name!r} must hold only 0 and 1")
    return a


def probabilities(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    """The array ``name`` of numbers in [0, 1] with ``shape``, as float64."""
    a = required(arrays, name, len(shape), "f")
    if a.shape != shape:
        raise ValueError(f"the array {name!r} must have shape {shape}, not {a.shape}")
    if not (np.isfinite(a).all() and (a >= 0).all() and (a <= 1).all()):
        raise ValueError(f"the array {name!r} must hold probabilities in [0, 1]")
    return a.astype(np.float64)


def user_images(arrays: dict[str, np.ndarray], shape: object, source: object) -> tuple[np.ndarray, tuple, str]:
    """The user's images as the session keeps them: (rows (M, h·w) uint8, (h, w), where they came from)."""
    if not (isinstance(shape, list) and len(shape) == 2 and all(type(v) is int and v >= 1 for v in shape)):
        raise ValueError(f"the user's image shape must be [height, width], not {shape!r}")
    if math.prod(shape) > MAX_IMAGE_UNITS:
        raise ValueError(f"the user's images have {math.prod(shape)} pixels; the lab takes up to {MAX_IMAGE_UNITS}")
    if not isinstance(source, str):
        raise ValueError("the user's images need the name of where they came from")
    images = required(arrays, "user/images", 2, "biuf")
    if not 1 <= len(images) <= MAX_USER_IMAGES or images.shape[1] != math.prod(shape):
        raise ValueError(f"the user's images must be (1 to {MAX_USER_IMAGES}, {math.prod(shape)}), not {images.shape}")
    rows = binary(arrays, "user/images", images.shape).astype(np.uint8)
    return rows, (shape[0], shape[1]), source


def model(arrays: dict[str, np.ndarray], n_visible: int, n_hidden: int) -> rbm.RBM:
    """The model's weights and biases, finite, of the sizes the settings and data give."""
    refuse_unknown(prefixed(arrays, "model/"), ("W", "b_visible", "b_hidden"), "model")
    shapes = {"W": (n_visible, n_hidden), "b_visible": (n_visible,), "b_hidden": (n_hidden,)}
    params = {}
    for name, shape in shapes.items():
        a = required(arrays, f"model/{name}", len(shape), "f")
        if a.shape != shape or not np.isfinite(a).all():
            raise ValueError(f"the model's {name} must be finite numbers of shape {shape}; got {a.shape}")
        params[name] = np.ascontiguousarray(a, np.float64)
    return rbm.RBM(**params)


def history(arrays: dict[str, np.ndarray]) -> rbm.History:
    """The training record: four series of one length, reconstruction error and free energy finite."""
    series = prefixed(arrays, "history/")
    refuse_unknown(series, HISTORY_SERIES, "training history")
    values = {name: required(arrays, f"history/{name}", 1, "f").astype(np.float64) for name in HISTORY_SERIES}
    if len({len(v) for v in values.values()}) != 1:
        raise ValueError("the training history's series differ in length")
    if any(np.isinf(v).any() for v in values.values()) or not all(np.isfinite(values[n]).all() for n in ALWAYS_FINITE):
        raise ValueError("the training history holds infinite or missing values")
    return rbm.History(**values)


def trace(arrays: dict[str, np.ndarray], steps: int, n_visible: int, n_hidden: int) -> rbm.GibbsTrace:
    """The Gibbs chain on show: samples of 0/1 and probabilities in [0, 1], ``steps + 1`` of each layer."""
    refuse_unknown(prefixed(arrays, "trace/"), (*TRACE_LAYERS, "clamp"), "Gibbs trace")
    width = {"visible": n_visible, "hidden": n_hidden, "visible_prob": n_visible, "hidden_prob": n_hidden}
    layers = {name: (binary if name in ("visible", "hidden") else probabilities)(
        arrays, f"trace/{name}", (steps + 1, width[name])) for name in TRACE_LAYERS}  # fmt: skip
    return rbm.GibbsTrace(**layers)


def mask(arrays: dict[str, np.ndarray], name: str, n_visible: int) -> np.ndarray:
    """A boolean mask (n_visible,) of clamped units."""
    a = required(arrays, name, 1, "b")
    if a.shape != (n_visible,):
        raise ValueError(f"the mask {name!r} must have {n_visible} entries, not {a.shape}")
    return a.copy()
