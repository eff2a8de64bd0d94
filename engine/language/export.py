"""The language lab's trace for other tools: the model's reading of the text on show (``reading.Reading``), as
arrays for ``.npz`` or one row per character for CSV."""

from __future__ import annotations

import numpy as np

from engine.export import Table, TraceFormat
from engine.language.reading import Reading


def reading_arrays(reading: Reading) -> dict[str, np.ndarray]:
    return {"ids": reading.ids, "surprisal_bits": reading.surprisal, "top_ids": reading.top_ids,
            "top_probs": reading.top_probs, "hidden": reading.hidden}  # fmt: skip


def reading_table(reading: Reading) -> Table:
    top = reading.top_ids.shape[1]
    header = ["t", "id", "surprisal_bits", *(f"next{k + 1}_id" for k in range(top)),
              *(f"next{k + 1}_prob" for k in range(top))]  # fmt: skip
    columns = [np.arange(len(reading.ids)), reading.ids, reading.surprisal,
               *reading.top_ids.T, *reading.top_probs.T]  # fmt: skip
    return header, columns


FORMAT = TraceFormat(reading_arrays, reading_table)
