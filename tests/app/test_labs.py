"""The contract every lab in the registry keeps: the window, the command line, export, session files, kernel
warm-up and the soak all iterate ``app.labs.LABS``, so each entry must provide what they use."""

from __future__ import annotations

import numpy as np
import pytest

from app import labs
from app.i18n import tr
from engine import export as engine_export
from engine.session_file import SessionFile, load_session, save_session

NAMES = labs.names()


def test_names_are_unique_and_lookups_name_the_labs():
    assert len(set(NAMES)) == len(NAMES) == len(labs.LABS)
    with pytest.raises(ValueError, match="unknown lab 'nope'; choose one of " + ", ".join(NAMES)):
        labs.lab("nope")


def test_the_window_has_one_tab_per_lab_in_the_registrys_order(qtbot):
    from app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert window.tabs.names() == NAMES
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [tr(e.title) for e in labs.LABS]


def test_the_command_line_offers_every_lab(capsys):
    from app.__main__ import main

    with pytest.raises(SystemExit):
        main(["export", "out.png", "--panel", "nope"])
    err = capsys.readouterr().err
    assert all(name in err for name in NAMES)


@pytest.mark.parametrize("entry", labs.LABS, ids=NAMES)
def test_each_lab_warms_up_its_kernels_by_named_jobs(entry):
    jobs = list(entry.warm_up_jobs())
    assert jobs and all(isinstance(label, str) and callable(job) for label, job in jobs)
    for _, job in jobs:
        job()


@pytest.fixture
def panel(request, qtbot):
    from app.theme import setup_application

    setup_application()
    entry = labs.lab(request.param)
    built = entry.panel_class()()
    qtbot.addWidget(built)
    built.resize(1400, 900)
    built.show()
    yield built
    built.shutdown()


@pytest.mark.parametrize("panel", NAMES, indirect=True)
def test_each_panel_is_its_registry_entry(panel):
    assert panel.entry is labs.lab(panel.lab)
    assert panel.title == tr(panel.entry.title)
    assert panel.file_filter == panel.entry.file_filter
    assert panel.view_names(), "a lab shows at least one view"
    for name in panel.view_names():
        assert panel.show_view(name) is panel.current_view()


@pytest.mark.parametrize("panel", NAMES, indirect=True)
def test_each_lab_exports_its_trace_in_its_format(panel, tmp_path):
    panel.run_demo_steps(2)
    form = panel.entry.trace_writer()
    assert isinstance(form, engine_export.TraceFormat)
    trace = panel.trace()
    engine_export.save_trace(tmp_path / "trace.npz", trace, form)
    engine_export.save_trace(tmp_path / "trace.csv", trace, form)
    with np.load(tmp_path / "trace.npz") as saved:
        assert sorted(saved.files) == sorted(form.arrays(trace))
    header = (tmp_path / "trace.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(form.table(trace)[0])


@pytest.mark.parametrize("panel", NAMES, indirect=True)
def test_each_lab_saves_a_versioned_session_and_reopens_it(panel, tmp_path):
    panel.run_demo_steps(2)
    panel.show_view(panel.view_names()[-1])
    saved = panel.save_session()
    assert saved.lab == panel.lab and saved.state["version"] == panel.state_version
    save_session(tmp_path / "lab.unroll", saved)
    panel.show_view(panel.view_names()[0])
    panel.restore_session(load_session(tmp_path / "lab.unroll"))
    assert panel.views.names()[panel.views.currentIndex()] == panel.view_names()[-1]


@pytest.mark.parametrize("panel", NAMES, indirect=True)
def test_a_session_from_a_newer_unroll_is_refused_and_changes_nothing(panel):
    saved = panel.save_session()
    newer = SessionFile(panel.lab, {**saved.state, "version": panel.state_version + 1}, saved.arrays)
    before = panel.save_session()
    with pytest.raises(ValueError, match="state version"):
        panel.restore_session(newer)
    after = panel.save_session()
    assert after.state == before.state
    assert after.arrays.keys() == before.arrays.keys()
    assert all(np.array_equal(after.arrays[k], before.arrays[k], equal_nan=True) for k in before.arrays)


@pytest.mark.parametrize("panel", NAMES, indirect=True)
def test_each_lab_starts_and_stops_its_work(panel, qtbot):
    panel.start_work()
    qtbot.wait(50)
    panel.stop_work()
    panel.shutdown()


@pytest.mark.parametrize("panel", NAMES, indirect=True)
def test_each_lab_reads_its_playhead_through_one_timeline(panel, qtbot):
    panel.run_demo_steps(2)
    assert sum(phase.steps for phase in panel.timeline.phases) == panel.playhead.length
    last = panel.playhead.length - 1
    with qtbot.waitSignal(panel.timeline.moved) as moved:
        panel.playhead.seek(last if panel.playhead.position != last else 0)
    assert tuple(moved.args) == panel.timeline.moment()
