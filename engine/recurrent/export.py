"""A recurrent trace as arrays and as a table, for ``engine.export``.

A recurrent ``Inspection`` (or a ``Trace`` with its ``Grads``): arrays named ``x``, ``output``, ``mask``,
``lengths``, ``h_n`` (``c_n``), then per layer ``l`` and direction ``d`` ``l{l}.d{d}.gate.{g}`` and
``l{l}.d{d}.pre.{g}`` (T, B, H) for every gate ``g`` (``candidate`` for a plain RNN), ``.hidden``, ``.cell``
(LSTM), ``.extra`` (GRU), ``.dh``, ``.dc`` (T, B, H), ``.dh_norm``, ``.dc_norm`` (T,); ``grad.{name}`` for every
parameter; ``loss.step_loss`` (T, B) and ``loss.prediction`` when there was a loss.
CSV: one row per layer, direction, step, sequence and unit:
``layer,direction,step,sequence,unit,valid,<g>...,<g>_pre...,hidden[,cell][,extra],dh[,dc]``.
"""

from __future__ import annotations

import numpy as np

from engine.export import Table, TraceFormat
from engine.recurrent.inspect import Inspection
from engine.recurrent.model import Grads, Trace

GATE_LABELS = {"h̃": "candidate"}  # plain names for CSV headers and archive keys


def _gate_label(name: str) -> str:
    return GATE_LABELS.get(name, name)


def _unpack(trace: object, grads: Grads | None) -> tuple[Trace, Grads | None, Inspection | None]:
    if isinstance(trace, Inspection):
        return trace.trace, trace.grads, trace
    return trace, grads, None


def recurrent_arrays(trace: Inspection | Trace, grads: Grads | None = None) -> dict[str, np.ndarray]:
    """Every array of a forward (and backward) pass under the names in this module's docstring."""
    tr, grads, inspection = _unpack(trace, grads)
    out = {"x": tr.layers[0].input_values(), "output": tr.output, "mask": tr.mask, "lengths": tr.lengths}
    out["h_n"] = tr.h_n
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


FORMAT = TraceFormat(recurrent_arrays, recurrent_table)
