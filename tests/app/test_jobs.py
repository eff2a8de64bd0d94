"""One cancellable job and one training runner serve every lab: their promises, with the GUI thread's event
loop running as in the app."""

from __future__ import annotations

import threading

import pytest

from app.jobs import Cancelled, Job, TrainingRunner


def test_a_job_reports_progress_partial_results_and_its_result(qtbot):
    job = Job()
    progress, partial, done = [], [], []
    job.progressed.connect(lambda d, t: progress.append((d, t)))
    job.partial.connect(partial.append)
    job.done.connect(done.append)

    def work(context):
        for k in range(3):
            context.progress(k, 3)
            context.partial(k * 10)
        return "all"

    with qtbot.waitSignal(job.running_changed, check_params_cb=lambda running: not running):
        job.start(work)
        assert job.running
    assert (progress, partial, done) == ([(0, 3), (1, 3), (2, 3)], [0, 10, 20], ["all"])
    assert not job.running


def test_a_cancelled_job_stops_at_its_next_check_and_its_result_is_dropped(qtbot):
    job = Job()
    release, reached_end = threading.Event(), []
    done, failed = [], []
    job.done.connect(done.append)
    job.failed.connect(failed.append)

    def work(context):
        release.wait(5)
        try:
            context.check()
        except Cancelled:
            reached_end.append("cancelled")
            raise
        return "stale"

    job.start(work)
    job.cancel()
    assert not job.running  # at once, for the buttons
    release.set()
    job.cancel(wait=True)
    qtbot.wait(20)
    assert reached_end == ["cancelled"] and done == [] and failed == []


def test_a_job_that_finishes_after_being_replaced_delivers_nothing(qtbot):
    job = Job()
    done = []
    job.done.connect(done.append)
    release = threading.Event()
    job.start(lambda context: (release.wait(5), "old")[1])  # never checks: finishes anyway
    with qtbot.waitSignal(job.done):
        job.start(lambda context: "new")
    release.set()
    job.cancel(wait=True)
    qtbot.wait(20)
    assert done == ["new"]


def test_a_failing_job_says_why(qtbot):
    job = Job()
    with qtbot.waitSignal(job.failed) as failed:
        job.start(lambda context: 1 / 0)
    assert failed.args == ["ZeroDivisionError: division by zero"]


class Counter:
    """A trainer that counts its steps; ``frame`` hands out copies of the count."""

    def __init__(self, last: int | None = None) -> None:
        self.steps, self.last = 0, last
        self.frame_threads = []

    def step(self) -> bool:
        self.steps += 1
        return self.last is not None and self.steps >= self.last

    def frame(self) -> int:
        self.frame_threads.append(threading.current_thread() is threading.main_thread())
        return self.steps


def test_the_runner_trains_until_stopped_and_shows_where_it_stopped(qtbot):
    runner, counter = TrainingRunner(), Counter()
    frames = []
    runner.framed.connect(frames.append)
    runner.start(counter.step, counter.frame, interval=0.01)
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=5000)
    assert runner.running and runner.steps_per_second > 0
    runner.stop()
    assert not runner.running and runner.steps_per_second == 0
    assert frames[-1] == counter.steps  # the last frame is where training stopped
    assert counter.frame_threads[-1] is True and not all(counter.frame_threads)  # the last on the GUI thread
    stopped_at = counter.steps
    qtbot.wait(50)
    assert counter.steps == stopped_at and frames[-1] == stopped_at  # nothing more, no stale frame


def test_a_run_that_ends_itself_gives_its_last_frame_and_says_it_ended(qtbot):
    runner, counter = TrainingRunner(), Counter(last=5)
    frames = []
    runner.framed.connect(frames.append)
    with qtbot.waitSignal(runner.running_changed, check_params_cb=lambda running: not running):
        runner.start(counter.step, counter.frame, interval=60)
    assert frames == [5] and counter.steps == 5 and not runner.running


def test_a_failing_step_ends_the_run_with_a_message(qtbot):
    runner = TrainingRunner()

    def step():
        raise ValueError("the loss is NaN")

    with qtbot.waitSignal(runner.failed) as failed:
        runner.start(step, lambda: None)
    assert failed.args == ["ValueError: the loss is NaN"]
    qtbot.waitUntil(lambda: not runner.running)


@pytest.mark.parametrize("restarts", [3])
def test_frames_of_a_stopped_run_never_reach_a_restarted_one(qtbot, restarts):
    runner = TrainingRunner()
    seen = []
    runner.framed.connect(seen.append)
    for run in range(restarts):
        runner.start(lambda: None, lambda run=run: run, interval=0)
        qtbot.wait(20)
        runner.stop()
        seen.append("stop")
    runs = [f for f in seen if f != "stop"]
    # every frame after a stop belongs to a later run: the run numbers never go back
    assert runs == sorted(runs) and set(runs) == set(range(restarts))


def test_threads_are_reused_and_let_go_of_what_their_job_held(qtbot):
    import gc
    import weakref

    from PySide6.QtCore import QThread

    job = Job()

    class Payload:
        pass

    payloads = []
    for _ in range(20):
        payload = Payload()
        payloads.append(weakref.ref(payload))
        with qtbot.waitSignal(job.done):
            job.start(lambda context, payload=payload: id(payload))
        del payload
        qtbot.waitUntil(lambda: not job.running)
    gc.collect()
    assert len(job.findChildren(QThread)) == 1
    assert all(ref() is None for ref in payloads)


def test_a_save_never_waits_for_a_worker_that_died_between_steps(qtbot):
    """The worker fails while a save waits for its next step boundary: the run's ``ended`` serves the save."""
    from app.sessions.boundary import StepBoundary

    boundary, runner = StepBoundary(lambda: "state"), TrainingRunner()
    asked, results = threading.Event(), []

    def step():
        asked.wait(5)  # the save is waiting now
        raise RuntimeError("the inspection failed")

    boundary.started()
    runner.start(step, lambda: None, ended=boundary.stopped)
    saver = threading.Thread(target=lambda: results.append(boundary.take()))
    saver.start()
    qtbot.waitUntil(lambda: boundary._request is not None, timeout=5000)
    asked.set()
    saver.join(5)
    assert results == ["state"], "the save waited for a step that never came"
    qtbot.waitUntil(lambda: not runner.running)
