"""Play, pause, step, scrub and speed: the transport bar under every lab, bound to a ``Playhead``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from app.i18n import tr
from app.playhead import Playhead


class TransportBar(QWidget):
    """Buttons, a timeline slider and a speed box. ``describe(position) -> str`` labels the position."""

    def __init__(self, playhead: Playhead, describe: Callable[[int], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.playhead = playhead
        self.describe = describe or (lambda p: f"{p + 1} / {self.playhead.length}")
        style = self.style()
        self.first = self._button(style.standardIcon(QStyle.SP_MediaSkipBackward), tr("Start (Home)"), self._first)
        self.back = self._button(
            style.standardIcon(QStyle.SP_MediaSeekBackward), tr("Step back (←)"), playhead.step_back
        )
        self.play = self._button(style.standardIcon(QStyle.SP_MediaPlay), tr("Play / pause (Space)"), playhead.toggle)
        self.forward = self._button(
            style.standardIcon(QStyle.SP_MediaSeekForward), tr("Step forward (→)"), playhead.step_forward
        )
        self.last = self._button(style.standardIcon(QStyle.SP_MediaSkipForward), tr("End (End)"), self._last)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setToolTip(tr("Timeline: drag to scrub"))
        self.slider.valueChanged.connect(playhead.seek)
        self.label = QLabel()
        self.label.setMinimumWidth(220)
        self.speed = QDoubleSpinBox(suffix=" /s", decimals=1, minimum=0.5, maximum=60.0, singleStep=1.0)
        self.speed.setToolTip(tr("Playback speed, frames per second"))
        self.speed.setValue(playhead.speed)
        self.speed.valueChanged.connect(playhead.set_speed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for w in (self.first, self.back, self.play, self.forward, self.last):
            layout.addWidget(w)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(QLabel(tr("speed")))
        layout.addWidget(self.speed)
        playhead.moved.connect(self._show_position)
        playhead.length_changed.connect(self._show_length)
        playhead.playing_changed.connect(self._show_playing)
        self.slider.setRange(0, playhead.length - 1)  # the label waits for refresh(): describe may need the lab

    def refresh(self) -> None:
        self._show_length(self.playhead.length)

    def _button(self, icon, tip: str, slot) -> QToolButton:
        b = QToolButton(self)
        b.setIcon(icon)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.clicked.connect(slot)
        return b

    def add_widget(self, widget: QWidget) -> None:
        """A lab's own control (e.g. jumps between sweeps), placed after the step buttons."""
        self._extra = getattr(self, "_extra", 0) + 1
        self.layout().insertWidget(4 + self._extra, widget)

    def install_shortcuts(self, owner: QWidget) -> None:
        """Space, arrows, Home and End on ``owner`` and its children."""
        keys = {
            Qt.Key_Space: self.playhead.toggle,
            Qt.Key_Right: self.playhead.step_forward,
            Qt.Key_Left: self.playhead.step_back,
            Qt.Key_Home: self._first,
            Qt.Key_End: self._last,
        }
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), owner)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _first(self) -> None:
        self.playhead.seek(0)

    def _last(self) -> None:
        self.playhead.seek(self.playhead.length - 1)

    def _show_length(self, length: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setRange(0, length - 1)
        self.slider.blockSignals(False)
        self._show_position(self.playhead.position)

    def _show_position(self, position: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self.label.setText(self.describe(position))

    def _show_playing(self, playing: bool) -> None:
        icon = QStyle.SP_MediaPause if playing else QStyle.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))
