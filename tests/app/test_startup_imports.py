"""Start-up imports only what the first window needs: libraries for files and exports (safetensors, imageio) and
PyTorch wait until they are used."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from app.__main__ import _application
app = _application(sys.argv[:1])
from app.startup import StartupWindow
start = StartupWindow(["recurrent"])
start.show()
while start.main_window is None:
    app.processEvents()
start.main_window.panels["recurrent"].shutdown()
start.later.wait()
print(" ".join(m for m in ("safetensors", "imageio", "torch") if m in sys.modules))
"""


@pytest.mark.slow  # a fresh interpreter that starts the app (and compiles every kernel when Numba's cache is cold)
def test_the_window_opens_without_file_and_export_libraries():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == []
