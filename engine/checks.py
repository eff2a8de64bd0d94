"""Input checks shared by every engine entry point.

Each check raises ``ValueError`` with a message that names the argument and the problem, so that a
caller (a script, or the app showing it in a dialog) can pass it on to a person unchanged.
"""

from __future__ import annotations

import numpy as np

#: Largest record (trace, state history, ...) the engine will allocate, in bytes. Changeable at run time.
MEMORY_CAP_BYTES = 2 * 1024**3


def format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_memory(nbytes: int, what: str, cap: int | None = None) -> None:
    """Refuse an allocation of ``nbytes`` for ``what`` when it exceeds the cap."""
    cap = MEMORY_CAP_BYTES if cap is None else cap
    if nbytes > cap:
        raise ValueError(
            f"{what} would need {format_bytes(nbytes)}, more than the memory cap of {format_bytes(cap)}; "
            "use shorter sequences, a smaller batch or model, or raise engine.checks.MEMORY_CAP_BYTES"
        )


def as_numeric_array(name: str, a: object) -> np.ndarray:
    """``a`` as an array of booleans, integers or reals, refusing anything else (strings, objects, complex)."""
    try:
        arr = np.asarray(a)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} is not an array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers, not {arr.dtype}")
    return arr


def as_float_array(name: str, a: object, dtype: np.dtype | type | None = None) -> np.ndarray:
    """``a`` as a floating-point array (float32 or float64), refusing non-numeric or non-finite data."""
    arr = as_numeric_array(name, a)
    if dtype is not None:
        if arr.dtype.kind == "f" and arr.dtype != np.dtype(dtype):
            raise ValueError(f"{name} has dtype {arr.dtype}, but the model's parameters are {np.dtype(dtype)}")
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    require_finite(name, arr)
    return arr


def require_finite(name: str, arr: np.ndarray) -> None:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} holds NaN or Inf (first at index {tuple(int(i) for i in bad)})")


def require_shape(name: str, arr: np.ndarray, shape: tuple[int | None, ...]) -> None:
    """Check ``arr.shape`` against ``shape``, where ``None`` matches any length."""
    ok = arr.ndim == len(shape) and all(s is None or s == d for s, d in zip(shape, arr.shape, strict=True))
    if not ok:
        want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} has shape {arr.shape}, expected {want}")


def optional_vector(name: str, value: object, n: int) -> np.ndarray:
    """``value`` as an (n,) float64 vector of finite numbers; None means all zero."""
    if value is None:
        return np.zeros(n)
    vector = as_float_array(name, value).astype(np.float64)
    require_shape(name, vector, (n,))
    return vector


def generator_from_state(state: object) -> np.random.Generator:
    """A generator in exactly the state ``rng.bit_generator.state`` recorded (PCG64 only)."""
    rng = np.random.default_rng()
    if not isinstance(state, dict) or state.get("bit_generator") != "PCG64":
        raise ValueError("the random generator's state is not a PCG64 state")
    try:
        rng.bit_generator.state = state
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise ValueError(f"the random generator's state is damaged ({exc})") from None
    return rng
