"""`unroll FILE` starts the app on that file: a session comes back, a bad file is explained in the window."""

import app.__main__ as entry
from engine.session_file import load_session


def test_a_file_argument_launches_the_app_on_it(monkeypatch):
    opened = []
    monkeypatch.setattr(entry, "check_environment", lambda headless: None)
    monkeypatch.setattr(entry, "launch", lambda panels=None, open_path=None: opened.append(open_path) or 0)
    assert entry.main(["lesson.unroll"]) == 0
    assert opened == ["lesson.unroll"]
    assert entry.main(["a.unroll", "b.unroll"]) == 2  # one file at a time


def test_the_window_opens_on_the_session_given(qtbot, window, tmp_path):
    from app.startup import StartupWindow

    window.panels["recurrent"].session.train_steps(4)
    path = tmp_path / "课.unroll"
    assert window.save_session_to(str(path))
    start = StartupWindow(["recurrent"], open_path=str(path))
    qtbot.addWidget(start)
    qtbot.waitUntil(lambda: start.main_window is not None, timeout=120000)
    opened = start.main_window
    qtbot.addWidget(opened)
    assert opened.panels["recurrent"].session.trainer.steps == 4
    assert opened.session_paths["recurrent"] == str(path)
    assert load_session(path).lab == "recurrent"
    start.later.wait()
    opened.close()  # a clean exit: its autosave folder goes
    assert not opened.autosaver.folder.exists()
