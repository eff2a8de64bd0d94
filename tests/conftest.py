import os

# Qt must never look for a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As in the app (app/__main__.py): one BLAS thread, so a training worker leaves the GUI thread a core.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Recent files and autosaves go to a fresh folder per test, never the user's own."""
    folder = tmp_path / "unroll-data"
    monkeypatch.setenv("UNROLL_DATA_DIR", str(folder))
    return folder
