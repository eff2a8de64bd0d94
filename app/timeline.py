"""Where every view of a lab looks: the playhead's position read as a moment (phase, step), and the selected
layer and unit. One object per lab, owned by its panel; views subscribe to it and write to it (a click on a
heatmap selects everywhere), and never reach into the lab's session.

A lab without phases has one, named "" and as long as the playhead. The recurrent lab has two: the forward sweep
(t = 0…T−1), then the backward sweep, which runs t = T−1…0.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.playhead import Playhead


@dataclass(frozen=True)
class Phase:
    name: str
    steps: int
    reverse: bool = False  # its positions run t = steps−1 … 0


class Timeline(QObject):
    """``moved(phase, t)`` on every move of the playhead; ``selection_changed(layer, unit)`` on a new selection,
    which always lies within the extent the panel last set (``set_extent``)."""

    moved = Signal(str, int)
    selection_changed = Signal(int, int)

    def __init__(self, playhead: Playhead, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.playhead = playhead
        self._phases: tuple[Phase, ...] = (Phase("", playhead.length),)
        self._layers, self._units = 1, 1
        self._layer = self._unit = 0
        playhead.moved.connect(self._moved)

    # ------------------------------------------------------------------ time

    @property
    def phases(self) -> tuple[Phase, ...]:
        return self._phases

    def set_phases(self, *phases: Phase) -> None:
        """The playhead's length becomes the phases' steps together; its position is kept where it still fits."""
        if not phases or any(p.steps < 1 for p in phases):
            raise ValueError("a timeline needs at least one phase of at least one step")
        self._phases = tuple(phases)
        self.playhead.set_length(sum(p.steps for p in phases))

    def moment(self, position: int | None = None) -> tuple[str, int]:
        """(phase, t) at ``position`` (default: the playhead's)."""
        position = self.playhead.position if position is None else position
        for phase in self._phases:
            if position < phase.steps:
                return phase.name, phase.steps - 1 - position if phase.reverse else position
            position -= phase.steps
        last = self._phases[-1]
        return last.name, 0 if last.reverse else last.steps - 1

    def position(self, phase: str, t: int) -> int:
        """The playhead position of step ``t`` of ``phase`` (t clamped to the phase)."""
        start = 0
        for p in self._phases:
            if p.name == phase:
                t = min(max(0, t), p.steps - 1)
                return start + (p.steps - 1 - t if p.reverse else t)
            start += p.steps
        raise ValueError(f"no phase {phase!r}; the timeline has {', '.join(p.name for p in self._phases)}")

    def seek(self, phase: str, t: int) -> None:
        self.playhead.seek(self.position(phase, t))

    def seek_step(self, t: int) -> None:
        """Step ``t`` of the phase the playhead is in."""
        self.seek(self.moment()[0], t)

    def _moved(self, position: int) -> None:
        self.moved.emit(*self.moment(position))

    # ------------------------------------------------------------------ selection

    @property
    def layer(self) -> int:
        return self._layer

    @property
    def unit(self) -> int:
        return self._unit

    def set_extent(self, layers: int, units: int) -> None:
        """How many layers and units there are to select from; the selection is moved inside."""
        self._layers, self._units = max(1, layers), max(1, units)
        self.select(self._layer, self._unit)

    def select(self, layer: int | None = None, unit: int | None = None) -> None:
        """Select ``layer`` and ``unit`` (None keeps the current one), clamped to the extent."""
        layer = min(max(0, self._layer if layer is None else layer), self._layers - 1)
        unit = min(max(0, self._unit if unit is None else unit), self._units - 1)
        if (layer, unit) != (self._layer, self._unit):
            self._layer, self._unit = layer, unit
            self.selection_changed.emit(layer, unit)
