"""Turning a lab's state into JSON values and arrays for a session file, and checking it on the way back.

Qt-free, so that what a session file may hold is testable without a window."""

from __future__ import annotations

import numpy as np

from engine.checks import generator_from_state


def prefixed(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """The arrays whose names start with ``prefix``, under the rest of their names."""
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}


def with_prefix(prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{prefix}{k}": v for k, v in arrays.items()}


def required(arrays: dict[str, np.ndarray], name: str, ndim: int, kinds: str = "biuf") -> np.ndarray:
    """The array ``name``, which must exist, have ``ndim`` dimensions and hold numbers of ``kinds``."""
    if name not in arrays:
        raise ValueError(f"the array {name!r} is missing")
    a = arrays[name]
    if a.ndim != ndim or a.dtype.kind not in kinds:
        raise ValueError(f"the array {name!r} must be {ndim}-dimensional numbers, not {a.dtype} of shape {a.shape}")
    return a


def value(state: dict, name: str, kind: type | tuple[type, ...], what: str = "") -> object:
    """``state[name]``, which must be of ``kind`` (a bool is not taken for an int)."""
    v = state.get(name)
    if not isinstance(v, kind) or (isinstance(v, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ValueError(f"{what or name} must be {names}, not {v!r}")
    return v


def rng_from_json(state: object) -> np.random.Generator:
    """A generator in exactly the state ``rng.bit_generator.state`` recorded (PCG64 only)."""
    return generator_from_state(state)


def integer(state: dict, name: str, low: int, high: int, what: str = "") -> int:
    """``state[name]``, a whole number in [low, high] (a bool is not one)."""
    v = state.get(name)
    if type(v) is not int or not low <= v <= high:
        raise ValueError(f"{what or name} must be a whole number from {low} to {high}, not {v!r}")
    return v


def choice(state: dict, name: str, choices: tuple[str, ...], what: str = "") -> str:
    """``state[name]``, one of ``choices``."""
    v = state.get(name)
    if not isinstance(v, str) or v not in choices:
        raise ValueError(f"{what or name} must be one of {', '.join(choices)}, not {v!r}")
    return v


def refuse_unknown(names: object, known: set[str] | tuple[str, ...], what: str) -> None:
    """A ValueError naming the first of ``names`` that is not ``known`` (a file from elsewhere, or damaged)."""
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValueError(f"the {what} has an unknown entry {unknown[0]!r}")
