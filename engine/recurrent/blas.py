"""NumPy's BLAS for the step products inside the kernels, where NumPy's is an OpenBLAS.

Numba's ``np.dot`` calls SciPy's BLAS, which here multiplies the 16 × 512 by 512 × 2048 step of half a batch
twice as slowly as NumPy's (one thread: 129 ms against 61 ms for 100 products; both OpenBLAS, 0.3.30 and
0.3.31). The kernels take ``gemm`` as an argument, a ctypes function: a first-class function in Numba, so the
compiled kernels stay in Numba's cache and the address is looked up at every start. ``None`` (another BLAS, or
an OpenBLAS whose symbols are unknown) keeps ``np.dot``.
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import numpy as np

ROW_MAJOR, NO_TRANS = 101, 111


@functools.cache
def gemm(dtype: np.dtype):
    """cblas_sgemm or cblas_dgemm of NumPy's OpenBLAS as a ctypes function, or None."""
    from threadpoolctl import ThreadpoolController

    real = ctypes.c_float if np.dtype(dtype) == np.float32 else ctypes.c_double
    letter = "s" if np.dtype(dtype) == np.float32 else "d"
    for lib in ThreadpoolController().select(internal_api="openblas").lib_controllers:
        if not Path(lib.filepath).parent.name.startswith("numpy"):
            continue  # numpy.libs (Linux, Windows) or numpy/.dylibs (macOS): NumPy's own, not SciPy's
        dll = ctypes.CDLL(lib.filepath)
        for prefix, suffix in (("scipy_", "64_"), ("", "64_"), ("scipy_", ""), ("", "")):
            fn = getattr(dll, f"{prefix}cblas_{letter}gemm{suffix}", None)
            config = getattr(dll, f"{prefix}openblas_get_config{suffix}", None)
            if fn is None or config is None:
                continue
            config.restype = ctypes.c_char_p
            index = ctypes.c_int64 if b"USE64BITINT" in config() else ctypes.c_int32
            proto = ctypes.CFUNCTYPE(
                None, ctypes.c_int, ctypes.c_int, ctypes.c_int, index, index, index,
                real, ctypes.c_void_p, index, ctypes.c_void_p, index, real, ctypes.c_void_p, index,
            )  # fmt: skip
            return proto(ctypes.cast(fn, ctypes.c_void_p).value)
    return None
