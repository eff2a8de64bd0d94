"""Repeated passes reuse freed memory instead of faulting fresh pages in at every call."""

import resource
import sys

import numpy as np
import pytest

from engine.allocator import keep_freed_memory
from engine.recurrent import RecurrentSpec, backward, forward, init_params


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_repeated_passes_fault_in_no_new_pages():
    if not keep_freed_memory():
        pytest.skip("not glibc")
    spec = RecurrentSpec(cell="lstm", input_size=64, hidden_size=128)
    params = init_params(spec, dtype=np.float32)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 1, 64)).astype(np.float32)
    d_out = rng.normal(size=(100, 1, 128)).astype(np.float32)
    for _ in range(3):
        trace = forward(spec, params, x)
        grads = backward(spec, params, trace, d_out)
    # this thread's faults only: other threads of the test process (Qt's, BLAS's) fault pages of their own
    who = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)
    before = resource.getrusage(who).ru_minflt
    for _ in range(20):  # as a training loop does: the last trace lives on while the next one is made
        trace = forward(spec, params, x)
        grads = backward(spec, params, trace, d_out)
    faults = resource.getrusage(who).ru_minflt - before
    assert grads.dh.shape == (1, 100, 1, 128)
    # measured here: 24-44 with the setting; without it 700-900, or under 20 when glibc's own threshold happens
    # to have grown past the trace's blocks already
    assert faults < 200, f"{faults} page faults in 20 passes (700-900 without keeping freed memory)"


def _resident() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_freed_memory_between_live_blocks_goes_back_to_the_system():
    from engine.allocator import give_back_freed_memory

    if not keep_freed_memory():
        pytest.skip("not glibc")
    blocks = [np.ones(64 * 1024 // 8) for _ in range(1600)]  # 100 MiB of 64 KiB blocks, from the heap
    kept = blocks[::16]  # one block in 16 lives on: the freed ones lie between live ones, never trimmed
    del blocks
    before = _resident()
    give_back_freed_memory()
    assert before - _resident() > 50 * 1024**2
    assert all(block[0] == 1.0 for block in kept)
