"""Autosave: every ``interval`` seconds, each lab that has been opened is saved into this run's autosave
folder, written in a worker thread so that the window never waits for the disk. A clean exit removes the
folder; after a crash the next start offers what it holds (``app.persistence.leftovers``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.persistence import own_autosave_dir
from app.workers import JobThread
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
        self._job: JobThread | None = None
        self.timer = QTimer(self, interval=int(interval * 1000), timeout=self.save_now)
        self.timer.start()

    @property
    def busy(self) -> bool:
        return self._job is not None and self._job.isRunning()

    def save_now(self) -> None:
        """Gather every lab's state here (the GUI thread owns it), then write the files in the background."""
        if self.busy:
            return  # the disk is slower than the interval: skip a beat rather than queue
        files = self._sessions()
        if not files:
            return
        folder = self.folder

        def write() -> object:
            folder.mkdir(parents=True, exist_ok=True)
            for lab, file in files.items():
                save_session(folder / f"{lab}{SUFFIX}", file)
            return folder

        job = self._job = JobThread(write, self)
        job.finished_with.connect(self.saved)
        job.failed.connect(lambda text: self.failed.emit(f"autosave failed: {text}"))
        job.finished.connect(lambda: self._done(job))
        job.start()

    def _done(self, job: JobThread) -> None:
        # a finished thread still holds its closure, and with it every array it wrote: let both go
        if job is self._job:
            self._job = None
        job.deleteLater()

    def wait(self) -> None:
        if self._job is not None:
            self._job.wait()

    def finish(self) -> None:
        """A clean exit: nothing to offer next time."""
        self.timer.stop()
        self.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
