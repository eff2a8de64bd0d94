"""The playhead every lab shares: a position among n frames, stepped by hand or played by a timer."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal


class Playhead(QObject):
    """Position in 0..length−1. ``moved`` fires on every change; play advances ``speed`` frames a second
    and stops at the end (or wraps when ``loop``)."""

    moved = Signal(int)
    playing_changed = Signal(bool)
    length_changed = Signal(int)

    def __init__(self, length: int = 1, speed: float = 8.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._length, self._position = max(1, length), 0
        self.loop = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)
        self.set_speed(speed)

    @property
    def length(self) -> int:
        return self._length

    @property
    def position(self) -> int:
        return self._position

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, frames_per_second: float) -> None:
        self._speed = min(120.0, max(0.25, float(frames_per_second)))
        self._timer.setInterval(round(1000 / self._speed))

    def set_length(self, length: int) -> None:
        """A new number of frames; the position is kept when it still fits."""
        length = max(1, int(length))
        if length != self._length:
            self._length = length
            self.length_changed.emit(length)
        if self._position >= length:
            self.seek(length - 1)

    def seek(self, position: int) -> None:
        position = min(self._length - 1, max(0, int(position)))
        if position != self._position:
            self._position = position
            self.moved.emit(position)

    def step_forward(self) -> None:
        self.seek(self._position + 1)

    def step_back(self) -> None:
        self.seek(self._position - 1)

    def play(self) -> None:
        if self._position >= self._length - 1 and not self.loop:
            self.seek(0)
        if not self.playing:
            self._timer.start()
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def _advance(self) -> None:
        if self._position < self._length - 1:
            self.seek(self._position + 1)
        elif self.loop:
            self.seek(0)
        else:
            self.pause()
