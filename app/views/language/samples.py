"""View (5): the samples saved while training, one every N steps, newest last: at first random characters,
then spaces in the right places, then words, then spelling."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from app.i18n import tr


class SamplesView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.browser = QTextBrowser()
        QVBoxLayout(self).addWidget(self.browser)
        self.shown = None

    def set_frame(self, frame) -> None:
        key = (id(frame.settings), len(frame.samples), frame.samples[-1][0] if frame.samples else -1)
        if key == self.shown:
            return
        self.shown = key
        if not frame.samples:
            empty = tr("No samples yet: one is written every {n} training steps.")
            self.browser.setHtml(f"<p>{html.escape(empty.format(n=frame.settings.sample_every))}</p>")
            return
        parts = []
        for step, text in frame.samples:
            head = html.escape(tr("step {step}").format(step=step))
            parts.append(f"<p><b>{head}</b><br><span style='white-space: pre-wrap'>{html.escape(text)}</span></p>")
        self.browser.setHtml("".join(parts))
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())

    def texts(self) -> str:
        return self.browser.toPlainText()
