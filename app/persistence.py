"""What outlives a run of the app: the list of recent files, and autosaves with an offer to restore them
after a crash.

Everything lives under ``data_dir()`` (``$UNROLL_DATA_DIR`` when set, as in the tests, else the platform's
application-data folder). Each running window autosaves its labs into ``autosave/<pid>/``, which a clean exit
removes; a folder whose process is gone was left by a crash, and its sessions are offered at the next start.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from engine import io
from engine.session_file import SUFFIX

MAX_RECENT = 10


def data_dir() -> Path:
    root = os.environ.get("UNROLL_DATA_DIR") or QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- the language the user chose ------------------------------------------------------------------------


def language() -> str | None:
    """The language last chosen in View › Language, or None before the first choice (or if damaged)."""
    path = data_dir() / "language.json"
    try:
        chosen = json.loads(io.read_text(path)) if path.exists() else None
    except (ValueError, OSError):
        return None
    return chosen if isinstance(chosen, str) else None


def set_language(language: str) -> None:
    try:
        io.write_text(data_dir() / "language.json", json.dumps(language))
    except OSError:
        pass  # a read-only home must not stop anyone from switching


# ---- recent files ---------------------------------------------------------------------------------------


def recent_files() -> list[str]:
    """Most recent first. A damaged list is treated as empty: it is a convenience, not data."""
    path = data_dir() / "recent.json"
    try:
        entries = json.loads(io.read_text(path)) if path.exists() else []
    except (ValueError, OSError):
        return []
    return [e for e in entries if isinstance(e, str)][:MAX_RECENT] if isinstance(entries, list) else []


def add_recent_file(path: str | os.PathLike) -> None:
    entry = str(Path(path).resolve())
    _write_recent([entry] + [e for e in recent_files() if e != entry])


def remove_recent_file(path: str | os.PathLike) -> None:
    _write_recent([e for e in recent_files() if e != str(path)])


def _write_recent(entries: list[str]) -> None:
    try:
        io.write_text(data_dir() / "recent.json", json.dumps(entries[:MAX_RECENT], ensure_ascii=False, indent=1))
    except OSError:
        pass  # a read-only home must not stop anyone from working


# ---- autosave and crash recovery ------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


@dataclass(frozen=True)
class Leftover:
    """The autosaves a crashed run left: its folder, its session files (lab name → path), when last saved."""

    folder: Path
    sessions: dict[str, Path]
    saved: datetime

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def autosave_root() -> Path:
    return data_dir() / "autosave"


def own_autosave_dir() -> Path:
    return autosave_root() / str(os.getpid())


def leftovers() -> list[Leftover]:
    """Autosave folders of runs that ended without closing (their process is gone), newest first."""
    root = autosave_root()
    found = []
    for folder in root.iterdir() if root.is_dir() else []:
        if not folder.name.isdigit() or int(folder.name) == os.getpid() or _alive(int(folder.name)):
            continue
        sessions = {f.stem: f for f in folder.glob(f"*{SUFFIX}") if f.is_file()}
        if not sessions:
            shutil.rmtree(folder, ignore_errors=True)  # crashed before its first autosave: nothing to offer
            continue
        saved = datetime.fromtimestamp(max(f.stat().st_mtime for f in sessions.values()))
        found.append(Leftover(folder, sessions, saved))
    return sorted(found, key=lambda leftover: leftover.saved, reverse=True)
