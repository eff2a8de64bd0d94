"""LazyTabWidget builds a page when first shown, and a label changing its text inside a page repaints the label,
not the whole tab widget (QTabWidget repaints all it holds on every layout request)."""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.views.lazy_tabs import LazyTabWidget


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted: list[QObject] = []

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Paint:
            self.painted.append(obj)
        return False


def make_tabs(qtbot) -> tuple[LazyTabWidget, QLabel, list[str]]:
    built = []
    label = QLabel("t = 0")

    def page() -> QWidget:
        built.append("second")
        return QWidget()

    first = QWidget()
    QVBoxLayout(first).addWidget(label)
    tabs = LazyTabWidget()
    tabs.add_page("first", "First", first)
    tabs.add_page("second", "Second", page)
    qtbot.addWidget(tabs)
    tabs.resize(400, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs, label, built


def test_pages_are_built_when_first_shown(qtbot):
    tabs, _, built = make_tabs(qtbot)
    assert built == []
    tabs.setCurrentIndex(1)
    assert built == ["second"] and tabs.names() == ["first", "second"]


def test_new_text_in_a_page_repaints_the_label_not_the_tab_bar(qtbot, qapp):
    tabs, label, _ = make_tabs(qtbot)
    counter = PaintCounter()
    qapp.processEvents()
    qapp.installEventFilter(counter)
    try:
        for t in range(1, 6):
            label.setText(f"t = {t}")
            qapp.processEvents()
    finally:
        qapp.removeEventFilter(counter)
    assert label in counter.painted
    assert tabs.tabBar() not in counter.painted


def test_a_longer_tab_title_still_lays_the_tabs_out(qtbot, qapp):
    tabs, _, _ = make_tabs(qtbot)
    before = tabs.tabBar().width()
    tabs.setTabText(0, "A much longer title for the first page")
    qapp.processEvents()
    assert tabs.tabBar().width() > before
