"""The language lab: bad input refused by name with the lab unchanged, training deterministic under a seed,
writing and the beam tree following the playhead, sessions saved and reopened exactly."""

from dataclasses import replace

import numpy as np
import pytest

from app.sessions.language import LanguageSettings, WritingSettings
from engine import checks
from engine.session_file import load_session, save_session

SMALL = LanguageSettings(hidden_size=16, embedding_dim=8, seq_length=20, batch_size=8, eval_every=2, sample_every=3)


@pytest.fixture
def panel(qtbot):
    from app.panels.language import Panel
    from app.theme import setup_application

    setup_application()
    built = Panel(settings=SMALL)
    qtbot.addWidget(built)
    built.resize(1400, 900)
    yield built
    built.shutdown()


def snapshot(panel):
    s = panel.session
    return s.corpus, s.trainer, s.frame, panel.writing


def unchanged(panel, before):
    return all(a is b for a, b in zip(snapshot(panel), before, strict=True))


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "empty"),
        (bytes(range(256)) * 4, "not UTF-8"),
        (b"\xff\xfe\xfa" + "好".encode() * 40, "not UTF-8"),
        (b"\x00\x01\x02\x03binary\x00" * 20, "binary"),
        (b"a" * 500, "one character"),
    ],
    ids=["empty", "binary bytes", "invalid UTF-8", "control characters", "one repeated character"],
)
def test_a_file_unfit_for_a_language_model_is_refused_by_name_and_changes_nothing(panel, tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = snapshot(panel)
    with pytest.raises(ValueError, match=problem):
        panel.open_file(str(path))
    assert unchanged(panel, before)


def test_a_text_beyond_the_memory_cap_is_refused_and_changes_nothing(panel, tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("a long text. " * 2000, encoding="utf-8")
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 100_000)
    before = snapshot(panel)
    with pytest.raises(ValueError, match="memory cap"):
        panel.open_file(str(path))
    assert unchanged(panel, before)


def test_a_prompt_with_characters_the_vocabulary_lacks_is_named_and_the_writing_kept(panel, qtbot):
    before = snapshot(panel)
    messages = []
    panel.message.connect(lambda level, text: messages.append((level, text)))
    panel.writing_box.prompt.setText("The 猫 ate ζ")
    panel.writing_box.write.click()
    assert messages and messages[-1][0] == "error" and "'猫'" in messages[-1][1] and "'ζ'" in messages[-1][1]
    assert unchanged(panel, before)


def test_a_chinese_file_opens_with_its_characters_and_writing_starts_from_one_of_them(panel, tmp_path):
    text = "老师说：“读一个字，再读下一个字。”学生慢慢地听着那条河。\n" * 30
    path = tmp_path / "课文.txt"
    path.write_text(text, encoding="utf-8")
    panel.open_file(str(path))
    assert len(panel.session.corpus.vocab) == len(set(text))
    assert panel.session.settings.text == "file"
    assert set(panel.writing_box.prompt.text()) <= set(text)
    panel.run_demo_steps(2)
    assert set(panel.session.corpus.vocab.decode(panel.writing.ids)) <= set(text)


def test_training_under_a_seed_is_the_same_every_time(qtbot):
    from app.sessions.language import LanguageSession

    runs = []
    for _ in range(2):
        session = LanguageSession(SMALL)
        session.train_steps(6)
        runs.append(session.frame)
    a, b = runs
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert a.samples == b.samples and len(a.samples) == 2
    np.testing.assert_array_equal(a.history["held_out_perplexity"], b.history["held_out_perplexity"])
    assert np.isfinite(a.history["held_out_perplexity"][[0, 1, 3, 5]]).all()


def test_writing_and_the_beam_tree_follow_the_playhead(panel):
    panel._write(WritingSettings(prompt="The ", strategy="beam", width=3, steps=12))
    assert panel.playhead.length == 12
    panel.show_view("write")
    panel.playhead.seek(4)
    assert panel.writing_view.t == 4
    assert panel.beam_view.tree_layout is None  # the tree is drawn only while on show
    panel.show_view("beam")
    assert set(panel.beam_view.tree_layout.step.tolist()) == set(range(5))
    panel.playhead.seek(11)
    assert panel.beam_view.tree_layout.step.max() == 11
    assert len(panel.beam_view.marked) >= 1  # greedy search's path is marked


def test_the_text_view_says_what_the_model_expected_next(panel):
    panel.show_view("text")
    tip = panel.text_view._tooltip(3)
    r, chars = panel.session.frame.reading, panel.session.frame.chars
    assert "bits" in tip or "比特" in tip
    from app.views.language.characters import shown

    assert shown(chars[r.top_ids[3][0]]) in tip.splitlines()[1]
    panel.text_view.mode.setCurrentIndex(1)  # a hidden unit's value instead
    assert not panel.text_view.unit.isHidden() and "layer" in panel.text_view.legend.text()


def test_a_session_reopens_exactly_and_training_goes_on_as_it_would_have(panel, tmp_path, qtbot):
    from app.panels.language import Panel

    panel.run_demo_steps(5)
    panel._write(replace(panel.writing_settings, strategy="greedy", steps=30))
    save_session(tmp_path / "lm.unroll", panel.save_session())
    again = Panel(settings=replace(SMALL, hidden_size=9))
    qtbot.addWidget(again)
    again.restore_session(load_session(tmp_path / "lm.unroll"))
    assert again.session.settings == panel.session.settings and again.writing_settings.strategy == "greedy"
    np.testing.assert_array_equal(again.writing.ids, panel.writing.ids)
    panel.session.train_steps(3)
    again.session.train_steps(3)
    for k, v in panel.session.trainer.params.items():
        np.testing.assert_array_equal(v, again.session.trainer.params[k])
    assert again.session.samples == panel.session.samples
    again.shutdown()


def test_a_damaged_session_is_refused_and_changes_nothing(panel):
    saved = panel.save_session()
    before = snapshot(panel)
    arrays = dict(saved.arrays)
    arrays["text/codepoints"] = np.array([0x110000, 65], np.uint32)
    bad = type(saved)(saved.lab, saved.state, arrays)
    with pytest.raises(ValueError, match="code points"):
        panel.restore_session(bad)
    arrays = dict(saved.arrays)
    arrays["history/loss"] = np.zeros(3)
    with pytest.raises(ValueError, match="history"):
        panel.restore_session(type(saved)(saved.lab, saved.state, arrays))
    assert unchanged(panel, before)


def test_the_recurrent_labs_views_show_the_network_reading_a_chosen_stretch(panel):
    from app.sessions.language import STRETCH

    panel.show_view("network")
    view = panel.network_view
    snap = view.snapshot
    assert len(snap.labels) == STRETCH and snap.inspection.trace.output.shape[0] == STRETCH
    assert panel.network_view.playhead.length == 2 * STRETCH  # the forward sweep, then the backward one
    text = panel.session.corpus.vocab.decode(panel.session.shown)
    view.start.setValue(7)
    assert "".join(view.snapshot.labels) == text[7 : 7 + STRETCH]
    assert np.isfinite(view.snapshot.inspection.loss.loss)  # predicting each next character of the stretch


def test_with_a_large_vocabulary_the_network_is_read_in_a_worker(panel, qtbot, monkeypatch):
    """From NETWORK_IN_BACKGROUND_FROM characters the stretch is computed off the GUI thread; requests that come
    while it runs are not lost: the newest one runs next."""
    from app.panels import language
    from app.sessions.language import STRETCH

    monkeypatch.setattr(language, "NETWORK_IN_BACKGROUND_FROM", 0)
    view = panel.network_view
    view.snapshot = None
    panel.show_view("network")
    assert view.snapshot is None and panel._network_busy  # not computed here and now
    view.start.setValue(5)
    view.start.setValue(9)
    text = panel.session.corpus.vocab.decode(panel.session.shown)
    qtbot.waitUntil(lambda: view.snapshot is not None and "".join(view.snapshot.labels) == text[9 : 9 + STRETCH])
    qtbot.waitUntil(lambda: not panel._network_busy)
    view.start.setValue(3)  # a pass in the worker, and then a small model's stretch drawn at once: the pass still
    assert panel._network_busy  # running must not come after it
    monkeypatch.setattr(language, "NETWORK_IN_BACKGROUND_FROM", 10**9)
    view.start.setValue(12)
    assert "".join(view.snapshot.labels) == text[12 : 12 + STRETCH]
    qtbot.wait(300)
    assert "".join(view.snapshot.labels) == text[12 : 12 + STRETCH]


def test_pause_does_not_wait_for_the_step_and_the_writing_arrives_from_a_worker(panel, qtbot):
    """Pause asks the worker to stop after its step and returns; the button waits, disabled, until the worker
    has stopped; then what the paused model writes is computed in the background and shown. The worker's step is
    held until after the click, so a click that waited for it could not return."""
    import threading
    import time

    panel.training_box.train.click()
    qtbot.waitUntil(lambda: panel.session.trainer.steps >= 2, timeout=20_000)
    in_step, release = threading.Event(), threading.Event()
    step = panel.session.train_once

    def held_step():
        in_step.set()
        release.wait(30)
        return step()

    panel.session.train_once = held_step
    assert in_step.wait(20)
    before = panel.writing
    clicked = time.perf_counter()
    panel.training_box.train.click()
    assert time.perf_counter() - clicked < 5  # the step is held for up to 30 s
    assert panel.session.training and not panel.training_box.train.isEnabled()  # the worker is still in its step
    release.set()
    qtbot.waitUntil(lambda: not panel.session.training and panel.training_box.train.isEnabled(), timeout=20_000)
    del panel.session.train_once
    qtbot.waitUntil(lambda: panel.writing is not before and not panel.writing_job.running, timeout=20_000)
    expected = panel.session.write(panel.writing_settings)
    np.testing.assert_array_equal(panel.writing.ids, expected.ids)  # the paused model's, not an older one's
    assert not panel.training_box.train.isChecked()


def test_the_embedding_redraws_at_most_once_a_second_and_then_the_latest_frame(panel, qtbot):
    """Training hands over four frames a second; a vocabulary of 10,000 takes 0.1 s to draw."""
    from dataclasses import replace

    panel.show()
    panel.show_view("embedding")
    view = panel.embedding_view
    frame = panel.session.frame
    view.refresh()
    before = view.vectors.copy()
    vectors = ("embedding.weight", "rnn.weight_ih_l0")  # whichever the model's character vectors are
    doubled = replace(frame, params={k: (2 * v if k in vectors else v) for k, v in frame.params.items()})
    view.set_frame(doubled, frame.counts)
    assert view._due.isActive()
    assert np.array_equal(view.vectors, before)  # still the frame drawn a moment ago
    qtbot.waitUntil(lambda: not view._due.isActive(), timeout=3000)
    assert np.allclose(view.vectors, 2 * before)


def test_the_perplexity_view_draws_both_baselines_across_whole_steps_before_and_during_training(panel, qtbot):
    """Before training, the uniform model's line (the vocabulary size) and the unigram model's span ten steps, so
    that the step axis counts whole steps; then they span the steps trained."""
    view = panel.perplexity_view
    view.set_frame(panel.session.frame)
    view.refresh()
    assert list(view.uniform.xData) == [0.0, 10.0] and list(view.unigram.xData) == [0.0, 10.0]
    assert list(view.uniform.yData) == [len(panel.session.corpus.vocab)] * 2  # the data, not its log on screen
    panel.session.train_steps(12)
    view.set_frame(panel.session.frame)
    view.refresh()
    assert list(view.uniform.xData) == [0.0, 12.0]
