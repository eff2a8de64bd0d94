"""Snapshots cost what they show: histories grow in place and are handed out as views, the trainer's checkpoint
is taken only when a save asks for it, and then at a step boundary of the running worker."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from app.sessions.boundary import StepBoundary
from app.sessions.recurrent import RecurrentSession, RecurrentSettings
from engine.columns import INITIAL_CAPACITY, Columns
from engine.recurrent.training import Trainer


def test_columns_grow_in_place_and_hand_out_views_that_later_rows_leave_alone():
    columns = Columns(("a",))
    early = None
    buffers = {}  # id -> the buffer itself, kept alive so that no id is reused
    for k in range(10 * INITIAL_CAPACITY):
        columns.append({"a": k, **({"b": -k} if k >= 5 else {})})
        base = columns.views()["a"].base
        buffers[id(base)] = base
        if k == 9:
            early = columns.views()
    views = columns.views()
    np.testing.assert_array_equal(views["a"], np.arange(10 * INITIAL_CAPACITY))
    assert np.isnan(views["b"][:5]).all() and views["b"][5] == -5  # a late column starts with NaN
    np.testing.assert_array_equal(early["a"], np.arange(10))  # appends and regrowth left the early view alone
    np.testing.assert_array_equal(early["b"][5:], -np.arange(5, 10))
    assert not early["a"].flags.writeable
    assert len(buffers) <= 5  # capacity doubles: 256, 512, 1024, 2048, 4096 rows; never one buffer per append
    with pytest.raises(ValueError, match="read-only"):
        views["a"][0] = 1.0


def test_new_columns_keep_the_order_they_came_in():
    columns = Columns(("step",))
    names = [f"param:{name}" for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "head.weight")]
    columns.append({"step": 1, **{name: 1.0 for name in names}})
    assert columns.names == ["step", *names]  # the views colour and list series in this order


def test_columns_from_arrays_copy_and_go_on_growing():
    source = {"x": np.arange(300.0), "y": np.ones(300)}
    columns = Columns.from_arrays(source)
    columns.append({"x": 300.0, "y": 2.0})
    source["x"][0] = -1.0
    assert len(columns) == 301 and columns.column("x")[0] == 0.0 and columns.column("y")[-1] == 2.0


def test_step_boundary_hands_over_state_of_one_step_while_the_worker_goes_on():
    state = {"a": 0, "b": 0}  # a step changes both; only between steps are they equal
    readers = []

    def read():
        readers.append(threading.current_thread())
        return dict(state)

    boundary = StepBoundary(read)
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            state["a"] += 1
            time.sleep(0.002)
            state["b"] += 1
            boundary.passed(last=state["a"] == 200)
            if state["a"] == 200:
                return

    boundary.started()
    thread = threading.Thread(target=worker)
    thread.start()
    taken = [boundary.take() for _ in range(5)]
    assert all(s["a"] == s["b"] > 0 for s in taken)
    assert readers == [thread] * 5  # read by the worker, never beside it
    thread.join()
    after = boundary.take()  # the worker took its last step: read here, without waiting for a step
    assert after == {"a": 200, "b": 200} and readers[-1] is threading.current_thread()


def test_training_snapshots_copy_no_checkpoint_until_a_save_asks(qtbot, monkeypatch):
    taken = []
    checkpoint = Trainer.checkpoint
    monkeypatch.setattr(Trainer, "checkpoint", lambda self: taken.append(threading.current_thread()) or
                        checkpoint(self))  # fmt: skip
    session = RecurrentSession(RecurrentSettings(hidden_size=8, length=10))
    snapshots = []
    session.snapshot_changed.connect(snapshots.append)
    session.start_training()
    try:
        qtbot.waitUntil(lambda: len(snapshots) >= 3 and snapshots[-1].training_step > 5, timeout=20000)
        assert taken == []
        state, arrays = session.save_state()
        assert len(taken) == 1 and taken[0] is not threading.current_thread()  # by the worker, between steps
        assert session.training
        steps = state["trainer"]["steps"]
        assert len(arrays["history/loss"]) == steps == state["trainer"]["optimizer"]["t"]
    finally:
        session.stop_training()
    # the history each snapshot holds is a view of the session's own columns, not a copy
    last = session.snapshot.history["loss"]
    assert np.shares_memory(last, session.history.arrays()["loss"]) and not last.flags.writeable


def test_stopping_shows_the_step_training_stopped_at(qtbot):
    session = RecurrentSession(RecurrentSettings(hidden_size=8, length=10))
    session.start_training()
    qtbot.waitUntil(lambda: session.snapshot.training_step > 3, timeout=20000)
    session.stop_training()
    snap = session.snapshot
    assert not session.training
    assert snap.training_step == snap.inspected_at == session.trainer.steps == len(snap.history["loss"])
