"""Language lab: a character language model read, trained, sampled, searched and measured in perplexity.

The playhead walks the text the model wrote last, character by character (the writing view and the beam tree
follow it); training runs in a worker and the other views redraw from each frame it hands over.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from app.i18n import tr
from app.jobs import Job
from app.panels.base import LabPanel
from app.panels.training_lessons import TrainingLessons
from app.sessions import language_state
from app.sessions.language import LanguageLessonSettings, LanguageSession, LanguageSettings, WritingSettings
from app.sessions.settings import join, split
from app.timeline import Phase
from app.views.beam_tree import BeamTreeView
from app.views.language.characters import shown
from app.views.language.controls import ModelForm, TrainingBox, WritingBox
from app.views.language.embedding import EmbeddingView
from app.views.language.network import NetworkView
from app.views.language.perplexity import PerplexityView
from app.views.language.samples import SamplesView
from app.views.language.text import TextView
from app.views.language.writing import WritingView
from engine import io

STEPS_PER_CLICK = 10
# From this many characters of vocabulary "Inside the network" is recomputed in a worker: its pass over the head
# took 0.6 s at 10,000 characters, a stall each time the view was shown or training brought a frame. Below, it
# takes milliseconds and stays on the GUI thread, so that screenshots and lesson steps show it at once.
NETWORK_IN_BACKGROUND_FROM = 2000


class Panel(TrainingLessons, LabPanel):
    lab = "language"
    state_version = language_state.VERSION

    def __init__(self, parent=None, settings: LanguageSettings | None = None) -> None:
        super().__init__(parent)
        self.session = LanguageSession(settings, parent=self)
        self.text_view, self.writing_view, self.beam_view = TextView(), WritingView(), BeamTreeView()
        self.perplexity_view, self.samples_view, self.embedding_view = PerplexityView(), SamplesView(), EmbeddingView()
        self.add_view("text", tr("Surprisal"), self.text_view)
        self.add_view("write", tr("Writing"), self.writing_view)
        self.add_view("beam", tr("Beam tree"), self.beam_view)
        self.add_view("perplexity", tr("Perplexity"), self.perplexity_view)
        self.add_view("samples", tr("Samples"), self.samples_view)
        self.add_view("embedding", tr("Embedding"), self.embedding_view)
        self.network_view = NetworkView()
        self.add_view("network", tr("Inside the network"), self.network_view)
        self.training_box = TrainingBox()
        self.writing_box = WritingBox()
        self.model_form = ModelForm(self.session.settings)
        for box in (self.training_box, self.writing_box, self.model_form):
            self.controls_layout.addWidget(box)
        self.controls_layout.addStretch(1)
        self.writing = None
        self.writing_job = Job(self)
        self.writing_job.done.connect(self._written)
        self.writing_job.failed.connect(lambda text: self.message.emit("error", text))
        self.network_job = Job(self)
        self.network_job.done.connect(self._network_done)
        self.network_job.failed.connect(self._network_failed)
        self._network_busy = self._network_stale = False  # computing; a newer stretch or frame came meanwhile
        self._connect()
        self._frame_changed(self.session.frame)
        self._write(self.writing_box.settings())
        self.fit_controls()

    def _connect(self) -> None:
        s = self.session
        s.frame_changed.connect(self._frame_changed)
        s.training_changed.connect(self._training_changed)
        s.message.connect(self.message)
        self.training_box.train.clicked.connect(self._train_toggled)
        self.training_box.step.clicked.connect(lambda: self._guarded(self.run_demo_steps, STEPS_PER_CLICK))
        self.training_box.reset.clicked.connect(lambda: self._guarded(s.reset))
        self.model_form.applied.connect(self._apply_settings)
        self.model_form.open_requested.connect(self._open_dialog)
        self.writing_box.write_requested.connect(lambda w: self._guarded(self._write, w))
        # bound methods, not lambdas: Qt lets go of them as the panel goes (the tabs announce a change of page while
        # they are taken down, and a lambda would draw on views already deleted)
        self.timeline.moved.connect(self._moved)
        self.network_view.stretch_requested.connect(self._show_network)
        self.views.currentChanged.connect(self._show_network)
        self.views.currentChanged.connect(self._show_beam)

    # ---- training and the model --------------------------------------------------------------------------

    def _apply_settings(self, settings: LanguageSettings) -> None:
        if self._guarded(self.session.apply_settings, settings):
            self._write(self.writing_box.settings(), quiet=True)
        self.model_form.set_settings(self.session.settings)

    def _training_changed(self, running: bool) -> None:
        self.training_box.show_training(running)
        self.training_box.train.setEnabled(True)
        if not running:
            self._write_in_background(self.writing_box.settings())  # what the model writes now it has paused

    def _train_toggled(self, on: bool) -> None:
        if on:
            self.session.start_training()
        else:  # the worker finishes its step and says so (``_training_changed``); the window does not wait
            self.training_box.train.setEnabled(False)
            self.session.pause_training()

    def _frame_changed(self, frame) -> None:
        h = frame.history
        text = tr("step {step}").format(step=frame.step)
        if len(h["step"]):
            text += " · " + tr("loss {loss:.3f} nats").format(loss=h["loss"][-1])
        steps_per_second = self.session.runner.steps_per_second
        if steps_per_second:
            chars = steps_per_second * frame.settings.seq_length * self.session.streams.streams.shape[1]
            text += " · " + tr("{chars:,.0f} characters/s").format(chars=chars)
        self.training_box.status.setText(text)
        self.text_view.set_frame(frame)
        self.perplexity_view.set_frame(frame)
        self.samples_view.set_frame(frame)
        self.embedding_view.set_frame(frame, frame.counts)
        self._show_network()

    def _moved(self, _phase: str, t: int) -> None:
        self._show_step(t)

    def _show_network(self, *_signal_arguments) -> None:
        """The recurrent views on the chosen stretch, recomputed only while they are on show (a forward and
        backward pass with gradient flow)."""
        view = self.network_view
        view.set_text_length(len(self.session.shown))
        if self.views.currentWidget() is not view:
            return
        read = self.session.network_reader(view.start.value())
        if len(self.session.corpus.vocab) < NETWORK_IN_BACKGROUND_FROM:
            self.network_job.cancel()  # a pass still running for an earlier, larger model must not come after this
            self._network_busy = self._network_stale = False
            view.set_snapshot(read())
        elif self._network_busy:
            self._network_stale = True  # one pass at a time: the newest request runs when this one ends
        else:
            self._network_busy = True
            self.network_job.start(lambda _context: read())

    def _network_done(self, snapshot) -> None:
        self._network_busy = False
        self.network_view.set_snapshot(snapshot)
        if self._network_stale:
            self._network_stale = False
            self._show_network()

    def _network_failed(self, text: str) -> None:
        self._network_busy = self._network_stale = False
        self.message.emit("error", text)

    def run_demo_steps(self, steps: int) -> None:
        self.session.train_steps(steps)
        self._write(self.writing_box.settings(), quiet=True)

    def start_work(self) -> None:
        self.session.start_training()

    def stop_work(self) -> None:
        self.session.stop_training()

    # ---- writing -------------------------------------------------------------------------------------------

    def _write(self, settings: WritingSettings, quiet: bool = False) -> None:
        """Write with the latest weights; a bad prompt raises ValueError (or, ``quiet``, keeps what was written)."""
        self.writing_job.cancel()  # what it would bring is older than this
        settings, writer = self._writer(settings, quiet)
        self._show_writing(writer(), settings)

    def _write_in_background(self, settings: WritingSettings) -> None:
        """``_write(settings, quiet=True)`` in a worker: at a vocabulary of 10,000 characters writing takes a
        good part of a second, which a pause must not cost the window. A newer writing replaces it."""
        settings, writer = self._writer(settings, quiet=True)
        corpus = self.session.corpus
        self.writing_job.start(lambda _context: (corpus, settings, writer()))

    def _written(self, result: tuple) -> None:
        corpus, settings, writing = result
        if corpus is self.session.corpus:  # not a text since replaced
            self._show_writing(writing, settings)

    def _writer(self, settings: WritingSettings, quiet: bool) -> tuple[WritingSettings, object]:
        try:
            return settings, self.session.writer(settings)
        except ValueError:
            if not quiet:
                raise
            # a prompt the new text's vocabulary lacks: start from the text's first character instead
            settings = replace(settings, prompt=self.session.corpus.vocab.decode(self.session.corpus.train[:1]))
            self.writing_box.prompt.setText(settings.prompt)
            return settings, self.session.writer(settings)

    def _show_writing(self, writing, settings: WritingSettings) -> None:
        self.writing, self.writing_settings = writing, settings
        self.timeline.set_phases(Phase("", len(writing.ids)))
        self.writing_view.show_writing(writing, self.session.corpus.vocab.chars)
        self._show_step(self.timeline.moment()[1])

    def _show_step(self, t: int) -> None:
        if self.writing is None:
            return
        self.writing_view.show_step(t)
        self._show_beam()

    def _show_beam(self, *_signal_arguments) -> None:
        """The beam tree up to the playhead, drawn only while it is on show (its labels cost a frame's time)."""
        if self.writing is None or self.views.currentWidget() is not self.beam_view:
            return
        chars = self.session.corpus.vocab.chars
        t = self.timeline.moment()[1]
        self.beam_view.show_tree(self.writing.beam.tree, lambda token: shown(chars[token]), self.writing.greedy, t)

    # ---- files -----------------------------------------------------------------------------------------------

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a text"), "", self.file_filter)
        if path:
            self._guarded(self.open_file, path)

    def open_file(self, path: str) -> None:
        """A UTF-8 text file to train on; a file unfit for it raises ValueError naming the problem, lab unchanged."""
        name = Path(path).name
        text = io.read_text(path)
        self.session.open_text(text, name)
        self.model_form.set_settings(self.session.settings)
        self._write(self.writing_box.settings(), quiet=True)
        self.message.emit("info", tr("Language lab: {name}, {n:,} characters, a vocabulary of {v:,}").format(
            name=name, n=len(text), v=len(self.session.corpus.vocab)))  # fmt: skip

    def trace(self) -> object:
        return self.session.frame.reading

    # ---- lessons: training from the seed on the lesson's worker (TrainingLessons); writing needs none ------------

    lesson_settings = LanguageLessonSettings

    def current_lesson_settings(self) -> LanguageLessonSettings:
        return join(LanguageLessonSettings, self.session.settings, self.writing_settings)

    def start_lesson(self, settings: LanguageLessonSettings, work: dict[str, int]) -> None:
        model, writing = split(settings)
        self.session.apply_settings(model)  # a fresh model from the seed (training stopped)
        self.model_form.set_settings(model)
        self.show_lesson_settings(settings)

    def show_lesson_settings(self, settings: LanguageLessonSettings) -> None:
        writing = split(settings)[1]
        self.writing_box.set_settings(writing)
        self._write(writing, quiet=True)

    def lesson_work_finished(self) -> None:
        self._write(self.writing_settings, quiet=True)  # with the trained weights

    # ---- session files ------------------------------------------------------------------------------------------

    def lab_state(self):
        s = self.session
        return language_state.save(s.settings, self.writing_settings, s.corpus, s.training_state())

    def restore_lab_state(self, state: dict, arrays) -> None:
        settings, writing, text, trained = language_state.load(state, arrays)
        file_text = (text.name, text.text) if settings.text == "file" else None
        self.session.restore(settings, text, trained, file_text)
        self.model_form.set_settings(settings)
        self.writing_box.set_settings(writing)
        self._write(writing, quiet=True)

    def shutdown(self) -> None:
        self.writing_job.cancel(wait=True)
        self.network_job.cancel(wait=True)
        self.session.stop_training()
        super().shutdown()
