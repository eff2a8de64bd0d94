"""View (7): inside the network, the recurrent lab's gate, state and gradient views on the language model reading
a chosen stretch of the text, with a playhead of their own for the forward and the backward sweep."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from app.i18n import tr
from app.playhead import Playhead
from app.timeline import Phase, Timeline
from app.views.language.characters import shown
from app.views.lazy_tabs import LazyTabWidget
from app.views.recurrent.gate_heatmaps import GateHeatmapView
from app.views.recurrent.gradients import GradientView
from app.views.recurrent.states import StateView
from app.views.transport import TransportBar


class NetworkView(QWidget):
    """Fed ``NetworkSnapshot``s by the panel; asks for another stretch with ``stretch_requested(start)``."""

    stretch_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.playhead = Playhead(parent=self)
        self.timeline = Timeline(self.playhead, self)
        self.transport = TransportBar(self.playhead, self._describe)
        self.start = QSpinBox(minimum=0, maximum=0)
        self.start.setPrefix(tr("from character") + " ")
        self.stretch = QLabel()
        self.tabs = LazyTabWidget()
        self.views = [GateHeatmapView(self.timeline), StateView(self.timeline), GradientView(self.timeline)]
        for (name, label), view in zip((("gates", tr("Gates")), ("states", tr("States")),
                                        ("gradients", tr("Gradients"))), self.views, strict=True):  # fmt: skip
            self.tabs.add_page(name, label, view)
        bar = QHBoxLayout()
        bar.addWidget(self.start)
        bar.addWidget(self.stretch, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.transport)
        self.snapshot = None
        self.start.valueChanged.connect(self.stretch_requested)

    def set_text_length(self, n: int) -> None:
        self.start.setMaximum(max(0, n - 2))

    def set_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        T, spec = len(snapshot.labels), snapshot.spec
        self.timeline.set_phases(Phase("forward", T), Phase("backward", T, reverse=True))
        self.timeline.set_extent(spec.num_layers * spec.directions, spec.hidden_size)
        stretch = "".join(shown(c) if c == "\n" else c for c in snapshot.labels)
        self.stretch.setText(tr("reading “{text}”").format(text=stretch))
        for view in self.views:
            view.set_snapshot(snapshot)

    def _describe(self, position: int) -> str:
        phase, t = self.timeline.moment(position)
        if self.snapshot is None:
            return ""
        arrow = "→" if phase == "forward" else "←"
        return f"{arrow} t = {t}: “{shown(self.snapshot.labels[t])}”"
