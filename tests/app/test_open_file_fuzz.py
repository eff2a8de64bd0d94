"""Damaged files opened in each lab through the window, as File ▸ Open does: either the file is good and
opens, or the window says "error" and the lab's state is exactly as it was. Nothing else may happen: in
particular no MemoryError, whatever sizes a session file asks for."""

from __future__ import annotations

import copy
import io as bytes_io
import re
import tempfile
import zipfile
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
from engine.session_file import SessionFile, save_session
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
    zip_of,
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


def boltzmann_state(panel) -> tuple:
    s = panel.session
    return (s.settings, s.machine.source, s.frame.machine.W.copy(), s.frame.cycle, s.trace.states.copy())


STATES = {"recurrent": recurrent_state, "hopfield": hopfield_state, "boltzmann": boltzmann_state, "rbm": rbm_state}


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


# ---- every lab's session, one part damaged, opened through the window -------------------------------------

LABS = ["recurrent", "hopfield", "boltzmann", "rbm"]
#: JSON values for any one setting or record: wrong types, and sizes from plausible to absurd.
SESSION_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 70), st.sampled_from([65536, 10**9, 2**63, 2**70]),
                           st.floats(), st.text(max_size=5), st.lists(st.integers(-3, 3), max_size=3),
                           st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))  # fmt: skip
ARRAY_DAMAGE = {
    "dropped": lambda a: None,
    "NaN": lambda a: np.full(a.shape, np.nan),
    "int8": lambda a: a.astype(np.int8),
    "flat": lambda a: a.reshape(-1),
    "extra axis": lambda a: a[None],
    "empty": lambda a: a[:0],
    # an empty array whose other axes claim 2^20 entries each: nothing to read, terabytes to allocate
    "empty but vast": lambda a: np.zeros((0, *[2**20] * max(a.ndim - 1, 1)), a.dtype),
    "vast but empty": lambda a: np.zeros((*[2**20] * max(a.ndim - 1, 1), 0), a.dtype),
}


def fingerprint(panel) -> tuple[dict, dict[str, np.ndarray]]:
    """What a save of the lab holds: the whole state a refused file must leave as it was."""
    file = panel.save_session()
    return file.state, file.arrays


def session_leaves(state: dict, prefix: tuple = ()) -> list[tuple]:
    """Paths to every value of a session's state but the layout (the window's, clamped on restore)."""
    out = []
    for key, v in state.items():
        if key != "layout":
            out += session_leaves(v, (*prefix, key)) if isinstance(v, dict) and v else [(*prefix, key)]
    return out


def set_key(state: dict, key: str, value: object) -> int:
    """Set ``key`` to ``value`` wherever it occurs in ``state``; how many places that was."""
    count = 0
    for k, v in state.items():
        if k == key:
            state[k] = value
            count += 1
        elif isinstance(v, dict):
            count += set_key(v, key, value)
    return count


def session_bytes(file: SessionFile) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        save_session(Path(folder) / "s.unroll", file)
        return (Path(folder) / "s.unroll").read_bytes()


def edited(good: SessionFile, edit_state=None, edit_arrays=None) -> bytes:
    """A copy of ``good`` with its state or arrays edited, as a file's bytes."""
    file = SessionFile(good.lab, copy.deepcopy(good.state), {k: v.copy() for k, v in good.arrays.items()})
    if edit_state:
        edit_state(file.state)
    if edit_arrays:
        edit_arrays(file.arrays)
    return session_bytes(file)


@pytest.fixture(scope="module")
def own_sessions(labs) -> dict[str, SessionFile]:
    """Each lab's session as it saves it at the start (the tests then damage copies)."""
    return {name: labs.panel(name).save_session() for name in LABS}


def open_refused(labs, name: str, data: bytes, message: str) -> None:
    """``data`` opened as a session through the window: refused with a message matching ``message`` (a
    ValueError the window shows, not a MemoryError that escapes it), and the lab as it was."""
    panel, window = labs.panel(name), labs.windows[name]
    before = fingerprint(panel)
    assert not labs.open(name, data, ".unroll")
    text = window.banner.text()
    assert re.search(message, text, re.IGNORECASE), text[:500]
    assert len(text) < 1000, f"a message nobody can read ({len(text)} characters): {text[:300]}"
    assert_same(before, fingerprint(panel), name)


def assert_same(a: tuple, b: tuple, name: str) -> None:
    assert a[0] == b[0], f"a refused file changed the {name} lab's state"
    assert sorted(a[1]) == sorted(b[1]), f"a refused file changed the {name} lab's arrays"
    for key, array in a[1].items():
        assert b[1][key].dtype == array.dtype and np.array_equal(b[1][key], array, equal_nan=True), key


@pytest.mark.parametrize("name", LABS)
def test_sessions_with_one_part_damaged_open_whole_or_change_nothing_in_every_lab(labs, own_sessions, name):
    good = session_bytes(own_sessions[name])
    panel = labs.panel(name)

    @FUZZ
    @given(data=st.data())
    def check(data):
        file = own_sessions[name]
        if data.draw(st.booleans(), "state or arrays"):
            path = data.draw(st.sampled_from(session_leaves(file.state)), "value at")
            new = data.draw(SESSION_VALUES, "value")

            def edit_state(state):
                for key in path[:-1]:
                    state = state[key]
                state[path[-1]] = new

            damaged_file = edited(file, edit_state=edit_state)
        else:
            array = data.draw(st.sampled_from(sorted(file.arrays)), "array")
            how = data.draw(st.sampled_from(sorted(ARRAY_DAMAGE)), "damage")

            def edit_arrays(arrays):
                arrays[array] = ARRAY_DAMAGE[how](arrays[array])
                if arrays[array] is None:
                    del arrays[array]

            damaged_file = edited(file, edit_arrays=edit_arrays)
        before = fingerprint(panel)
        if labs.open(name, damaged_file, ".unroll"):  # refused ones are checked in labs.open
            assert labs.open(name, good, ".unroll")  # taken whole; and the lab's own file still opens after it
            assert_same(before, fingerprint(panel), name)

    check()


#: Sizes a session may ask for that no lab can hold: (lab, setting, value, what the message must mention).
OVERSIZED = [
    ("recurrent", "hidden_size", 65536, "hidden.size|memory"),  # 128 GiB of weights for an LSTM
    ("recurrent", "hidden_size", 2**70, "hidden.size"),
    ("recurrent", "num_layers", 65536, "num.layers|layers|memory"),
    ("recurrent", "length", 10**9, "length|memory"),
    ("recurrent", "batch_size", 10**9, "batch.size|batch|memory"),
    # beyond a spin box's int: Qt raised OverflowError after the restore had begun
    ("recurrent", "batch_size", 2**63, "batch.size|batch"),
    ("recurrent", "truncate", 2**63, "truncate"),
    ("recurrent", "seed", 2**63, "seed"),
    ("hopfield", "size", 65536, "size|memory"),  # 2^32 units, 2^64 weights
    ("hopfield", "max_sweeps", 2**63, "sweep"),
    ("boltzmann", "sample_time", 10**9, "sample.time"),
    ("boltzmann", "cycles", 2**63, "cycles"),
    ("rbm", "n_hidden", 65536, "n.hidden|hidden|memory"),
    ("rbm", "rows", 65536, "rows|memory"),
    ("rbm", "cols", 65536, "col|memory"),
    ("rbm", "glyph_size", 65536, "glyph.size|glyph|memory"),
    ("rbm", "batch_size", 10**9, "batch.size|batch|memory"),
    ("rbm", "steps", 10**9, "steps|memory"),
    ("rbm", "image_shape", [65536, 65536], "image.shape|memory"),
]


@pytest.mark.parametrize(
    ("name", "key", "size", "message"), OVERSIZED, ids=[f"{n}-{k}-{v}" for n, k, v, _ in OVERSIZED]
)
def test_a_session_asking_for_absurd_sizes_is_refused_with_a_message_and_changes_nothing(
    labs, own_sessions, name, key, size, message
):
    places = []
    data = edited(own_sessions[name], edit_state=lambda state: places.append(set_key(state, key, size)))
    assert places[0] >= 1, f"the {name} lab's session has no {key!r} any more: update this test"
    open_refused(labs, name, data, message)


@pytest.mark.parametrize("name", LABS)
def test_session_arrays_whose_headers_claim_vast_shapes_are_refused_before_reading(labs, own_sessions, name):
    """Each array of the lab's own session in turn, its .npy header claiming 2^48 entries it does not hold."""
    good = session_bytes(own_sessions[name])
    for array in own_sessions[name].arrays:
        data = replaced_member(good, f"arrays/{array}.npy", npy_claiming(f"({2**16}, {2**16}, {2**16})"))
        open_refused(labs, name, data, "claims")


def replaced_member(archive: bytes, member: str, raw: bytes) -> bytes:
    with zipfile.ZipFile(bytes_io.BytesIO(archive)) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    assert member in members
    return zip_of({**members, member: raw})
