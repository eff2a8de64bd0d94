"""What a view's picture shows, read from its pixels: the colour at the place where an item draws a data point.

A test grabs the widget as the user sees it (``picture``), finds where a pyqtgraph item's point lands on it
(``pixel_of``: item → scene → view → widget coordinates) and compares the colour there with the colour the view's
convention gives the data (``colour_of`` a value under a colour map and levels)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QWidget

TOLERANCE = 12  # per channel: a 256-entry lookup table and the screen's rounding


def picture(widget: QWidget) -> np.ndarray:
    """The widget as drawn on screen, (height, width, 3) RGB bytes in widget pixels, after the layouts and
    repaints still pending (a theme change lays plots out again; a title that wraps grows its row a pass later)."""
    for _ in range(3):
        QApplication.processEvents()
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    image.setDevicePixelRatio(1.0)
    image = image.scaled(widget.width(), widget.height())  # device pixels -> widget pixels (a no-op at ratio 1)
    bgra = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return bgra[:, : image.width(), 2::-1].astype(int)


def pixel_of(widget: QWidget, item: QGraphicsItem, x: float, y: float) -> tuple[int, int]:
    """Where the point (x, y) of ``item`` (its own coordinates: an image's pixel units, a plot's data) lands
    on ``widget``, which holds the item's graphics view: (column, row) in widget pixels."""
    view: QGraphicsView = item.scene().views()[0]
    on_viewport = view.mapFromScene(item.mapToScene(QPointF(x, y)))
    on_widget = view.viewport().mapTo(widget, on_viewport)
    return on_widget.x(), on_widget.y()


def colour_of(value: float, colormap: pg.ColorMap, levels: tuple[float, float]) -> np.ndarray:
    """The RGB bytes a colour map with ``levels`` gives ``value`` (clipped to the levels, as an image does)."""
    lo, hi = levels
    u = float(np.clip((value - lo) / (hi - lo), 0.0, 1.0))
    return np.asarray(colormap.map(u, mode="byte"), int)[:3]


def rgb(name: str) -> np.ndarray:
    c = QColor(name)
    return np.array([c.red(), c.green(), c.blue()])


def close(seen: np.ndarray, expected: np.ndarray, tolerance: int = TOLERANCE) -> bool:
    return bool(np.abs(np.asarray(seen, int) - np.asarray(expected, int)).max() <= tolerance)


def cell_colours(widget: QWidget, image: pg.ImageItem, rows: int, cols: int) -> np.ndarray:
    """The colour each cell of an image item shows, (rows, cols, 3): the colour at most of its four quarter
    points (a cursor or a marked unit's line may cross the cell's centre), or -1 where they disagree."""
    shot = picture(widget)
    out = np.full((rows, cols, 3), -1)
    for r in range(rows):
        for c in range(cols):
            seen = []
            for dx, dy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
                px, py = pixel_of(widget, image, c + dx, r + dy)
                assert 0 <= px < shot.shape[1] and 0 <= py < shot.shape[0], f"cell {r, c} is off the widget"
                seen.append(shot[py, px])
            for colour in seen:
                if sum(close(colour, other, 3) for other in seen) >= 3:
                    out[r, c] = colour
                    break
    return out


def centre_colours(widget: QWidget, image: pg.ImageItem, rows: int, cols: int) -> np.ndarray:
    """The colour at the centre of each cell, (rows, cols, 3): for cells too small for ``cell_colours``."""
    shot = picture(widget)
    points = [pixel_of(widget, image, c + 0.5, r + 0.5) for r in range(rows) for c in range(cols)]
    for x, y in points:
        assert 0 <= x < shot.shape[1] and 0 <= y < shot.shape[0], "the image runs off the widget"
    return np.array([shot[y, x] for x, y in points]).reshape(rows, cols, 3)


def cell_size(widget: QWidget, image: pg.ImageItem) -> float:
    """How many widget pixels one image cell spans (the smaller side)."""
    x0, y0 = pixel_of(widget, image, 0, 0)
    x1, y1 = pixel_of(widget, image, 1, 1)
    return min(abs(x1 - x0), abs(y1 - y0))


def assert_image_shows(widget: QWidget, image: pg.ImageItem, data: np.ndarray, colormap: pg.ColorMap,
                       levels: tuple[float, float], nan: str | None = None) -> None:  # fmt: skip
    """Every cell (r, c) of ``data`` is drawn at the image item's cell (r, c) in the colour ``colormap`` gives
    its value (NaN cells in the colour ``nan``, or not checked)."""
    data = np.asarray(data, float)
    assert image.isVisible() and image.image is not None, "the image is not drawn"
    size = cell_size(widget, image)
    assert size >= 3, "cells too small to read: make the widget larger"
    seen = cell_colours(widget, image, *data.shape) if size >= 6 else centre_colours(widget, image, *data.shape)
    wrong = []
    for (r, c), value in np.ndenumerate(data):
        if size < 6 and (c == 0 or r == data.shape[0] - 1):
            continue  # small cells along the axes lie under their ticks
        if np.isnan(value):
            expected = None if nan is None else rgb(nan)
        else:
            expected = colour_of(value, colormap, levels)
        if expected is not None and not close(seen[r, c], expected):
            wrong.append(((r, c), value, tuple(seen[r, c]), tuple(expected)))
    assert not wrong, f"{len(wrong)} of {data.size} cells show the wrong colour, e.g. {wrong[:3]}"


def inked(patch: np.ndarray, colour: np.ndarray, paper: np.ndarray | None = None) -> np.ndarray:
    """Which pixels of ``patch`` show a pen of ``colour`` drawn on ``paper`` (white by default), at least 35 %
    covered: a one-pixel antialiased line between two pixel rows is the pen's colour mixed with the paper."""
    paper = np.full(3, 255) if paper is None else np.asarray(paper)
    ink, seen = np.asarray(colour, float) - paper, patch.astype(float) - paper
    cover = seen @ ink / max(float(ink @ ink), 1.0)  # how much of the pen's colour each pixel holds
    residual = np.linalg.norm(seen - cover[..., None] * ink, axis=-1)
    return (cover >= 0.35) & (residual <= 25)


def shows_colour_near(widget: QWidget, item: QGraphicsItem, x: float, y: float, colour: np.ndarray,
                      radius: int = 2, tolerance: int = 40, shot: np.ndarray | None = None) -> bool:  # fmt: skip
    """Whether some pixel within ``radius`` of where ``item`` puts (x, y) has about ``colour``, or is a pen of
    that colour antialiased over white."""
    shot = picture(widget) if shot is None else shot
    px, py = pixel_of(widget, item, x, y)
    if not (0 <= px < shot.shape[1] and 0 <= py < shot.shape[0]):
        return False
    patch = shot[max(0, py - radius) : py + radius + 1, max(0, px - radius) : px + radius + 1]
    near = (np.abs(patch - np.asarray(colour)).max(axis=-1) <= tolerance) | inked(patch, colour)
    return bool(near.any())


def assert_curve_drawn(widget: QWidget, curve: pg.PlotDataItem, x: np.ndarray, y: np.ndarray, colour: str,
                       points: int = 8, least: float = 1.0) -> None:  # fmt: skip
    """The curve of data (x, y) is drawn in ``colour`` through its points and the lines between them: at a few
    of each, spread along it and not under a legend, the picture has the pen's colour (in log axes, ``y`` is the
    data before the log). ``least``: the share of those that must show it, below 1 where other curves may lie
    on top."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    assert len(x) >= 1 and curve.isVisible(), "the curve is not drawn"
    if curve.opts.get("logMode", (False, False))[1]:
        y = np.log10(y)
    picked = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
    places = [(x[k], y[k]) for k in picked]
    places += [((x[k] + x[k + 1]) / 2, (y[k] + y[k + 1]) / 2) for k in picked if k + 1 < len(x)]  # on the line
    legends = [legend.sceneBoundingRect() for legend in items_of(widget, pg.LegendItem)]
    frame = curve.getViewBox().sceneBoundingRect().adjusted(3, 3, -3, -3)  # a line along the frame hides under it
    shot = picture(widget)
    checked, missing = 0, []
    for px, py in places:
        at = curve.mapToScene(QPointF(px, py))
        if any(rect.contains(at) for rect in legends) or not frame.contains(at):
            continue
        checked += 1
        if not shows_colour_near(widget, curve, px, py, rgb(colour), shot=shot):
            missing.append((px, py))
    assert checked and len(missing) <= (1 - least) * checked, f"the curve in {colour} misses {missing}"


def items_of(widget: QWidget, kind: type) -> list[QGraphicsItem]:
    """The visible graphics items of a kind in every graphics view ``widget`` is or holds."""
    views = [widget] if isinstance(widget, QGraphicsView) else []
    views += [v for v in widget.findChildren(QGraphicsView) if v.isVisible()]  # not those in hidden tabs
    return [i for v in views for i in v.scene().items() if isinstance(i, kind) and i.isVisible()]


def image_showing(widget: QWidget, data: np.ndarray) -> pg.ImageItem:
    """The visible image item of ``widget`` that holds ``data`` (as given: not transposed, not flipped)."""
    data = np.asarray(data, np.float32)
    found = [i for i in items_of(widget, pg.ImageItem) if i.image is not None and i.image.shape == data.shape
             and np.allclose(i.image, data, rtol=1e-6, atol=1e-7, equal_nan=True)]  # fmt: skip
    assert found, f"no image on show holds the {data.shape} data"
    return found[0]


def curve_through(widget: QWidget, x: np.ndarray, y: np.ndarray) -> pg.PlotDataItem:
    """The visible curve of ``widget`` that holds the data (x, y)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    for curve in items_of(widget, pg.PlotDataItem):
        cx, cy = curve.getOriginalDataset()
        if cx is not None and len(cx) == len(x) and np.allclose(cx, x) and np.allclose(cy, y, rtol=1e-6):
            return curve
    raise AssertionError(f"no curve on show holds these {len(x)} points")
