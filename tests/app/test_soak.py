"""The app animates and trains for many frames in all three labs without a crash or growing memory.

Short here (in the slow run, `pytest -m slow`); `python -m app.soak --frames 20000` runs the long one."""

import pytest

from app.soak import soak

FRAMES = 900  # about 30 s on the 2-core machine, training running in each lab's turn
MAX_GROWTH = 150 * 1024**2


@pytest.mark.slow
def test_three_labs_animate_and_train_without_growing_memory(qapp, record_property):
    report = soak(FRAMES, qapp)
    print(report)
    record_property("soak", str(report))
    assert report.frames == FRAMES
    assert report.growth < MAX_GROWTH, str(report)
    assert report.autosaves >= 5, str(report)  # the labs were saved in the background all along
