"""How the app opens. With Numba's cache warm (every start but the first): the main window at once, drawing
with the NumPy reference while the compiled kernels load behind it. On a first start: a small window with a
progress bar while the kernels compile, then the main window on its demo."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from app import labs
from app.i18n import tr
from app.main_window import MainWindow
from app.warm_up import WarmUpThread, kernels


class StartupWindow(QWidget):
    """Shows progress, then opens ``MainWindow`` and closes itself; ``main_window`` is set by then.
    ``warm_up``: the first lab's kernels' warm-up, if already started (else the window starts it)."""

    ready = Signal()

    def __init__(
        self, panels: list[str] | None = None, open_path: str | None = None, warm_up: WarmUpThread | None = None
    ) -> None:
        super().__init__()
        self._open_path = open_path
        self.setWindowTitle("Unroll · starting")
        self.main_window: MainWindow | None = None
        self._panels = panels
        self.label = QLabel(tr("Preparing the numeric kernels…"))
        self.label.setAlignment(Qt.AlignCenter)
        self.bar = QProgressBar()
        note = QLabel(tr("The first start compiles them (about half a minute); later starts load them from the cache."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (QLabel("<h2>" + tr("Unroll") + "</h2>"), self.label, self.bar, note):
            layout.addWidget(w)
        self.resize(520, 180)
        self._opening = False
        self.thread = warm_up or WarmUpThread(labs.first_jobs())
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
        self.main_window = open_main_window(self._panels, self._open_path)
        self.close()
        self.ready.emit()
        self.later = self.main_window.later


def open_main_window(panels: list[str] | None, open_path: str | None) -> MainWindow:
    """The main window on its demo (or on ``open_path``), shown; the other labs' kernels then load in the
    background, so that their tabs open at once when clicked (``window.later``)."""
    window = MainWindow(panels, keep_work=True)
    window.show()
    if open_path:
        window.open_file(open_path)
    window.load_kernels(labs.later_jobs())
    return window


def open_while_kernels_load(panels: list[str] | None, open_path: str | None) -> MainWindow:
    """With Numba's cache warm: the window at once, drawing with the NumPy reference; the compiled kernels
    load afterwards (starting them before would only share one interpreter lock with building the window)."""
    kernels().set_ready(False)
    window = MainWindow(panels, keep_work=True)
    window.show()
    if open_path:
        window.open_file(open_path)
    later = window.load_kernels([*labs.first_jobs(), *labs.later_jobs()])
    later.progressed.connect(lambda done, total, _: kernels().set_ready(True) if done == total else None)
    return window
