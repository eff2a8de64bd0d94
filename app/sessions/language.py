"""The language lab's state: a text, a character language model, its training and what it writes.

Training runs in a worker (``TrainingRunner``) by stateful truncated BPTT: the training text as parallel streams
read chunk after chunk, the state carried from one chunk to the next. Every ``eval_every`` steps the model is
measured on the held-out text, and every ``sample_every`` steps it writes a sample (the same prompt and seed
each time, so that samples differ only by what the model learnt). Several times a second the worker hands the
GUI a ``Frame``: the history, the samples, a copy of the weights and the model's reading of the text on show.
Everything follows from the settings' seed: a session trains the same way every time.

Writing (greedy, sampling, beam search) is quick, so it runs on the GUI thread from the latest frame's weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

import resources
from app.jobs import TrainingRunner
from app.sessions.boundary import StepBoundary
from app.sessions.settings import check_settings, joined_settings, setting
from engine import io
from engine.columns import Columns
from engine.language import LanguageModelSpec
from engine.language.batches import Streams, streams
from engine.language.corpus import Corpus, corpus
from engine.language.measure import perplexity, unigram_cross_entropy
from engine.language.model import State, final_state
from engine.language.reading import Reading, inspect_stretch, read
from engine.language.writing import STRATEGIES, Writing, write
from engine.recurrent.training import TrainConfig, Trainer

FRAME_INTERVAL = 0.25  # seconds between frames handed to the GUI
READ_INTERVAL = 0.5  # seconds between readings of the text on show while training
SHOWN_CHARACTERS = 1000  # of the held-out text, read and coloured
HELD_OUT_MEASURED = 3000  # characters of the held-out text measured every eval_every steps
SAMPLE_LENGTH = 200
STRETCH = 40  # characters of the text the recurrent lab's views show the network reading
SAMPLE_TEXTS = {"english": "texts/language_en.txt", "chinese": "texts/language_zh.txt"}
CELL_CHOICES = ("lstm", "gru", "rnn_tanh")


@dataclass(frozen=True)
class LanguageSettings:
    """The text and the model, and how it trains (what the form sets and a session file keeps)."""

    text: str = setting("english", choices=(*SAMPLE_TEXTS, "file"))
    cell: str = setting("lstm", choices=CELL_CHOICES)
    embedding_dim: int = setting(32, 0, 512)  # 0: one-hot input
    hidden_size: int = setting(128, 1, 1024)
    num_layers: int = setting(1, 1, 4)
    dropout: float = setting(0.0, 0.0, 0.9)
    seq_length: int = setting(50, 2, 400)
    batch_size: int = setting(32, 1, 256)
    lr: float = setting(0.003, 1e-5, 1.0)
    clip_norm: float = setting(5.0, 0.0, 1e6)  # 0: no clipping
    eval_every: int = setting(20, 1, 100_000)
    sample_every: int = setting(25, 1, 100_000)
    seed: int = setting(0, 0, 2**31 - 1)

    def spec(self, vocab_size: int) -> LanguageModelSpec:
        return LanguageModelSpec(vocab_size=vocab_size, embedding_dim=self.embedding_dim, cell=self.cell,
                                 hidden_size=self.hidden_size, num_layers=self.num_layers,
                                 dropout=self.dropout if self.num_layers > 1 else 0.0)  # fmt: skip

    def train_config(self) -> TrainConfig:
        return TrainConfig(optimizer="adam", lr=self.lr, clip_norm=self.clip_norm or None, seed=self.seed)


@dataclass(frozen=True)
class WritingSettings:
    """How the generation view writes: after ``prompt``, ``steps`` characters by ``strategy``."""

    prompt: str = setting("The ")
    strategy: str = setting("sample", choices=STRATEGIES)
    temperature: float = setting(1.0, 0.0, 10.0)
    top_k: int = setting(0, 0, 100_000)
    top_p: float = setting(1.0, 0.01, 1.0)
    width: int = setting(5, 1, 32)
    length_penalty: float = setting(0.0, 0.0, 2.0)
    steps: int = setting(80, 1, 400)
    seed: int = setting(0, 0, 2**31 - 1)


# What a lesson step sets here: the model and how it writes, side by side ({"hidden_size": 128, "temperature":
# 0.5, "writing_seed": 0}); the writing's seed and steps renamed (the model has a seed, a lesson has steps).
LanguageLessonSettings = joined_settings("LanguageLessonSettings", LanguageSettings, WritingSettings,
                                         {"seed": "writing_seed", "steps": "writing_length"})  # fmt: skip

HISTORY = ("step", "loss", "train_perplexity", "held_out_perplexity", "grad_norm")


@dataclass
class Frame:
    """What the views draw, as of one step boundary (copies, or read-only views of append-only columns)."""

    settings: LanguageSettings
    spec: LanguageModelSpec
    chars: tuple[str, ...]
    params: dict[str, np.ndarray]
    history: dict[str, np.ndarray]
    samples: list[tuple[int, str]]
    reading: Reading
    baselines: dict[str, float]  # "uniform", "unigram": perplexities on the held-out text
    counts: np.ndarray  # (V,) each character's count in the training text
    step: int


@dataclass
class NetworkSnapshot:
    """The recurrent network inside the model on a stretch of the text, in the shape the recurrent lab's gate,
    state and gradient views draw (``app.sessions.recurrent.Snapshot``'s fields they read)."""

    settings: LanguageSettings
    spec: object  # the network's RecurrentSpec
    inspection: object
    history: dict[str, np.ndarray]
    labels: list[str]
    training_step: int
    inspected_at: int


@dataclass
class TrainingState:
    """What a session file needs of training, of one step boundary."""

    trainer: dict
    trainer_arrays: dict[str, np.ndarray]
    history: dict[str, np.ndarray]
    samples: list[tuple[int, str]]
    chunk: int
    state: State | None


def check_restored(restored: TrainingState, trainer: Trainer, batches: Streams) -> None:
    """A ValueError naming what of a saved training does not fit the model and text; on success the trainer
    holds the saved weights and optimizer."""
    trainer.restore_checkpoint(restored.trainer, restored.trainer_arrays)
    lengths = {len(v) for v in restored.history.values()}
    if set(restored.history) != set(HISTORY) or lengths != {trainer.steps}:
        raise ValueError(f"the training history must hold {', '.join(HISTORY)}, one entry for each of the "
                         f"{trainer.steps} steps")  # fmt: skip
    if not 0 <= restored.chunk <= len(batches):
        raise ValueError(f"the training stood at chunk {restored.chunk}, but the text has {len(batches)}")
    spec = trainer.model
    want = (spec.num_layers, batches.streams.shape[1], spec.hidden_size)
    state = restored.state
    if state is not None and (state.h.shape != want or (state.c is None) != (spec.cell != "lstm")
                              or (state.c is not None and state.c.shape != want)):  # fmt: skip
        raise ValueError(f"the carried state must be of shape {want} (and a cell state for an LSTM only)")


def sample_text(name: str) -> str:
    return io.read_text(resources.path(SAMPLE_TEXTS[name]))


class LanguageSession(QObject):
    frame_changed = Signal(object)
    training_changed = Signal(bool)
    message = Signal(str, str)

    def __init__(self, settings: LanguageSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self.show_frame)
        self.runner.running_changed.connect(self.training_changed)
        self.runner.failed.connect(lambda text: self.message.emit("error", text))
        self.boundary = StepBoundary(self._training_state)
        self.frame: Frame | None = None
        self.file_text: tuple[str, str] | None = None  # (name, text) of the file opened last
        settings = settings or LanguageSettings()
        self._build(settings, self._corpus_for(settings))

    # ------------------------------------------------------------------ text and model

    def _corpus_for(self, settings: LanguageSettings) -> Corpus:
        if settings.text == "file":
            if self.file_text is None:
                raise ValueError("no text file is open: open one with File › Open")
            return corpus(self.file_text[1], self.file_text[0])
        return corpus(sample_text(settings.text), settings.text)

    def apply_settings(self, settings: LanguageSettings) -> None:
        """A new model on the text the settings name; a refused setting leaves everything as it was."""
        check_settings(settings)
        self._build(settings, self._corpus_for(settings))

    def open_text(self, text: str, name: str) -> None:
        """Train a new model on ``text`` (a file's); a text unfit for it raises ValueError and changes nothing."""
        built = corpus(text, name)
        self._build(replace(self.settings, text="file"), built)
        self.file_text = (name, text)

    def reset(self) -> None:
        self._build(self.settings, self.corpus)

    def _build(self, settings: LanguageSettings, text: Corpus, restored: TrainingState | None = None) -> None:
        """Everything anew for ``settings`` and ``text``: a fresh model, or the ``restored`` one of a session."""
        spec = settings.spec(len(text.vocab))
        trainer = Trainer(spec, config=settings.train_config())
        batches = streams(text.train, min(settings.batch_size, max(1, len(text.train) // 2)), settings.seq_length)
        if restored is not None:
            check_restored(restored, trainer, batches)
        shown = text.held_out if len(text.held_out) >= 2 else text.train
        self.stop_training()
        self.settings, self.corpus, self.spec, self.trainer, self.streams = settings, text, spec, trainer, batches
        self.shown = shown[:SHOWN_CHARACTERS]
        self.measured = shown[:HELD_OUT_MEASURED]
        V = len(text.vocab)
        self.baselines = {"uniform": float(V),
                          "unigram": float(np.exp(unigram_cross_entropy(text.train, self.measured, V)))}  # fmt: skip
        self.counts = np.bincount(text.train, minlength=V)
        self.history = Columns(HISTORY)
        self.samples: list[tuple[int, str]] = []
        self.chunk, self.state = 0, None
        if restored is not None:
            self.history = Columns.from_arrays(restored.history)
            self.samples, self.chunk, self.state = list(restored.samples), restored.chunk, restored.state
        self.show_frame(self.frame_now())

    def restore(self, settings: LanguageSettings, text: Corpus, restored: TrainingState,
                file_text: tuple[str, str] | None) -> None:  # fmt: skip
        """A saved session's model and training, checked first: a ValueError leaves the session as it was."""
        check_settings(settings)
        self._build(settings, text, restored)
        if file_text is not None:
            self.file_text = file_text

    # ------------------------------------------------------------------ training

    @property
    def training(self) -> bool:
        return self.runner.running

    def start_training(self) -> None:
        if not self.training:
            self._last_read = time.perf_counter()
            self._latest = self.frame.reading
            self.boundary.started()
            self.runner.start(self._worker_step, self._worker_frame, FRAME_INTERVAL, ended=self.boundary.stopped)

    def stop_training(self) -> None:
        self.runner.stop()
        self.boundary.stopped()

    def pause_training(self) -> None:
        """Stop after the current step without waiting for it (the Pause button: a step of a model of 10,000
        characters takes a second or more, and the window must not wait for it)."""
        self.runner.pause()

    def train_steps(self, n: int) -> None:
        """``n`` steps here and now (scripts, tests, screenshots)."""
        self.stop_training()
        for _ in range(n):
            if self.train_once():
                break
        self.show_frame(self.frame_now())

    def train_once(self) -> bool:
        """One chunk of every stream; True when the step diverged (the trainer kept the last good weights)."""
        if self.chunk >= len(self.streams):
            self.chunk, self.state = 0, None  # an epoch is over: the streams start again from the zero state
        record = self.trainer.step(self.streams[self.chunk], state=self.state)
        self.chunk += 1
        self.state = None if record.diverged else final_state(record.trace)
        step = self.trainer.steps
        row = {"step": step, "loss": record.loss, "train_perplexity": float(np.exp(min(record.loss, 700))),
               "grad_norm": record.grad_norm}  # fmt: skip
        if step % self.settings.eval_every == 0 or step == 1:
            row["held_out_perplexity"] = perplexity(self.spec, self.trainer.params, self.measured)
        self.history.append(row)
        if step % self.settings.sample_every == 0:
            self.samples.append((step, self.sample(SAMPLE_LENGTH)))
        if record.diverged:
            self.message.emit("error", record.message)
        return record.diverged

    def sample(self, steps: int) -> str:
        """A sample of the model as it is: after the text's first character, temperature 1, the settings' seed."""
        from engine.language import sample

        prompt = self.corpus.train[:1]
        return self.corpus.vocab.decode(sample(self.spec, self.trainer.params, prompt, steps, seed=self.settings.seed))

    def _worker_step(self) -> bool:
        try:
            diverged = self.train_once()
        except BaseException:
            self.boundary.passed(last=True)
            raise
        self.boundary.passed(last=diverged)
        if time.perf_counter() - self._last_read > READ_INTERVAL:
            self._latest = self._read()
            self._last_read = time.perf_counter()
        return diverged

    def _worker_frame(self) -> Frame:
        ending = not self.runner.running or self.runner.stopping
        return self._frame(self._read() if ending else self._latest)

    # ------------------------------------------------------------------ frames

    def _read(self) -> Reading:
        return read(self.spec, self.trainer.params, self.shown)

    def _frame(self, reading: Reading) -> Frame:
        params = {k: v.copy() for k, v in self.trainer.params.items()}
        return Frame(self.settings, self.spec, self.corpus.vocab.chars, params, self.history.views(),
                     list(self.samples), reading, dict(self.baselines), self.counts, self.trainer.steps)  # fmt: skip

    def frame_now(self) -> Frame:
        """A frame of the model as it is, its text read anew (on any thread that is not training it)."""
        return self._frame(self._read())

    def show_frame(self, frame: Frame) -> None:
        self.frame = frame
        self.frame_changed.emit(frame)

    # ------------------------------------------------------------------ inside the network

    def network(self, start: int, length: int = STRETCH) -> NetworkSnapshot:
        """The network reading ``length`` characters of the text on show from ``start`` (clamped to it)."""
        return self.network_reader(start, length)()

    def network_reader(self, start: int, length: int = STRETCH) -> Callable[[], NetworkSnapshot]:
        """``network(start, length)`` in two parts, as ``writer``: the frame and the stretch taken here, on the GUI
        thread, and the pass, which touches nothing the GUI changes, to run in any thread."""
        frame, shown = self.frame, self.shown
        start = max(0, min(start, len(shown) - 2))
        ids = shown[start : start + length + 1]

        def read() -> NetworkSnapshot:
            inspection = inspect_stretch(frame.spec, frame.params, ids)
            labels = [frame.chars[i] for i in ids[:-1]]
            return NetworkSnapshot(frame.settings, frame.spec.rnn, inspection, frame.history, labels, frame.step,
                                   frame.step)  # fmt: skip

        return read

    # ------------------------------------------------------------------ writing

    def write(self, w: WritingSettings) -> Writing:
        """What the model of the latest frame writes after ``w.prompt``; a prompt with characters the vocabulary
        lacks raises a ValueError naming them."""
        return self.writer(w)()

    def writer(self, w: WritingSettings) -> Callable[[], Writing]:
        """``write(w)`` in two parts: the checks and the frame taken here, on the GUI thread (a ValueError for a
        bad prompt), and the writing, which touches nothing the GUI changes, to run in any thread."""
        check_settings(w)
        if not w.prompt:
            raise ValueError("the prompt is empty: give the model at least one character to go on from")
        frame = self.frame
        prompt = self.corpus.vocab.encode(w.prompt)
        return lambda: write(frame.spec, frame.params, prompt, w.steps, w.strategy, w.temperature, w.top_k, w.top_p,
                             w.width, w.length_penalty, w.seed)  # fmt: skip

    # ------------------------------------------------------------------ saving

    def _training_state(self) -> TrainingState:
        scalars, arrays = self.trainer.checkpoint()
        s = self.state
        state = None if s is None else State(s.h.copy(), None if s.c is None else s.c.copy())
        return TrainingState(scalars, arrays, self.history.views(), list(self.samples), self.chunk, state)

    def training_state(self) -> TrainingState:
        return self.boundary.take()
