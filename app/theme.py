"""Fonts, line widths, the presentation mode, and the colours several views share (gates, series, page and ink):
what changes with the theme is asked for here. A palette only one view or lab draws with stays beside it
(e.g. hopfield_style.py, rbm_images.py, cell_diagram.py); it is the same in both themes, which are both light."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QTextCursor
from PySide6.QtWidgets import QApplication, QGraphicsItem, QWidget

# Families with Chinese glyphs, most wanted first; Qt falls back through them for characters the UI font lacks.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Microsoft YaHei", "PingFang SC", "Droid Sans Fallback")  # fmt: skip

GATE_COLORS = {
    "i": "#2ca02c", "f": "#d62728", "g": "#9467bd", "o": "#1f77b4",
    "r": "#ff7f0e", "z": "#17becf", "n": "#9467bd", "h̃": "#9467bd",
    "window": "#17a2b8", "feedback": "#e67e22",  # a delay network's delay lines
}  # fmt: skip
SERIES_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")


@dataclass(frozen=True)
class Theme:
    presentation: bool
    font_point_size: float
    line_width: float
    background: str
    foreground: str
    muted: str

    @property
    def scale(self) -> float:
        """How much larger than on a desk everything a class reads is drawn (1 on a desk, 1.7 projected)."""
        return self.font_point_size / NORMAL.font_point_size

    def point_size(self, role: str = "text") -> float:
        """The point size of ``role``: "text" (controls), "title" (a plot's title), "label" (an axis's name),
        "tick" (its numbers), "legend", "lesson" (a lesson step's text, read from the back of the room)."""
        return TEXT_ROLES[role][int(self.presentation)]

    def font(self, role: str = "text") -> QFont:
        """The application's font (with its CJK fallback) at ``role``'s size."""
        font = QFont(QApplication.font())
        font.setPointSizeF(self.point_size(role))
        return font

    def css_size(self, role: str = "text") -> str:
        """``role``'s size for pyqtgraph's and Qt's rich text, e.g. "17pt"."""
        return f"{self.point_size(role):.1f}pt"

    def pen(self, color: str, width: float = 1.0, **kwargs) -> object:
        # Qt strokes any line wider than one pixel about ten times slower (5-17 ms a curve here): on screen,
        # lines are one pixel and differ by colour; only presentation mode pays for thick lines.
        return pg.mkPen(color, width=width * self.line_width if self.presentation else 1.0, **kwargs)


# Point sizes of what a class reads, on a desk and projected. On a desk, pyqtgraph's own (titles 11 pt, legends
# 9 pt); projected, plots' words and numbers grow less than the interface's (1.5× against 1.7×): a plot shares
# its view with others, and titles as large as the menus pushed the plots off a 1280 × 720 screen.
# "text" is the interface's own font (NORMAL's and PRESENTATION's font_point_size).
TEXT_ROLES = {"text": (10.0, 17.0), "title": (11.0, 16.0), "label": (10.0, 15.0), "tick": (9.0, 13.0),
              "legend": (9.0, 13.0), "lesson": (12.0, 22.0)}  # fmt: skip

NORMAL = Theme(False, 10.0, 1.5, "#ffffff", "#202020", "#9a9a9a")
PRESENTATION = Theme(True, 17.0, 3.0, "#ffffff", "#000000", "#606060")


class ThemeManager(QObject):
    """Holds the current theme; ``changed`` tells every view to restyle itself."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.current = NORMAL

    def set_presentation(self, on: bool) -> None:
        self.current = PRESENTATION if on else NORMAL
        apply_fonts(self.current)
        self.changed.emit(self.current)
        for window in QApplication.topLevelWidgets():
            if window.isVisible():  # a closed window's plots may be half gone (tests close many)
                style_plots(window, self.current)


_manager: ThemeManager | None = None


def themes() -> ThemeManager:
    global _manager
    if _manager is None:
        _manager = ThemeManager()
    return _manager


def theme() -> Theme:
    return themes().current


def cjk_family() -> str | None:
    """The first installed family that can show Chinese, or None."""
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def apply_fonts(t: Theme) -> None:
    app = QApplication.instance()
    font = QFont(app.font())
    families = [font.family()]
    cjk = cjk_family()
    if cjk:
        families.append(cjk)
    font.setFamilies(families)
    font.setPointSizeF(t.font_point_size)
    app.setFont(font)


def style_plots(root: QWidget, t: Theme | None = None) -> None:
    """Every plot under ``root`` in ``t``'s sizes: titles, axis names, their numbers and legends (what a class
    reads). Done by the theme for the whole window, and by the lab tabs for a view built later, so that a view
    needs no code of its own for it; text set later keeps the size (pyqtgraph keeps it with the item)."""
    t = t or theme()
    views = [root] if isinstance(root, pg.GraphicsView) else []
    for view in views + root.findChildren(pg.GraphicsView):
        _style_scene(view, t)


def _style_scene(view: pg.GraphicsView, t: Theme) -> None:
    for item in view.scene().items():
        if isinstance(item, pg.PlotItem):
            label = item.titleLabel
            label.opts["size"] = t.css_size("title")
            if label.text:
                label.setText(label.text)
        elif isinstance(item, pg.AxisItem):
            item.setTickFont(t.font("tick"))
            item.labelStyle = {**item.labelStyle, "font-size": t.css_size("label")}
            item._updateLabel()  # pyqtgraph's own: the name again in its (new) style
        elif isinstance(item, pg.LegendItem):
            item.opts["labelTextSize"] = t.css_size("legend")  # for the entries to come
            for _, text in item.items:
                text.setText(text.text, size=t.css_size("legend"))
    view.updateGeometry()  # the room its plots need has changed (``_views_ask_for_room``)


def _views_ask_for_room() -> None:
    """A pyqtgraph view asks for the room its plots need (titles, axes and legends in the theme's sizes), as a
    widget does: a lab too small for it then scrolls (``LabPanel.views_area``) instead of clipping its right edge.
    pyqtgraph's views ask for nothing and clip."""
    if getattr(pg.GraphicsView, "_unroll_asks", False):
        return

    def minimum_size_hint(self) -> QSize:
        central = self.centralWidget
        if central is None:
            return QSize(0, 0)
        least = central.effectiveSizeHint(Qt.MinimumSize)
        return QSize(int(least.width()) + 1, int(least.height()) + 1)

    pg.GraphicsView.minimumSizeHint = minimum_size_hint
    pg.GraphicsView._unroll_asks = True


AXIS_NAME_LEAST = 80  # pixels: an axis's name wraps within an axis at least this long


def _axis_names_wrap() -> None:
    """An axis's name longer than its axis wraps onto more lines, and the axis makes room for them: left to
    pyqtgraph, it is cut at both ends of a narrow plot (titles and captions: ``_wrap_labels``)."""
    if getattr(pg.AxisItem, "_unroll_wraps", False):
        return
    plain_axis_resize = pg.AxisItem.resizeEvent

    def axis_resize_event(self, event=None) -> None:
        """An axis's name wraps within the axis's length (it was cut at both ends of a narrow plot)."""
        label = self.label
        if label is not None and label.isVisible():
            length = self.size().height() if self.orientation in ("left", "right") else self.size().width()
            thick = label.boundingRect().height()
            label.setTextWidth(-1)
            if AXIS_NAME_LEAST <= length < label.boundingRect().width():
                label.setTextWidth(length)
                option = label.document().defaultTextOption()
                option.setAlignment(Qt.AlignHCenter)
                label.document().setDefaultTextOption(option)
            if abs(label.boundingRect().height() - thick) > 0.5:  # one line more or less: the axis grows or shrinks
                self._updateWidth() if self.orientation in ("left", "right") else self._updateHeight()
        plain_axis_resize(self, event)

    pg.AxisItem.resizeEvent = axis_resize_event
    plain_height, plain_width = pg.AxisItem._updateHeight, pg.AxisItem._updateWidth

    def room_for_lines(self, plain, set_least, set_most, least) -> None:
        """pyqtgraph leaves room for 0.8 of the name's height (a line's box overstates it); a wrapped name needs
        its lines' full height less that one overstatement."""
        plain(self)
        label = self.label
        if label is not None and label.isVisible() and label.textWidth() > 0:
            line = QFontMetricsF(label.font()).height()
            extra = label.boundingRect().height() * 0.2 + 0.5 * line
            set_most(self, least(self) + extra)
            set_least(self, least(self) + extra)

    pg.AxisItem._updateHeight = lambda self: room_for_lines(
        self, plain_height, pg.AxisItem.setMinimumHeight, pg.AxisItem.setMaximumHeight, pg.AxisItem.minimumHeight
    )
    pg.AxisItem._updateWidth = lambda self: room_for_lines(
        self, plain_width, pg.AxisItem.setMinimumWidth, pg.AxisItem.setMaximumWidth, pg.AxisItem.minimumWidth
    )
    pg.AxisItem._unroll_wraps = True


def _cache_axes() -> None:
    """Axes repaint whenever anything in their plot moves (a cursor, a curve); their labels, in a font with CJK
    fallback, cost about 1.3 ms each time. Cached as pixmaps, they are redrawn only when they change."""
    if getattr(pg.AxisItem, "_unroll_cached", False):
        return
    plain_init = pg.AxisItem.__init__

    def init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    pg.AxisItem.__init__ = init
    pg.AxisItem._unroll_cached = True


def _wrap_labels() -> None:
    """A caption longer than its view (a sentence in two languages) wraps onto more lines: left to pyqtgraph, a
    label demands its whole width and pushes the plots past the window's edge. A plot's title stays on one line (a
    fixed-height row: growing it from inside a layout pass crashed Qt when a lab was taken down) and ends in "…"
    where it is longer than its plot, the whole title in its tooltip: in presentation mode at 1280 × 720 beside the
    lesson, three titles side by side pushed the gradient view's third column out of sight. Legend entries stay on
    one line, and are written short."""
    if getattr(pg.LabelItem, "_unroll_wrapped", False):
        return
    plain_resize, plain_update_min, plain_set_text = (
        pg.LabelItem.resizeEvent,
        pg.LabelItem.updateMin,
        pg.LabelItem.setText,
    )

    def is_title(label) -> bool:
        return getattr(label.parentItem(), "titleLabel", None) is label

    def wraps(label) -> bool:
        return getattr(label, "angle", 0) == 0 and not isinstance(label.parentItem(), pg.LegendItem)

    def set_text(self, text, **args) -> None:
        self._whole_html = None  # a new text or style: nothing elided to bring back
        plain_set_text(self, text, **args)

    def elide(self) -> None:
        """The title as long as the label is wide, ending in "…"; whole again when it fits."""
        if getattr(self, "_whole_html", None) is not None:
            self.item.setHtml(self._whole_html)
            self._whole_html = None
        self._natural_width = natural = self.item.boundingRect().width()
        if not 0 < self.width() < natural - 0.5:
            self.setToolTip("")
            return
        whole = self.item.toPlainText()
        cursor = QTextCursor(self.item.document())
        cursor.movePosition(QTextCursor.NextCharacter)
        metrics = QFontMetricsF(cursor.charFormat().font())
        margins = natural - metrics.horizontalAdvance(whole)
        self._whole_html = self.item.toHtml()
        cursor.select(QTextCursor.Document)
        cursor.insertText(metrics.elidedText(whole, Qt.ElideRight, self.width() - margins))  # in the same format
        self.setToolTip(whole)

    def resize_event(self, event) -> None:
        if is_title(self):
            elide(self)
        elif wraps(self):
            self.item.setTextWidth(-1)
            self._natural_width = self.item.boundingRect().width()
            if 0 < self.width() < self._natural_width - 0.5:
                self.item.setTextWidth(self.width())
        plain_resize(self, event)

    def update_min(self) -> None:
        plain_update_min(self)  # asks its layout again (updateGeometry)
        natural = getattr(self, "_natural_width", None)
        if natural is None or not wraps(self):
            return
        height, least = self.itemRect().height(), min(natural, 80.0)
        if self.minimumWidth() != least:
            self.setMinimumWidth(least)
        self._sizeHint[pg.QtCore.Qt.SizeHint.MinimumSize] = (least, height)
        self._sizeHint[pg.QtCore.Qt.SizeHint.PreferredSize] = (natural, height)

    pg.LabelItem.resizeEvent, pg.LabelItem.updateMin, pg.LabelItem.setText = resize_event, update_min, set_text
    pg.LabelItem._unroll_wrapped = True


def setup_application() -> None:
    """Global pyqtgraph options, fonts and the translator; call once after the QApplication exists."""
    from app import i18n
    from app.views import log_ticks

    i18n.install(i18n.language())
    _cache_axes()
    _wrap_labels()
    _axis_names_wrap()
    _views_ask_for_room()
    log_ticks.install()
    pg.setConfigOptions(segmentedLineMode="on",  # thick lines (presentation mode) as segments: 3× faster
                        antialias=True, background=NORMAL.background, foreground=NORMAL.foreground,
                        imageAxisOrder="row-major")  # fmt: skip
    apply_fonts(theme())


def color(name: str) -> QColor:
    return QColor(GATE_COLORS.get(name, name))
