"""The timeline every view of a lab reads: playhead positions as (phase, step), and a selection kept within the
lab's extent; views fed a snapshot and a timeline draw without any session."""

import numpy as np
import pytest

from app.playhead import Playhead
from app.sessions.recurrent import RecurrentSession, RecurrentSettings
from app.timeline import Phase, Timeline
from app.views.recurrent.states import StateView


def sweeps(T: int) -> Timeline:
    timeline = Timeline(Playhead())
    timeline.set_phases(Phase("forward", T), Phase("backward", T, reverse=True))
    return timeline


def test_positions_are_the_forward_sweep_then_the_backward_sweep_in_reverse(qapp):
    timeline = sweeps(5)
    assert timeline.playhead.length == 10
    moments = [timeline.moment(p) for p in range(10)]
    assert moments == [("forward", t) for t in range(5)] + [("backward", t) for t in range(4, -1, -1)]
    assert all(timeline.position(*m) == p for p, m in enumerate(moments))


def test_a_lab_without_phases_has_one_as_long_as_its_playhead(qapp):
    playhead = Playhead(length=7)
    timeline = Timeline(playhead)
    assert [timeline.moment(p) for p in (0, 6)] == [("", 0), ("", 6)]
    with pytest.raises(ValueError, match="no phase 'forward'"):
        timeline.position("forward", 0)


def test_moves_and_seeks_say_where_in_which_phase(qapp):
    timeline = sweeps(4)
    moved = []
    timeline.moved.connect(lambda phase, t: moved.append((phase, t)))
    timeline.seek("backward", 1)
    assert timeline.playhead.position == 6 and moved == [("backward", 1)]
    timeline.seek_step(3)  # in the phase it is in
    assert moved[-1] == ("backward", 3)
    timeline.playhead.seek(2)
    assert moved[-1] == ("forward", 2)
    timeline.set_phases(Phase("forward", 2), Phase("backward", 2, reverse=True))  # a shorter sequence
    assert timeline.playhead.position == 2 and timeline.moment() == ("backward", 1)


def test_the_selection_stays_within_the_extent(qapp):
    timeline = sweeps(3)
    timeline.set_extent(layers=2, units=8)
    selected = []
    timeline.selection_changed.connect(lambda layer, unit: selected.append((layer, unit)))
    timeline.select(1, 7)
    timeline.select(unit=3)
    timeline.select(5, 99)
    assert selected == [(1, 7), (1, 3), (1, 7)]
    timeline.set_extent(layers=1, units=4)  # a smaller network: the selection moves inside
    assert (timeline.layer, timeline.unit) == (0, 3) and selected[-1] == (0, 3)
    timeline.select(0, 3)
    assert len(selected) == 4  # no change, no signal


def test_a_view_draws_what_it_is_fed_and_follows_the_timeline(qtbot):
    session = RecurrentSession(RecurrentSettings(hidden_size=6))
    timeline = sweeps(session.steps)
    timeline.set_extent(1, 6)
    view = StateView(timeline)
    qtbot.addWidget(view)
    view.show()
    view.set_snapshot(session.snapshot)
    hidden = session.snapshot.inspection.trace.layers[0].hidden
    np.testing.assert_allclose(view.h_curve.yData, hidden[:, 0, 0])
    timeline.select(unit=4)
    np.testing.assert_allclose(view.h_curve.yData, hidden[:, 0, 4])
    timeline.seek("backward", 2)
    assert view.cursor.value() == 2
    session.train_steps(2)  # the session moves on; the view shows only what it is fed
    assert view.snapshot is not session.snapshot
    view.set_snapshot(session.snapshot)
    np.testing.assert_allclose(view.h_curve.yData, session.snapshot.inspection.trace.layers[0].hidden[:, 0, 4])
