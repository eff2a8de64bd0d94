"""Session files: what is saved comes back; a damaged, hostile or foreign file gives one ValueError that names
it, never another exception and never an unpickling."""

from __future__ import annotations

import io as bytes_io
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from engine.session_file import SessionFile, load_session, save_session
from tests.engine.test_loaders_fuzz import FUZZ, SMALL_ARRAYS, damaged, no_unpickling, zip_of  # noqa: F401

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


def session_bytes(state: dict, arrays: dict[str, np.ndarray]) -> bytes:
    """A session file's bytes; the same for the same input (hypothesis replays its examples)."""
    with tempfile.TemporaryDirectory() as folder, mock.patch("engine.session_file.datetime") as clock:
        clock.now.return_value = datetime(2026, 1, 1, tzinfo=UTC)
        path = Path(folder) / "s.unroll"
        save_session(path, SessionFile("recurrent", state, arrays))
        return path.read_bytes()


session_files = st.builds(
    session_bytes,
    st.dictionaries(st.text(max_size=6), json_values, max_size=4),
    st.dictionaries(st.sampled_from(["param/w", "demo/x", "数据", "a/b/c"]), SMALL_ARRAYS, max_size=3),
)


def test_what_is_saved_comes_back(tmp_path):
    arrays = {"param/weight_hh_l0": np.arange(12, dtype=np.float32).reshape(3, 4), "steps": np.arange(5)}
    state = {"settings": {"hidden_size": 3, "lr": 0.5}, "text": "记忆与遗忘", "nan": float("nan")}
    save_session(tmp_path / "s.unroll", SessionFile("recurrent", state, arrays))
    back = load_session(tmp_path / "s.unroll", lab="recurrent")
    assert back.lab == "recurrent" and back.state["text"] == "记忆与遗忘" and back.saved
    assert back.state["settings"] == state["settings"] and np.isnan(back.state["nan"])
    for name, value in arrays.items():
        np.testing.assert_array_equal(back.arrays[name], value)
        assert back.arrays[name].dtype == value.dtype
    with pytest.raises(ValueError, match="the recurrent lab, not of the rbm lab"):
        load_session(tmp_path / "s.unroll", lab="rbm")


@FUZZ
@given(data=damaged(session_files))
def test_a_damaged_session_file_is_refused_with_one_message(no_unpickling, data):  # noqa: F811
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.unroll"
        path.write_bytes(data)
        try:
            file = load_session(path)
        except ValueError as exc:
            assert "fuzzed.unroll" in str(exc)
            return
    assert isinstance(file.state, dict) and all(a.dtype.kind in "biuf" for a in file.arrays.values())


def _npy(a: np.ndarray) -> bytes:
    buf = bytes_io.BytesIO()
    np.save(buf, a, allow_pickle=True)
    return buf.getvalue()


HEADER = json.dumps({"format": "unroll-session", "version": 1, "lab": "recurrent", "state": {}}).encode()


@pytest.mark.parametrize(
    "members, message",
    [
        ({"other.json": b"{}"}, "has no session.json"),
        ({"session.json": b"\xff\xfe"}, "not valid UTF-8 JSON"),
        ({"session.json": b"[1, 2]"}, "not an Unroll session"),
        ({"session.json": json.dumps({"format": "unroll-session", "version": "1", "lab": "x", "state": {}}).encode()},
         "format version"),
        ({"session.json": HEADER, "arrays/x.npy": _npy(np.array([object()]))}, "unpickling"),
        ({"session.json": HEADER, "arrays/x.npy": _npy(np.array(["text"]))}, "not numbers"),
        ({"session.json": HEADER, "../../etc/passwd": b"x"}, "unexpected member"),
        ({"session.json": b"[" * 100_000 + b"]" * 100_000}, "not valid UTF-8 JSON"),
    ],
)  # fmt: skip
def test_hostile_members_are_named(tmp_path, members, message):
    path = tmp_path / "hostile.unroll"
    path.write_bytes(zip_of(members))
    with pytest.raises(ValueError, match=message):
        load_session(path)


def test_an_array_claiming_more_than_its_member_holds_is_refused(tmp_path):
    header = np.lib.format.header_data_from_array_1_0(np.zeros(4))
    header["shape"] = (10**12,)
    buf = bytes_io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    path = tmp_path / "liar.unroll"
    path.write_bytes(zip_of({"session.json": HEADER, "arrays/x.npy": buf.getvalue() + b"\0" * 32}))
    with pytest.raises(ValueError, match="claims"):
        load_session(path)


@given(arrays=st.dictionaries(st.sampled_from(["a", "b/c"]), hnp.arrays(np.float32, (2, 3)), max_size=2))
@FUZZ
def test_every_save_replaces_the_file_whole(arrays):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.unroll"
        save_session(path, SessionFile("hopfield", {"k": 1}, arrays))
        save_session(path, SessionFile("hopfield", {"k": 2}, arrays))
        assert load_session(path).state == {"k": 2}
        assert sorted(p.name for p in Path(folder).iterdir()) == ["s.unroll"]
