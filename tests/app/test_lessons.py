"""Lessons: the file format (and what a damaged or foreign file gets), reaching a step's exact state again,
instant steps back, the keys, the editor and the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPixmap

from app import labs
from app.lessons.lesson import (
    FORMAT,
    builtin_names,
    builtin_path,
    in_language,
    lesson_from_json,
    load_lesson,
)


def panel_classes() -> dict[str, type]:
    return {entry.name: entry.panel_class() for entry in labs.LABS}


def recurrent_step(text: str = "one", **extra) -> dict:
    settings = {"cell": "gru", "hidden_size": 6, "task": "adding", "length": 6, "batch_size": 8}
    return {"lab": "recurrent", "view": "states", "settings": settings, "text": {"en": text, "zh": "一"}, **extra}


def lesson_data(*steps: dict) -> dict:
    return {"format": FORMAT, "version": 1, "title": {"en": "A test", "zh": "测试"}, "steps": list(steps)}


def write(tmp_path, data, name: str = "lesson.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def wait_reached(qtbot, player) -> None:
    qtbot.waitUntil(lambda: not player.stage.busy, timeout=60_000)


# ---------------------------------------------------------------------------------------------- the built-in lessons


def test_at_least_eight_built_in_lessons_of_four_steps_or_more_in_both_languages():
    names = builtin_names()
    assert len(names) >= 8
    classes = panel_classes()
    for name in names:
        lesson = load_lesson(builtin_path(name), classes)  # settings and work checked against the labs
        assert len(lesson.steps) >= 4, name
        assert lesson.title["en"] and lesson.title["zh"], name
        for k, step in enumerate(lesson.steps):
            assert step.text["en"] and step.text["zh"], f"{name} step {k + 1}"
            if step.pointer and "text" in step.pointer:
                assert step.pointer["text"]["en"] and step.pointer["text"]["zh"], f"{name} step {k + 1}"


def test_a_built_in_lesson_is_found_by_its_number_and_a_wrong_name_lists_them():
    assert builtin_path("1").name.startswith("01-")
    with pytest.raises(ValueError, match="choose one of 01-"):
        builtin_path("no-such-lesson")


def test_texts_follow_the_language():
    text = {"en": "forget gate", "zh": "遗忘门"}
    assert in_language(text, "en") == "forget gate"
    assert in_language(text, "zh") == "遗忘门"
    assert in_language(text, "both") == "forget gate\n遗忘门"
    assert in_language({"en": "only English", "zh": ""}, "zh") == "only English"


# ------------------------------------------------------------------------------------- damaged and foreign files

BAD = [
    ("{not json", "not JSON"),
    (b"\xff\xfe\x00garbage", "not text"),
    ({"format": "something-else", "steps": []}, "not an Unroll lesson"),
    ([1, 2, 3], "not an Unroll lesson"),
    ({**lesson_data(recurrent_step()), "version": 7}, "version 7"),
    (lesson_data(), "1 to 200 steps"),
    (lesson_data({**recurrent_step(), "lab": "quantum"}), "lab this Unroll does not have"),
    (lesson_data(recurrent_step(settings={"hidden_size": 10**9})), "hidden_size"),
    (lesson_data(recurrent_step(settings={"colour": "red"})), "unknown step 1's settings: colour"),
    (lesson_data(recurrent_step(work={"dream": 3})), "work it does not do"),
    (lesson_data(recurrent_step(work={"train": -1})), "whole number from 0"),
    (lesson_data({**recurrent_step(), "text": {"en": ""}}), "no text"),
    (lesson_data(recurrent_step(pointer={"shape": "ring", "at": [0.5, 0.5, 0.9, 0.1]})), "fractions of the view"),
    (lesson_data(recurrent_step(pointer={"shape": "star", "at": [0, 0, 1, 1]})), "shape must be one of"),
    (lesson_data({**recurrent_step(), "surprise": 1}), "unknown entry 'surprise'"),
    (lesson_data(recurrent_step(pointer={"plot": "loss", "at": [0, 0, 1, 1]})), "not both"),
    (lesson_data(recurrent_step(pointer={"plot": "loss", "data": [0, 1, "x", 2]})), "plot's coordinates"),
]


@pytest.mark.parametrize("data, problem", BAD)
def test_a_damaged_or_foreign_lesson_file_is_refused_naming_the_problem(tmp_path, data, problem):
    path = tmp_path / "bad.json"
    text = data if isinstance(data, (bytes, str)) else json.dumps(data)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ValueError, match=problem):
        load_lesson(path, panel_classes())


def test_an_empty_file_or_a_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="empty"):
        load_lesson(write(tmp_path, ""))
    with pytest.raises(ValueError, match="not a file"):
        load_lesson(tmp_path)


def test_opening_a_bad_lesson_says_why_and_changes_nothing(window, qtbot, tmp_path):
    dock = window.lessons
    assert window.open_file(str(write(tmp_path, lesson_data(recurrent_step("first")), "good.json")))
    wait_reached(qtbot, dock.player)
    before = dock.player.lesson
    bad = write(tmp_path, lesson_data(recurrent_step(settings={"task": "chess"})), "bad.json")
    assert not window.open_file(str(bad))
    assert window.banner.level == "error" and "bad.json" in window.banner.text() and "task" in window.banner.text()
    assert dock.player.lesson is before


# ---------------------------------------------------------------------------------------------- reaching a step


def hidden_states(window) -> np.ndarray:
    return window.panels["recurrent"].session.snapshot.inspection.trace.layers[0].hidden.copy()


def panel_controls_usable(window) -> bool:
    return window.panels["recurrent"].scroll.isEnabled()


def test_a_step_reaches_the_same_state_twice_and_from_a_kept_earlier_step(window, qtbot, tmp_path):
    """Trained in the background from the seed: the same numbers whether reached afresh or from the state of an
    earlier step with less training."""
    data = lesson_data(recurrent_step("start", work={"train": 12}), recurrent_step("later", work={"train": 30}))
    player = window.lessons.player
    window.lessons.open_path(str(write(tmp_path, data)))
    wait_reached(qtbot, player)
    player.next()
    assert player.stage.busy  # 18 more steps from the kept state of step 1
    assert player.progress.isVisibleTo(player) and not panel_controls_usable(window)
    wait_reached(qtbot, player)
    panel = window.panels["recurrent"]
    assert panel.session.trainer.steps == 30
    via_step_one = hidden_states(window)
    player.stage.forget()
    player.go(0)
    wait_reached(qtbot, player)
    player.stage.forget()
    player.go(1)  # from the seed: 30 steps at once
    wait_reached(qtbot, player)
    np.testing.assert_array_equal(hidden_states(window), via_step_one)
    assert panel.current_view().objectName() == "states"


def test_stepping_back_is_instant_and_restores_the_kept_state(window, qtbot, tmp_path):
    data = lesson_data(recurrent_step("start", work={"train": 5}, position=2),
                       recurrent_step("later", work={"train": 25}, select=[0, 3]))  # fmt: skip
    player = window.lessons.player
    window.lessons.open_path(str(write(tmp_path, data)))
    wait_reached(qtbot, player)
    first = hidden_states(window)
    qtbot.keyClick(window, Qt.Key_PageDown)
    wait_reached(qtbot, player)
    panel = window.panels["recurrent"]
    assert (player.index, panel.timeline.unit) == (1, 3)
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert not player.stage.busy and player.index == 0  # no work: the state was kept
    np.testing.assert_array_equal(hidden_states(window), first)
    assert panel.session.trainer.steps == 5 and panel.playhead.position == 2


def test_b_blanks_the_screen_and_b_or_escape_bring_it_back_while_space_still_plays(window, qtbot):
    blank = window.lessons.blank
    qtbot.keyClick(window, Qt.Key_B)
    assert blank.isVisible()
    qtbot.keyClick(window, Qt.Key_B)
    assert not blank.isVisible()
    qtbot.keyClick(window, Qt.Key_B)
    qtbot.keyClick(window, Qt.Key_Escape)
    assert not blank.isVisible()
    panel = window.panels["recurrent"]
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key_Space)
    assert panel.playhead.playing
    panel.playhead.pause()
    window.lessons.new_lesson()
    window.lessons.player.editor.add_moment()
    box = window.lessons.player.editor.text_en
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_B)
    assert not blank.isVisible() and "b" in box.toPlainText()  # a teacher typing a B is not blanking


def test_a_step_in_a_lab_the_window_lacks_is_said(window, qtbot, tmp_path):
    data = lesson_data({"lab": "hopfield", "text": {"en": "energy", "zh": "能量"}})
    window.lessons.open_path(str(write(tmp_path, data)))
    assert window.banner.level == "error" and "hopfield" in window.banner.text()


def test_a_pointer_rings_its_region_of_the_view(window, qtbot, tmp_path):
    step = recurrent_step(pointer={"shape": "ring", "at": [0.1, 0.2, 0.3, 0.4], "text": {"en": "here", "zh": "这里"}})
    window.lessons.open_path(str(write(tmp_path, lesson_data(step))))
    pointer = window.lessons.player._pointers["recurrent"]
    assert pointer.isVisible()
    page = window.panels["recurrent"].current_view()
    target = pointer.target()
    assert target.width() == pytest.approx(0.3 * page.width()) and target.height() == pytest.approx(0.4 * page.height())
    window.panels["recurrent"].show_view("gates")
    assert not pointer.isVisible()  # it belongs to the step's view


def test_a_pointer_finds_its_plot_by_title_and_rings_data_coordinates(window, qtbot, tmp_path):
    row = {"shape": "ring", "plot": "cell state c_t", "data": [-0.5, -0.5, 5.5, 0.5]}
    steps = [recurrent_step(settings={"cell": "lstm", "hidden_size": 6, "task": "adding", "length": 6}, pointer=row),
             recurrent_step(pointer={"shape": "arrow", "plot": "no such plot"})]  # fmt: skip
    window.lessons.open_path(str(write(tmp_path, lesson_data(*steps))))
    qtbot.wait(50)
    pointer = window.lessons.player._pointers["recurrent"]
    ring, whole = pointer.target(), None
    pointer.data = None
    whole = pointer.target()
    assert not ring.isEmpty() and whole.contains(ring)
    assert ring.height() == pytest.approx(whole.height() / 6, rel=0.1)  # one unit's row of six
    assert ring.width() == pytest.approx(whole.width(), rel=0.05)  # the whole sequence
    window.lessons.player.next()
    assert pointer.target().isEmpty()  # nothing to point at: nothing drawn


def test_the_compare_view_takes_the_step_s_settings_without_work_of_its_own(window, qtbot, tmp_path):
    """Lesson 2's first step showed the Compare view's own default (the adding problem at T = 50) beside a text
    about T = 100: the view, built on first showing, did not take the step's settings."""
    window.lessons.open_path(str(write(tmp_path, lesson_data(recurrent_step(view="compare")))))
    qtbot.waitUntil(lambda: not window.lessons.player.stage.busy)
    comparison = window.panels["recurrent"].comparison
    assert comparison is not None and comparison.task.length == 6


def test_a_ring_s_words_stay_inside_its_plot_and_off_a_page_s_caption(window, qtbot, tmp_path):
    """Below a ring low in its plot, the words covered the axis' numbers; above a region of a page, the view's
    caption. They go where the plot's data area (or the page, beside the region) has room."""
    low = {"shape": "ring", "plot": "cell state c_t", "data": [-0.5, 4.5, 1.5, 5.5], "text": {"en": "low", "zh": "低"}}
    settings = {"cell": "lstm", "hidden_size": 6, "task": "adding", "length": 6}
    wide = {"shape": "ring", "at": [0.3, 0.1, 0.4, 0.8], "text": {"en": "here", "zh": "这里"}}
    steps = [recurrent_step(settings=settings, pointer=low), recurrent_step(pointer=wide)]
    window.lessons.open_path(str(write(tmp_path, lesson_data(*steps))))
    qtbot.wait(50)
    pointer = window.lessons.player._pointers["recurrent"]
    pixmap = QPixmap(10, 10)
    painter = QPainter(pixmap)  # what the words' size is measured with
    ring = pointer.target().adjusted(-8, -8, 8, 8)
    box = pointer._beside(pointer._label_box(painter, QPointF(), 1), ring)
    area = pointer._plot_target(pointer.tabs.currentWidget(), whole=True)
    assert area.contains(box) and not box.intersects(ring)
    window.lessons.player.next()
    qtbot.wait(50)
    ring = pointer.target().adjusted(-8, -8, 8, 8)
    box = pointer._beside(pointer._label_box(painter, QPointF(), 1), ring)
    painter.end()
    assert box.left() >= ring.right() or box.right() <= ring.left()  # beside it, not above the caption


# ---------------------------------------------------------------------------------------------- the editor


def test_a_teacher_adds_moments_edits_reorders_and_saves_a_lesson_that_opens_again(window, qtbot, tmp_path):
    dock = window.lessons
    dock.new_lesson()
    panel = window.panels["recurrent"]
    panel.session.train_steps(3)
    panel.show_view("gradients")
    panel.playhead.seek(4)
    editor = dock.player.editor
    editor.add_moment()
    panel.show_view("cell")
    editor.add_moment()
    editor.text_en.setPlainText("The cell, step by step.")
    editor.text_zh.setPlainText("单元，一步一步。")
    editor.move_step(-1)
    lesson = dock.player.lesson
    assert [s.view for s in lesson.steps] == ["cell", "gradients"]
    assert lesson.steps[1].work == {"train": 3} and lesson.steps[1].position == 4
    assert lesson.steps[0].text == {"en": "The cell, step by step.", "zh": "单元，一步一步。"}
    path = tmp_path / "mine.json"
    assert editor.save(str(path))
    again = load_lesson(path, panel_classes())
    assert again.to_json() == lesson.to_json()
    assert not editor.save(str(tmp_path / "no-such-folder" / "x.json"))
    assert window.banner.level == "error"


def test_an_empty_lesson_is_not_saved(window, tmp_path):
    window.lessons.new_lesson()
    assert not window.lessons.player.editor.save(str(tmp_path / "empty.json"))
    assert not (tmp_path / "empty.json").exists()


def test_lesson_json_round_trips():
    data = lesson_data(recurrent_step(work={"train": 3}, position={"phase": "backward", "t": 2}, select=[0, 1]))
    assert lesson_from_json(data).to_json() == data


# -------------------------------------------------------------------------------- every lab, every built-in step


@pytest.fixture
def full_window(qtbot):
    from app.main_window import MainWindow
    from app.theme import setup_application

    setup_application()
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    yield w
    w.lessons.player.stage.cancel()
    for panel in w.panels.values():
        panel.shutdown()


def test_the_rbm_and_hopfield_labs_reach_a_step_the_same_way_twice(full_window, qtbot, tmp_path):
    rbm = {"lab": "rbm", "view": "curves", "settings": {"n_hidden": 8, "seed": 3}, "work": {"train": 4},
           "pointer": {"plot": "log p(v)"}, "text": {"en": "samples", "zh": "样本"}}  # fmt: skip
    hop = {"lab": "hopfield", "view": "recall", "settings": {"text": "AB", "start": 1, "noise_percent": 20},
           "position": 5, "text": {"en": "recall", "zh": "回忆"}}  # fmt: skip
    player = full_window.lessons.player
    full_window.lessons.open_path(str(write(tmp_path, lesson_data(rbm, hop))))
    wait_reached(qtbot, player)
    session = full_window.panels["rbm"].session
    first = (session.frame.model.W.copy(), session.frame.gallery.copy(), session.trace.visible.copy())
    assert not player._pointers["rbm"].target().isEmpty()  # the view is itself the plots' widget
    player.go(1)
    hopfield = full_window.panels["hopfield"]
    probe, steps = hopfield.session.probe.copy(), hopfield.session.n_steps
    assert hopfield.playhead.position == 5 and hopfield.session.labels == ["A", "B"]
    player.stage.forget()
    player.go(0)
    wait_reached(qtbot, player)
    again = (session.frame.model.W, session.frame.gallery, session.trace.visible)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    player.stage.forget()
    player.go(1)
    np.testing.assert_array_equal(hopfield.session.probe, probe)
    assert hopfield.session.n_steps == steps


def reach_steps(window, qtbot, name: str, quick: bool = False) -> None:
    """Every step of lesson ``name`` (``quick``: those that need no training), reached and drawn."""
    player, failures = window.lessons.player, []
    player.stage.failed.connect(failures.append)
    window.lessons.open_builtin(name)
    lesson = player.lesson
    steps = [k for k, step in enumerate(lesson.steps) if not (quick and step.work)]
    assert steps, f"{name} has no step without training for the quick run"
    for k in steps:
        player.go(k)
        qtbot.waitUntil(lambda: not player.stage.busy, timeout=900_000)
        step = lesson.steps[k]
        panel = window.panels[step.lab]
        assert not failures, f"{name} step {k + 1}: {failures}"
        assert window.tabs.currentWidget() is panel
        if step.view:
            assert panel.current_view().objectName() == step.view
        for kind, n in step.work.items():
            assert panel.lesson_work_done(kind) == n, f"{name} step {k + 1}"
        picture = window.grab().toImage()
        assert not picture.isNull() and picture.width() > 600


@pytest.mark.parametrize("name", builtin_names())
def test_the_steps_without_training_of_every_built_in_lesson_are_reached(full_window, qtbot, name):
    reach_steps(full_window, qtbot, name, quick=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", builtin_names())
def test_every_step_of_every_built_in_lesson_is_reached_and_rendered(full_window, qtbot, name):
    """With all their training (lesson 2 trains three networks 3,000 steps: minutes)."""
    reach_steps(full_window, qtbot, name)


def test_unroll_lessons_lists_the_built_in_lessons(capsys):
    from app.__main__ import main

    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == len(builtin_names()) and "01-unrolling" in out and "steps" in out


def test_a_lesson_step_renders_headless_to_a_picture(qtbot, tmp_path):
    from app import i18n
    from app.lessons.command import screenshot

    was = i18n.language()
    path = write(tmp_path, lesson_data(recurrent_step("one"), recurrent_step("two", work={"train": 3})))
    try:
        from app.__main__ import main

        out = str(tmp_path / "step.png")
        args = ["screenshot", out, "--lesson", str(path), "--step", "2", "--lang", "zh", "--size", "1280x720"]
        assert main(args) == 0
        assert screenshot(str(tmp_path / "none.png"), str(path), 3, (1280, 720), "en") == 2
    finally:
        i18n.install(was)
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "step.png"))
    assert (image.width(), image.height()) == (1280, 720)
    assert not (tmp_path / "none.png").exists()


def test_the_player_speaks_again_in_a_new_language(window, qtbot, tmp_path):
    """View › Language rebuilds the labs and the menus: the player follows, and puts the step back."""
    from app import i18n

    was = i18n.language()
    data = lesson_data(recurrent_step("In English", work={"train": 3}, select=[0, 2]))
    window.lessons.open_path(str(write(tmp_path, data)))
    wait_reached(qtbot, window.lessons.player)
    try:
        window.set_language("zh")
        player = window.lessons.player
        wait_reached(qtbot, player)
        assert player.counter.text() == "第 1 步，共 1 步" and player.text.text() == "一"
        assert "课程" in window.lessons.menu.title() and "Lessons" not in window.lessons.menu.title()
        panel = window.panels["recurrent"]  # built anew
        assert panel.session.trainer.steps == 3 and panel.timeline.unit == 2
    finally:
        window.set_language(was)


def test_the_labs_controls_step_aside_while_a_lesson_plays_and_come_back_when_asked(window, qtbot, tmp_path):
    scroll = window.panels["recurrent"].scroll
    assert scroll.isVisible()
    window.lessons.open_path(str(write(tmp_path, lesson_data(recurrent_step()))))
    assert not scroll.isVisible()
    window.lessons.player.controls_button.click()
    assert scroll.isVisible()
    window.lessons.player.controls_button.click()
    window.lessons.player.editor.setChecked(True)
    assert scroll.isVisible()
    window.lessons.player.editor.setChecked(False)
    window.lessons.close()
    assert scroll.isVisible()


# ---------------------------------------------------------------------------------------------- the two text labs

SMALL_LANGUAGE = {"hidden_size": 16, "embedding_dim": 8, "batch_size": 4, "seq_length": 20, "eval_every": 5,
                  "sample_every": 5, "writing_length": 20}  # fmt: skip
SMALL_SEQ2SEQ = {"hidden_size": 8, "embedding_dim": 4, "batch": 4, "train_max_len": 4}


def lab_step(lab: str, settings: dict, train: int, view: str) -> dict:
    return {"lab": lab, "view": view, "settings": settings, "work": {"train": train}, "text": {"en": "x", "zh": "x"}}


def test_the_language_lab_reaches_a_step_the_same_way_twice_and_writing_otherwise_needs_no_training(
    full_window, qtbot, tmp_path
):
    steps = [lab_step("language", {**SMALL_LANGUAGE, "temperature": 0.5}, 6, "write"),
             lab_step("language", {**SMALL_LANGUAGE, "strategy": "beam", "width": 3}, 6, "beam"),
             lab_step("language", SMALL_LANGUAGE, 9, "perplexity")]  # fmt: skip
    player, panel = full_window.lessons.player, full_window.show_panel("language")
    full_window.lessons.open_path(str(write(tmp_path, lesson_data(*steps))))
    wait_reached(qtbot, player)
    first = ({k: v.copy() for k, v in panel.session.trainer.params.items()}, panel.writing.ids.copy())
    assert panel.session.trainer.steps == 6 and panel.writing_settings.temperature == 0.5
    assert panel.current_lesson_settings().temperature == 0.5
    player.go(1)
    assert not player.stage.busy  # the same model written another way: the kept state, no training
    assert (panel.writing_settings.strategy, panel.writing_settings.width) == ("beam", 3)
    assert panel.session.trainer.steps == 6 and panel.current_view().objectName() == "beam"
    player.go(2)
    wait_reached(qtbot, player)
    assert panel.session.trainer.steps == 9 and len(panel.session.frame.history["step"]) == 9
    player.stage.forget()
    player.go(0)  # from the seed again
    wait_reached(qtbot, player)
    for name, value in first[0].items():
        np.testing.assert_array_equal(panel.session.trainer.params[name], value)
    np.testing.assert_array_equal(panel.writing.ids, first[1])
    assert panel.writing_settings.strategy == "sample"  # not the beam of the step shown last


def test_the_seq2seq_lab_reaches_a_step_the_same_way_twice_and_decodes_its_example(full_window, qtbot, tmp_path):
    steps = [lab_step("seq2seq", {**SMALL_SEQ2SEQ, "width": 1}, 5, "attention"),
             lab_step("seq2seq", {**SMALL_SEQ2SEQ, "source": "abc", "width": 2, "length_penalty": 1.0}, 5,
                      "decoding")]  # fmt: skip
    player, panel = full_window.lessons.player, full_window.show_panel("seq2seq")
    full_window.lessons.open_path(str(write(tmp_path, lesson_data(*steps))))
    wait_reached(qtbot, player)
    session = panel.session
    first = ({k: v.copy() for k, v in session.trainer.params.items()}, session.example.output)
    assert session.trainer.steps == 5 and session.width == 1
    assert session.example.source == session.first_example()[0]
    player.go(1)
    assert not player.stage.busy
    assert (session.example.source, session.width, session.length_penalty) == ("abc", 2, 1.0)
    assert panel.current_lesson_settings().source == "abc"
    player.go(0)
    assert (session.example.source, session.width) == (session.first_example()[0], 1)
    player.stage.forget()
    player.go(0)
    wait_reached(qtbot, player)
    for name, value in first[0].items():
        np.testing.assert_array_equal(session.trainer.params[name], value)
    assert session.example.output == first[1]


def test_a_moment_of_a_text_lab_becomes_a_step_that_reaches_it_again(full_window, qtbot):
    from app.lessons.stage import moment

    panel = full_window.show_panel("language")
    panel.session.apply_settings(panel.session.settings.__class__(**{k: v for k, v in SMALL_LANGUAGE.items()
                                                                     if k != "writing_length"}))  # fmt: skip
    panel.run_demo_steps(3)
    step = moment(panel)
    assert step.work == {"train": 3} and step.settings["hidden_size"] == 16
    assert step.settings["writing_seed"] == panel.writing_settings.seed
    assert moment(full_window.show_panel("seq2seq")).settings["source"] == ""  # the lab's own example
