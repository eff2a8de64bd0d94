"""BLAS's threads, for the whole process: one thread while work is made of many small products."""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager

_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter = None


@contextmanager
def one_blas_thread():
    """BLAS in the calling thread only, for work made of many small products (two halves of a batch, decoding one
    character at a time, attention's products): woken for each, BLAS threads cost more than they save, and on a
    busy machine far more (a 1 × 256 by 256 × 3000 product 40 times slower; a 64 × 576 by 576 × 128 product 1.3 ms
    in one thread, 106 ms in two). The limit is for the whole process, so it is counted: overlapping calls from
    other threads set it once and restore it once."""
    global _blas_users, _blas_limiter
    with _blas_lock:
        if _blas_users == 0:
            _blas_limiter = _blas_controller().limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limiter.restore_original_limits()


@functools.cache
def _blas_controller():
    """Found once (1 ms; then setting a limit takes microseconds), after the BLAS that Numba calls is loaded."""
    import scipy.linalg.cython_blas  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
