"""Tabs whose pages are built the first time they are shown, so that a window opens without waiting for
pages nobody has looked at yet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabWidget(QTabWidget):
    """Pages are named; ``add_page`` takes a widget or a function that makes one when first needed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._placed: tuple | None = None
        self.currentChanged.connect(self._build)

    def event(self, event) -> bool:
        """QTabWidget answers every layout request (a label's new text anywhere inside sends one up) by placing
        its tab bar and pages again and repainting itself and everything it holds: with the playhead moving, the
        whole window, each frame. When nothing it places from could have moved, only pass the request on."""
        if event.type() == QEvent.LayoutRequest and self.isVisible():
            placed = (self.size(), self.tabBar().sizeHint(), self.font().key(), self.style().name())
            if placed == self._placed:
                self.updateGeometry()
                return True
            self._placed = placed
        return super().event(event)

    def add_page(self, name: str, label: str, page: QWidget | Callable[[], QWidget]) -> None:
        if isinstance(page, QWidget):
            widget = page
        else:
            widget = QWidget()
            self._factories[name] = page
        widget.setObjectName(name)
        self.addTab(widget, label)
        if self.count() == 1:
            self._build(0)

    def remove_pages(self) -> None:
        """Every page goes (built ones are deleted), for pages to be added again."""
        pages = [self.widget(i) for i in range(self.count())]
        self._factories.clear()
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        for page in pages:
            page.deleteLater()

    def names(self) -> list[str]:
        return [self.widget(i).objectName() for i in range(self.count())]

    def page(self, name: str, show: bool = True) -> QWidget:
        """The page called ``name``, built if need be; brought to the front when ``show``."""
        names = self.names()
        if name not in names:
            raise ValueError(f"unknown page {name!r}; choose one of {', '.join(names)}")
        index = names.index(name)
        self._build(index)
        if show:
            self.setCurrentIndex(index)
        return self.widget(index)

    def _build(self, index: int) -> None:
        if index < 0:
            return
        name = self.widget(index).objectName()
        factory = self._factories.pop(name, None)
        if factory is None:
            return
        page = factory()
        page.setObjectName(name)
        placeholder, label, current = self.widget(index), self.tabText(index), self.currentIndex()
        self.blockSignals(True)
        self.removeTab(index)
        self.insertTab(index, page, label)
        self.setCurrentIndex(current)
        self.blockSignals(False)
        placeholder.deleteLater()
