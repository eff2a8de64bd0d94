"""Export of views, animations and traces, in the window and from `unroll export`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import imageio.v3 as iio
import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFileDialog, QInputDialog

from app import export
from app.__main__ import main
from engine import io


def colours(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint32, count=image.width() * image.height())
    return len(np.unique(pixels))


@pytest.fixture
def lab(window):
    panel = window.current_panel()
    panel.show_view("graph")
    return panel


@pytest.mark.parametrize("size", [(640, 400), (1920, 1080)])
def test_png_has_the_requested_size_and_a_picture_and_the_view_keeps_its_size(lab, tmp_path, size):
    view, before = lab.current_view(), lab.current_view().size()
    export.save_png(view, tmp_path / "view.png", size)
    image = QImage(str(tmp_path / "view.png"))
    assert (image.width(), image.height()) == size
    assert colours(image) > 20
    assert view.size() == before


def test_svg_is_valid_vector_graphics_that_draws_the_view(lab, tmp_path):
    export.save_svg(lab.current_view(), tmp_path / "view.svg")
    root = ET.parse(tmp_path / "view.svg").getroot()
    assert root.tag.endswith("svg") and root.get("width") and root.get("height")
    shapes = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("path", "polyline", "image")]
    assert len(shapes) >= 5
    renderer = QSvgRenderer(str(tmp_path / "view.svg"))
    assert renderer.isValid()
    image = QImage(renderer.defaultSize(), QImage.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert colours(image) > 20


def test_gif_has_one_frame_per_position_and_the_playhead_returns(lab, tmp_path):
    lab.playhead.seek(4)
    view = lab.current_view()
    n = export.save_animation(lab, view, tmp_path / "sweep.gif", None, range(0, 12, 2))
    frames = iio.imread(tmp_path / "sweep.gif", index=None)
    assert n == 6 and frames.shape == (6, view.height(), view.width(), 3)
    assert lab.playhead.position == 4


def test_mp4_is_written_with_even_sides_and_every_frame(lab, tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    import imageio.v2 as iio2

    export.save_animation(lab, lab.current_view(), tmp_path / "sweep.mp4", (641, 401), range(5))
    with iio2.get_reader(tmp_path / "sweep.mp4") as reader:
        assert reader.count_frames() == 5
        assert reader.get_meta_data()["size"] == (642, 402)


def test_too_many_frames_are_refused_before_anything_is_written(lab, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "MAX_FRAMES", 3)
    with pytest.raises(ValueError, match=r"30 frames are more than the 3 .*--frames ::10"):
        export.save_animation(lab, lab.current_view(), tmp_path / "long.gif")
    assert list(tmp_path.iterdir()) == []


def test_trace_npz_holds_the_sessions_inspection_unchanged(lab, tmp_path):
    snapshot = lab.session.snapshot
    export.export(lab, tmp_path / "trace.npz")
    back = io.load_arrays(tmp_path / "trace.npz")
    layer = snapshot.inspection.trace.layers[0]
    np.testing.assert_array_equal(back["l0.d0.hidden"], layer.hidden)
    np.testing.assert_array_equal(back["l0.d0.dh"], snapshot.inspection.grads.dh[0])
    assert lab.session.snapshot is snapshot


@pytest.mark.parametrize("name", ["view.jpg", "view", "trace.txt"])
def test_unknown_suffix_is_a_clear_error(lab, tmp_path, name):
    with pytest.raises(ValueError, match="use one of .png, .svg, .gif, .mp4, .npz, .csv"):
        export.export(lab, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_gui_export_to_a_missing_folder_shows_an_error_banner(window, tmp_path, monkeypatch):
    target = str(tmp_path / "missing" / "view.svg")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (target, ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("800x500", True))
    export.export_dialog(window, "svg")
    assert window.banner.level == "error" and "does not exist" in window.banner.text()


def test_gui_export_of_a_trace_says_where_it_went(window, tmp_path, monkeypatch):
    target = str(tmp_path / "trace.csv")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (target, ""))
    export.export_dialog(window, "trace")
    assert window.banner.level == "info" and "trace.csv" in window.banner.text()
    assert (tmp_path / "trace.csv").read_text().startswith("layer,direction,step,sequence,unit,valid,")


@pytest.mark.parametrize(
    ("panel", "name", "extra"),
    [("recurrent", "graph.svg", ["--view", "gates"]), ("hopfield", "recall.gif", ["--frames", "0:40:10"]),
     ("rbm", "chain.csv", []), ("rbm", "filters.png", ["--view", "filters", "--size", "400x300"])],
)  # fmt: skip
def test_unroll_export_writes_each_panel_headless(qapp, tmp_path, capsys, panel, name, extra):
    out = tmp_path / name
    assert main(["export", str(out), "--panel", panel, "--steps", "3", *extra]) == 0
    assert out.stat().st_size > 100
    assert "wrote" in capsys.readouterr().out
    if name.endswith(".gif"):
        assert iio.improps(out, index=None).shape[0] == 4
    if name.endswith(".png"):
        assert QImage(str(out)).size().toTuple() == (400, 300)


def test_unroll_export_refuses_an_unknown_suffix_with_exit_code_2(qapp, tmp_path, capsys):
    assert main(["export", str(tmp_path / "out.bmp"), "--panel", "hopfield"]) == 2
    assert "cannot export .bmp" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unroll_export_refuses_a_bad_size(qapp, tmp_path, capsys):
    assert main(["export", str(tmp_path / "x.png"), "--panel", "hopfield", "--size", "big"]) == 2
    assert "WIDTHxHEIGHT" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unroll_export_opens_a_users_session_in_its_own_lab(qapp, tmp_path, capsys):
    from pathlib import Path

    from app.main_window import MainWindow
    from engine.session_file import load_session

    session = Path(__file__).parent / "data" / "recurrent-v1.unroll"
    out = tmp_path / "theirs.npz"
    assert main(["export", str(out), "--panel", "hopfield", "--open", str(session)]) == 0  # the file's lab wins
    assert "wrote" in capsys.readouterr().out
    window = MainWindow(panels=["recurrent"])
    try:
        lab = window.show_panel("recurrent")
        lab.restore_session(load_session(session))
        export.export(lab, str(tmp_path / "expected.npz"), None, None)
    finally:
        lab.shutdown()
        window.close()
    written, expected = io.load_arrays(out), io.load_arrays(tmp_path / "expected.npz")
    assert written.keys() == expected.keys()
    for key in expected:
        np.testing.assert_array_equal(written[key], expected[key])


def test_unroll_export_opens_a_sequence_for_the_panel(qapp, tmp_path, capsys):
    sequence = tmp_path / "mine.npy"
    np.save(sequence, np.array([[1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0]] * 6, np.float32))  # 12 Reber steps
    out = tmp_path / "mine.png"
    assert main(["export", str(out), "--panel", "recurrent", "--view", "gates", "--open", str(sequence)]) == 0
    assert QImage(str(out)).width() > 100


def test_unroll_export_of_a_broken_file_says_so_and_writes_nothing(qapp, tmp_path, capsys):
    broken = tmp_path / "broken.unroll"
    broken.write_bytes(b"not a session")
    out = tmp_path / "x.png"
    assert main(["export", str(out), "--open", str(broken)]) == 2
    assert "could not open broken.unroll" in capsys.readouterr().err
    assert not out.exists()
