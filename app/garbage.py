"""Python's cycle collector on the GUI thread only, from a timer.

Left to itself the collector runs in whichever thread allocates when a generation fills, often a worker (training,
an autosave, a lesson's run). Unreachable cycles that hold Qt objects are then destroyed on that thread: PySide
hands only widgets to the GUI thread for deletion, and deletes other QObjects and pyqtgraph's items at once, under
the GUI thread's feet. Two 100,000-frame soaks died this way (one in ``ImageItem.paint``, one through a null
pointer). Ten lines reproduce it: two rebuilt heatmap views, then one collection on a worker thread, a segmentation
fault every time (gdb: a call through address 0 from Shiboken's ``runDeletionInMainThread``); on the GUI thread
the same collection is harmless. pyqtgraph ships the remedy, used here: automatic collection off, and the
generations collected from a QTimer as the automatic collector would have.
"""

from __future__ import annotations

COLLECT_SECONDS = 0.25  # garbage waits at most this long; a young generation's collection takes well under 1 ms

_collector = None


def collect_on_gui_thread() -> None:
    """From now on, collect cycles only on this thread, from its event loop. Call on the GUI thread once the
    QApplication exists (again: nothing more happens)."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=COLLECT_SECONDS)
