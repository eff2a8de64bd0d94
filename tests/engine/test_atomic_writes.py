"""Every file the engine writes goes through one atomic writer (engine.io.replacing): it appears whole with the
ordinary mode (0o666 less the umask) or not at all, and the process-wide umask is read once, at import, never
set again while the autosave thread and the GUI thread write files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import export, hopfield, io
from engine.hopfield.export import FORMAT as HOPFIELD_TRACE
from engine.session_file import SessionFile, load_session, save_session

ROOT = Path(__file__).resolve().parents[2]


def recall_trace():
    patterns = np.where(np.random.default_rng(3).random((3, 16)) < 0.5, -1, 1).astype(np.int8)
    return hopfield.recall(hopfield.store(patterns), patterns[0], mode="sync", seed=1)


def write_everything(folder: Path) -> list[Path]:
    """One file through each public writer of the engine; their paths."""
    arrays = {"w": np.arange(6, dtype=np.float32).reshape(2, 3)}
    io.write_text(folder / "a.txt", "text 文本\n")
    io.save_arrays(folder / "b.npz", arrays)
    io.save_weights(folder / "c.npz", arrays)
    io.save_weights(folder / "d.safetensors", arrays)
    save_session(folder / "e.unroll", SessionFile("hopfield", {"k": 1}, arrays))
    export.save_trace(folder / "f.npz", recall_trace(), HOPFIELD_TRACE)
    export.save_trace(folder / "g.csv", recall_trace(), HOPFIELD_TRACE)
    with io.replacing(folder / "h.bin") as tmp:
        tmp.write_bytes(b"\1\2")
    return sorted(folder.iterdir())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_writer_gives_ordinary_files_without_setting_the_umask(tmp_path, monkeypatch):
    umask = os.umask(0o022)  # the test may read it the old way: nothing else writes files meanwhile
    os.umask(umask)

    def refused(mask: int) -> int:
        raise AssertionError(f"os.umask({mask:#o}) called after import")

    monkeypatch.setattr(os, "umask", refused)
    written = write_everything(tmp_path)
    assert len(written) == 8  # and no temporaries
    assert {p.name: mode(p) for p in written} == {p.name: 0o666 & ~umask for p in written}
    assert load_session(tmp_path / "e.unroll").state == {"k": 1}


# The umask as another process has it: 0o027 gives 0o640, which no default umask (0o022, 0o002) would.
CHILD = """
import builtins, os, stat, sys
from pathlib import Path
os.umask(0o027)
real_open = builtins.open
def open_without_proc(file, *args, **kwargs):
    if str(file).startswith("/proc/"):
        raise FileNotFoundError(file)
    return real_open(file, *args, **kwargs)
if sys.argv[2] == "no-proc":  # a system without /proc/self/status: the umask is read by setting it once
    builtins.open = open_without_proc
from engine import io
builtins.open = real_open
def refused(mask):
    raise AssertionError("os.umask called after import")
os.umask = refused
from engine.session_file import SessionFile, save_session
folder = Path(sys.argv[1])
io.write_text(folder / "a.txt", "text")
io.save_arrays(folder / "b.npz", {"x": [1.0]})
save_session(folder / "c.unroll", SessionFile("hopfield", {}))
with io.replacing(folder / "d.png") as tmp:  # as engine.export and app.export write
    tmp.write_bytes(b"png")
for path in sorted(folder.iterdir()):
    print(path.name, oct(stat.S_IMODE(path.stat().st_mode)))
"""


@pytest.mark.parametrize("how", ["proc", "no-proc"])
def test_the_umask_of_the_process_is_read_once_at_import(tmp_path, how):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), how], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    modes = dict(line.split() for line in run.stdout.splitlines())
    assert len(modes) == 4 and set(modes.values()) == {"0o640"}, modes


def test_the_file_mode_comes_from_the_proc_status_where_there_is_one():
    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc here")
    umask = os.umask(0o022)
    os.umask(umask)
    assert io._process_umask() == umask and io.FILE_MODE == 0o666 & ~umask


class Interrupted(BaseException):
    """Like KeyboardInterrupt: not an Exception, and still no half file."""


def fail_halfway(f) -> None:
    f.write(b"new and half")
    raise Interrupted


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda p: io.write_atomically(p, fail_halfway), id="write_atomically"),
        # an object array fails inside np.save, after session.json is in the archive
        pytest.param(
            lambda p: save_session(p, SessionFile("x", {}, {"a": np.zeros(3), "b": np.array([None])})),
            id="save_session-object-array",
        ),
        pytest.param(lambda p: export.write_csv(p, ["a", "b"], [np.arange(5), np.arange(3)]), id="write_csv"),
    ],
)
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, write):
    target = tmp_path / "old.csv"
    target.write_bytes(b"old\n")
    before = mode(target)
    with pytest.raises((ValueError, Interrupted)):
        write(target)
    assert target.read_bytes() == b"old\n" and mode(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["old.csv"]


def test_a_failed_rename_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "s.unroll"
    save_session(target, SessionFile("hopfield", {"k": 1}))

    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError):
        save_session(target, SessionFile("hopfield", {"k": 2}))
    assert load_session(target).state == {"k": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["s.unroll"]


def test_the_temporary_is_complete_and_on_disk_before_it_replaces_the_file(tmp_path, monkeypatch):
    """fsync before the rename: else a crash soon after can leave an empty file where the old one was."""
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.fstat(fd).st_size)), real_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", Path(b).name)), real_replace(a, b)))
    io.write_text(tmp_path / "t.txt", "12345")
    assert events == [("fsync", 5), ("replace", "t.txt")]


def test_a_temporary_left_by_a_killed_autosave_does_not_look_like_a_session(tmp_path, monkeypatch):
    """Crash recovery offers the *.unroll files of an autosave folder: a session's temporary must end otherwise."""
    renamed = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (renamed.append(Path(a)), real_replace(a, b)))
    save_session(tmp_path / "recurrent.unroll", SessionFile("recurrent", {}))
    io.write_text(tmp_path / "recent.json", "[]")
    assert [(p.parent, p.name.split(".")[1], p.suffix) for p in renamed] == [
        (tmp_path, "recurrent", ".tmp"),
        (tmp_path, "recent", ".tmp"),
    ]
    with io.replacing(tmp_path / "trace.npz") as tmp:
        assert tmp.suffix == ".npz"  # np.savez, Qt and imageio choose the format by the suffix
        np.savez(tmp, x=np.zeros(2))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recent.json", "recurrent.unroll", "trace.npz"]


def test_arrays_of_python_objects_are_refused_rather_than_pickled(tmp_path):
    """np.savez pickles an object array, which no reader here would open; the writer says so instead."""
    target = tmp_path / "a.npz"
    with pytest.raises(ValueError, match="cannot write b to a.npz: they hold Python objects"):
        io.save_arrays(target, {"a": np.zeros(2), "b": np.array([{"x": 1}], dtype=object)})
    assert not target.exists() and list(tmp_path.iterdir()) == []
