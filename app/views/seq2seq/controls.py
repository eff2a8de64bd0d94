"""The Seq2seq lab's controls: training (start/stop, a few steps, a new model) and the settings form."""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,  # fmt: skip
    QSpinBox,
    QVBoxLayout,
)

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.sessions.seq2seq import Seq2SeqSettings
from app.sessions.settings import choices, limits

LABELS = {
    "task": QT_TR_NOOP("Task"),
    "train_max_len": QT_TR_NOOP("Train on sources up to"),
    "attention": QT_TR_NOOP("Attention"),
    "cell": QT_TR_NOOP("Cell"),
    "hidden_size": QT_TR_NOOP("Hidden units"),
    "embedding_dim": QT_TR_NOOP("Embedding size"),
    "bidirectional": QT_TR_NOOP("Bidirectional encoder"),
    "reverse_source": QT_TR_NOOP("Read the source reversed"),
    "input_feeding": QT_TR_NOOP("Input feeding"),
    "attentional_hidden": QT_TR_NOOP("Attentional hidden state tanh(W_c[c;h])"),
    "teacher_forcing": QT_TR_NOOP("Teacher forcing ratio"),
    "scheduled_sampling": QT_TR_NOOP("Scheduled sampling"),
    "lr": QT_TR_NOOP("Learning rate"),
    "batch": QT_TR_NOOP("Batch"),
    "seed": QT_TR_NOOP("Seed"),
}
CHOICE_LABELS = {
    "reverse": QT_TR_NOOP("reverse"),
    "sort": QT_TR_NOOP("sort digits"),
    "copy": QT_TR_NOOP("copy"),
    "dates": QT_TR_NOOP("dates → ISO"),
    "addition": QT_TR_NOOP("addition in words"),
    "file": QT_TR_NOOP("my pairs file"),
    "none": QT_TR_NOOP("none"),
    "dot": QT_TR_NOOP("dot (Luong)"),
    "general": QT_TR_NOOP("general (Luong)"),
    "additive": QT_TR_NOOP("additive (Bahdanau)"),
    "gru": QT_TR_NOOP("GRU"),
    "lstm": QT_TR_NOOP("LSTM"),
    "rnn_tanh": QT_TR_NOOP("RNN (tanh)"),
}


class TrainingBox(QGroupBox):
    def __init__(self, parent=None) -> None:
        super().__init__(tr("Training"), parent)
        self.train = QPushButton(tr("Train"), checkable=True)
        self.step = QPushButton(tr("50 steps"))
        self.reset = QPushButton(tr("New model"))
        row = QHBoxLayout()
        for b in (self.train, self.step, self.reset):
            row.addWidget(b)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def show_training(self, running: bool) -> None:
        self.train.setChecked(running)
        self.train.setText(tr("Stop") if running else tr("Train"))


class SettingsForm(QGroupBox):
    applied = Signal(object)  # Seq2SeqSettings
    open_requested = Signal()

    def __init__(self, settings: Seq2SeqSettings, parent=None) -> None:
        super().__init__(tr("Model and task"), parent)
        self.widgets = {}
        form = QFormLayout()
        for f in fields(Seq2SeqSettings):
            if isinstance(f.default, bool):
                w = QCheckBox()
            elif "choices" in f.metadata:
                w = QComboBox()
                for c in choices(Seq2SeqSettings, f.name):
                    w.addItem(tr(CHOICE_LABELS.get(c, c)), c)
            elif isinstance(f.default, float):
                low, high = limits(Seq2SeqSettings, f.name)
                w = QDoubleSpinBox(minimum=low, maximum=high, decimals=4 if f.name == "lr" else 2,
                                   singleStep=0.001 if f.name == "lr" else 0.1)  # fmt: skip
            else:
                low, high = limits(Seq2SeqSettings, f.name)
                w = QSpinBox(minimum=low, maximum=high)
            self.widgets[f.name] = w
            form.addRow(tr(LABELS[f.name]), w)
        self.apply = QPushButton(tr("Apply"))
        self.open = QPushButton(tr("Open pairs file…"))
        self.open.setToolTip(tr("UTF-8 text, one pair a line: source<TAB>target"))
        row = QHBoxLayout()
        row.addWidget(self.open)
        row.addWidget(self.apply)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        self.apply.clicked.connect(lambda: self.applied.emit(self.settings()))
        self.open.clicked.connect(self.open_requested)
        self._shown = settings
        self.set_settings(settings)

    def set_settings(self, settings: Seq2SeqSettings) -> None:
        self._shown = settings
        for name, w in self.widgets.items():
            v = getattr(settings, name)
            if isinstance(w, QCheckBox):
                w.setChecked(v)
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(w.findData(v))
            else:
                w.setValue(v)

    def settings(self) -> Seq2SeqSettings:
        values = {}
        for name, w in self.widgets.items():
            if isinstance(w, QCheckBox):
                values[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                values[name] = w.currentData()
            else:
                values[name] = w.value()
        return replace(self._shown, **values)
