"""What the lesson player draws over the window: a pointer (a ring, or an arrow) at a region of a view, with a
few words beside it; and the black screen a presenter's B key shows."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from app.i18n import tr

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


def find_plot(page: QWidget, title: str) -> tuple[pg.GraphicsView, pg.PlotItem] | None:
    """The plot on ``page`` whose title contains ``title`` (English, or as the interface shows it)."""
    wanted = {title, tr(title)}
    views = page.findChildren(pg.GraphicsView)
    for view in [page, *views] if isinstance(page, pg.GraphicsView) else views:
        for item in view.scene().items():
            if isinstance(item, pg.PlotItem) and item.isVisible():
                shown = item.titleLabel.text or ""
                if any(w and w in shown for w in wanted):
                    return view, item
    return None


class Pointer(_Cover):
    """A ring round, or an arrow at, a region of the tab widget's current page, shown only while page ``view`` is
    the current one: ``at`` = (left, top, width, height) in fractions of the page, or a plot found by its title and
    ``data`` = (x0, y0, x1, y1) in its data coordinates (log10 on a log axis; the whole plot without it)."""

    def __init__(self, tabs: QWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.view, self.shape, self.at, self.text = "", "ring", (0.0, 0.0, 0.0, 0.0), ""
        self.plot: str | None = None
        self.data: tuple[float, ...] | None = None
        tabs.currentChanged.connect(self._follow)
        # plots settle their ranges after they are first drawn: the ring follows them
        self._redraw = QTimer(self, interval=400, timeout=self.update)
        self.hide()

    def point(self, view: str, pointer: dict, text: str) -> None:
        """``pointer``: a lesson step's pointer (see ``app.lessons.lesson``)."""
        self.view, self.shape, self.text = view, pointer["shape"], text
        self.at = tuple(pointer.get("at", (0.0, 0.0, 0.0, 0.0)))
        self.plot, self.data = pointer.get("plot"), tuple(pointer["data"]) if "data" in pointer else None
        self._follow()

    def clear(self) -> None:
        self.view = ""
        self.hide()
        self._redraw.stop()

    def _follow(self, *_) -> None:
        page = self.tabs.currentWidget()
        shown = bool(self.view) and page is not None and page.objectName() == self.view
        self.setVisible(shown)
        if shown:
            self.raise_()
            self.update()
            self._redraw.start()
        else:
            self._redraw.stop()

    def target(self) -> QRectF:
        """The region pointed at, in this widget's coordinates (empty when its plot is not there)."""
        page = self.tabs.currentWidget()
        if self.plot is not None:
            return self._plot_target(page)
        origin = page.mapTo(self.tabs, page.rect().topLeft())
        x, y, w, h = self.at
        return QRectF(origin.x() + x * page.width(), origin.y() + y * page.height(), w * page.width(),
                      h * page.height())  # fmt: skip

    def _plot_target(self, page: QWidget, whole: bool = False) -> QRectF:
        """The pointed-at region of the plot, or with ``whole`` its whole data area."""
        found = find_plot(page, self.plot)
        if found is None:
            return QRectF()
        view, plot = found
        box = plot.getViewBox()
        if self.data is None or whole:
            scene = box.sceneBoundingRect()
        else:
            x0, y0, x1, y1 = self.data
            scene = box.mapViewToScene(QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized()).boundingRect()
        corners = [view.mapFromScene(p) for p in (scene.topLeft(), scene.bottomRight())]
        a, b = (QPointF(view.mapTo(self.tabs, c)) for c in corners)
        return QRectF(a, b).normalized()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        target = self.target()
        if target.isEmpty():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        pen = QPen(POINTER_COLOUR, 5)
        pen.setCapStyle(Qt.RoundCap)
        painter.setPen(pen)
        if self.shape == "ring":
            ring = target.adjusted(-8, -8, 8, 8)
            long_side, short_side = max(ring.width(), ring.height()), min(ring.width(), ring.height())
            if long_side > 2.5 * short_side:  # a row or a column: a stadium round it, an ellipse would cut its ends
                painter.drawRoundedRect(ring, short_side / 2, short_side / 2)
            else:
                painter.drawEllipse(ring)
            label = self._beside(self._label_box(painter, QPointF(), 1), ring)
        else:
            tail, away = self._draw_arrow(painter, target)
            label = self._label_box(painter, tail, away)
        if self.text:
            self._draw_label(painter, label)

    def _draw_arrow(self, painter: QPainter, target: QRectF) -> tuple[QPointF, int]:
        """An arrow from the roomier side towards the region's centre; returns where its tail ends, and whether
        the words go below it (1) or above (−1)."""
        centre, room = target.center(), self.rect()
        down = -1 if centre.y() > room.center().y() else 1
        tail = QPointF(centre.x() + (-90 if centre.x() > room.center().x() else 90), centre.y() + 80 * down)
        angle = math.atan2(centre.y() - tail.y(), centre.x() - tail.x())
        reach = min(target.width(), target.height()) / 2
        tip = QPointF(centre.x() - math.cos(angle) * reach, centre.y() - math.sin(angle) * reach)
        painter.drawLine(tail, tip)
        head = QPolygonF([tip, tip - QPointF(math.cos(angle - 0.45) * 22, math.sin(angle - 0.45) * 22),
                          tip - QPointF(math.cos(angle + 0.45) * 22, math.sin(angle + 0.45) * 22)])  # fmt: skip
        painter.setBrush(POINTER_COLOUR)
        painter.drawPolygon(head)
        return tail, down

    def _label_box(self, painter: QPainter, anchor: QPointF, away: int) -> QRectF:
        """Where the words go: a box just beyond ``anchor`` (below it when ``away`` is 1, above when −1), kept
        inside the widget."""
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font, self)
        width = min(metrics.horizontalAdvance(self.text) + 30, self.width() * 0.6)
        bounds = metrics.boundingRect(QRectF(0, 0, width - 20, 1000), Qt.TextWordWrap, self.text)
        box = QRectF(0, 0, width, bounds.height() + 12)
        box.moveCenter(QPointF(anchor.x(), anchor.y() + away * (box.height() / 2 + 6)))
        box.moveLeft(min(max(box.left(), 4), self.width() - box.width() - 4))
        box.moveTop(min(max(box.top(), 4), self.height() - box.height() - 4))
        return box

    def _beside(self, box: QRectF, ring: QRectF) -> QRectF:
        """``box`` moved next to ``ring``, at the first place that lies inside the plot's data area: above, below,
        right or left of the ring (below a ring low in its plot, the words covered the axis' numbers). A region of
        a page (no plot) takes its side first, then below or above, inside the page: above it, the words covered
        the view's caption. Where nothing fits, below or above as room allows."""
        page = self.tabs.currentWidget()
        if self.plot is not None:
            area, order = self._plot_target(page, whole=True), ("above", "below", "right", "left")
        else:
            origin = page.mapTo(self.tabs, page.rect().topLeft())
            area, order = QRectF(QPointF(origin), QSizeF(page.size())), ("right", "left", "below", "above")
        gap, centre = 6.0, ring.center()
        w, h = box.width(), box.height()
        places = {"above": QRectF(centre.x() - w / 2, ring.top() - gap - h, w, h),
                  "below": QRectF(centre.x() - w / 2, ring.bottom() + gap, w, h),
                  "right": QRectF(ring.right() + gap, centre.y() - h / 2, w, h),
                  "left": QRectF(ring.left() - gap - w, centre.y() - h / 2, w, h)}  # fmt: skip
        for side in order:
            place = places[side]
            if side in ("above", "below"):  # slid along the ring's side as far as the area needs
                place.moveLeft(min(max(place.left(), area.left()), area.right() - w))
            else:
                place.moveTop(min(max(place.top(), area.top()), area.bottom() - h))
            if not area.isEmpty() and area.contains(place):
                return place
        place = places["below"] if ring.bottom() + 60 < self.height() else places["above"]
        place.moveLeft(min(max(place.left(), 4), self.width() - w - 4))
        place.moveTop(min(max(place.top(), 4), self.height() - h - 4))
        return place

    def _draw_label(self, painter: QPainter, box: QRectF) -> None:
        path = QPainterPath()
        path.addRoundedRect(box, 6, 6)
        painter.setPen(Qt.NoPen)
        painter.setBrush(POINTER_COLOUR)
        painter.drawPath(path)
        painter.setPen(QColor("white"))
        painter.drawText(box.adjusted(10, 6, -10, -6), Qt.TextWordWrap | Qt.AlignCenter, self.text)
