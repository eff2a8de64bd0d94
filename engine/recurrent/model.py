"""Forward and backward passes through stacked, bidirectional recurrent networks, with complete traces.

``forward`` validates and allocates, then runs each layer and direction through the Numba kernels (or, with
``backend="reference"``, the NumPy references the tests hold them to). Everything it computes is kept in a
``Trace``; ``backward`` walks it back and returns every gradient, with its magnitude at every step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.checks import as_float_array, check_memory, require_finite, require_shape
from engine.recurrent import reference
from engine.recurrent.onehot import OneHot, as_tokens
from engine.recurrent.spec import RecurrentSpec, suffix

BACKENDS = ("numba", "reference")
FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


@dataclass
class LayerTrace:
    """One layer in one direction, every array in time order (T, B, ·), whatever the direction.

    ``gates_pre`` and ``gates`` hold every gate block side by side in PyTorch's order (use ``gate``);
    ``hidden`` and ``cell`` the state after each step; ``extra`` (GRU) the recurrent term of the candidate.
    On padding steps (beyond a sequence's length) the state is held, as in PyTorch's packed sequences.
    ``inputs`` (T, B, In) after dropout, or for token ids a ``OneHot`` (``input_values()`` makes the array).
    """

    layer: int
    direction: int
    inputs: np.ndarray | OneHot
    gates_pre: np.ndarray
    gates: np.ndarray
    hidden: np.ndarray
    h0: np.ndarray
    cell: np.ndarray | None = None
    c0: np.ndarray | None = None
    extra: np.ndarray | None = None
    gate_names: tuple[str, ...] = ()

    def gate(self, name: str, pre: bool = False) -> np.ndarray:
        """(T, B, H) activation (or pre-activation) of the gate called ``name``."""
        k = self.gate_names.index(name)
        H = self.hidden.shape[-1]
        return (self.gates_pre if pre else self.gates)[..., k * H : (k + 1) * H]

    def input_values(self) -> np.ndarray:
        """(T, B, In) the layer's input as numbers: the one-hot vectors of token ids made here, memory-checked."""
        return self.inputs.dense(self.hidden.dtype) if isinstance(self.inputs, OneHot) else self.inputs


@dataclass
class Trace:
    """Everything one forward pass computed.

    output (T, B, D·H), zero on padding; h_n, c_n (L·D, B, H) as in PyTorch; layers[l·D + d]; mask (T, B).
    ``tokens`` (T, B) the ids of a forward pass given token ids, else None.
    """

    spec: RecurrentSpec
    output: np.ndarray
    h_n: np.ndarray
    c_n: np.ndarray | None
    layers: list[LayerTrace]
    lengths: np.ndarray
    mask: np.ndarray
    dropout_masks: list[np.ndarray | None]
    nonfinite: bool = False

    def layer(self, layer: int, direction: int = 0) -> LayerTrace:
        return self.layers[layer * self.spec.directions + direction]

    @property
    def tokens(self) -> np.ndarray | None:
        inputs = self.layers[0].inputs
        return inputs.ids if isinstance(inputs, OneHot) else None


@dataclass
class Grads:
    """Everything one backward pass computed.

    params: a gradient for every parameter, under its name. dh, dc (L·D, T, B, H): ∂L/∂h_t and ∂L/∂c_t;
    dh_norm, dc_norm (L·D, T) their norms over batch and units; dx (T, B, input_size), None for token ids;
    dh0, dc0 (L·D, B, H).
    """

    params: dict[str, np.ndarray]
    dh: np.ndarray
    dh_norm: np.ndarray
    dx: np.ndarray | None
    dh0: np.ndarray
    dc: np.ndarray | None = None
    dc_norm: np.ndarray | None = None
    dc0: np.ndarray | None = None
    nonfinite: bool = field(default=False)


def trace_bytes(spec: RecurrentSpec, T: int, B: int, itemsize: int, tokens: bool = False) -> int:
    """Size of a forward trace plus its backward pass, known before either is computed. ``tokens``: the input
    is token ids (T, B), not (T, B, input_size) numbers and their gradient."""
    H, G = spec.hidden_size, spec.gate_count * spec.hidden_size
    per_layer = 0
    for layer in range(spec.num_layers):
        states = 3 if spec.cell == "lstm" else (2 if spec.cell == "gru" else 1)
        inputs = 0 if tokens and layer == 0 else spec.layer_input_size(layer) * 2
        per_layer += spec.directions * (inputs + G * 4 + H * (states * 2 + 2))
    ids = T * B * (8 + itemsize) * spec.directions if tokens else 0  # ids and their dropout scale, per direction
    return T * B * itemsize * (per_layer + spec.directions * H) + ids


def check_params(spec: RecurrentSpec, params: dict[str, np.ndarray]) -> np.dtype:
    """Every parameter present with its shape and one floating dtype, finite; returns that dtype."""
    shapes = spec.param_shapes()
    missing = [name for name in shapes if name not in params]
    if missing:
        raise ValueError(f"parameters missing for this {spec.cell}: {', '.join(missing)}")
    dtypes = set()
    for name, shape in shapes.items():
        arr = params[name]
        if not (isinstance(arr, np.ndarray) and arr.dtype in FLOATS and arr.shape == shape):
            arr = as_float_array(f"parameter {name}", arr)  # anything else: converted, or refused by name
            require_shape(f"parameter {name}", arr, shape)
        elif not np.isfinite(arr).all():  # the common case without the general checks' costs (both run twice
            require_finite(f"parameter {name}", arr)  # per training step)
        dtypes.add(arr.dtype)
    if len(dtypes) > 1:
        raise ValueError(f"parameters mix dtypes {sorted(map(str, dtypes))}; use one of float32 or float64")
    return dtypes.pop()


def _layer_weights(spec: RecurrentSpec, params: dict, layer: int, direction: int) -> dict[str, np.ndarray]:
    sfx = suffix(layer, direction)
    w = {
        "W_ih": np.ascontiguousarray(params[f"weight_ih{sfx}"]),
        "W_hh": np.ascontiguousarray(params[f"weight_hh{sfx}"]),
        "b_ih": np.ascontiguousarray(params[f"bias_ih{sfx}"]),
        "b_hh": np.ascontiguousarray(params[f"bias_hh{sfx}"]),
    }
    if spec.variant == "peephole":
        w.update({f"p_{g}": params[f"peephole_{g}{sfx}"] for g in "ifo"})
    return w


def _initial_state(name: str, given, spec: RecurrentSpec, B: int, dtype) -> np.ndarray:
    shape = (spec.num_layers * spec.directions, B, spec.hidden_size)
    if given is None:
        return np.zeros(shape, dtype)
    arr = as_float_array(name, given, dtype)
    require_shape(name, arr, shape)
    return arr


def _sequence_mask(lengths, T: int, B: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    if lengths is None:
        return np.full(B, T, np.int64), np.ones((T, B), dtype)
    lengths = np.asarray(lengths)
    if lengths.shape != (B,) or lengths.dtype.kind not in "iu":
        raise ValueError(f"lengths must be {B} whole numbers, one per sequence, not {lengths!r}")
    if lengths.min() < 1 or lengths.max() > T:
        raise ValueError(f"every length must be between 1 and the sequence length {T}; got {lengths.tolist()}")
    return lengths.astype(np.int64), (np.arange(T)[:, None] < lengths[None, :]).astype(dtype)


def _dropout_masks(spec: RecurrentSpec, T: int, B: int, dtype, train: bool, seed, tokens: bool):
    """One mask per layer input, scaled by 1/(1 − p) so that expectations are unchanged. Token ids get one
    number per step (T, B, 1), the value of their one-hot vector's one; a variational mask (1, B, V) stays
    whole, as for one-hot vectors, since it is drawn once per sequence."""
    if not train or spec.dropout == 0:
        return [None] * spec.num_layers
    rng = np.random.default_rng(seed)
    keep = 1.0 - spec.dropout
    masks = []
    for layer in range(spec.num_layers):
        width = 1 if tokens and layer == 0 and not spec.variational_dropout else spec.layer_input_size(layer)
        shape = (1, B, width) if spec.variational_dropout else (T, B, width)
        masks.append(((rng.random(shape) < keep) / keep).astype(dtype))
    return masks


def _input(spec: RecurrentSpec, x, dtype) -> np.ndarray | OneHot:
    """x as (T, B, input_size) numbers, or (T, B) whole numbers as token ids of one-hot vectors."""
    if isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype.kind in "iu":
        return as_tokens("input x", x, spec.input_size)
    x = as_float_array("input x", x, dtype)
    require_shape("input x", x, (None, None, spec.input_size))
    return x


def _dropped(inputs, mask: np.ndarray):
    """The layer input after dropout; for token ids, the value of each one is its token's entry of the mask."""
    if not isinstance(inputs, OneHot):
        return inputs * mask
    if mask.shape[-1] == 1 and mask.shape[0] == inputs.ids.shape[0]:  # (T, B, 1): a number per step
        return OneHot(inputs.ids, inputs.size, mask[..., 0])
    return OneHot(inputs.ids, inputs.size, np.take_along_axis(mask[0], inputs.ids.T, axis=1).T)


def _contiguous(a):
    return a.contiguous() if isinstance(a, OneHot) else np.ascontiguousarray(a)


def _impl(backend: str):
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "reference":
        return reference
    # imported when first used: it brings Numba along (half a second or more), which a caller that only
    # uses the reference, such as the app drawing its first picture, need not wait for
    from engine.recurrent import layers as compiled

    return compiled


def _run_forward(impl, spec: RecurrentSpec, x, w, h0, c0, mask) -> dict:
    if impl is not reference:
        return impl.forward_layer(spec.cell, spec.variant, x, w, h0, c0, mask)
    if spec.cell == "lstm":
        return reference.lstm_forward(x, w, h0, c0, mask, spec.variant)
    if spec.cell == "gru":
        return reference.gru_forward(x, w, h0, mask, spec.variant)
    return reference.rnn_forward(x, w, h0, mask, spec.cell.removeprefix("rnn_"))


def forward(
    spec: RecurrentSpec,
    params: dict[str, np.ndarray],
    x: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    *,
    lengths: np.ndarray | None = None,
    train: bool = False,
    seed: int | None = None,
    backend: str = "numba",
) -> Trace:
    """Run ``x`` through the network and keep everything it computed: ``x`` (T, B, input_size) numbers, or
    (T, B) whole numbers, token ids from 0 to input_size − 1 standing for one-hot vectors (never made: their
    input projection picks columns of ``weight_ih_l0``).

    ``lengths`` (B,) gives each sequence's length for batches of unequal sequences (padding at the end).
    ``train`` switches dropout on, drawn from ``seed``.
    """
    impl = _impl(backend)
    dtype = check_params(spec, params)
    x = _input(spec, x, dtype)
    T, B = x.shape[:2]
    if T == 0 or B == 0:
        raise ValueError(f"input x is empty: shape {x.shape}")
    tokens = isinstance(x, OneHot)
    check_memory(trace_bytes(spec, T, B, dtype.itemsize, tokens), f"a trace of {T} steps × batch {B}")
    lengths, mask = _sequence_mask(lengths, T, B, dtype)
    h0 = _initial_state("h0", h0, spec, B, dtype)
    c0 = _initial_state("c0", c0, spec, B, dtype) if spec.cell == "lstm" else None
    drop = _dropout_masks(spec, T, B, dtype, train, seed, tokens)
    layers: list[LayerTrace] = []
    inputs = x
    for layer in range(spec.num_layers):
        if drop[layer] is not None:
            inputs = _dropped(inputs, drop[layer])
        outs = []
        for d in range(spec.directions):
            k = layer * spec.directions + d
            order = slice(None, None, -1) if d else slice(None)
            c_init = c0[k] if c0 is not None else None
            rec = _run_forward(
                impl,
                spec,
                _contiguous(inputs[order]),
                _layer_weights(spec, params, layer, d),
                h0[k],
                c_init,
                np.ascontiguousarray(mask[order]),
            )
            rec = {name: np.ascontiguousarray(a[order]) for name, a in rec.items()}
            layers.append(LayerTrace(layer, d, inputs, h0=h0[k], c0=c_init, gate_names=spec.gates, **rec))
            outs.append(rec["hidden"])
        inputs = outs[0] if len(outs) == 1 else np.concatenate(outs, axis=2)
        if lengths.min() < T:  # padding steps hold the state; the output there is zero
            inputs = inputs * mask[:, :, None]
    return _assemble(spec, inputs, layers, lengths, mask, drop)


def _final_state(arr: np.ndarray, direction: int) -> np.ndarray:
    # The state is held over padding, so the last step holds the forward direction's final state; the
    # reverse direction ends at t = 0.
    return arr[0] if direction else arr[-1]


def _assemble(spec, output, layers, lengths, mask, drop) -> Trace:
    h_n = np.stack([_final_state(lt.hidden, lt.direction) for lt in layers])
    c_n = np.stack([_final_state(lt.cell, lt.direction) for lt in layers]) if spec.cell == "lstm" else None
    nonfinite = not all(np.isfinite(lt.hidden).all() for lt in layers)
    return Trace(spec, output, h_n, c_n, layers, lengths, mask, drop, nonfinite)


def _run_backward(impl, spec, lt: LayerTrace, w, mask, dh_out, dh_last, dc_last, truncate, wanted: dict) -> dict:
    """One layer and direction back; ``wanted`` says whether parameter and input gradients are needed."""
    rec = {"gates_pre": lt.gates_pre, "gates": lt.gates, "hidden": lt.hidden}
    if lt.cell is not None:
        rec["cell"] = lt.cell
    if lt.extra is not None:
        rec["extra"] = lt.extra
    order = slice(None, None, -1) if lt.direction else slice(None)
    rec = {k: np.ascontiguousarray(a[order]) for k, a in rec.items()}
    mask, dh_out = (np.ascontiguousarray(a[order]) for a in (mask, dh_out))
    x = None if lt.inputs is None else _contiguous(lt.inputs[order])
    if impl is not reference:
        g = impl.backward_layer(
            spec.cell, spec.variant, x, w, rec, lt.h0, lt.c0, mask, dh_out, dh_last, dc_last, truncate, **wanted
        )
    elif spec.cell == "lstm":
        g = reference.lstm_backward(
            x, w, rec, lt.h0, lt.c0, mask, dh_out, dh_last, dc_last, truncate, spec.variant, **wanted
        )
    elif spec.cell == "gru":
        g = reference.gru_backward(x, w, rec, lt.h0, mask, dh_out, dh_last, truncate, spec.variant, **wanted)
    else:
        nonlinearity = spec.cell.removeprefix("rnn_")
        g = reference.rnn_backward(x, w, rec, lt.h0, mask, dh_out, dh_last, truncate, nonlinearity, **wanted)
    for k in ("x", "dh", "dc"):
        if k in g:
            g[k] = g[k][order]
    return g


def _state_grad(name: str, given, trace: Trace) -> np.ndarray:
    shape = trace.h_n.shape
    if given is None:
        return np.zeros(shape, trace.output.dtype)
    arr = as_float_array(name, given, trace.output.dtype)
    require_shape(name, arr, shape)
    return arr


def backward(
    spec: RecurrentSpec,
    params: dict[str, np.ndarray],
    trace: Trace,
    d_output: np.ndarray,
    *,
    dh_n: np.ndarray | None = None,
    dc_n: np.ndarray | None = None,
    truncate: int = 0,
    backend: str = "numba",
) -> Grads:
    """Backpropagation through time from ``d_output`` = ∂L/∂output (T, B, D·H).

    ``dh_n``, ``dc_n`` (L·D, B, H) are gradients reaching the final states. ``truncate`` = k > 0 cuts the
    gradient's path back in time at every k-th step (truncated BPTT with windows of k steps).
    """
    impl = _impl(backend)
    if trace.spec != spec:
        raise ValueError("the trace was computed by a different network spec")
    dtype = check_params(spec, params)
    T, B, _ = trace.output.shape
    d_output = as_float_array("d_output", d_output, dtype)
    require_shape("d_output", d_output, trace.output.shape)
    if not isinstance(truncate, int | np.integer) or truncate < 0:
        raise ValueError(f"truncate must be a whole number of steps ≥ 0 (0: full BPTT), not {truncate!r}")
    dh_n, dc_n = _state_grad("dh_n", dh_n, trace), _state_grad("dc_n", dc_n, trace)
    return backprop(impl, spec, params, trace, d_output, dh_n, dc_n, truncate)


def backprop(impl, spec, params, trace: Trace, d_output, dh_n, dc_n, truncate: int, param_grads: bool = True) -> Grads:
    """``backward`` on checked arguments, through ``impl`` (``_impl(backend)``). ``param_grads=False``
    computes only the states' gradients (dh, dc, dh0, dc0): no weight products, no gradient of the input."""
    T, B = trace.mask.shape
    dtype = d_output.dtype
    H, D = spec.hidden_size, spec.directions
    LD = spec.num_layers * D
    dh, dh0 = np.zeros((LD, T, B, H), dtype), np.zeros((LD, B, H), dtype)
    dc = np.zeros_like(dh) if spec.cell == "lstm" else None
    dc0 = np.zeros_like(dh0) if spec.cell == "lstm" else None
    grads: dict[str, np.ndarray] = {}
    upstream = d_output * trace.mask[:, :, None]
    for layer in reversed(range(spec.num_layers)):
        dx = 0.0
        for d in range(D):
            k = layer * D + d
            lt, sfx = trace.layers[k], suffix(layer, d)
            g = _run_backward(
                impl,
                spec,
                lt,
                _layer_weights(spec, params, layer, d),
                trace.mask,
                np.ascontiguousarray(upstream[..., d * H : (d + 1) * H]),
                dh_n[k],
                dc_n[k],
                truncate,
                {"params": param_grads, "inputs": layer > 0 or (param_grads and not isinstance(lt.inputs, OneHot))},
            )
            _collect(grads, g, sfx)
            dh[k], dh0[k] = g["dh"], g["h0"]
            if dc is not None:
                dc[k], dc0[k] = g["dc"], g["c0"]
            dx = dx + g["x"] if "x" in g else None
        if dx is not None and trace.dropout_masks[layer] is not None:
            dx = dx * trace.dropout_masks[layer]
        upstream = dx
    compiled = impl is not reference
    dh_norm = step_norms(dh, compiled)
    dc_norm = step_norms(dc, compiled) if dc is not None else None
    nonfinite = not all(np.isfinite(v).all() for v in grads.values())
    return Grads(grads, dh, dh_norm, upstream, dh0, dc, dc_norm, dc0, nonfinite)


def step_norms(d: np.ndarray, compiled: bool = True) -> np.ndarray:
    """(L·D, T, B, H) -> (L·D, T): the norm over batch and units at every step, summed in float64 (``compiled``:
    float32 through a Numba loop, without NumPy's float64 copy of the whole array)."""
    if d.dtype == np.float64 or not compiled:
        return np.sqrt((d.astype(np.float64) ** 2).sum(axis=(2, 3)))
    from engine.recurrent.kernels import sums_of_squares

    return np.sqrt(sums_of_squares(np.ascontiguousarray(d).reshape(d.shape[0] * d.shape[1], -1))).reshape(d.shape[:2])


_PARAM_NAMES = {
    "W_ih": "weight_ih",
    "W_hh": "weight_hh",
    "b_ih": "bias_ih",
    "b_hh": "bias_hh",
    "p_i": "peephole_i",
    "p_f": "peephole_f",
    "p_o": "peephole_o",
}


def _collect(grads: dict, g: dict, sfx: str) -> None:
    for short, name in _PARAM_NAMES.items():
        if short in g:
            grads[name + sfx] = g[short]
