"""Seq2seq lab: an encoder–decoder learns to translate character strings, and you watch where it looks.

The playhead walks the decoder's output, forward (the attention matrix fills in row by row, the graph's
attention edges follow the step) and then backward (the gradient's magnitude at every state)."""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout, QWidget

from app.i18n import tr
from app.panels.base import LabPanel
from app.panels.training_lessons import TrainingLessons
from app.sessions.seq2seq import (
    SECTIONS,
    ExampleSettings,
    Seq2SeqLessonSettings,
    Seq2SeqSession,
    Seq2SeqSettings,
    TrainingFrame,
)
from app.sessions.settings import join, split
from app.sessions.state import refuse_unknown
from app.timeline import Phase
from app.views.seq2seq.controls import CHOICE_LABELS, SettingsForm, TrainingBox
from app.views.seq2seq.curves import Seq2SeqCurvesView
from app.views.seq2seq.decoding import DecodingView
from app.views.seq2seq.gradients import GradientPathView
from app.views.seq2seq.graph import EncoderDecoderGraph
from app.views.seq2seq.lengths import LengthAccuracyView
from app.views.seq2seq.matrix import MatrixWidget

DEMO_STEPS_PER_STEP, DEMO_CAP, DEMO_COMPARE_FROM = 5, 400, 20


class AttentionView(QWidget):
    """a_ts, target × source, the rows filling in as the decoder writes."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.matrix = MatrixWidget("blue")
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.matrix, 1)


class Panel(TrainingLessons, LabPanel):
    lab = "seq2seq"
    state_version = 1

    def __init__(self, parent=None, settings: Seq2SeqSettings | None = None) -> None:
        super().__init__(parent)
        self.session = Seq2SeqSession(settings, parent=self)
        self.attention_view = AttentionView()
        self.graph_view = EncoderDecoderGraph()
        self.decoding_view = DecodingView()
        self.lengths_view = LengthAccuracyView()
        self.curves_view = Seq2SeqCurvesView()
        self.gradients_view = GradientPathView()
        self.add_view("attention", tr("Attention"), self.attention_view)
        self.add_view("graph", tr("Unrolled graph"), self.graph_view)
        self.add_view("decoding", tr("Decoding"), self.decoding_view)
        self.add_view("lengths", tr("Accuracy by length"), self.lengths_view)
        self.add_view("curves", tr("Training curves"), self.curves_view)
        self.add_view("gradients", tr("Gradient paths"), self.gradients_view)
        self.training_box = TrainingBox()
        self.settings_form = SettingsForm(self.session.settings)
        self.controls_layout.addWidget(self.training_box)
        self.controls_layout.addWidget(self.settings_form)
        self.controls_layout.addStretch(1)
        self._connect()
        self._draw_frame(self.session.frame)
        self._example_changed()
        self.fit_controls()

    def _connect(self) -> None:
        s = self.session
        s.trained.connect(self._draw_frame)
        s.example_changed.connect(self._example_changed)
        s.training_changed.connect(self.training_box.show_training)
        s.rebuilt.connect(lambda: self.settings_form.set_settings(s.settings))
        s.failed.connect(lambda text: self.message.emit("error", text))
        s.comparison_changed.connect(lambda: self.lengths_view.show_comparison(s.comparison))
        s.compare_job.progressed.connect(self.lengths_view.show_progress)
        s.compare_job.failed.connect(lambda _: self.lengths_view.show_comparison(s.comparison))
        self.lengths_view.button.clicked.connect(lambda: self._guarded(s.compare))
        self.training_box.train.clicked.connect(lambda on: s.start_training() if on else s.stop_training())
        self.training_box.step.clicked.connect(lambda: self._guarded(s.train_steps, 50))
        self.training_box.reset.clicked.connect(lambda: self._guarded(s.reset))
        self.settings_form.applied.connect(lambda settings: self._guarded(s.apply_settings, settings))
        self.settings_form.open_requested.connect(self._open_dialog)
        self.decoding_view.decode_requested.connect(self._decode)
        self.timeline.moved.connect(self._moved)

    def _decode(self, source: str, target: str, width: int, penalty: float, prefix: str) -> None:
        if self._guarded(lambda: self.session.set_example(source, target or None, width=width,
                                                          length_penalty=penalty, prefix=prefix)):  # fmt: skip
            self.playhead.seek(0)

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open pairs file"), "", self.file_filter)
        if path:
            try:
                self.open_file(path)
            except ValueError:
                pass

    def open_file(self, path: str) -> None:
        """A UTF-8 tab-separated file of source–target pairs; bad files say why and change nothing."""
        try:
            from engine.seq2seq.tasks import read_pairs

            pairs = read_pairs(path)
            text = "\n".join(f"{s}\t{t}" for s, t in zip(pairs.sources, pairs.targets, strict=True))
            self.session.load_pairs_text(text, str(path))
        except ValueError as exc:
            self.message.emit("error", tr("Could not use {path}: {reason}").format(path=path, reason=exc))
            raise
        self.message.emit("info", tr("Seq2seq lab: training on {n} pairs").format(n=len(self.session.user_pairs)))

    # ---- drawing --------------------------------------------------------------------------------------------

    def _draw_frame(self, frame: TrainingFrame) -> None:
        self.curves_view.show_history(frame.history)
        s, h = self.session, frame.history
        spec = s.spec
        cell, kind = tr(CHOICE_LABELS[spec.cell]), tr(CHOICE_LABELS[spec.attention])
        model = tr("{cell} · {units} hidden units · attention {kind}")
        model = model.format(cell=cell, units=spec.hidden_size, kind=kind)
        lines = [model, tr("{pairs} training pairs · step {step}").format(pairs=len(s.train), step=frame.step)]
        if len(h["loss"]):
            lines.append(tr("loss {loss} · teacher-forced accuracy {accuracy}").format(
                loss=f"{h['loss'][-1]:.3f}", accuracy=f"{h['accuracy'][-1]:.2f}"))  # fmt: skip
        if len(h["free_exact"]):
            lines.append(tr("free running, exactly right {share}").format(share=f"{h['free_exact'][-1]:.2f}"))
        self.training_box.status.setText("\n".join(lines))

    def _labels(self, token: int) -> str:
        return self.session.train.tgt_alphabet.label(token)

    def _example_changed(self) -> None:
        e, s = self.session.example, self.session
        n = len(e.tokens)
        self.timeline.set_phases(Phase("forward", n), Phase("backward", len(e.target_norm), reverse=True))
        targets = [self._labels(int(t)) for t in e.forced.trace.tgt_in[1:, 0]] + ["</s>"]
        self.graph_view.show_example(e.source, [self._labels(int(t)) for t in e.tokens], e.attention,
                                     e.paths[:, : len(e.source)], e.target_norm, targets)  # fmt: skip
        kind = tr(CHOICE_LABELS[s.spec.attention])
        self.gradients_view.show_paths(e.paths[:, : len(e.source)], list(e.source), targets, kind)
        self._moved(*self.timeline.moment())

    def _moved(self, phase: str, t: int) -> None:
        e, s = self.session.example, self.session
        upto = t if phase == "forward" else None
        outputs = [self._labels(int(tok)) for tok in e.tokens]
        if e.attention is None:
            self.attention_view.matrix.show_matrix(None, [], [], empty_text=tr(
                "No attention: the decoder sees the source only through the encoder's last state."))  # fmt: skip
        else:
            text = [[f"{v:.2f}" for v in row] for row in e.attention]
            self.attention_view.matrix.show_matrix(e.attention, outputs, list(e.source), text=text, upto=upto,
                                                   corner=(tr("output"), tr("source")))  # fmt: skip
        caption = tr("“{source}” → “{output}”: attention a_ts of output step t over the source ({kind})")
        kind = tr(CHOICE_LABELS[s.spec.attention])
        self.attention_view.caption.setText(caption.format(source=e.source, output=e.output, kind=kind))
        self.graph_view.show_position(phase, t)
        self.decoding_view.show_example(e, self._labels, s.width, s.length_penalty, s.prefix, upto=upto)

    def describe_position(self, position: int) -> str:
        phase, t = self.timeline.moment(position)
        where = tr("decoder step t = {t}") if phase == "forward" else tr("backward t = {t}")
        return f"{where.format(t=t)} · {position + 1} / {self.playhead.length}"

    # ---- the panel protocol ---------------------------------------------------------------------------------

    def run_demo_steps(self, steps: int) -> None:
        n = min(DEMO_STEPS_PER_STEP * max(steps, 0), DEMO_CAP)
        self.session.train_steps(n)
        if steps >= DEMO_COMPARE_FROM:  # a screenshot's demo: the comparison too, on the same budget
            self.session.compare_now(n)
        self.playhead.seek(max(0, self.playhead.length // 2 - 1))

    def trace(self) -> object:
        return self.session.example.forced.trace

    # ---- lessons: training from the seed on the lesson's worker (TrainingLessons) ----------------------------------

    lesson_settings = Seq2SeqLessonSettings

    def current_lesson_settings(self) -> Seq2SeqLessonSettings:
        s = self.session
        e = s.example
        shown = ("", "") if (e.source, e.target or "") == s.first_example() else (e.source, e.target or "")
        return join(Seq2SeqLessonSettings, s.settings, ExampleSettings(*shown, s.width, s.length_penalty))

    def start_lesson(self, settings: Seq2SeqLessonSettings, work: dict[str, int]) -> None:
        s = self.session
        s.compare_job.cancel(wait=True)
        s.comparison, s.prefix = None, ""
        s.apply_settings(self.lesson_key(settings))  # new pairs and a fresh model from the seed (training stopped)
        self.settings_form.set_settings(s.settings)
        self.lengths_view.show_comparison(None)
        self.show_lesson_settings(settings)

    def show_lesson_settings(self, settings: Seq2SeqLessonSettings) -> None:
        """The example and its decoding; a source the pairs' alphabet lacks is said, and the lab's own shown."""
        example = split(settings)[1]
        source, target = (example.source, example.target) if example.source else self.session.first_example()
        self._guarded(partial(self.session.set_example, source, target or None, width=example.width,
                              length_penalty=example.length_penalty, prefix=""))  # fmt: skip

    def lab_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        return self.session.save_state()

    def restore_lab_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        refuse_unknown(state, SECTIONS, "seq2seq session")
        self.session.restore_state(state, arrays)
        self.settings_form.set_settings(self.session.settings)

    def shutdown(self) -> None:
        self.session.stop_training()
        self.session.compare_job.cancel(wait=True)
        super().shutdown()
