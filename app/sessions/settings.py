"""Settings declared once: each field of a lab's frozen settings dataclass says its default and the values it may
take, and both the settings form (spin-box limits, combo-box entries) and the restore of a session file read
them from there.

    @dataclass(frozen=True)
    class RBMSettings:
        n_hidden: int = setting(16, 1, 400)
        dataset: str = setting("bars", choices=("bars", "glyphs", "file"))

Qt-free, so that what a session file may hold is testable without a window.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, Field, field, fields, make_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def setting(default: Any, low: float | None = None, high: float | None = None, *,
            choices: tuple | None = None) -> Any:  # fmt: skip
    """A settings field: its default, and either an inclusive range [low, high] or the values it may take."""
    if (low is None) != (high is None):
        raise ValueError("a setting's range needs both ends")
    metadata = {}
    if low is not None:
        metadata["range"] = (low, high)
    if choices is not None:
        metadata["choices"] = tuple(choices)
    return field(default=default, metadata=metadata)


def _field(cls: type, name: str) -> Field:
    for f in fields(cls):
        if f.name == name:
            return f
    raise ValueError(f"{cls.__name__} has no setting {name!r}")


def limits(cls: type, name: str) -> tuple:
    """(low, high) of setting ``name``: what a spin box offers."""
    bounds = _field(cls, name).metadata.get("range")
    if bounds is None:
        raise ValueError(f"the setting {name} has no range")
    return bounds


def choices(cls: type, name: str) -> tuple:
    """The values setting ``name`` may take: what a combo box offers."""
    values = _field(cls, name).metadata.get("choices")
    if values is None:
        raise ValueError(f"the setting {name} has no list of choices")
    return values


def check_settings(settings: object) -> None:
    """A ValueError naming the first setting outside its declared range (NaN is in none) or choices."""
    for f in fields(settings):
        v = getattr(settings, f.name)
        bounds, allowed = f.metadata.get("range"), f.metadata.get("choices")
        if bounds is not None and not (
            isinstance(v, (int, float)) and not math.isnan(v) and bounds[0] <= v <= bounds[1]
        ):
            raise ValueError(f"the setting {f.name} must be from {bounds[0]} to {bounds[1]}, not {v!r}")
        if allowed is not None and v not in allowed:
            raise ValueError(f"the setting {f.name} must be one of {', '.join(map(str, allowed))}, not {v!r}")


def settings_to_json(settings: object) -> dict:
    return {f.name: getattr(settings, f.name) for f in fields(settings)}


def settings_from_json(cls: type[T], data: object, what: str = "settings") -> T:
    """``cls(**data)`` for a frozen settings dataclass whose fields all have plain defaults: each value checked
    against its default's type and its declared range or choices; fields the file lacks keep their defaults
    (files from older versions)."""
    if not isinstance(data, dict):
        raise ValueError(f"the {what} must be a mapping of names to values")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(map(str, unknown))}")
    values = {}
    for name, value in data.items():
        default = known[name].default
        kind = type(default) if default is not MISSING else object
        ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise ValueError(f"{what}: {name} must be {kind.__name__}, not {value!r}")
        values[name] = value
    settings = cls(**values)
    try:
        check_settings(settings)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None
    return settings


def joined_settings(name: str, first: type, second: type, renamed: dict[str, str] | None = None) -> type:
    """One flat frozen settings class holding ``first``'s fields and then ``second``'s (those named in
    ``renamed`` under their new names): what a lesson step sets in a lab whose model and whose way of showing it
    are two settings classes. ``split`` takes an instance apart again, ``join`` puts one together."""
    renamed = renamed or {}
    columns = [(renamed.get(f.name, f.name) if cls is second else f.name, f.type,
                field(default=f.default, metadata=f.metadata))
               for cls in (first, second) for f in fields(cls)]  # fmt: skip
    names = [c[0] for c in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"{first.__name__} and {second.__name__} share a setting's name: rename it")
    return make_dataclass(name, columns, frozen=True,
                          namespace={"parts": (first, second), "renamed": renamed})  # fmt: skip


def join(cls: type[T], first: object, second: object) -> T:
    """An instance of ``cls`` (made by ``joined_settings``) from instances of its two parts."""
    values = {f.name: getattr(first, f.name) for f in fields(first)}
    values.update({cls.renamed.get(f.name, f.name): getattr(second, f.name) for f in fields(second)})
    return cls(**values)


def split(settings: object) -> tuple[Any, Any]:
    """(first, second) of a ``joined_settings`` instance."""
    first, second = type(settings).parts
    renamed = type(settings).renamed
    return (first(**{f.name: getattr(settings, f.name) for f in fields(first)}),
            second(**{f.name: getattr(settings, renamed.get(f.name, f.name)) for f in fields(second)}))  # fmt: skip
