"""`unroll fps`: the app's own frame-rate and responsiveness measurement.

While an LSTM (hidden 128 by default) trains on sequences of 100 steps in the worker thread, each view of the
recurrent lab is advanced one playhead step and repainted as fast as the event loop allows, for a few seconds;
frames per second are counted. Responsiveness: mouse clicks are posted to the step button, and the time until
the button reacts is measured (what a person feels as the window answering a click).
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.main_window import MainWindow


class PaintCounter(QObject):
    """Counts paint events of a widget and its children: a frame is counted only if something was drawn."""

    def __init__(self, view) -> None:
        super().__init__()
        self.view, self.paints = view, 0

    def eventFilter(self, obj, event) -> bool:
        if (
            event.type() == QEvent.Paint
            and isinstance(obj, QWidget)
            and (obj is self.view or self.view.isAncestorOf(obj))
        ):
            self.paints += 1
        return False


def _frames_per_second(app: QApplication, panel, view_name: str, seconds: float) -> float:
    """Step the playhead and let the event loop draw what changed, as fast as it can; count drawn frames."""
    view = panel.show_view(view_name)
    app.processEvents()
    counter = PaintCounter(view)
    app.installEventFilter(counter)
    frames, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        panel.playhead.seek((panel.playhead.position + 1) % panel.playhead.length)
        before = counter.paints
        app.processEvents()
        frames += counter.paints > before
    app.removeEventFilter(counter)
    return frames / (time.perf_counter() - start)


def _click_delays(app: QApplication, button, clicks: int) -> np.ndarray:
    """Seconds from posting a click on ``button`` until its ``clicked`` signal runs."""
    delays, posted = [], [0.0]
    button.clicked.connect(lambda: delays.append(time.perf_counter() - posted[0]))
    centre = QPointF(button.width() / 2, button.height() / 2)
    for _ in range(clicks):
        posted[0] = time.perf_counter()
        for kind in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease):
            event = QMouseEvent(kind, centre, button.mapToGlobal(centre), Qt.LeftButton, Qt.LeftButton, Qt.NoModifier)
            app.postEvent(button, event)
        deadline = time.perf_counter() + 2.0
        count = len(delays)
        while len(delays) == count and time.perf_counter() < deadline:
            app.processEvents()
        time.sleep(0.05)  # let the worker run between clicks, as between a person's clicks
    return np.array(delays)


def _rate(fps: float) -> str:
    """A view that does not follow the playhead has nothing to redraw when it moves (training curves, the
    comparison): it draws only when new training data arrive."""
    return f"{fps:.0f}" if fps >= 2 else "– (does not follow the playhead)"


def measure(seconds: float = 3.0, hidden: int = 128, length: int = 100, clicks: int = 40) -> list[str]:
    app = QApplication.instance()
    window = MainWindow(panels=["recurrent"])
    window.resize(1440, 900)
    window.show()
    panel = window.panels["recurrent"]
    session = panel.session
    session.apply_settings(session.with_settings(cell="lstm", hidden_size=hidden, task="copy", length=length))
    lines = [f"Recurrent lab, LSTM hidden {hidden}, sequences of {length} steps, training in the background",
             "| view | frames/s idle | frames/s while training |", "|---|---|---|"]  # fmt: skip
    idle = {name: _frames_per_second(app, panel, name, seconds / 2) for name in panel.view_names()}
    session.start_training()
    steps_before = session.trainer.steps
    started = time.perf_counter()
    for name in panel.view_names():
        busy = _frames_per_second(app, panel, name, seconds)
        lines.append(f"| {name} | {_rate(idle[name])} | {busy:.0f} |")
    delays = _click_delays(app, panel.transport.forward, clicks) * 1e3
    rate = (session.trainer.steps - steps_before) / (time.perf_counter() - started)
    session.stop_training()
    lines.append(f"training went on at {rate:.1f} steps/s meanwhile (batch {session.settings.batch_size})")
    lines.append(f"click → reaction while training: median {np.median(delays):.1f} ms, 95th percentile "
                 f"{np.percentile(delays, 95):.1f} ms, worst {delays.max():.1f} ms ({len(delays)} clicks)")  # fmt: skip
    panel.shutdown()
    window.close()
    return lines
