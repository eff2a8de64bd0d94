"""Recurrent networks (RNN, LSTM and variants, GRU; stacked, bidirectional) with complete traces.

from engine.recurrent import RecurrentSpec, init_params, forward, backward
"""

from engine.recurrent.flow import gradient_flow
from engine.recurrent.inspect import Inspection, inspect
from engine.recurrent.model import Grads, LayerTrace, Trace, backward, forward, trace_bytes
from engine.recurrent.spec import CELLS, FORGET_GATE_VARIANTS, VARIANTS, RecurrentSpec, init_params

__all__ = [
    "CELLS",
    "FORGET_GATE_VARIANTS",
    "VARIANTS",
    "Grads",
    "Inspection",
    "LayerTrace",
    "RecurrentSpec",
    "Trace",
    "backward",
    "forward",
    "gradient_flow",
    "init_params",
    "inspect",
    "trace_bytes",
]
