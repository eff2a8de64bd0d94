"""The Cell tab for a delay network: one unit at one step, fed by its delay lines. Each tap of the window (and
NARX's fed-back outputs) is a box with an arrow into the unit's sum, the arrow's colour and width its share of
the pre-activation; nothing comes from h_(t−1). ``CellTab`` shows this or the recurrent cell diagram, whichever
the network is."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from app.i18n import tr
from app.theme import theme
from app.views.recurrent.cell_diagram import CellView
from app.views.recurrent.cell_equations import GRAD_COLOR, fmt, fmt_grad
from app.views.recurrent.delay_graph import FEEDBACK_COLOR, WINDOW_COLOR
from app.views.recurrent.recurrent_view import RecurrentView, layer_name
from engine.delay import DelaySpec

W = 1000.0  # the canvas's width; its height follows the longest delay line; scaled to fit
MAX_TAPS = 8  # boxes drawn per delay line; the rest is summed up in one "…" box
POSITIVE, NEGATIVE = "#d62728", "#1f77b4"


def _sub(name: str, k: int) -> str:
    return f"{name}_t" if k == 0 else f"{name}_(t−{k})"


def _coefficients(w) -> str:
    return "(" + ", ".join(fmt(float(v)) for v in w) + ")"


class DelayCanvas(QWidget):
    """Paints ``rows`` of taps (label, value text, share) into a sum node, its activation and h_t."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, list[tuple[str, str, float]]]] = []
        self.center: list[str] = []
        self.grad = False
        self.setMinimumSize(420, 280)

    def set_picture(self, rows, center: list[str], grad: bool) -> None:
        self.rows, self.center, self.grad = rows, center, grad
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        # as tall as the longest delay line and the sums under the node: a short line leaves no empty band
        lines = max((len(taps) for _, taps in self.rows), default=1)
        node = QPointF(500, 20 + max(lines * 86, 220) / 2)
        height = max(20 + lines * 86, node.y() + 56 + len(self.center) * 30 + 10)
        k = min(self.width() / W, self.height() / height)
        p.translate((self.width() - W * k) / 2, (self.height() - height * k) / 2)
        p.scale(k, k)
        fg = QColor(theme().foreground)
        family = p.font().family()
        top = max((abs(s) for _, taps in self.rows for _, _, s in taps), default=1.0) or 1.0
        for r, (color, taps) in enumerate(self.rows):  # the input line on the left, NARX's feedback on the right
            x = 120 if r == 0 else 880
            for i, (label, value, share) in enumerate(taps):
                box = QRectF(x - 75, 20 + i * 86, 150, 60)
                start = QPointF(box.right() if r == 0 else box.left(), box.center().y())
                line = QColor(GRAD_COLOR) if self.grad else QColor(POSITIVE if share >= 0 else NEGATIVE)
                p.setPen(QPen(line, 1.0 + 6.0 * abs(share) / top))
                p.drawLine(start, node)
                if i:  # the delay element between two taps
                    p.setPen(QPen(QColor(color), 1.5))
                    p.drawLine(QPointF(x, box.top() - 26), QPointF(x, box.top()))
                    p.setFont(QFont(family, 10))
                    p.drawText(QRectF(x + 6, box.top() - 26, 40, 26), Qt.AlignLeft | Qt.AlignVCenter, "z⁻¹")
                p.setPen(QPen(QColor(color), 2.5))
                p.setBrush(QColor(theme().background))
                p.drawRoundedRect(box, 8, 8)
                p.setPen(fg)
                p.setFont(QFont(family, 12, QFont.Bold))
                p.drawText(box.adjusted(0, 2, 0, -30), Qt.AlignCenter, label)
                p.setFont(QFont(family, 11))
                p.drawText(box.adjusted(4, 30, -4, 0), Qt.AlignCenter, value)
                mid = start + (node - start) * 0.3
                p.setPen(line)
                p.drawText(QRectF(mid.x() - 50, mid.y() - 22, 100, 18), Qt.AlignCenter, fmt(share))
        p.setPen(QPen(fg, 2))
        p.setBrush(QColor(theme().background))
        p.drawEllipse(node, 36, 36)
        p.setFont(QFont(family, 22))
        p.drawText(QRectF(node.x() - 36, node.y() - 36, 72, 72), Qt.AlignCenter, "Σ")
        p.setFont(QFont(family, 14))
        for i, text in enumerate(self.center):
            p.setPen(QColor(GRAD_COLOR) if self.grad and i >= 2 else fg)
            p.drawText(QRectF(node.x() - 220, node.y() + 56 + i * 30, 440, 28), Qt.AlignCenter, text)
        p.end()


class DelayCellView(RecurrentView):
    """The selected unit of the selected layer at the playhead's step, with the numbers of every tap."""

    def __init__(self, timeline, parent=None) -> None:
        super().__init__(timeline, parent)
        self.header = QLabel()
        self.header.setTextFormat(Qt.RichText)
        self.header.setWordWrap(True)
        self.canvas = DelayCanvas()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption)

    def show_snapshot(self, snapshot) -> None:
        """Every number is read when the playhead moves."""

    def show_position(self, phase: str, t: int) -> None:
        snap = self.snapshot
        spec, ins = snap.spec, snap.inspection
        layer, unit = self.timeline.layer, self.timeline.unit
        lt = ins.trace.layers[layer]
        t = min(max(0, t), lt.hidden.shape[0] - 1)
        below = "x" if layer == 0 else f"h{layer}"
        rows = [(WINDOW_COLOR, self._taps(below, ins.taps[layer][t, 0, unit], t, layer == 0))]
        if ins.feedback_taps is not None:
            fed = ins.trace.fed[t, 0]  # (M, Ky), the oldest tap first
            taps = [(_sub("y", j + 1), self._vector(fed[:, -1 - j]) if t - j - 1 >= 0 else tr("0 (before start)"),
                     float(s)) for j, s in enumerate(ins.feedback_taps[t, 0, unit])]  # fmt: skip
            rows.append((FEEDBACK_COLOR, self._clipped(taps)))
        a, h = float(lt.gates_pre[t, 0, unit]), float(lt.hidden[t, 0, unit])
        phi = "tanh" if spec.activation == "tanh" else ""
        center = [f"a_t = Σ + b = {fmt(a)}", f"h_t = {phi}(a_t) = {fmt(h)}" if phi else f"h_t = a_t = {fmt(h)}"]
        backward = phase == "backward"
        if backward:
            dh = float(ins.grads.dh[layer, t, 0, unit])
            da = dh * (1 - h * h) if phi else dh
            center += [f"∂L/∂h_t = {fmt_grad(dh)}", f"∂L/∂a_t = {fmt_grad(da)}", tr("(the same for every tap)")]
        self.canvas.set_picture(rows, center, backward)
        self.header.setText(self._header(snap, layer, unit, t, backward))
        self.caption.setText(self._caption(snap))

    def _taps(self, name: str, shares, t: int, inputs: bool) -> list[tuple[str, str, float]]:
        labels = self.snapshot.demo.labels
        taps = []
        for k, share in enumerate(shares):
            if t - k < 0:
                value = tr("0 (before start)")
            else:
                value = labels[t - k] if inputs and t - k < len(labels) else ""
            taps.append((_sub(name, k), value, float(share)))
        return self._clipped(taps)

    @staticmethod
    def _clipped(taps: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
        """At most MAX_TAPS boxes: the newest, and one for the rest with their shares summed."""
        if len(taps) <= MAX_TAPS:
            return taps
        rest = taps[MAX_TAPS - 1 :]
        return [*taps[: MAX_TAPS - 1], (f"… {len(rest)}", tr("older taps"), sum(s for _, _, s in rest))]

    @staticmethod
    def _vector(v) -> str:
        return ", ".join(f"{x:.2f}" for x in v[:3]) + (" …" if len(v) > 3 else "")

    def _header(self, snap, layer: int, unit: int, t: int, backward: bool) -> str:
        backward_word, forward_word, step, unit_word = tr("backward"), tr("forward"), tr("step"), tr("unit")
        sweep = (f"<span style='color:{GRAD_COLOR}'>◀ {backward_word}</span>" if backward
                 else f"{forward_word} ▶")  # fmt: skip
        return (f"<b>{escape(snap.spec.label)}</b> · {layer_name(snap, layer)} · {sweep} · {step} "
                f"<b>t = {t}</b> / {len(snap.demo.labels) - 1} · {unit_word} <b>{unit}</b>")  # fmt: skip

    def _caption(self, snap) -> str:
        spec = snap.spec
        if spec.cell == "narx":
            loop = tr("its own past outputs") if spec.feedback == "closed" else tr("the true past outputs")
            text = tr(
                "NARX: a window of {kx} inputs and {ky} outputs fed back ({loop}); its memory reaches past "
                "the input window only through the outputs."
            ).format(kx=spec.input_delays, ky=spec.output_delays, loop=loop)
            closed = getattr(snap.inspection, "closed_loop_loss", None)
            if closed is not None and snap.inspection.loss is not None:
                text += " " + tr("This sequence: loss {tf:.4f} teacher-forced, {cl:.4f} closed-loop.").format(
                    tf=snap.inspection.loss.loss, cl=closed
                )
            return text
        text = tr(
            "{name}: no recurrent edge. The output at t sees the input back to t−{back} and nothing older: "
            "the window is all the memory there is."
        ).format(name=spec.label, back=spec.reach() - 1)
        fit = getattr(snap.inspection, "ar_fit", None)
        if fit is not None:  # an AR(K) predicting the next value: what it learned beside least squares
            (w0, w), fitted = fit
            pattern = tr("learned: next value = {w0} + {w} · (x_t, x_(t−1), …)")
            text += "<br>" + pattern.format(w0=fmt(w0), w=_coefficients(w))
            if fitted is not None:
                pattern = tr("least squares on this sequence: {w0} + {w} · (x_t, x_(t−1), …)")
                text += "<br>" + pattern.format(w0=fmt(fitted[0]), w=_coefficients(fitted[1]))
        return text


class CellTab(QWidget):
    """The recurrent cell diagram or the delay network's taps, whichever the snapshot's network is; the panel feeds
    it like any recurrent view."""

    def __init__(self, timeline, parent=None) -> None:
        super().__init__(parent)
        self.recurrent, self.delay = CellView(timeline), DelayCellView(timeline)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.recurrent)
        self.stack.addWidget(self.delay)

    @property
    def snapshot(self):
        return self.stack.currentWidget().snapshot

    def set_snapshot(self, snapshot) -> None:
        view = self.delay if isinstance(snapshot.spec, DelaySpec) else self.recurrent
        self.stack.setCurrentWidget(view)
        view.set_snapshot(snapshot)
