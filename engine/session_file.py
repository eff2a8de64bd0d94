"""Session files (``.unroll``): one lab's whole state, as JSON for settings and NumPy arrays for the rest.

The format is a ZIP archive, readable with nothing but the standard library and NumPy::

    session.json          {"format": "unroll-session", "version": 1, "lab": "recurrent", "saved": "...",
                           "state": {...}}   (UTF-8, any script)
    arrays/<name>.npy     one member per array; names may contain "/" (e.g. arrays/param/weight_hh_l0.npy)

Reading checks everything a hostile file could abuse before it is read whole: the file's size, the sizes the
archive's directory declares for its members (refused above the memory cap), each array's header (numbers
only, never unpickled, no more data than the member holds). Writing is atomic.
"""

from __future__ import annotations

import io as bytes_io
import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from engine.checks import check_memory, format_bytes
from engine.io import _DAMAGED, _checked_size, _read_npy, write_atomically

FORMAT = "unroll-session"
VERSION = 1
SUFFIX = ".unroll"
MAX_SESSION_BYTES = 1024**3
MAX_JSON_BYTES = 64 * 1024**2
_JSON = "session.json"
_ARRAYS = "arrays/"


@dataclass
class SessionFile:
    """``state``: JSON values (dicts, lists, str, numbers, bools, None); ``arrays``: name → array."""

    lab: str
    state: dict
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    saved: str = ""
    version: int = VERSION


def save_session(path: str | os.PathLike, session: SessionFile) -> None:
    """Write ``session`` atomically (a crash mid-save leaves the previous file as it was)."""
    header = {"format": FORMAT, "version": VERSION, "lab": session.lab,
              "saved": datetime.now(UTC).isoformat(timespec="seconds"), "state": session.state}  # fmt: skip
    text = json.dumps(header, ensure_ascii=False, allow_nan=True, indent=1)

    def write(f) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(_member(_JSON), text.encode("utf-8"))
            for name, arr in session.arrays.items():
                buf = bytes_io.BytesIO()
                np.save(buf, np.ascontiguousarray(arr), allow_pickle=False)
                zf.writestr(_member(f"{_ARRAYS}{name}.npy"), buf.getvalue())

    write_atomically(path, write)


def _member(name: str) -> zipfile.ZipInfo:
    # a fixed date: the same state always gives the same bytes (the time of saving is in session.json)
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def load_session(path: str | os.PathLike, lab: str | None = None) -> SessionFile:
    """The session in ``path``; ValueError naming the file and the problem for anything else.

    With ``lab``, a session of another lab is refused too."""
    path = Path(path)
    _checked_size(path, MAX_SESSION_BYTES)
    try:
        with zipfile.ZipFile(path) as zf:
            members = {info.filename: info for info in zf.infolist()}
            if _JSON not in members:
                raise ValueError(f"{path.name} is not an Unroll session (it has no {_JSON})")
            # the directory's sizes bound what reading can allocate: zipfile stops each member there
            check_memory(sum(info.file_size for info in members.values()), f"opening the session {path.name}")
            header = _read_header(path.name, zf, members[_JSON])
            arrays = {}
            for name, info in members.items():
                if name == _JSON or name.endswith("/"):
                    continue
                if not (name.startswith(_ARRAYS) and name.endswith(".npy")):
                    raise ValueError(f"{path.name}: unexpected member {name!r}")
                key = name[len(_ARRAYS) : -len(".npy")]
                with zf.open(info) as member:
                    arrays[key] = _read_npy(member, f"{path.name}: array {key!r}", info.file_size)
    except UnicodeDecodeError as exc:  # a damaged member name (a ValueError, but not one of ours)
        raise ValueError(f"{path.name} is not a readable session file ({exc})") from None
    except ValueError:
        raise
    except _DAMAGED as exc:
        raise ValueError(f"{path.name} is not a readable session file ({exc})") from None
    if lab is not None and header["lab"] != lab:
        raise ValueError(f"{path.name} is a session of the {header['lab']} lab, not of the {lab} lab")
    return SessionFile(header["lab"], header["state"], arrays, header.get("saved", ""), header["version"])


def _read_header(file: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict:
    if info.file_size > MAX_JSON_BYTES:
        raise ValueError(f"{file}: its {_JSON} is {format_bytes(info.file_size)}; refused")
    try:
        header = json.loads(zf.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"{file}: {_JSON} is not valid UTF-8 JSON ({exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{file} is not an Unroll session (its {_JSON} does not say format {FORMAT!r})")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise ValueError(f"{file} is a session of format version {version!r}; this Unroll reads 1 to {VERSION}")
    if not isinstance(header.get("lab"), str) or not isinstance(header.get("state"), dict):
        raise ValueError(f"{file}: {_JSON} lacks the lab's name or its state")
    return header
