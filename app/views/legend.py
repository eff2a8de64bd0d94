"""A plot's legend under its axis, in a row of its own, where it can never hide a curve (pyqtgraph's own floats
over the data: the gradient norms and singular values ran under it)."""

from __future__ import annotations

import pyqtgraph as pg


def legend_below(plot: pg.PlotItem, columns: int = 2) -> pg.LegendItem:
    """``plot``'s legend, made now and placed below its bottom axis: curves plotted with a ``name`` join it."""
    legend = pg.LegendItem(colCount=columns, frame=False)
    plot.layout.addItem(legend, 4, 1)  # rows 0-3: title, top axis, the data, bottom axis
    plot.legend = legend
    return legend
