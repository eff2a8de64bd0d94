"""The unrolled encoder–decoder: the encoder's steps along the bottom (the source's characters under them), the
decoder's along the top (what it wrote above them), the recurrent arrows between neighbours, the encoder's final
state handed to the decoder, and from the decoder's step t an edge to every source step s whose width is the
attention a_ts. Forward, the decoder steps along; backward, each node's colour is the gradient's magnitude there
as the pass goes back from the last step to step t: ‖∂L/∂h_t‖ above, and below the gradient that the losses
of steps t and later have sent to each h̄_s (the root sum of squares of ‖∂L_t'/∂h̄_s‖, t' ≥ t); the attention
edges of step t lit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.i18n import tr
from app.theme import theme
from app.views.seq2seq.matrix import ramp

ATTENTION = QColor(255, 127, 14)
MAX_GAP = 90


class EncoderDecoderGraph(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source: list[str] = []
        self.output: list[str] = []
        self.targets: list[str] = []
        self.attention: np.ndarray | None = None  # (n, S)
        self.paths = np.zeros((0, 0))  # (T, S) ‖∂L_t/∂h̄_s‖
        self.target_norm = np.zeros(0)
        self.phase, self.t = "forward", 0
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(320, 240)

    def show_example(self, source, output, attention, paths, target_norm, targets) -> None:
        """``output`` the decoded tokens (forward, with their ``attention``); ``targets`` the tokens the loss is
        on (backward, with ``paths`` and ``target_norm``): the same when the model is right."""
        self.source, self.output, self.targets = list(source), list(output), list(targets)
        self.attention = attention
        self.paths, self.target_norm = np.asarray(paths), np.asarray(target_norm)
        self.update()

    def show_position(self, phase: str, t: int) -> None:
        self.phase, self.t = phase, t
        self.update()

    def _written(self) -> list[str]:
        return self.targets if self.phase == "backward" else self.output

    def _layout(self) -> tuple[list[QPointF], list[QPointF], float]:
        S, n = max(1, len(self.source)), max(1, len(self._written()))
        steps = S + n
        gap = min((self.width() - 60) / steps, MAX_GAP)
        radius = max(6.0, min(gap * 0.32, 22.0))
        x0 = (self.width() - gap * (steps - 1)) / 2
        low, high = self.height() * 0.72, self.height() * 0.28
        enc = [QPointF(x0 + s * gap, low) for s in range(S)]
        dec = [QPointF(x0 + (S + t) * gap, high) for t in range(n)]
        return enc, dec, radius

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor(theme().background))
        fg, muted = QColor(theme().foreground), QColor(theme().muted)
        if not self.source:
            return
        enc, dec, r = self._layout()
        backward = self.phase == "backward"
        written = self._written()
        shown = len(written) if backward else min(self.t + 1, len(written))
        p.setPen(QPen(muted, 1.5))
        for a, b in zip(enc, enc[1:], strict=False):
            p.drawLine(a + QPointF(r, 0), b - QPointF(r, 0))
        for a, b in zip(dec[: shown - 1], dec[1:shown], strict=False):
            p.drawLine(a + QPointF(r, 0), b - QPointF(r, 0))
        if dec:
            p.drawLine(enc[-1] + QPointF(r * 0.7, -r * 0.7), dec[0] - QPointF(r * 0.7, -r * 0.7))  # the bridge
        if self.attention is not None and not backward:
            t = min(self.t, len(self.output) - 1)
            for s, a in enumerate(self.attention[t]):
                if a >= 0.01:
                    color = QColor(ATTENTION)
                    color.setAlphaF(float(min(1.0, 0.25 + a)))
                    p.setPen(QPen(color, 0.5 + 10.0 * a))
                    p.drawLine(dec[t] + QPointF(0, r), enc[s] - QPointF(0, r))
        if self.attention is not None and backward and self.t < len(self.paths):
            row = self.paths[self.t]
            for s, g in enumerate(row / row.max() if row.max() > 0 else row):
                if g >= 0.01:  # the gradient of step t's loss going straight back along attention's edges
                    color = QColor(214, 39, 40)
                    color.setAlphaF(float(min(1.0, 0.2 + g)))
                    p.setPen(QPen(color, 0.5 + 6.0 * g))
                    p.drawLine(dec[self.t] + QPointF(0, r), enc[s] - QPointF(0, r))
        reached = np.sqrt((self.paths[self.t :] ** 2).sum(axis=0)) if backward and self.paths.size else np.zeros(0)
        src_scale = np.sqrt((self.paths**2).sum(axis=0)).max() if reached.size else 0.0
        gone_back = self.target_norm[self.t :] if backward else np.zeros(0)
        tgt_scale = self.target_norm.max() if backward and self.target_norm.size else 0.0
        for s, point in enumerate(enc):
            v = reached[s] / src_scale if src_scale > 0 and s < len(reached) else 0.0
            self._node(p, point, r, ramp(v, "red") if backward else QColor("#dbe9f6"), fg)
            p.drawText(QRectF(point.x() - 2 * r, point.y() + r + 2, 4 * r, 2 * r), Qt.AlignHCenter | Qt.AlignTop,
                       self.source[s])  # fmt: skip
        for t, point in enumerate(dec[:shown]):
            v = self.target_norm[t] / tgt_scale if tgt_scale > 0 and t >= self.t and len(gone_back) else 0.0
            current = not backward and t == self.t
            self._node(p, point, r, ramp(v, "red") if backward else QColor("#fde0c5" if current else "#dbe9f6"), fg)
            p.drawText(QRectF(point.x() - 2 * r, point.y() - 3 * r - 2, 4 * r, 2 * r),
                       Qt.AlignHCenter | Qt.AlignBottom, written[t])  # fmt: skip
        p.setPen(fg)
        line = self.fontMetrics().height() + 4
        p.drawText(QRectF(8, 4, self.width() - 16, line), Qt.AlignLeft,
                   tr("decoder h_t (writes)") if not backward else tr("backward: node colour ‖∂L/∂h‖"))  # fmt: skip
        p.drawText(
            QRectF(8, self.height() - line - 4, self.width() - 16, line), Qt.AlignLeft, tr("encoder h̄_s (reads)")
        )

    @staticmethod
    def _node(p: QPainter, centre: QPointF, r: float, fill: QColor, edge: QColor) -> None:
        p.setPen(QPen(edge, 1.2))
        p.setBrush(fill)
        p.drawEllipse(centre, r, r)
        p.setBrush(Qt.NoBrush)
