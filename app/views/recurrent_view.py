"""Base of the recurrent lab's views: subscribes to the session, the playhead and the theme, and redraws
only while visible (a hidden tab costs nothing; it catches up when shown)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.playhead import Playhead
from app.sessions.recurrent import RecurrentSession, Snapshot
from app.theme import themes
from engine.recurrent import LayerTrace


class RecurrentView(QWidget):
    def __init__(self, session: RecurrentSession, playhead: Playhead, parent=None) -> None:
        super().__init__(parent)
        self.session, self.playhead = session, playhead
        session.snapshot_changed.connect(self._on_snapshot)
        session.selection_changed.connect(lambda *_: self._if_visible(self.refresh))
        playhead.moved.connect(lambda p: self._if_visible(lambda: self.show_position(*session.phase(p))))
        themes().changed.connect(self._theme_changed)  # a bound method: Qt disconnects it when the view dies

    def _theme_changed(self, _theme) -> None:
        self.restyle()

    def _if_visible(self, fn) -> None:
        if self.isVisible() and self.session.snapshot is not None:
            fn()

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self._if_visible(self.refresh)

    def refresh(self) -> None:
        """Redraw from the session's latest snapshot and the playhead."""
        self.show_snapshot(self.session.snapshot)
        self.show_position(*self.session.phase(self.playhead.position))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.session.snapshot is not None:
            self.refresh()

    def selected_layer_trace(self) -> LayerTrace:
        return self.session.snapshot.inspection.trace.layers[self.session.selected_layer]

    def select_time(self, t: int, unit: int) -> None:
        """A click on (t, unit): select the unit and move the playhead to t in the current sweep."""
        phase, _ = self.session.phase(self.playhead.position)
        self.session.select(self.session.selected_layer, unit)
        self.playhead.seek(self.session.position(phase, t))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def show_position(self, phase: str, t: int) -> None:
        raise NotImplementedError

    def restyle(self) -> None:
        self._if_visible(self.refresh)


def layer_name(snapshot: Snapshot, k: int) -> str:
    D = snapshot.spec.directions
    return f"layer {k // D + 1}" + ((" backward ←" if k % D else " forward →") if D == 2 else "")
