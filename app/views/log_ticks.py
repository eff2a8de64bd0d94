"""Log axes that label only as many ticks as there is room for: decades first, then 2 and 5 in each decade,
then every digit, the densest that fits at the tick font's size; the other ticks are drawn without numbers.
pyqtgraph labels every digit of a decade whatever the room (0.006 0.007 0.008 0.009 0.01 written over each other on
a small ‖∂L/∂h_t‖ plot, or in presentation mode's large font). Numbers from 0.001 to 9,000 are written plainly
(20, 30, 40 on a perplexity axis; pyqtgraph writes 2·10¹, 3·10¹, 4·10¹), smaller and larger ones as powers of ten.
Installed on every axis by ``install``."""

from __future__ import annotations

from math import ceil, floor, isclose, log10

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

LABEL_SETS = ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9))  # digits labelled in each decade, sparse to dense


def _in_range(low: float, high: float, digits: tuple[int, ...]) -> list[float]:
    """log10 of ``digit × 10^k`` for every digit and k, within [low, high]."""
    values = (k + log10(d) for k in range(floor(low), ceil(high) + 1) for d in digits)
    return [v for v in values if low <= v <= high]


def label_room(axis: pg.AxisItem) -> float:
    """Pixels one number needs along the axis, with space around it."""
    metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
    if axis.orientation in ("left", "right"):
        return 1.8 * metrics.height()
    return metrics.horizontalAdvance("0.005") + 2 * metrics.averageCharWidth()


def labelled_values(low: float, high: float, most: int) -> list[float]:
    """The ticks (log10 values) to write numbers at: the densest of ``LABEL_SETS`` with at most ``most`` in
    [low, high]; at least two where the range allows (a sparser set with fewer is thinned from a denser one)."""
    most = max(1, most)
    decades = _in_range(low, high, LABEL_SETS[0])
    if len(decades) > most:
        every = ceil(len(decades) / most)
        return [v for v in decades if round(v) % every == 0] or decades[:1]
    chosen = decades
    for digits in LABEL_SETS[1:]:
        denser = _in_range(low, high, digits)
        if len(denser) <= most:
            chosen = denser
        else:
            if len(chosen) < 2:
                chosen = denser[:: ceil(len(denser) / most)]
            break
    return chosen


def log_tick_values(self: pg.AxisItem, minVal: float, maxVal: float, size: float, stdTicks) -> list:  # noqa: N803
    """pyqtgraph's ``AxisItem.logTickValues``: the labelled ticks, then the unlabelled ones."""
    low, high = sorted((minVal, maxVal))
    labelled = labelled_values(low, high, int(size / label_room(self)))
    if not labelled:  # less than a digit's step in view (0.0031 to 0.0035): pyqtgraph's own ticks
        self._unroll_labelled = None
        return _plain_log_tick_values(self, minVal, maxVal, size, stdTicks)
    every_digit = _in_range(low, high, LABEL_SETS[-1])
    if len(every_digit) * 4 > size:  # a mark every four pixels or closer is a smudge: decades only
        every_digit = _in_range(low, high, LABEL_SETS[0])
    rest = [v for v in every_digit if not any(isclose(v, w, abs_tol=1e-9) for w in labelled)]
    self._unroll_labelled = labelled
    return [(None, labelled), (None, rest)]


PLAIN = (1e-3, 1e4)  # the numbers a log axis writes as such, not as powers of ten


def log_tick_strings(self: pg.AxisItem, values: list[float], scale: float, spacing) -> list[str]:
    """The numbers at the ticks ``log_tick_values`` chose to label; plain within ``PLAIN``."""
    numbers = [10 ** float(v) * scale for v in values]
    powers = _plain_log_tick_strings(self, values, scale, spacing)
    strings = [
        f"{float(f'{x:.1g}'):g}" if PLAIN[0] <= abs(x) < PLAIN[1] else s  # ticks are at d × 10^k
        for x, s in zip(numbers, powers, strict=True)
    ]
    labelled = getattr(self, "_unroll_labelled", None)
    if labelled is None:
        return strings
    shown = [any(isclose(v, w, abs_tol=1e-9) for w in labelled) for v in values]
    return [s if keep else "" for s, keep in zip(strings, shown, strict=True)]


_plain_log_tick_values, _plain_log_tick_strings = pg.AxisItem.logTickValues, pg.AxisItem.logTickStrings


def install() -> None:
    """Every pyqtgraph axis, made before or after, labels its log scale this way."""
    pg.AxisItem.logTickValues = log_tick_values
    pg.AxisItem.logTickStrings = log_tick_strings
