"""One way to run work off the GUI thread, for every lab.

``Job`` runs a function once (an estimate, a capacity experiment, an autosave): it reports progress and
partial results, is cancelled by a flag the function checks between its steps (Orange's ``concurrent``
pattern), and drops whatever a cancelled or replaced run still delivers. ``TrainingRunner`` trains: it calls
``step()`` again and again in a worker and hands the GUI a ``frame()`` at a steady rate, with the rate of steps.

Kernels release the GIL (``nogil=True``), so the window keeps answering while they run. Results cross to the
GUI thread by queued signals and must be copies, never arrays the engine is still writing.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal


class Cancelled(Exception):
    """Raised inside a job by ``JobContext.check`` once the job has been cancelled."""


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class JobContext:
    """What a job's function is handed: cancellation to check, progress and partial results to report."""

    def __init__(self, worker: _JobThread) -> None:
        self._worker = worker
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled

    def progress(self, done: int, total: int) -> None:
        self.check()
        self._worker.progressed.emit(done, total)

    def partial(self, result: object) -> None:
        self.check()
        self._worker.partial.emit(result)


class _JobThread(QThread):
    progressed = Signal(int, int)
    partial = Signal(object)
    finished_with = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.work: Callable[[JobContext], object] | None = None
        self.context = JobContext(self)

    def begin(self, work: Callable[[JobContext], object]) -> None:
        self.work, self.context = work, JobContext(self)
        self.start()

    def run(self) -> None:
        try:
            result = self.work(self.context)
        except Cancelled:
            return
        except Exception as exc:  # reported to the user, never a crash
            traceback.print_exc()
            self.failed.emit(_describe(exc))
            return
        finally:
            self.work = None  # let go of what the job held (an autosave's arrays) while the thread waits for reuse
        self.finished_with.emit(result)


class Job(QObject):
    """At most one run of a function at a time; only the current run's signals reach the listeners.

    ``done`` carries the function's result, ``failed`` its error message; ``running_changed`` says when a run
    starts, and when it ends or is cancelled.

    Finished threads are kept and reused rather than deleted (``deleteLater`` on a thread whose owner was deleted
    first crashed PySide 6.11 in the tests): a thread's signals of one run all arrive before its ``finished``,
    so a thread back in the pool has nothing of its last run left on the way."""

    progressed = Signal(int, int)
    partial = Signal(object)
    done = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: _JobThread | None = None
        self._retired: set[_JobThread] = set()  # cancelled runs still finishing their current step
        self._idle: list[_JobThread] = []

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self, work: Callable[[JobContext], object]) -> None:
        """Run ``work(context)`` in a worker thread, cancelling (and dropping) a run still going."""
        self._retire()
        worker = self._worker = self._idle.pop() if self._idle else self._new_worker()
        worker.begin(work)
        self.running_changed.emit(True)

    def _new_worker(self) -> _JobThread:
        worker = _JobThread(self)
        current = lambda: worker is self._worker  # noqa: E731
        worker.progressed.connect(lambda done, total: current() and self.progressed.emit(done, total))
        worker.partial.connect(lambda result: current() and self.partial.emit(result))
        worker.finished_with.connect(lambda result: current() and self.done.emit(result))
        worker.failed.connect(lambda text: current() and self.failed.emit(text))
        worker.finished.connect(lambda: self._ended(worker))
        return worker

    def cancel(self, wait: bool = False) -> None:
        """Stop the current run after its current step and drop its results; with ``wait``, return once every
        run has ended (before the window closes)."""
        if self._retire():
            self.running_changed.emit(False)
        if wait:
            for worker in list(self._retired):
                worker.wait()

    def wait(self) -> None:
        """Until the current run, if any, has ended (its result still arrives by the event loop)."""
        if self._worker is not None:
            self._worker.wait()

    def _retire(self) -> bool:
        worker, self._worker = self._worker, None
        if worker is None:
            return False
        worker.context.cancel()
        self._retired.add(worker)
        return True

    def _ended(self, worker: _JobThread) -> None:
        worker.wait()  # ``finished`` comes from the thread's last moments: let it end before it is reused
        self._retired.discard(worker)
        self._idle.append(worker)
        if worker is self._worker:
            self._worker = None
            self.running_changed.emit(False)


class _TrainingThread(QThread):
    framed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.step = self.frame = self.ended = None
        self.interval, self.stopping, self.steps_per_second = 0.1, False, 0.0

    def begin(self, step, frame, interval: float, ended) -> None:
        self.step, self.frame, self.interval, self.ended = step, frame, interval, ended
        self.stopping, self.steps_per_second = False, 0.0
        self.start()

    def run(self) -> None:
        try:
            self._loop()
        finally:
            if self.ended is not None:
                self.ended()

    def _loop(self) -> None:
        last, steps = time.perf_counter(), 0
        while not self.stopping:
            try:
                if self.step():
                    self.stopping = True
                steps += 1
                now = time.perf_counter()
                if now - last >= self.interval or self.stopping:
                    self.steps_per_second = steps / max(now - last, 1e-9)
                    last, steps = now, 0
                    frame = self.frame()
                    if frame is not None:
                        self.framed.emit(frame)
            except Exception as exc:  # reported to the user, never a crash
                traceback.print_exc()
                self.failed.emit(_describe(exc))
                return


class TrainingRunner(QObject):
    """Trains in a worker thread: ``step()`` again and again, and every ``interval`` seconds ``frame()``, the
    copies the views draw, passed on by ``framed``. ``step()`` returning True ends the run (finished or
    diverged) after one last frame; so does ``request_stop()`` called from inside it. ``stop()`` from the GUI
    ends the run after its current step, drops frames still on their way, and takes one last frame itself."""

    framed = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: _TrainingThread | None = None
        self._idle: list[_TrainingThread] = []  # threads are reused, as in Job

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def stopping(self) -> bool:
        return self._thread is not None and self._thread.stopping

    @property
    def steps_per_second(self) -> float:
        """Training steps a second over the latest frame interval (0 when not training)."""
        return self._thread.steps_per_second if self._thread is not None else 0.0

    def start(self, step: Callable[[], bool | None], frame: Callable[[], object | None], interval: float = 0.1,
              ended: Callable[[], None] | None = None) -> None:  # fmt: skip
        """``ended()``, if given, runs on the worker as its last act, whatever ended the run (a stop, the step's
        True, an error): for state the worker alone may touch while it trains."""
        if self.running:
            return
        thread = self._thread = self._idle.pop() if self._idle else self._new_thread()
        thread.begin(step, frame, interval, ended)
        self.running_changed.emit(True)

    def _new_thread(self) -> _TrainingThread:
        thread = _TrainingThread(self)
        thread.framed.connect(lambda result: thread is self._thread and self.framed.emit(result))
        thread.failed.connect(lambda text: thread is self._thread and self.failed.emit(text))
        thread.finished.connect(lambda: self._ended(thread))
        return thread

    def request_stop(self) -> None:
        """End the run after the current step (safe to call from inside ``step``)."""
        if self._thread is not None:
            self._thread.stopping = True

    def pause(self) -> None:
        """End the run after its current step without waiting for it (a step of a large model takes seconds):
        the worker sends the frame of where it stopped, then ``running_changed(False)``."""
        self.request_stop()

    def stop(self) -> None:
        """End the run after its current step and wait for it; the views then get a frame of where it stopped."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.stopping = True
        thread.wait()
        frame = thread.frame()  # the worker has ended: the GUI thread owns the state now
        if frame is not None:
            self.framed.emit(frame)
        self.running_changed.emit(False)

    def _ended(self, thread: _TrainingThread) -> None:
        thread.wait()  # ``finished`` comes from the thread's last moments: let it end before it is reused
        thread.step = thread.frame = thread.ended = None  # let go of the session it trained
        self._idle.append(thread)
        if thread is self._thread:  # ended by itself: finished, diverged or failed
            self._thread = None
            self.running_changed.emit(False)
