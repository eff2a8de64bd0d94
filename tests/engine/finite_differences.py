"""Central finite differences in float64, the gradient check every engine test holds its backward passes to."""

import numpy as np

EPS = 1e-6


def numeric_gradient(f, arr: np.ndarray, eps: float = EPS) -> np.ndarray:
    """d f() / d arr by central differences, perturbing ``arr`` in place one entry at a time (restored after)."""
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + eps
        up = f()
        arr[idx] = old - eps
        down = f()
        arr[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad
