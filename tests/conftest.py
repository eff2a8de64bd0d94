import gc
import os
import sys

# Qt must never look for a screen in tests; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As in the app (app/__main__.py): one BLAS thread, so a training worker leaves the GUI thread a core.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# No per-example deadline (hypothesis' default is 200 ms): on a shared 2-core machine one example of a fast test
# can take longer now and then, and the test would fail for the machine's load, not for what it checks.
settings.register_profile("unroll", deadline=None)
settings.load_profile("unroll")


# Cycles are collected on the main thread only, as in the app (app/garbage.py): left automatic, the collector runs
# in whichever thread allocates, often a worker, and destroys Qt objects there. The app crashed of it; a CI run
# hung for 90 minutes in a test where a worker estimated while the GUI thread trained and spun its event loop.
gc.disable()


@pytest.fixture(autouse=True)
def cycles_collected_on_the_main_thread():
    """During a test, by the GUI thread's timer once a QApplication exists; after it, what automatic collection
    would have collected by now."""
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None:
            from app.garbage import collect_on_gui_thread

            collect_on_gui_thread()
    yield
    count, threshold = gc.get_count(), gc.get_threshold()
    if count[0] > threshold[0]:
        gc.collect(2 if count[2] > threshold[2] else 1 if count[1] > threshold[1] else 0)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Recent files and autosaves go to a fresh folder per test, never the user's own."""
    folder = tmp_path / "unroll-data"
    monkeypatch.setenv("UNROLL_DATA_DIR", str(folder))
    return folder


def pytest_collection_modifyitems(items):
    """The soak first: it measures this process's resident memory, and the slow tests before it (every lesson step
    of every lab) leave windows' threads finishing and caches filling that it would count as the labs' growth
    (in CI: +26.6 MiB after them, +13.5 MiB first, +3.7 MiB alone; the rest is not yet explained)."""
    items.sort(key=lambda item: "test_soak.py" not in item.nodeid)  # stable: the rest keep their order
