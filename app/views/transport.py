"""Play, pause, step, scrub and speed: the transport bar under every lab, bound to a ``Playhead``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.playhead import Playhead


class TransportBar(QWidget):
    """Buttons, a timeline slider and a speed box. ``describe(position) -> str`` labels the position."""

    def __init__(self, playhead: Playhead, describe: Callable[[int], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.playhead = playhead
        self.describe = describe or (lambda p: f"{p + 1} / {self.playhead.length}")
        # after a font change, once the event loop is back: the lab that owns the bar may still be being built
        self._refit = QTimer(self, singleShot=True, interval=0, timeout=self._font_changed)
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
        self.slider.setMinimumWidth(160)  # narrower, it is no timeline: the lab's buttons go to a second row
        self.slider.valueChanged.connect(playhead.seek)
        self.label = QLabel()
        self.speed = QDoubleSpinBox(suffix=" /s", decimals=1, minimum=0.5, maximum=60.0, singleStep=1.0)
        self.speed.setToolTip(tr("Playback speed, frames per second"))
        self.speed.setValue(playhead.speed)
        self.speed.valueChanged.connect(playhead.set_speed)
        # One row when the window is wide enough; on a narrow one (a projector's 1024 × 768, presentation mode's
        # large text) the lab's own buttons and the speed go to a second row instead of off the edge.
        self.row, self.second_row = QHBoxLayout(), QHBoxLayout()
        for w in (self.first, self.back, self.play, self.forward, self.last):
            self.row.addWidget(w)
        self.row.addWidget(self.slider, 1)
        self.row.addWidget(self.label)
        self.tail = QWidget()  # the lab's own buttons (``add_widget``), then the speed
        self.extras = QHBoxLayout(self.tail)
        self.extras.setContentsMargins(12, 0, 0, 0)  # apart from the position's words
        self.extras.addStretch(1)
        self.extras.addWidget(QLabel(tr("speed")))
        self.extras.addWidget(self.speed)
        self.row.addWidget(self.tail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.setSizeConstraint(QLayout.SetNoConstraint)  # the least width is minimumSizeHint's: two rows
        layout.addLayout(self.row)
        layout.addLayout(self.second_row)
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
        """A lab's own control (e.g. jumps between sweeps), placed after the timeline (below it when narrow)."""
        self._extra = getattr(self, "_extra", 0) + 1
        self.extras.insertWidget(self._extra - 1, widget)
        self._arrange()

    def _head_width(self) -> int:
        """The first row's least width without the tail."""
        width = self.row.minimumSize().width()
        if self.row.indexOf(self.tail) >= 0:
            width -= self.tail.minimumSizeHint().width() + self.row.spacing()
        return width

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as the two rows allow; as high as the rows on show."""
        margins = self.layout().contentsMargins()
        width = max(self._head_width(), self.tail.minimumSizeHint().width()) + margins.left() + margins.right()
        return QSize(width, self.layout().minimumSize().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.layout().sizeHint()

    def _arrange(self) -> None:
        """The tail on the first row when both fit, else on the second."""
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        fits = self._head_width() + self.row.spacing() + self.tail.minimumSizeHint().width() <= room
        on_first = self.row.indexOf(self.tail) >= 0
        if fits and not on_first:
            self.second_row.removeWidget(self.tail)
            self.row.addWidget(self.tail)
        elif not fits and on_first:
            self.row.removeWidget(self.tail)
            self.second_row.addWidget(self.tail)
        else:
            return
        self.updateGeometry()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:  # presentation mode: the position's label is measured again
            self._refit.start()

    def _font_changed(self) -> None:
        self.label.setMinimumWidth(0)
        self._show_position(self.playhead.position)
        self._arrange()

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
        # as wide as the longest position shown so far: the bar does not jump (nor lay out again) every step
        if self.label.sizeHint().width() > self.label.minimumWidth():
            self.label.setMinimumWidth(self.label.sizeHint().width())

    def _show_playing(self, playing: bool) -> None:
        icon = QStyle.SP_MediaPause if playing else QStyle.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))
