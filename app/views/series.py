"""Long records drawn at the resolution a screen has: a curve of a class-long training run keeps every step in
the session, but pyqtgraph would keep copies of all of them for drawing (its display arrays, their logarithms, the
path), growing with every step for as long as the class runs."""

from __future__ import annotations

import numpy as np

MOST_POINTS = 2000  # more than a plot is pixels wide


def thinned(x: np.ndarray, y: np.ndarray, most: int = MOST_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """``x, y`` with at most about ``most`` points: every k-th, and always the last (the newest value); views of
    the arrays, not copies."""
    n = len(x)
    if n <= most:
        return x, y
    every = -(-n // most)
    last = (n - 1) % every  # the first point taken, so that the newest one is among them
    return x[last::every], y[last::every]
