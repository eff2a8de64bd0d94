"""Several recurrent networks (by default RNN, LSTM and GRU) trained side by side on the same task, the same
batches and the same demonstration sequence, so that their gradient pictures can be compared at a glance."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.sessions.recurrent import RecurrentSettings
from app.workers import BackgroundLoop
from engine.recurrent import Inspection, inspect
from engine.recurrent.training import Trainer
from engine.tasks import Task

DEFAULT_CELLS = ("rnn_tanh", "lstm", "gru")
SNAPSHOT_INTERVAL = 0.5


@dataclass
class Contender:
    name: str
    inspection: Inspection
    losses: np.ndarray


@dataclass
class ComparisonSnapshot:
    task: Task
    labels: list[str]
    contenders: list[Contender]
    steps: int


class ComparisonSession(QObject):
    snapshot_changed = Signal(object)
    training_changed = Signal(bool)
    message = Signal(str, str)

    def __init__(self, settings: RecurrentSettings, task: Task, cells=DEFAULT_CELLS, parent=None) -> None:
        super().__init__(parent)
        self.loop = BackgroundLoop(self)
        self.loop.produced.connect(self._publish)
        self.loop.running_changed.connect(self.training_changed)
        self.loop.failed.connect(lambda text: self.message.emit("error", text))
        self.snapshot: ComparisonSnapshot | None = None
        self.setup(settings, task, cells)

    def setup(self, settings: RecurrentSettings, task: Task, cells) -> None:
        """Fresh networks of ``cells``, all else as ``settings`` say (same seed, same task, same batches)."""
        self.stop_training()
        self.task, self.settings = task, settings
        self.cells = tuple(cells)
        self.trainers = []
        for cell in self.cells:
            s = replace(settings, cell=cell, variant="")
            self.trainers.append(Trainer(s.spec(self.task), self.task.classes, s.train_config(self.task)))
        self.rng = np.random.default_rng(settings.seed)
        self.losses: list[list[float]] = [[] for _ in self.cells]
        demo = self.task.sample(16, np.random.default_rng(settings.seed + 1000))
        k = int(np.argmax(demo.lengths))
        n = int(demo.lengths[k])
        self.demo = (demo.x[:n, k : k + 1], demo.targets[:n, k : k + 1] if self.task.mode == "per_step" else
                     demo.targets[k : k + 1], np.array([n]))  # fmt: skip
        self.labels = [self.task.symbols[s] for s in demo.tokens[:n, k]] if demo.tokens is not None else []
        self._publish(self._snapshot())

    @property
    def training(self) -> bool:
        return self.loop.running

    def train_steps(self, n: int) -> None:
        self.stop_training()
        for _ in range(n):
            self._train_once()
        self._publish(self._snapshot())

    def _train_once(self) -> None:
        batch = self.task.sample(self.settings.batch_size, self.rng)
        for losses, trainer in zip(self.losses, self.trainers, strict=True):
            record = trainer.step(batch.x, batch.targets, batch.lengths)
            losses.append(record.loss)

    def start_training(self) -> None:
        if not self.training:
            self._last = 0.0
            self.loop.start(self._worker_step)

    def stop_training(self) -> None:
        self.loop.stop()

    def _worker_step(self) -> ComparisonSnapshot | None:
        self._train_once()
        if time.perf_counter() - self._last < SNAPSHOT_INTERVAL:
            return None
        snap = self._snapshot()
        self._last = time.perf_counter()
        return snap

    def _snapshot(self) -> ComparisonSnapshot:
        x, targets, lengths = self.demo
        contenders = []
        for cell, trainer, losses in zip(self.cells, self.trainers, self.losses, strict=True):
            ins = inspect(trainer.spec, trainer.params, x, targets, lengths=lengths, activation=self.task.activation,
                          mode=self.task.mode)  # fmt: skip
            contenders.append(Contender(cell, ins, np.array(losses)))
        return ComparisonSnapshot(self.task, self.labels, contenders, self.trainers[0].steps)

    def _publish(self, snapshot: ComparisonSnapshot) -> None:
        self.snapshot = snapshot
        self.snapshot_changed.emit(snapshot)
