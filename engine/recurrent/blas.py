"""NumPy's BLAS for the step products inside the kernels, where NumPy's is an OpenBLAS.

Numba's ``np.dot`` calls SciPy's BLAS, which here multiplies the 16 × 512 by 512 × 2048 step of half a batch
twice as slowly as NumPy's (one thread: 129 ms against 61 ms for 100 products; both OpenBLAS, 0.3.30 and
0.3.31). The kernels take ``gemm`` as an argument, a ctypes function: a first-class function in Numba, so the
compiled kernels stay in Numba's cache and the address is looked up at every start. ``None`` (another BLAS, or
an OpenBLAS whose symbols are unknown) keeps ``np.dot``.

``transpose`` uses OpenBLAS's blocked copy for the kernels' transposed weights: NumPy's
``ascontiguousarray(w.T)`` reads a 512 × 128 matrix one cache line per number (86 µs against 32 µs), and it
is made at every forward pass. Below 16,384 numbers a matrix fits in L1 and NumPy's copy is quicker.
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import numpy as np

ROW_MAJOR, NO_TRANS, TRANS = 101, 111, 112


@functools.cache
def _openblas() -> tuple[ctypes.CDLL, type, tuple[str, str]] | None:
    """NumPy's OpenBLAS, its integer type and the prefix and suffix of its symbols; None without one."""
    from threadpoolctl import ThreadpoolController

    for lib in ThreadpoolController().select(internal_api="openblas").lib_controllers:
        if not Path(lib.filepath).parent.name.startswith("numpy"):
            continue  # numpy.libs (Linux, Windows) or numpy/.dylibs (macOS): NumPy's own, not SciPy's
        dll = ctypes.CDLL(lib.filepath)
        for prefix, suffix in (("scipy_", "64_"), ("", "64_"), ("scipy_", ""), ("", "")):
            config = getattr(dll, f"{prefix}openblas_get_config{suffix}", None)
            if config is None:
                continue
            config.restype = ctypes.c_char_p
            index = ctypes.c_int64 if b"USE64BITINT" in config() else ctypes.c_int32
            return dll, index, (prefix, suffix)
    return None


def _function(name: str, dtype: np.dtype, *args: type):
    """cblas_<s|d><name> of NumPy's OpenBLAS as a ctypes function taking ``args`` (``int`` stands for
    BLAS's integer type, ``float`` for the dtype's real), or None."""
    found = _openblas()
    if found is None:
        return None
    dll, index, (prefix, suffix) = found
    letter = "s" if np.dtype(dtype) == np.float32 else "d"
    fn = getattr(dll, f"{prefix}cblas_{letter}{name}{suffix}", None)
    if fn is None:
        return None
    real = ctypes.c_float if letter == "s" else ctypes.c_double
    types = [index if a is int else real if a is float else a for a in args]
    return ctypes.CFUNCTYPE(None, *types)(ctypes.cast(fn, ctypes.c_void_p).value)


@functools.cache
def gemm(dtype: np.dtype):
    """cblas_sgemm or cblas_dgemm of NumPy's OpenBLAS as a ctypes function, or None."""
    c_int, ptr = ctypes.c_int, ctypes.c_void_p
    return _function("gemm", dtype, c_int, c_int, c_int, int, int, int, float, ptr, int, ptr, int, float, ptr, int)


@functools.cache
def _omatcopy(dtype: np.dtype):
    c_int, ptr = ctypes.c_int, ctypes.c_void_p
    return _function("omatcopy", dtype, c_int, c_int, int, int, float, ptr, int, ptr, int)


def transpose(a: np.ndarray) -> np.ndarray:
    """``a.T`` as a new C-contiguous array, for a C-contiguous 2-D float32 or float64 array."""
    big = a.size >= 2**14 and a.flags.c_contiguous and a.dtype in (np.float32, np.float64)
    copy = _omatcopy(a.dtype) if big else None
    if copy is None:
        return np.ascontiguousarray(a.T)
    rows, cols = a.shape
    out = np.empty((cols, rows), a.dtype)
    copy(ROW_MAJOR, TRANS, rows, cols, 1.0, a.ctypes.data, max(cols, 1), out.ctypes.data, max(rows, 1))
    return out
