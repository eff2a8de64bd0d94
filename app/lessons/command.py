"""`unroll lessons` and `unroll screenshot OUT.png --lesson NAME --step K`: the built-in lessons, and one step
rendered headless (its work done first, as the player would)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.lessons.lesson import builtin_names, builtin_path, load_lesson

WAIT_SECONDS = 900  # for a step's work, at most


def list_lessons() -> int:
    """Each built-in lesson: its name, steps and title in both languages."""
    for name in builtin_names():
        lesson = load_lesson(builtin_path(name))
        print(f"{name:32} {len(lesson.steps):2} steps   {lesson.title['en']} · {lesson.title['zh']}")
    return 0


def lesson_path(name: str) -> Path:
    """A lesson file's path, or a built-in lesson's name or number."""
    path = Path(name)
    return path if path.suffix.lower() == ".json" and path.exists() else builtin_path(name)


def screenshot(out: str, name: str, step: int, size: tuple[int, int], language: str) -> int:
    """Render step ``step`` (from 1) of lesson ``name`` in ``language`` to ``out``."""
    from PySide6.QtWidgets import QApplication

    from app import i18n
    from app.main_window import MainWindow

    app = QApplication.instance()
    i18n.install(language)
    window = MainWindow()
    window.resize(*size)
    window.show()
    dock = window.lessons
    try:
        path = lesson_path(name)
        lesson = load_lesson(path, dock.panel_classes())
        if not 1 <= step <= len(lesson.steps):
            raise ValueError(f"{path.name} has steps 1 to {len(lesson.steps)}, not {step}")
    except ValueError as exc:
        print(f"unroll: {exc}", file=sys.stderr)
        return 2
    failures: list[str] = []
    player = dock.player
    player.stage.failed.connect(failures.append)
    told = [0.0]

    def tell(done: int, total: int) -> None:
        if time.monotonic() - told[0] > 10:
            told[0] = time.monotonic()
            print(f"unroll: getting step {step} ready: {done} of {total}", file=sys.stderr, flush=True)

    player.stage.progressed.connect(tell)
    dock.show()
    player.show_lesson(lesson, step - 1)
    deadline = time.monotonic() + WAIT_SECONDS
    while player.stage.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(10):
        app.processEvents()
    ok = not player.stage.busy and window.grab().save(out)
    window.close()
    if failures:
        print(f"unroll: step {step}: {'; '.join(failures)}", file=sys.stderr)
        return 1
    if not ok:
        print(f"unroll: could not render step {step} of {name} to {out}", file=sys.stderr)
        return 1
    print(f"unroll: wrote {out}")
    return 0
