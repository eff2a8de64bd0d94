"""The Boltzmann lab's control column: the machine, the annealing run (schedule, temperature slider, sampling
time, clamp, seed) and learning (learn/pause, cancel, one cycle, reset, progress). Edits are announced as
``edited(changes)``, a dict of ``BoltzmannSettings`` fields; the panel applies them, or puts the form back with
``show_settings`` when the session refuses them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.sessions.boltzmann import NETWORKS, BoltzmannSettings
from app.sessions.settings import limits

NETWORK_LABELS = {
    "4-2-4": QT_TR_NOOP("4-2-4 encoder"),
    "4-3-4": QT_TR_NOOP("4-3-4 encoder"),
    "8-3-8": QT_TR_NOOP("8-3-8 encoder"),
    "file": QT_TR_NOOP("my machine"),
}  # shown through tr
SLIDER_STEPS = 10  # slider positions per unit of temperature
SLIDER_RANGE = (0.5, 30.0)
SOURCES = {"sampled": QT_TR_NOOP("sampled in the last cycle"), "exact": QT_TR_NOOP("exact, current weights")}


def _spin(name: str, tip: str) -> QSpinBox:
    low, high = limits(BoltzmannSettings, name)
    box = QSpinBox(minimum=low, maximum=high, value=getattr(BoltzmannSettings, name))
    box.setToolTip(tip)
    return box


def _form(box: QGroupBox | None = None) -> QFormLayout:
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.WrapLongRows)
    return form


def _with_note(box: QGroupBox, form: QFormLayout, note: QLabel) -> QGroupBox:
    """``form`` with a word-wrapped ``note`` under it, outside the form: a form row gives a wrapped label the
    height of one line, and its text then runs over the rows below."""
    layout = QVBoxLayout(box)
    layout.addLayout(form)
    layout.addWidget(note)
    return box


class BoltzmannControls(QWidget):
    edited = Signal(dict)
    open_requested = Signal()
    learn_toggled = Signal(bool)
    cancel_requested = Signal()
    cycle_requested = Signal()
    reset_requested = Signal()
    run_requested = Signal()
    source_changed = Signal(str)
    pacing_changed = Signal(bool)
    cancel_run_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._machine_box())
        layout.addWidget(self._run_box())
        layout.addWidget(self._learning_box())
        layout.addStretch(1)
        self._settings = BoltzmannSettings()
        self.show_settings(self._settings, 4)

    def _machine_box(self) -> QGroupBox:
        box = QGroupBox(tr("Machine"))
        form = _form()
        self.network = QComboBox()
        for key in (*NETWORKS, "file"):
            self.network.addItem(tr(NETWORK_LABELS[key]), key)
        self.network.activated.connect(lambda: self.edited.emit({"network": self.network.currentData()}))
        self.open = QPushButton(tr("Open a machine…"))
        self.open.setToolTip(tr("An .npz with mask (n × n of 0/1), data (M × V of 0/1) and visible (V unit "
                                "numbers); W (n × n) and b (n) optional"))  # fmt: skip
        self.open.clicked.connect(self.open_requested)
        self.info = QLabel()
        self.info.setWordWrap(True)
        form.addRow(tr("network"), self.network)
        form.addRow(self.open)
        return _with_note(box, form, self.info)

    def _run_box(self) -> QGroupBox:
        box = QGroupBox(tr("Annealing run"))
        form = _form(box)
        self.schedule = QLineEdit()
        self.schedule.setToolTip(tr("time units@temperature, cooling; a time unit is one probe per free unit"))
        self.schedule.editingFinished.connect(self._schedule_edited)
        self.temperature = QSlider(Qt.Horizontal)
        self.temperature.setRange(int(SLIDER_RANGE[0] * SLIDER_STEPS), int(SLIDER_RANGE[1] * SLIDER_STEPS))
        self.temperature.setToolTip(tr("the temperature the run anneals down to and samples at; the stages of the "
                                       "schedule at or below it are skipped"))  # fmt: skip
        self.temperature_label = QLabel()
        self.temperature.valueChanged.connect(self._temperature_moved)
        row = QHBoxLayout()
        row.addWidget(self.temperature, 1)
        row.addWidget(self.temperature_label)
        self.sample_time = _spin("sample_time", tr("time units sampled at the final temperature"))
        self.sample_time.editingFinished.connect(lambda: self._edit("sample_time", self.sample_time.value()))
        self.clamp = QComboBox()
        self.clamp.activated.connect(lambda: self.edited.emit({"clamp": self.clamp.currentData()}))
        self.seed = _spin("seed", tr("the run's random numbers"))
        self.seed.editingFinished.connect(lambda: self._edit("seed", self.seed.value()))
        self.by_time_unit = QCheckBox(tr("play a time unit per frame"))
        self.by_time_unit.setToolTip(tr("as many probes per frame as there are free units, instead of one"))
        self.by_time_unit.toggled.connect(self.pacing_changed)
        self.run = QPushButton(tr("New run"))
        self.run.setToolTip(tr("anneal again with the next seed"))
        self.run.clicked.connect(self.run_requested)
        form.addRow(tr("schedule"), self.schedule)
        form.addRow(tr("temperature"), row)
        form.addRow(tr("sample for"), self.sample_time)
        form.addRow(tr("clamp"), self.clamp)
        form.addRow(tr("seed"), self.seed)
        self.run_progress = QProgressBar()
        self.run_progress.setFormat(tr("annealing %p%"))
        self.cancel_run = QPushButton(tr("Cancel the run"))
        self.cancel_run.clicked.connect(self.cancel_run_requested)
        running = QHBoxLayout()
        running.addWidget(self.run_progress, 1)
        running.addWidget(self.cancel_run)
        self.show_run_running(False)
        form.addRow(self.by_time_unit)
        form.addRow(self.run)
        form.addRow(running)
        return box

    def _learning_box(self) -> QGroupBox:
        box = QGroupBox(tr("Learning"))
        form = _form()
        self.learn = QPushButton(tr("Learn"))
        self.learn.setCheckable(True)
        self.learn.toggled.connect(self._learn_toggled)
        self.cancel = QPushButton(tr("Cancel"))
        self.cancel.setToolTip(tr("stop, and go back to the weights from before this run of learning"))
        self.cancel.clicked.connect(self.cancel_requested)
        self.cycle = QPushButton(tr("One cycle"))
        self.cycle.clicked.connect(self.cycle_requested)
        self.reset = QPushButton(tr("Reset weights"))
        self.reset.clicked.connect(self.reset_requested)
        buttons, more = QHBoxLayout(), QHBoxLayout()
        buttons.addWidget(self.learn)
        buttons.addWidget(self.cancel)
        more.addWidget(self.cycle)
        more.addWidget(self.reset)
        self.progress = QProgressBar()
        self.progress.setFormat(tr("cycle %v of %m"))
        self.noisy = QCheckBox(tr("noisy clamping"))
        self.noisy.setToolTip(tr("each clamped on bit turned off with p = 0.15, each off bit on with p = 0.05"))
        self.noisy.toggled.connect(lambda on: self._edit("noisy", on))
        self.stop_when_solved = QCheckBox(tr("stop when the codes are distinct"))
        self.stop_when_solved.toggled.connect(lambda on: self._edit("stop_when_solved", on))
        self.cycles = _spin("cycles", tr("learning stops after this many cycles"))
        self.cycles.editingFinished.connect(lambda: self._edit("cycles", self.cycles.value()))
        self.learn_seed = _spin("learn_seed", tr("learning's random numbers; a new seed starts again from the "
                                                 "first weights"))  # fmt: skip
        self.learn_seed.editingFinished.connect(lambda: self._edit("learn_seed", self.learn_seed.value()))
        self.source = QComboBox()
        for key, label in SOURCES.items():
            self.source.addItem(tr(label), key)
        self.source.currentIndexChanged.connect(lambda: self.source_changed.emit(self.source.currentData()))
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow(buttons)
        form.addRow(more)
        form.addRow(self.progress)
        form.addRow(self.noisy)
        form.addRow(self.stop_when_solved)
        form.addRow(tr("cycles"), self.cycles)
        form.addRow(tr("seed"), self.learn_seed)
        form.addRow(tr("co-occurrences"), self.source)
        return _with_note(box, form, self.status)

    # ---- edits --------------------------------------------------------------------------------------------

    def _edit(self, name: str, value: object) -> None:
        if getattr(self._settings, name) != value:
            self.edited.emit({name: value})

    def _schedule_edited(self) -> None:
        self._edit("schedule", self.schedule.text().strip())

    def _temperature_moved(self, position: int) -> None:
        temperature = position / SLIDER_STEPS
        self.temperature_label.setText(f"T = {temperature:g}")
        self._edit("temperature", temperature)

    def _learn_toggled(self, on: bool) -> None:
        self.learn.setText(tr("Pause") if on else tr("Learn"))
        self.learn_toggled.emit(on)

    # ---- showing the session ------------------------------------------------------------------------------

    def show_settings(self, settings: BoltzmannSettings, n_vectors: int) -> None:
        """The form as ``settings`` say, without announcing edits."""
        self._settings = settings
        widgets = (self.network, self.schedule, self.temperature, self.sample_time, self.clamp, self.seed,
                   self.noisy, self.stop_when_solved, self.cycles, self.learn_seed)  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        self.network.setCurrentIndex(self.network.findData(settings.network))
        self.schedule.setText(settings.schedule)
        self.temperature.setValue(round(settings.temperature * SLIDER_STEPS))
        self.temperature_label.setText(f"T = {settings.temperature:g}")
        self.sample_time.setValue(settings.sample_time)
        self.clamp.clear()
        self.clamp.addItem(tr("none (free)"), -1)
        for k in range(n_vectors):
            self.clamp.addItem(tr("training vector {k}").format(k=k + 1), k)
        self.clamp.setCurrentIndex(self.clamp.findData(settings.clamp))
        self.seed.setValue(settings.seed)
        self.noisy.setChecked(settings.noisy)
        self.stop_when_solved.setChecked(settings.stop_when_solved)
        self.cycles.setValue(settings.cycles)
        self.learn_seed.setValue(settings.learn_seed)
        self.progress.setMaximum(settings.cycles)
        for w in widgets:
            w.blockSignals(False)

    def show_run_running(self, running: bool) -> None:
        """A long run in the worker: its progress and a way to stop it, shown only while it goes."""
        self.run_progress.setVisible(running)
        self.cancel_run.setVisible(running)
        self.run_progress.setValue(0)

    def show_run_progress(self, done: int, total: int) -> None:
        self.run_progress.setMaximum(total)
        self.run_progress.setValue(done)

    def show_pacing(self, by_time_unit: bool) -> None:
        self.by_time_unit.blockSignals(True)
        self.by_time_unit.setChecked(by_time_unit)
        self.by_time_unit.blockSignals(False)

    def show_source(self, source: str) -> None:
        self.source.blockSignals(True)
        self.source.setCurrentIndex(self.source.findData(source))
        self.source.blockSignals(False)

    def show_learning(self, running: bool, cancellable: bool) -> None:
        self.learn.blockSignals(True)
        self.learn.setChecked(running)
        self.learn.setText(tr("Pause") if running else tr("Learn"))
        self.learn.blockSignals(False)
        self.cancel.setEnabled(cancellable)
