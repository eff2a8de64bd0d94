"""Traces as files for other tools: every array to ``.npz``, or one long table to CSV.

Each family says what its trace becomes, as a ``TraceFormat`` (arrays for ``.npz``, a table for CSV) in its own
``export`` module (``engine/recurrent/export.py``, ``engine/hopfield/export.py``, ``engine/rbm/export.py``);
this module only writes them, and knows no family.

Every write is atomic (``engine.io.replacing``): a temporary file beside the target, renamed over it when complete.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from engine.io import replacing, save_arrays  # the one atomic writer; app.export writes pictures through it too

TRACE_SUFFIXES = (".npz", ".csv")
Table = tuple[list[str], list[np.ndarray]]  # a header and one equally long column per name


class TraceFormat(NamedTuple):
    """How one family's trace is written: ``arrays(trace)`` name → array for ``.npz``, ``table(trace)`` for CSV."""

    arrays: Callable[[object], dict[str, np.ndarray]]
    table: Callable[[object], Table]


def check_target(path: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """``path`` as a Path, after checking its suffix is one of ``suffixes`` and its folder exists."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise ValueError(f"{path.name}: cannot write {suffix or 'a file without a suffix'}; use {', '.join(suffixes)}")
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise ValueError(f"cannot write {path.name}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise ValueError(f"cannot write {path.name}: the folder {parent} is not writable")
    return path


def _formatted(column: np.ndarray) -> np.ndarray:
    """Strings for one column: integers as such, floats as the shortest text that reads back the same."""
    if column.dtype.kind in "biu":
        return column.astype(np.int64).astype(str)
    return column.astype(str)  # NumPy writes floats with the shortest round-trip digits of their precision


def write_csv(path: str | os.PathLike, header: list[str], columns: list[np.ndarray]) -> None:
    """A CSV with ``header`` then one row per entry of the (equally long) ``columns``, written atomically."""
    path = check_target(path, (".csv",))
    text = [_formatted(np.asarray(c)) for c in columns]
    with replacing(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(zip(*text, strict=True))


def save_trace(path: str | os.PathLike, trace: object, form: TraceFormat) -> Path:
    """Write ``trace`` to ``path``: ``.npz`` (every array) or ``.csv`` (one long table), in the lab's ``form``.
    Returns the path."""
    path = check_target(path, TRACE_SUFFIXES)
    if path.suffix.lower() == ".npz":
        save_arrays(path, form.arrays(trace))
    else:
        write_csv(path, *form.table(trace))
    return path
