import numpy as np
import pytest
from PySide6.QtGui import QImage


@pytest.fixture
def window(qtbot):
    from app.main_window import MainWindow
    from app.theme import setup_application

    setup_application()
    w = MainWindow(panels=["recurrent"])
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    yield w
    for panel in w.panels.values():
        panel.shutdown()


def distinct_colours(widget) -> int:
    """How many different colours a widget's picture holds (a blank one has one or two)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    ptr = image.constBits()
    pixels = np.frombuffer(ptr, np.uint32, count=image.width() * image.height())
    return len(np.unique(pixels))
