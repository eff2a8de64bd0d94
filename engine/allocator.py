"""Keep freed memory for the next trace instead of handing it back to the system at once.

Every forward and backward pass allocates its trace afresh: at LSTM hidden 128, batch 1, 100 steps, about a
megabyte in arrays of 50-200 KiB. glibc's malloc serves blocks from 128 KiB up by ``mmap`` until a freed one
teaches it larger sizes, and trims the top of its heap beyond twice that, so pages went back to the system
and were faulted in again: measured, 5 page faults per pass while the last trace is kept (1 with this),
and 200-330 while glibc still maps every such block afresh. Each fault costs about 4 µs in this virtual
machine: 1.9 ms per pass against 2.8 ms with every block mapped afresh.

``keep_freed_memory`` sets the values glibc's own adjustment ends at once a 32 MiB block has been freed
(its ``DEFAULT_MMAP_THRESHOLD_MAX`` on 64-bit systems, trimming beyond twice that): blocks up to 32 MiB come
from the heap and up to 64 MiB of free heap is kept. It does nothing where the C library is not glibc.

What is kept is kept per arena (the GUI thread's, each worker's), and freed blocks between live ones are never
trimmed: in the soak (``python -m app.soak``) the recurrent lab grew 24 MiB in 1,000 frames, 13 MiB of it free
memory that ``give_back_freed_memory`` (``malloc_trim``) returned. The window calls it every ``TRIM_SECONDS``,
which costs the next pass its page faults once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 1024**2
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "gnu_get_libc_version") and hasattr(libc, "mallopt") else None


@functools.cache
def keep_freed_memory() -> bool:
    """Tune glibc's malloc once per process; True where it was tuned."""
    libc = _glibc()
    if libc is None:  # glibc only
        return False
    mallopt = libc.mallopt
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def give_back_freed_memory() -> bool:
    """Return the free memory of every arena to the system (glibc's ``malloc_trim(0)``); True where it did."""
    libc = _glibc()
    if libc is None or not hasattr(libc, "malloc_trim"):
        return False
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    return bool(libc.malloc_trim(0))
