"""The memory-length demonstration: the latching task learned at growing lengths by TDNN, NARX, RNN and LSTM
(``engine.latching``), measured in a background job whose partial curves the view draws as they come."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.jobs import Job
from engine.latching import LatchingSetup, MemoryCurve, memory_lengths

DEMO_LENGTHS = (3, 5, 8, 12, 20, 30, 50)
DEMO_SEEDS = 2  # runs per model and length: enough to see where each falls, in a few minutes


class MemoryLengthDemo(QObject):
    curve_changed = Signal(object)  # a MemoryCurve, NaN where not measured yet
    running_changed = Signal(bool)
    message = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setup = LatchingSetup()
        self.curve: MemoryCurve | None = None
        self.job = Job(self)
        self.job.partial.connect(self._show)
        self.job.done.connect(self._show)
        self.job.failed.connect(lambda text: self.message.emit("error", text))
        self.job.running_changed.connect(self.running_changed)

    @property
    def running(self) -> bool:
        return self.job.running

    def measure(self, lengths=DEMO_LENGTHS, seeds: int = DEMO_SEEDS) -> None:
        setup = self.setup
        self.job.start(lambda context: memory_lengths(lengths=lengths, seeds=seeds, setup=setup,
                                                      progress=context.partial))  # fmt: skip

    def stop(self, wait: bool = False) -> None:
        self.job.cancel(wait)

    def _show(self, curve: MemoryCurve) -> None:
        self.curve = curve
        self.curve_changed.emit(curve)
