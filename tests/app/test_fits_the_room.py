"""Every lab fits a projector's 1024 × 768, on a desk and in presentation mode: the window keeps the size it was
given (a lab that needs more scrolls inside it), and the controls column and the transport bar lie inside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from app import labs
from app.main_window import MainWindow
from app.theme import setup_application, themes

SCREEN = (1024, 768)


def inside(widget: QWidget, window: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))


@pytest.fixture(params=[lab.name for lab in labs.LABS])
def window(request, qtbot):
    setup_application()
    w = MainWindow(panels=[request.param])
    qtbot.addWidget(w)
    w.resize(*SCREEN)
    w.show()
    yield w
    themes().set_presentation(False)
    for panel in w.panels.values():
        panel.shutdown()


def test_every_lab_and_view_fits_1024_by_768_in_both_modes(window):
    panel = window.current_panel()
    for presentation in (False, True):
        themes().set_presentation(presentation)
        for name in panel.view_names():
            panel.show_view(name)
            for _ in range(3):
                QApplication.processEvents()
            where = f"{panel.lab}/{name}, presentation {presentation}"
            assert window.size().toTuple() == SCREEN, where
            hint = window.minimumSizeHint()
            assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], where
            for part in (panel.scroll, panel.transport, panel.views_area):
                assert part.isVisible() and inside(part, window), (where, type(part).__name__)
            for button in (panel.transport.play, panel.transport.speed):
                assert inside(button, window), where  # on the second row when narrow, never past the edge
