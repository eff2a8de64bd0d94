"""The Cell view's equations, painted rather than typeset: a QLabel with rich text parsed and laid out its HTML
table again on every step (about 16 ms a frame). Here each piece of fixed text is shaped once into glyph runs
(kept until the font changes), and a step only adds up widths and draws: the numbers with ``drawText`` at
their place on the line, the rest from the cache."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLayout
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from app.i18n import tr
from app.theme import theme
from app.views.recurrent.cell_equations import Row, Run

TITLE_COLOR, BORDER = "#606060", "#d5dbe1"
MARGIN_X, MARGIN_Y, PAD, TITLE_GAP = 12.0, 10.0, 5.0, 8.0  # as the table had: cellpadding 5, title padding 8
SUB, SMALL = 0.72, 0.83  # subscript and <small> sizes, relative to the font


class _Shaped:
    """A fixed piece of text shaped once: its glyph runs, how far it advances and its ascent."""

    __slots__ = ("runs", "width", "ascent")

    def __init__(self, text: str, font: QFont) -> None:
        layout = QTextLayout(text, font)
        layout.beginLayout()
        line = layout.createLine()
        layout.endLayout()
        self.runs, self.width, self.ascent = layout.glyphRuns(), line.horizontalAdvance(), line.ascent()


class EquationView(QWidget):
    """Rows of equations (``cell_equations.Row``): the title in a column at the left, then the formula and its
    lines of numbers, indented. ``rows`` is what is shown; ``text()`` the same as plain text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._fonts: dict[tuple[bool, str], tuple[QFont, QFontMetricsF]] = {}
        self._shaped: dict[tuple[str, bool, str], _Shaped] = {}
        self._shape: tuple | None = None
        self._title_width = self._height = self._width = 0.0
        self._baselines: list[list[float]] = []  # per row, of each line
        self._xs: list[list[float]] = []  # per line, where each run starts
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        copy = QAction(tr("Copy the equations"), self)
        copy.triggered.connect(lambda: QApplication.clipboard().setText(self.text()))
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ActionsContextMenu)

    def set_rows(self, rows: list[Row]) -> bool:
        """Show ``rows``; True when the size the equations need changed (the caller may fit its layout)."""
        self.rows = rows
        shape = tuple(run.text for row in rows for line in row.lines for run in line if not run.number)
        grew = shape != self._shape
        if grew:  # other equations, or another font: a new table
            self._shape, self._width = shape, 0.0
            self._measure_rows()
        grew |= self._place_runs()
        if grew:
            self.updateGeometry()
        self.update()
        return grew

    def text(self) -> str:
        """The equations as plain text, subscripts written as _t or _{t−1}."""

        def plain(run: Run) -> str:
            return (f"_{run.text}" if len(run.text) == 1 else f"_{{{run.text}}}") if run.sub else run.text

        rows = ["\n".join([" ".join(filter(None, row.title))] + ["".join(map(plain, line)) for line in row.lines])
                for row in self.rows]  # fmt: skip
        return "\n\n".join(rows)

    def sizeHint(self) -> QSize:
        return QSize(int(self._width + 2 * MARGIN_X) + 1, int(self._height + 2 * MARGIN_Y) + 1)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fonts.clear()
            self._shaped.clear()
            self._shape = None
            if self.rows:
                self.set_rows(self.rows)

    # ------------------------------------------------------------------ layout

    def _font(self, bold: bool, size: str = "") -> tuple[QFont, QFontMetricsF]:
        """The widget's font, bold or not, at size "" (normal), "sub" or "small"."""
        key = (bold, size)
        if key not in self._fonts:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * {"": 1.0, "sub": SUB, "small": SMALL}[size])
            font.setBold(bold)
            self._fonts[key] = (font, QFontMetricsF(font))
        return self._fonts[key]

    def _shaped_text(self, text: str, bold: bool, size: str = "") -> _Shaped:
        key = (text, bold, size)
        if key not in self._shaped:
            self._shaped[key] = _Shaped(text, self._font(bold, size)[0])
        return self._shaped[key]

    def _measure_rows(self) -> None:
        """Row heights and the title column: they depend on the equations' shape and the font, not the numbers."""
        line_height = self._font(False)[1].lineSpacing()
        small_height = self._font(False, "small")[1].lineSpacing()
        titles = [row.title for row in self.rows]
        self._title_width = max(
            (max(self._shaped_text(zh, False).width, self._shaped_text(en, False, "small").width) for zh, en in titles),
            default=0.0,
        )
        ascent, y = self._font(False)[1].ascent(), MARGIN_Y
        self._baselines = []
        for row, (zh, en) in zip(self.rows, titles, strict=True):
            self._baselines.append([y + PAD + ascent + k * line_height for k in range(len(row.lines))])
            title_height = (line_height if zh else 0.0) + (small_height if en else 0.0)
            y += 2 * PAD + max(len(row.lines) * line_height, title_height)
        self._height = y - MARGIN_Y

    def _run_width(self, run: Run) -> float:
        if run.number:
            return self._font(run.bold)[1].horizontalAdvance(run.text)
        return self._shaped_text(run.text, run.bold, "sub" if run.sub else "").width

    def _place_runs(self) -> bool:
        """Each run's x on its line, for this step's numbers; True when the widest line grew."""
        left = MARGIN_X + PAD + self._title_width + TITLE_GAP + PAD
        indent = 3 * self._font(False)[1].horizontalAdvance(" ")
        self._xs, widest = [], 0.0
        for row in self.rows:
            for k, line in enumerate(row.lines):
                x = left + (indent if k else 0.0)
                xs = []
                for run in line:
                    xs.append(x)
                    x += self._run_width(run)
                self._xs.append(xs)
                widest = max(widest, x - MARGIN_X + PAD)
        grew = widest > self._width + 0.5
        self._width = max(self._width, widest)
        return grew

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(QColor(BORDER), 1.0))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        ink = theme().foreground
        xs_of_lines = iter(self._xs)
        for row, baselines in zip(self.rows, self._baselines, strict=True):
            self._title(p, row.title, baselines[0])
            for line, baseline in zip(row.lines, baselines, strict=True):
                for run, x in zip(line, next(xs_of_lines), strict=True):
                    p.setPen(QColor(run.color or ink))
                    if run.number:
                        p.setFont(self._font(run.bold)[0])
                        p.drawText(QPointF(x, baseline), run.text)
                    else:
                        self._draw(p, self._shaped_text(run.text, run.bold, "sub" if run.sub else ""), x, baseline,
                                   run.sub)  # fmt: skip
        p.end()

    def _title(self, p: QPainter, title: str, baseline: float) -> None:
        zh, en = title
        if not zh:
            return
        p.setPen(QColor(TITLE_COLOR))
        x = MARGIN_X + PAD
        self._draw(p, self._shaped_text(zh, False), x, baseline)
        self._draw(p, self._shaped_text(en, False, "small"), x, baseline + self._font(False, "small")[1].lineSpacing())

    def _draw(self, p: QPainter, shaped: _Shaped, x: float, baseline: float, sub: bool = False) -> None:
        """Glyph runs with their baseline at ``baseline`` (a subscript's lowered by a quarter of the font's ascent)."""
        drop = 0.25 * self._font(False)[1].ascent() if sub else 0.0
        origin = QPointF(x, baseline + drop - shaped.ascent)
        for glyphs in shaped.runs:
            p.drawGlyphRun(origin, glyphs)
