"""Puts a lab into the exact state of a lesson step: settings from the seed, work done, view, selection, playhead.

A state once reached is kept (the lab's ``lab_state``), so stepping back is instant; a step that needs more
work than a kept state starts from the nearest one (the same settings, no more work of any kind) and does the
rest in a ``Job``, with progress, while the views follow. States are kept by the settings the work depends on
(``LabPanel.lesson_key``): steps that only show the same model another way (how the language lab writes) share
them. Seeds make the result the same whichever way it was
reached. Nothing here knows a lab: the panel's lesson hooks (``LabPanel.start_lesson`` …) do the lab's part.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jobs import Job, JobContext
from app.lessons.lesson import Step, check_step_settings
from app.sessions.settings import settings_to_json

FRAME_SECONDS = 0.3  # between the pictures the views get while a step's work runs
KEPT_STATES = 24  # reached states kept for stepping back


class Stage(QObject):
    """``reached(k)`` once step k is on show; ``progressed(done, total)`` while its work runs; ``failed(text)``
    when it cannot be reached (the lab then shows what it showed before, or the seed's state)."""

    reached = Signal(int)
    progressed = Signal(int, int)
    busy_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, show_panel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.show_panel = show_panel  # lab name → its panel, brought to the front
        self.job = Job(self)
        self.job.progressed.connect(self.progressed)
        self.job.partial.connect(self._show_frame)
        self.job.done.connect(self._work_done)
        self.job.failed.connect(self._work_failed)
        self._kept: OrderedDict[tuple, tuple[dict, dict[str, np.ndarray]]] = OrderedDict()
        self._pending: tuple[int, Step, object, tuple] | None = None

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def forget(self) -> None:
        """Drop every kept state (another lesson, or a test reaching a step from the seed again)."""
        self._kept.clear()

    def go(self, index: int, step: Step) -> None:
        """Bring step ``index`` on show: at once when its state is kept, else after its work."""
        self.cancel()
        try:
            panel = self.show_panel(step.lab)
            settings = check_step_settings(type(panel), step.settings, step.work, f"step {index + 1}")
            key = self._key(step.lab, panel.lesson_key(settings), panel.lesson_work, step.work)
            if key in self._kept:
                self._kept.move_to_end(key)
                self._restore(panel, key, settings)
                self._arrive(index, step, panel)
                return
            nearest = self._nearest(key)
            if nearest is None:
                panel.start_lesson(settings, step.work)
            else:
                self._restore(panel, nearest, settings)
        except ValueError as exc:
            self.failed.emit(str(exc))
            return
        plan = [(kind, n - panel.lesson_work_done(kind)) for kind, n in step.work.items()]
        plan = [(kind, n) for kind, n in plan if n > 0]
        if not plan:
            self._keep(key, panel)
            self._arrive(index, step, panel)
            return
        self._pending = (index, step, panel, key)
        panel.set_lesson_busy(True)
        self.busy_changed.emit(True)
        self.job.start(lambda context: _work(panel, plan, context))

    def cancel(self) -> None:
        """Stop a step's work (the lab is left part-way; the next step puts it right)."""
        if self._pending is None:
            return
        self.job.cancel(wait=True)
        panel = self._pending[2]
        self._pending = None
        panel.set_lesson_busy(False)
        self.busy_changed.emit(False)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _key(lab: str, settings: object, kinds: tuple[str, ...], work: dict[str, int]) -> tuple:
        values = settings_to_json(settings) if settings is not None else {}
        return lab, json.dumps(values, sort_keys=True), tuple(work.get(kind, 0) for kind in kinds)

    def _nearest(self, key: tuple) -> tuple | None:
        """The kept state of the same lab and settings with the most work, none of it beyond ``key``'s."""
        work = key[2]
        below = [k for k in self._kept if k[:2] == key[:2] and all(a <= b for a, b in zip(k[2], work, strict=True))]
        return max(below, key=lambda k: sum(k[2]), default=None)

    def _restore(self, panel, key: tuple, settings: object) -> None:
        """A kept state back, and the step's settings that ask no work on it (kept states are shared by them)."""
        panel.restore_lesson_state(*self._kept[key])
        if settings is not None:
            panel.show_lesson_settings(settings)

    def _keep(self, key: tuple, panel) -> None:
        self._kept[key] = panel.lab_state()
        while len(self._kept) > KEPT_STATES:
            self._kept.popitem(last=False)

    def _show_frame(self, kind_and_frame: tuple[str, object]) -> None:
        if self._pending is not None:
            self._pending[2].show_lesson_frame(*kind_and_frame)

    def _work_done(self, _result: object) -> None:
        if self._pending is None:
            return
        index, step, panel, key = self._pending
        self._pending = None
        panel.set_lesson_busy(False)
        self.busy_changed.emit(False)
        panel.lesson_work_finished()
        self._keep(key, panel)
        self._arrive(index, step, panel)

    def _work_failed(self, text: str) -> None:
        self.cancel()
        self.failed.emit(text)

    def _arrive(self, index: int, step: Step, panel) -> None:
        """View, selection and playhead as the step says."""
        try:
            if step.view is not None:
                panel.show_view(step.view)
        except ValueError as exc:
            self.failed.emit(f"step {index + 1}: {exc}")
        if step.select is not None:
            panel.timeline.select(*step.select)
        panel.playhead.pause()
        position = step.position
        if isinstance(position, dict):
            try:
                panel.timeline.seek(position["phase"], position["t"])
            except ValueError as exc:
                self.failed.emit(f"step {index + 1}: {exc}")
        elif position is not None:
            panel.playhead.seek(min(position, panel.playhead.length - 1))
        self.reached.emit(index)


def _work(panel, plan: list[tuple[str, int]], context: JobContext) -> bool:
    """On the worker: the plan's units of work, a picture now and then (pictures of three networks cost as much
    as training steps: at most about a fifth of the time goes to them), and the last picture of each kind."""
    total, done, every = sum(n for _, n in plan), 0, FRAME_SECONDS
    last = told = time.perf_counter()
    context.progress(0, total)
    for kind, n in plan:
        for _ in range(n):
            panel.do_lesson_work(kind)
            done += 1
            if time.perf_counter() - told > 0.1:
                context.progress(done, total)
                told = time.perf_counter()
            if time.perf_counter() - last > every:
                started = time.perf_counter()
                context.partial((kind, panel.lesson_frame(kind)))
                last = time.perf_counter()
                every = max(FRAME_SECONDS, 4 * (last - started))
            else:
                context.check()
        context.partial((kind, panel.lesson_frame(kind)))
    context.progress(total, total)
    return True


def moment(panel) -> Step:
    """What ``panel`` shows now, as a lesson step (its words still to be written): the lab's settings, the work
    done from the seed, view, selection and playhead. A lab trained by hand from other settings comes out as
    training from these settings alone: the step shows what its seed gives."""
    settings = panel.current_lesson_settings()
    work = {kind: panel.lesson_work_done(kind) for kind in panel.lesson_work}
    text = {"en": "New step: say here what the class should see.", "zh": "新的一步：在这里写下学生应当看到什么。"}
    return Step(panel.lab, text, panel.view_names()[panel.views.currentIndex()],
                settings_to_json(settings) if settings is not None else {}, {k: n for k, n in work.items() if n},
                panel.playhead.position, (panel.timeline.layer, panel.timeline.unit))  # fmt: skip
