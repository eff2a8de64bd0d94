"""Autosave: every ``interval`` seconds, each lab that has been opened is saved into this run's autosave
folder, written in a worker thread so that the window never waits for the disk. A clean exit removes the
folder; after a crash the next start offers what it holds (``app.persistence.leftovers``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.jobs import Job
from app.persistence import own_autosave_dir
from engine.session_file import SUFFIX, SessionFile, save_session

AUTOSAVE_SECONDS = 60


class Autosaver(QObject):
    saved = Signal(object)  # the folder written
    failed = Signal(str)

    def __init__(self, sessions: Callable[[], dict[str, SessionFile]], interval: float = AUTOSAVE_SECONDS,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions = sessions
        self.folder = own_autosave_dir()
        self.job = Job(self)
        self.job.done.connect(self.saved)
        self.job.failed.connect(lambda text: self.failed.emit(f"autosave failed: {text}"))
        self.timer = QTimer(self, interval=int(interval * 1000), timeout=self.save_now)
        self.timer.start()

    @property
    def busy(self) -> bool:
        return self.job.running

    def save_now(self) -> None:
        """Gather every lab's state here (the GUI thread owns it), then write the files in the background."""
        if self.busy:
            return  # the disk is slower than the interval: skip a beat rather than queue
        files = self._sessions()
        if not files:
            return
        folder = self.folder

        def write(context) -> object:
            folder.mkdir(parents=True, exist_ok=True)
            for lab, file in files.items():
                save_session(folder / f"{lab}{SUFFIX}", file)
            return folder

        self.job.start(write)

    def wait(self) -> None:
        """Until the save under way, if any, is on disk (its signals follow when the event loop runs)."""
        self.job.wait()

    def finish(self) -> None:
        """A clean exit: nothing to offer next time."""
        self.timer.stop()
        self.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
