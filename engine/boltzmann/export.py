"""A Boltzmann machine's annealing run (``AnnealTrace``) as arrays and as a table, for ``engine.export``.

Arrays: ``states`` (P + 1, n) int8, ``energies`` (P + 1,), ``temperatures`` (P,), ``units`` (P,), ``free`` (F,),
and 0-d ``anneal_probes`` and ``temperature``. CSV: one row per state k = 0..P,
``probe,stage,unit,temperature,energy,state``: the probe that led to state k (stage "start" for the first state,
then "anneal" or "sample"; unit −1 and the first probe's temperature there), and the state as a string of 0/1
for units 0..n−1.
"""

from __future__ import annotations

import numpy as np

from engine.boltzmann.sampling import AnnealTrace
from engine.export import Table, TraceFormat


def boltzmann_arrays(trace: AnnealTrace) -> dict[str, np.ndarray]:
    out = {name: getattr(trace, name) for name in ("states", "energies", "temperatures", "units", "free")}
    out.update(anneal_probes=np.array(trace.anneal_probes), temperature=np.array(trace.temperature))
    return out


def boltzmann_table(trace: AnnealTrace) -> Table:
    k = np.arange(trace.n_probes + 1)
    stage = np.where(k == 0, "start", np.where(k <= trace.anneal_probes, "anneal", "sample")).astype(object)
    unit = np.concatenate([[-1], trace.units])
    temperature = np.concatenate([trace.temperatures[:1], trace.temperatures])
    state = np.array(["".join(map(str, row)) for row in trace.states], dtype=object)
    header = ["probe", "stage", "unit", "temperature", "energy", "state"]
    return header, [k, stage, unit, temperature, trace.energies, state]


FORMAT = TraceFormat(boltzmann_arrays, boltzmann_table)
