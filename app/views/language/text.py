"""View (1): the text on show, each character coloured by how surprised the model was by it (−log₂ p, in bits),
or by one hidden unit's value after reading it (a unit that tracks quotation marks shows them as blocks);
hovering a character shows the five characters the model expected after it."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from app.i18n import tr
from app.views.language.characters import DIVERGING, SEQUENTIAL, CharacterCells, colours, shown

MAX_BITS = 8.0  # the colour scale's top: 8 bits, one character in 256


def expectations(chars: tuple[str, ...], top_ids: np.ndarray, top_probs: np.ndarray) -> str:
    """ "e 41%  a 12% …": the likeliest next characters and their probabilities."""
    return "  ".join(f"{shown(chars[i])} {100 * p:.0f}%" for i, p in zip(top_ids, top_probs, strict=True))


class TextView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = None
        self.mode = QComboBox()
        self.mode.addItem(tr("surprisal −log₂ p (bits)"), "surprisal")
        self.mode.addItem(tr("hidden unit"), "unit")
        self.layer = QSpinBox(minimum=0, maximum=0)
        self.layer.setPrefix(tr("layer") + " ")
        self.unit = QSpinBox(minimum=0, maximum=0)
        self.unit.setPrefix(tr("unit") + " ")
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.cells = CharacterCells()
        self.cells.tooltip = self._tooltip
        scroll = QScrollArea()
        scroll.setWidget(self.cells)
        scroll.setWidgetResizable(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("colour by")))
        for w in (self.mode, self.layer, self.unit):
            bar.addWidget(w)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(scroll, 1)
        for signal in (self.mode.currentIndexChanged, self.layer.valueChanged, self.unit.valueChanged):
            signal.connect(self.refresh)

    def set_frame(self, frame) -> None:
        self.frame = frame
        self.layer.setMaximum(frame.spec.num_layers - 1)
        self.unit.setMaximum(frame.spec.hidden_size - 1)
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.frame is not None:
            self.refresh()

    def refresh(self) -> None:
        frame = self.frame
        if frame is None:
            return
        r = frame.reading
        text = "".join(frame.chars[i] for i in r.ids)
        unit_mode = self.mode.currentData() == "unit"
        self.layer.setVisible(unit_mode)
        self.unit.setVisible(unit_mode)
        if unit_mode:
            values = r.hidden[:, self.layer.value(), self.unit.value()]
            fills = colours(values, -1.0, 1.0, DIVERGING)
            self.legend.setText(tr("hidden unit {unit} of layer {layer} after each character: blue −1, white 0, "
                                   "red +1").format(unit=self.unit.value(), layer=self.layer.value()))  # fmt: skip
        else:
            fills = colours(r.surprisal, 0.0, MAX_BITS, SEQUENTIAL)
            mean = np.nanmean(r.surprisal) if len(r.ids) > 1 else float("nan")
            self.legend.setText(tr("surprisal of each character, white 0 bits to dark red {top} bits; mean {mean:.2f} "
                                   "bits a character (training step {step}). Hover a character for what the model "
                                   "expected next.").format(top=int(MAX_BITS), mean=mean, step=frame.step))  # fmt: skip
        self.cells.set_text(text, fills)

    def _tooltip(self, i: int) -> str:
        r, chars = self.frame.reading, self.frame.chars
        head = f"{shown(chars[r.ids[i]])}: "
        head += "—" if np.isnan(r.surprisal[i]) else tr("{bits:.2f} bits").format(bits=r.surprisal[i])
        following = tr("next")
        return f"{head}\n{following}: {expectations(chars, r.top_ids[i], r.top_probs[i])}"
