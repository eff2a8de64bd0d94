"""An encoder–decoder's trace as arrays and as a table, for ``engine.export``.

Arrays: ``src``, ``src_lengths``, ``tgt_in``, ``forced`` (teacher-forced inputs), ``annotations`` (S, B, H),
``features``, ``logits``, ``attention`` (T, B, S) and ``context`` (with attention), and the encoder's and
decoder's recurrent traces under ``encoder.`` and ``decoder.`` (``engine.recurrent.export``'s names).
CSV: one row per target step, column and source step: ``step,sequence,source_step,valid,input,attention``.
"""

from __future__ import annotations

import numpy as np

from engine.export import Table, TraceFormat
from engine.recurrent.export import recurrent_arrays
from engine.seq2seq.model import Seq2SeqTrace


def seq2seq_arrays(trace: Seq2SeqTrace) -> dict[str, np.ndarray]:
    out = {name: getattr(trace, name) for name in ("src", "src_lengths", "tgt_in", "forced", "annotations",
                                                  "features", "logits", "attention", "context")}  # fmt: skip
    out = {k: v for k, v in out.items() if v is not None}
    out.update({f"encoder.{k}": v for k, v in recurrent_arrays(trace.encoder).items()})
    out.update({f"decoder.{k}": v for k, v in recurrent_arrays(trace.decoder).items()})
    return {k: np.ascontiguousarray(v) for k, v in out.items()}


def seq2seq_table(trace: Seq2SeqTrace) -> Table:
    T, B = trace.tgt_in.shape
    S = trace.src.shape[0]
    t, b, s = (a.ravel() for a in np.indices((T, B, S)))
    attention = trace.attention if trace.attention is not None else np.zeros((T, B, S))
    valid = trace.valid.T[b, s]
    columns = [t, b, s, valid.astype(np.int8), trace.tgt_in[t, b], attention[t, b, s]]
    return ["step", "sequence", "source_step", "valid", "input", "attention"], columns


FORMAT = TraceFormat(seq2seq_arrays, seq2seq_table)
