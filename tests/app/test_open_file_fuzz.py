"""Damaged files opened in each lab through the window, as File ▸ Open does: either the file is good and
opens, or the window says "error" and the lab's state is exactly as it was. Nothing else may happen."""

from __future__ import annotations

import io as bytes_io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from app.main_window import MainWindow
from app.theme import setup_application
from engine import io
from tests.engine.test_loaders_fuzz import (
    csv_files,
    damaged,
    npy_bytes,
    npy_claiming,
    npy_files,
    npz_bytes,
    npz_files,
    raw_npy,
    safetensors_bytes,
    safetensors_files,
    text_files,
)

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def png_bytes(grey: np.ndarray) -> bytes:
    image = QImage(grey.tobytes(), grey.shape[1], grey.shape[0], grey.shape[1], QImage.Format_Grayscale8)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


png_files = hnp.arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12))).map(png_bytes)
binary_images = st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda shape: hnp.arrays(np.uint8, shape, elements=st.integers(0, 1))
)
pattern_files = st.sampled_from([4, 16]).flatmap(
    lambda n: hnp.arrays(np.int8, (2, n), elements=st.sampled_from([-1, 1])).map(npy_bytes)
)


def recurrent_state(panel) -> tuple:
    s = panel.session
    return (s.settings, s.spec, s.demo.x.copy(), {k: v.copy() for k, v in s.trainer.params.items()})


def hopfield_state(panel) -> tuple:
    s = panel.session
    return (s.size, s.patterns.copy(), list(s.labels), None if s.W is None else s.W.copy(), s.probe.copy())


def rbm_state(panel) -> tuple:
    s = panel.session
    return (s.settings, s.source, s.image_shape, s.rows.copy(), s.model.W.copy(), s.frame.epoch)


STATES = {"recurrent": recurrent_state, "hopfield": hopfield_state, "rbm": rbm_state}


def same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return a == b


class Labs:
    """One window per lab, kept for the whole module (building one takes a second or two);
    ``open(name, data, suffix)`` opens bytes as a file there and checks the property: opened, or refused
    with an error banner and the lab's state exactly as before."""

    def __init__(self) -> None:
        self.windows: dict[str, MainWindow] = {}

    def panel(self, name: str):
        if name not in self.windows:
            self.windows[name] = MainWindow(panels=[name])
        return self.windows[name].panels[name]

    def open(self, name: str, data: bytes, suffix: str) -> bool:
        panel = self.panel(name)
        window = self.windows[name]
        before = STATES[name](panel)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"fuzzed{suffix}"
            path.write_bytes(data)
            opened = window.open_file(str(path))
        if not opened:
            assert window.banner.level == "error" and "fuzzed" in window.banner.text()
            assert same(before, STATES[name](panel)), f"a refused file changed the {name} lab"
        return opened


@pytest.fixture(scope="module")
def labs(qapp):
    setup_application()
    labs = Labs()
    yield labs
    for window in labs.windows.values():
        for panel in window.panels.values():
            panel.shutdown()
        window.deleteLater()


RECURRENT_FILES = st.one_of(
    st.tuples(damaged(csv_files), st.just(".csv")),
    st.tuples(damaged(npy_files), st.just(".npy")),
    st.tuples(damaged(npz_files), st.just(".npz")),
    st.tuples(damaged(text_files), st.just(".txt")),
    st.tuples(damaged(safetensors_files), st.sampled_from([".safetensors", ".npz"])),
)


@FUZZ
@given(file=RECURRENT_FILES)
def test_recurrent_lab_opens_good_files_and_refuses_bad_ones_unchanged(labs, file):
    labs.open("recurrent", *file)


@pytest.mark.parametrize("suffix", [".safetensors", ".npz"])
def test_recurrent_lab_loads_its_own_weights_and_refuses_them_damaged(labs, tmp_path, suffix):
    session = labs.panel("recurrent").session
    params = {k: v * 0.5 for k, v in session.trainer.params.items()}
    io.save_weights(tmp_path / f"w{suffix}", params)
    data = (tmp_path / f"w{suffix}").read_bytes()
    assert not labs.open("recurrent", data[: len(data) // 2], suffix)
    assert not labs.open("recurrent", data[:8] + data[9:], suffix)
    infinite = {**params, "head.bias": np.full_like(params["head.bias"], np.inf)}
    assert not labs.open(
        "recurrent", safetensors_bytes(infinite) if suffix == ".safetensors" else npz_bytes(infinite), suffix
    )
    assert labs.open("recurrent", data, suffix)
    for name, value in params.items():
        np.testing.assert_array_equal(session.trainer.params[name], value)


@FUZZ
@given(
    file=st.one_of(st.tuples(damaged(pattern_files), st.just(".npy")), st.tuples(damaged(png_files), st.just(".png")))
)
def test_hopfield_lab_opens_good_files_and_refuses_bad_ones_unchanged(labs, file):
    labs.open("hopfield", *file)


@FUZZ
@given(data=damaged(npy_files))
def test_hopfield_lab_refuses_odd_arrays_unchanged(labs, data):
    labs.open("hopfield", data, ".npy")


@FUZZ
@given(file=st.one_of(st.tuples(damaged(binary_images.map(npy_bytes)), st.just(".npy")),
                      st.tuples(damaged(png_files), st.just(".png"))))  # fmt: skip
def test_rbm_lab_opens_good_files_and_refuses_bad_ones_unchanged(labs, file):
    labs.open("rbm", *file)


HOSTILE = {
    "pickled objects": np.array([{"a": 1}, None], dtype=object),
    "complex numbers": np.array([[1 + 2j, 0]]),
    "strings": np.array([["1", "0"]]),
    "NaN": np.full((2, 4), np.nan),
    "scalar": np.float64(1.0),
    "empty": np.zeros((0, 4)),
    "four dimensions": np.zeros((1, 2, 2, 2)),
}


def pickled(arr: np.ndarray) -> bytes:
    buf = bytes_io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["recurrent", "hopfield", "rbm"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_wrongly_typed_arrays_are_refused_in_every_lab(labs, name, case):
    assert not labs.open(name, pickled(HOSTILE[case]), ".npy")


@pytest.mark.parametrize(
    "name",
    ["recurrent", "hopfield", "rbm"],
)
def test_a_npy_claiming_terabytes_is_refused_in_every_lab(labs, name):
    assert not labs.open(name, npy_claiming("(9999999999999,)"), ".npy")


@pytest.mark.parametrize(
    "name",
    ["recurrent", "hopfield", "rbm"],
)
def test_a_npy_with_a_broken_header_is_refused_in_every_lab(labs, name):
    assert not labs.open(name, raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': ("), ".npy")


@pytest.fixture(scope="module")
def saved_sessions(labs, tmp_path_factory):
    """Each lab's own session file, as bytes (saved once; hypothesis then damages them)."""
    from engine.session_file import save_session

    folder = tmp_path_factory.mktemp("sessions")
    out = {}
    for name in ("recurrent", "hopfield", "rbm"):
        save_session(folder / f"{name}.unroll", labs.panel(name).save_session())
        out[name] = (folder / f"{name}.unroll").read_bytes()
    return out


@pytest.mark.parametrize("name", ["recurrent", "hopfield", "rbm"])
def test_damaged_session_files_are_refused_unchanged_in_every_lab(labs, saved_sessions, name):
    assert labs.open(name, saved_sessions[name], ".unroll")  # the intact file opens

    @FUZZ
    @given(data=damaged(st.just(saved_sessions[name])))
    def check(data):
        labs.open(name, data, ".unroll")

    check()
