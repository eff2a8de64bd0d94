"""The RBM lab's session state, version 2, and the checks it passes on its way back from a file. Qt-free, so
that what an RBM session may hold is testable without a window; every problem is a ValueError naming it.

Sections (JSON): ``settings`` (``RBMSettings``), ``data`` (source, image shape, the user's images' shape and
source), ``trainer`` (``RBMTrainer.checkpoint()``'s values: settings, generator, snapshot epochs), ``chain``
(the Gibbs chain's start pattern, steps and noise); the panel adds ``panel``. Arrays: ``data/rows``,
``data/held_out``, ``user/images``, the trainer's (``model/*``, ``velocity/*``, ``persistent_chains``,
``history/*``), ``gallery/chains``, ``gallery/prob``, ``clamp``, ``trace/*``.

Version 1 (before the trainer owned its state) kept ``source``, ``image_shape``, ``user_images`` and
``chunks`` (training runs so far, which seeded the next) at the top, and no momentum or persistent chains:
``migrate_v1`` turns it into version 2 with ``trainer: {"restart_seed": ...}``, and training goes on as that
version's next run would have: momentum from zero, chains from the data, the generator from that seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.sessions import settings as declared
from app.sessions.settings import setting
from app.sessions.state import integer, prefixed, refuse_unknown, required, value
from engine import rbm
from engine.checks import check_memory
from engine.rbm import data
from engine.rbm.data import MAX_IMAGE_UNITS
from engine.rbm.history import SERIES

if TYPE_CHECKING:
    from app.sessions.rbm import RBMSession

VERSION = 2
SECTIONS = ("settings", "data", "trainer", "chain")
MAX_GLYPH_TEXT = 100
MAX_CHAIN_STEPS = 500
MAX_USER_IMAGES = 100_000
ALWAYS_FINITE = ("reconstruction_error", "free_energy")  # the others are NaN where not measured
TRACE_LAYERS = ("visible", "hidden", "visible_prob", "hidden_prob")
SESSION_ARRAYS = ("data/rows", "data/held_out", "user/images", "gallery/chains", "gallery/prob", "clamp")
TRAINER_GROUPS = ("model/", "velocity/", "history/")
TRAINER_ARRAYS = ("persistent_chains", "snapshots")
GALLERY_CHAINS = 16  # persistent sample chains shown in the gallery
DATASETS = ("bars", "glyphs", "file")


@dataclass(frozen=True)
class RBMSettings:
    dataset: str = setting("bars", choices=DATASETS)  # bars-and-stripes, built-in glyphs, or the user's file
    rows: int = setting(4, 2, 8)
    cols: int = setting(4, 2, 8)
    glyph_text: str = "0123456789"
    glyph_size: int = setting(7, 5, 16)
    n_hidden: int = setting(16, 1, 400)
    lr: float = setting(0.05, 0.0, 5.0)
    k: int = setting(1, 1, 50)
    persistent: bool = False
    momentum: float = setting(0.9, 0.0, 0.99)
    weight_decay: float = setting(0.0, 0.0, 0.1)
    batch_size: int = setting(10, 1, 1000)
    seed: int = setting(0, 0, 1_000_000)
    held_out: float = setting(0.2, 0.0, 0.5)  # fraction of the patterns kept aside for the held-out free energy


def training_options(settings: RBMSettings, rows: np.ndarray) -> dict[str, object]:
    """The trainer's settings (``rbm.TrainingConfig``) for ``settings`` on training ``rows``."""
    s = settings
    return {"lr": s.lr, "k": s.k, "persistent": s.persistent, "batch_size": min(s.batch_size, len(rows)),
            "momentum": s.momentum, "weight_decay": s.weight_decay,
            "log_likelihood_every": data.likelihood_every(rows.shape[1], s.n_hidden)}  # fmt: skip


def training_seed(settings: RBMSettings) -> int:
    """The trainer's generator seed: apart from the weights' seed, and what the first training run of earlier
    versions used, so that training from a fresh model goes as it did."""
    return settings.seed * 1000 + 1


@dataclass(frozen=True)
class Built:
    """The data a choice of settings makes (``held_out`` None when nothing is kept aside)."""

    settings: RBMSettings
    rows: np.ndarray
    held_out: np.ndarray | None
    image_shape: tuple[int, int]
    source: str


def check_settings(settings: object) -> None:
    """Every setting within its declared range or choices; the glyph text not too long."""
    declared.check_settings(settings)
    if len(settings.glyph_text) > MAX_GLYPH_TEXT:
        raise ValueError(f"the characters to learn are more than {MAX_GLYPH_TEXT}")


def migrate_v1(state: dict) -> dict:
    """A version-1 state in version 2's sections (values are checked by ``load``, as for any file)."""
    old = dict(state)
    settings = old.pop("settings", None)
    chunks = old.pop("chunks", None)
    seed = settings.get("seed", 0) if isinstance(settings, dict) else 0
    runs_seed = seed * 1000 + chunks + 1 if type(chunks) is int and type(seed) is int and chunks >= 0 else None
    migrated = {"settings": settings,
                "data": {k: old.pop(k, None) for k in ("source", "image_shape", "user_images")},
                "trainer": {"restart_seed": runs_seed}, "chain": old.pop("chain", None)}  # fmt: skip
    return {**old, **migrated}  # anything else stays, for the checks to name


def save(session: RBMSession) -> tuple[dict, dict[str, np.ndarray]]:
    f = session.frame
    trainer_state, trainer_arrays = f.checkpoint
    user = None
    arrays = {"data/rows": session.rows, **trainer_arrays, "gallery/chains": f.chains, "gallery/prob": f.gallery,
              "clamp": session.clamp, "trace/clamp": session.trace_clamp,
              **{f"trace/{n}": getattr(session.trace, n) for n in TRACE_LAYERS}}  # fmt: skip
    if session.held_out is not None:
        arrays["data/held_out"] = session.held_out
    if session._user_images is not None:
        images, shape, source = session._user_images
        user = {"shape": list(shape), "source": source}
        arrays["user/images"] = images
    chain = {"pattern": session.chain_pattern, "steps": session.chain_steps, "noise": session.chain_noise}
    state = {"settings": declared.settings_to_json(session.settings),
             "data": {"source": session.source, "image_shape": list(session.image_shape), "user_images": user},
             "trainer": trainer_state, "chain": chain}  # fmt: skip
    return state, arrays


@dataclass(frozen=True)
class Restored:
    """Everything a session file gives, checked, for the session to take at once."""

    user_images: tuple[np.ndarray, tuple[int, int], str] | None
    built: Built
    trainer: rbm.RBMTrainer
    gallery: np.ndarray
    shown: np.ndarray
    clamp: np.ndarray
    chain: tuple[int, int, bool]
    trace: rbm.GibbsTrace
    trace_clamp: np.ndarray


def load(session: RBMSession, state: dict, arrays: dict[str, np.ndarray]) -> Restored:
    """The file's state checked against what its settings make, without changing ``session``."""
    refuse_unknown(state, SECTIONS, "RBM session")
    _refuse_unknown_arrays(arrays)
    settings = declared.settings_from_json(RBMSettings, state.get("settings"))
    check_settings(settings)
    section = value(state, "data", dict, "the data section")
    refuse_unknown(section, ("source", "image_shape", "user_images"), "data section")
    user = section.get("user_images")
    if user is not None:
        refuse_unknown(value(section, "user_images", dict, "the user's images"), ("shape", "source"), "user images")
        user = user_images(arrays, user.get("shape"), user.get("source"))
    if settings.dataset == "file" and user is None:
        raise ValueError("a session on the user's own images needs those images, which the file lacks")
    built = session._build(settings, user)
    _check_data(built, section, arrays)
    nv, nh = built.rows.shape[1], settings.n_hidden
    trainer = _trainer(built, value(state, "trainer", dict, "the trainer section"), arrays)
    chain = value(state, "chain", dict, "the Gibbs chain's settings")
    refuse_unknown(chain, ("pattern", "steps", "noise"), "Gibbs chain's settings")
    steps = integer(chain, "steps", 1, MAX_CHAIN_STEPS, "the chain's steps")
    chain_values = (integer(chain, "pattern", 0, len(built.rows) - 1, "the chain's start pattern"), steps,
                    value(chain, "noise", bool, "the chain's noise choice"))  # fmt: skip
    return Restored(user, built, trainer, binary(arrays, "gallery/chains", (GALLERY_CHAINS, nv)),
                    probabilities(arrays, "gallery/prob", (GALLERY_CHAINS, nv)), mask(arrays, "clamp", nv),
                    chain_values, trace(arrays, steps, nv, nh), mask(arrays, "trace/clamp", nv))  # fmt: skip


def _refuse_unknown_arrays(arrays: dict[str, np.ndarray]) -> None:
    """Arrays the session knows, or the trainer's (which its restore checks by name)."""
    for name in arrays:
        known = (name in SESSION_ARRAYS or name.startswith(TRAINER_GROUPS) or name in TRAINER_ARRAYS
                 or name.startswith("trace/"))  # fmt: skip
        if not known:
            raise ValueError(f"the RBM session's arrays has an unknown entry {name!r}")


def _trainer(built: Built, section: dict, arrays: dict[str, np.ndarray]) -> rbm.RBMTrainer:
    """A trainer in the file's state, whose training settings must be those of the session's settings."""
    s, rows = built.settings, built.rows
    options = training_options(s, rows)
    saved = {k: v for k, v in arrays.items() if k.startswith(TRAINER_GROUPS) or k in TRAINER_ARRAYS}
    if set(section) == {"restart_seed"}:  # a version-1 file: no momentum, chains or generator were saved
        seed = integer(section, "restart_seed", 0, 2**62, "the count of training runs")
        refuse_unknown(saved, {f"model/{p}" for p in ("W", "b_visible", "b_hidden")} | {f"history/{n}" for n in SERIES},
                       "version-1 session's arrays")  # fmt: skip
        trainer = rbm.RBMTrainer(model(arrays, rows.shape[1], s.n_hidden), rows, validation=built.held_out,
                                 seed=seed, **options)  # fmt: skip
        trainer.history = history(arrays)
        return trainer
    placeholder = rbm.RBM(np.zeros((rows.shape[1], s.n_hidden)), np.zeros(rows.shape[1]), np.zeros(s.n_hidden))
    trainer = rbm.RBMTrainer(placeholder, rows, validation=built.held_out, seed=training_seed(s), **options)
    expected = trainer.config
    trainer.restore(section, saved)
    if trainer.config != expected:
        raise ValueError("the trainer's settings in the file are not those its session settings give")
    return trainer


def _check_data(built: Built, section: dict, arrays: dict[str, np.ndarray]) -> None:
    """The file's data, image shape and source must be those its settings make."""
    for name, rows in (("data/rows", built.rows), ("data/held_out", built.held_out)):
        saved = arrays.get(name)
        if (saved is None) != (rows is None) or (
            saved is not None and not (saved.shape == rows.shape and np.array_equal(saved, rows))
        ):
            raise ValueError(f"the file's {name} are not the data its settings make")
    if section.get("image_shape") != list(built.image_shape) or section.get("source") != built.source:
        raise ValueError("the file's image shape or data source do not match its settings")


def binary(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    """The array ``name`` of 0s and 1s with ``shape``, as float64."""
    a = required(arrays, name, len(shape), "biuf")
    if a.shape != shape:
        raise ValueError(f"the array {name!r} must have shape {shape}, not {a.shape}")
    check_memory(a.size * 8, f"the array {name!r} as numbers")
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
    refuse_unknown(series, SERIES, "training history")
    values = {name: required(arrays, f"history/{name}", 1, "f").astype(np.float64) for name in SERIES}
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
