"""What every lab panel shares: a playhead with its transport bar, named views in tabs, a side column of
controls and a message signal. Subclasses build their views and controls and drive the playhead."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.playhead import Playhead
from app.views.lazy_tabs import LazyTabWidget
from app.views.transport import TransportBar


class LabPanel(QWidget):
    title = "Lab"
    file_filter = "All files (*)"
    message = Signal(str, str)  # (level, text) for the window's banner

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.playhead = Playhead(parent=self)
        self.transport = TransportBar(self.playhead, self.describe_position)
        self.transport.install_shortcuts(self)
        self.views = LazyTabWidget()
        self.controls = QWidget()
        self.controls_layout = QVBoxLayout(self.controls)
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(340)
        scroll.setMaximumWidth(420)
        splitter = QSplitter()
        splitter.addWidget(self.views)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.transport)
        layout.addLayout(bar)

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

    def shutdown(self) -> None:
        self.playhead.pause()
