"""Forward and backward passes through delay networks, with complete traces in the recurrent lab's shapes.

``forward`` validates and allocates, then runs the layers (NARX's time loop through the Numba kernels, or with
``backend="reference"`` the NumPy references); it returns a ``DelayTrace``, a recurrent ``Trace`` whose
``layers`` hold each layer's input, pre-activation, activation and state, so that every recurrent view reads it.
``backward`` walks it back and returns every gradient with its magnitude at every step; ``gradient_flow`` the
(L, T, T) matrix ‖∂L_t/∂h_s‖ of the views.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.checks import as_float_array, check_memory, require_finite, require_shape
from engine.delay import reference  # and kernels, imported where used: the window opens before Numba loads
from engine.delay.spec import DelaySpec
from engine.recurrent.model import Grads, LayerTrace, Trace

BACKENDS = ("numba", "reference")
FLOW_CHUNK_BYTES = 64 * 1024**2


@dataclass
class DelayTrace(Trace):
    """A recurrent ``Trace`` (layers[l]: inputs, gates_pre = a, gates = hidden = h) and NARX's output line:
    outputs (T, B, M) the y_t it made, fed (T, B, M, Ky) the values on its output delay line at each step
    (its own outputs closed-loop, the true ones teacher-forced); None for TDNN and AR."""

    outputs: np.ndarray | None = None
    fed: np.ndarray | None = None
    teacher: bool = False


@dataclass
class DelayGrads(Grads):
    """``Grads`` and the output layer's gradient through NARX's feedback (``head.weight``, ``head.bias``), which
    the head's own loss gradient does not include; empty for TDNN and AR."""

    head: dict[str, np.ndarray] = field(default_factory=dict)


def trace_bytes(spec: DelaySpec, T: int, B: int, itemsize: int) -> int:
    """Size of a trace and its backward pass, known before either is computed."""
    H, L = spec.hidden_size, spec.num_layers
    per_step = spec.input_size * (2 + spec.taps) + L * H * (6 + spec.window)
    if spec.cell == "narx":
        per_step += spec.output_size * (4 + 2 * spec.output_delays)
    return T * B * itemsize * per_step


def check_params(spec: DelaySpec, params: dict[str, np.ndarray]) -> np.dtype:
    """Every parameter present with its shape and one floating dtype, finite; returns that dtype."""
    shapes = spec.param_shapes()
    missing = [name for name in shapes if name not in params]
    if missing:
        raise ValueError(f"parameters missing for {spec.describe()}: {', '.join(missing)}")
    dtypes = {np.asarray(params[name]).dtype for name in shapes}
    if len(dtypes) != 1 or next(iter(dtypes)) not in (np.float32, np.float64):
        raise ValueError(f"parameters must all be float32 or all float64, not {sorted(map(str, dtypes))}")
    for name, shape in shapes.items():
        require_shape(name, params[name], shape)
        require_finite(name, params[name])
    return next(iter(dtypes))


def _inputs(spec: DelaySpec, x, dtype) -> np.ndarray:
    """(T, B, In) numbers; token ids (T, B) become one-hot vectors here."""
    x = np.asarray(x)
    if x.ndim == 2 and x.dtype.kind in "iu":
        if x.size and (x.min() < 0 or x.max() >= spec.input_size):
            raise ValueError(f"token ids must be from 0 to {spec.input_size - 1}; found {x.min()}..{x.max()}")
        check_memory(x.size * spec.input_size * np.dtype(dtype).itemsize, "the one-hot inputs")
        return np.eye(spec.input_size, dtype=dtype)[x]
    x = as_float_array("x", x, dtype)
    if x.ndim != 3 or x.shape[2] != spec.input_size:
        raise ValueError(f"x must be (T, B, {spec.input_size}) numbers or (T, B) token ids, not shape {x.shape}")
    require_finite("x", x)
    return x


def forward(spec: DelaySpec, params: dict[str, np.ndarray], x, lengths=None, *, head=None, teacher=None,
            backend: str = "numba", check_steps: bool = True) -> DelayTrace:  # fmt: skip
    """x: (T, B, input_size) or (T, B) token ids. NARX needs the output layer ``head`` ({"head.weight" (M, H),
    "head.bias" (M,)}) to make the outputs it feeds back, and teacher-forced the true outputs ``teacher``
    (T, B, M). A window or delay line longer than T is refused, unless ``check_steps`` is False: a model checked
    against its task's length also takes that task's shorter sequences (frames before the start are zero)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    dtype = check_params(spec, params)
    x = _inputs(spec, x, dtype)
    T, B = x.shape[:2]
    if check_steps:
        spec.check_steps(T)
    lengths = np.full(B, T, np.int64) if lengths is None else np.asarray(lengths, np.int64)
    require_shape("lengths", lengths, (B,))
    if lengths.size and (lengths.min() < 1 or lengths.max() > T):
        raise ValueError(f"lengths must be from 1 to {T}")
    check_memory(trace_bytes(spec, T, B, dtype.itemsize), f"a batch of {B} × {T} steps through {spec.describe()}")
    mask = np.arange(T)[:, None] < lengths[None, :]
    if spec.cell == "narx":
        layers, extra = _narx_forward(spec, params, x, head, teacher, backend, dtype)
    else:
        layers, extra = _tdnn_forward(spec, params, x), {}
    top = layers[-1].hidden
    output = top * mask[:, :, None]
    h_n = np.stack([lt.hidden[lengths - 1, np.arange(B)] for lt in layers])
    return DelayTrace(spec, output, h_n, None, layers, lengths, mask, [None] * len(layers), **extra)


def _tdnn_forward(spec: DelaySpec, params, x) -> list[LayerTrace]:
    layers, u = [], x
    B = x.shape[1]
    for layer in range(spec.num_layers):
        a, h = reference.tdnn_layer_forward(u, params[f"weight_l{layer}"], params[f"bias_l{layer}"], spec.activation)
        zero = np.zeros((B, spec.hidden_size), x.dtype)
        layers.append(LayerTrace(layer, 0, u, a, h, h, zero, gate_names=spec.gates))
        u = h
    return layers


def _narx_forward(spec: DelaySpec, params, x, head, teacher, backend, dtype):
    if head is None:
        raise ValueError("NARX feeds back its outputs: it needs the output layer's weights")
    V, c = head["head.weight"].astype(dtype), head["head.bias"].astype(dtype)
    M = spec.output_size
    require_shape("head.weight", V, (M, spec.hidden_size))
    T, B = x.shape[:2]
    if spec.feedback == "teacher":
        if teacher is None:
            raise ValueError("NARX teacher-forced needs the true output at every step; this sequence has none "
                             "(train it closed-loop)")  # fmt: skip
        teacher = as_float_array("teacher", teacher, dtype)
        require_shape("teacher outputs", teacher, (T, B, M))
    W_x, W_y, b = params["weight_x"], params["weight_y"], params["bias"]
    if backend == "reference":
        a, h, z, y, fed = reference.narx_forward(x, W_x, W_y, b, V, c, spec.output_activation, teacher)
    else:
        H, Kx = spec.hidden_size, spec.input_delays
        ax = (reference.windows(x, Kx).reshape(T * B, -1) @ W_x.reshape(H, -1).T + b).reshape(T, B, H)
        a, h = np.empty_like(ax), np.empty_like(ax)
        z, y = np.empty((T, B, M), dtype), np.empty((T, B, M), dtype)
        fed = np.zeros((T, B, M, spec.output_delays), dtype)
        source = teacher if teacher is not None else np.zeros((1, 1, 1), dtype)
        from engine.delay import kernels

        kernels._narx_forward(ax, W_y, V, c, kernels.KINDS[spec.output_activation], source, teacher is not None,
                              a, h, z, y, fed)  # fmt: skip
    zero = np.zeros((B, spec.hidden_size), dtype)
    layer = LayerTrace(0, 0, x, a, h, h, zero, gate_names=spec.gates)
    return [layer], {"outputs": y, "fed": fed, "teacher": teacher is not None}


def backward(spec: DelaySpec, params, trace: DelayTrace, d_output, *, head=None, param_grads: bool = True,
             backend: str = "numba") -> DelayGrads:  # fmt: skip
    """Every gradient given ∂L/∂output (T, B, H) (the top layer's states; zero on padding), and ‖∂L/∂h_t‖ of
    every layer at every step."""
    if trace.spec != spec:
        raise ValueError("the trace was computed by a different delay network spec")
    dtype = check_params(spec, params)
    d_output = as_float_array("d_output", d_output, dtype)
    require_shape("d_output", d_output, trace.output.shape)
    d_output = d_output * trace.mask[:, :, None]
    grads: dict[str, np.ndarray] = {}
    if spec.cell == "narx":
        dhs, dx, head_grads = _narx_backward(spec, params, trace, d_output, head, grads, backend)
    else:
        (dhs, dx), head_grads = _tdnn_backward(spec, params, trace, d_output, grads, param_grads), {}
    dh = np.stack(dhs)
    dh_norm = np.sqrt((dh.astype(np.float64) ** 2).sum(axis=(2, 3)))
    B = dh.shape[2]
    nonfinite = not all(np.isfinite(g).all() for g in (dh, *grads.values()))
    return DelayGrads(grads if param_grads else {}, dh, dh_norm, dx, np.zeros((len(dhs), B, spec.hidden_size), dtype),
                      nonfinite=nonfinite, head=head_grads if param_grads else {})  # fmt: skip


def _tdnn_backward(spec, params, trace, d_output, grads, param_grads):
    dhs, dh = [None] * spec.num_layers, d_output
    for layer in range(spec.num_layers - 1, -1, -1):
        lt = trace.layers[layer]
        dhs[layer] = dh
        du, dW, db = reference.tdnn_layer_backward(
            lt.inputs, params[f"weight_l{layer}"], lt.hidden, dh, spec.activation
        )
        if param_grads:
            grads[f"weight_l{layer}"], grads[f"bias_l{layer}"] = dW, db
        dh = du
    return dhs, dh


def _narx_backward(spec, params, trace, d_output, head, grads, backend):
    if head is None:
        raise ValueError("NARX's gradient runs back through its output layer: it needs that layer's weights")
    V = head["head.weight"].astype(d_output.dtype)
    lt = trace.layers[0]
    kind = spec.output_activation
    if backend == "reference":
        g = reference.narx_backward(lt.inputs, params["weight_x"], params["weight_y"], V, lt.hidden, trace.outputs,
                                    trace.fed, d_output, kind, trace.teacher)  # fmt: skip
        dh, dx = g["dh"], g["dx"]
        grads.update(weight_x=g["weight_x"], weight_y=g["weight_y"], bias=g["bias"])
        return [dh], dx, {"head.weight": g["V"], "head.bias": g["c"]}
    T, B, H = lt.hidden.shape
    M = spec.output_size
    dh, da = np.empty_like(lt.hidden), np.empty_like(lt.hidden)
    dy = np.zeros((T, B, M), d_output.dtype)
    dV, dc = np.zeros_like(V), np.zeros(M, d_output.dtype)
    from engine.delay import kernels

    kernels._narx_backward(params["weight_y"], V, kernels.KINDS[kind], trace.teacher, lt.hidden, trace.outputs,
                           d_output, dh, da, dy, dV, dc)  # fmt: skip
    dx, dW_x, db = reference.tdnn_layer_backward(lt.inputs, params["weight_x"], lt.hidden, da, "identity")
    dW_y = (da.reshape(T * B, H).T @ trace.fed.reshape(T * B, -1)).reshape(params["weight_y"].shape)
    grads.update(weight_x=dW_x, weight_y=dW_y, bias=db)
    return [dh], dx, {"head.weight": dV, "head.bias": dc}


def gradient_flow(spec: DelaySpec, params, trace: DelayTrace, d_output, *, head=None,
                  backend: str = "numba") -> np.ndarray:  # fmt: skip
    """(L, T, T) matrix M[l, t, s] = ‖∂L_t/∂h^l_s‖: one backward pass per loss step t, run side by side as one
    batch (in chunks of ``FLOW_CHUNK_BYTES``). Zero where s lies beyond what the loss at t can reach: before a
    TDNN's window, after t."""
    T, B = trace.output.shape[:2]
    L = spec.num_layers
    check_memory(L * T * T * 8, f"the gradient flow of {T} × {T} steps")
    per_pass = trace_bytes(spec, T, B, trace.output.dtype.itemsize)
    chunk = max(1, min(T, FLOW_CHUNK_BYTES // per_pass))
    flow = np.zeros((L, T, T))
    for first in range(0, T, chunk):
        n = min(chunk, T - first)
        d = np.zeros((T, n * B, d_output.shape[2]), d_output.dtype)
        for j in range(n):  # copy j of the batch carries the loss of step first + j only
            d[first + j, j * B : (j + 1) * B] = d_output[first + j]
        dh = backward(spec, params, _tiled(trace, n), d, head=head, param_grads=False, backend=backend).dh
        norms = np.sqrt((dh.reshape(L, T, n, B, -1).astype(np.float64) ** 2).sum(axis=(3, 4)))  # (L, s, j)
        flow[:, first : first + n] = norms.transpose(0, 2, 1)
    return flow


def _tile(a: np.ndarray | None, n: int) -> np.ndarray | None:
    return None if a is None else np.tile(a, (1, n) + (1,) * (a.ndim - 2))


def _tiled(trace: DelayTrace, n: int) -> DelayTrace:
    layers = [LayerTrace(lt.layer, 0, _tile(lt.inputs, n), _tile(lt.gates_pre, n), _tile(lt.gates, n),
                         _tile(lt.hidden, n), np.tile(lt.h0, (n, 1)), gate_names=lt.gate_names)
              for lt in trace.layers]  # fmt: skip
    return DelayTrace(trace.spec, _tile(trace.output, n), None, None, layers, np.tile(trace.lengths, n),
                      _tile(trace.mask, n), trace.dropout_masks, outputs=_tile(trace.outputs, n),
                      fed=_tile(trace.fed, n), teacher=trace.teacher)  # fmt: skip
