"""The Seq2seq lab: typing a source, forcing a prefix, the attention matrix following the playhead, a user's
pairs file, and bad input that names its problem and changes nothing."""

import numpy as np
import pytest

from app.sessions.seq2seq import Seq2SeqSettings
from engine.session_file import load_session, save_session


@pytest.fixture
def panel(qtbot):
    from app.panels.seq2seq import Panel
    from app.theme import setup_application

    setup_application()
    built = Panel(settings=Seq2SeqSettings(hidden_size=16, embedding_dim=8, train_max_len=5))
    qtbot.addWidget(built)
    built.resize(1400, 900)
    built.show()
    yield built
    built.shutdown()


def messages(panel):
    seen = []
    panel.message.connect(lambda level, text: seen.append((level, text)))
    return seen


def test_a_typed_source_is_decoded_and_the_attention_matrix_fills_in_with_the_playhead(panel):
    panel.session.train_steps(3)
    panel.decoding_view.source.setText("abcab")
    panel.decoding_view.target.setText("bacba")
    panel.decoding_view.width.setValue(2)
    panel.decoding_view.button.click()
    example = panel.session.example
    assert example.source == "abcab" and example.target == "bacba" and panel.session.width == 2
    matrix = panel.attention_view.matrix
    assert matrix.col_labels == list("abcab") and len(matrix.row_labels) == len(example.tokens)
    panel.timeline.seek("forward", 1)
    assert matrix.upto == 1
    panel.timeline.seek("backward", 0)
    assert matrix.upto is None
    assert panel.decoding_view.table.columnCount() == len("bacba") + 1


def test_a_forced_prefix_starts_the_output(panel):
    panel.session.set_example("abc", prefix="cc", width=3)
    assert panel.session.example.output.startswith("cc")
    assert list(panel.session.example.tokens[:2]) == list(panel.session.train.tgt_alphabet.encode("cc"))


@pytest.mark.parametrize(("source", "problem"), [("abZ", "'Z'"), ("a" * 500, "at most"), ("", "empty")])
def test_a_bad_typed_source_names_the_problem_and_keeps_the_example(panel, source, problem):
    seen = messages(panel)
    before = panel.session.example
    panel.decoding_view.source.setText(source)
    panel.decoding_view.button.click()
    assert seen and seen[-1][0] == "error" and problem in seen[-1][1]
    assert panel.session.example is before


@pytest.mark.parametrize(("data", "problem"), [(b"", "empty"), (b"ab\x00\x01\tc", "binary"), (b"a,b\n", "no tab")])
def test_a_bad_pairs_file_is_refused_and_the_lab_is_unchanged(panel, tmp_path, data, problem):
    seen = messages(panel)
    path = tmp_path / "pairs.tsv"
    path.write_bytes(data)
    trainer, settings = panel.session.trainer, panel.session.settings
    with pytest.raises(ValueError, match=problem):
        panel.open_file(str(path))
    assert seen[-1][0] == "error" and problem in seen[-1][1]
    assert panel.session.trainer is trainer and panel.session.settings == settings


def test_a_pairs_file_trains_a_model_of_its_own(panel, tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(f"{w}\t{w.upper()}" for w in ("cat", "dog", "bird", "fish", "cow", "hen")),
                    encoding="utf-8")  # fmt: skip
    panel.open_file(str(path))
    s = panel.session
    assert s.settings.task == "file" and len(s.train) + len(s.test) >= 6
    assert set(s.train.tgt_alphabet.chars) <= set("CATDOGBIRFSHWEN")
    s.train_steps(2)
    assert s.frame.step == 2


def test_without_attention_the_matrix_says_why_it_is_empty(panel):
    panel.session.apply_settings(Seq2SeqSettings(hidden_size=16, embedding_dim=8, train_max_len=5, attention="none"))
    assert panel.session.example.attention is None
    assert panel.attention_view.matrix.values is None and "last state" in panel.attention_view.matrix.empty_text


def test_a_session_brings_back_the_weights_the_example_and_the_comparison(panel, tmp_path):
    panel.session.train_steps(4)
    panel.session.compare_now(3)
    panel.session.set_example("cab", "bac", width=2)
    save_session(tmp_path / "s.unroll", panel.save_session())
    params = {k: v.copy() for k, v in panel.session.trainer.params.items()}
    panel.session.reset()
    panel.restore_session(load_session(tmp_path / "s.unroll"))
    s = panel.session
    assert s.trainer.steps == 4 and all(np.array_equal(s.trainer.params[k], v) for k, v in params.items())
    assert (s.example.source, s.example.target, s.width) == ("cab", "bac", 2)
    assert s.comparison is not None and s.comparison.steps == 3 and len(s.history["loss"]) == 4


def test_the_comparison_runs_in_the_background(panel, qtbot):
    with qtbot.waitSignal(panel.session.comparison_changed, timeout=60_000):
        panel.session.compare(steps=2)
    table = panel.session.comparison
    assert set(table.with_attention) == set(table.without) and table.train_max_len == 5


def test_a_session_with_a_damaged_training_record_is_refused_and_changes_nothing(panel):
    from engine.session_file import SessionFile

    panel.session.train_steps(2)
    saved = panel.save_session()
    arrays = dict(saved.arrays)
    arrays["history/loss"] = np.zeros(7)  # one column longer than the others
    trainer = panel.session.trainer
    with pytest.raises(ValueError, match="training record"):
        panel.restore_session(SessionFile(saved.lab, saved.state, arrays))
    assert panel.session.trainer is trainer and panel.session.frame.step == 2


def test_scheduled_sampling_lowers_the_ratio_as_training_goes_on(panel):
    s = panel.session
    s.apply_settings(Seq2SeqSettings(hidden_size=16, embedding_dim=8, train_max_len=5, scheduled_sampling=True,
                                     attentional_hidden=False))  # fmt: skip
    assert s.spec.features == 2 * s.spec.hidden_size  # the head reads [c_t; h_t]
    assert s.teacher_forcing(0) > s.teacher_forcing(1000) > s.teacher_forcing(3000)
    s.train_steps(2)
    assert s.frame.step == 2


def test_a_training_frame_brings_the_example_inspected_by_the_worker(panel):
    """The worker inspects the example on show with the frame's weights; the GUI takes it as it is, unless the
    example was changed meanwhile, when it inspects it anew."""
    s = panel.session
    frame = s.frame_now()
    s.show_frame(frame)
    assert s.example is frame.example and frame.example_settings == s.example_settings()
    s.set_example(s.example.source, width=s.width + 1)
    s.show_frame(frame)  # a frame made before the change: not what is asked for now
    assert s.example is not frame.example and frame.example_settings != s.example_settings()


def test_the_matrix_writes_its_numbers_only_where_they_fit(qapp):
    """In presentation mode the font grows and the cells need not: 0.00 ran into its neighbours (seen at 1280 × 720)."""
    from PySide6.QtGui import QFont

    from app.views.seq2seq.matrix import MatrixWidget

    matrix = MatrixWidget()
    labels = list("abcdefghi")
    matrix.show_matrix(np.full((9, 9), 0.5), labels, labels, text=[["0.00"] * 9 for _ in range(9)])
    matrix.resize(900, 900)
    matrix.grab()
    assert matrix.numbers_shown
    font = QFont(matrix.font())
    font.setPointSizeF(30)
    matrix.setFont(font)
    matrix.resize(620, 620)
    matrix.grab()
    assert matrix.geometry_of_cells()[2] >= 26  # cells as large as those that used to get their numbers
    assert not matrix.numbers_shown
