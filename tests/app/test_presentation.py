"""Presentation mode (F5) enlarges everything a class reads in every plot: titles, axis names, their numbers and
legends, in views built before the switch and after it; and it leaves them as they were when switched off."""

from __future__ import annotations

import re

import pyqtgraph as pg

from app.theme import NORMAL, PRESENTATION, themes


def text_sizes(view) -> dict[str, list[float]]:
    """The point sizes of every plot's title, axis names, tick numbers and legend entries under ``view``."""
    sizes = {"title": [], "label": [], "tick": [], "legend": []}

    def pt(html: str) -> float:  # the text's own size: its span's, inside the document's default
        return float(re.findall(r"font-size: ?([\d.]+)pt", html)[-1])

    for canvas in view.findChildren(pg.GraphicsView):
        for item in canvas.scene().items():
            if isinstance(item, pg.PlotItem) and item.titleLabel.text:
                sizes["title"].append(pt(item.titleLabel.item.toHtml()))
            elif isinstance(item, pg.AxisItem) and item.isVisible():
                sizes["tick"].append(item.style["tickFont"].pointSizeF())
                if item.labelText:
                    sizes["label"].append(pt(item.labelString()))
            elif isinstance(item, pg.LegendItem):
                sizes["legend"] += [pt(label.item.toHtml()) for _, label in item.items]
    return sizes


def test_presentation_mode_enlarges_titles_axis_names_numbers_and_legends(window):
    panel = window.current_panel()
    before = text_sizes(panel.show_view("gradients"))
    assert all(before.values()), before
    window.presentation_action.trigger()
    try:
        after = text_sizes(panel.show_view("gradients"))
        later = text_sizes(panel.show_view("compare"))  # built after the switch
        for role in before:
            assert min(after[role]) >= PRESENTATION.point_size(role) - 0.05 > max(before[role]), role
            assert all(abs(s - PRESENTATION.point_size(role)) < 0.05 for s in later[role]), (role, later)
    finally:
        window.presentation_action.trigger()
    back = text_sizes(panel.show_view("gradients"))
    assert all(abs(s - NORMAL.point_size(role)) < 0.05 for role in back for s in back[role]), back
    assert themes().current is NORMAL
