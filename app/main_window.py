"""The main window: one tab per lab, menus, the message banner and presentation mode. No numerics here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from app.export import export_dialog
from app.panels import available_panels
from app.theme import themes

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
    def __init__(self, panels: list[str] | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Unroll · 展开 — watch memory networks think and learn")
        self.resize(1440, 900)
        self.banner = MessageBanner()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.panels: dict[str, QWidget] = {}
        # Labs are built when their tab is first shown: the window opens on the first one without waiting
        # for the others.
        self._classes = {name: cls for name, cls in available_panels().items() if panels is None or name in panels}
        for name, cls in self._classes.items():
            placeholder = QWidget()
            placeholder.setObjectName(name)
            self.tabs.addTab(placeholder, cls.title)
        self.tabs.currentChanged.connect(self._build_current)
        self._build_current(self.tabs.currentIndex())
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.statusBar().showMessage("Space: play/pause · ←/→: step · F5: presentation mode · Ctrl+O: open a file")

    def _build_current(self, index: int) -> None:
        name = self.tabs.widget(index).objectName() if index >= 0 else ""
        if name not in self._classes or name in self.panels:
            return
        panel = self._classes[name](self)
        panel.setObjectName(name)
        panel.message.connect(self.banner.show_message)
        self.panels[name] = panel
        self.tabs.blockSignals(True)
        placeholder = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, panel, panel.title)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()

    def current_panel(self) -> QWidget:
        return self.tabs.currentWidget()

    def show_panel(self, name: str) -> QWidget:
        """Bring lab ``name`` to the front, building it if it has not been shown yet."""
        names = [self.tabs.widget(i).objectName() for i in range(self.tabs.count())]
        self.tabs.setCurrentIndex(names.index(name))
        return self.panels[name]

    def _action(self, menu, text: str, slot, shortcut=None, checkable: bool = False) -> QAction:
        action = QAction(text, self, checkable=checkable)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open…", self.open_dialog, QKeySequence.Open)
        self._action(file_menu, "&Export view as PNG…", self.export_dialog, "Ctrl+E")
        self._action(file_menu, "Export view as &SVG…", lambda: export_dialog(self, "svg"))
        self._action(file_menu, "Export &animation (GIF/MP4)…", lambda: export_dialog(self, "animation"))
        self._action(file_menu, "Export &trace (.npz/.csv)…", lambda: export_dialog(self, "trace"))
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.Quit)
        view_menu = self.menuBar().addMenu("&View")
        self.presentation_action = self._action(
            view_menu, "&Presentation mode", themes().set_presentation, "F5", checkable=True
        )
        self._action(view_menu, "&Full screen", self.toggle_full_screen, "F11")

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def open_dialog(self) -> None:
        panel = self.current_panel()
        path, _ = QFileDialog.getOpenFileName(self, f"Open in {panel.title}", "", panel.file_filter)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        """Hand ``path`` to the current lab; a bad file leaves everything as it was and says why."""
        try:
            self.current_panel().open_file(path)
        except (ValueError, OSError) as exc:
            self.banner.show_message("error", f"Could not open {Path(path).name}: {exc}")
            return False
        self.banner.show_message("info", f"Opened {Path(path).name}")
        return True

    def export_dialog(self) -> None:
        export_dialog(self, "png")

    def closeEvent(self, event) -> None:
        for panel in self.panels.values():
            panel.shutdown()
        super().closeEvent(event)
