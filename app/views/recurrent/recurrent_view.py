"""Base of the recurrent lab's views: fed snapshots by the panel (``set_snapshot``), following the lab's
``Timeline`` (playhead moment and selection) and the theme, and redrawing only while visible (a hidden tab costs
nothing; it catches up when shown). A view never reaches into the session."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.i18n import tr
from app.sessions.recurrent import Snapshot
from app.theme import themes
from app.timeline import Timeline
from engine.recurrent import LayerTrace


class RecurrentView(QWidget):
    def __init__(self, timeline: Timeline, parent=None) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.snapshot: Snapshot | None = None  # the latest one the panel fed
        timeline.moved.connect(self._moved)  # bound methods: Qt disconnects them when the view dies
        timeline.selection_changed.connect(self._selection_changed)
        themes().changed.connect(self._theme_changed)

    def set_snapshot(self, snapshot: Snapshot) -> None:
        """What to draw from now on (the panel calls this on every new snapshot)."""
        self.snapshot = snapshot
        self._if_visible(self.refresh)

    def _moved(self, phase: str, t: int) -> None:
        self._if_visible(lambda: self.show_position(phase, t))

    def _selection_changed(self, _layer: int, _unit: int) -> None:
        self._if_visible(self.refresh)

    def _theme_changed(self, _theme) -> None:
        self.restyle()

    def _if_visible(self, fn) -> None:
        if self.isVisible() and self.snapshot is not None:
            fn()

    def refresh(self) -> None:
        """Redraw from the latest snapshot and the timeline's moment."""
        self.show_snapshot(self.snapshot)
        self.show_position(*self.timeline.moment())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.snapshot is not None:
            self.refresh()

    def selected_layer_trace(self) -> LayerTrace:
        return self.snapshot.inspection.trace.layers[self.timeline.layer]

    def select_time(self, t: int, unit: int) -> None:
        """A click on (t, unit): select the unit and move the playhead to t in the current sweep."""
        self.timeline.select(unit=unit)
        self.timeline.seek_step(t)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def show_position(self, phase: str, t: int) -> None:
        raise NotImplementedError

    def restyle(self) -> None:
        self._if_visible(self.refresh)


def layer_name(snapshot: Snapshot, k: int) -> str:
    D = snapshot.spec.directions
    direction = (" " + tr("backward") + " ←" if k % D else " " + tr("forward") + " →") if D == 2 else ""
    return tr("layer {number}").format(number=k // D + 1) + direction
