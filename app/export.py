"""Pictures, animations and traces of a lab, written for slides and scripts: the Qt side of export.

A view becomes a PNG or an SVG at a chosen size; the playhead, stepped over its frames, an animated GIF or an
MP4; the lab's trace goes to ``engine.export`` for ``.npz`` or CSV. Nothing here changes the session: the
playhead is put back where it was, and a view laid out at another size for the picture gets its size back.

SVG comes from rendering the widget into a ``QSvgGenerator`` at the widget's logical DPI, not from pyqtgraph's
``SVGExporter``, which fails on PySide6 6.11 and 6.12 ("not enough values to unpack": newer Qt closes paths
with "Z").
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter, QPalette, QRegion
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from app import labs
from app.i18n import tr
from engine import export as engine_export
from engine.checks import check_memory, format_bytes

PICTURE_SUFFIXES = (".png", ".svg")
ANIMATION_SUFFIXES = (".gif", ".mp4")
SUFFIXES = PICTURE_SUFFIXES + ANIMATION_SUFFIXES + engine_export.TRACE_SUFFIXES
MAX_FRAMES = 1000
MAX_GIF_BYTES = 512 * 1024**2  # a GIF's frames are held (one byte a pixel) until the file is written
GIF_MAX_FPS = 50.0  # browsers show GIF frames shorter than 20 ms for 100 ms


def parse_size(text: str) -> tuple[int, int]:
    """``"WIDTHxHEIGHT"`` as two whole numbers of pixels, 16 to 8192 each."""
    try:
        width, height = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise ValueError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise ValueError(f"size {width}x{height} is out of range; each side from 16 to 8192 pixels")
    return width, height


def parse_frames(text: str, length: int) -> range:
    """``"START:STOP[:EVERY]"`` (Python slice syntax, any part optional) as playhead positions in 0..length−1."""
    try:
        parts = [int(p) if p.strip() else None for p in text.split(":")]
        if not 1 <= len(parts) <= 3:
            raise ValueError
        positions = range(length)[slice(*parts)] if len(parts) > 1 else range(length)[parts[0] : parts[0] + 1]
    except (ValueError, TypeError):
        raise ValueError(f"frames {text!r} is not START:STOP or START:STOP:EVERY, e.g. 0:100:2") from None
    if not positions:
        raise ValueError(f"frames {text!r} selects none of the {length} frames")
    return positions


@contextlib.contextmanager
def laid_out(widget: QWidget, size: tuple[int, int] | None) -> Iterator[float]:
    """Lay ``widget`` out for a picture of ``size`` pixels and yield the scale from its size to the picture's.

    A picture no wider than the view is laid out at its own size; a wider one keeps the view's width and is
    drawn at a higher pixel ratio (as on a high-DPI screen), so text keeps its size relative to the plots.
    The widget gets its old size back afterwards.
    """
    if size is None:
        yield 1.0
        return
    width, height = size
    scale = max(1.0, width / max(1, widget.width()))
    minimum = widget.minimumSize()
    scale = min([scale, *(s / m for s, m in ((width, minimum.width()), (height, minimum.height())) if m > 0)])
    old = widget.size()
    widget.resize(math.ceil(width / scale), math.ceil(height / scale))
    try:
        yield scale
    finally:
        widget.resize(old)


def render(widget: QWidget, size: tuple[int, int] | None = None) -> QImage:
    """The widget drawn into an image of ``size`` pixels (its own size when None)."""
    with laid_out(widget, size) as scale:
        pixels = QSize(*size) if size else widget.size()
        image = QImage(pixels, QImage.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        image.fill(QWidget.palette(widget).color(QPalette.Window))  # a view may shadow .palette
        painter = QPainter(image)
        painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing | QPainter.SmoothPixmapTransform)
        _draw(widget, painter)
    return image


def _draw(widget: QWidget, painter: QPainter) -> None:
    """The widget and its children through ``painter``, which is then ended. QWidget's own ``render``: a
    pyqtgraph view's ``render`` is QGraphicsView's, which draws the scene without the frame and children."""
    try:
        QWidget.render(widget, painter, QPoint(), QRegion(), QWidget.DrawWindowBackground | QWidget.DrawChildren)
    finally:
        painter.end()


def rgb_array(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 copy of ``image``."""
    image = image.convertToFormat(QImage.Format_RGB888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(h, image.bytesPerLine())
    return rows[:, : 3 * w].reshape(h, w, 3).copy()


def save_png(widget: QWidget, path: str | os.PathLike, size: tuple[int, int] | None = None) -> Path:
    path = engine_export.check_target(path, (".png",))
    image = render(widget, size)
    with engine_export.replacing(path) as tmp:
        if not image.save(str(tmp), "PNG"):
            raise ValueError(f"Qt could not write the PNG {path.name}")
    return path


def save_svg(widget: QWidget, path: str | os.PathLike, size: tuple[int, int] | None = None) -> Path:
    """The widget as vector graphics (plots stay sharp at any zoom; images are embedded as PNG)."""
    path = engine_export.check_target(path, (".svg",))
    with engine_export.replacing(path) as tmp, laid_out(widget, size) as scale:
        logical = widget.size()
        generator = QSvgGenerator()
        generator.setFileName(str(tmp))
        generator.setSize(QSize(*size) if size else logical)
        generator.setViewBox(QRect(QPoint(), logical))
        generator.setResolution(round(widget.logicalDpiX() * scale))
        generator.setTitle(f"Unroll: {widget.objectName() or type(widget).__name__}")
        painter = QPainter()
        if not painter.begin(generator):
            raise ValueError(f"Qt could not start the SVG {path.name}")
        _draw(widget, painter)
    return path


def _even(frame: np.ndarray) -> np.ndarray:
    """Pad the last row and column when odd: H.264 in yuv420p needs even sides."""
    h, w = frame.shape[:2]
    return np.pad(frame, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge") if h % 2 or w % 2 else frame


@contextlib.contextmanager
def _frame_writer(path: Path, fps: float) -> Iterator:
    """A function that appends one (H, W, 3) frame to the GIF or MP4 at ``path``."""
    import imageio.v2 as iio2
    import imageio.v3 as iio

    if path.suffix.lower() == ".gif":
        with iio.imopen(path, "w", plugin="pillow", extension=".gif") as f:
            # bits=8: each frame is kept as a paletted image, a byte a pixel, until the file is written
            yield lambda frame: f.write(frame, duration=1000 / min(fps, GIF_MAX_FPS), loop=0, bits=8)
        return
    try:
        writer = iio2.get_writer(path, format="FFMPEG", mode="I", fps=fps, macro_block_size=2, ffmpeg_log_level="error")
    except (ImportError, RuntimeError) as exc:
        raise ValueError(f"cannot write MP4 here ({exc}); install imageio-ffmpeg, or write a .gif") from None
    with writer:
        yield lambda frame: writer.append_data(_even(frame))


def save_animation(panel: QWidget, widget: QWidget, path: str | os.PathLike, size: tuple[int, int] | None = None,
                   frames: range | None = None, fps: float | None = None) -> int:  # fmt: skip
    """Step ``panel``'s playhead over ``frames`` (all of them by default), draw ``widget`` at each and write a
    GIF or MP4 at ``fps`` (the playhead's speed by default). Returns the number of frames written; the
    playhead ends where it was, playing if it was."""
    path = engine_export.check_target(path, ANIMATION_SUFFIXES)
    playhead = panel.playhead
    positions = range(playhead.length) if frames is None else frames
    if len(positions) > MAX_FRAMES:
        every = math.ceil(len(positions) / MAX_FRAMES)
        raise ValueError(f"{len(positions)} frames are more than the {MAX_FRAMES} an animation may have; "
                         f"take every {every}th (--frames ::{every}) or fewer (--frames START:STOP)")  # fmt: skip
    width, height = size or (widget.width(), widget.height())
    if path.suffix.lower() == ".gif":
        check_memory(len(positions) * width * height, f"a GIF of {len(positions)} frames", MAX_GIF_BYTES)
    was_at, was_playing = playhead.position, playhead.playing
    playhead.pause()
    try:
        with engine_export.replacing(path) as tmp, _frame_writer(tmp, fps or playhead.speed) as append:
            for position in positions:
                playhead.seek(position)
                append(rgb_array(render(widget, size)))
    finally:
        playhead.seek(was_at)
        if was_playing:
            playhead.play()
    return len(positions)


def export(panel: QWidget, path: str | os.PathLike, size: tuple[int, int] | None = None,
           frames: range | None = None) -> str:  # fmt: skip
    """Write ``panel``'s current view (picture or animation) or its trace, as ``path``'s suffix says; returns
    what was written, in words. Raises ValueError with a message for a path or request that cannot be met."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path.name}: cannot export {suffix or 'a file without a suffix'}; "
                         f"use one of {', '.join(SUFFIXES)}")  # fmt: skip
    view = panel.current_view()
    if suffix in engine_export.TRACE_SUFFIXES:
        engine_export.save_trace(path, panel.trace(), panel.entry.trace_writer())
        return f"wrote the trace to {path}"
    if suffix in ANIMATION_SUFFIXES:
        n = save_animation(panel, view, path, size, frames)
        return f"wrote {n} frames to {path} ({format_bytes(path.stat().st_size)})"
    (save_png if suffix == ".png" else save_svg)(view, path, size)
    return f"wrote {path} ({format_bytes(path.stat().st_size)})"


def command(out: str, panel: str, view: str | None, steps: int, size: str | None, frames: str | None) -> int:
    """``unroll export``: build the lab offscreen, run its demo ``steps`` steps, export; 2 on a bad request."""
    import sys

    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    def fail(text: str) -> int:
        print(f"unroll: {text}", file=sys.stderr)
        return 2

    if Path(out).suffix.lower() not in SUFFIXES:
        return fail(f"{Path(out).name}: cannot export {Path(out).suffix or 'a file without a suffix'}; "
                    f"use one of {', '.join(SUFFIXES)}")  # fmt: skip
    if panel not in labs.names():
        return fail(f"unknown panel {panel!r}; choose one of {', '.join(labs.names())}")
    window = MainWindow(panels=[panel])
    try:
        window.resize(1440, 900)
        lab = window.show_panel(panel)
        window.show()
        if view:
            lab.show_view(view)
        lab.run_demo_steps(max(0, steps))
        QApplication.processEvents()
        parsed_size = parse_size(size) if size else None
        positions = parse_frames(frames, lab.playhead.length) if frames else None
        print(f"unroll: {export(lab, out, parsed_size, positions)}")
        return 0
    except ValueError as exc:
        return fail(str(exc))
    finally:
        for p in window.panels.values():
            p.shutdown()
        window.close()
        window.deleteLater()


DIALOG_FILTERS = {
    "png": (QT_TR_NOOP("Export view as PNG"), "unroll.png", "PNG images (*.png)"),
    "svg": (QT_TR_NOOP("Export view as SVG"), "unroll.svg", "SVG drawings (*.svg)"),
    "animation": (QT_TR_NOOP("Export animation"), "unroll.gif", "Animated GIF (*.gif);;MP4 video (*.mp4)"),
    "trace": (QT_TR_NOOP("Export trace"), "trace.npz", "NumPy archive (*.npz);;CSV table (*.csv)"),
}


def export_dialog(window: QWidget, kind: str) -> None:
    """File > Export …: ask for a file (and a size for pictures), export the current lab, say how it went in
    the window's banner. An animation longer than MAX_FRAMES takes every k-th frame, and says so."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    title, name, filters = DIALOG_FILTERS[kind]
    title = tr(title)
    path, _ = QFileDialog.getSaveFileName(window, title, name, filters)
    if not path:
        return
    panel, size, frames = window.current_panel(), None, None
    if kind != "trace":
        view = panel.current_view()
        text, ok = QInputDialog.getText(window, title, tr("Size in pixels (WIDTHxHEIGHT):"),
                                        text=f"{view.width()}x{view.height()}")  # fmt: skip
        if not ok:
            return
    try:
        size = parse_size(text) if kind != "trace" else None
        if kind == "animation" and panel.playhead.length > MAX_FRAMES:
            frames = range(0, panel.playhead.length, math.ceil(panel.playhead.length / MAX_FRAMES))
        done = export(panel, path, size, frames)
    except (ValueError, OSError) as exc:
        window.banner.show_message(
            "error", tr("Could not export {name}").format(name=Path(path).name) + f": {tr(str(exc))}"
        )
        return
    thinned = f" (every {frames.step}th of {panel.playhead.length} frames)" if frames else ""
    window.banner.show_message("info", done[0].upper() + done[1:] + thinned)
