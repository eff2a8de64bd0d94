"""Traces as files for other tools: every array to ``.npz``, or one long table to CSV.

What each trace becomes (``trace_arrays`` / ``trace_table``):

- a recurrent ``Inspection`` (or a ``Trace`` with its ``Grads``): arrays named ``x``, ``output``, ``mask``,
  ``lengths``, ``h_n`` (``c_n``), then per layer ``l`` and direction ``d`` ``l{l}.d{d}.gate.{g}`` and
  ``l{l}.d{d}.pre.{g}`` (T, B, H) for every gate ``g`` (``candidate`` for a plain RNN), ``.hidden``, ``.cell``
  (LSTM), ``.extra`` (GRU), ``.dh``, ``.dc`` (T, B, H), ``.dh_norm``, ``.dc_norm`` (T,); ``grad.{name}`` for every
  parameter; ``loss.step_loss`` (T, B) and ``loss.prediction`` when there was a loss.
  CSV: one row per layer, direction, step, sequence and unit:
  ``layer,direction,step,sequence,unit,valid,<g>...,<g>_pre...,hidden[,cell][,extra],dh[,dc]``.
- a Hopfield ``RecallTrace``: ``initial``, ``energies``, ``flip_steps``, ``flip_units``, ``sweep_ends``,
  ``visited`` (async), ``states`` (S+1, N) int8 up to 64 MiB, and 0-d flags ``sync``, ``binary_units``,
  ``converged``, ``cycle``. CSV: one row per state ``k`` = 0..S:
  ``step,energy,sweep,visited,n_flipped,flipped_units`` for the move into state k (sweep 0 and visited -1 for
  the start state; visited -1 in sync mode, where a step visits every unit; flipped units separated by spaces).
- an RBM ``GibbsTrace``: ``visible``, ``hidden``, ``visible_prob``, ``hidden_prob`` as they are.
  CSV: one row per step, chain, layer and unit: ``step,chain,layer,unit,sample,probability``.

Every write is atomic: a temporary file beside the target, renamed over it when complete.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from engine.hopfield import RecallTrace
from engine.rbm import GibbsTrace
from engine.recurrent.inspect import Inspection
from engine.recurrent.model import Grads, Trace

TRACE_SUFFIXES = (".npz", ".csv")
GATE_LABELS = {"h̃": "candidate"}  # plain names for CSV headers and archive keys
MAX_STATES_BYTES = 64 * 1024**2  # Hopfield states (int8) written out in full up to this size
Table = tuple[list[str], list[np.ndarray]]  # a header and one equally long column per name


def check_target(path: str | os.PathLike, suffixes: tuple[str, ...]) -> Path:
    """``path`` as a Path, after checking its suffix is one of ``suffixes`` and its folder exists."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise ValueError(f"{path.name}: cannot write {suffix or 'a file without a suffix'}; use {', '.join(suffixes)}")
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise ValueError(f"cannot write {path.name}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise ValueError(f"cannot write {path.name}: the folder {parent} is not writable")
    return path


@contextlib.contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix, so writers pick the same format); when the block
    ends without an error it is renamed over ``path``, otherwise deleted."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())  # on disk before the rename, so a crash leaves the old file or the new one
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _gate_label(name: str) -> str:
    return GATE_LABELS.get(name, name)


def _unpack(trace: object, grads: Grads | None) -> tuple[Trace, Grads | None, Inspection | None]:
    if isinstance(trace, Inspection):
        return trace.trace, trace.grads, trace
    return trace, grads, None


def recurrent_arrays(trace: Inspection | Trace, grads: Grads | None = None) -> dict[str, np.ndarray]:
    """Every array of a forward (and backward) pass under the names in this module's docstring."""
    tr, grads, inspection = _unpack(trace, grads)
    out = {"x": tr.layers[0].input_values(), "output": tr.output, "mask": tr.mask, "lengths": tr.lengths, "h_n": tr.h_n}
    if tr.c_n is not None:
        out["c_n"] = tr.c_n
    for k, lt in enumerate(tr.layers):
        key = f"l{lt.layer}.d{lt.direction}"
        for g in lt.gate_names:
            out[f"{key}.gate.{_gate_label(g)}"] = lt.gate(g)
            out[f"{key}.pre.{_gate_label(g)}"] = lt.gate(g, pre=True)
        for name in ("hidden", "cell", "extra"):
            if getattr(lt, name) is not None:
                out[f"{key}.{name}"] = getattr(lt, name)
        if grads is not None:
            out[f"{key}.dh"], out[f"{key}.dh_norm"] = grads.dh[k], grads.dh_norm[k]
            if grads.dc is not None:
                out[f"{key}.dc"], out[f"{key}.dc_norm"] = grads.dc[k], grads.dc_norm[k]
    if grads is not None:
        out.update({f"grad.{name}": g for name, g in grads.params.items()})
    if inspection is not None and inspection.loss is not None:
        out["loss.step_loss"] = inspection.loss.step_loss
        out["loss.prediction"] = inspection.loss.prediction
    return {name: np.ascontiguousarray(a) for name, a in out.items()}


def recurrent_table(trace: Inspection | Trace, grads: Grads | None = None) -> Table:
    """One row per layer, direction, step, sequence and unit (L·D·T·B·H rows)."""
    tr, grads, _ = _unpack(trace, grads)
    first = tr.layers[0]
    names = [_gate_label(g) for g in first.gate_names]
    states = [n for n in ("hidden", "cell", "extra") if getattr(first, n) is not None]
    header = ["layer", "direction", "step", "sequence", "unit", "valid", *names, *(f"{n}_pre" for n in names)]
    header += states
    if grads is not None:
        header += ["dh"] + (["dc"] if grads.dc is not None else [])
    blocks = []
    for k, lt in enumerate(tr.layers):
        t, b, u = (a.ravel() for a in np.indices(lt.hidden.shape))
        columns = [np.full(t.size, lt.layer), np.full(t.size, lt.direction), t, b, u, tr.mask[t, b].astype(np.int8)]
        columns += [lt.gate(g).ravel() for g in lt.gate_names]
        columns += [lt.gate(g, pre=True).ravel() for g in lt.gate_names]
        columns += [getattr(lt, n).ravel() for n in states]
        if grads is not None:
            columns += [grads.dh[k].ravel()] + ([grads.dc[k].ravel()] if grads.dc is not None else [])
        blocks.append(columns)
    return header, [np.concatenate(parts) for parts in zip(*blocks, strict=True)]


def hopfield_arrays(trace: RecallTrace) -> dict[str, np.ndarray]:
    """The recall's arrays, its states when they fit in memory, and its mode as 0-d flags."""
    out = {name: getattr(trace, name) for name in ("initial", "energies", "flip_steps", "flip_units", "sweep_ends")}
    if trace.visited is not None:
        out["visited"] = trace.visited
    if (trace.n_steps + 1) * trace.n_units <= MAX_STATES_BYTES:  # else they can be rebuilt from the flips
        out["states"] = trace.states
    flags = {"sync": trace.mode == "sync", "binary_units": trace.units == "binary"}
    flags.update(converged=trace.converged, cycle=trace.cycle)
    out.update({name: np.array(value) for name, value in flags.items()})
    return out


def hopfield_table(trace: RecallTrace) -> Table:
    """One row per state k = 0..S; the visit and the flips are those of the move into state k."""
    k = np.arange(trace.n_steps + 1)
    sweep = np.where(k > 0, np.minimum(np.searchsorted(trace.sweep_ends, k) + 1, trace.n_sweeps), 0)
    bounds = np.searchsorted(trace.flip_steps, k)  # flips of the moves before state k
    n_flipped = np.diff(bounds, prepend=0)
    flipped = [" ".join(map(str, trace.flip_units[lo:hi])) for lo, hi in zip(bounds - n_flipped, bounds, strict=True)]
    visited = np.full(k.size, -1, np.int64) if trace.visited is None else np.concatenate([[-1], trace.visited])
    header = ["step", "energy", "sweep", "visited", "n_flipped", "flipped_units"]
    return header, [k, trace.energies, sweep, visited, n_flipped, np.array(flipped, dtype=object)]


def _batched(a: np.ndarray) -> np.ndarray:
    """(steps + 1, B, n) whether or not the chain was run with a batch axis."""
    return a[:, None, :] if a.ndim == 2 else a


def rbm_arrays(trace: GibbsTrace) -> dict[str, np.ndarray]:
    return {n: np.ascontiguousarray(getattr(trace, n)) for n in ("visible", "hidden", "visible_prob", "hidden_prob")}


def rbm_table(trace: GibbsTrace) -> Table:
    """One row per step, chain, layer (0 visible, 1 hidden) and unit: the sample and its probability."""
    sample = np.concatenate([_batched(trace.visible), _batched(trace.hidden)], axis=-1)
    prob = np.concatenate([_batched(trace.visible_prob), _batched(trace.hidden_prob)], axis=-1)
    n_visible = trace.visible.shape[-1]
    t, b, j = (a.ravel() for a in np.indices(sample.shape))
    layer = (j >= n_visible).astype(np.int8)
    unit = np.where(layer == 1, j - n_visible, j)
    header = ["step", "chain", "layer", "unit", "sample", "probability"]
    return header, [t, b, layer, unit, sample.ravel(), prob.ravel()]


def _exporters(trace: object):
    """(arrays, table) functions for the kind of ``trace``: one place that knows every lab's trace type."""
    if isinstance(trace, Inspection | Trace):
        return recurrent_arrays, recurrent_table
    if isinstance(trace, RecallTrace):
        return hopfield_arrays, hopfield_table
    if isinstance(trace, GibbsTrace):
        return rbm_arrays, rbm_table
    raise ValueError(f"cannot export a {type(trace).__name__}; expected a recurrent, Hopfield or RBM trace")


def trace_arrays(trace: object) -> dict[str, np.ndarray]:
    """The arrays of any trace the labs show (see the module docstring for their names)."""
    return _exporters(trace)[0](trace)


def trace_table(trace: object) -> Table:
    """Header and rows of any trace the labs show (see the module docstring for the columns)."""
    return _exporters(trace)[1](trace)


def _formatted(column: np.ndarray) -> np.ndarray:
    """Strings for one column: integers as such, floats as the shortest text that reads back the same."""
    if column.dtype.kind in "biu":
        return column.astype(np.int64).astype(str)
    return column.astype(str)  # NumPy writes floats with the shortest round-trip digits of their precision


def write_csv(path: str | os.PathLike, header: list[str], columns: list[np.ndarray]) -> None:
    """A CSV with ``header`` then one row per entry of the (equally long) ``columns``, written atomically."""
    path = check_target(path, (".csv",))
    text = [_formatted(np.asarray(c)) for c in columns]
    with replacing(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(zip(*text, strict=True))


def save_trace(path: str | os.PathLike, trace: object) -> Path:
    """Write ``trace`` to ``path``: ``.npz`` (every array) or ``.csv`` (one long table). Returns the path."""
    path = check_target(path, TRACE_SUFFIXES)
    if path.suffix.lower() == ".npz":
        arrays = trace_arrays(trace)
        with replacing(path) as tmp:
            np.savez(tmp, **arrays)
    else:
        write_csv(path, *trace_table(trace))
    return path
