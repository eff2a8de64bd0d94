"""Titles, axis labels and fonts of the Hopfield lab's plots, sized by the current theme (bigger in
presentation mode). Every view calls ``style_plot`` when it is built and again on ``themes().changed``."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QComboBox

from app.i18n import tr
from app.languages import QT_TR_NOOP
from app.theme import Theme

# Ink (+1) and blank (-1) units, and the highlights drawn over them.
INK, BLANK = "#111111", "#ffffff"
VISITED, FLIPPED, MASK = "#1f77b4", "#d62728", "#ff7f0e"
POSITIVE, NEGATIVE = "#1f77b4", "#d62728"
# A blue-white-red colour map (ColorBrewer RdBu, reversed so that positive weights are red).
DIVERGING = pg.ColorMap([0.0, 0.25, 0.5, 0.75, 1.0], ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"])


def ui_font(t: Theme, scale: float = 1.0) -> QFont:
    """The application's font (with its CJK fallback) at the theme's size."""
    font = QFont(QApplication.font())
    font.setPointSizeF(t.font_point_size * scale)
    return font


RULE_NAMES = {"hebb": "Hebb", "storkey": "Storkey", "pseudoinverse": QT_TR_NOOP("pseudoinverse")}  # shown through tr


def rule_box() -> QComboBox:
    """The learning rules, named in the user's language; each item's data is the engine's name."""
    box = QComboBox()
    for rule, name in RULE_NAMES.items():
        box.addItem(tr(name), rule)
    return box


def titled(name: str, formula: str) -> str:
    """A plot's title: its name in the user's language(s), then its formula as it is."""
    return f"{tr(name)}  {formula}"


def style_plot(plot: pg.PlotItem, t: Theme, title: str, x_label: str = "", y_label: str = "") -> None:
    """Title and axis labels in the theme's colours and sizes; tick labels a little smaller."""
    size = f"{t.font_point_size * 1.15:.0f}pt"
    plot.setTitle(title, color=t.foreground, size=size)
    tick_font = ui_font(t, 0.9)
    for name, label in (("bottom", x_label), ("left", y_label)):
        axis = plot.getAxis(name)
        axis.enableAutoSIPrefix(False)  # "load P / N (x0.001)" reads worse than 0.1
        axis.setTickFont(tick_font)
        axis.setPen(t.pen(t.foreground, 0.6))
        axis.setTextPen(t.foreground)
        if label:
            axis.setLabel(label, color=t.foreground, **{"font-size": f"{t.font_point_size:.0f}pt"})
