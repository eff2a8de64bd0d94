"""What every lab panel shares: a playhead with its transport bar, named views in tabs, a side column of
controls, a message signal and the frame of its session files. Subclasses build their views and controls,
drive the playhead, and provide:

    Panel(parent=None)             builds the lab on its built-in demo, ready to play
    Panel.lab: str                 its name in app.labs (title, file filter, trace format and kernels are there)
    Panel.run_demo_steps(n)        advance the demo synchronously by n steps (training or recall), for screenshots
    Panel.open_file(path)          load a file the lab understands; raises ValueError with a message on bad input
    Panel.trace()                  the trace on show, for export (ValueError when there is none yet)
    Panel.start_work(), stop_work()  train (or recall) in the background, as a person would; the soak uses them
    Panel.lab_state(), restore_lab_state(state, arrays)  the lab's sections of a session file
    Panel.state_version, migrate_state(state, version)   the shape of those sections, and older shapes to it
    Panel.shutdown()               stop worker threads
    Panel.lesson_settings, lesson_work, start_lesson(...) …   what a lesson step sets and asks done (app.lessons)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app import labs
from app.i18n import tr
from app.playhead import Playhead
from app.theme import theme, themes
from app.timeline import Timeline
from app.views.lazy_tabs import LazyTabWidget
from app.views.transport import TransportBar
from engine.session_file import SessionFile

CONTROLS_LEAST = 280  # pixels: the controls column is never narrower, however small the window
CONTROLS_SHARE = 0.42  # of the panel's width, at most, when its rows are wider: the views keep the rest


class LabPanel(QWidget):
    lab = ""  # its name in app.labs, written into its session files
    state_version = 1  # the shape of the lab's session state; files from older shapes go through migrate_state
    controls_width = (340, 420)  # the controls column's narrowest and widest, in pixels
    presentation_controls_width = (340, 420)  # the same in presentation mode
    message = Signal(str, str)  # (level, text) for the window's banner

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.playhead = Playhead(parent=self)
        self.timeline = Timeline(self.playhead, self)  # where every view looks: moment and selection
        self.transport = TransportBar(self.playhead, self.describe_position)
        self.transport.install_shortcuts(self)
        self.views = LazyTabWidget()
        # A view asks for the room it needs to be read; a window smaller than that (a 1024 × 768 projector,
        # presentation mode's large text) scrolls the views instead of growing past the screen.
        self.views_area = views_area = QScrollArea()
        views_area.setWidget(self.views)
        views_area.setWidgetResizable(True)
        views_area.setFrameShape(QFrame.NoFrame)
        self.controls = QWidget()
        self.controls_layout = QVBoxLayout(self.controls)
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(self.controls_width[0])
        scroll.setMaximumWidth(self.controls_width[1])
        self._fit_later: QTimer | None = None
        self.splitter = QSplitter()
        self.splitter.addWidget(views_area)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.transport)
        layout.addLayout(bar)

    @property
    def entry(self) -> labs.Lab:
        return labs.lab(self.lab)

    @property
    def title(self) -> str:
        return tr(self.entry.title)

    @property
    def file_filter(self) -> str:
        return self.entry.file_filter

    def fit_controls(self) -> None:
        """Widen the controls column to its widest row, within the panel's bounds (labels in two languages, and
        presentation mode's large text, are long); again after each theme change, once its fonts have arrived,
        and when the panel is resized. Never more than CONTROLS_SHARE of the panel: on a small screen the column scrolls
        sideways rather than squeezing the views out."""
        if self._fit_later is None:
            # a timer of the panel's own: the size hints lag behind the theme's signal, and the signal lets go of
            # a panel that is gone
            self._fit_later = QTimer(self, singleShot=True, interval=0, timeout=self.fit_controls)
            themes().changed.connect(self._fit_later.start)
        needed = self.controls.minimumSizeHint().width() + self.scroll.verticalScrollBar().sizeHint().width() + 4
        low, high = self.presentation_controls_width if theme().presentation else self.controls_width
        room = max(int(self.width() * CONTROLS_SHARE), CONTROLS_LEAST) if self.isVisible() else max(low, needed)
        self.scroll.setMinimumWidth(min(max(low, needed), room))
        self.scroll.setMaximumWidth(max(high, needed))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_later is not None and event.size().width() != event.oldSize().width():
            self._fit_later.start()

    def add_view(self, name: str, label: str, view: QWidget | Callable[[], QWidget]) -> None:
        """A view, or a function that makes it the first time it is shown."""
        self.views.add_page(name, label, view)

    def view_names(self) -> list[str]:
        return self.views.names()

    def show_view(self, name: str) -> QWidget:
        try:
            return self.views.page(name)
        except ValueError:
            raise ValueError(f"unknown view {name!r}; choose one of {', '.join(self.view_names())}") from None

    def current_view(self) -> QWidget:
        return self.views.currentWidget()

    def describe_position(self, position: int) -> str:
        return f"{position + 1} / {self.playhead.length}"

    def run_demo_steps(self, steps: int) -> None:
        raise NotImplementedError

    def open_file(self, path: str) -> None:
        raise ValueError(f"{self.title} opens no files")

    def _guarded(self, action, *args) -> bool:
        """Run ``action``; a ValueError becomes an error message (in the interface's language where the catalogue
        has it) and changes nothing."""
        try:
            action(*args)
        except ValueError as exc:
            self.message.emit("error", tr(str(exc)))
            return False
        return True

    def trace(self) -> object:
        """What the lab computed for the sequence, pattern or chain on show, in its ``entry.trace_format``."""
        raise ValueError(f"{self.title} has no trace to export")

    def start_work(self) -> None:
        """Set the lab working in the background as a person would: training, by default."""
        self.session.start_training()

    def stop_work(self) -> None:
        self.session.stop_training()

    # ---- session files -------------------------------------------------------------------------------

    def save_session(self) -> SessionFile:
        """The lab's whole state, and where the user was: view, playhead, speed, column widths."""
        state, arrays = self.lab_state()
        layout = {"view": self.view_names()[self.views.currentIndex()], "position": self.playhead.position,
                  "speed": self.playhead.speed, "splitter": self.splitter.sizes()}  # fmt: skip
        return SessionFile(self.lab, {**state, "version": self.state_version, "layout": layout}, arrays)

    def restore_session(self, file: SessionFile) -> None:
        """Back to where ``file`` was saved; a ValueError (with the reason) leaves the lab as it was."""
        if file.lab != self.lab:
            raise ValueError(f"this is a session of the {file.lab} lab, not of the {self.lab} lab")
        state = dict(file.state)
        version = state.pop("version", 1)  # files from before versions were written are version 1
        if type(version) is not int or not 1 <= version <= self.state_version:
            raise ValueError(f"this {self.lab} session has state version {version!r}; this Unroll reads versions "
                             f"1 to {self.state_version} (a newer Unroll wrote it?)")  # fmt: skip
        layout = state.pop("layout", {})
        if not isinstance(layout, dict):
            raise ValueError("the session's layout must be a mapping")
        if version < self.state_version:
            state = self.migrate_state(state, version)
        self.playhead.pause()
        self.restore_lab_state(state, file.arrays)
        view = layout.get("view")
        if isinstance(view, str) and view in self.view_names():
            self.show_view(view)
        speed, position = layout.get("speed"), layout.get("position")
        if isinstance(speed, (int, float)) and not isinstance(speed, bool):
            self.playhead.set_speed(speed)
        if isinstance(position, int) and not isinstance(position, bool):
            self.playhead.seek(min(max(position, 0), self.playhead.length - 1))
        sizes = layout.get("splitter")
        # sizes of a panel never shown are zeros: keep the default then, and never hide the controls
        if isinstance(sizes, list) and len(sizes) == 2 and all(type(v) is int and v > 50 for v in sizes):
            self.splitter.setSizes(sizes)

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON values, arrays) that ``restore_lab_state`` takes back."""
        raise NotImplementedError

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Put back what ``lab_state`` gave (without "version" and "layout", which are the base class's); check
        everything first: a ValueError must leave the lab as it was."""
        raise NotImplementedError

    def migrate_state(self, state: dict, version: int) -> dict:
        """``state`` of an older ``version`` in the shape ``restore_lab_state`` takes now."""
        raise ValueError(f"the {self.lab} lab cannot read its sessions of version {version}")

    # ---- lessons (app.lessons): a step is the lab's settings, work done from the seed, and where to look --------

    lesson_settings: type | None = None  # the frozen settings dataclass a step sets (app.sessions.settings)
    lesson_work: tuple[str, ...] = ()  # the kinds of work a step may ask done in the background ("train", …)
    lesson_busy = False  # a lesson's worker is working on this lab

    def current_lesson_settings(self) -> object:
        """The settings on show, as a ``lesson_settings`` (what "add this moment as a step" records)."""
        raise ValueError(f"the {self.lab} lab takes no part in lessons yet")

    def start_lesson(self, settings: object, work: dict[str, int]) -> None:
        """The lab anew from its seed under ``settings`` (user's training stopped), ready for ``work``."""
        raise ValueError(f"the {self.lab} lab takes no part in lessons yet")

    def lesson_key(self, settings: object) -> object:
        """The part of ``settings`` the work depends on: a step's state is kept, and reached again, by it. All of
        them, unless some only say how to show the result (``show_lesson_settings`` sets those)."""
        return settings

    def show_lesson_settings(self, settings: object) -> None:
        """After a kept state came back: the step's settings outside ``lesson_key``, which ask no work."""

    def lesson_work_done(self, kind: str) -> int:
        return 0

    def do_lesson_work(self, kind: str) -> None:
        """One unit of ``kind`` (a training step, an epoch), on the lesson's worker thread: engine only, no
        widgets; the panel's controls are disabled meanwhile (``set_lesson_busy``)."""
        raise ValueError(f"the {self.lab} lab does no {kind!r} work")

    def lesson_frame(self, kind: str) -> object:
        """On the worker: copies of what the views draw of the work so far (deterministic: a step's picture
        must not depend on how many frames a machine had time for)."""
        return None

    def show_lesson_frame(self, kind: str, frame: object) -> None:
        """On the GUI thread: show what ``lesson_frame`` made."""

    def lesson_work_finished(self) -> None:
        """On the GUI thread, once a step's work is done (before its state is cached)."""

    def restore_lesson_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Back to a state a lesson cached (``lab_state``)."""
        self.playhead.pause()
        self.restore_lab_state(state, arrays)

    def set_lesson_busy(self, busy: bool) -> None:
        """While a lesson's worker trains this lab, nothing else may touch it: the controls wait."""
        self.lesson_busy = busy
        self.scroll.setEnabled(not busy)
        self.transport.setEnabled(not busy)

    def shutdown(self) -> None:
        self.playhead.pause()
