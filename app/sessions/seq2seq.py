"""The Seq2seq lab's state: the pairs (a generated task or the user's file), the trainer of an encoder–decoder,
its record, the example on show and the comparison of accuracy by source length with and without attention.

Training runs in a ``TrainingRunner``: one batch per step, a free-running evaluation every ``EVAL_EVERY``
steps, and every ``FRAME_INTERVAL`` seconds a ``TrainingFrame`` of copies for the GUI. The example (one source,
decoded and inspected: ``engine.seq2seq.inspect``) is computed on the GUI thread from the latest frame's
parameters: a small model decodes in milliseconds. The playhead walks the decoder's output steps.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jobs import Job, TrainingRunner
from app.sessions.settings import check_settings, joined_settings, setting, settings_from_json, settings_to_json
from app.sessions.state import prefixed, refuse_unknown, value, with_prefix
from engine.recurrent.training import TrainConfig, Trainer
from engine.seq2seq import ATTENTIONS, Seq2SeqSpec, score
from engine.seq2seq.inspect import MAX_WIDTH, inspect_example
from engine.seq2seq.loss import scheduled_ratio
from engine.seq2seq.measure import compare_attention
from engine.seq2seq.tasks import TASKS, Pairs, make_pairs, parse_pairs, source_range

FRAME_INTERVAL = 0.1
EVAL_EVERY = 25  # training steps between free-running evaluations
EVAL_PAIRS = 128
TRAIN_PAIRS, TEST_PAIRS = 3000, 400
COMPARE_STEPS = 600  # the budget each model of the comparison trains for
HISTORY = ("step", "loss", "accuracy", "free_step", "free_loss", "free_accuracy", "free_exact")
SECTIONS = ("settings", "trainer", "example", "pairs", "comparison")


@dataclass(frozen=True)
class Seq2SeqSettings:
    task: str = setting("reverse", choices=(*TASKS, "file"))
    train_max_len: int = setting(8, 2, 30)  # train on sources of up to this many characters, test on longer
    attention: str = setting("additive", choices=ATTENTIONS)
    cell: str = setting("gru", choices=("gru", "lstm", "rnn_tanh"))
    hidden_size: int = setting(64, 8, 256)
    embedding_dim: int = setting(16, 4, 128)
    bidirectional: bool = False
    reverse_source: bool = False
    input_feeding: bool = False
    attentional_hidden: bool = True  # the head reads Luong's tanh(W_c [c_t; h_t]), else [c_t; h_t]
    teacher_forcing: float = setting(1.0, 0.0, 1.0)
    scheduled_sampling: bool = False  # the ratio decays from teacher_forcing as training goes on
    lr: float = setting(0.005, 0.0001, 0.1)
    batch: int = setting(32, 1, 256)
    seed: int = setting(0, 0, 1_000_000)

    def spec(self, pairs: Pairs, attention: str | None = None) -> Seq2SeqSpec:
        attention = attention or self.attention
        return Seq2SeqSpec(len(pairs.src_alphabet), len(pairs.tgt_alphabet), self.embedding_dim, self.cell,
                           self.hidden_size + (self.hidden_size % 2 if self.bidirectional else 0), 1,
                           self.bidirectional, attention, self.attentional_hidden,
                           input_feeding=self.input_feeding and attention != "none",
                           reverse_source=self.reverse_source)  # fmt: skip


@dataclass(frozen=True)
class ExampleSettings:
    """The example on show and how it is decoded: ``source`` "" is the lab's own (a held-out source as long as
    those trained on); ``target`` "" none to compare with; ``width`` 1 greedy search, more a beam."""

    source: str = ""
    target: str = ""
    width: int = setting(3, 1, MAX_WIDTH)
    length_penalty: float = setting(0.0, 0.0, 2.0)


# What a lesson step sets here: the model, its task and training, and the example decoded (which needs none)
Seq2SeqLessonSettings = joined_settings("Seq2SeqLessonSettings", Seq2SeqSettings, ExampleSettings)


@dataclass(frozen=True)
class TrainingFrame:
    """Copies for the GUI: the step, the parameters, the record (name → array)."""

    step: int
    params: dict[str, np.ndarray]
    history: dict[str, np.ndarray]
    message: str = ""


@dataclass(frozen=True)
class Comparison:
    """Exact matches by source length, {length: share}, with the lab's attention and without, after the same
    training budget on the same pairs; ``train_max_len`` the longest source trained on."""

    attention: str
    with_attention: dict[int, float]
    without: dict[int, float]
    train_max_len: int
    steps: int


def make_data(settings: Seq2SeqSettings, user: Pairs | None) -> tuple[Pairs, Pairs]:
    """(training pairs, test pairs): sources of up to ``train_max_len`` characters to train on, and up to twice
    as long to test (dates and sums: their whole range); a user's pairs split 9 : 1."""
    rng = np.random.default_rng(settings.seed)
    if settings.task == "file":
        if user is None:
            raise ValueError("open a pairs file first (File › Open: UTF-8 lines source<TAB>target)")
        order = rng.permutation(len(user))
        cut = max(1, len(user) - max(1, len(user) // 10))
        test = order[cut:] if cut < len(user) else order[:1]
        return user.subset(order[:cut]), user.subset(test)
    low, high = source_range(settings.task)
    n = settings.train_max_len
    train = make_pairs(settings.task, TRAIN_PAIRS, rng, low, min(max(n, low + 2), high))  # a few lengths at least
    test = make_pairs(settings.task, TEST_PAIRS, rng, low, min(2 * n, high))
    return train, test


def compare(settings: Seq2SeqSettings, train: Pairs, test: Pairs, steps: int, progress=None) -> Comparison:
    """The model of ``settings`` (additive attention if it has none) and the same without attention, each
    trained ``steps`` batches on ``train`` from the same seed, and their exact matches by length on ``test``."""
    attention = settings.attention if settings.attention != "none" else "additive"
    tables = compare_attention(lambda kind: settings.spec(train, kind), train, test, steps, attention, progress,
                               batch=settings.batch, lr=settings.lr, seed=settings.seed,
                               teacher_forcing=settings.teacher_forcing)  # fmt: skip
    return Comparison(attention, tables[attention], tables["none"], settings.train_max_len, steps)


class Seq2SeqSession(QObject):
    rebuilt = Signal()  # new pairs or model
    trained = Signal(object)  # a TrainingFrame
    example_changed = Signal()
    training_changed = Signal(bool)
    comparison_changed = Signal()
    failed = Signal(str)

    def __init__(self, settings: Seq2SeqSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self.show_frame)
        self.runner.failed.connect(lambda text: self.failed.emit(f"training failed: {text}"))
        self.runner.running_changed.connect(self.training_changed)
        self.compare_job = Job(self)
        self.compare_job.done.connect(self._compared)
        self.compare_job.failed.connect(lambda text: self.failed.emit(f"the comparison failed: {text}"))
        self.user_pairs: Pairs | None = None
        self._message = ""  # the last step's complaint (a blow-up), for the next frame
        self.comparison: Comparison | None = None
        self.width, self.length_penalty, self.prefix = 3, 0.0, ""
        self._build(settings or Seq2SeqSettings())

    # ---- building -----------------------------------------------------------------------------------------

    def _build(self, settings: Seq2SeqSettings, user: Pairs | None = None) -> None:
        check_settings(settings)
        user = user or self.user_pairs
        train, test = make_data(settings, user)
        spec = settings.spec(train)
        trainer = Trainer(spec, config=self._config(settings))
        self.stop_training()
        self.settings, self.user_pairs, self.train, self.test = settings, user, train, test
        self.spec, self.trainer = spec, trainer
        self.history = {k: [] for k in HISTORY}
        self.limit = max(max(len(s) for s in train.sources), max(len(s) for s in test.sources)) * 2
        self.max_out = max(max(len(t) for t in train.targets), max(len(t) for t in test.targets)) * 2 + 2
        # free running is measured on held-out pairs as long as those trained on: the gap to teacher forcing is
        # then exposure bias alone, not length generalisation (the accuracy-by-length view's subject)
        within = [i for i, s in enumerate(test.sources) if len(s) <= settings.train_max_len] or list(range(len(test)))
        self.eval_batch = test.batch(within[:EVAL_PAIRS])
        self.frame = self.frame_now()
        self.rebuilt.emit()
        self.set_example(*self.first_example())

    def first_example(self) -> tuple[str, str]:
        """(source, target): the first held-out pair with a source as long as those trained on."""
        test = self.test
        shown = min(self.settings.train_max_len, max(len(s) for s in test.sources))
        first = next((i for i, s in enumerate(test.sources) if len(s) == shown), 0)
        return test.sources[first], test.targets[first]

    @staticmethod
    def _config(settings: Seq2SeqSettings) -> TrainConfig:
        return TrainConfig(lr=settings.lr, clip_norm=1.0, seed=settings.seed)

    def apply_settings(self, settings: Seq2SeqSettings) -> None:
        """A new model on new pairs (checked before anything changes: a ValueError leaves the lab as it was)."""
        self._build(settings)

    def load_pairs_text(self, text: str, name: str) -> None:
        """Train on the user's pairs (``engine.seq2seq.tasks.parse_pairs``); bad text changes nothing."""
        pairs = parse_pairs(text, name)
        self._build(replace(self.settings, task="file"), pairs)

    def reset(self) -> None:
        self._build(self.settings)

    # ---- training -----------------------------------------------------------------------------------------

    @property
    def training(self) -> bool:
        return self.runner.running

    def train_once(self) -> bool:
        """One batch, drawn from the seed and the step: True when the step diverged."""
        rng = np.random.default_rng((self.settings.seed, self.trainer.steps))
        batch = self.train.batch(rng.integers(0, len(self.train), self.settings.batch))
        record = self.trainer.step(*batch, teacher_forcing=self.teacher_forcing(self.trainer.steps))
        h = self.history
        h["step"].append(record.step)
        h["loss"].append(record.loss)
        h["accuracy"].append(record.accuracy)
        if record.step % EVAL_EVERY == 0 or record.step == 1:
            free = score(self.spec, self.trainer.params, *self.eval_batch, teacher_forcing=0.0)
            for key, v in (("free_step", record.step), ("free_loss", free.loss), ("free_accuracy", free.accuracy),
                           ("free_exact", free.exact)):  # fmt: skip
                h[key].append(v)
        self._message = record.message
        return record.diverged

    def teacher_forcing(self, step: int) -> float:
        """The ratio at training ``step``: the setting's, or with scheduled sampling its inverse sigmoid decay."""
        ratio = self.settings.teacher_forcing
        return scheduled_ratio(step, start=ratio) if self.settings.scheduled_sampling else ratio

    def frame_now(self) -> TrainingFrame:
        """Copies of the model and its record as they are (on any thread that is not training it)."""
        params = {k: v.copy() for k, v in self.trainer.params.items()}
        history = {k: np.array(v, np.float64) for k, v in self.history.items()}
        message, self._message = self._message, ""
        return TrainingFrame(self.trainer.steps, params, history, message)

    def train_steps(self, n: int) -> None:
        """``n`` steps now, on the GUI thread (demo, tests, screenshots), then the example again."""
        self.stop_training()
        for _ in range(n):
            if self.train_once():
                break
        self.show_frame(self.frame_now())

    def start_training(self) -> None:
        if not self.training:
            self.runner.start(self.train_once, self.frame_now, FRAME_INTERVAL)

    def stop_training(self) -> None:
        if hasattr(self, "runner"):
            self.runner.stop()

    def show_frame(self, frame: TrainingFrame) -> None:
        self.frame = frame
        self.trained.emit(frame)
        if frame.message:
            self.failed.emit(frame.message)
        self.refresh_example()

    # ---- the example --------------------------------------------------------------------------------------

    def set_example(self, source: str, target: str | None = None, *, width: int | None = None,
                    length_penalty: float | None = None, prefix: str | None = None) -> None:  # fmt: skip
        """Decode and inspect ``source`` on the latest weights; a ValueError (unknown characters, too long, a
        bad width) names the problem and keeps the example on show."""
        width = self.width if width is None else width
        penalty = self.length_penalty if length_penalty is None else length_penalty
        prefix = self.prefix if prefix is None else prefix
        if target:
            self.train.tgt_alphabet.encode(target)
        example = inspect_example(self.spec, self.frame.params, self.train.src_alphabet, self.train.tgt_alphabet,
                                  source, target or None, width=width, length_penalty=penalty, prefix=prefix,
                                  limit=self.limit, max_len=self.max_out)  # fmt: skip
        self.example, self.width, self.length_penalty, self.prefix = example, width, penalty, prefix
        self.example_changed.emit()

    def refresh_example(self) -> None:
        e = self.example
        self.set_example(e.source, e.target)

    # ---- with and without attention ------------------------------------------------------------------------

    def compare(self, steps: int = COMPARE_STEPS) -> None:
        """Train the lab's model and the same without attention for ``steps`` each on the same pairs, then count
        exact matches by source length (a worker; ``comparison_changed`` when done)."""
        settings, train, test = self.settings, self.train, self.test
        self.compare_job.start(lambda context: compare(settings, train, test, steps, context.progress))

    def compare_now(self, steps: int) -> None:
        """The same comparison on this thread (the demo, screenshots)."""
        self._compared(compare(self.settings, self.train, self.test, steps))

    def _compared(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.comparison_changed.emit()

    # ---- session files ------------------------------------------------------------------------------------

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        frame = self.frame  # what the views show is what is saved; training goes on undisturbed
        if self.training:  # the latest frame's weights (the optimizer's moments are the worker's to write)
            scalars, arrays = {"steps": frame.step, "optimizer": {}}, with_prefix("param/", frame.params)
        else:
            scalars, arrays = self.trainer.checkpoint()
        e = self.example
        state = {
            "settings": settings_to_json(self.settings),
            "trainer": scalars,
            "example": {
                "source": e.source,
                "target": e.target or "",
                "width": self.width,
                "length_penalty": self.length_penalty,
                "prefix": self.prefix,
            },  # fmt: skip
            "pairs": None
            if self.user_pairs is None
            else {"sources": list(self.user_pairs.sources), "targets": list(self.user_pairs.targets)},  # fmt: skip
            "comparison": None if self.comparison is None else _comparison_json(self.comparison),
        }
        arrays = with_prefix("trainer/", arrays)
        arrays.update(with_prefix("history/", frame.history))
        return state, arrays

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Put back what ``save_state`` gave; everything is checked on copies first."""
        refuse_unknown(state, SECTIONS, "seq2seq session")
        settings = settings_from_json(Seq2SeqSettings, state.get("settings"), "seq2seq settings")
        pairs = state.get("pairs")
        user = None
        if pairs is not None:
            value(state, "pairs", dict, "the pairs")
            sources, targets = pairs.get("sources"), pairs.get("targets")
            if not (isinstance(sources, list) and isinstance(targets, list) and len(sources) == len(targets)):
                raise ValueError("the session's pairs must be two lists of equal length")
            user = parse_pairs("\n".join(f"{s}\t{t}" for s, t in zip(sources, targets, strict=True)), "the session")
        train, _ = make_data(settings, user)
        trainer = Trainer(settings.spec(train), config=self._config(settings))
        trainer.restore_checkpoint(value(state, "trainer", dict, "the trainer"), prefixed(arrays, "trainer/"))
        history = _history_from(prefixed(arrays, "history/"))
        example = value(state, "example", dict, "the example")
        comparison = _comparison_from(state.get("comparison"))
        self._build(settings, user)  # the pairs again (from the seed), then the trained weights into them
        self.trainer, self.history, self.comparison = trainer, history, comparison
        self.frame = self.frame_now()
        self.trained.emit(self.frame)
        self.comparison_changed.emit()
        try:
            self.set_example(str(example.get("source", "")), str(example.get("target", "")) or None,
                             width=int(example.get("width", 1)), prefix=str(example.get("prefix", "")),
                             length_penalty=float(example.get("length_penalty", 0.0)))  # fmt: skip
        except (ValueError, TypeError):
            self.refresh_example()


def _history_from(arrays: dict[str, np.ndarray]) -> dict[str, list[float]]:
    """The training record of a session file: 1-D numbers, the per-step columns of one length, the
    free-running ones of another."""
    refuse_unknown(arrays, HISTORY, "training record")
    history = {k: np.asarray(arrays.get(k, np.zeros(0))) for k in HISTORY}
    for group in (HISTORY[:3], HISTORY[3:]):
        if len({history[k].shape for k in group}) != 1 or history[group[0]].ndim != 1:
            raise ValueError(f"the training record's columns {', '.join(group)} must be vectors of one length")
    if any(a.dtype.kind not in "iuf" for a in history.values()):
        raise ValueError("the training record must hold numbers")
    return {k: a.astype(np.float64).tolist() for k, a in history.items()}


def _comparison_json(c: Comparison) -> dict:
    return {f.name: ({str(k): v for k, v in getattr(c, f.name).items()} if isinstance(getattr(c, f.name), dict)
                     else getattr(c, f.name)) for f in fields(c)}  # fmt: skip


def _comparison_from(data) -> Comparison | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("the comparison must be a mapping")
    try:
        tables = {k: {int(n): float(v) for n, v in data[k].items()} for k in ("with_attention", "without")}
        return Comparison(str(data["attention"]), tables["with_attention"], tables["without"],
                          int(data["train_max_len"]), int(data["steps"]))  # fmt: skip
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ValueError("the session's comparison is damaged") from None
