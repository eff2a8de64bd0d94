"""The first thing a person sees: a small window with a progress bar while kernels compile (first start) or
load from Numba's cache (every later start, well under a second), then the main window on its demo."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from app.main_window import MainWindow
from app.warm_up import WarmUpThread
from engine.warmup import jobs as recurrent_jobs
from engine.warmup import later_jobs


class StartupWindow(QWidget):
    """Shows progress, then opens ``MainWindow`` and closes itself; ``main_window`` is set by then.
    ``warm_up``: the recurrent kernels' warm-up, if already started (else the window starts it)."""

    ready = Signal()

    def __init__(
        self, panels: list[str] | None = None, open_path: str | None = None, warm_up: WarmUpThread | None = None
    ) -> None:
        super().__init__()
        self._open_path = open_path
        self.setWindowTitle("Unroll · starting")
        self.main_window: MainWindow | None = None
        self._panels = panels
        self.label = QLabel("Preparing the numeric kernels…")
        self.label.setAlignment(Qt.AlignCenter)
        self.bar = QProgressBar()
        note = QLabel("The first start compiles them (about half a minute); later starts load them from the cache.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (QLabel("<h2>Unroll · 展开</h2>"), self.label, self.bar, note):
            layout.addWidget(w)
        self.resize(520, 180)
        self._opening = False
        self.thread = warm_up or WarmUpThread(recurrent_jobs())
        self.thread.setParent(self)
        self.thread.progressed.connect(self._progress)
        self._progress(*self.thread.state)  # it may have begun, or even ended, before this window listened
        if not (self.thread.isRunning() or self.thread.isFinished()):
            self.thread.start()

    def _progress(self, done: int, total: int, label: str) -> None:
        if not total:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        if label:
            self.label.setText(f"Preparing {label}…")
        if done == total and not self._opening:
            self._opening = True
            QTimer.singleShot(0, self._open_main_window)

    def _open_main_window(self) -> None:
        self.main_window = MainWindow(self._panels, keep_work=True)
        self.main_window.show()
        if self._open_path:
            self.main_window.open_file(self._open_path)
        self.close()
        self.ready.emit()
        # the other labs' kernels, in the background, so that their tabs open at once when clicked
        self.later = WarmUpThread(later_jobs(), self.main_window)
        self.later.start()
