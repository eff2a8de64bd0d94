"""A teacher's lesson editor, under the player: add the moment on show as a step, write its words in both
languages, reorder, remove, save (atomically)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.lessons.lesson import SUFFIX, Lesson, in_language, save_lesson
from app.lessons.stage import moment


class LessonEditor(QGroupBox):
    """Checked, it shows its fields; ``player`` is the ``LessonPlayer`` whose lesson it edits."""

    def __init__(self, player) -> None:
        super().__init__(tr("Edit the lesson"))
        self.player = player
        self.path: str | None = None  # where the lesson was last saved or opened (built-ins: none)
        self.setCheckable(True)
        self.setChecked(False)
        self.setFlat(True)
        self.body = QWidget()
        self.title_en, self.title_zh = QLineEdit(), QLineEdit()
        self.steps = QListWidget()
        self.text_en, self.text_zh = QPlainTextEdit(), QPlainTextEdit()
        for box in (self.text_en, self.text_zh):
            box.setTabChangesFocus(True)
            box.setFixedHeight(64)
        self.steps.setFixedHeight(76)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.steps.setTextElideMode(Qt.ElideRight)
        self.add_button = QPushButton(tr("Add this moment as a step"))
        self.remove_button, self.up_button, self.down_button = QPushButton(tr("Remove")), QPushButton("▲"), \
            QPushButton("▼")  # fmt: skip
        self.up_button.setToolTip(tr("Move the step earlier"))
        self.down_button.setToolTip(tr("Move the step later"))
        self.save_button = QPushButton(tr("Save the lesson…"))
        form = QFormLayout()
        form.addRow(tr("Title (English)"), self.title_en)
        form.addRow(tr("Title (Chinese)"), self.title_zh)
        row = QHBoxLayout()
        for b in (self.remove_button, self.up_button, self.down_button):
            row.addWidget(b)
        texts = QFormLayout()
        texts.addRow(tr("English"), self.text_en)
        texts.addRow(tr("Chinese"), self.text_zh)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.add_button)
        layout.addWidget(self.steps)
        layout.addLayout(row)
        layout.addLayout(texts)
        layout.addWidget(self.save_button)
        QVBoxLayout(self).addWidget(self.body)
        self.body.setVisible(False)
        self.toggled.connect(self.body.setVisible)
        self._connect()

    def speak_again(self) -> None:
        self.setTitle(tr("Edit the lesson"))
        self.add_button.setText(tr("Add this moment as a step"))
        self.remove_button.setText(tr("Remove"))
        self.save_button.setText(tr("Save the lesson…"))

    def _connect(self) -> None:
        self.add_button.clicked.connect(self.add_moment)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.save_button.clicked.connect(self.save_dialog)
        self.steps.currentRowChanged.connect(self._row_chosen)
        self.title_en.textEdited.connect(lambda text: self._set_title("en", text))
        self.title_zh.textEdited.connect(lambda text: self._set_title("zh", text))
        self.text_en.textChanged.connect(lambda: self._set_text("en", self.text_en.toPlainText()))
        self.text_zh.textChanged.connect(lambda: self._set_text("zh", self.text_zh.toPlainText()))

    @property
    def lesson(self) -> Lesson | None:
        return self.player.lesson

    def show_lesson(self, lesson: Lesson | None) -> None:
        self.setEnabled(lesson is not None)
        self.title_en.setText(lesson.title["en"] if lesson else "")
        self.title_zh.setText(lesson.title["zh"] if lesson else "")
        self._fill_steps()
        self.show_step(0)

    def _fill_steps(self) -> None:
        self.steps.blockSignals(True)
        self.steps.clear()
        for k, step in enumerate(self.lesson.steps if self.lesson else []):
            words = in_language(step.text, "en").split("\n")[0][:40]
            self.steps.addItem(f"{k + 1}. {step.lab} · {step.view or ''} · {words}")
        self.steps.blockSignals(False)

    def show_step(self, index: int) -> None:
        """Step ``index``'s words in the boxes, its row chosen (without signalling back)."""
        step = self.lesson.steps[index] if self.lesson and index < len(self.lesson.steps) else None
        for box, language in ((self.text_en, "en"), (self.text_zh, "zh")):
            box.blockSignals(True)
            box.setPlainText(step.text[language] if step else "")
            box.setEnabled(step is not None)
            box.blockSignals(False)
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index if step else -1)
        self.steps.blockSignals(False)
        for b in (self.remove_button, self.up_button, self.down_button):
            b.setEnabled(step is not None)

    def _row_chosen(self, row: int) -> None:
        if row >= 0:
            self.player.go(row)

    def _set_title(self, language: str, text: str) -> None:
        if self.lesson is not None:
            self.lesson.title[language] = text
            self.player.refresh()

    def _set_text(self, language: str, text: str) -> None:
        step = self.player.step
        if step is not None:
            step.text[language] = text
            self.player.refresh()
            item = self.steps.item(self.player.index)
            if item is not None and language == "en":
                item.setText(f"{self.player.index + 1}. {step.lab} · {step.view or ''} · {text.split(chr(10))[0][:40]}")

    # ------------------------------------------------------------------ changing the steps

    def add_moment(self) -> None:
        """The current lab as it is now, as a step after the one on show."""
        if self.lesson is None:
            return
        try:
            step = moment(self.player.window.current_panel())
        except ValueError as exc:
            self.player.message.emit("error", tr(str(exc)))
            return
        at = self.player.index + 1 if self.lesson.steps else 0
        self.lesson.steps.insert(at, step)
        self._fill_steps()
        self.player.index = at
        self.player.refresh()
        self.show_step(at)

    def remove_step(self) -> None:
        if self.player.step is None:
            return
        del self.lesson.steps[self.player.index]
        self._fill_steps()
        self.player.index = min(self.player.index, max(len(self.lesson.steps) - 1, 0))
        self.player.refresh()
        self.show_step(self.player.index)

    def move_step(self, by: int) -> None:
        k, steps = self.player.index, self.lesson.steps if self.lesson else []
        if not 0 <= k + by < len(steps):
            return
        steps[k], steps[k + by] = steps[k + by], steps[k]
        self._fill_steps()
        self.player.index = k + by
        self.player.refresh()
        self.show_step(k + by)

    # ------------------------------------------------------------------ saving

    def save_dialog(self) -> None:
        if self.lesson is None:
            return
        kind = tr("Unroll lessons")
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the lesson"), self.path or f"lesson{SUFFIX}",
                                              f"{kind} (*{SUFFIX})")  # fmt: skip
        if path:
            self.save(path)

    def save(self, path: str) -> bool:
        """Write the lesson to ``path`` atomically; a lesson without steps, or a failed write, is said and
        leaves the file as it was."""
        if not self.lesson.steps:
            self.player.message.emit("error", tr("A lesson needs at least one step before it can be saved"))
            return False
        if not path.lower().endswith(SUFFIX):
            path += SUFFIX
        try:
            save_lesson(path, self.lesson)
        except (OSError, ValueError) as exc:
            failed = tr("Could not save {name}").format(name=path)
            self.player.message.emit("error", f"{failed}: {exc}")
            return False
        self.path = path
        self.player.message.emit("info", tr("Saved {name}").format(name=path))
        return True
