"""The recurrent lab's state: settings, the trainer, the demonstration sequence and its latest inspection.

Training runs in a worker thread; every ~250 ms it hands the GUI a ``Snapshot``: views of the append-only
training history and the newest ``Inspection`` of the demonstration sequence (recomputed a few times a second).
The trainer's checkpoint is taken only when a save asks (``training_state``).
The panel hands each snapshot to its views; where the playhead is and what is selected is the panel's
``Timeline``, not the session's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

import resources
from app.jobs import TrainingRunner
from app.sessions.boundary import StepBoundary
from app.sessions.settings import setting, settings_from_json, settings_to_json
from app.sessions.state import prefixed, refuse_unknown, required, rng_from_json, value, with_prefix
from app.warm_up import kernels
from engine import io
from engine.columns import Columns
from engine.delay import FEEDBACK, DelayClassifier, DelaySpec
from engine.delay import inspect as inspect_delay
from engine.recurrent import VARIANTS, Inspection, RecurrentSpec, inspect
from engine.recurrent.classifier import RecurrentClassifier
from engine.recurrent.training import TrainConfig, Trainer
from engine.tasks import TASK_NAMES, Task, make_task

SNAPSHOT_INTERVAL = 0.25  # seconds between snapshots handed to the GUI: each redraws the visible view
INSPECT_INTERVAL = 0.3  # seconds between recomputations of the demonstration sequence


# in the order the form offers them
CELL_CHOICES = ("lstm", "gru", "rnn_tanh", "rnn_relu", "tdnn", "narx", "ar")
DELAY_MODELS = ("tdnn", "narx", "ar")  # memory without recurrence (engine.delay)
VARIANT_CHOICES = ("", *dict.fromkeys(v for variants in VARIANTS.values() for v in variants))  # "": the cell's first


@dataclass(frozen=True)
class RecurrentSettings:
    """What the form sets and a session file keeps, each with the values it may take (read by both)."""

    cell: str = setting("lstm", choices=CELL_CHOICES)
    variant: str = setting("", choices=VARIANT_CHOICES)  # which fit the cell, the spec checks
    hidden_size: int = setting(24, 1, 512)
    num_layers: int = setting(1, 1, 4)
    bidirectional: bool = setting(False)
    dropout: float = setting(0.0, 0.0, 0.9)
    forget_bias: float = setting(0.0, 0.0, 5.0)  # used by LSTMs with a forget gate of their own, kept aside by others
    task: str = setting("reber", choices=TASK_NAMES)
    length: int = setting(20, 2, 400)
    batch_size: int = setting(32, 1, 256)
    optimizer: str = setting("adam", choices=("adam", "sgd"))
    lr: float = setting(0.01, 1e-5, 5.0)
    clip_norm: float = setting(1.0, 0.0, 1e6)  # 0: no clipping
    truncate: int = setting(0, 0, 400)  # 0: full backpropagation through time
    seed: int = setting(0, 0, 2**31 - 1)
    window: int = setting(3, 1, 400)  # TDNN frames per window, AR order
    input_delays: int = setting(2, 1, 400)  # NARX
    output_delays: int = setting(2, 1, 400)  # NARX
    feedback: str = setting("closed", choices=FEEDBACK)  # NARX: its own outputs or the true ones

    def spec(self, task: Task) -> RecurrentSpec | DelaySpec:
        if self.cell in DELAY_MODELS:
            return DelaySpec(self.cell, task.input_size, self.hidden_size,
                             num_layers=self.num_layers if self.cell == "tdnn" else 1, window=self.window,
                             input_delays=self.input_delays, output_delays=self.output_delays,
                             output_size=task.classes, output_activation=task.activation,
                             feedback=self.feedback)  # fmt: skip
        return RecurrentSpec(cell=self.cell, input_size=task.input_size, hidden_size=self.hidden_size,
                             num_layers=self.num_layers, bidirectional=self.bidirectional, variant=self.variant,
                             dropout=self.dropout)  # fmt: skip

    def model(self, task: Task) -> RecurrentClassifier | DelayClassifier:
        """The network and its head for ``task``; a delay line longer than the task's sequences is refused."""
        spec = self.spec(task)
        if isinstance(spec, DelaySpec):
            spec.check_steps(task.length)
            return DelayClassifier(spec, task.classes, task.activation, task.mode)
        cfg = self.train_config(task)
        return RecurrentClassifier(spec, task.classes, task.activation, task.mode, cfg.truncate, cfg.forget_bias)

    def trainer(self, task: Task) -> Trainer:
        return Trainer(self.model(task), config=self.train_config(task))

    def train_config(self, task: Task) -> TrainConfig:
        forget_bias = self.forget_bias if self.cell == "lstm" and self.spec(task).has_forget_gate else 0.0
        return TrainConfig(activation=task.activation, mode=task.mode, optimizer=self.optimizer, lr=self.lr,
                           clip_norm=self.clip_norm or None, truncate=self.truncate, seed=self.seed,
                           forget_bias=forget_bias)  # fmt: skip


def inspect_model(model, params: dict[str, np.ndarray], x, targets, lengths, with_flow: bool = True) -> Inspection:
    """What the views draw of one sequence through a recurrent or a delay network."""
    backend = kernels().backend
    if isinstance(model, DelayClassifier):
        return inspect_delay(model, params, x, targets, lengths=lengths, with_flow=with_flow, backend=backend)
    return inspect(model.spec, params, x, targets, lengths=lengths, activation=model.activation, mode=model.mode,
                   with_flow=with_flow, backend=backend)  # fmt: skip


@dataclass
class DemoSequence:
    """The one sequence the views show: inputs (T, 1, input_size) or token ids (T, 1), targets or None, symbol
    labels per step."""

    x: np.ndarray
    targets: np.ndarray | None
    lengths: np.ndarray
    labels: list[str]
    source: str


HISTORY_SERIES = ("step", "loss", "accuracy", "perplexity", "grad_norm")


class History:
    """Per training step: loss, accuracy, perplexity, gradient norm before clipping, and each parameter's gradient
    norm (``param:<name>``), in append-only columns: ``arrays()`` hands out views, not copies of the whole run."""

    def __init__(self, columns: Columns | None = None) -> None:
        self.columns = columns if columns is not None else Columns(HISTORY_SERIES)

    def __len__(self) -> int:
        return len(self.columns)

    def append(self, record) -> None:
        # a diverged step has no gradient norms: its row holds NaN there, keeping every series as long as the steps
        row = {"step": record.step, "loss": record.loss, "accuracy": record.accuracy, "perplexity": record.perplexity,
               "grad_norm": record.grad_norm, **{f"param:{k}": v for k, v in record.grad_norms.items()}}  # fmt: skip
        self.columns.append(row)

    def arrays(self) -> dict[str, np.ndarray]:
        """Read-only views of every series, which later steps leave as they are (safe to hand to another thread)."""
        return self.columns.views()

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> History:
        """The inverse of ``arrays``, checked: every series one-dimensional numbers, as long as ``step``."""
        unknown = sorted(k for k in arrays if k not in HISTORY_SERIES and not k.startswith("param:"))
        if unknown:
            raise ValueError(f"the training history has an unknown series {unknown[0]!r}")
        names = [*HISTORY_SERIES, *(k for k in arrays if k.startswith("param:"))]
        series = {k: required(arrays, k, 1, "iuf") for k in names}
        if any(len(a) != len(series["step"]) for a in series.values()):
            raise ValueError("the training history's series differ in length")
        return cls(Columns.from_arrays(series))


@dataclass
class Snapshot:
    """What the views draw, as of one step boundary: the inspection is a copy, the history read-only views of
    append-only columns (nothing of the whole run is copied)."""

    settings: RecurrentSettings
    spec: RecurrentSpec
    task: Task
    demo: DemoSequence
    inspection: Inspection
    history: dict[str, np.ndarray]
    training_step: int
    inspected_at: int  # the training step whose weights the inspection shows (it is refreshed less often)


@dataclass
class TrainingState:
    """What a session file needs of training, all of one step boundary: ``Trainer.checkpoint()`` (weights and
    optimizer, copied), the history (views) and the state of the batches' generator."""

    trainer: dict
    trainer_arrays: dict[str, np.ndarray]
    history: dict[str, np.ndarray]
    rng: dict


SECTIONS = ("settings", "task", "trainer", "demo", "trace")  # of save_state


class RecurrentSession(QObject):
    snapshot_changed = Signal(object)
    training_changed = Signal(bool)
    message = Signal(str, str)

    def __init__(self, settings: RecurrentSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self._publish_snapshot)
        self.runner.running_changed.connect(self.training_changed)
        self.runner.failed.connect(lambda text: self.message.emit("error", text))
        self.snapshot: Snapshot | None = None
        self.boundary = StepBoundary(self._training_state)
        self.apply_settings(settings or RecurrentSettings())

    # ------------------------------------------------------------------ settings and model

    def apply_settings(self, settings: RecurrentSettings, text: str | None = None) -> None:
        """Rebuild the network and its task; a refused setting leaves everything as it was."""
        was_training = self.training
        if settings.task == "text" and text is None:
            text = getattr(self, "text", None) or io.read_text(resources.path("texts/memory.txt"))
        task = make_task(settings.task, length=settings.length, text=text)
        trainer = settings.trainer(task)
        self.stop_training()
        self.settings, self.task, self.spec, self.trainer = settings, task, trainer.spec, trainer
        self.text = text
        self.rng = np.random.default_rng(settings.seed)
        self.history = History()
        self.demo = self._task_demo()
        self._publish(self._inspect())
        if was_training:
            self.start_training()

    def _task_demo(self) -> DemoSequence:
        """The task's sequence to show: the longest of a few (Reber strings vary in length)."""
        b = self.task.sample(16, np.random.default_rng(self.settings.seed + 1000))
        k = int(np.argmax(b.lengths))
        n = int(b.lengths[k])
        if b.tokens is not None:
            labels = [self.task.symbols[s] for s in b.tokens[:n, k]]
        else:
            labels = [f"{v:.2f}" for v in b.x[:n, k, 0]]
        targets = b.targets[:n, k : k + 1] if self.task.mode == "per_step" else b.targets[k : k + 1]
        return DemoSequence(b.x[:n, k : k + 1], targets, np.array([n]), labels, self.task.title)

    def set_demo(self, demo: DemoSequence) -> None:
        """Show ``demo`` (e.g. a sequence loaded from a file) instead of the task's own; a sequence the
        network cannot take raises ValueError and changes nothing."""
        inspection = self._inspect(demo)
        self.demo = demo
        self._publish(inspection)

    def load_parameters(self, params: dict[str, np.ndarray]) -> None:
        """Replace the network's weights (same names and shapes as the current spec, checked before use)."""
        unknown = sorted(set(params) - set(self.trainer.params))
        if unknown:
            raise ValueError(f"parameters this network does not have: {', '.join(unknown)}")
        params = {k: np.asarray(v).astype(self.trainer.params[k].dtype) for k, v in params.items()}  # lab's precision
        inspect_model(self.trainer.model, {**self.trainer.params, **params}, self.demo.x, None, None,
                      with_flow=False)  # checks shapes  # fmt: skip
        self.stop_training()
        self.trainer.params.update(params)
        self._publish(self._inspect())

    # ------------------------------------------------------------------ training

    @property
    def training(self) -> bool:
        return self.runner.running

    def start_training(self) -> None:
        if not self.training:
            self._last_inspect = 0.0
            self._inspect_every = INSPECT_INTERVAL
            self._latest = self.snapshot.inspection if self.snapshot else None
            self._latest_step = self.trainer.steps
            self.boundary.started()
            self.runner.start(self._worker_step, self._frame, SNAPSHOT_INTERVAL, ended=self.boundary.stopped)

    def stop_training(self) -> None:
        """Training ends after its current step; the views get a snapshot of where it stopped."""
        self.runner.stop()
        self.boundary.stopped()

    def train_steps(self, n: int) -> None:
        """Train ``n`` steps here and now (for scripts, tests and screenshots)."""
        self.stop_training()
        for _ in range(n):
            if self._train_once():
                break
        self._publish(self._inspect())

    def _train_once(self) -> bool:
        """One training step; True when it diverged (the trainer kept the last good weights)."""
        batch = self.task.sample(self.settings.batch_size, self.rng)
        record = self.trainer.step(batch.x, batch.targets, batch.lengths)
        self.history.append(record)
        if record.diverged:
            self.message.emit("error", record.message)
        return record.diverged

    def _worker_step(self) -> bool:
        """Runs in the worker thread: train once, and now and then inspect the demonstration sequence. True
        (the run ends) when the step diverged."""
        try:
            diverged = self._train_once()
        except BaseException:
            self.boundary.passed(last=True)
            raise
        self.boundary.passed(last=diverged)
        now = time.perf_counter()
        if now - self._last_inspect > self._inspect_every and not diverged:
            self._latest, self._latest_step = self._inspect(), self.trainer.steps
            self._last_inspect = time.perf_counter()
            # inspecting long sequences is costly (one backward pass per step): keep it under a quarter of the time
            self._inspect_every = max(INSPECT_INTERVAL, 3 * (self._last_inspect - now))
        return diverged

    def _frame(self) -> Snapshot:
        """Every SNAPSHOT_INTERVAL on the worker, and once where the run ended: the latest inspection, made anew
        at the end so that the views show the weights training stopped with."""
        ending = not self.runner.running or self.runner.stopping
        if ending and self._latest_step != self.trainer.steps:
            self._latest, self._latest_step = self._inspect(), self.trainer.steps
        return self._snapshot(self._latest, self._latest_step)

    # ------------------------------------------------------------------ snapshots

    def _inspect(self, demo: DemoSequence | None = None) -> Inspection:
        d = demo or self.demo
        return inspect_model(self.trainer.model, self.trainer.params, d.x, d.targets, d.lengths)

    def _snapshot(self, inspection: Inspection, inspected_at: int | None = None) -> Snapshot:
        """``inspected_at``: the training step whose weights ``inspection`` shows (default: the current one)."""
        steps = self.trainer.steps
        return Snapshot(self.settings, self.spec, self.task, self.demo, inspection, self.history.arrays(), steps,
                        steps if inspected_at is None else inspected_at)  # fmt: skip

    def _publish(self, inspection: Inspection) -> None:
        self._publish_snapshot(self._snapshot(inspection))

    def _publish_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.snapshot_changed.emit(snapshot)

    # ------------------------------------------------------------------ the training state, for saving

    def _training_state(self) -> TrainingState:
        """On the thread that trains (or the GUI's, when none does), at a step boundary."""
        return TrainingState(*self.trainer.checkpoint(), self.history.arrays(), self.rng.bit_generator.state)

    def training_state(self) -> TrainingState:
        """The trainer's checkpoint, history and generator of one step boundary. Taken only when a save asks, not
        with every snapshot: while training, the worker takes it after its current step (``StepBoundary``)."""
        return self.boundary.take()

    # ------------------------------------------------------------------ session files

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(sections, arrays) for a session file, the arrays named by section:

        - "settings": ``RecurrentSettings``
        - "task": the text of a text task (else None) and the state of the batches' generator ("rng")
        - "trainer": ``Trainer.checkpoint()``'s scalars; its arrays are param/… and optimizer/…
        - history/…: the training history's series (arrays only)
        - "demo": the demonstration sequence's labels and source; its arrays demo/x, demo/lengths, demo/targets
        - "trace": of which training step the trace/… arrays are (for scripts reading the file; a restore
          recomputes the trace)

        The demonstration sequence and its trace are the latest snapshot's; training comes from
        ``training_state``, one step boundary, and goes on undisturbed."""
        from engine.recurrent.export import recurrent_arrays  # only saving needs it

        snap, training = self.snapshot, self.training_state()
        state = {"settings": settings_to_json(snap.settings),
                 "task": {"text": self.text if snap.settings.task == "text" else None, "rng": training.rng},
                 "trainer": training.trainer, "demo": {"labels": snap.demo.labels, "source": snap.demo.source},
                 "trace": {"step": snap.inspected_at}}  # fmt: skip
        arrays = {**training.trainer_arrays, **with_prefix("history/", training.history)}
        arrays.update({"demo/x": snap.demo.x, "demo/lengths": snap.demo.lengths})
        if snap.demo.targets is not None:
            arrays["demo/targets"] = snap.demo.targets
        arrays.update(with_prefix("trace/", recurrent_arrays(snap.inspection)))
        return state, arrays

    @staticmethod
    def migrate_v1(state: dict) -> dict:
        """A version-1 state (text, rng and trace_step beside the sections) in today's sections."""
        state = dict(state)
        text, rng, step = state.pop("text", None), state.pop("rng", None), state.pop("trace_step", None)
        return {**state, "task": {"text": text, "rng": rng}, "trace": {"step": step}}

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Put back what ``save_state`` gave. Everything is built and checked first: a ValueError leaves the
        session as it was. The trace is recomputed from the weights (it is deterministic; while training, the
        one saved may be a few steps older, as the "trace" section says)."""
        refuse_unknown(state, SECTIONS, "recurrent session")
        settings = settings_from_json(RecurrentSettings, state.get("settings"))
        task_state = value(state, "task", dict, "the task section")
        refuse_unknown(task_state, ("text", "rng"), "task section")
        text = task_state.get("text")
        if settings.task == "text" and not isinstance(text, str):
            raise ValueError("a text task needs its text, which the file lacks")
        task = make_task(settings.task, length=settings.length, text=text)
        trainer = settings.trainer(task)
        trainer.restore_checkpoint(value(state, "trainer", dict), arrays)
        history = History.from_arrays(prefixed(arrays, "history/"))
        if len(history) != trainer.steps:
            raise ValueError(f"the network trained {trainer.steps} steps but its history has {len(history)}")
        rng = rng_from_json(task_state.get("rng"))
        demo = self._demo_from(value(state, "demo", dict), arrays, trainer)
        inspection = inspect_model(trainer.model, trainer.params, demo.x, demo.targets, demo.lengths)
        self.stop_training()
        self.settings, self.task, self.spec, self.trainer, self.text = settings, task, trainer.spec, trainer, text
        self.rng, self.history, self.demo = rng, history, demo
        self._publish(inspection)

    @staticmethod
    def _demo_from(state: dict, arrays: dict[str, np.ndarray], trainer: Trainer) -> DemoSequence:
        dtype = trainer.params["head.weight"].dtype
        ids = arrays.get("demo/x")
        if ids is not None and ids.ndim == 2 and ids.dtype.kind in "iu":  # token ids, checked by the inspection
            x = ids.astype(np.int64)
        else:
            x = required(arrays, "demo/x", 3, "iuf").astype(dtype)
        lengths = required(arrays, "demo/lengths", 1, "iu").astype(np.int64)
        targets = arrays.get("demo/targets")
        labels = value(state, "labels", list, "the sequence's labels")
        if not all(isinstance(label, str) for label in labels):
            raise ValueError("the sequence's labels must be text")
        if x.shape[1] != 1 or lengths.shape != (1,) or len(labels) != x.shape[0]:
            raise ValueError(f"the demonstration sequence must be one sequence with a label per step; got x of "
                             f"shape {x.shape}, {len(labels)} labels")  # fmt: skip
        source = value(state, "source", str, "the sequence's source")
        return DemoSequence(x, None if targets is None else targets.copy(), lengths, list(labels), source)

    # ------------------------------------------------------------------ the demonstration sequence

    @property
    def steps(self) -> int:
        return self.demo.x.shape[0]

    def with_settings(self, **changes) -> RecurrentSettings:
        return replace(self.settings, **changes)
