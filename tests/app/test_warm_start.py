"""With Numba's cache warm, `unroll` opens its window at once, drawing with the NumPy reference, and switches
to the compiled kernels once they have loaded in the background."""

import os
import time

import numpy as np
import pytest

from app.warm_up import kernels
from engine.recurrent import inspect
from engine.warmup import cache_is_warm


def test_the_window_draws_with_the_reference_until_the_kernels_are_loaded(qtbot):
    from app.startup import open_while_kernels_load

    window = open_while_kernels_load(["recurrent"], None)
    qtbot.addWidget(window)
    try:
        assert not kernels().ready and kernels().backend == "reference"
        session = window.panels["recurrent"].session
        shown, demo, task = session.snapshot.inspection, session.demo, session.task
        compiled = inspect(session.spec, session.trainer.params, demo.x, demo.targets, lengths=demo.lengths,
                           activation=task.activation, mode=task.mode)  # fmt: skip
        np.testing.assert_allclose(shown.trace.output, compiled.trace.output, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(shown.flow, compiled.flow, rtol=1e-4, atol=1e-7)
        qtbot.waitUntil(lambda: kernels().ready, timeout=120000)
        assert kernels().backend == "numba"
    finally:
        window.later.wait()
        kernels().set_ready(True)
        window.close()


def _module(folder, name: str, text: str, age: float = 0.0):
    path = folder / f"{name}.py"
    path.write_text(text)
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_a_warm_cache_is_told_from_file_times(tmp_path):
    _module(tmp_path, "plain", "x = 1\n")
    _module(tmp_path, "kernels", "from numba import njit\n", age=60)
    assert not cache_is_warm(tmp_path)  # never compiled
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    tag = f"py{os.sys.version_info.major}{os.sys.version_info.minor}"
    (cache / f"kernels.step-12.{tag}.nbi").write_bytes(b"")
    assert cache_is_warm(tmp_path)
    _module(tmp_path, "kernels", "from numba import njit\n# edited\n", age=-60)  # the source changed since
    assert not cache_is_warm(tmp_path)


def test_closing_while_kernels_load_ends_the_loading_after_its_current_job(qtbot):
    from app.main_window import MainWindow

    window = MainWindow(["recurrent"])
    qtbot.addWidget(window)
    started, done = [], []

    def job(name: str) -> None:
        started.append(name)
        # each job lasts until the loading is asked to end (or 30 s): close() comes mid-job on any machine's timing
        deadline = time.monotonic() + 30
        while not later.isInterruptionRequested() and time.monotonic() < deadline:
            time.sleep(0.005)
        done.append(name)

    later = window.load_kernels([(name, lambda name=name: job(name)) for name in "abc"])
    qtbot.waitUntil(lambda: started == ["a"], timeout=10000)
    window.close()  # instead of destroying a running thread (which aborts the interpreter)
    assert later.isFinished() and started == done == ["a"]


@pytest.mark.slow  # a fresh interpreter that builds the window
def test_the_first_picture_needs_no_compiled_kernel():
    """In a fresh interpreter: the window and its demo are built before the compiled layers (and Numba) are
    imported; they come afterwards, from the background job."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from app.startup import open_while_kernels_load\n"
        "window = open_while_kernels_load(['recurrent'], None)\n"
        "assert window.panels['recurrent'].session.snapshot.inspection.loss is not None\n"
        "assert 'engine.recurrent.layers' not in sys.modules and 'numba' not in sys.modules\n"
        "window.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
