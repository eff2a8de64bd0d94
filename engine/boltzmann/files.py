"""A machine from a file: an ``.npz`` with ``mask`` (n, n) of 0/1, ``data`` (M, V) of 0/1 and ``visible`` (V,)
unit numbers; ``W`` (n, n) and ``b`` (n,) are optional (0 when absent). Every problem is a ValueError naming it."""

from __future__ import annotations

import os

import numpy as np

from engine import io
from engine.boltzmann.model import BoltzmannMachine, check_data, check_mask

NAMES = ("mask", "data", "visible", "W", "b")


def machine_from_arrays(arrays: dict[str, np.ndarray]) -> tuple[BoltzmannMachine, np.ndarray, np.ndarray]:
    unknown = sorted(set(arrays) - set(NAMES))
    if unknown:
        raise ValueError(f"unknown array {unknown[0]!r} in the machine file; it may hold {', '.join(NAMES)}")
    missing = [name for name in ("mask", "data", "visible") if name not in arrays]
    if missing:
        raise ValueError(f"the machine file lacks {', '.join(missing)} (it needs mask, data and visible)")
    mask = check_mask(arrays["mask"])
    n = len(mask)
    bm = BoltzmannMachine(arrays.get("W", np.zeros((n, n))), arrays.get("b", np.zeros(n)), mask)
    data, visible = check_data(arrays["data"], arrays["visible"], n)
    return bm, data, visible


def load_machine(path: str | os.PathLike) -> tuple[BoltzmannMachine, np.ndarray, np.ndarray]:
    return machine_from_arrays(io.load_arrays(path))
