"""View (6): every character's embedding vector projected on its two principal axes; clicking a character lists
its nearest neighbours by cosine similarity in the full space (letters cluster apart from punctuation, vowels
near vowels)."""

from __future__ import annotations

import html
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import theme
from app.views.language.characters import shown
from engine.language.embedding import nearest, pca, vectors

LABELLED = 150  # characters written beside their point, at most (the most frequent first): 300 of them took
# 90 ms to paint at a vocabulary of 10,000
REFRESH_SECONDS = 1.0  # at most one new picture a second while training: a vocabulary of 10,000 takes 0.1 s each


class EmbeddingView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget()
        self.plot = self.canvas.addPlot()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.getViewBox().setDefaultPadding(0.1)  # room for the letters above the top points (F5's are large)
        self.points = pg.ScatterPlotItem(size=7, brush=pg.mkBrush("#1f77b480"), pen=None)
        self.neighbours = pg.ScatterPlotItem(size=12, brush=pg.mkBrush("#2ca02c"), pen=None)
        self.picked = pg.ScatterPlotItem(size=15, brush=pg.mkBrush("#ff7f0e"), pen=None)
        for item in (self.points, self.neighbours, self.picked):
            self.plot.addItem(item)
        self.points.sigClicked.connect(lambda _, spots: spots and self.pick(int(spots[0].data())))
        self.labels: list[pg.TextItem] = []
        self.info = QLabel(tr("Click a character to see its nearest neighbours."))
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignTop)
        split = QSplitter()
        split.addWidget(self.canvas)
        split.addWidget(self.info)
        split.setSizes([700, 200])
        QVBoxLayout(self).addWidget(split)
        self.frame, self.chosen, self.vectors, self.order = None, None, None, None
        self._refreshed = -np.inf  # time.monotonic() of the last refresh
        self.drawn = None  # the frame the points and labels show (``frame`` may be newer, its picture due)
        self._due = QTimer(self, singleShot=True)
        self._due.timeout.connect(self._refresh_if_visible)

    def set_frame(self, frame, frequency: np.ndarray) -> None:
        """``frequency`` (V,): how often each character occurs; the most frequent are labelled. Frames that come
        faster than one in REFRESH_SECONDS (training) are drawn once that time is up, the latest of them."""
        self.frame, self.frequency = frame, frequency
        if not self.isVisible() or self._due.isActive():
            return
        wait = REFRESH_SECONDS - (time.monotonic() - self._refreshed)
        if wait <= 0:
            self.refresh()
        else:
            self._due.start(int(wait * 1000))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._due.stop()
        self.refresh()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._due.stop()  # showing it again draws the latest frame

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.frame is None:
            return
        self._refreshed = time.monotonic()
        self.drawn = self.frame
        self.vectors = vectors(self.frame.spec, self.frame.params)
        coords, share = pca(self.vectors)
        self.coords = coords
        self.points.setData(coords[:, 0], coords[:, 1], data=np.arange(len(coords)))
        self.plot.setLabel("bottom", tr("principal axis 1 ({share:.0%} of the variance)").format(share=share[0]))
        self.plot.setLabel("left", tr("principal axis 2 ({share:.0%})").format(share=share[1]))
        labelled = np.argsort(-self.frequency, kind="stable")[:LABELLED]
        while len(self.labels) < len(labelled):
            item = pg.TextItem(anchor=(0.5, 1.1), color=theme().foreground)
            self.plot.addItem(item)
            self.labels.append(item)
        for item, i in zip(self.labels, labelled, strict=False):
            text = shown(self.frame.chars[i])
            if item.textItem.toPlainText() != text:  # laying a label out again cost more than the rest of a frame
                item.setText(text)
            item.setPos(*coords[i])
            item.setVisible(True)
        for item in self.labels[len(labelled) :]:
            item.setVisible(False)
        if self.chosen is not None and self.chosen < len(coords):
            self.pick(self.chosen)

    def pick(self, index: int) -> None:
        """Character ``index`` chosen: it and its neighbours marked, their similarities listed."""
        self.chosen = index
        ids, sims = nearest(self.vectors, index)
        self.picked.setData([self.coords[index, 0]], [self.coords[index, 1]])
        self.neighbours.setData(self.coords[ids, 0], self.coords[ids, 1])
        chars = self.drawn.chars  # the characters of the points on show
        rows = "<br>".join(f"{html.escape(shown(chars[i]))} &nbsp; {s:+.2f}" for i, s in zip(ids, sims, strict=True))
        title = html.escape(tr("Nearest to “{char}” (cosine similarity):").format(char=shown(chars[index])))
        self.info.setText(f"<b>{title}</b><br>{rows}")
