"""Several recurrent networks (by default RNN, LSTM and GRU) trained side by side on the same task, the same
batches and the same demonstration sequence, so that their gradient pictures can be compared at a glance."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jobs import TrainingRunner
from app.sessions.boundary import StepBoundary
from app.sessions.recurrent import CELL_CHOICES, RecurrentSettings, inspect_model
from app.sessions.settings import settings_from_json, settings_to_json
from app.sessions.state import prefixed, required, rng_from_json, value
from engine.columns import Columns
from engine.recurrent import Inspection
from engine.recurrent.training import Trainer
from engine.tasks import Task, make_task

DEFAULT_CELLS = ("rnn_tanh", "lstm", "gru")
DEFAULT_LENGTH = 50  # steps of the adding problem the comparison opens on
SNAPSHOT_INTERVAL = 0.5


@dataclass
class Contender:
    name: str
    inspection: Inspection
    losses: np.ndarray


@dataclass
class Networks:
    """What ``setup`` or a session file makes: the task, the cells and their trainers, their losses so far
    and the generator of the batches they share."""

    settings: RecurrentSettings
    task: Task
    text: str | None  # of a text task
    cells: tuple[str, ...]
    trainers: list[Trainer]
    losses: Columns  # one column per network, named by its index
    rng: np.random.Generator


def _trainer(settings: RecurrentSettings, task: Task, cell: str) -> Trainer:
    return replace(settings, cell=cell, variant="").trainer(task)


def fresh_networks(settings: RecurrentSettings, task: Task, text: str | None, cells=DEFAULT_CELLS) -> Networks:
    """Untrained networks of ``cells``, all else as ``settings`` say (same seed, same task, same batches)."""
    trainers = [_trainer(settings, task, cell) for cell in cells]
    return Networks(settings, task, text, tuple(cells), trainers, Columns(tuple(map(str, range(len(cells))))),
                    np.random.default_rng(settings.seed))  # fmt: skip


def default_networks(settings: RecurrentSettings) -> Networks:
    """What the Compare view shows first: RNN, LSTM and GRU on the adding problem over ``DEFAULT_LENGTH`` steps,
    where the three differ (the RNN's gradient fades over the steps the LSTM's and GRU's carry), all else as
    ``settings`` say."""
    settings = replace(settings, task="adding", length=DEFAULT_LENGTH)
    return fresh_networks(settings, make_task("adding", length=DEFAULT_LENGTH), None)


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

    def __init__(self, networks: Networks, parent=None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self._publish)
        self.runner.running_changed.connect(self.training_changed)
        self.runner.failed.connect(lambda text: self.message.emit("error", text))
        self.snapshot: ComparisonSnapshot | None = None
        self.boundary = StepBoundary(self._state)
        self._take(networks)

    def setup(self, networks: Networks) -> None:
        self._take(networks)

    def _take(self, networks: Networks) -> None:
        self.stop_training()
        n = networks
        self.settings, self.task, self.text, self.cells = n.settings, n.task, n.text, n.cells
        self.trainers, self._losses, self.rng = n.trainers, n.losses, n.rng
        demo = self.task.sample(16, np.random.default_rng(self.settings.seed + 1000))
        k = int(np.argmax(demo.lengths))
        n = int(demo.lengths[k])
        self.demo = (demo.x[:n, k : k + 1], demo.targets[:n, k : k + 1] if self.task.mode == "per_step" else
                     demo.targets[k : k + 1], np.array([n]))  # fmt: skip
        self.labels = [self.task.symbols[s] for s in demo.tokens[:n, k]] if demo.tokens is not None else []
        self._publish(self._snapshot())

    # ------------------------------------------------------------------ session files

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON state, arrays): the settings, each network's weights and optimizer, losses and the batches' RNG,
        of one step boundary; while training, the worker takes them after its current step (``StepBoundary``)."""
        return self.boundary.take()

    @property
    def losses(self) -> list[np.ndarray]:
        """Each network's loss per training step (read-only views)."""
        return [self._losses.column(str(k)) for k in range(len(self.cells))]

    def _state(self) -> tuple[dict, dict[str, np.ndarray]]:
        text = self.text if self.settings.task == "text" else None
        state = {"settings": settings_to_json(self.settings), "cells": list(self.cells), "trainers": [],
                 "text": text, "rng": self.rng.bit_generator.state}  # fmt: skip
        arrays = {}
        for k, (trainer, losses) in enumerate(zip(self.trainers, self.losses, strict=True)):
            scalars, checkpoint = trainer.checkpoint()
            state["trainers"].append(scalars)
            arrays.update({f"{k}/{name}": a for name, a in checkpoint.items()})
            arrays[f"{k}/losses"] = losses
        return state, arrays

    @staticmethod
    def networks_from(state: object, arrays: dict[str, np.ndarray]) -> Networks:
        """What ``save_state`` gave, checked and built (nothing changes yet; ``take_networks`` puts it in)."""
        state = value({"comparison": state}, "comparison", dict, "the comparison")
        settings = settings_from_json(RecurrentSettings, state.get("settings"), "comparison settings")
        cells = value(state, "cells", list, "the compared cells")
        if not 1 <= len(cells) <= 3 or any(cell not in CELL_CHOICES for cell in cells):
            raise ValueError(f"the comparison takes one to three of {', '.join(CELL_CHOICES)}; got {cells!r}")
        scalars = value(state, "trainers", list, "the compared networks")
        if len(scalars) != len(cells):
            raise ValueError(f"the comparison has {len(cells)} cells but {len(scalars)} networks")
        text = state.get("text") if isinstance(state.get("text"), str) else None
        task = make_task(settings.task, length=settings.length, text=text)
        trainers, losses = [], []
        for k, cell in enumerate(cells):
            trainer = _trainer(settings, task, cell)
            trainer.restore_checkpoint(value({"s": scalars[k]}, "s", dict, "a compared network"),
                                       prefixed(arrays, f"{k}/"))  # fmt: skip
            loss = required(arrays, f"{k}/losses", 1, "f")
            if len(loss) != trainer.steps:
                raise ValueError(f"the {cell} network trained {trainer.steps} steps but has {len(loss)} losses")
            trainers.append(trainer)
            losses.append(loss)
        if len({trainer.steps for trainer in trainers}) > 1:
            raise ValueError("the compared networks must have trained the same number of steps")
        losses = Columns.from_arrays({str(k): loss for k, loss in enumerate(losses)})
        return Networks(settings, task, text, tuple(cells), trainers, losses, rng_from_json(state.get("rng")))

    @property
    def training(self) -> bool:
        return self.runner.running

    def train_steps(self, n: int) -> None:
        self.stop_training()
        for _ in range(n):
            self._train_once()
        self._publish(self._snapshot())

    def _train_once(self) -> None:
        batch = self.task.sample(self.settings.batch_size, self.rng)
        records = [trainer.step(batch.x, batch.targets, batch.lengths) for trainer in self.trainers]
        self._losses.append({str(k): record.loss for k, record in enumerate(records)})

    def start_training(self) -> None:
        if not self.training:
            self.boundary.started()
            self.runner.start(self._worker_step, self._snapshot, SNAPSHOT_INTERVAL, ended=self.boundary.stopped)

    def stop_training(self) -> None:
        self.runner.stop()
        self.boundary.stopped()

    def _worker_step(self) -> None:
        try:
            self._train_once()
        except BaseException:
            self.boundary.passed(last=True)
            raise
        self.boundary.passed()

    def _snapshot(self) -> ComparisonSnapshot:
        x, targets, lengths = self.demo
        contenders = []
        for cell, trainer, losses in zip(self.cells, self.trainers, self.losses, strict=True):
            ins = inspect_model(trainer.model, trainer.params, x, targets, lengths)
            contenders.append(Contender(cell, ins, losses))
        return ComparisonSnapshot(self.task, self.labels, contenders, self.trainers[0].steps)

    def _publish(self, snapshot: ComparisonSnapshot) -> None:
        self.snapshot = snapshot
        self.snapshot_changed.emit(snapshot)
