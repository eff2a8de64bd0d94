"""The main window: one tab per lab, menus, the message banner and presentation mode. No numerics here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.panels import PANELS, panel_class
from app.theme import themes
from app.views.lazy_tabs import LazyTabWidget

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
        self.panels: dict[str, QWidget] = {}
        self.tabs = LazyTabWidget()
        self.tabs.setDocumentMode(True)
        # Labs are built when their tab is first shown: the window opens on the first one without waiting.
        for name, (_, title) in PANELS.items():
            if panels is None or name in panels:
                self.tabs.add_page(name, title, lambda name=name: self._build_panel(name))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.statusBar().showMessage("Space: play/pause · ←/→: step · F5: presentation mode · Ctrl+O: open a file")

    def _build_panel(self, name: str) -> QWidget:
        panel = panel_class(name)(self)
        panel.message.connect(self.banner.show_message)
        self.panels[name] = panel
        return panel

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
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Open…", self.open_dialog, QKeySequence.Open)
        self._action(file_menu, "&Export view as PNG…", self.export_dialog, "Ctrl+E")
        self._action(file_menu, "Export view as &SVG…", lambda: self.export_dialog("svg"))
        self._action(file_menu, "Export &animation (GIF/MP4)…", lambda: self.export_dialog("animation"))
        self._action(file_menu, "Export &trace (.npz/.csv)…", lambda: self.export_dialog("trace"))
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

    def export_dialog(self, kind: str = "png") -> None:
        from app.export import export_dialog  # imported when first used: it brings every lab's engine along

        export_dialog(self, kind)

    def closeEvent(self, event) -> None:
        for panel in self.panels.values():
            panel.shutdown()
        super().closeEvent(event)
