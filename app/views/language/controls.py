"""The language lab's control column: training, the text and the model, and how the generation view writes."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.sessions.language import LanguageSettings, WritingSettings
from app.sessions.settings import choices, limits

TEXT_LABELS = {"english": QT_TR_NOOP("English sample"), "chinese": QT_TR_NOOP("Chinese sample"),
               "file": QT_TR_NOOP("my file")}  # fmt: skip
CELL_LABELS = {"lstm": QT_TR_NOOP("LSTM"), "gru": QT_TR_NOOP("GRU"), "rnn_tanh": QT_TR_NOOP("RNN (tanh)")}
STRATEGY_LABELS = {"greedy": QT_TR_NOOP("greedy search"), "sample": QT_TR_NOOP("sampling"),
                   "beam": QT_TR_NOOP("beam search")}  # fmt: skip
TEMPERATURE_RANGE = (-2.0, 1.0)  # the slider's ends: temperature 10^−2 … 10^1
SLIDER_STEPS = 300


def _form(owner) -> QFormLayout:
    form = QFormLayout(owner)
    form.setRowWrapPolicy(QFormLayout.WrapLongRows)
    return form


def _combo(keys, labels: dict[str, str]) -> QComboBox:
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    for key in keys:
        box.addItem(tr(labels[key]), key)
    return box


def _spin(cls, name: str, tip: str = "") -> QSpinBox:
    low, high = limits(cls, name)
    box = QSpinBox(minimum=int(low), maximum=int(high), value=getattr(cls, name))
    box.setToolTip(tip)
    return box


def _real(cls, name: str, step: float, decimals: int, tip: str = "") -> QDoubleSpinBox:
    low, high = limits(cls, name)
    box = QDoubleSpinBox(minimum=low, maximum=high, singleStep=step, decimals=decimals, value=getattr(cls, name))
    box.setToolTip(tip)
    return box


class TrainingBox(QGroupBox):
    def __init__(self, parent=None) -> None:
        super().__init__(tr("Training"), parent)
        self.train = QPushButton("▶ " + tr("Train"))
        self.train.setCheckable(True)
        self.train.setToolTip(tr("Train in the background; the views follow; press again to pause"))
        self.step = QPushButton(tr("+10 steps"))
        self.reset = QPushButton(tr("Reset"))
        self.reset.setToolTip(tr("A fresh model with random weights on the same text"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.train)
        row = QHBoxLayout()
        row.addWidget(self.step)
        row.addWidget(self.reset)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def show_training(self, running: bool) -> None:
        self.train.setChecked(running)
        self.train.setText("⏸ " + tr("Pause") if running else "▶ " + tr("Train"))


class ModelForm(QGroupBox):
    """The text, the model and its training; ``applied(LanguageSettings)`` on Apply."""

    applied = Signal(object)
    open_requested = Signal()

    def __init__(self, settings: LanguageSettings, parent=None) -> None:
        super().__init__(tr("Text, model"), parent)
        S = LanguageSettings
        self.text = _combo(choices(S, "text"), TEXT_LABELS)
        self.open = QPushButton(tr("Open…"))
        self.open.setToolTip(tr("a UTF-8 text file, in any script"))
        self.cell = _combo(choices(S, "cell"), CELL_LABELS)
        self.embedding_dim = _spin(S, "embedding_dim", tr("size of each character's vector; 0: one-hot input"))
        self.hidden_size = _spin(S, "hidden_size")
        self.num_layers = _spin(S, "num_layers")
        self.seq_length = _spin(S, "seq_length", tr("characters per chunk of truncated backpropagation"))
        self.batch_size = _spin(S, "batch_size", tr("parallel streams of the text"))
        self.lr = _real(S, "lr", 0.001, 4, tr("Adam's learning rate"))
        self.clip_norm = _real(S, "clip_norm", 0.5, 1, tr("gradient norm clipped to this; 0: no clipping"))
        self.sample_every = _spin(S, "sample_every", tr("a sample is saved every this many steps"))
        self.seed = _spin(S, "seed")
        self.apply = QPushButton(tr("Apply"))
        form = _form(self)
        for label, widget in ((tr("text"), self.text), ("", self.open), (tr("cell"), self.cell),
                              (tr("embedding"), self.embedding_dim), (tr("hidden"), self.hidden_size),
                              (tr("layers"), self.num_layers), (tr("sequence length"), self.seq_length),
                              (tr("batch size"), self.batch_size), (tr("learning rate"), self.lr),
                              (tr("clip norm"), self.clip_norm), (tr("sample every"), self.sample_every),
                              (tr("seed"), self.seed), ("", self.apply)):  # fmt: skip
            form.addRow(label, widget)
        self.apply.clicked.connect(lambda: self.applied.emit(self.settings()))
        self.open.clicked.connect(self.open_requested)
        self._base = settings
        self.set_settings(settings)

    def set_settings(self, s: LanguageSettings) -> None:
        self._base = s
        self.text.setCurrentIndex(max(0, self.text.findData(s.text)))
        self.cell.setCurrentIndex(max(0, self.cell.findData(s.cell)))
        for name in ("embedding_dim", "hidden_size", "num_layers", "seq_length", "batch_size", "lr", "clip_norm",
                     "sample_every", "seed"):  # fmt: skip
            getattr(self, name).setValue(getattr(s, name))

    def settings(self) -> LanguageSettings:
        from dataclasses import replace

        values = {name: getattr(self, name).value() for name in ("embedding_dim", "hidden_size", "num_layers",
                  "seq_length", "batch_size", "lr", "clip_norm", "sample_every", "seed")}  # fmt: skip
        return replace(self._base, text=self.text.currentData(), cell=self.cell.currentData(), **values)


def temperature_at(position: int) -> float:
    """The log-scale slider's temperature at ``position`` (0 … SLIDER_STEPS)."""
    low, high = TEMPERATURE_RANGE
    return 10 ** (low + (high - low) * position / SLIDER_STEPS)


def slider_position(temperature: float) -> int:
    low, high = TEMPERATURE_RANGE
    t = min(max(temperature, 10**low), 10**high)
    return round((math.log10(t) - low) / (high - low) * SLIDER_STEPS)


class WritingBox(QGroupBox):
    """Prompt and strategy; ``write_requested(WritingSettings)`` on Write."""

    write_requested = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Write"), parent)
        W = WritingSettings
        self.prompt = QLineEdit(W.prompt)
        self.strategy = _combo(STRATEGIES_ORDER, STRATEGY_LABELS)
        self.temperature = QSlider(Qt.Horizontal, minimum=0, maximum=SLIDER_STEPS)
        self.temperature.setToolTip(tr("temperature on a log scale, 0.01 to 10: low is nearly greedy, high nearly "
                                       "uniform"))  # fmt: skip
        self.temperature_label = QLabel()
        self.top_k = _spin(W, "top_k", tr("sample among the k likeliest only; 0: all"))
        self.top_p = _real(W, "top_p", 0.05, 2, tr("sample within the smallest set of likeliest characters whose "
                                                  "probability reaches p (nucleus)"))  # fmt: skip
        self.width = _spin(W, "width", tr("beam width k: 1 is greedy search"))
        self.length_penalty = _real(W, "length_penalty", 0.1, 2, tr("GNMT length penalty α: lp = ((5 + |Y|) / 6)^α"))
        self.steps = _spin(W, "steps", tr("characters to write"))
        self.seed = _spin(W, "seed", tr("seed of the sampler"))
        self.write = QPushButton("✎ " + tr("Write"))
        temperature = QHBoxLayout()
        temperature.addWidget(self.temperature, 1)
        temperature.addWidget(self.temperature_label)
        form = _form(self)
        for label, widget in ((tr("prompt"), self.prompt), (tr("strategy"), self.strategy),
                              (tr("temperature"), temperature), (tr("top-k"), self.top_k), (tr("top-p"), self.top_p),
                              (tr("beam width"), self.width), (tr("length penalty"), self.length_penalty),
                              (tr("characters"), self.steps), (tr("seed"), self.seed), ("", self.write)):  # fmt: skip
            form.addRow(label, widget)
        self.temperature.valueChanged.connect(self._show_temperature)
        self.set_settings(W())
        self.write.clicked.connect(lambda: self.write_requested.emit(self.settings()))
        self.prompt.returnPressed.connect(self.write.click)

    def _show_temperature(self) -> None:
        self.temperature_label.setText(f"{temperature_at(self.temperature.value()):.2f}")

    def set_settings(self, w: WritingSettings) -> None:
        self.prompt.setText(w.prompt)
        self.strategy.setCurrentIndex(max(0, self.strategy.findData(w.strategy)))
        self.temperature.setValue(slider_position(w.temperature))
        self._show_temperature()
        for name in ("top_k", "top_p", "width", "length_penalty", "steps", "seed"):
            getattr(self, name).setValue(getattr(w, name))

    def settings(self) -> WritingSettings:
        return WritingSettings(prompt=self.prompt.text(), strategy=self.strategy.currentData(),
                               temperature=round(temperature_at(self.temperature.value()), 4),
                               top_k=self.top_k.value(), top_p=self.top_p.value(), width=self.width.value(),
                               length_penalty=self.length_penalty.value(), steps=self.steps.value(),
                               seed=self.seed.value())  # fmt: skip


STRATEGIES_ORDER = ("sample", "greedy", "beam")
