"""A Hopfield recall as arrays and as a table, for ``engine.export``.

A Hopfield ``RecallTrace``: ``initial``, ``energies``, ``flip_steps``, ``flip_units``, ``sweep_ends``,
``visited`` (async), ``states`` (S+1, N) int8 up to 64 MiB, and 0-d flags ``sync``, ``binary_units``,
``converged``, ``cycle``. CSV: one row per state ``k`` = 0..S:
``step,energy,sweep,visited,n_flipped,flipped_units`` for the move into state k (sweep 0 and visited -1 for
the start state; visited -1 in sync mode, where a step visits every unit; flipped units separated by spaces).
"""

from __future__ import annotations

import numpy as np

from engine.export import Table, TraceFormat
from engine.hopfield import RecallTrace

MAX_STATES_BYTES = 64 * 1024**2  # states (int8) written out in full up to this size


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


FORMAT = TraceFormat(hopfield_arrays, hopfield_table)
