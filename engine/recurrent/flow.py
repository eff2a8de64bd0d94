"""The picture of vanishing and exploding gradients: how much the loss at each step sends back to each state.

M[t, s] = ‖∂L_t/∂h_s‖ needs one backward pass per loss step t (a norm of a sum is not the sum of norms), but
not the weight gradients a training backward pass computes: only the states' gradients are propagated. And the
T passes are independent, so they run side by side as one batch of T·B sequences (in chunks that fit
``FLOW_CHUNK_BYTES``), each copy of the trace carrying the loss of one step: one sweep through the kernels
with wide matrix products instead of T sweeps with narrow ones.
"""

from __future__ import annotations

import numpy as np

from engine.checks import as_float_array, check_memory, require_shape
from engine.recurrent.model import LayerTrace, Trace, _impl, backprop, check_params, trace_bytes
from engine.recurrent.spec import RecurrentSpec

FLOW_CHUNK_BYTES = 64 * 1024**2
"""Memory for the copies of the trace that one chunk of backward passes runs on."""


def gradient_flow(
    spec: RecurrentSpec, params: dict[str, np.ndarray], trace: Trace, d_output: np.ndarray, backend: str = "numba"
) -> np.ndarray:
    """(L·D, T, T) matrix M[k, t, s] = ‖∂L_t/∂h_s‖: how much the loss at step t sends back to the state at s.

    ``d_output`` (T, B, D·H) is ∂L/∂output, whose step t is ∂L_t/∂output_t when the loss is a sum of
    per-step losses. Norms are over the batch and the units, as ``Grads.dh_norm``.
    """
    impl = _impl(backend)
    if trace.spec != spec:
        raise ValueError("the trace was computed by a different network spec")
    dtype = check_params(spec, params)
    d_output = as_float_array("d_output", d_output, dtype)
    require_shape("d_output", d_output, trace.output.shape)
    T, B, DH = d_output.shape
    LD, H = spec.num_layers * spec.directions, spec.hidden_size
    check_memory(LD * T * T * 8, f"the gradient flow of {T} × {T} steps")
    per_pass = trace_bytes(spec, T, B, dtype.itemsize, trace.tokens is not None)
    chunk = max(1, min(T, FLOW_CHUNK_BYTES // per_pass))
    check_memory(chunk * per_pass, f"{chunk} backward passes of {T} steps × batch {B}")
    flow = np.zeros((LD, T, T))
    for first in range(0, T, chunk):
        n = min(chunk, T - first)
        # one direction only: the loss at t cannot reach a state after t, so the steps after first + n - 1 are
        # left out (their gradients are exactly zero); a reverse direction reads the whole sequence
        S = T if spec.bidirectional else first + n
        d = np.zeros((S, n * B, DH), dtype)
        for j in range(n):  # copy j of the batch carries the loss of step first + j only
            d[first + j, j * B : (j + 1) * B] = d_output[first + j]
        zero = np.zeros((LD, n * B, H), dtype)
        dh = backprop(impl, spec, params, _tiled(trace, n, S), d, zero, zero, 0, param_grads=False).dh
        norms = np.sqrt((dh.reshape(LD, S, n, B, H).astype(np.float64) ** 2).sum(axis=(3, 4)))  # (LD, s, j)
        flow[:, first : first + n, :S] = norms.transpose(0, 2, 1)
    return flow


def _tile(a: np.ndarray | None, n: int, steps: int) -> np.ndarray | None:
    """The first ``steps`` of ``a`` (T, B, ...) repeated n times along the batch: (steps, n·B, ...), copy j at
    rows j·B…(j+1)·B. A variational dropout mask (1, B, ...) keeps its single step."""
    return None if a is None else np.tile(a[:steps], (1, n) + (1,) * (a.ndim - 2))


def _tiled(trace: Trace, n: int, steps: int) -> Trace:
    """n copies of ``trace``'s first ``steps`` as one batch, with what a backward pass of the states reads."""
    layers = [
        LayerTrace(
            lt.layer,
            lt.direction,
            None,  # the inputs: only the weight gradients read them
            _tile(lt.gates_pre, n, steps),
            _tile(lt.gates, n, steps),
            _tile(lt.hidden, n, steps),
            np.tile(lt.h0, (n, 1)),
            _tile(lt.cell, n, steps),
            None if lt.c0 is None else np.tile(lt.c0, (n, 1)),
            _tile(lt.extra, n, steps),
            lt.gate_names,
        )
        for lt in trace.layers
    ]
    drop = [_tile(m, n, steps) for m in trace.dropout_masks]
    lengths = np.minimum(np.tile(trace.lengths, n), steps)
    return Trace(trace.spec, None, None, None, layers, lengths, _tile(trace.mask, n, steps), drop)
