"""Python's cycle collector runs on the GUI thread only (app/garbage.py), and a heatmap leaves it nothing."""

import gc
import weakref

import pyqtgraph as pg

from app.views.recurrent.heatmap import Heatmap
from tests.child_python import assert_runs


def test_a_cleared_heatmap_is_freed_without_the_cycle_collector(qapp):
    """Its bound methods stored on its image made a cycle: every cleared plot then waited for a collection, which
    on a worker thread crashed the app."""
    canvas = pg.GraphicsLayoutWidget()
    heatmap = Heatmap(canvas.addPlot(), "input gate i")
    image, owner = weakref.ref(heatmap.image), weakref.ref(heatmap)
    gc.collect()
    assert not gc.isenabled()  # the tests collect on the main thread only (conftest.py), as the app does
    canvas.clear()
    del heatmap
    assert owner() is None and image() is None


def test_after_start_up_cycles_are_collected_by_the_gui_thread_s_timer():
    code = (
        "import gc, os, weakref\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from app.garbage import COLLECT_SECONDS, collect_on_gui_thread\n"
        "app = QApplication([])\n"
        "collect_on_gui_thread()\n"
        "assert not gc.isenabled()\n"
        "class Node: pass\n"
        "refs = []\n"
        "for _ in range(2000):\n"
        "    a, b = Node(), Node(); a.other, b.other = b, a; refs.append(weakref.ref(a))\n"
        "del a, b\n"
        "assert all(r() is not None for r in refs)  # no automatic collection\n"
        "QTimer.singleShot(int(COLLECT_SECONDS * 3000), app.quit)\n"
        "app.exec()\n"
        "assert all(r() is None for r in refs), sum(r() is not None for r in refs)\n"
    )
    assert_runs(code)
