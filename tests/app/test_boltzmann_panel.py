"""The Boltzmann lab as a person uses it: the 4-2-4 demo, learning here and in the worker (pause, cancel), the
playhead over an annealing run, the histogram against the exact distribution, and bad input refused by name with
the lab unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from app.panels.boltzmann import Panel
from app.sessions.boltzmann import BoltzmannSettings
from app.theme import setup_application
from engine import boltzmann
from engine.session_file import load_session, save_session


@pytest.fixture
def panel(qtbot, qapp):
    setup_application()
    lab = Panel()
    qtbot.addWidget(lab)
    lab.resize(1400, 900)
    lab.show()
    messages: list[tuple[str, str]] = []
    lab.message.connect(lambda level, text: messages.append((level, text)))
    lab.messages = messages
    yield lab
    lab.shutdown()


def state_of(lab: Panel) -> tuple:
    s = lab.session
    return s.settings, s.frame.machine.W.copy(), s.frame.cycle, s.trace.states.copy(), s.machine.source


def assert_unchanged(before: tuple, lab: Panel) -> None:
    after = state_of(lab)
    assert before[0] == after[0] and before[2] == after[2] and before[4] == after[4]
    assert np.array_equal(before[1], after[1]) and np.array_equal(before[3], after[3])


def test_opens_on_the_4_2_4_encoder_with_a_run_to_play(panel):
    s = panel.session
    assert panel.view_names() == ["network", "statistics", "learning", "distribution"]
    assert s.machine.bm.n == 10 and s.machine.source == "4-2-4 encoder"
    assert [p.name for p in panel.timeline.phases] == ["anneal", "sample"]
    assert panel.playhead.length == s.trace.n_probes + 1
    assert len(panel.network.pairs) == 28, "12 + 12 inside V1 and V2, 8 + 8 to the hidden units, over 2"


def test_the_demo_learns_four_distinct_codes_and_the_views_say_so(panel):
    panel.run_demo_steps(200)
    s = panel.session
    assert s.frame.history.solved_cycle is not None and s.frame.cycle == s.frame.history.solved_cycle
    codes, unique = boltzmann.hidden_codes(s.frame.machine, s.machine.data, s.machine.visible)
    assert unique.all() and len({tuple(c) for c in codes}) == 4
    assert "codes distinct since cycle" in panel.learning.summary
    assert panel.panel_controls.progress.value() == s.frame.cycle
    assert panel.playhead.position == panel.playhead.length - 1


def test_the_playhead_walks_the_run_probe_by_probe(panel):
    trace = panel.session.trace
    k = trace.anneal_probes + 5
    panel.playhead.seek(k)
    assert panel.timeline.moment() == ("sample", 4)
    drawn = panel.network.units.data
    on = np.array([brush.color().name() == "#1a1a2e" for brush in drawn["brush"]])
    assert (on == trace.states[k].astype(bool)).all()
    assert f"probe {k}: unit {trace.units[k - 1]}" in panel.network.title
    assert panel.run_plots.temperature.cursor.value() == pytest.approx(k / len(trace.free))


def test_the_histogram_counts_the_sampling_probes_against_the_exact_distribution(panel):
    s = panel.session
    panel._edit({"clamp": 0, "sample_time": 2000})
    assert len(s.trace.free) == 2, "the visible units are clamped: the hidden units' 4 states"
    exact = s.exact_free_distribution()
    assert exact.shape == (4,) and exact.sum() == pytest.approx(1.0)
    last = panel.playhead.length - 1
    counts = s.sampled_counts(last)
    assert counts.sum() == s.trace.n_probes - s.trace.anneal_probes
    assert s.sampled_counts(s.trace.anneal_probes).sum() == 0
    panel.playhead.seek(last)
    assert "total variation distance 0.0" in panel.distribution.title, "zero weights: all four states equally likely"


def test_learning_in_the_worker_pauses_and_cancel_goes_back(panel, qtbot):
    s = panel.session
    s.learn_cycles(3)
    before = s.frame.machine.W.copy()
    panel.panel_controls.learn.setChecked(True)
    qtbot.waitUntil(lambda: s.frame.cycle > 5, timeout=10_000)
    panel.panel_controls.learn.setChecked(False)
    assert not s.learning and panel.panel_controls.learn.text() in ("Learn", "Learn 学习")
    assert s.frame.cycle > 5 and panel.panel_controls.cancel.isEnabled()
    panel.panel_controls.cancel.click()
    assert s.frame.cycle == 3 and np.array_equal(s.frame.machine.W, before)
    assert np.array_equal(s.learner.bm.W, before)


def test_the_temperature_slider_reanneals_to_the_new_temperature(panel):
    panel.panel_controls.temperature.setValue(150)
    s = panel.session
    assert s.settings.temperature == 15.0 and s.trace.temperature == 15.0
    assert s.trace.temperatures.min() == 15.0 and s.trace.temperatures.max() == 20.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schedule": "2@10, 2@15"}, "rises from T = 10 to T = 15"),
        ({"schedule": ""}, "schedule is empty"),
        ({"schedule": "2@20, 2@-3"}, "above 0"),
        ({"temperature": 0.0}, "temperature must be from"),
        ({"temperature": -1.0}, "temperature must be from"),
        ({"clamp": 7}, "no training vector 8"),
    ],
)
def test_bad_settings_are_refused_by_name_and_change_nothing(panel, changes, message):
    panel.session.learn_cycles(2)
    before = state_of(panel)
    panel._edit(changes)
    assert panel.messages and panel.messages[-1][0] == "error" and message in panel.messages[-1][1]
    assert_unchanged(before, panel)
    assert panel.panel_controls.schedule.text() == panel.session.settings.schedule, "the form shows the settings"


def _machine_file(path, **arrays) -> str:
    np.savez(path, **arrays)
    return str(path)


@pytest.mark.parametrize(
    ("mask", "message"),
    [
        (np.triu(np.ones((4, 4)), 1), "not symmetric"),
        (np.ones((4, 4)), "joins unit 0 to itself"),
    ],
)
def test_a_bad_machine_file_is_refused_by_name_and_changes_nothing(panel, tmp_path, mask, message):
    before = state_of(panel)
    path = _machine_file(tmp_path / "m.npz", mask=mask, data=np.eye(2), visible=np.array([0, 1]))
    with pytest.raises(ValueError, match=message):
        panel.open_file(path)
    assert_unchanged(before, panel)


def test_a_machine_file_is_opened_and_learns(panel, tmp_path):
    mask = np.ones((5, 5)) - np.eye(5)
    path = _machine_file(tmp_path / "m.npz", mask=mask, data=np.array([[1, 0, 1], [0, 1, 1]]),
                         visible=np.array([0, 1, 2]))  # fmt: skip
    panel.open_file(path)
    s = panel.session
    assert s.machine.source == "m.npz" and s.settings.network == "file" and s.machine.bm.n == 5
    s.learn_cycles(3)
    assert s.frame.cycle == 3 and np.abs(s.frame.machine.W).sum() > 0


def test_exact_values_of_a_machine_too_large_say_so_and_fall_back_to_sampling(panel, tmp_path):
    n = 22
    mask = np.zeros((n, n))
    mask[0, 1:] = mask[1:, 0] = 1
    panel.open_file(_machine_file(tmp_path / "big.npz", mask=mask, data=np.ones((1, 3)), visible=np.arange(3)))
    assert "22 free units" in panel.distribution.problem.textItem.toPlainText()
    panel.session.learn_cycles(1)
    panel.panel_controls.source.setCurrentIndex(panel.panel_controls.source.findData("exact"))
    assert any("22 units" in text and "sampling" in text for _, text in panel.messages)
    assert panel.source == "sampled" and panel.statistics.source.startswith("sampled")


def test_a_saved_session_reopens_with_its_weights_record_and_run(panel, qtbot, tmp_path):
    panel._edit({"temperature": 12.0, "seed": 5})
    panel.session.learn_cycles(7)
    panel.playhead.seek(40)
    save_session(tmp_path / "b.unroll", panel.save_session())
    other = Panel()
    qtbot.addWidget(other)
    try:
        other.restore_session(load_session(tmp_path / "b.unroll"))
        a, b = panel.session, other.session
        assert b.settings == a.settings and b.frame.cycle == 7
        assert np.array_equal(b.frame.machine.W, a.frame.machine.W)
        assert np.array_equal(b.trace.states, a.trace.states), "the run is made again from its seed"
        assert other.playhead.position == 40
        b.learn_cycles(2)
        a.learn_cycles(2)
        assert np.array_equal(b.frame.machine.W, a.frame.machine.W), "learning goes on with the same numbers"
    finally:
        other.shutdown()


def test_a_damaged_session_is_refused_and_changes_nothing(panel):
    saved = panel.save_session()
    before = state_of(panel)
    arrays = dict(saved.arrays)
    arrays["history/weights"] = arrays["history/weights"][:, :3]
    from engine.session_file import SessionFile

    with pytest.raises(ValueError, match="weights must be"):
        panel.restore_session(SessionFile("boltzmann", saved.state, arrays))
    bad = {**saved.state, "settings": {**saved.state["settings"], "temperature": -2.0}}
    with pytest.raises(ValueError, match="temperature"):
        panel.restore_session(SessionFile("boltzmann", bad, saved.arrays))
    assert_unchanged(before, panel)


def test_settings_declare_what_a_file_may_hold():
    assert BoltzmannSettings().schedule == "2@20, 2@15, 2@12, 4@10"


def test_time_unit_pacing_keeps_the_moment_and_steps_by_as_many_probes_as_free_units(panel):
    trace = panel.session.trace
    panel.playhead.seek(trace.anneal_probes + 25)
    panel.panel_controls.by_time_unit.setChecked(True)
    assert panel.frames[panel.playhead.position] == trace.anneal_probes + 20, "the time unit holding probe 25"
    panel.playhead.step_forward()
    assert panel.frames[panel.playhead.position] == trace.anneal_probes + 30
    assert panel.playhead.length == trace.n_probes // 10 + 1
    assert [p.name for p in panel.timeline.phases] == ["anneal", "sample"]
    assert panel.save_session().state["panel"]["by_time_unit"] is True


def test_a_long_run_anneals_in_the_worker_with_progress_and_can_be_cancelled(panel, qtbot):
    s, c = panel.session, panel.panel_controls
    before = s.trace
    panel._edit({"sample_time": 60_000})  # 600,060 probes: over the 200,000 made at once
    assert s.anneal_job.running and s.trace is before, "the run on show stays while the new one is made"
    assert c.cancel_run.isVisibleTo(panel)
    c.cancel_run.click()
    qtbot.waitUntil(lambda: not s.anneal_job.running, timeout=10_000)
    qtbot.wait(50)
    assert s.trace is before and not c.cancel_run.isVisibleTo(panel)
    seen = []
    s.run_progressed.connect(lambda done, total: seen.append((done, total)))
    panel._edit({"seed": 3})
    qtbot.waitUntil(lambda: s.trace is not before, timeout=30_000)
    assert s.trace.n_probes == 600_060 and panel.playhead.length == 600_061
    assert seen and seen[-1] == (600_060, 600_060)
    again = boltzmann.anneal(s.frame.machine, boltzmann.PAPER_SCHEDULE, 10.0, 60_000, {}, 3)
    assert np.array_equal(s.trace.states, again.states), "the worker's run is the engine's"


# ---- lessons: the hooks the lesson player drives ------------------------------------------------------------------


def lesson_step(settings: dict, learn: int, **extra):
    from app.lessons.lesson import Step

    return Step("boltzmann", {"en": "a step", "zh": "一步"}, settings=settings, work={"train": learn}, **extra)


def reach(panel, qtbot, stage, index: int, step) -> None:
    stage.go(index, step)
    qtbot.waitUntil(lambda: not stage.busy, timeout=30_000)


@pytest.fixture
def stage(panel):
    from app.lessons.stage import Stage

    failures: list[str] = []
    stage = Stage(lambda lab: panel, panel)
    stage.failed.connect(failures.append)
    stage.failures = failures
    yield stage
    stage.cancel()


def test_a_lesson_step_learns_from_its_seed_on_the_worker_and_shows_the_run_its_settings_ask(panel, qtbot, stage):
    """The cycles are the engine's from the learning seed (all of them: a lesson's step says how many, whatever
    stop_when_solved says); the run is the engine's on the weights reached; the panel's choices are the step's."""
    panel._edit({"temperature": 3.0, "seed": 9})  # what a user did before: the step must not depend on it
    panel.session.learn_cycles(4)
    settings = {"learn_seed": 17, "clamp": 1, "temperature": 8.0, "seed": 2, "source": "exact", "by_time_unit": True}
    stage.go(0, lesson_step(settings, 12, position=5))
    assert stage.busy and not panel.scroll.isEnabled(), "the cycles run on the lesson's worker, the controls wait"
    qtbot.waitUntil(lambda: not stage.busy, timeout=30_000)
    assert not stage.failures and panel.scroll.isEnabled()
    m, s = panel.session.machine, panel.session
    expected = boltzmann.encoder_network(4, 2)[0]
    history = boltzmann.learn(expected, m.data, m.visible, cycles=12, seed=17, settings=s.learner.settings,
                              stop_when_solved=False)  # fmt: skip
    assert history.solved_cycle is not None and history.solved_cycle < 12, "seed 17 solves early: all 12 still run"
    assert s.frame.cycle == panel.lesson_work_done("train") == 12
    np.testing.assert_array_equal(s.frame.machine.W, expected.W)
    trace = boltzmann.anneal(expected, boltzmann.parse_schedule(s.settings.schedule), 8.0, s.settings.sample_time,
                             s.clamp, 2)  # fmt: skip
    np.testing.assert_array_equal(s.trace.states, trace.states)
    assert s.trace_clamp == s.clamp and len(s.trace.free) == 2
    assert panel.source == "exact" and panel.panel_controls.source.currentData() == "exact"
    assert panel.statistics.source.startswith("exact") and panel.by_time_unit
    assert panel.panel_controls.by_time_unit.isChecked() and panel.playhead.position == 5


def test_a_lesson_step_reached_again_from_the_seed_or_from_an_earlier_step_shows_the_same(panel, qtbot, stage):
    first, later = lesson_step({"learn_seed": 5}, 6, position=30), lesson_step({"learn_seed": 5}, 25)
    reach(panel, qtbot, stage, 1, later)
    W, states = panel.session.frame.machine.W.copy(), panel.session.trace.states.copy()
    stage.forget()
    reach(panel, qtbot, stage, 0, first)
    six = panel.session.frame.machine.W.copy(), panel.session.trace.states.copy()
    reach(panel, qtbot, stage, 1, later)  # 19 cycles on from the kept state of 6
    np.testing.assert_array_equal(panel.session.frame.machine.W, W)
    np.testing.assert_array_equal(panel.session.trace.states, states)
    stage.go(0, first)
    assert not stage.busy, "stepping back is instant: the state was kept"
    assert panel.session.frame.cycle == 6 and panel.playhead.position == 30
    np.testing.assert_array_equal(panel.session.frame.machine.W, six[0])
    np.testing.assert_array_equal(panel.session.trace.states, six[1])
    assert not stage.failures


def test_steps_that_anneal_the_same_weights_another_way_share_their_learning(panel, qtbot, stage):
    reach(panel, qtbot, stage, 0, lesson_step({"learn_seed": 5}, 15))
    W = panel.session.frame.machine.W.copy()
    other_run = {"learn_seed": 5, "temperature": 4.0, "clamp": 2, "seed": 8, "sample_time": 50, "source": "exact"}
    stage.go(1, lesson_step(other_run, 15, position=7))
    assert not stage.busy, "no cycle learnt again: only the run is new"
    s = panel.session
    np.testing.assert_array_equal(s.frame.machine.W, W)
    assert (s.settings.temperature, s.settings.clamp, s.trace.temperature, s.trace_clamp) == (4.0, 2, 4.0, s.clamp)
    assert panel.source == "exact" and panel.panel_controls.clamp.currentData() == 2
    assert panel.playhead.position == 7 and not stage.failures


def test_the_moment_on_show_becomes_a_step_that_reaches_it_again(panel, qtbot, stage):
    from app.lessons.stage import moment

    panel._edit({"learn_seed": 7, "temperature": 12.0, "noisy": False})
    panel.session.learn_cycles(9)
    panel.set_by_time_unit(True)
    panel.show_view("statistics")
    step = moment(panel)
    assert step.work == {"train": 9} and step.settings["learn_seed"] == 7 and step.settings["by_time_unit"]
    W = panel.session.frame.machine.W.copy()
    panel.session.reset_weights()
    reach(panel, qtbot, stage, 0, step)
    np.testing.assert_array_equal(panel.session.frame.machine.W, W)
    assert panel.current_view() is panel.statistics and not stage.failures


@pytest.mark.parametrize(
    ("settings", "problem"),
    [({"network": "file"}, "one of the encoders"), ({"sample_time": 100_000}, "made at once")],
)
def test_a_lesson_step_the_lab_cannot_show_at_once_is_refused_and_changes_nothing(panel, stage, settings, problem):
    panel.session.learn_cycles(2)
    before = state_of(panel)
    stage.go(0, lesson_step(settings, 0))
    assert stage.failures and problem in stage.failures[-1]
    assert_unchanged(before, panel)


def test_a_shorter_run_with_the_playhead_at_the_end_of_a_longer_one_draws_its_own_histogram(panel):
    """Clamping at the end of a free run once drew the new run's counts against the old run's states."""
    panel._edit({"sample_time": 400})
    panel.playhead.seek(panel.playhead.length - 1)
    panel._edit({"clamp": 0})
    assert len(panel.distribution.exact) == 4
    panel.playhead.seek(panel.playhead.length - 1)
    assert len(panel.distribution.dots.data) == 4


def test_a_frequency_above_the_p_axis_is_pinned_at_its_top_as_a_triangle(panel):
    view = panel.distribution
    view.set_exact(np.array([0.5, 0.3, 0.1, 0.1]), 2, None)
    view.set_counts(np.array([90, 10, 0, 0]), 10.0)  # 0.9 of the samples in state 0: above 1.15 × 0.5
    dots = view.dots.data
    assert list(dots["symbol"]) == ["t1", "o", "o", "o"]
    assert dots["y"][0] <= view.top and dots["y"][1] == pytest.approx(0.1)
    top = view.getPlotItem().getViewBox().viewRange()[1][1]
    assert dots["y"][0] < top < 0.9, "the axis held still, the triangle inside it"


def test_an_untrained_machine_shows_its_connections_in_grey(panel):
    x, _ = panel.network.edges[0, 0].getData()
    assert len(x) == 2 * len(panel.network.pairs), "every joined pair, weight 0"
    panel.session.learn_cycles(3)
    drawn = sum(len(curve.getData()[0]) for curve in panel.network.edges.values())
    assert drawn == 2 * len(panel.network.pairs)


def test_the_encoder_lesson_reaches_four_distinct_codes_where_it_says_so(panel, qtbot, stage):
    """Lesson 12's step on the Learning view shows the four codes distinct (its text and ring say so)."""
    from app.lessons.lesson import builtin_path, load_lesson

    lesson = load_lesson(builtin_path("12"), {"boltzmann": Panel})
    k = next(k for k, step in enumerate(lesson.steps) if step.view == "learning")
    reach(panel, qtbot, stage, k, lesson.steps[k])
    s = panel.session
    codes, unique = boltzmann.hidden_codes(s.frame.machine, s.machine.data, s.machine.visible)
    assert boltzmann.codes_distinct(codes, unique) and s.frame.history.solved_cycle is not None
