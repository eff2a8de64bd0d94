"""Reading and writing files: arrays, texts, sequences and weights, and the one atomic writer that
``engine.session_file`` and ``engine.export`` write through too.

Nothing is ever unpickled (``allow_pickle=False``); sizes are checked before data is read whole; every
problem is a ``ValueError`` that names the file and what is wrong with it; writes go to a temporary file
that is renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import stat
import tempfile
import tokenize
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from engine.checks import format_bytes, require_finite

MAX_FILE_BYTES = 512 * 1024**2
MAX_TEXT_BYTES = 16 * 1024**2
#: safetensors' own limit on the JSON header that describes the tensors.
MAX_SAFETENSORS_HEADER = 100_000_000
#: safetensors dtypes that NumPy holds as numbers (BF16 and the FP8 kinds have no NumPy twin).
SAFETENSORS_DTYPES = {
    "BOOL": np.dtype(bool),
    "U8": np.dtype(np.uint8),
    "I8": np.dtype(np.int8),
    "U16": np.dtype(np.uint16),
    "I16": np.dtype(np.int16),
    "U32": np.dtype(np.uint32),
    "I32": np.dtype(np.int32),
    "U64": np.dtype(np.uint64),
    "I64": np.dtype(np.int64),
    "F16": np.dtype(np.float16),
    "F32": np.dtype(np.float32),
    "F64": np.dtype(np.float64),
}
# What parsing a damaged archive or .npy header can raise besides ValueError: a corrupt deflate stream,
# a cut-off member, a compression method or encryption zipfile does not support, a header NumPy's tokenizer
# chokes on (one flipped byte gives tokenize.TokenError) or one pathologically nested.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, SyntaxError,
            tokenize.TokenError, RecursionError, MemoryError, OverflowError, TypeError, KeyError)  # fmt: skip


@dataclass
class Sequence:
    """x: (T, features); targets: (T,) class indices, (T, K) values, or None; labels: one per step."""

    x: np.ndarray
    targets: np.ndarray | None
    labels: list[str]


def _checked_size(path: Path, limit: int) -> int:
    try:
        info = path.stat()
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"{path.name} is not a file")  # a folder, or a pipe that reading would wait on forever
    size = info.st_size
    if size > limit:
        raise ValueError(f"{path.name} is {format_bytes(size)}, more than the {format_bytes(limit)} this reads")
    if size == 0:
        raise ValueError(f"{path.name} is empty")
    return size


def _read_npy(f: BinaryIO, what: str, size: int) -> np.ndarray:
    """The array of the ``.npy`` stream ``f`` of ``size`` bytes, its header checked before any data is read:
    numbers only (an object array would need unpickling) and no more data than the stream holds (NumPy
    allocates what a header claims before reading it)."""
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f".npy format version {version} is not read here")
    except (ValueError, *_DAMAGED) as exc:
        raise ValueError(f"{what} is not a readable .npy array ({exc})") from None
    if dtype.hasobject:
        raise ValueError(f"{what} holds Python objects, which would need unpickling; refused")
    if dtype.kind not in "biuf":
        raise ValueError(f"{what} holds {dtype}, not numbers")
    claimed = math.prod(shape) * dtype.itemsize
    if claimed > size - f.tell():
        raise ValueError(f"{what} claims {format_bytes(claimed)} of data but holds {format_bytes(size - f.tell())}")
    try:
        f.seek(0)
        return np.lib.format.read_array(f, allow_pickle=False)
    except (ValueError, *_DAMAGED) as exc:
        raise ValueError(f"{what} is not a readable .npy array ({exc})") from None


def load_array(path: str | os.PathLike) -> np.ndarray:
    """The one array of a ``.npy`` file: numbers only, never unpickled, its size checked before it is read."""
    path = Path(path)
    size = _checked_size(path, MAX_FILE_BYTES)
    try:
        with open(path, "rb") as f:
            return _read_npy(f, path.name, size)
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot be read ({exc.strerror})") from None


def load_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` archive (no pickles), after checking sizes and types."""
    path = Path(path)
    _checked_size(path, MAX_FILE_BYTES)
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            unpacked = sum(info.file_size for info in members)
            if unpacked > 4 * MAX_FILE_BYTES:
                raise ValueError(f"{path.name} would unpack to {format_bytes(unpacked)}; refused")
            arrays = {}
            for info in members:
                name = info.filename.removesuffix(".npy")
                with zf.open(info) as member:
                    arrays[name] = _read_npy(member, f"{path.name}: array {name!r}", info.file_size)
    except ValueError:
        raise
    except _DAMAGED as exc:
        raise ValueError(f"{path.name} is not a readable .npz archive ({exc})") from None
    if not arrays:
        raise ValueError(f"{path.name} holds no arrays")
    return arrays


def read_text(path: str | os.PathLike) -> str:
    """A UTF-8 text file (any script), refusing other encodings with a message."""
    path = Path(path)
    _checked_size(path, MAX_TEXT_BYTES)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path.name} is not UTF-8 text (byte {exc.start} cannot be decoded)") from None
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot be read ({exc.strerror})") from None


def _read_csv(path: Path) -> np.ndarray:
    _checked_size(path, MAX_FILE_BYTES)
    rows = []
    text = read_text(path)
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        raise ValueError(f"{path.name} is not a readable CSV table ({exc})") from None
    for k, row in enumerate(lines):
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            rows.append([float(cell) for cell in row])
        except ValueError:
            if k == 0 and not rows:
                continue  # a header line
            raise ValueError(f"{path.name}, line {k + 1}: not all values are numbers") from None
    if not rows:
        raise ValueError(f"{path.name} holds no numbers")
    if len({len(r) for r in rows}) > 1:
        raise ValueError(f"{path.name}: rows have different numbers of columns")
    return np.array(rows)


def read_sequence(path: str | os.PathLike) -> Sequence:
    """A sequence of vectors from ``.csv`` (one step per row), ``.npy`` (T,) or (T, F), or ``.npz`` with
    ``x`` (T, F) and optional ``targets`` (T,) or (T, K)."""
    path = Path(path)
    suffix = path.suffix.lower()
    targets = None
    if suffix == ".csv":
        x = _read_csv(path)
    elif suffix == ".npy":
        x = load_array(path)
    elif suffix == ".npz":
        arrays = load_arrays(path)
        if "x" not in arrays:
            raise ValueError(f"{path.name} has no array named 'x' (found: {', '.join(arrays) or 'none'})")
        x, targets = arrays["x"], arrays.get("targets")
    else:
        raise ValueError(f"{path.name}: sequences are read from .csv, .npy or .npz files")
    x = _as_steps(path.name, x)
    if targets is not None and (targets.shape[:1] != x.shape[:1] or targets.ndim > 2):
        raise ValueError(
            f"{path.name}: targets have shape {targets.shape}, expected ({x.shape[0]},) or ({x.shape[0]}, K)"
        )
    if targets is not None:
        require_finite(f"{path.name}: targets", targets)
    return Sequence(x, targets, [str(k) for k in range(x.shape[0])])


def _as_steps(name: str, x: np.ndarray) -> np.ndarray:
    if x.dtype.kind not in "biuf":
        raise ValueError(f"{name} holds {x.dtype}, not numbers")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(f"{name}: a sequence must be (steps,) or (steps, features), not {x.shape}")
    x = x.astype(np.float64)
    require_finite(name, x)
    return x


def _process_umask() -> int:
    """The umask this process started with, read without changing it where the OS tells it (Linux 4.7+)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way to read it is to set it. This runs once, under the import lock, when the module is
    # first imported (before any writer here exists); every later write uses FILE_MODE and never touches it.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


#: The mode of every file written here: what ``open()`` would give (0o666 less the umask). Read once at import:
#: setting the process-wide umask to read it, from the autosave thread and the GUI thread at once, would open
#: a window in which files are created without a mask.
FILE_MODE = 0o666 & ~_process_umask()


@contextlib.contextmanager
def replacing(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """The one atomic writer: yield a temporary path beside ``path`` for the caller to write; when the block
    ends without an error the file is flushed to disk, given the ordinary mode (``FILE_MODE``) and renamed over
    ``path``, so a crash leaves the old file or the new one; on any error it is removed and ``path`` untouched.

    ``suffix`` ends the temporary name; by default ``path``'s own, for writers that pick the format by suffix
    (``np.savez``, Qt, imageio). Callers that write through a file object pass ``".tmp"``, so that a
    temporary left by a killed process never looks like one of the files it would have replaced."""
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix if suffix is None else suffix,
                                dir=path.parent)  # fmt: skip
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())  # the data on disk before the rename, so a crash leaves the old file or the new
        os.chmod(tmp, FILE_MODE)  # mkstemp makes files private (0o600); a saved file is an ordinary one
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> None:
    """``write`` into a binary file that replaces ``path`` whole once it is complete (see ``replacing``)."""
    with replacing(path, suffix=".tmp") as tmp, open(tmp, "wb") as f:
        write(f)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 ``text`` atomically."""
    write_atomically(Path(path), lambda f: f.write(text.encode("utf-8")))


def save_arrays(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    """Write an ``.npz`` atomically: to a temporary file beside ``path``, then renamed over it. Arrays of Python
    objects are refused: ``np.savez`` would pickle them, and no reader here unpickles."""
    objects = sorted(name for name, a in arrays.items() if np.asarray(a).dtype.hasobject)
    if objects:
        raise ValueError(
            f"cannot write {', '.join(objects)} to {Path(path).name}: they hold Python objects, not numbers"
        )
    write_atomically(Path(path), lambda f: np.savez(f, **arrays))


# ---------------------------------------------------------------------------------------------- weights


def _safetensors_header(path: Path, size: int) -> dict:
    """The JSON header of a ``.safetensors`` file, checked against the file before any tensor is read.

    The format: 8 bytes little-endian header length N, N bytes of JSON ``{name: {"dtype", "shape",
    "data_offsets": [begin, end]}}`` (plus an optional ``__metadata__``), then the tensors' bytes."""
    with open(path, "rb") as f:
        prefix = f.read(8)
        if len(prefix) < 8:
            raise ValueError(f"{path.name} is too short to be a .safetensors file")
        n = int.from_bytes(prefix, "little")
        if n > min(size - 8, MAX_SAFETENSORS_HEADER):
            raise ValueError(
                f"{path.name}: its header claims {format_bytes(n)}, but the file holds {format_bytes(size - 8)} "
                "after the length; not a .safetensors file, or a damaged one"
            )
        raw = f.read(n)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"{path.name}: the .safetensors header is not readable JSON ({exc})") from None
    if not isinstance(header, dict):
        raise ValueError(f"{path.name}: the .safetensors header is not a table of tensors")
    header.pop("__metadata__", None)
    for name, entry in header.items():
        _check_tensor_entry(path.name, name, entry, size - 8 - n)
    return header


def _check_tensor_entry(file: str, name: str, entry: object, data_size: int) -> None:
    """One tensor's dtype, shape and byte range: a known numeric dtype and a range inside the file."""
    what = f"{file}: tensor {name!r}"
    if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= set(entry):
        raise ValueError(f"{what} is not described by dtype, shape and data_offsets")
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if dtype not in SAFETENSORS_DTYPES:
        raise ValueError(f"{what} holds {dtype}, which is not read here (use F32, F64, F16 or an integer type)")
    if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
        raise ValueError(f"{what} has shape {shape!r}, not a list of sizes")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)):
        raise ValueError(f"{what} has data_offsets {offsets!r}, not [begin, end]")
    begin, end = offsets
    nbytes = math.prod(shape) * SAFETENSORS_DTYPES[dtype].itemsize
    if not 0 <= begin <= end <= data_size or end - begin != nbytes:
        raise ValueError(
            f"{what} claims bytes {begin}..{end} for {format_bytes(nbytes)} of data, "
            f"but the file holds {format_bytes(data_size)} of tensors"
        )


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    size = _checked_size(path, MAX_FILE_BYTES)
    _safetensors_header(path, size)
    import safetensors.numpy  # here, not at start-up: only weight files need it

    try:
        loaded = safetensors.numpy.load_file(path)
    except Exception as exc:  # the library's SafetensorError, e.g. overlapping tensors: not a crash
        raise ValueError(f"{path.name} is not a readable .safetensors file ({exc})") from None
    # copies: the library's arrays may still look into the file through a memory map
    return {name: np.array(arr, copy=True) for name, arr in loaded.items()}


def load_weights(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Named weights from ``.npz`` or ``.safetensors`` (PyTorch's names, e.g. ``weight_ih_l0``), every
    array numeric and finite. Nothing is unpickled; sizes are checked against the file before reading."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".npz":
        arrays = load_arrays(path)
    elif suffix == ".safetensors":
        arrays = _load_safetensors(path)
    else:
        raise ValueError(f"{path.name}: weights are read from .npz or .safetensors files")
    if not arrays:
        raise ValueError(f"{path.name} holds no weights")
    for name, arr in arrays.items():
        require_finite(f"{path.name}: weight {name!r}", arr)
    return arrays


def weights_for(
    like: Mapping[str, np.ndarray], arrays: Mapping[str, np.ndarray], file: str, optional: Collection[str] = ()
) -> dict[str, np.ndarray]:
    """``arrays``, weights read from ``file``, made into the model's: the same names as ``like`` (those in
    ``optional`` may be missing, e.g. an output layer PyTorch's file lacks), each of its shape, converted to its
    dtype (float64 weights open in a float32 model and the other way) and finite after the conversion (values
    beyond float32 become Inf there, and are refused). ValueError naming the file and every bad name."""
    missing = sorted(set(like) - set(arrays) - set(optional))
    extra = sorted(set(arrays) - set(like))
    if missing or extra:
        raise ValueError(f"{file} does not fit this model (missing: {', '.join(missing) or 'none'}; "
                         f"unexpected: {', '.join(extra) or 'none'})")  # fmt: skip
    converted = {}
    for name, arr in arrays.items():
        if arr.shape != like[name].shape:
            raise ValueError(f"{file}: {name} has shape {arr.shape}, but the model's is {like[name].shape}")
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"{file}: {name} holds {arr.dtype}, not numbers")
        with np.errstate(over="ignore"):  # beyond the model's precision becomes Inf, refused just below
            converted[name] = arr.astype(like[name].dtype)
    bad = [name for name, arr in converted.items() if not np.isfinite(arr).all()]
    if bad:
        raise ValueError(f"{file}: {', '.join(bad)} hold NaN or Inf (or values beyond {like[bad[0]].dtype})")
    return converted


def save_weights(path: str | os.PathLike, params: dict[str, np.ndarray]) -> None:
    """Write named weights to ``.npz`` or ``.safetensors`` (which PyTorch reads with
    ``safetensors.torch.load_file``), atomically. Refuses non-numeric or non-finite arrays."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".npz", ".safetensors"):
        raise ValueError(f"{path.name}: weights are written to .npz or .safetensors files")
    arrays = {}
    for name, value in params.items():
        arr = np.ascontiguousarray(value)
        if not isinstance(name, str) or arr.dtype not in SAFETENSORS_DTYPES.values():
            raise ValueError(f"weight {name!r} holds {arr.dtype}; only numbers (float16/32/64, integers) are saved")
        require_finite(f"weight {name!r}", arr)
        arrays[name] = arr
    if suffix == ".npz":
        save_arrays(path, arrays)
    else:
        import safetensors.numpy

        blob = safetensors.numpy.save(arrays)
        write_atomically(path, lambda f: f.write(blob))
