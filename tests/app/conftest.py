import pytest


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
