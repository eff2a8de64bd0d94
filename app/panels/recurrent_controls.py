"""The recurrent lab's controls: training buttons and every setting, applied as soon as it changes."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.sessions.recurrent import DELAY_MODELS, RecurrentSession, RecurrentSettings
from app.sessions.settings import choices, limits
from app.timeline import Timeline
from engine.recurrent import FORGET_GATE_VARIANTS, VARIANTS


def _forget_bias_tip() -> str:
    return tr(
        "the LSTM forget gate's starting bias: at 1 a new network keeps its cell state, and the gradient "
        "reaches further back"
    )


CELL_LABELS = {"lstm": "LSTM", "gru": "GRU", "rnn_tanh": "RNN (tanh)", "rnn_relu": "RNN (ReLU)", "tdnn": "TDNN",
               "narx": "NARX", "ar": "AR(K)"}  # fmt: skip
RECURRENT_ONLY = ("variant", "bidirectional", "dropout", "truncate")
DELAY_SETTINGS = {"window": ("tdnn", "ar"), "input_delays": ("narx",), "output_delays": ("narx",),
                  "feedback": ("narx",), "num_layers": ("lstm", "gru", "rnn_tanh", "rnn_relu", "tdnn")}  # fmt: skip
# shown through tr: the settings' names, the tasks, the variants and the optimizers
LABELS = {
    "cell": QT_TR_NOOP("cell"),
    "variant": QT_TR_NOOP("variant"),
    "hidden_size": QT_TR_NOOP("hidden size"),
    "num_layers": QT_TR_NOOP("num layers"),
    "dropout": QT_TR_NOOP("dropout"),
    "forget_bias": QT_TR_NOOP("forget bias"),
    "task": QT_TR_NOOP("task"),
    "length": QT_TR_NOOP("length"),
    "batch_size": QT_TR_NOOP("batch size"),
    "seed": QT_TR_NOOP("seed"),
    "optimizer": QT_TR_NOOP("optimizer"),
    "lr": QT_TR_NOOP("learning rate"),
    "clip_norm": QT_TR_NOOP("clip norm"),
    "truncate": QT_TR_NOOP("truncate"),
    "window": QT_TR_NOOP("window"),
    "input_delays": QT_TR_NOOP("input delays"),
    "output_delays": QT_TR_NOOP("output delays"),
    "feedback": QT_TR_NOOP("feedback"),
}
CHOICE_LABELS = {
    "adding": QT_TR_NOOP("adding"), "copy": QT_TR_NOOP("copy"), "parity": QT_TR_NOOP("parity"),
    "sine": QT_TR_NOOP("sine"), "text": QT_TR_NOOP("text"), "reber": QT_TR_NOOP("reber"),
    "embedded_reber": QT_TR_NOOP("embedded reber"), "standard": QT_TR_NOOP("standard"),
    "no_forget": QT_TR_NOOP("no forget"), "peephole": QT_TR_NOOP("peephole"), "coupled": QT_TR_NOOP("coupled"),
    "reset_after": QT_TR_NOOP("reset after"), "reset_before": QT_TR_NOOP("reset before"),
    "adam": "Adam", "sgd": QT_TR_NOOP("SGD + momentum"), "latching": QT_TR_NOOP("latching"),
    "closed": QT_TR_NOOP("closed-loop (its own outputs)"), "teacher": QT_TR_NOOP("teacher-forced (true outputs)"),
}  # fmt: skip


def label(value: str) -> str:
    """A choice or setting as the user reads it."""
    return tr(CHOICE_LABELS.get(value, LABELS.get(value, value.replace("_", " "))))


def _spin(name: str, tip: str) -> QSpinBox:
    """A spin box over the setting's declared range."""
    lo, hi = limits(RecurrentSettings, name)
    box = QSpinBox(minimum=lo, maximum=hi)
    box.setToolTip(tip)
    return box


def _dspin(name: str, decimals: int, step: float, tip: str) -> QDoubleSpinBox:
    lo, hi = limits(RecurrentSettings, name)
    box = QDoubleSpinBox(minimum=lo, maximum=hi, decimals=decimals, singleStep=step)
    box.setToolTip(tip)
    return box


def _combo(name: str, labels: dict[str, str] | None = None) -> QComboBox:
    """A combo box of the setting's declared choices."""
    box = QComboBox()
    for value in choices(RecurrentSettings, name):
        box.addItem((labels or {}).get(value) or label(value), value)
    return box


class RecurrentControls(QWidget):
    def __init__(self, session: RecurrentSession, timeline: Timeline, parent=None) -> None:
        super().__init__(parent)
        self.session, self.timeline = session, timeline
        self.train_button = QPushButton(tr("Train"))
        self.train_button.setCheckable(True)
        self.train_button.setToolTip(tr("Train in the background; the pictures follow the latest weights"))
        self.train_button.toggled.connect(self._toggle_training)
        self.step_button = QPushButton(tr("+{steps} steps").format(steps=50))
        self.step_button.clicked.connect(lambda: session.train_steps(50))
        self.reset_button = QPushButton(tr("Reset"))
        self.reset_button.setToolTip(tr("New weights from the seed; the training history starts again"))
        self.reset_button.clicked.connect(lambda: self._apply(session.settings))
        buttons = QHBoxLayout()
        for b in (self.train_button, self.step_button, self.reset_button):
            buttons.addWidget(b)
        self.widgets = self._build_widgets()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self._group(tr("Network"), ["cell", "variant", "hidden_size", "num_layers", "bidirectional",
                                                       "dropout", "forget_bias", "window", "input_delays",
                                                       "output_delays", "feedback"]))  # fmt: skip
        layout.addWidget(self._group(tr("Task"), ["task", "length", "batch_size", "seed"]))
        layout.addWidget(self._group(tr("Training"), ["optimizer", "lr", "clip_norm", "truncate"]))
        layout.addWidget(self._selection_group())
        layout.addStretch(1)
        self.show_settings(session.settings)
        self._connect()
        session.training_changed.connect(self._show_training)
        timeline.selection_changed.connect(self._show_selection)
        session.snapshot_changed.connect(lambda _: self._show_selection(timeline.layer, timeline.unit))
        self._show_selection(timeline.layer, timeline.unit)

    def _build_widgets(self) -> dict[str, QWidget]:
        return {
            "cell": _combo("cell", CELL_LABELS),
            "variant": QComboBox(),  # the chosen cell's variants (_fill_variants)
            "hidden_size": _spin("hidden_size", tr("units per layer")),
            "num_layers": _spin("num_layers", tr("stacked layers")),
            "bidirectional": QCheckBox(tr("bidirectional")),
            "dropout": _dspin("dropout", 2, 0.05, tr("dropout on every layer's input (training only)")),
            "forget_bias": _dspin("forget_bias", 1, 0.5, _forget_bias_tip()),
            "task": _combo("task"),
            "length": _spin("length", tr("sequence length (the delay, for copy)")),
            "batch_size": _spin("batch_size", tr("sequences per training step")),
            "seed": _spin("seed", tr("weights, data and dropout all follow this seed")),
            "optimizer": _combo("optimizer"),
            "lr": _dspin("lr", 5, 0.001, tr("learning rate")),
            "clip_norm": _dspin("clip_norm", 2, 0.5, tr("clip the global gradient norm to this (0: no clipping)")),
            "truncate": _spin("truncate", tr("truncated BPTT window in steps (0: full backpropagation through time)")),
            "window": _spin("window", tr("TDNN: frames each layer sees (its window); AR: the order K")),
            "input_delays": _spin("input_delays", tr("NARX: input taps x_t … x_(t−Kx+1)")),
            "output_delays": _spin("output_delays", tr("NARX: fed-back outputs y_(t−1) … y_(t−Ky)")),
            "feedback": _combo("feedback"),
        }

    def _group(self, title: str, names: list[str]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for name in names:
            w = self.widgets[name]
            form.addRow("" if isinstance(w, QCheckBox) else label(name), w)
        return box

    def _selection_group(self) -> QGroupBox:
        box = QGroupBox(tr("Selection"))
        form = QFormLayout(box)
        self.layer_box = QComboBox()
        self.unit_box = QSpinBox(minimum=0, maximum=limits(RecurrentSettings, "hidden_size")[1] - 1)
        self.unit_box.setToolTip(tr("the unit every view marks (click a heatmap to choose)"))
        form.addRow(tr("layer"), self.layer_box)
        form.addRow(tr("unit"), self.unit_box)
        self.layer_box.currentIndexChanged.connect(lambda k: self.timeline.select(k, self.unit_box.value()))
        self.unit_box.valueChanged.connect(lambda u: self.timeline.select(self.layer_box.currentIndex(), u))
        return box

    def _connect(self) -> None:
        for name, w in self.widgets.items():
            signal = {QComboBox: "currentIndexChanged", QCheckBox: "toggled"}.get(type(w), "valueChanged")
            getattr(w, signal).connect(lambda *_, n=name: self._changed(n))

    def show_settings(self, s: RecurrentSettings) -> None:
        for w in self.widgets.values():
            w.blockSignals(True)
        self._fill_variants(s.cell)
        for f in fields(s):
            w = self.widgets[f.name]
            value = getattr(s, f.name)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(value or w.itemData(0))))
            elif isinstance(w, QCheckBox):
                w.setChecked(value)
            else:
                w.setValue(value)
        self._enable_forget_bias()
        self._enable_model_settings()
        for w in self.widgets.values():
            w.blockSignals(False)

    def _enable_forget_bias(self) -> None:
        """Only an LSTM with a forget gate of its own (standard, peephole) has a forget bias to set."""
        lstm = self.widgets["cell"].currentData() == "lstm"
        self.widgets["forget_bias"].setEnabled(lstm and self.widgets["variant"].currentData() in FORGET_GATE_VARIANTS)

    def _enable_model_settings(self) -> None:
        """Each setting enabled only for the models it shapes (a TDNN's window, NARX's delays, an RNN's variant)."""
        cell = self.widgets["cell"].currentData()
        for name in RECURRENT_ONLY:
            self.widgets[name].setEnabled(cell not in DELAY_MODELS)
        for name, models in DELAY_SETTINGS.items():
            self.widgets[name].setEnabled(cell in models)

    def _fill_variants(self, cell: str) -> None:
        box = self.widgets["variant"]
        box.clear()
        for v in VARIANTS.get(cell, ("standard",)):  # a delay model has no variants: "standard", disabled
            box.addItem(label(v), v)

    def current_settings(self) -> RecurrentSettings:
        values = {}
        for f in fields(RecurrentSettings):
            w = self.widgets[f.name]
            if isinstance(w, QComboBox):
                values[f.name] = w.currentData()
            elif isinstance(w, QCheckBox):
                values[f.name] = w.isChecked()
            else:
                values[f.name] = w.value()
        return RecurrentSettings(**values)

    def _changed(self, name: str) -> None:
        if name == "cell":
            box = self.widgets["variant"]
            box.blockSignals(True)
            self._fill_variants(self.widgets["cell"].currentData())
            box.blockSignals(False)
        self._enable_forget_bias()
        self._enable_model_settings()
        self._apply(self.current_settings())

    def _apply(self, settings: RecurrentSettings) -> None:
        try:
            self.session.apply_settings(settings)
        except ValueError as exc:
            self.session.message.emit("error", tr("Setting refused: {problem}").format(problem=tr(str(exc))))
            self.show_settings(self.session.settings)

    def _toggle_training(self, on: bool) -> None:
        self.session.start_training() if on else self.session.stop_training()

    def _show_training(self, on: bool) -> None:
        self.train_button.blockSignals(True)
        self.train_button.setChecked(on)
        self.train_button.setText(tr("Pause") if on else tr("Train"))
        self.train_button.blockSignals(False)

    def _show_selection(self, layer: int, unit: int) -> None:
        spec = self.session.spec
        names = [f"{k // spec.directions + 1}" + (" ←" if k % spec.directions else " →" if spec.directions == 2 else "")
                 for k in range(spec.num_layers * spec.directions)]  # fmt: skip
        self.layer_box.blockSignals(True)
        if [self.layer_box.itemText(i) for i in range(self.layer_box.count())] != names:
            self.layer_box.clear()
            self.layer_box.addItems(names)
        self.layer_box.setCurrentIndex(layer)
        self.layer_box.blockSignals(False)
        self.unit_box.blockSignals(True)
        self.unit_box.setMaximum(spec.hidden_size - 1)
        self.unit_box.setValue(unit)
        self.unit_box.blockSignals(False)
