"""A beam search's tree as it grows: one column per step, each candidate a node, kept hypotheses in colour,
pruned ones grey, each edge labelled with the hypothesis' score (its sum of log-probabilities), and one path
marked (e.g. greedy search's).

It draws ``engine.decoding``'s tree only (a list of ``BeamStep``: parent, token, score, kept, finished per
candidate) and knows no model: the caller says how a token reads (``labels``). Shared by the language and the
encoder–decoder labs:

    view = BeamTreeView()
    view.show_tree(result.tree, labels=lambda token: vocab.chars[token], marked_path=greedy_ids, upto_step=t)

Edges are drawn as one pairs-connected curve per kind (kept, pruned, marked), never one item per edge; text
labels, which cost most, come from a pool of items reused between calls, and only for the last steps shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import theme, themes

KEPT, PRUNED, MARKED, FINISHED = "#1f77b4", "#b4b4b4", "#ff7f0e", "#2ca02c"
LABELLED_STEPS = 8  # text on the nodes and edges of this many last steps shown
MAX_LABELS = 240  # and never more labels than this (a wide beam over a large vocabulary)
SCORE_AT = 0.6  # a score stands this far along its edge: at the middle, it ran into the character of the edge's start
PRUNED_LABELLED = 24  # a step's pruned candidates carry their character only when there are at most this many:
# more lie closer than a line of text (a beam of 3 over 41 characters prunes 120 a step) and their letters pile up


@dataclass(frozen=True)
class TreeLayout:
    """Where each candidate of each step sits: x (its step, 1-based; the prompt is x = 0), y, and the arrays of
    the tree's steps flattened, (N,) each: ``step``, ``parent`` (flat index, −1: the prompt), ``token``, ``score``,
    ``kept``, ``finished``."""

    x: np.ndarray
    y: np.ndarray
    step: np.ndarray
    parent: np.ndarray
    token: np.ndarray
    score: np.ndarray
    kept: np.ndarray
    finished: np.ndarray


def layout(tree: Sequence, upto_step: int | None = None) -> TreeLayout:
    """The first ``upto_step + 1`` steps of ``tree`` (None: all) laid out as a tree: at every step the candidates
    are stacked in the order of their parents' places, siblings best first from the top, centred on y = 0, so that
    no two families' edges cross."""
    steps = len(tree) if upto_step is None else max(0, min(len(tree), upto_step + 1))
    xs, ys, parts = [], [], {k: [] for k in ("step", "parent", "token", "score", "kept", "finished")}
    prev_y, offset, prev_offset = np.zeros(1), 0, 0
    for t in range(steps):
        s = tree[t]
        parent = np.asarray(s.parent, np.int64)
        score = np.asarray(s.score, np.float64)
        parent_y = prev_y[np.maximum(parent, 0)] if t else np.zeros(len(parent))
        order = np.lexsort((-score, -parent_y))  # top to bottom: families as their parents, siblings best first
        y = np.empty(len(parent))
        y[order] = (len(parent) - 1) / 2 - np.arange(len(parent))
        xs.append(np.full(len(parent), t + 1.0))
        ys.append(y)
        parts["step"].append(np.full(len(parent), t))
        parts["parent"].append(np.where(parent >= 0, parent + prev_offset, -1) if t else np.full(len(parent), -1))
        parts["token"].append(np.asarray(s.token, np.int64))
        parts["score"].append(score)
        parts["kept"].append(np.asarray(s.kept, bool))
        parts["finished"].append(np.asarray(s.finished, bool))
        prev_y, prev_offset, offset = y, offset, offset + len(parent)
    if not xs:
        empty = np.zeros(0)
        return TreeLayout(empty, empty, *(np.zeros(0, int) for _ in range(3)), empty, *(np.zeros(0, bool),) * 2)
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    return TreeLayout(np.concatenate(xs), np.concatenate(ys), **cat)


def marked_nodes(tree_layout: TreeLayout, path: Sequence[int]) -> np.ndarray:
    """Flat indices of the nodes spelling ``path`` (tokens) from the prompt on, as far as the tree holds them
    (a greedy path can leave a beam: it then ends where it was pruned or never weighed)."""
    nodes, parent = [], -1
    for t, token in enumerate(path):
        hit = np.flatnonzero((tree_layout.step == t) & (tree_layout.parent == parent) & (tree_layout.token == token))
        if not len(hit):
            break
        parent = int(hit[0])
        nodes.append(parent)
    return np.array(nodes, np.int64)


def _pairs(lay: TreeLayout, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of the edges into ``nodes``, as (start, end) pairs for a curve with connect='pairs'."""
    parent = lay.parent[nodes]
    px = np.where(parent >= 0, lay.x[np.maximum(parent, 0)], 0.0)
    py = np.where(parent >= 0, lay.y[np.maximum(parent, 0)], 0.0)
    x = np.empty(2 * len(nodes))
    y = np.empty(2 * len(nodes))
    x[0::2], x[1::2] = px, lay.x[nodes]
    y[0::2], y[1::2] = py, lay.y[nodes]
    return x, y


class BeamTreeView(QWidget):
    """The tree of one beam search up to a step; ``show_tree`` again to grow it or show another."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget()
        self.caption = QLabel(tr("blue: kept in the beam · grey, dashed: pruned · green: finished · orange: the marked "
                                 "path · on the edges: each hypothesis' score, its sum of ln p"))  # fmt: skip
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.canvas, 1)
        self.plot = self.canvas.addPlot()
        self.plot.setLabel("bottom", tr("step"))
        self.plot.getAxis("bottom").setTickSpacing(1, 1)  # steps are whole numbers: no 3.5
        self.plot.hideAxis("left")
        self.plot.setMouseEnabled(x=True, y=True)
        self.edges = {kind: self.plot.plot() for kind in ("pruned", "kept", "marked")}
        self.nodes = {kind: pg.ScatterPlotItem() for kind in ("pruned", "kept", "finished", "marked")}
        for item in self.nodes.values():
            self.plot.addItem(item)
        self.root = pg.ScatterPlotItem([0.0], [0.0], symbol="s", size=10)
        self.plot.addItem(self.root)
        self._labels: dict[tuple, pg.TextItem] = {}  # on show, by (node, "token" or "score")
        self._states: dict[tuple, tuple] = {}  # what each of them was last set to
        self._free: list[pg.TextItem] = []  # hidden, for the next labels
        self.tree_layout: TreeLayout | None = None
        self._labels_of: Callable[[int], str] = str
        self._first_x = 0.0  # where the steps on show begin
        self.marked = np.zeros(0, np.int64)
        self.plot.getViewBox().sigResized.connect(self._fit)  # what fits depends on the size
        self.restyle()
        themes().changed.connect(self._theme_changed)  # a bound method: Qt lets go of it when the view dies

    def _theme_changed(self, _theme) -> None:
        self._states.clear()  # colours and fonts: every label anew
        self.restyle()
        self._fit()  # and the labels that fit a larger font

    def restyle(self, _theme=None) -> None:
        t = theme()
        self.edges["pruned"].setPen(t.pen(PRUNED, 1, style=pg.QtCore.Qt.DashLine))
        self.edges["kept"].setPen(t.pen(KEPT, 1.5))
        self.edges["marked"].setPen(pg.mkPen(MARKED, width=3 * (t.line_width if t.presentation else 1)))
        for kind, colour, size in (("pruned", PRUNED, 6), ("kept", KEPT, 9), ("finished", FINISHED, 11),
                                   ("marked", MARKED, 11)):  # fmt: skip
            self.nodes[kind].setBrush(pg.mkBrush(colour))
            self.nodes[kind].setPen(pg.mkPen(None))
            self.nodes[kind].setSize(size)
        self.root.setBrush(pg.mkBrush(t.foreground))

    def show_tree(self, tree: Sequence, labels: Callable[[int], str], marked_path: Sequence[int] | None = None,
                  upto_step: int | None = None) -> None:  # fmt: skip
        """Draw steps 0 … ``upto_step`` of ``tree`` (a list of ``engine.decoding.BeamStep``; None: every step),
        each token shown as ``labels(token)``, and the path of tokens ``marked_path`` (e.g. greedy) marked."""
        lay = self.tree_layout = layout(tree, upto_step)
        kinds = {"pruned": ~lay.kept, "kept": lay.kept}
        for kind, mask in kinds.items():
            self.edges[kind].setData(*_pairs(lay, np.flatnonzero(mask)), connect="pairs")
            self.nodes[kind].setData(lay.x[mask], lay.y[mask])
        self.nodes["finished"].setData(lay.x[lay.finished], lay.y[lay.finished])
        self.marked = marked_nodes(lay, marked_path) if marked_path is not None else np.zeros(0, np.int64)
        self.edges["marked"].setData(*_pairs(lay, self.marked), connect="pairs")
        self.nodes["marked"].setData(lay.x[self.marked], lay.y[self.marked])
        self._labels_of = labels
        self._fit()

    def _fit(self) -> None:
        """The ranges, with a line of text's room above and below in pixels, and the labels that fit them."""
        lay = self.tree_layout
        if lay is None:
            return
        last = float(lay.x.max()) if len(lay.x) else 1.0
        box, line = self.plot.getViewBox(), self._line_height()
        # as many of the last steps as leave a score's width (about four lines' height) per step
        steps = LABELLED_STEPS if box.width() <= 0 else int(np.clip(box.width() // (4 * line), 3, LABELLED_STEPS))
        first = max(0.0, last - steps - 0.5)
        self._first_x = first
        # the last step's characters (as wide as "<pad>", three lines' height) right of it
        right = 0.8 if box.width() <= 0 else max(0.8, 3 * line * (last - first) / max(box.width() - 3 * line, 1.0))
        self.plot.setXRange(first, last + right, padding=0)
        visible = lay.x >= last - steps
        span = max(np.abs(lay.y[visible]).max() if visible.any() else 1.0, 0.5)
        height = box.height()
        if height <= 0:  # not laid out yet: what fits is known on the first resize
            self.plot.setYRange(-span - 0.8, span + 1.6, padding=0)
            self._label(lay, self._labels_of)
            return
        # score labels stand above their edge: two lines of room on top, one below (a third of a short plot at most)
        room = min(3 * line, height / 3)
        per_px = 2 * span / (height - room)
        self.plot.setYRange(-span - room / 3 * per_px, span + 2 * room / 3 * per_px, padding=0)
        self._label(lay, self._labels_of, 1 / per_px)

    def _line_height(self) -> float:
        """A label's height in pixels, its text item's margins included (larger in presentation mode)."""
        item = self._free[0] if self._free else next(iter(self._labels.values()), None)
        if item is None:
            item = self._free_label()
        text = item.textItem
        return float(QFontMetricsF(text.font()).height() + 2 * text.document().documentMargin())

    def _free_label(self) -> pg.TextItem:
        item = self._new_label()
        item.setVisible(False)
        self._free.append(item)
        return item

    def labelled_nodes(self, lay: TreeLayout) -> np.ndarray:
        """The nodes that carry text: those of the last LABELLED_STEPS steps, kept ones first, pruned ones where a
        step prunes few, at most MAX_LABELS."""
        if not len(lay.x):
            return np.zeros(0, np.int64)
        recent = np.flatnonzero(lay.x > lay.x.max() - LABELLED_STEPS)
        pruned = recent[~lay.kept[recent]]
        per_step = np.bincount(lay.step[pruned], minlength=int(lay.step.max()) + 1)
        chosen = np.concatenate([recent[lay.kept[recent]], pruned[per_step[lay.step[pruned]] <= PRUNED_LABELLED]])
        return np.union1d(chosen[:MAX_LABELS], np.intersect1d(self.marked, recent))

    def _label(self, lay: TreeLayout, labels: Callable[[int], str], px_per_y: float | None = None) -> None:
        """Each labelled node's character beside it; a kept or marked node's score on its edge (``SCORE_AT``);
        with ``px_per_y`` known, only labels a line of text apart from those above them in their column (the
        marked path's first, then the best scores). A label stays with its node from frame to frame and is set
        again only when it changes: setting a TextItem lays it out anew, and setting all of them took 85 ms a
        frame."""
        muted = theme().muted
        wanted = {}
        nodes = self.labelled_nodes(lay)
        if px_per_y is not None:
            nodes = self._fitting(lay, nodes, px_per_y)
        for node in nodes:
            marked = node in self.marked
            colour = MARKED if marked else (KEPT if lay.kept[node] else muted)
            anchor = (-0.3, 0.0) if marked else (-0.3, 0.5)  # the marked path's thick line would cover it
            wanted[node, "token"] = (labels(int(lay.token[node])), lay.x[node], lay.y[node], colour, anchor)
            parent = lay.parent[node]
            px, py = (lay.x[parent], lay.y[parent]) if parent >= 0 else (0.0, 0.0)
            if (lay.kept[node] or marked) and px >= self._first_x:  # an edge from off the left edge: its score cut
                score = f"{lay.score[node]:.2f}".replace("-", "−")
                x, y = px + SCORE_AT * (lay.x[node] - px), py + SCORE_AT * (lay.y[node] - py)
                wanted[node, "score"] = (score, x, y, colour, (0.5, 1.0))
        for key in [key for key in self._labels if key not in wanted]:
            item = self._labels.pop(key)
            item.setVisible(False)
            self._free.append(item)
            self._states.pop(key, None)
        for key, state in wanted.items():
            item = self._labels.get(key)
            if item is None:
                item = self._labels[key] = self._free.pop() if self._free else self._new_label()
                item.setVisible(True)
            if self._states.get(key) != state:
                text, x, y, colour, anchor = self._states[key] = state
                item.setText(text)
                item.setColor(colour)
                item.setAnchor(anchor)
                item.setPos(x, y)

    def _fitting(self, lay: TreeLayout, nodes: np.ndarray, px_per_y: float) -> np.ndarray:
        """Those of ``nodes`` whose labels stay a line apart in their step's column, the marked path's first and
        then by score. A node's character and its edge's score go together (where edges from different parents
        meet, their scores lie closer than their ends)."""
        gap = 0.95 * self._line_height() / px_per_y
        marked = np.isin(nodes, self.marked)
        order = nodes[np.lexsort((-lay.score[nodes], ~lay.kept[nodes], ~marked))]
        placed: dict[tuple[int, str], list[float]] = {}  # (step, "token" or "score"): the y of each label there
        chosen = []
        for node in order:
            step, parent = int(lay.step[node]), lay.parent[node]
            below = node in self.marked  # the marked path's characters hang below their node (``_label``)
            spots = [((step, "token"), lay.y[node] - (gap / 0.95 / 2 if below else 0.0))]
            if lay.kept[node] or node in self.marked:
                py = lay.y[parent] if parent >= 0 else 0.0
                spots.append(((step, "score"), py + SCORE_AT * (lay.y[node] - py)))
            if all(abs(y - other) >= gap for column, y in spots for other in placed.get(column, ())):
                for column, y in spots:
                    placed.setdefault(column, []).append(y)
                chosen.append(node)
        return np.array(sorted(chosen), np.int64)

    def _new_label(self) -> pg.TextItem:
        item = pg.TextItem()
        self.plot.addItem(item)
        return item

    def label_texts(self) -> list[str]:
        """The texts on show (for tests)."""
        return [item.textItem.toPlainText() for item in self._labels.values()]
