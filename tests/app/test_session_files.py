"""Session files put a user back exactly where they were; damaged ones change nothing; autosaves survive a
crash and are offered at the next start; the recent files list remembers what was opened and saved."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from app import persistence
from app.main_window import MainWindow
from engine.session_file import SessionFile, load_session, save_session


@pytest.fixture
def panel(window):
    return window.panels["recurrent"]


def _reopened(path: str, qtbot) -> MainWindow:
    """A second window (another run of the app, as it were) that opened the session file at ``path``."""
    other = MainWindow(panels=["recurrent"])
    qtbot.addWidget(other)
    other.show()
    assert other.open_file(path)
    return other


def _snapshot_arrays(panel) -> dict[str, np.ndarray]:
    trace = panel.session.snapshot.inspection.trace
    return {"output": trace.output, **{k: v.copy() for k, v in panel.session.trainer.params.items()}}


def test_a_saved_session_reopens_where_it_was_and_trains_on_identically(window, panel, qtbot, tmp_path):
    panel.session.apply_settings(panel.session.with_settings(task="copy", cell="gru", hidden_size=12, seed=3))
    panel.session.train_steps(20)
    panel.show_view("states")
    panel.playhead.seek(9)
    panel.timeline.select(0, 7)
    path = tmp_path / "lesson.unroll"
    assert window.save_session_to(str(path))
    other = _reopened(str(path), qtbot)
    restored = other.panels["recurrent"]
    assert restored.session.settings == panel.session.settings
    assert restored.current_view().objectName() == "states"
    assert restored.playhead.position == 9
    assert (restored.timeline.layer, restored.timeline.unit) == (0, 7)
    assert restored.controls_panel.widgets["cell"].currentData() == "gru"
    np.testing.assert_array_equal(restored.session.history.arrays()["loss"], panel.session.history.arrays()["loss"])
    before, after = _snapshot_arrays(panel), _snapshot_arrays(restored)
    for name in before:
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)
    # the view draws the restored trace, for the restored unit, at the restored step
    states = restored.show_view("states")
    hidden = restored.session.snapshot.inspection.trace.layers[0].hidden
    np.testing.assert_allclose(states.h_curve.yData, hidden[:, 0, 7])
    assert states.cursor.value() == 9
    # training goes on exactly as it would have: same batches, same optimizer moments
    panel.session.train_steps(5)
    restored.session.train_steps(5)
    for name, value in panel.session.trainer.params.items():
        np.testing.assert_array_equal(restored.session.trainer.params[name], value, err_msg=name)
    restored.shutdown()


def test_the_session_file_is_plain_json_and_arrays(window, tmp_path):
    window.panels["recurrent"].session.apply_settings(
        window.panels["recurrent"].session.with_settings(task="text", length=12)
    )
    path = tmp_path / "文本.unroll"
    assert window.save_session_to(str(path))
    with zipfile.ZipFile(path) as zf:
        header = json.loads(zf.read("session.json").decode("utf-8"))
        names = zf.namelist()
    assert header["lab"] == "recurrent" and header["format"] == "unroll-session"
    text = header["state"]["task"]["text"]
    assert "记忆" in text or any(ord(c) > 0x4E00 for c in text)
    assert "arrays/param/weight_hh_l0.npy" in names and "arrays/trace/output.npy" in names
    assert np.load(path)["arrays/param/weight_hh_l0"].shape == (4 * 24, 24)


def test_saving_adds_the_suffix_and_remembers_the_file(window, tmp_path):
    assert window.save_session_to(str(tmp_path / "plain"))
    assert (tmp_path / "plain.unroll").exists()
    assert persistence.recent_files()[0] == str((tmp_path / "plain.unroll").resolve())
    window.save_session()  # Ctrl+S: the same file again, no dialog
    assert persistence.recent_files().count(str((tmp_path / "plain.unroll").resolve())) == 1


def _tampered(path, out, edit_state=None, edit_arrays=None):
    file = load_session(path)
    if edit_state:
        edit_state(file.state)
    if edit_arrays:
        edit_arrays(file.arrays)
    save_session(out, file)
    return out


def _set(d, keys, value):
    for k in keys[:-1]:
        d = d[k]
    d[keys[-1]] = value


BAD_STATES = {
    "unknown setting": lambda s: _set(s, ["settings", "colour"], "red"),
    "hidden size as text": lambda s: _set(s, ["settings", "hidden_size"], "24"),
    "impossible hidden size": lambda s: _set(s, ["settings", "hidden_size"], -3),
    "unknown cell": lambda s: _set(s, ["settings", "cell"], "transformer"),
    "negative step count": lambda s: _set(s, ["trainer", "steps"], -1),
    "broken rng": lambda s: _set(s, ["task", "rng", "state"], {"state": "x"}),
    "a selection that is no pair": lambda s: _set(s, ["panel", "selection"], [0]),
    "an unknown section": lambda s: _set(s, ["colours"], {}),
    "labels not text": lambda s: _set(s, ["demo", "labels"], [1, 2, 3]),
    "settings not a mapping": lambda s: _set(s, ["settings"], [1]),
}
BAD_ARRAYS = {
    "weights of the wrong shape": lambda a: a.update({"param/weight_hh_l0": np.zeros((3, 3), np.float32)}),
    "NaN weights": lambda a: a.update({"param/bias_ih_l0": np.full_like(a["param/bias_ih_l0"], np.nan)}),
    "missing weights": lambda a: a.pop("param/weight_ih_l0"),
    "a stranger's weights": lambda a: a.update({"param/weight_ih_l9": np.zeros((2, 2))}),
    "a sequence of the wrong width": lambda a: a.update({"demo/x": np.zeros((5, 1, 99))}),
    "history of mixed lengths": lambda a: a.update({"history/loss": np.zeros(7)}),
    "optimizer moments of another shape": lambda a: a.update({"optimizer/m/weight_hh_l0": np.zeros(4)}),
    "text where numbers belong": lambda a: a.update({"demo/x": np.array(["a", "b"])}),
}


@pytest.mark.parametrize("case", [*BAD_STATES, *BAD_ARRAYS])
def test_a_damaged_session_is_refused_and_changes_nothing(window, panel, tmp_path, case):
    panel.session.train_steps(3)
    good = tmp_path / "good.unroll"
    assert window.save_session_to(str(good))
    bad = _tampered(good, tmp_path / "bad.unroll", BAD_STATES.get(case), BAD_ARRAYS.get(case))
    panel.session.train_steps(2)
    before, settings, position = _snapshot_arrays(panel), panel.session.settings, panel.playhead.position
    assert not window.open_file(str(bad))
    assert window.banner.level == "error" and "bad.unroll" in window.banner.text()
    after = _snapshot_arrays(panel)
    assert panel.session.settings == settings and panel.playhead.position == position
    for name in before:
        np.testing.assert_array_equal(after[name], before[name])


def test_a_session_of_another_format_version_or_lab_is_named(window, tmp_path):
    file = SessionFile("nonexistent-lab", {})
    save_session(tmp_path / "other.unroll", file)
    assert not window.open_file(str(tmp_path / "other.unroll"))
    assert "nonexistent-lab" in window.banner.text()
    with zipfile.ZipFile(tmp_path / "future.unroll", "w") as zf:
        zf.writestr("session.json", json.dumps({"format": "unroll-session", "version": 99, "lab": "recurrent",
                                                "state": {}}))  # fmt: skip
    assert not window.open_file(str(tmp_path / "future.unroll"))
    assert "version 99" in window.banner.text()


def test_a_session_claiming_more_memory_than_the_cap_is_refused_before_reading(tmp_path, monkeypatch):
    import engine.checks

    path = tmp_path / "big.unroll"
    save_session(path, SessionFile("recurrent", {}, {"x": np.zeros((1000, 1000))}))
    monkeypatch.setattr(engine.checks, "MEMORY_CAP_BYTES", 1_000_000)
    read = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: read.append(a) or pytest.fail("member read"))
    with pytest.raises(ValueError, match="memory cap"):
        load_session(path)
    assert not read


def test_a_save_that_fails_keeps_the_previous_file(window, panel, tmp_path, monkeypatch):
    path = tmp_path / "kept.unroll"
    assert window.save_session_to(str(path))
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", broken)
    panel.session.train_steps(2)
    assert not window.save_session_to(str(path))
    assert "No space left" in window.banner.text()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kept")] == []


# ---- autosave, crash recovery, recent files -------------------------------------------------------------


def test_autosave_writes_every_open_lab_and_a_clean_exit_removes_it(qtbot):
    w = MainWindow(panels=["recurrent"], keep_work=True)
    qtbot.addWidget(w)
    w.autosaver.save_now()
    w.autosaver.wait()
    qtbot.waitUntil(lambda: (w.autosaver.folder / "recurrent.unroll").exists())
    assert load_session(w.autosaver.folder / "recurrent.unroll").lab == "recurrent"
    w.close()
    assert not w.autosaver.folder.exists()


def _crashed_run(folder_pid: int, panel_steps: int, qtbot):
    """What a run that crashed leaves behind: its autosave folder under a pid that no longer exists."""
    w = MainWindow(panels=["recurrent"], keep_work=True)
    qtbot.addWidget(w)
    w.panels["recurrent"].session.train_steps(panel_steps)
    w.autosaver.save_now()
    w.autosaver.wait()
    dead = persistence.autosave_root() / str(folder_pid)
    w.autosaver.folder.rename(dead)
    params = {k: v.copy() for k, v in w.panels["recurrent"].session.trainer.params.items()}
    w.autosaver.timer.stop()
    w.panels["recurrent"].shutdown()
    return params


def _dead_pid() -> int:
    pid = 2**22 - 7
    while persistence._alive(pid):
        pid -= 1
    return pid


def test_after_a_crash_the_next_start_offers_the_autosave_and_restores_it(qtbot):
    params = _crashed_run(_dead_pid(), 7, qtbot)
    w = MainWindow(panels=["recurrent"], keep_work=True)
    qtbot.addWidget(w)
    assert w.restore_bar is not None and "did not close properly" in w.restore_bar.label.text()
    w.show()
    w.restore_bar.restore_button.click()
    assert min(w.panels["recurrent"].splitter.sizes()) > 50  # saved from a panel never shown: sizes were zeros
    session = w.panels["recurrent"].session
    assert session.trainer.steps == 7
    for name, value in params.items():
        np.testing.assert_array_equal(session.trainer.params[name], value)
    assert persistence.leftovers() == []
    w.close()


def test_discarding_the_offer_removes_the_autosave(qtbot):
    _crashed_run(_dead_pid(), 1, qtbot)
    w = MainWindow(panels=["recurrent"], keep_work=True)
    qtbot.addWidget(w)
    w.restore_bar.discard_button.click()
    assert persistence.leftovers() == []
    assert w.panels["recurrent"].session.trainer.steps == 0
    w.close()


def test_a_running_instance_is_not_taken_for_a_crash(qtbot):
    live = persistence.autosave_root() / str(os.getppid())
    live.mkdir(parents=True)
    save_session(live / "recurrent.unroll", SessionFile("recurrent", {}))
    assert persistence.leftovers() == []


def test_recent_files_keep_the_newest_first_without_repeats(tmp_path, data_dir):
    files = [tmp_path / f"{k}.txt" for k in range(persistence.MAX_RECENT + 3)]
    for f in files:
        persistence.add_recent_file(f)
    persistence.add_recent_file(files[5])
    recent = persistence.recent_files()
    assert recent[0] == str(files[5].resolve()) and len(recent) == persistence.MAX_RECENT
    assert len(set(recent)) == len(recent)
    (data_dir / "recent.json").write_text("{broken")
    assert persistence.recent_files() == []


def test_open_recent_reopens_and_forgets_missing_files(window, tmp_path):
    text = tmp_path / "诗.txt"
    text.write_text("床前明月光，疑是地上霜。举头望明月，低头思故乡。" * 3, encoding="utf-8")
    assert window.open_file(str(text))
    window._fill_recent_menu()
    actions = window.recent_menu.actions()
    assert actions[0].text().startswith("诗.txt") and str(tmp_path) in actions[0].text()
    text.unlink()
    actions[0].trigger()
    assert window.banner.level == "error" and "no longer exists" in window.banner.text()
    assert persistence.recent_files() == []


CRASHING_RUN = """
import os, signal
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.main_window import MainWindow
w = MainWindow(panels=["recurrent"], keep_work=True)
w.panels["recurrent"].session.train_steps(4)
w.autosaver.save_now()
w.autosaver.wait()
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.slow  # a fresh interpreter that builds the window and trains
def test_a_killed_app_leaves_an_autosave_that_the_next_start_restores(qtbot, data_dir):
    import subprocess
    import sys

    env = {**os.environ, "UNROLL_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", CRASHING_RUN], env=env, capture_output=True, timeout=300)
    assert run.returncode == -9, run.stderr.decode()
    w = MainWindow(panels=["recurrent"], keep_work=True)
    qtbot.addWidget(w)
    assert w.restore_bar is not None
    w.restore_bar.restore_button.click()
    assert w.panels["recurrent"].session.trainer.steps == 4
    w.close()


def test_the_side_by_side_networks_are_saved_and_restored_too(window, panel, qtbot, tmp_path):
    compare = panel.show_view("compare")
    compare.cell_boxes[0].setCurrentIndex(compare.cell_boxes[0].findData("rnn_relu"))
    compare.setup_button.click()
    panel.comparison.train_steps(6)
    path = tmp_path / "compare.unroll"
    assert window.save_session_to(str(path))
    other = _reopened(str(path), qtbot)
    restored = other.panels["recurrent"].comparison
    assert restored is not None and restored.cells == panel.comparison.cells
    np.testing.assert_array_equal(np.array(restored.losses), np.array(panel.comparison.losses))
    for mine, theirs in zip(panel.comparison.trainers, restored.trainers, strict=True):
        for name, value in mine.params.items():
            np.testing.assert_array_equal(theirs.params[name], value)
    shown = other.panels["recurrent"].show_view("compare")
    assert shown.cell_boxes[0].currentData() == "rnn_relu"
    # the view draws the restored networks (it was built hidden while the file was read)
    flow = restored.snapshot.contenders[0].inspection.flow[-1]
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(shown.flows[0].data, np.where(flow > 0, np.log10(flow), np.nan), rtol=1e-6)
    assert "training step 6" in shown.info.text()
    panel.comparison.train_steps(3)
    restored.train_steps(3)
    np.testing.assert_array_equal(np.array(restored.losses), np.array(panel.comparison.losses))
    # a damaged comparison refuses the whole file, the main network included
    file = load_session(path)
    file.arrays["comparison/1/param/weight_hh_l0"] = np.zeros((2, 2), np.float32)
    file.state["settings"]["hidden_size"] = 5
    save_session(tmp_path / "bad.unroll", file)
    hidden = other.panels["recurrent"].session.settings.hidden_size
    assert not other.open_file(str(tmp_path / "bad.unroll"))
    restored_hidden = other.panels["recurrent"].session.settings.hidden_size
    assert restored_hidden == hidden and "weight_hh_l0" in other.banner.text()
    other.panels["recurrent"].shutdown()


def test_saving_while_training_neither_stops_the_worker_nor_mixes_two_steps(window, panel, qtbot, tmp_path):
    session = panel.session
    session.start_training()
    qtbot.waitUntil(lambda: session.snapshot.training_step > 3, timeout=20000)
    file = panel.save_session()
    assert session.training  # never paused
    session.stop_training()
    steps = file.state["trainer"]["steps"]
    assert len(file.arrays["history/step"]) == steps and file.arrays["history/step"][-1] == steps
    assert file.state["trainer"]["optimizer"]["t"] == steps  # Adam's moments belong to the same step
    assert file.state["trace"]["step"] <= steps
    # and the file opens at that step
    other = MainWindow(panels=["recurrent"])
    qtbot.addWidget(other)
    other.panels["recurrent"].restore_session(file)
    assert other.panels["recurrent"].session.trainer.steps == steps


def test_autosaves_let_go_of_what_they_wrote(qtbot):
    """Autosaves run on one reused thread, which holds nothing of what it wrote once the files are on disk."""
    import gc
    import weakref

    from PySide6.QtCore import QThread

    w = MainWindow(panels=["recurrent"], keep_work=True)
    qtbot.addWidget(w)
    written, gather = [], w.lab_sessions
    w.autosaver._sessions = lambda: {lab: (written.append(weakref.ref(f)), f)[1] for lab, f in gather().items()}
    for _ in range(5):
        with qtbot.waitSignal(w.autosaver.saved):
            w.autosaver.save_now()
        qtbot.waitUntil(lambda: not w.autosaver.busy)
    gc.collect()
    assert len(written) == 5 and all(ref() is None for ref in written)
    assert len(w.autosaver.findChildren(QThread)) == 1
    w.close()


V1_FILE = Path(__file__).parent / "data" / "recurrent-v1.unroll"  # written by Unroll at c3fe6ba (before sections)


def test_a_version_1_session_opens_in_todays_sections(window, panel, qtbot, tmp_path):
    file = load_session(V1_FILE)
    assert "version" not in file.state or file.state["version"] == 1
    assert {"text", "rng", "selection", "trace_step"} <= set(file.state)  # the old shape, as written then
    assert window.open_file(str(V1_FILE)), window.banner.text()
    s = panel.session
    assert (s.settings.cell, s.settings.hidden_size, s.settings.task, s.trainer.steps) == ("gru", 4, "copy", 3)
    np.testing.assert_array_equal(s.trainer.params["weight_hh_l0"], file.arrays["param/weight_hh_l0"])
    np.testing.assert_array_equal(s.history.arrays()["loss"], file.arrays["history/loss"])
    assert s.rng.bit_generator.state == file.state["rng"]
    assert (panel.timeline.layer, panel.timeline.unit) == (0, 2) and panel.playhead.position == 4
    assert panel.current_view().objectName() == "states"
    assert panel.comparison.cells == ("rnn_tanh", "lstm", "gru") and panel.comparison.trainers[0].steps == 2
    saved = panel.save_session()  # and it is saved in today's shape
    assert saved.state["version"] == 2 and saved.state["panel"] == {"selection": [0, 2]}
    assert saved.state["task"]["rng"] == file.state["rng"] and "rng" not in saved.state


@pytest.mark.parametrize("setting,value", [("hidden_size", 65536), ("length", 100_000), ("batch_size", 10**6),
                                           ("num_layers", 64), ("dropout", 1.0), ("lr", float("nan"))])  # fmt: skip
def test_settings_beyond_the_forms_limits_are_refused_and_change_nothing(window, panel, tmp_path, setting, value):
    good = tmp_path / "good.unroll"
    assert window.save_session_to(str(good))
    bad = _tampered(good, tmp_path / "absurd.unroll", lambda s: _set(s, ["settings", setting], value))
    panel.controls_panel.widgets["hidden_size"].setValue(10)  # the lab moved on since the good file
    before, settings = _snapshot_arrays(panel), panel.session.settings
    assert not window.open_file(str(bad))
    message = window.banner.text()
    assert window.banner.level == "error" and setting in message and "absurd.unroll" in message
    assert panel.session.settings == settings and settings.hidden_size == 10
    assert panel.controls_panel.widgets["hidden_size"].value() == 10
    for name, array in _snapshot_arrays(panel).items():
        np.testing.assert_array_equal(array, before[name])
