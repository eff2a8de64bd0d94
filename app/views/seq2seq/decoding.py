"""Decoding a source of one's own: a box to type it (and its target, if known), greedy or beam search with the
tree drawn, a prefix to force on the output (what if it had begun so?), and the decoder teacher-forced beside
free running, step by step: what it predicts reading the target, and what it writes reading its own output."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,  # fmt: skip
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.theme import theme, themes
from app.views.beam_tree import BeamTreeView
from engine.seq2seq.inspect import MAX_WIDTH, Example

TREE_HEIGHT = {False: 160, True: 260}  # the beam tree's least height, normal and in presentation mode


RIGHT, WRONG = "#2ca02c", "#d62728"


class DecodingView(QWidget):
    decode_requested = Signal(str, str, int, float, str)  # source, target, width, length penalty, prefix

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source, self.target, self.prefix = QLineEdit(), QLineEdit(), QLineEdit()
        self.target.setPlaceholderText(tr("(optional) the right answer, to compare"))
        self.prefix.setPlaceholderText(tr("(optional) force the output to begin so"))
        self.width = QSpinBox(minimum=1, maximum=MAX_WIDTH, value=1)
        self.width.setToolTip(tr("1: greedy search; more: beam search of that width"))
        self.penalty = QDoubleSpinBox(minimum=0.0, maximum=2.0, singleStep=0.1, value=0.0)
        self.penalty.setToolTip(tr("GNMT length penalty α: hypotheses ranked by score / ((5 + |Y|) / 6)^α"))
        self.button = QPushButton(tr("Decode"))
        form = QGridLayout()  # compact: the tree below needs the height (presentation mode at 1280 × 720)
        for column, (label, edit) in enumerate(((tr("Source"), self.source), (tr("Target"), self.target))):
            form.addWidget(QLabel(label), 0, 2 * column)
            form.addWidget(edit, 0, 2 * column + 1)
        form.addWidget(QLabel(tr("Forced prefix")), 1, 0)
        form.addWidget(self.prefix, 1, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Beam width")))
        row.addWidget(self.width)
        row.addWidget(QLabel(tr("Length penalty")))
        row.addWidget(self.penalty)
        row.addStretch(1)
        row.addWidget(self.button)
        form.addLayout(row, 1, 2, 1, 2)
        self.output = QLabel()
        self.output.setTextFormat(Qt.RichText)
        self.output.setWordWrap(True)
        self.table = QTableWidget(3, 0)
        self.table.setVerticalHeaderLabels([tr("target"), tr("teacher-forced"), tr("free running")])
        self.table.setTextElideMode(Qt.ElideNone)
        self.tree = BeamTreeView()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.output)
        # the table gives way to the tree where both do not fit (its rows scroll): in F5 at 1280 × 720 the page
        # scrolled, and a lesson step about the tree showed its top edge only
        self.split = split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.tree)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        self._fit_tree()
        themes().changed.connect(self._theme_changed)  # a bound method: Qt lets go of it when the view dies
        for edit in (self.source, self.target, self.prefix):
            edit.returnPressed.connect(self._request)
        self.button.clicked.connect(self._request)

    def _theme_changed(self, _theme) -> None:
        self._fit_tree()

    def _fit_tree(self) -> None:
        """Room for the tree under its caption: in presentation mode the large table and caption left it a strip
        at 1280 × 720, and the view scrolls rather than squeeze it."""
        self.tree.setMinimumHeight(TREE_HEIGHT[theme().presentation])

    def _request(self) -> None:
        self.decode_requested.emit(self.source.text(), self.target.text(), self.width.value(), self.penalty.value(),
                                   self.prefix.text())  # fmt: skip

    def show_example(self, example: Example, labels, width: int, penalty: float, prefix: str, upto=None) -> None:
        """``labels(token)``: how an output token reads."""
        for edit, text in ((self.source, example.source), (self.target, example.target or ""), (self.prefix, prefix)):
            if not edit.hasFocus():
                edit.setText(text)
        self.width.setValue(width)
        self.penalty.setValue(penalty)
        how = tr("greedy") if width == 1 else tr("beam of {width}").format(width=width)
        score = example.decoded.scores[0]
        verdict = ""
        if example.target is not None:
            ok = example.output == example.target
            verdict = f" <b style='color:{RIGHT if ok else WRONG}'>{'✓' if ok else '✗'}</b>"
        said = tr("Output ({how}, ln p = {score}):").format(how=how, score=f"{score:.2f}")
        self.output.setText(f"{said} <b>{_escape(example.output)}</b>{verdict}")
        self._fill_table(example, labels)
        self.tree.show_tree(example.decoded.tree[0], labels=labels, marked_path=list(example.tokens),
                            upto_step=upto)  # fmt: skip

    def _fill_table(self, example: Example, labels) -> None:
        wanted = example.forced.trace.tgt_in[1:, 0].tolist() + [2]
        forced = example.forced.trace.logits[:, 0].argmax(-1)
        free = example.free.trace.logits[:, 0].argmax(-1)
        n = len(forced)
        self.table.setColumnCount(n)
        for t in range(n):
            for row, token in enumerate((wanted[t], forced[t], free[t])):
                item = QTableWidgetItem(labels(int(token)))
                item.setTextAlignment(Qt.AlignCenter)
                if row:
                    item.setForeground(_brush(RIGHT if token == wanted[t] else WRONG))
                self.table.setItem(row, t, item)
        metrics = QFontMetrics(QApplication.font())  # the font the cells draw in, presentation mode's included
        for t in range(n):
            texts = [self.table.item(row, t).text() for row in range(3)] + [str(t + 1)]
            self.table.setColumnWidth(t, max(metrics.horizontalAdvance(x) for x in texts) + metrics.height())
        bar = self.table.horizontalScrollBar().sizeHint().height()
        rows = self.table.horizontalHeader().height() + self.table.verticalHeader().length()
        self.table.setMaximumHeight(rows + bar + 4)  # all three rows where there is room; where not, the tree's
        self.table.setMinimumHeight(self.table.horizontalHeader().height() + bar + 4)  # room first, the rows scroll
        least = self.table.minimumHeight()
        self.split.setSizes([least if theme().presentation else rows + bar + 4, 10_000])  # F5: the tree first


def _brush(color: str) -> QBrush:
    return QBrush(QColor(color))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
