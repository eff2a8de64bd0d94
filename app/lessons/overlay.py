"""What the lesson player draws over the window: a pointer (a ring, or an arrow) at a region of a view, with a
few words beside it; and the black screen a presenter's B key shows."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

POINTER_COLOUR = QColor("#ff6d00")


class _Cover(QWidget):
    """A widget laid over its parent's whole area, following its size; clicks go through unless ``solid``."""

    def __init__(self, parent: QWidget, solid: bool = False) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WA_TransparentForMouseEvents, not solid)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.parent() and event.type() == QEvent.Resize:
            self.setGeometry(self.parent().rect())
        return False


class BlankScreen(_Cover):
    """All black over the window, until B or Esc (the window's shortcuts) take it away."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, solid=True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("background: black;")
        self.hide()

    def toggle(self) -> None:
        self.setVisible(not self.isVisible())
        if self.isVisible():
            self.raise_()


class Pointer(_Cover):
    """A ring round, or an arrow at, ``at`` = (left, top, width, height) in fractions of the tab widget's current
    page, shown only while page ``view`` is the current one."""

    def __init__(self, tabs: QWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.view, self.shape, self.at, self.text = "", "ring", (0.0, 0.0, 0.0, 0.0), ""
        tabs.currentChanged.connect(self._follow)
        self.hide()

    def point(self, view: str, shape: str, at: list[float], text: str) -> None:
        self.view, self.shape, self.at, self.text = view, shape, tuple(at), text
        self._follow()

    def clear(self) -> None:
        self.view = ""
        self.hide()

    def _follow(self, *_) -> None:
        page = self.tabs.currentWidget()
        self.setVisible(bool(self.view) and page is not None and page.objectName() == self.view)
        if self.isVisible():
            self.raise_()
            self.update()

    def target(self) -> QRectF:
        """The region pointed at, in this widget's coordinates."""
        page = self.tabs.currentWidget()
        origin = page.mapTo(self.tabs, page.rect().topLeft())
        x, y, w, h = self.at
        return QRectF(origin.x() + x * page.width(), origin.y() + y * page.height(), w * page.width(),
                      h * page.height())  # fmt: skip

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        target = self.target()
        pen = QPen(POINTER_COLOUR, 5)
        pen.setCapStyle(Qt.RoundCap)
        painter.setPen(pen)
        if self.shape == "ring":
            painter.drawEllipse(target.adjusted(-10, -10, 10, 10))
            anchor = QPointF(target.center().x(), target.bottom() + 14)
        else:
            anchor = self._draw_arrow(painter, target)
        if self.text:
            self._draw_label(painter, anchor, target)

    def _draw_arrow(self, painter: QPainter, target: QRectF) -> QPointF:
        """An arrow from the roomier side towards the region's centre; returns where its tail ends."""
        centre, room = target.center(), self.rect()
        tail = QPointF(centre.x() + (-90 if centre.x() > room.center().x() else 90),
                       centre.y() + (-80 if centre.y() > room.center().y() else 80))  # fmt: skip
        angle = math.atan2(centre.y() - tail.y(), centre.x() - tail.x())
        tip = QPointF(centre.x() - math.cos(angle) * min(target.width(), target.height()) / 2,
                      centre.y() - math.sin(angle) * min(target.width(), target.height()) / 2)  # fmt: skip
        painter.drawLine(tail, tip)
        head = QPolygonF([tip, tip - QPointF(math.cos(angle - 0.45) * 22, math.sin(angle - 0.45) * 22),
                          tip - QPointF(math.cos(angle + 0.45) * 22, math.sin(angle + 0.45) * 22)])  # fmt: skip
        painter.setBrush(POINTER_COLOUR)
        painter.drawPolygon(head)
        return tail

    def _draw_label(self, painter: QPainter, anchor: QPointF, target: QRectF) -> None:
        """The words in a filled box by ``anchor``, kept inside the widget (above the ring when below is full)."""
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        width = min(metrics.horizontalAdvance(self.text) + 20, self.width() * 0.6)
        bounds = metrics.boundingRect(QRectF(0, 0, width - 20, 1000), Qt.TextWordWrap, self.text)
        box = QRectF(0, 0, width, bounds.height() + 12)
        box.moveCenter(QPointF(anchor.x(), anchor.y() + box.height() / 2))
        if box.bottom() > self.height() - 4:
            box.moveBottom(min(target.top() - 14, self.height() - 4))
        box.moveLeft(min(max(box.left(), 4), self.width() - box.width() - 4))
        box.moveTop(max(box.top(), 4))
        path = QPainterPath()
        path.addRoundedRect(box, 6, 6)
        painter.setPen(Qt.NoPen)
        painter.setBrush(POINTER_COLOUR)
        painter.drawPath(path)
        painter.setPen(QColor("white"))
        painter.drawText(box.adjusted(10, 6, -10, -6), Qt.TextWordWrap | Qt.AlignCenter, self.text)
