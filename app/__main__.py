"""`unroll`: open the app on its built-in demo; `unroll screenshot OUT.png --panel NAME`: render offscreen.

Qt is imported only after the checks below, so that a missing system library is explained in words.
"""

from __future__ import annotations

import argparse
import ctypes.util
import faulthandler
import os
import sys
import time

from app import labs  # Qt-free: the lab names for the command line
from app.languages import LANGUAGES

# One BLAS thread: the worker trains on one core and the window keeps the other. Spinning BLAS threads
# fighting the GUI thread for two cores froze the window for a third of a second at a time.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# Debian packages that provide what Qt's xcb (X11) plugin loads; Qt itself only says the plugin failed.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}
CORE_LIBRARIES = {"glib-2.0": "libglib2.0-0", "GL": "libgl1", "EGL": "libegl1", "fontconfig": "libfontconfig1",
                  "dbus-1": "libdbus-1-3", "xkbcommon": "libxkbcommon0"}  # fmt: skip


def missing_libraries(platform: str) -> list[str]:
    """Debian packages whose libraries Qt needs on ``platform`` and cannot find."""
    if not sys.platform.startswith("linux"):
        return []
    wanted = dict(CORE_LIBRARIES)
    if platform == "xcb":
        wanted.update(XCB_LIBRARIES)
    return sorted({pkg for lib, pkg in wanted.items() if ctypes.util.find_library(lib) is None})


def qt_platform(headless: bool) -> str:
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    explicit = os.environ.get("QT_QPA_PLATFORM", "")
    if explicit:
        return explicit.split(":")[0]
    if sys.platform.startswith("linux"):
        return "wayland" if os.environ.get("WAYLAND_DISPLAY") else "xcb"
    return "native"


def check_environment(headless: bool) -> str | None:
    """A message saying what is missing for Qt to start here, or None when all is there."""
    platform = qt_platform(headless)
    if platform == "xcb" and not os.environ.get("DISPLAY"):
        return ("No screen found (DISPLAY is not set). Start Unroll from a desktop session, or render without a "
                "screen: unroll screenshot out.png --panel recurrent")  # fmt: skip
    missing = missing_libraries(platform)
    if missing:
        return ("Qt needs system libraries that are not installed. On Debian or Ubuntu:\n"
                f"    sudo apt-get install {' '.join(missing)}")  # fmt: skip
    return None


def _application(args: list[str]):
    from PySide6.QtWidgets import QApplication

    from app.garbage import collect_on_gui_thread
    from app.theme import setup_application

    app = QApplication.instance() or QApplication(args)
    app.setApplicationName("Unroll")
    setup_application()
    collect_on_gui_thread()
    return app


def _speak_as_chosen() -> None:
    """The language chosen last time; on a first start, the system's."""
    from app import i18n, persistence

    chosen = persistence.language()
    i18n.install(chosen if chosen in i18n.LANGUAGES else i18n.system_language())


def launch(panels: list[str] | None = None, open_path: str | None = None) -> int:
    started = time.perf_counter()
    from engine.warmup import cache_is_warm

    def ready() -> None:
        print(f"unroll: window ready in {time.perf_counter() - started:.2f} s", flush=True)

    if cache_is_warm():
        app = _application(sys.argv)
        _speak_as_chosen()
        from PySide6.QtCore import QTimer

        from app.startup import open_while_kernels_load

        window = open_while_kernels_load(panels, open_path)
        QTimer.singleShot(0, ready)  # once the event loop has run: the window has been laid out and painted
        return app.exec()
    # a first start: kernels compile (half a minute) while a small window shows progress
    from app.warm_up import WarmUpThread

    warm_up = WarmUpThread(labs.first_jobs())
    warm_up.start()  # the widgets and pyqtgraph are imported meanwhile
    app = _application(sys.argv)
    _speak_as_chosen()
    from PySide6.QtCore import QTimer

    from app.startup import StartupWindow

    window = StartupWindow(panels, open_path, warm_up)
    window.show()
    window.ready.connect(lambda: QTimer.singleShot(0, ready))
    return app.exec()


def screenshot(out: str, panel: str, view: str | None, steps: int, size: tuple[int, int], lang: str = "both",
               present: bool = False) -> int:  # fmt: skip
    app = _application(sys.argv[:1])
    from app import i18n

    i18n.install(lang)
    _present(present)
    from app.main_window import MainWindow

    if panel not in labs.names():
        print(f"unroll: unknown panel {panel!r}; choose one of {', '.join(labs.names())}", file=sys.stderr)
        return 2
    window = MainWindow(panels=[panel])
    window.resize(*size)
    lab = window.show_panel(panel)
    window.show()
    try:
        widget = lab.show_view(view) if view else window
    except ValueError as exc:
        print(f"unroll: {exc}", file=sys.stderr)
        return 2
    lab.run_demo_steps(steps)
    for _ in range(5):
        app.processEvents()
    ok = widget.grab().save(out)
    for p in window.panels.values():
        p.shutdown()
    if not ok:
        print(f"unroll: could not write {out}", file=sys.stderr)
        return 1
    print(f"unroll: wrote {out}")
    return 0


def _present(on: bool) -> None:
    """Presentation mode (F5) for a picture: what a class reads, enlarged."""
    if on:
        from app.theme import themes

        themes().set_presentation(True)


def main(argv: list[str] | None = None) -> int:
    try:  # a crash inside a library (Qt, BLAS) prints every thread's Python stack
        faulthandler.enable()
    except (AttributeError, ValueError, OSError):  # no stderr, or one without a file descriptor
        pass
    parser = argparse.ArgumentParser(prog="unroll", description="Watch memory networks think and learn.")
    sub = parser.add_subparsers(dest="command")
    shot = sub.add_parser("screenshot", help="render a panel offscreen to a PNG and exit")
    shot.add_argument("out")
    shot.add_argument("--panel", default="recurrent", choices=labs.names())
    shot.add_argument("--view", default=None, help="one view of the panel instead of the whole window")
    shot.add_argument("--steps", type=int, default=150, help="demo steps (training or recall) before the picture")
    shot.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT (at least 1024x768)")
    shot.add_argument("--lang", default="both", choices=LANGUAGES, help="interface language (both: English 中文)")
    shot.add_argument("--lesson", default=None, help="render a lesson's step instead: a built-in's name or number, "
                      "or a lesson file")  # fmt: skip
    shot.add_argument("--step", type=int, default=1, help="the lesson's step, from 1")
    shot.add_argument("--present", action="store_true", help="in presentation mode (F5), as a class sees it")
    sub.add_parser("lessons", help="list the built-in lessons and their steps")
    out = sub.add_parser("export", help="write a view (.png .svg), its animation (.gif .mp4) or the trace (.npz .csv)")
    out.add_argument("out", help="the file; its suffix picks the format")
    out.add_argument("--panel", default="recurrent", choices=labs.names())
    out.add_argument("--view", default=None, help="a view of the panel (default: its first)")
    out.add_argument(
        "--steps",
        type=int,
        default=None,
        help="steps (training or recall) before exporting (default: 150 of the demo, none after --open)",
    )
    out.add_argument("--open", dest="open_path", default=None, metavar="FILE",
                     help="a session (.unroll; it picks its lab), or a sequence, text, weights or pattern file for "
                          "--panel, to export instead of the built-in demo")  # fmt: skip
    out.add_argument("--size", default=None, help="picture size, WIDTHxHEIGHT (default: the view's)")
    out.add_argument("--frames", default=None, help="animation frames as START:STOP[:EVERY] (default: all)")
    out.add_argument("--lang", default="both", choices=LANGUAGES, help="interface language (both: English 中文)")
    fps = sub.add_parser("fps", help="measure the views' frame rate and click latency while training")
    fps.add_argument("--seconds", type=float, default=3.0, help="per view")
    fps.add_argument("--hidden", type=int, default=128)
    fps.add_argument("--length", type=int, default=100)
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].startswith("-") and argv[0] not in sub.choices:
        return _open(argv[0], argv[1:])  # `unroll lesson.unroll`: the app, opening that file
    args = parser.parse_args(argv)
    headless = args.command in ("screenshot", "fps", "export", "lessons")
    problem = check_environment(headless)
    if problem:
        print(f"unroll: {problem}", file=sys.stderr)
        return 1
    if args.command == "fps":
        _application(sys.argv[:1])
        from app.fps import measure

        print("\n".join(measure(args.seconds, args.hidden, args.length)))
        return 0
    if args.command == "export":
        _application(sys.argv[:1])
        from app import i18n

        i18n.install(args.lang)
        from app.export import command

        return command(args.out, args.panel, args.view, args.steps, args.size, args.frames, args.open_path)
    if args.command == "lessons":
        from app.lessons.command import list_lessons

        return list_lessons()
    if args.command == "screenshot" and args.lesson:
        _application(sys.argv[:1])
        from app.lessons.command import screenshot as lesson_screenshot

        _present(args.present)
        width, height = (int(v) for v in args.size.lower().split("x"))
        return lesson_screenshot(args.out, args.lesson, args.step, (max(640, width), max(480, height)), args.lang)
    if args.command == "screenshot":
        width, height = (int(v) for v in args.size.lower().split("x"))
        size = (max(1024, width), max(768, height))
        return screenshot(args.out, args.panel, args.view, max(0, args.steps), size, args.lang, args.present)
    return launch()


def _open(path: str, rest: list[str]) -> int:
    if rest:
        print(f"unroll: one file at a time; unexpected {' '.join(rest)}", file=sys.stderr)
        return 2
    problem = check_environment(headless=False)
    if problem:
        print(f"unroll: {problem}", file=sys.stderr)
        return 1
    return launch(open_path=path)


if __name__ == "__main__":
    sys.exit(main())
