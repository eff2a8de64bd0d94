"""The lesson player beside the labs: the step's words, step k of n, Back and Next (PageUp, PageDown: what a
presenter's remote sends), B for a black screen; and, for a teacher, the lesson editor."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app import i18n, labs
from app.i18n import tr
from app.lessons.editor import LessonEditor
from app.lessons.lesson import SUFFIX, Lesson, Step, builtin_names, builtin_path, in_language, load_lesson
from app.lessons.overlay import BlankScreen, Pointer
from app.lessons.stage import Stage
from app.theme import theme, themes


class LessonPlayer(QWidget):
    """Plays ``lesson`` in ``window`` (a MainWindow: ``show_panel``, ``panels``); ``message(level, text)`` for
    the window's banner."""

    message = Signal(str, str)

    def __init__(self, window, parent=None) -> None:
        super().__init__(parent)
        self.window = window
        self.shown = False  # is the player's dock open
        self.lesson: Lesson | None = None
        self.index = 0
        self.stage = Stage(window.show_panel, self)
        self.stage.reached.connect(self._reached)
        self.stage.progressed.connect(self._progressed)
        self.stage.busy_changed.connect(self._busy)
        self.stage.failed.connect(lambda text: self.message.emit("error", tr(text)))
        self._pointers: dict[str, Pointer] = {}
        self.title = QLabel(wordWrap=True)
        self.counter = QLabel()
        self.text = QLabel(wordWrap=True, alignment=Qt.AlignTop | Qt.AlignLeft, textFormat=Qt.PlainText)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.text.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # wrap to the column, never widen it
        self._fit_font()
        # through a timer of its own: the global signal lets go of a C++ slot whose object is gone, not of a method
        themes().changed.connect(QTimer(self, singleShot=True, interval=0, timeout=self._fit_font).start)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        scroll.setWidget(self.text)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_label = QLabel(wordWrap=True)
        self.back_button = QPushButton(tr("◀ Back"))
        self.next_button = QPushButton(tr("Next ▶"))
        self.back_button.setToolTip(tr("The previous step (PageUp)"))
        self.next_button.setToolTip(tr("The next step (PageDown)"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.editor = LessonEditor(self)
        self.controls_button = QPushButton(tr("Lab controls"), checkable=True)
        self.controls_button.setToolTip(tr("Show the lab's controls beside its views while the lesson plays"))
        self.controls_button.toggled.connect(self.fit_controls)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        for w in (self.title, self.counter):
            layout.addWidget(w)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addLayout(buttons)
        layout.addWidget(self.controls_button)
        layout.addWidget(self.editor)
        self._busy(False)
        self.editor.toggled.connect(self.fit_controls)
        self.show_lesson(None)

    # ------------------------------------------------------------------ playing

    def show_lesson(self, lesson: Lesson | None, start: int = 0) -> None:
        self.stage.cancel()
        self.stage.forget()
        self.lesson = lesson
        self.editor.show_lesson(lesson)
        if lesson is not None and lesson.steps:
            self.go(start)
        else:
            self.index = 0
            self._clear_pointers()
            self.refresh()
            self.fit_controls()

    def go(self, index: int) -> None:
        """Step ``index`` (from 0), its state from the stage: at once, or after its work in the background."""
        if self.lesson is None or not self.lesson.steps:
            return
        self.index = min(max(index, 0), len(self.lesson.steps) - 1)
        self._clear_pointers()
        self.refresh()
        self.editor.show_step(self.index)
        self.stage.go(self.index, self.lesson.steps[self.index])
        self.fit_controls()

    def next(self) -> None:
        if self.lesson is not None and self.index < len(self.lesson.steps) - 1:
            self.go(self.index + 1)

    def back(self) -> None:
        if self.lesson is not None and self.index > 0:
            self.go(self.index - 1)

    @property
    def step(self) -> Step | None:
        return self.lesson.steps[self.index] if self.lesson is not None and self.lesson.steps else None

    def refresh(self) -> None:
        """Words in the interface's language (again after it changes, or after an edit)."""
        language = i18n.language()
        if self.lesson is None:
            none = tr("No lesson open")
            self.title.setText(f"<b>{none}</b>")
            self.counter.setText("")
            self.text.setText(tr("Choose a lesson from the Lessons menu, or open a lesson file."))
        else:
            title = _escaped(in_language(self.lesson.title, language)).replace("\n", "<br>")
            self.title.setText(f"<b>{title}</b>")
            n = len(self.lesson.steps)
            self.counter.setText(tr("Step {k} of {n}").format(k=self.index + 1, n=n) if n else tr("No steps yet"))
            self.text.setText(in_language(self.step.text, language) if self.step else
                              tr("Set a lab up, then add this moment as a step."))  # fmt: skip
        has = self.lesson is not None and bool(self.lesson.steps)
        self.back_button.setEnabled(has and self.index > 0)
        self.next_button.setEnabled(has and self.index < len(self.lesson.steps) - 1)
        step = self.step
        if step is not None and step.pointer and step.lab in self._pointers and self._pointers[step.lab].view:
            self._pointers[step.lab].text = in_language(step.pointer.get("text", {}), language)
            self._pointers[step.lab].update()

    def _fit_font(self, *_) -> None:
        """What the class reads, a little larger than the controls (in presentation mode too)."""
        font = QFont(self.text.font())
        font.setPointSizeF(theme().font_point_size * (1.0 if theme().presentation else 1.2))
        self.text.setFont(font)

    def set_shown(self, shown: bool) -> None:
        """The dock was shown or closed."""
        self.shown = shown
        self.fit_controls()

    def fit_controls(self) -> None:
        """While a lesson plays, its steps set the labs: their controls columns step aside for the views (and
        come back when asked for, for a teacher editing the lesson, or once the player is closed)."""
        asked = self.editor.isChecked() or self.controls_button.isChecked()
        playing = self.shown and self.lesson is not None and not asked
        for panel in self.window.panels.values():
            panel.scroll.setVisible(not playing)

    def speak_again(self) -> None:
        for pointer in self._pointers.values():
            if isValid(pointer):  # else it went with the lab it was drawn over
                pointer.deleteLater()
        self._pointers.clear()
        for button, text in ((self.back_button, "◀ Back"), (self.next_button, "Next ▶"),
                             (self.controls_button, "Lab controls")):  # fmt: skip
            button.setText(tr(text))
        self.editor.speak_again()
        if self.step is not None and self.shown:
            self.go(self.index)
        else:
            self.refresh()

    # ------------------------------------------------------------------ the stage's news

    def _reached(self, index: int) -> None:
        step = self.lesson.steps[index] if self.lesson is not None and index < len(self.lesson.steps) else None
        if step is None or not step.pointer:
            return
        panel = self.window.show_panel(step.lab)
        pointer = self._pointers.get(step.lab)
        if pointer is None:
            pointer = self._pointers[step.lab] = Pointer(panel.views)
        view = step.view or panel.view_names()[panel.views.currentIndex()]
        text = in_language(step.pointer.get("text", {}), i18n.language())
        pointer.point(view, step.pointer, text)

    def _clear_pointers(self) -> None:
        for pointer in self._pointers.values():
            if isValid(pointer):
                pointer.clear()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_label.setText(tr("Getting this step ready in the background: {done} of {total}").format(
            done=done, total=total))  # fmt: skip

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        if busy:
            self._progressed(0, 1)

    # ------------------------------------------------------------------ keys

    def install_keys(self, window) -> BlankScreen:
        """PageDown and PageUp step, B blanks the screen (B again, or Esc, brings it back)."""
        blank = BlankScreen(window)
        keys = ((QKeySequence.MoveToNextPage, self.next), (QKeySequence.MoveToPreviousPage, self.back),
                (QKeySequence(Qt.Key_B), blank.toggle), (QKeySequence(Qt.Key_Escape), blank.hide))  # fmt: skip
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.WindowShortcut)
            shortcut.activated.connect(slot)
        return blank


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LessonDock(QDockWidget):
    """The player in a dock beside the labs, with the Lessons menu: the built-in lessons, open, new, edit."""

    def __init__(self, window) -> None:
        super().__init__(tr("Lesson"), window)
        self.setObjectName("lesson-player")
        self.player = LessonPlayer(window)
        self.player.message.connect(window.banner.show_message)
        self.setWidget(self.player)
        self.visibilityChanged.connect(self.player.set_shown)
        self._fit_width()
        themes().changed.connect(QTimer(self, singleShot=True, interval=0, timeout=self._fit_width).start)
        window.addDockWidget(Qt.RightDockWidgetArea, self)
        self.hide()
        self.blank = self.player.install_keys(window)
        self.main_window = window

    def _fit_width(self, *_) -> None:
        """Wider in presentation mode, for its large words."""
        self.setMinimumWidth(320 if theme().presentation else 260)

    def build_menu(self) -> None:
        """The Lessons menu, in the current language (the window builds its menus anew when that changes)."""
        self.menu = menu = self.main_window.menuBar().addMenu(tr("&Lessons"))
        for name in builtin_names():
            try:
                title = in_language(load_lesson(builtin_path(name)).title, i18n.language())
            except ValueError:
                continue  # a test holds every built-in lesson to the format
            menu.addAction(title, lambda name=name: self.open_builtin(name))
        menu.addSeparator()
        menu.addAction(tr("Open a lesson file…"), self.open_dialog)
        menu.addAction(tr("New lesson"), self.new_lesson)
        menu.addAction(tr("Add this moment as a step"), self._add_moment)
        menu.addSeparator()
        menu.addAction(self.toggleViewAction())

    def speak_again(self, *_) -> None:
        """After the interface's language changed (the labs and the menus were built anew in it): the player's
        words, and the step on show put back into the new labs (at once: its state is kept)."""
        self.setWindowTitle(tr("Lesson"))
        self.player.speak_again()

    def open_builtin(self, name: str) -> None:
        self.open_path(str(builtin_path(name)))
        self.player.editor.path = None  # a teacher's changes go to a file of their own

    def open_path(self, path: str) -> None:
        """Play the lesson in ``path``; a damaged or foreign file raises ValueError and changes nothing."""
        lesson = load_lesson(path, self.panel_classes())
        self.show()
        self.player.show_lesson(lesson)
        self.player.editor.path = path

    @staticmethod
    def panel_classes() -> dict[str, type]:
        return {entry.name: entry.panel_class() for entry in labs.LABS}

    def open_dialog(self) -> None:
        kind = tr("Unroll lessons")
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a lesson"), "", f"{kind} (*{SUFFIX})")
        if path:
            self.parent().open_file(path)

    def new_lesson(self) -> None:
        self.show()
        self.player.show_lesson(Lesson({"en": "My lesson", "zh": "我的课"}, []))
        self.player.editor.path = None
        self.player.editor.setChecked(True)

    def _add_moment(self) -> None:
        if self.player.lesson is None:
            self.new_lesson()
        self.show()
        self.player.editor.setChecked(True)
        self.player.editor.add_moment()
