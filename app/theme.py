"""Fonts, line widths, the presentation mode, and the colours several views share (gates, series, page and ink):
what changes with the theme is asked for here. A palette only one view or lab draws with stays beside it
(e.g. hopfield_style.py, rbm_images.py, cell_diagram.py); it is the same in both themes, which are both light."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QGraphicsItem

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

    def pen(self, color: str, width: float = 1.0, **kwargs) -> object:
        # Qt strokes any line wider than one pixel about ten times slower (5-17 ms a curve here): on screen,
        # lines are one pixel and differ by colour; only presentation mode pays for thick lines.
        return pg.mkPen(color, width=width * self.line_width if self.presentation else 1.0, **kwargs)


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
    """A plot's title or caption longer than its plot (a sentence in two languages) wraps onto more lines, and a
    plot's title row grows to hold them: left to pyqtgraph, a label demands its whole width, pushing the plots past
    the window's edge, and a title row is 30 pixels whatever the font. Legend entries stay on one line."""
    if getattr(pg.LabelItem, "_unroll_wrapped", False):
        return
    plain_resize, plain_update_min = pg.LabelItem.resizeEvent, pg.LabelItem.updateMin

    def wraps(label) -> bool:
        return getattr(label, "angle", 0) == 0 and not isinstance(label.parentItem(), pg.LegendItem)

    def resize_event(self, event) -> None:
        if wraps(self):
            self.item.setTextWidth(-1)
            self._natural_width = self.item.boundingRect().width()
            if 0 < self.width() < self._natural_width - 0.5:
                self.item.setTextWidth(self.width())
        plain_resize(self, event)

    def update_min(self) -> None:
        plain_update_min(self)
        natural = getattr(self, "_natural_width", None)
        if natural is None or not wraps(self):
            return
        height = self.itemRect().height()
        self.setMinimumWidth(min(natural, 80.0))
        self._sizeHint[pg.QtCore.Qt.SizeHint.MinimumSize] = (min(natural, 80.0), height)
        self._sizeHint[pg.QtCore.Qt.SizeHint.PreferredSize] = (natural, height)
        plot = self.parentItem()
        if isinstance(plot, pg.PlotItem) and getattr(plot, "titleLabel", None) is self and self.isVisible():
            row = max(30.0, height)
            self.setMaximumHeight(row)
            plot.layout.setRowFixedHeight(0, row)
        self.updateGeometry()

    pg.LabelItem.resizeEvent, pg.LabelItem.updateMin = resize_event, update_min
    pg.LabelItem._unroll_wrapped = True


def setup_application() -> None:
    """Global pyqtgraph options, fonts and the translator; call once after the QApplication exists."""
    from app import i18n

    i18n.install(i18n.language())
    _cache_axes()
    _wrap_labels()
    pg.setConfigOptions(segmentedLineMode="on",  # thick lines (presentation mode) as segments: 3× faster
                        antialias=True, background=NORMAL.background, foreground=NORMAL.foreground,
                        imageAxisOrder="row-major")  # fmt: skip
    apply_fonts(theme())


def color(name: str) -> QColor:
    return QColor(GATE_COLORS.get(name, name))
