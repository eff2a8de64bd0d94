"""Reading and writing files: the only module of the engine that touches the disk.

Nothing is ever unpickled (``allow_pickle=False``); sizes are checked before data is read whole; every
problem is a ``ValueError`` that names the file and what is wrong with it; writes go to a temporary file
that is renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.checks import format_bytes, require_finite

MAX_FILE_BYTES = 512 * 1024**2
MAX_TEXT_BYTES = 16 * 1024**2


@dataclass
class Sequence:
    """x: (T, features); targets: (T,) class indices, (T, K) values, or None; labels: one per step."""

    x: np.ndarray
    targets: np.ndarray | None
    labels: list[str]


def _checked_size(path: Path, limit: int) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot be read ({exc.strerror})") from None
    if size > limit:
        raise ValueError(f"{path.name} is {format_bytes(size)}, more than the {format_bytes(limit)} this reads")
    if size == 0:
        raise ValueError(f"{path.name} is empty")
    return size


def _load_npy(path: Path) -> np.ndarray:
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"{path.name} is not a readable .npy array ({exc})") from None
    if not isinstance(arr, np.ndarray):
        raise ValueError(f"{path.name} is an archive, not a single .npy array")
    return arr


def load_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` archive (no pickles), after checking sizes and types."""
    path = Path(path)
    _checked_size(path, MAX_FILE_BYTES)
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
            if unpacked > 4 * MAX_FILE_BYTES:
                raise ValueError(f"{path.name} would unpack to {format_bytes(unpacked)}; refused")
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise ValueError(f"{path.name} is not a readable .npz archive ({exc})") from None
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    for name, arr in arrays.items():
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"{path.name}: array {name!r} holds {arr.dtype}, not numbers")
    return arrays


def read_text(path: str | os.PathLike) -> str:
    """A UTF-8 text file (any script), refusing other encodings with a message."""
    path = Path(path)
    _checked_size(path, MAX_TEXT_BYTES)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path.name} is not UTF-8 text (byte {exc.start} cannot be decoded)") from None


def _read_csv(path: Path) -> np.ndarray:
    _checked_size(path, MAX_FILE_BYTES)
    rows = []
    text = read_text(path)
    for k, row in enumerate(csv.reader(io.StringIO(text))):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            rows.append([float(cell) for cell in row])
        except ValueError:
            if k == 0 and not rows:
                continue  # a header line
            raise ValueError(f"{path.name}, line {k + 1}: not all values are numbers") from None
    if not rows:
        raise ValueError(f"{path.name} holds no numbers")
    if len({len(r) for r in rows}) > 1:
        raise ValueError(f"{path.name}: rows have different numbers of columns")
    return np.array(rows)


def read_sequence(path: str | os.PathLike) -> Sequence:
    """A sequence of vectors from ``.csv`` (one step per row), ``.npy`` (T,) or (T, F), or ``.npz`` with
    ``x`` (T, F) and optional ``targets`` (T,) or (T, K)."""
    path = Path(path)
    suffix = path.suffix.lower()
    targets = None
    if suffix == ".csv":
        x = _read_csv(path)
    elif suffix == ".npy":
        _checked_size(path, MAX_FILE_BYTES)
        x = _load_npy(path)
    elif suffix == ".npz":
        arrays = load_arrays(path)
        if "x" not in arrays:
            raise ValueError(f"{path.name} has no array named 'x' (found: {', '.join(arrays) or 'none'})")
        x, targets = arrays["x"], arrays.get("targets")
    else:
        raise ValueError(f"{path.name}: sequences are read from .csv, .npy or .npz files")
    x = _as_steps(path.name, x)
    if targets is not None and (targets.shape[:1] != x.shape[:1] or targets.ndim > 2):
        raise ValueError(
            f"{path.name}: targets have shape {targets.shape}, expected ({x.shape[0]},) or ({x.shape[0]}, K)"
        )
    return Sequence(x, targets, [str(k) for k in range(x.shape[0])])


def _as_steps(name: str, x: np.ndarray) -> np.ndarray:
    if x.dtype.kind not in "biuf":
        raise ValueError(f"{name} holds {x.dtype}, not numbers")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(f"{name}: a sequence must be (steps,) or (steps, features), not {x.shape}")
    x = x.astype(np.float64)
    require_finite(name, x)
    return x


def save_arrays(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    """Write an ``.npz`` atomically: to a temporary file beside ``path``, then renamed over it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
