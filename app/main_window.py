"""The main window: one tab per lab, menus, the message banner and presentation mode. No numerics here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from app import i18n, labs, languages, persistence
from app.i18n import tr
from app.theme import theme, themes
from app.views.lazy_tabs import LazyTabWidget
from app.warm_up import WarmUpThread
from engine.session_file import SUFFIX, SessionFile, load_session, save_session

SESSION_FILTER = f"Unroll sessions (*{SUFFIX})"

LEVEL_STYLES = {
    "error": "background:#fde2e1; color:#8a1c17; border:1px solid #e0a19d;",
    "info": "background:#e4f0fb; color:#0d3c61; border:1px solid #9cc3e6;",
}


class MessageBanner(QLabel):
    """A line above the labs that says what went wrong (or right), instead of a dialog that blocks."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.level = ""
        self._hide_timer = QTimer(self, singleShot=True, timeout=self.hide)
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        self.level = level
        self.setText(text)
        self.setStyleSheet(LEVEL_STYLES.get(level, LEVEL_STYLES["info"]) + "padding:6px; border-radius:4px;")
        self.show()
        self._hide_timer.start(15000 if level == "error" else 5000)


class MainWindow(QMainWindow):
    """``keep_work``: autosave the labs and offer what a crashed run left (the app; not screenshots or tests)."""

    language_changed = Signal(str)  # after the labs were rebuilt in the new language

    def __init__(self, panels: list[str] | None = None, keep_work: bool = False) -> None:
        super().__init__()
        self.shown_labs = [entry.name for entry in labs.LABS if panels is None or entry.name in panels]
        # 1440 × 900, or the screen's free area where that is smaller (a projector's 1280 × 720)
        free = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1440, free.width()), min(900, free.height()))
        self.banner = MessageBanner()
        self.panels: dict[str, QWidget] = {}
        self.session_paths: dict[str, str] = {}  # lab → the session file it was last saved to or opened from
        self.tabs = LazyTabWidget()
        self.tabs.setDocumentMode(True)
        self._add_tabs({})
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        self.restore_bar = None
        self.autosaver = None
        self.later: WarmUpThread | None = None
        if keep_work:
            self._keep_work(layout)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        from app.lessons.player import LessonDock

        self.lessons = LessonDock(self)
        self.language_changed.connect(self.lessons.speak_again)
        self._label()

    def _label(self) -> None:
        """Everything the window itself says, in the current language."""
        self.setWindowTitle(tr("Unroll") + " — " + tr("watch memory networks think and learn"))
        self.menuBar().clear()
        self._build_menus()
        self.lessons.build_menu()
        keys = (("Space", QT_TR_NOOP("play/pause")), ("←/→", QT_TR_NOOP("step by step")),
                ("F5", QT_TR_NOOP("presentation mode")), ("Ctrl+L", QT_TR_NOOP("language")),
                ("Ctrl+O", QT_TR_NOOP("open a file")))  # fmt: skip
        self.statusBar().showMessage(" · ".join(f"{key}: {tr(what)}" for key, what in keys))

    def _add_tabs(self, sessions: dict[str, SessionFile]) -> None:
        """One tab per lab, built when first shown (the window opens on the first one without waiting); a lab
        with a session in ``sessions`` comes back to it."""
        for entry in labs.LABS:
            if entry.name in self.shown_labs:
                build = lambda entry=entry: self._build_panel(entry, sessions.get(entry.name))  # noqa: E731
                self.tabs.add_page(entry.name, tr(entry.title), build)

    def _build_panel(self, entry: labs.Lab, session: SessionFile | None = None) -> QWidget:
        panel = entry.panel_class()(self)
        panel.message.connect(self.banner.show_message)
        self.panels[entry.name] = panel
        if session is not None:
            panel.restore_session(session)
        return panel

    def set_language(self, language: str) -> None:
        """Speak ``language`` (``app.i18n.LANGUAGES``) from now on, and remember it. Every lab opened so far is
        built again in it from its session, as it was (the work running in it stops)."""
        if language == i18n.language():
            return
        i18n.install(language)
        persistence.set_language(language)
        sessions = self.lab_sessions()
        current = self.current_panel().objectName()
        for panel in self.panels.values():
            panel.shutdown()
        self.panels.clear()
        self.tabs.remove_pages()
        self._add_tabs(sessions)
        self.show_panel(current)
        self._label()
        self.language_changed.emit(language)

    def cycle_language(self) -> None:
        order = ("en", "zh", "both")
        self.set_language(order[(order.index(i18n.language()) + 1) % len(order)])

    def current_panel(self) -> QWidget:
        return self.tabs.currentWidget()

    def show_panel(self, name: str) -> QWidget:
        """Bring lab ``name`` to the front, building it if it has not been shown yet."""
        return self.tabs.page(name)

    def _action(self, menu, text: str, slot, shortcut=None, checkable: bool = False) -> QAction:
        action = QAction(text, self, checkable=checkable)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self._action(file_menu, tr("&Open…"), self.open_dialog, QKeySequence.Open)
        self.recent_menu = file_menu.addMenu(tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._action(file_menu, tr("&Save session"), self.save_session, QKeySequence.Save)
        self._action(file_menu, tr("Save session &as…"), self.save_session_as, QKeySequence.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, tr("&Export view as PNG…"), self.export_dialog, "Ctrl+E")
        self._action(file_menu, tr("Export view as &SVG…"), lambda: self.export_dialog("svg"))
        self._action(file_menu, tr("Export &animation (GIF/MP4)…"), lambda: self.export_dialog("animation"))
        self._action(file_menu, tr("Export &trace (.npz/.csv)…"), lambda: self.export_dialog("trace"))
        file_menu.addSeparator()
        self._action(file_menu, tr("&Quit"), self.close, QKeySequence.Quit)
        view_menu = self.menuBar().addMenu(tr("&View"))
        self.presentation_action = self._action(
            view_menu, tr("&Presentation mode"), themes().set_presentation, "F5", checkable=True
        )
        self.presentation_action.setChecked(theme().presentation)
        self._action(view_menu, tr("&Full screen"), self.toggle_full_screen, "F11")
        language_menu = view_menu.addMenu(tr("&Language"))
        group = QActionGroup(self)
        for language in ("en", "zh", "both"):
            action = language_menu.addAction(languages.NAMES[language])
            action.setCheckable(True)
            action.setChecked(language == i18n.language())
            action.triggered.connect(lambda _=False, language=language: self.set_language(language))
            group.addAction(action)
        language_menu.addSeparator()
        self._action(language_menu, tr("Next language"), self.cycle_language, "Ctrl+L")

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def open_dialog(self) -> None:
        panel = self.current_panel()
        lessons = tr("Unroll lessons")
        filters = f"{panel.file_filter};;{SESSION_FILTER};;{lessons} (*.json)"
        path, _ = QFileDialog.getOpenFileName(self, tr("Open in {lab}").format(lab=panel.title), "", filters)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        """A session file goes to its own lab, any other file to the current lab; a bad file leaves everything
        as it was and says why."""
        try:
            if Path(path).suffix.lower() == ".json":
                self.lessons.open_path(path)
            elif Path(path).suffix.lower() == SUFFIX:
                self.restore_session(load_session(path))
                self.session_paths[self.current_panel().lab] = str(path)
            else:
                self.current_panel().open_file(path)
        except (ValueError, OSError) as exc:
            self.banner.show_message(
                "error", tr("Could not open {name}").format(name=Path(path).name) + f": {tr(str(exc))}"
            )
            return False
        persistence.add_recent_file(path)
        self.banner.show_message("info", tr("Opened {name}").format(name=Path(path).name))
        return True

    def restore_session(self, file: SessionFile) -> None:
        if file.lab not in labs.names():
            raise ValueError(f"it is a session of a lab this Unroll does not have ({file.lab!r})")
        if file.lab not in self.tabs.names():
            raise ValueError(f"this window has no {file.lab} lab")
        self.show_panel(file.lab).restore_session(file)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in persistence.recent_files():
            label = f"{Path(path).name}   —   {Path(path).parent}"  # the folder tells two lessons.unroll apart
            self.recent_menu.addAction(label, lambda path=path: self._open_recent(path)).setToolTip(path)
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(tr("(none yet)")).setEnabled(False)

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            persistence.remove_recent_file(path)
            self.banner.show_message(
                "error", tr("{path} no longer exists; it was taken off the list").format(path=path)
            )
            return
        self.open_file(path)

    # ---- sessions -------------------------------------------------------------------------------------

    def save_session(self) -> bool:
        """Save the current lab to the session file it came from, or ask for one."""
        path = self.session_paths.get(self.current_panel().lab)
        return self.save_session_to(path) if path else self.save_session_as()

    def save_session_as(self) -> bool:
        panel = self.current_panel()
        title = tr("Save the {lab} session").format(lab=panel.title)
        path, _ = QFileDialog.getSaveFileName(self, title, f"{panel.lab}{SUFFIX}", SESSION_FILTER)
        return bool(path) and self.save_session_to(path)

    def save_session_to(self, path: str) -> bool:
        """Write the current lab's session (atomically); a failure is shown and loses nothing."""
        path = str(Path(path).with_suffix(SUFFIX)) if Path(path).suffix.lower() != SUFFIX else str(path)
        panel = self.current_panel()
        try:
            save_session(path, panel.save_session())
        except (ValueError, OSError) as exc:
            self.banner.show_message(
                "error", tr("Could not save {name}").format(name=Path(path).name) + f": {tr(str(exc))}"
            )
            return False
        self.session_paths[panel.lab] = path
        persistence.add_recent_file(path)
        self.banner.show_message("info", tr("Saved {name}").format(name=Path(path).name))
        return True

    def _keep_work(self, layout: QVBoxLayout) -> None:
        from app.autosave import Autosaver
        from app.views.restore_bar import RestoreBar

        self.autosaver = Autosaver(self.lab_sessions, parent=self)
        self.autosaver.failed.connect(lambda text: self.banner.show_message("error", text))
        leftovers = persistence.leftovers()
        if leftovers:
            self.restore_bar = RestoreBar(leftovers[0])
            self.restore_bar.restore_requested.connect(self.restore_leftover)
            self.restore_bar.discard_requested.connect(lambda leftover: leftover.discard())
            layout.addWidget(self.restore_bar)

    def lab_sessions(self) -> dict[str, SessionFile]:
        """Every lab opened so far, as session files."""
        return {lab: panel.save_session() for lab, panel in self.panels.items() if not panel.lesson_busy}

    def restore_leftover(self, leftover: persistence.Leftover) -> None:
        """Bring back every lab a crashed run autosaved; a damaged one is named, the others still restored."""
        problems = []
        for lab, path in sorted(leftover.sessions.items()):
            try:
                self.restore_session(load_session(path, lab))
            except (ValueError, OSError) as exc:
                problems.append(f"{path.name}: {exc}")
        if problems:
            self.banner.show_message("error", tr("Could not restore") + " " + "; ".join(problems))
        else:
            self.banner.show_message("info", tr("Restored the autosaved work"))
            leftover.discard()

    def export_dialog(self, kind: str = "png") -> None:
        from app.export import export_dialog  # imported when first used: it brings every lab's engine along

        export_dialog(self, kind)

    def load_kernels(self, jobs) -> WarmUpThread:
        """Compile or load the kernels of ``jobs`` (``engine.warmup``) in the background, starting once the
        window has painted; closing the window ends it after its current job."""
        self.later = WarmUpThread(list(jobs), self)
        QTimer.singleShot(0, self.later.start)
        return self.later

    def closeEvent(self, event) -> None:
        self.lessons.player.stage.cancel()
        if self.later is not None:
            self.later.stop()
        for panel in self.panels.values():
            panel.shutdown()
        if self.autosaver is not None:
            self.autosaver.finish()
        super().closeEvent(event)
