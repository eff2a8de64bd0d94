"""The Hopfield lab's side column: grid, memory, start state and recall, in the order a lesson uses them.
Only widgets and signals here; the panel connects them to the session."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.sessions.hopfield import MAX_FLIP_PERCENT, HopfieldSettings
from app.sessions.settings import limits
from app.views.hopfield.style import rule_box
from engine.hopfield.corrupt import MASK_FILLS

MODE_NAMES = {"async": QT_TR_NOOP("async: one unit at a time"), "sync": QT_TR_NOOP("sync: all units at once")}


def _button(text: str, tip: str, signal) -> QPushButton:
    """A button labelled ``text`` that emits ``signal``."""
    b = QPushButton(text)
    b.setToolTip(tip)
    b.clicked.connect(lambda: signal.emit())
    return b


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w)
    return row


class HopfieldControls(QWidget):
    resize_requested = Signal(int)
    tool_changed = Signal(str)
    clear_drawing = Signal()
    rule_changed = Signal(str)
    store_drawing = Signal()
    store_text = Signal(str, bool)  # text, use the system font
    clear_memory = Signal()
    start_from = Signal(int)
    flip_requested = Signal(float)
    mask_half_requested = Signal()
    recall_requested = Signal()
    granularity_changed = Signal(bool)  # by sweep

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (self._grid_group(), self._memory_group(), self._start_group(), self._recall_group()):
            layout.addWidget(group)
        layout.addStretch(1)

    def _grid_group(self) -> QGroupBox:
        box = QGroupBox(tr("Grid"))
        form = QFormLayout(box)
        low, high = limits(HopfieldSettings, "size")
        self.size = QSpinBox(minimum=low, maximum=high, value=HopfieldSettings.size, suffix=" × side")
        resize = QPushButton(tr("New grid"))
        resize.setToolTip(tr("Start a fresh grid of this size (clears the memory)"))
        resize.clicked.connect(lambda: self.resize_requested.emit(self.size.value()))
        form.addRow(self.size, resize)
        self.draw_tool = QRadioButton(tr("Draw"))
        self.draw_tool.setToolTip(tr("Left button inks a unit (+1, black), right button erases it (−1, white)"))
        self.mask_tool = QRadioButton(tr("Mask"))
        self.mask_tool.setToolTip(tr("Drag a rectangle over the grid to overwrite it with the mask fill"))
        self.draw_tool.setChecked(True)
        tools = QButtonGroup(box)
        for b in (self.draw_tool, self.mask_tool):
            tools.addButton(b)
        self.draw_tool.toggled.connect(lambda on: self.tool_changed.emit("draw" if on else "mask"))
        form.addRow(
            _row(self.draw_tool, self.mask_tool, _button(tr("Clear"), tr("Blank the grid"), self.clear_drawing))
        )
        return box

    def _memory_group(self) -> QGroupBox:
        box = QGroupBox(tr("Memory"))
        form = QFormLayout(box)
        self.rule = rule_box()
        self.rule.setToolTip(tr("Learning rule; changing it relearns the stored patterns"))
        self.rule.currentIndexChanged.connect(lambda _: self.rule_changed.emit(self.rule.currentData()))
        form.addRow(tr("rule"), self.rule)
        self.text = QLineEdit("UNROL")
        self.text.setToolTip(tr("Letters and digits use the built-in 5×7 font; tick the box for any character"))
        self.system_font = QCheckBox(tr("any character, system font"))
        store = QPushButton(tr("Store text"))
        store.clicked.connect(lambda: self.store_text.emit(self.text.text(), self.system_font.isChecked()))
        form.addRow(self.text, store)
        form.addRow(self.system_font)
        form.addRow(
            _row(
                _button(tr("Store drawing"), tr("Add the grid as it is now to the memory"), self.store_drawing),
                _button(tr("Clear memory"), tr("Forget every stored pattern"), self.clear_memory),
            )
        )
        self.memory_label = QLabel()
        self.memory_label.setWordWrap(True)
        form.addRow(self.memory_label)
        return box

    def _start_group(self) -> QGroupBox:
        box = QGroupBox(tr("Start state"))
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)
        self.pattern = QComboBox()
        use = QPushButton(tr("Start from"))
        use.clicked.connect(lambda: self.start_from.emit(self.pattern.currentIndex()))
        form.addRow(use, self.pattern)
        self.noise = QSlider(Qt.Horizontal, minimum=0, maximum=MAX_FLIP_PERCENT, value=25)
        flip = QPushButton(tr("Flip {percent} %").format(percent=25))
        flip.setToolTip(tr("Flip this share of the units, chosen at random"))
        self.noise.valueChanged.connect(lambda v: flip.setText(tr("Flip {percent} %").format(percent=v)))
        flip.clicked.connect(lambda: self.flip_requested.emit(self.noise.value() / 100))
        form.addRow(self.noise, flip)
        self.fill = QComboBox()
        for fill in MASK_FILLS:
            self.fill.addItem(tr("fill {fill}").format(fill=fill), fill)
        self.fill.setToolTip(tr("What a mask writes: units off (white), on (black) or random"))
        half = _button(
            tr("Mask bottom half"), tr("Overwrite the lower half of the grid with the fill"), self.mask_half_requested
        )
        form.addRow(self.fill, half)
        return box

    def _recall_group(self) -> QGroupBox:
        box = QGroupBox(tr("Recall"))
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)  # a field under its label when the column is narrow
        self.mode = QComboBox(sizeAdjustPolicy=QComboBox.AdjustToMinimumContentsLengthWithIcon)
        for mode, name in MODE_NAMES.items():
            self.mode.addItem(tr(name), mode)
        # never narrower than its longest name in the current font (the form puts it under its label instead);
        # in characters of average width, and Chinese characters are about twice as wide
        names = [self.mode.itemText(i) for i in range(self.mode.count())]
        self.mode.setMinimumContentsLength(max(len(n) + sum(ord(c) > 0x2E80 for c in n) for n in names))
        self.order = QComboBox()
        self.order.addItem(tr("random"), "random")
        self.order.addItem(tr("fixed"), "fixed")
        self.order.setToolTip(tr("Order of visits in asynchronous recall: a fresh shuffle each sweep, or 0, 1, 2, …"))
        self.by_sweep = QComboBox()
        self.by_sweep.addItems([tr("by unit"), tr("by sweep")])
        self.by_sweep.setToolTip(tr("How far one playhead step moves in asynchronous recall"))
        self.by_sweep.currentIndexChanged.connect(lambda i: self.granularity_changed.emit(i == 1))
        form.addRow(tr("update"), self.mode)
        form.addRow(tr("order"), self.order)  # a row each: side by side, two languages overflow the column
        form.addRow(tr("animate"), self.by_sweep)
        form.addRow(_button(tr("Recall"), tr("Run the network from the start state"), self.recall_requested))
        self.result = QLabel()
        self.result.setWordWrap(True)
        form.addRow(self.result)
        return box

    def set_patterns(self, labels: list[str]) -> None:
        self.pattern.clear()
        self.pattern.addItems([f"{k}: {label}" for k, label in enumerate(labels)])

    def choices(self) -> dict:
        """What the user chose here beyond the session's state, for a session file."""
        return {"mode": self.mode.currentData(), "order": self.order.currentData(), "text": self.text.text(),
                "system_font": self.system_font.isChecked(), "noise_percent": self.noise.value(),
                "fill": self.fill.currentData(), "pattern": self.pattern.currentIndex()}  # fmt: skip

    def show_choices(self, rule: str, choices: dict) -> None:
        """Show ``rule`` and checked ``choices`` (see ``choices``, plus by_sweep and tool) without signalling."""
        widgets = (self.rule, self.mode, self.order, self.by_sweep, self.text, self.system_font, self.fill,
                   self.pattern, self.draw_tool, self.mask_tool)  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        self.rule.setCurrentIndex(self.rule.findData(rule))
        self.mode.setCurrentIndex(self.mode.findData(choices["mode"]))
        self.order.setCurrentIndex(max(0, self.order.findData(choices["order"])))
        self.by_sweep.setCurrentIndex(int(choices["by_sweep"]))
        self.text.setText(choices["text"])
        self.system_font.setChecked(choices["system_font"])
        self.fill.setCurrentIndex(self.fill.findData(choices["fill"]))
        self.pattern.setCurrentIndex(choices["pattern"])
        (self.draw_tool if choices["tool"] == "draw" else self.mask_tool).setChecked(True)
        for w in widgets:
            w.blockSignals(False)
        self.noise.setValue(choices["noise_percent"])  # signals on: the Flip button names the share
