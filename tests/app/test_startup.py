"""Start-up: progress while kernels load, then the main window on its first lab; missing libraries named."""

import app.__main__ as entry


def test_startup_window_shows_progress_then_the_main_window(qtbot):
    from app.startup import StartupWindow

    start = StartupWindow(["recurrent", "hopfield"])
    qtbot.addWidget(start)
    start.show()
    qtbot.waitUntil(lambda: start.main_window is not None, timeout=120000)
    window = start.main_window
    qtbot.addWidget(window)
    assert start.bar.value() == start.bar.maximum() > 0
    assert list(window.panels) == ["recurrent"]  # other labs are built when first shown
    assert window.show_panel("hopfield").title.startswith("Hopfield")
    assert window.tabs.count() == 2
    start.later.wait()
    for panel in window.panels.values():
        panel.shutdown()


def test_missing_qt_libraries_are_named_as_debian_packages(monkeypatch):
    monkeypatch.setattr(entry.sys, "platform", "linux")
    monkeypatch.setattr(entry.ctypes.util, "find_library", lambda name: None if name.startswith("xcb-") else "x")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    message = entry.check_environment(headless=False)
    assert "sudo apt-get install" in message
    assert "libxcb-cursor0" in message and "libxcb-icccm4" in message and "libglib2.0-0" not in message


def test_no_screen_is_explained(monkeypatch):
    monkeypatch.setattr(entry.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert "No screen found" in entry.check_environment(headless=False)
