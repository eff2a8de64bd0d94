"""Two halves of a batch at once, on two cores: ``both(first, second)`` runs ``first()`` here while ``second()``
runs in a worker thread. Both must release the GIL for this to pay (BLAS products, NumPy's element-wise loops on
large arrays, Numba's ``nogil`` kernels), and each must write only its own rows of arrays they share.

The recurrent layers (``layers.py``) and the output head (``head.py``) split their work this way."""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor, wait

_pool: ThreadPoolExecutor | None = None


@functools.cache
def two_cores() -> bool:
    return (os.cpu_count() or 1) >= 2  # asked once: a question to the system at every layer of every step


def both(first, second):
    """first() here while second() runs in a worker thread; returns both results."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(1, thread_name_prefix="recurrent-half")
    other = _pool.submit(second)
    try:
        result = first()
    finally:
        wait([other])  # never leave while the other half still writes into shared arrays
    return result, other.result()
