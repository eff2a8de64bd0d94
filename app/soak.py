"""A soak run: every lab animates (playhead stepping, views repainted) while it trains or recalls, and the
built-in lessons step along in a turn of their own, for many thousands of frames, after every lesson has been
visited once; resident memory is measured after a warm-up, at frame 5,000 and at the end.

    python -m app.soak --frames 100000 --verbose    (resident memory every 1,000 frames)

Two 100,000-frame runs died of a segmentation fault (one in pyqtgraph's ``ImageItem.paint`` after Qt warned
"shared QObject was deleted directly", one through a null pointer): Python's cycle collector, run on a worker
thread, deleted Qt objects of cleared heatmaps there. Heatmaps no longer leave cycles, and the collector runs on
the GUI thread only (``app/garbage.py``), here as in the app.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import sys
import tempfile
import time
from dataclasses import dataclass

WARMUP_FRAMES = 60  # per lab: first paints, Numba compilation and caches fill before memory is measured
# then every view of the lab for a few frames: views are built when first shown (a labs' turn shows ten of them,
# so the first turns went on building views until about frame 9,000: +3,300 Python objects, then +71 in 5,000)
WARMUP_VIEW_FRAMES = 3
VIEW_EVERY = 50  # frames between switches to the lab's next view, so every view paints
PAINT_EVERY = 5  # frames between synchronous repaints; in between, the view is asked to update as a timer would


AUTOSAVE_MS = 1000


@dataclass
class SoakReport:
    """Memory in bytes as (resident, resident with freed memory given back): the second is what the labs keep,
    the first adds what the allocator holds for the next pass, which the window gives back every TRIM_SECONDS."""

    frames: int
    seconds: float
    start: tuple[int, int]  # after the warm-up
    end: tuple[int, int]
    autosaves: int = 0  # every lab saved in the background, once a second
    settled: tuple[int, int] | None = None  # at frame SETTLED_FRAMES, when the run is longer
    first_visits: int = 0  # warm-up frames in which every lesson was visited once, before ``start``
    labs: tuple[int, int] | None = None  # after the labs' warm-up, before those first visits

    @property
    def growth(self) -> int:
        """What the labs keep: its growth over the whole run."""
        return self.end[1] - self.start[1]

    def __str__(self) -> str:
        def mib(pair: tuple[int, int]) -> str:
            return f"{pair[1] / 1024**2:.1f} MiB ({pair[0] / 1024**2:.1f} resident)"

        def grew(a: tuple[int, int], b: tuple[int, int]) -> str:
            return f"{(b[1] - a[1]) / 1024**2:+.1f} MiB ({(b[0] - a[0]) / 1024**2:+.1f} resident)"

        text = (f"soak: {self.frames} frames in {self.seconds:.1f} s ({self.frames / self.seconds:.0f} fps); "
                f"kept {mib(self.start)} -> {mib(self.end)}: {grew(self.start, self.end)}")  # fmt: skip
        if self.settled is not None:
            text += f"; from frame {SETTLED_FRAMES:,}, {mib(self.settled)}: {grew(self.settled, self.end)}"
        if self.first_visits:
            text += f"; the warm-up's first visit of every lesson ({self.first_visits:,} frames) took {mib(self.labs)}"
            text += f" to {mib(self.start)}"
        return text + f"; {self.autosaves} autosaves"


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
# The warm-up ends with every lesson stepped through once, a step every FIRST_VISIT_EVERY frames once reached:
# a lesson's first visit sets its lab up with other models, tasks and texts, once (measured going through all
# twelve after the labs' warm-up: +85 MiB the first time, +4 MiB the second). Left to the lessons' turns, five
# steps every 4,500 frames, the first visits went on until frame 60,000 or so, and the soak could not tell a
# first visit from a leak.
FIRST_VISIT_EVERY = 20
FIRST_VISITS_SECONDS = 1800  # about 3 minutes here; a step whose work never ends stops the soak with its name
SETTLED_FRAMES = 5000  # what a class may grow by is measured from here on


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
    """The lessons' turn: the built-in lessons one after another, a step ``every`` frames once the step on show is
    reached (its training done in the background meanwhile), the lab it shows animating. ``visited_all`` once every
    lesson has been stepped through."""

    def __init__(self, window, every: int = LESSON_STEP_EVERY) -> None:
        from app.lessons.lesson import builtin_names

        self.window, self.names, self.opened, self.every = window, builtin_names(), 0, every
        self.player = window.lessons.player
        self.waited = 0

    @property
    def visited_all(self) -> bool:
        return self.opened > len(self.names)  # the last lesson's last step shown, the first opened again

    def frame(self, app, k: int) -> None:
        player = self.player
        if not player.stage.busy:
            self.waited += 1
            if self.waited >= self.every:
                self.waited = 0
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
    from engine.allocator import give_back_freed_memory

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
            for view in range(panel.views.count()):  # every view built and painted once (built when first shown)
                panel.views.setCurrentIndex(view)
                for _ in range(WARMUP_VIEW_FRAMES):
                    _animate(app, panel, 0)
            panel.stop_work()

        def measure() -> tuple[int, int]:
            window.autosaver.wait()  # a save under way holds a copy of every lab: not what the labs keep
            resident = resident_bytes()
            give_back_freed_memory()
            return resident, resident_bytes()

        labs = measure()
        lesson_turn = _Lessons(window, FIRST_VISIT_EVERY) if lessons else None
        first_visits, give_up = 0, time.perf_counter() + FIRST_VISITS_SECONDS
        while lesson_turn is not None and not lesson_turn.visited_all:
            lesson_turn.frame(app, first_visits)
            first_visits += 1
            if time.perf_counter() > give_up:
                name = lesson_turn.names[(lesson_turn.opened - 1) % len(lesson_turn.names)]
                raise RuntimeError(f"the lessons' first visits took over {FIRST_VISITS_SECONDS} s; stuck at lesson "
                                   f"{name}, step {lesson_turn.player.index + 1}")  # fmt: skip
        if lesson_turn is not None:
            lesson_turn.stop()
            lesson_turn.every = LESSON_STEP_EVERY
        start, started = measure(), time.perf_counter()
        turns = [*panels, lesson_turn] if lessons else panels
        turn = max(1, min(500, frames // (3 * len(turns))))
        done, current, settled = 0, None, None
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
            if done == SETTLED_FRAMES:
                settled = measure()
            if checkpoint is not None and done % every == 0:
                window.autosaver.wait()  # a save under way holds a copy of every lab: not what the labs keep
                checkpoint(done, resident_bytes())
        seconds = time.perf_counter() - started
        return SoakReport(done, seconds, start, measure(), len(autosaves), settled, first_visits, labs)
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
    faulthandler.enable()  # see the module's notes
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

    from PySide6.QtWidgets import QApplication

    from app.garbage import collect_on_gui_thread

    app = QApplication(sys.argv[:1])
    collect_on_gui_thread()  # as the app does (``app/__main__.py``)
    print(soak(args.frames, app, checkpoint=checkpoint), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
