"""Every loader, fed damaged files: truncated, corrupt, oversized claims, wrong shapes, NaN, wrong types.

The property: a loader returns good data or raises one ValueError that names the file, never another
exception, and never unpickles anything."""

from __future__ import annotations

import io as bytes_io
import json
import pickle
import struct
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from engine import io
from engine.hopfield.corrupt import ink_to_states, to_bipolar
from engine.rbm.data import image_stack

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# ---- valid files of each kind, as bytes --------------------------------------------------------------------

DTYPES = st.sampled_from(["<f4", "<f8", "<i2", "<i8", "|u1", "|b1", "<c16", "<U3", ">f8"])
SMALL_ARRAYS = DTYPES.flatmap(lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)))
NAMES = st.sampled_from(["x", "targets", "weight_ih_l0", "bias_hh_l0", "head.weight", "数据"])


def npy_bytes(arr: np.ndarray) -> bytes:
    buf = bytes_io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def npz_bytes(arrays: dict[str, np.ndarray], compressed: bool = False) -> bytes:
    buf = bytes_io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return buf.getvalue()


def safetensors_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    return safetensors.numpy.save({k: np.ascontiguousarray(v) for k, v in arrays.items()})


def header_bytes(header: object, data: bytes = b"") -> bytes:
    """A .safetensors file with any header at all."""
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


numeric_arrays = st.sampled_from(["<f4", "<f8", "<i4"]).flatmap(
    lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=1, max_dims=2, max_side=6))
)
npy_files = SMALL_ARRAYS.map(npy_bytes)
npz_files = st.builds(npz_bytes, st.dictionaries(NAMES, SMALL_ARRAYS, min_size=1, max_size=3), st.booleans())
safetensors_files = st.dictionaries(NAMES, numeric_arrays, min_size=1, max_size=3).map(safetensors_bytes)
csv_files = st.lists(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), min_size=1, max_size=4).map(
        lambda row: ",".join(repr(v) for v in row)
    ),
    min_size=1,
    max_size=6,
).map(lambda rows: ("a,b\n" + "\n".join(rows)).encode())
text_files = st.one_of(
    st.text(min_size=1, max_size=80).map(lambda s: s.encode("utf-8")),
    st.text(min_size=1, max_size=40).map(lambda s: s.encode("utf-16")),
    st.binary(min_size=1, max_size=80),
)


@st.composite
def damaged(draw, files: st.SearchStrategy[bytes]) -> bytes:
    """A valid file, or that file truncated, with bytes flipped, with junk appended, or replaced by noise."""
    data = draw(files)
    how = draw(st.sampled_from(["intact", "truncated", "flipped", "appended", "noise"]))
    if how == "truncated":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "flipped":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            k = draw(st.integers(0, len(out) - 1))
            out[k] ^= draw(st.integers(1, 255))
        return bytes(out)
    if how == "appended":
        return data + draw(st.binary(min_size=1, max_size=64))
    if how == "noise":
        return draw(st.binary(min_size=0, max_size=len(data) + 16))
    return data


# ---- the property -----------------------------------------------------------------------------------------


@pytest.fixture
def no_unpickling(monkeypatch):
    """Records any attempt to unpickle (np.load with allow_pickle=True calls pickle.load)."""
    calls: list[str] = []
    for name in ("load", "loads"):
        monkeypatch.setattr(pickle, name, lambda *a, _n=name, **k: calls.append(_n))
    monkeypatch.setattr(pickle, "Unpickler", lambda *a, **k: calls.append("Unpickler"))
    yield calls
    assert calls == [], "a loader tried to unpickle"


def load_or_refuse(loader, data: bytes, suffix: str):
    """``loader``'s result for a file holding ``data``, or None when it refused it with a ValueError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            return loader(path)
        except ValueError as exc:
            assert str(exc), "a refusal says why"
            return None


def check_sequence(seq) -> None:
    if seq is not None:
        assert seq.x.ndim == 2 and seq.x.shape[0] >= 1 and seq.x.dtype == np.float64
        assert np.isfinite(seq.x).all() and len(seq.labels) == seq.x.shape[0]
        if seq.targets is not None:
            assert seq.targets.shape[0] == seq.x.shape[0] and np.isfinite(seq.targets).all()


def check_numeric(arrays) -> None:
    if arrays is not None:
        assert arrays and all(a.dtype.kind in "biuf" for a in arrays.values())


@FUZZ
@given(data=damaged(csv_files))
def test_read_sequence_csv(no_unpickling, data):
    check_sequence(load_or_refuse(io.read_sequence, data, ".csv"))


@FUZZ
@given(data=damaged(npy_files))
def test_read_sequence_npy(no_unpickling, data):
    check_sequence(load_or_refuse(io.read_sequence, data, ".npy"))


@FUZZ
@given(data=damaged(npz_files))
def test_read_sequence_npz(no_unpickling, data):
    check_sequence(load_or_refuse(io.read_sequence, data, ".npz"))


@FUZZ
@given(data=damaged(npz_files))
def test_load_arrays(no_unpickling, data):
    check_numeric(load_or_refuse(io.load_arrays, data, ".npz"))


@FUZZ
@given(data=damaged(npy_files))
def test_load_array(no_unpickling, data):
    arr = load_or_refuse(io.load_array, data, ".npy")
    assert arr is None or arr.dtype.kind in "biuf"


@FUZZ
@given(data=damaged(text_files))
def test_read_text(no_unpickling, data):
    text = load_or_refuse(io.read_text, data, ".txt")
    assert text is None or isinstance(text, str)


@FUZZ
@given(data=damaged(st.one_of(npz_files, safetensors_files)), suffix=st.sampled_from([".npz", ".safetensors"]))
def test_load_weights(no_unpickling, data, suffix):
    weights = load_or_refuse(io.load_weights, data, suffix)
    check_numeric(weights)
    assert weights is None or all(np.isfinite(w).all() for w in weights.values())


# ---- hand-made hostile files ------------------------------------------------------------------------------


def raw_npy(header: str, data: bytes = b"\0" * 32) -> bytes:
    """A version 1.0 .npy file with any header text at all."""
    text = header.encode("latin1")
    text += b" " * (-(10 + len(text) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + data


def npy_claiming(shape: str) -> bytes:
    """A float64 .npy whose header claims ``shape`` while holding 4 numbers."""
    return raw_npy(f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}")


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = bytes_io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, raw in members.items():
            zf.writestr(name, raw)
    return buf.getvalue()


def pickled_npy() -> bytes:
    buf = bytes_io.BytesIO()
    np.save(buf, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    return buf.getvalue()


ENTRY = {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}
HOSTILE = {
    "npy claims terabytes": (".npy", npy_claiming("(9999999999999,)"), "claims"),
    "npy claims overflowing shape": (".npy", npy_claiming(f"({10**22}, {10**22})"), "claims"),
    "npy claims negative shape": (".npy", npy_claiming("(-4,)"), "readable"),
    "npy of pickled objects": (".npy", pickled_npy(), "unpickling"),
    "npy of complex numbers": (".npy", npy_bytes(np.array([1 + 2j])), "complex"),
    "npy of strings": (".npy", npy_bytes(np.array(["one", "two"])), "not numbers"),
    "npy of records": (".npy", npy_bytes(np.zeros(3, dtype=[("a", "f8")])), "not numbers"),
    "npy of NaN": (".npy", npy_bytes(np.full(5, np.nan)), "NaN"),
    "npy nested header": (".npy", npy_claiming("(" * 400 + ")" * 400), "readable"),
    "npy header cut short": (".npy", raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': ("), "readable"),
    "npy header not a dict": (".npy", raw_npy("[1, 2, 3]"), "readable"),
    "npz member claims terabytes": (".npz", zip_of({"x.npy": npy_claiming("(9999999999999,)")}), "claims"),
    "npz member of pickles": (".npz", zip_of({"x.npy": pickled_npy()}), "unpickling"),
    "npz member not an array": (".npz", zip_of({"x": b"hello"}), "not a readable .npy"),
    "npz with no arrays": (".npz", zip_of({}), "no arrays"),
    "npz x of wrong shape": (".npz", npz_bytes({"x": np.zeros((2, 3, 4))}), "(steps,)"),
    "npz targets of wrong length": (".npz", npz_bytes({"x": np.zeros((4, 2)), "targets": np.zeros(3)}), "targets"),
    "npz NaN targets": (".npz", npz_bytes({"x": np.zeros((2, 2)), "targets": np.array([0, np.nan])}), "NaN"),
    "safetensors header length 2^63": (".safetensors", struct.pack("<Q", 2**63) + b"{}", "header claims"),
    "safetensors tensor claims terabytes": (
        ".safetensors",
        header_bytes({"a": {"dtype": "F32", "shape": [10**12], "data_offsets": [0, 4 * 10**12]}}, b"\0" * 4),
        "claims",
    ),
    "safetensors overlapping tensors": (".safetensors", header_bytes({"a": ENTRY, "b": ENTRY}, b"\0" * 4), "offset"),
    "safetensors bfloat16": (".safetensors", header_bytes({"a": {**ENTRY, "dtype": "BF16"}}, b"\0" * 4), "BF16"),
    "safetensors complex": (".safetensors", header_bytes({"a": {**ENTRY, "dtype": "C64"}}, b"\0" * 4), "C64"),
    "safetensors NaN": (".safetensors", header_bytes({"a": ENTRY}, np.float32(np.nan).tobytes()), "NaN"),
    "safetensors header a list": (".safetensors", header_bytes([1, 2]), "table"),
    "safetensors deep JSON": (".safetensors", struct.pack("<Q", 20000) + b"[" * 10000 + b"]" * 10000, "JSON"),
    "csv of words": (".csv", b"1,2\nthree,four\n", "not all values are numbers"),
    "csv overflowing to Inf": (".csv", b"1,1e999\n", "NaN or Inf"),
    "csv with a field over the csv limit": (".csv", b"1," + b"9" * 200_000 + b"\n", "CSV"),
    "csv ragged": (".csv", b"1,2\n3\n", "columns"),
    "csv in UTF-16": (".csv", "1,2\n".encode("utf-16"), "UTF-8"),
    "empty file": (".npy", b"", "empty"),
}


#: Which loaders read each kind of file; shapes and NaN in plain arrays matter to read_sequence alone.
LOADERS = {
    ".npy": (io.read_sequence, io.load_array),
    ".npz": (io.read_sequence, io.load_arrays, io.load_weights),
    ".csv": (io.read_sequence,),
    ".safetensors": (io.load_weights,),
}
SEQUENCE_ONLY = {"npy of NaN", "npz x of wrong shape", "npz targets of wrong length", "npz NaN targets"}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_refused_with_a_message(no_unpickling, tmp_path, case):
    suffix, data, message = HOSTILE[case]
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(data)
    for loader in (io.read_sequence,) if case in SEQUENCE_ONLY else LOADERS[suffix]:
        with pytest.raises(ValueError, match=message) as refused:
            loader(path)
        assert path.name in str(refused.value)


@pytest.mark.parametrize("suffix", [".npy", ".npz", ".csv", ".txt", ".safetensors"])
def test_folders_and_missing_files_are_refused(tmp_path, suffix):
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    loader = {".txt": io.read_text, ".safetensors": io.load_weights}.get(suffix, io.read_sequence)
    for path in (folder, tmp_path / f"missing{suffix}"):
        with pytest.raises(ValueError, match="not a file|cannot be read"):
            loader(path)


# ---- the Hopfield and RBM labs' array checks, which their file loaders hand the arrays to ------------------

ANY_ARRAYS = st.one_of(
    SMALL_ARRAYS,
    hnp.arrays("<f8", hnp.array_shapes(min_dims=1, max_dims=3, max_side=6), elements=st.sampled_from([0.0, 1.0])),
    st.just(np.array([None, 1], dtype=object)),
    st.just(np.full((2, 4), np.nan)),
)


@FUZZ
@given(arr=ANY_ARRAYS)
def test_rbm_image_stack_takes_binary_images_or_says_why(arr):
    try:
        rows, (h, w) = image_stack(arr)
    except ValueError as exc:
        assert str(exc)
        return
    assert rows.dtype == np.uint8 and set(np.unique(rows)) <= {0, 1} and rows.shape[1] == h * w


@FUZZ
@given(arr=ANY_ARRAYS)
def test_hopfield_patterns_are_bipolar_or_refused(arr):
    try:
        states = to_bipolar("patterns", arr)
    except ValueError as exc:
        assert str(exc)
        return
    assert states.dtype == np.int8 and set(np.unique(states)) <= {-1, 1}


@FUZZ
@given(arr=ANY_ARRAYS)
def test_hopfield_pictures_become_units_or_are_refused(arr):
    try:
        units = ink_to_states(arr)
    except ValueError as exc:
        assert str(exc)
        return
    assert units.size == arr.size and set(np.unique(units)) <= {-1, 1}
