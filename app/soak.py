"""A soak run: every lab animates (playhead stepping, views repainted) while it trains or recalls, and the
built-in lessons step along in a turn of their own, for many thousands of frames; resident memory is measured
after a warm-up and at the end.

    python -m app.soak --frames 100000 --verbose    (resident memory every 1,000 frames)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass

WARMUP_FRAMES = 60  # per lab: first paints, Numba compilation and caches fill before memory is measured
VIEW_EVERY = 50  # frames between switches to the lab's next view, so every view paints
PAINT_EVERY = 5  # frames between synchronous repaints; in between, the view is asked to update as a timer would


AUTOSAVE_MS = 1000


@dataclass
class SoakReport:
    frames: int
    seconds: float
    rss_start: int  # bytes, after the warm-up
    rss_end: int
    autosaves: int = 0  # every lab saved in the background, once a second

    @property
    def growth(self) -> int:
        return self.rss_end - self.rss_start

    def __str__(self) -> str:
        mib = 1024**2
        return (
            f"soak: {self.frames} frames in {self.seconds:.1f} s ({self.frames / self.seconds:.0f} fps); "
            f"resident memory {self.rss_start / mib:.1f} MiB -> {self.rss_end / mib:.1f} MiB "
            f"({self.growth / mib:+.1f} MiB); {self.autosaves} autosaves"
        )


def resident_bytes() -> int:
    """This process's resident memory now (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


RESTART_EVERY = 200  # frames between asking the lab to work again (a recall ends; training goes on)
LESSON_STEP_EVERY = 100  # frames between lesson steps in the lessons' turn, once a step's work is done


def _frame(app, panel, k: int) -> None:
    """One frame: the playhead steps, the shown view repaints, queued results arrive."""
    if k % RESTART_EVERY == 0:
        panel.start_work()
    if k % VIEW_EVERY == 0:
        panel.views.setCurrentIndex((k // VIEW_EVERY) % panel.views.count())
    _animate(app, panel, k)


def _animate(app, panel, k: int) -> None:
    length = panel.playhead.length
    panel.playhead.seek((panel.playhead.position + 1) % max(1, length))
    if k % PAINT_EVERY == 0:
        panel.current_view().repaint()
    else:
        panel.current_view().update()
    app.processEvents()


class _Lessons:
    """The lessons' turn: the built-in lessons one after another, a step every ``LESSON_STEP_EVERY`` frames
    once the step on show is reached (its training done in the background meanwhile), the lab it shows animating."""

    def __init__(self, window) -> None:
        from app.lessons.lesson import builtin_names

        self.window, self.names, self.opened = window, builtin_names(), 0
        self.player = window.lessons.player

    def frame(self, app, k: int) -> None:
        player = self.player
        if k % LESSON_STEP_EVERY == 0 and not player.stage.busy:
            if player.lesson is None or player.index >= len(player.lesson.steps) - 1:
                self.window.lessons.open_builtin(self.names[self.opened % len(self.names)])
                self.opened += 1
            else:
                player.next()
        _animate(app, self.window.current_panel(), k)

    def stop(self) -> None:
        self.player.stage.cancel()  # the labs' turns work their labs themselves


def soak(frames: int, app=None, checkpoint=None, every: int = 1000, lessons: bool = True) -> SoakReport:
    """Run ``frames`` frames, shared between the labs (and, with ``lessons``, the built-in lessons) in turns of a
    few hundred; ``checkpoint(frame, rss)`` is called every ``every`` frames."""
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.theme import setup_application

    app = app or QApplication.instance() or QApplication(sys.argv[:1])
    setup_application()
    window = MainWindow(keep_work=True)
    window.autosaver.timer.setInterval(AUTOSAVE_MS)  # saving while the labs train and animate, often
    autosaves = []
    window.autosaver.saved.connect(autosaves.append)
    window.resize(1280, 800)
    window.show()
    panels = [window.show_panel(name) for name in window.tabs.names()]  # labs are built when first shown
    try:
        for panel in panels:  # one lab works at a time, as a person works in one tab at a time
            window.show_panel(panel.lab)
            for k in range(WARMUP_FRAMES):
                _frame(app, panel, k)
            panel.stop_work()
        rss_start, started = resident_bytes(), time.perf_counter()
        turns = [*panels, _Lessons(window)] if lessons else panels
        turn = max(1, min(500, frames // (3 * len(turns))))
        done, current = 0, None
        while done < frames:
            taking = turns[(done // turn) % len(turns)]
            if taking is not current:
                if isinstance(current, _Lessons):
                    current.stop()
                elif current is not None:
                    current.stop_work()
                if not isinstance(taking, _Lessons):
                    window.show_panel(taking.lab)
                current = taking
            if not isinstance(taking, _Lessons):
                _frame(app, taking, done % turn)  # k = 0 at the start of each turn: the lab starts working
            else:
                taking.frame(app, done % turn)
            done += 1
            if checkpoint is not None and done % every == 0:
                window.autosaver.wait()  # a save under way holds a copy of every lab: not what the labs keep
                checkpoint(done, resident_bytes())
        seconds = time.perf_counter() - started
        window.autosaver.wait()
        return SoakReport(done, seconds, rss_start, resident_bytes(), len(autosaves))
    finally:
        for panel in window.panels.values():
            panel.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20000, help="frames to run, shared by the labs")
    parser.add_argument("--verbose", action="store_true", help="resident memory every 1,000 frames")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("UNROLL_DATA_DIR", tempfile.mkdtemp(prefix="unroll-soak-"))  # its autosaves, not yours
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # as the app does: the training worker leaves the GUI thread a core
    started = time.perf_counter()

    def checkpoint(frame: int, rss: int) -> None:
        if args.verbose:
            from engine.allocator import give_back_freed_memory

            give_back_freed_memory()  # what the labs keep, not what the allocator holds for the next pass
            kept = resident_bytes()
            print(f"frame {frame}: {rss / 1024**2:.1f} MiB, {kept / 1024**2:.1f} MiB with freed memory given back "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip

    print(soak(args.frames, checkpoint=checkpoint), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
