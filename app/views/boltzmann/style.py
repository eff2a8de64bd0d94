"""The Boltzmann views' plot styling: the Hopfield lab's titles, labels and fonts (one style for the labs that
draw energies), with pyqtgraph's automatic SI prefixes really off."""

from __future__ import annotations

import pyqtgraph as pg

from app.theme import Theme
from app.views.hopfield.style import DIVERGING, style_plot, titled, ui_font

__all__ = ["DIVERGING", "set_title", "style", "titled", "ui_font"]


def style(plot: pg.PlotItem, t: Theme, title: str, x_label: str = "", y_label: str = "") -> None:
    """``style_plot``, and no SI scaling: pyqtgraph 0.14 scales an axis whose range lies within (0, 1) by 1000
    (probabilities read 0 to 1000) even with the prefix disabled, and keeps that scale."""
    for name in ("left", "bottom"):
        plot.getAxis(name).setSIPrefixEnableRanges(((0.0, 0.0),))
    style_plot(plot, t, title, x_label, y_label)


def set_title(plot: pg.PlotItem, t: Theme, title: str) -> None:
    """Only the title, as ``style`` sets it: cheap enough for every frame."""
    plot.setTitle(title, color=t.foreground, size=f"{t.font_point_size * 1.15:.0f}pt")
