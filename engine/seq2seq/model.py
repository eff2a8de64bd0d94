"""Forward and backward through an encoder–decoder, with complete traces.

The encoder reads the source (S, B) into annotations h̄_s; its final state starts the decoder. The decoder reads
BOS and the target so far and at every step t

    h_t = cell(h_{t−1}, [E y_{t−1}; h̃_{t−1} if input feeding])    a_t, c_t = attention(h_t, h̄)
    h̃_t = tanh(W_c [c_t; h_t])    (or [c_t; h_t]; h_t without attention)    logits_t = W_o h̃_t + b_o

Teacher forcing feeds y_{t−1} from the target; with a ratio below 1 each column's input is, at each step, the
target's with that probability and else the decoder's own likeliest token (scheduled sampling, Bengio et al.
2015, with the argmax); ratio 0 is free running. Whatever it read, the loss compares with the target.

Both recurrent networks run through ``engine.recurrent`` (its Numba kernels, its traces); with input feeding,
which makes each step's input depend on the previous step's attention, the decoder runs one step at a time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from engine import blas_threads
from engine.checks import check_memory
from engine.recurrent.model import Grads, LayerTrace, Trace
from engine.recurrent.model import backward as rnn_backward
from engine.recurrent.model import forward as rnn_forward
from engine.recurrent.parts import join_parts, split_parts
from engine.seq2seq.attention import Attended, attend, attend_backward
from engine.seq2seq.spec import BOS, PARTS, Seq2SeqSpec


@dataclass
class Readout:
    """What the decoder's states h (B, T, H) became: attention, features and logits (B, T, ·)."""

    states: np.ndarray
    attended: Attended | None
    combined: np.ndarray | None  # [c_t; h_t] (B, T, 2H)
    features: np.ndarray
    logits: np.ndarray


@dataclass
class Seq2SeqTrace:
    """Everything one forward pass computed, time first as in ``engine.recurrent``.

    ``src`` (S, B), ``src_lengths`` (B,); ``tgt_in`` (T, B) the tokens the decoder read (the target's, or its
    own where it was not teacher-forced: ``forced`` (T, B)); ``encoder`` and ``decoder`` the recurrent traces
    (the encoder's over the source as it read it: backwards with ``reverse_source``); ``annotations`` (S, B, H)
    h̄_s in the source's order; ``attention`` (T, B, S) a_ts and ``context`` (T, B, H) c_t (None without
    attention); ``features`` (T, B, F) what the head read; ``logits`` (T, B, V)."""

    spec: Seq2SeqSpec
    src: np.ndarray
    src_lengths: np.ndarray
    tgt_in: np.ndarray
    forced: np.ndarray
    encoder: Trace
    decoder: Trace
    annotations: np.ndarray
    attention: np.ndarray | None
    context: np.ndarray | None
    features: np.ndarray
    logits: np.ndarray
    readouts: list[Readout] = field(default_factory=list, repr=False)  # one, or one per step (input feeding)
    decoder_steps: list[Trace] = field(default_factory=list, repr=False)  # input feeding: one trace per step

    @property
    def valid(self) -> np.ndarray:
        """(S, B) True on the source's tokens, False on padding."""
        return np.arange(self.src.shape[0])[:, None] < self.src_lengths[None, :]


@dataclass
class Seq2SeqGrads:
    """The backward pass: the recurrent ``encoder`` and ``decoder`` passes (``decoder`` None with input
    feeding, which goes back one step at a time); ``d_annotations`` (S, B, H) ∂L/∂h̄_s through attention alone;
    ``source_norm`` (S, B) ‖∂L/∂h̄_s‖ along every path (attention and the recurrences), in the source's order;
    ``target_norm`` (T, B) ‖∂L/∂h_t‖ of the decoder's top layer."""

    encoder: Grads
    decoder: Grads | None
    d_annotations: np.ndarray
    source_norm: np.ndarray
    target_norm: np.ndarray


def one_blas_thread(fn):
    """Runs ``fn`` with BLAS in the calling thread: attention is many small products (``blas_threads``)."""

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with blas_threads.one_blas_thread():
            return fn(*args, **kwargs)

    return wrapped


# ------------------------------------------------------------------------------------------------ checks


def check_source(spec: Seq2SeqSpec, src, src_lengths) -> tuple[np.ndarray, np.ndarray]:
    src, src_lengths = np.asarray(src), np.asarray(src_lengths)
    if src.ndim != 2 or src.dtype.kind not in "iu" or 0 in src.shape:
        raise ValueError(f"src must be (S, B) token ids, S and B ≥ 1; not {src.dtype} {src.shape}")
    S, B = src.shape
    if src_lengths.shape != (B,) or src_lengths.dtype.kind not in "iu":
        raise ValueError(f"src_lengths must be {B} whole numbers, one per column; not {src_lengths!r}")
    if src_lengths.min() < 1 or src_lengths.max() > S:
        raise ValueError(f"every source length must be from 1 to {S}; got {src_lengths.tolist()}")
    if src.min() < 0 or src.max() >= spec.src_vocab:
        raise ValueError(f"src holds ids {src.min()}..{src.max()}; the source vocabulary has 0 to {spec.src_vocab - 1}")
    return src.astype(np.int64), src_lengths.astype(np.int64)


def check_target(spec: Seq2SeqSpec, tgt, B: int, name: str = "tgt_in") -> np.ndarray:
    tgt = np.asarray(tgt)
    if tgt.ndim != 2 or tgt.dtype.kind not in "iu" or tgt.shape[0] < 1 or tgt.shape[1] != B:
        raise ValueError(f"{name} must be (T, {B}) token ids, T ≥ 1; not {tgt.dtype} {tgt.shape}")
    if tgt.min() < 0 or tgt.max() >= spec.tgt_vocab:
        raise ValueError(f"{name} holds ids {tgt.min()}..{tgt.max()}; the target vocabulary has 0 to "
                         f"{spec.tgt_vocab - 1}")  # fmt: skip
    return tgt.astype(np.int64)


def _check_memory(spec: Seq2SeqSpec, S: int, T: int, B: int, itemsize: int) -> None:
    H = spec.hidden_size
    per_step = (4 if spec.attention == "additive" else 0) * S * H + 4 * S + 8 * H + 4 * spec.tgt_vocab
    need = (T * B * per_step + S * B * 12 * H) * itemsize
    check_memory(need, f"{B} pairs of {S} → {T} tokens through {spec.describe()}")


# ------------------------------------------------------------------------------------------------ forward


def source_order(src_lengths: np.ndarray, S: int) -> np.ndarray:
    """(S, B) the row each step of a reversed reading takes: len − 1 − s on the tokens, s on the padding
    (its own inverse, so it also puts the annotations back)."""
    s = np.arange(S)[:, None]
    return np.where(s < src_lengths[None, :], src_lengths[None, :] - 1 - s, s)


def _in_order(a: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    return a if order is None else np.take_along_axis(a, order[:, :, None], axis=0)


def encode(spec: Seq2SeqSpec, named: dict, src: np.ndarray, src_lengths: np.ndarray, backend: str = "numba"):
    """The encoder's trace, the annotations (S, B, H) in source order, and the decoder's first state (h0, c0)
    (L, B, H): each layer's final state (both directions side by side)."""
    order = source_order(src_lengths, src.shape[0]) if spec.reverse_source else None
    read = src if order is None else np.take_along_axis(src, order, axis=0)
    x = named["src_embedding"]["weight"][read]
    trace = rnn_forward(spec.encoder, named["encoder"], x, lengths=src_lengths, backend=backend)
    return trace, _in_order(trace.output, order), _bridge(spec, trace.h_n), _bridge(spec, trace.c_n)


def _bridge(spec: Seq2SeqSpec, state: np.ndarray | None) -> np.ndarray | None:
    if state is None or not spec.bidirectional_encoder:
        return state
    return np.concatenate([state[0::2], state[1::2]], axis=-1)  # (L·2, B, H/2) -> (L, B, H)


def readout(spec: Seq2SeqSpec, named: dict, states: np.ndarray, keys: np.ndarray, valid: np.ndarray,
            projected: np.ndarray | None = None) -> Readout:  # fmt: skip
    """Attention, features and logits for decoder states (B, T, H) over keys (B, S, H), valid (B, S)
    (``projected``: the keys' ``attention.project_keys``, if made already)."""
    attended = combined = None
    features = states
    if spec.attention != "none":
        attended = attend(spec.attention, named["attention"], states, keys, valid, projected)
        combined = np.concatenate([attended.context, states], axis=-1)
        features = np.tanh(combined @ named["combine"]["weight"].T) if spec.attentional_hidden else combined
    logits = features @ named["head"]["weight"].T + named["head"]["bias"]
    return Readout(states, attended, combined, features, logits)


@one_blas_thread
def forward(spec: Seq2SeqSpec, params: dict[str, np.ndarray], src, src_lengths, tgt_in,
            teacher_forcing: float = 1.0, seed: int | None = 0, *, backend: str = "numba") -> Seq2SeqTrace:  # fmt: skip
    """Encode ``src`` (S, B) of ``src_lengths`` (B,) and decode reading ``tgt_in`` (T, B), which starts with
    BOS, fed back with probability ``teacher_forcing`` (coins drawn from ``seed``; else the decoder's own
    likeliest token). Every column runs all T steps; the loss leaves out what lies beyond a target's end."""
    dtype = spec.check_params(params)
    src, src_lengths = check_source(spec, src, src_lengths)
    tgt_in = check_target(spec, tgt_in, src.shape[1])
    if not 0.0 <= teacher_forcing <= 1.0:
        raise ValueError(f"teacher_forcing must be a ratio from 0 to 1, not {teacher_forcing!r}")
    _check_memory(spec, src.shape[0], tgt_in.shape[0], src.shape[1], dtype.itemsize)
    named = split_parts(params, PARTS)
    enc, annotations, h0, c0 = encode(spec, named, src, src_lengths, backend)
    keys = np.ascontiguousarray(annotations.transpose(1, 0, 2))
    valid = np.arange(src.shape[0])[None, :] < src_lengths[:, None]
    forced = np.ones(tgt_in.shape, bool)
    if spec.input_feeding:
        dec, steps, outs, tgt_in, forced = _decode_stepwise(spec, named, tgt_in, teacher_forcing, seed, h0, c0,
                                                             keys, valid, backend)  # fmt: skip
    else:
        if teacher_forcing < 1.0:  # choose the inputs step by step, then run the whole pass on them
            *_, tgt_in, forced = _decode_stepwise(spec, named, tgt_in, teacher_forcing, seed, h0, c0, keys, valid,
                                                  backend)  # fmt: skip
        x = named["tgt_embedding"]["weight"][tgt_in]
        dec = rnn_forward(spec.decoder, named["decoder"], x, h0, c0, backend=backend)
        steps, outs = [], [readout(spec, named, dec.output.transpose(1, 0, 2), keys, valid)]
    return _trace(spec, src, src_lengths, tgt_in, forced, enc, dec, annotations, outs, steps)


def _decode_stepwise(spec, named, tgt_in, ratio, seed, h, c, keys, valid, backend):
    """The decoder one step at a time, its input at each step chosen between the target's and its own."""
    T, B = tgt_in.shape
    rng = np.random.default_rng(seed)
    emb = named["tgt_embedding"]["weight"]
    tokens, forced = tgt_in.copy(), np.ones((T, B), bool)
    feed = np.zeros((B, spec.features), emb.dtype) if spec.input_feeding else None
    steps, outs = [], []
    for t in range(T):
        x = emb[tokens[t]] if feed is None else np.concatenate([emb[tokens[t]], feed], axis=1)
        step = rnn_forward(spec.decoder, named["decoder"], x[None], h, c, backend=backend)
        h, c = step.h_n, step.c_n
        out = readout(spec, named, step.output.transpose(1, 0, 2), keys, valid)
        steps.append(step)
        outs.append(out)
        feed = out.features[:, 0] if feed is not None else None
        if t + 1 < T and ratio < 1.0:
            forced[t + 1] = rng.random(B) < ratio if ratio > 0 else False
            tokens[t + 1] = np.where(forced[t + 1], tgt_in[t + 1], out.logits[:, 0].argmax(axis=-1))
    return concat_traces(steps), steps, outs, tokens, forced


def _trace(spec, src, src_lengths, tgt_in, forced, enc, dec, annotations, outs, steps) -> Seq2SeqTrace:
    def joined(get):
        parts = [get(o) for o in outs]
        return None if parts[0] is None else np.concatenate(parts, axis=1).transpose(1, 0, 2)

    return Seq2SeqTrace(spec, src, src_lengths, tgt_in, forced, enc, dec, annotations,
                        joined(lambda o: None if o.attended is None else o.attended.weights),
                        joined(lambda o: None if o.attended is None else o.attended.context),
                        joined(lambda o: o.features), joined(lambda o: o.logits), outs, steps)  # fmt: skip


def concat_traces(steps: list[Trace]) -> Trace:
    """One trace of the steps' traces, (1, B, ·) each, in time order: what a whole pass would have kept."""
    first, last = steps[0], steps[-1]
    layers = []
    for k, lt in enumerate(first.layers):

        def cat(name, k=k, lt=lt):
            value = getattr(lt, name)
            return None if value is None else np.concatenate([getattr(s.layers[k], name) for s in steps])

        layers.append(LayerTrace(lt.layer, lt.direction, cat("inputs"), cat("gates_pre"), cat("gates"), cat("hidden"),
                                 lt.h0, cat("cell"), lt.c0, cat("extra"), lt.gate_names))  # fmt: skip
    output = np.concatenate([s.output for s in steps])
    T, B = output.shape[:2]
    return Trace(first.spec, output, last.h_n, last.c_n, layers, np.full(B, T, np.int64), np.ones((T, B), output.dtype),
                 first.dropout_masks, any(s.nonfinite for s in steps))  # fmt: skip


# ------------------------------------------------------------------------------------------------ loss


def target_mask(tgt_lengths: np.ndarray, T: int) -> np.ndarray:
    """(T, B) True where the decoder predicts a token of the target (its EOS included): t < length − 1."""
    return np.arange(T)[:, None] < (tgt_lengths - 1)[None, :]


def check_pairs(spec: Seq2SeqSpec, src, src_lengths, tgt, tgt_lengths):
    src, src_lengths = check_source(spec, src, src_lengths)
    tgt = check_target(spec, tgt, src.shape[1], "tgt")
    tgt_lengths = np.asarray(tgt_lengths)
    if tgt.shape[0] < 2 or tgt_lengths.shape != (src.shape[1],) or tgt_lengths.dtype.kind not in "iu":
        raise ValueError(f"tgt must be (T + 1, B) with T ≥ 1 and tgt_lengths (B,) whole numbers; not {tgt.shape}, "
                         f"{tgt_lengths!r}")  # fmt: skip
    if tgt_lengths.min() < 2 or tgt_lengths.max() > tgt.shape[0]:
        raise ValueError(f"every target length (BOS and EOS included) must be from 2 to {tgt.shape[0]}; "
                         f"got {tgt_lengths.tolist()}")  # fmt: skip
    if (tgt[0] != BOS).any():
        raise ValueError("every target column must start with BOS (id 1)")
    return src, src_lengths, tgt, tgt_lengths.astype(np.int64)


def cross_entropy(logits: np.ndarray, targets: np.ndarray, mask: np.ndarray):
    """Mean −ln p(target) in nats over the masked-in steps of logits (T, B, V), targets (T, B), and
    ∂/∂logits; plus −ln p per step (T, B) (0 outside the mask)."""
    z = logits - logits.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    nll = -np.take_along_axis(logp, targets[..., None], axis=-1)[..., 0] * mask
    n = max(int(mask.sum()), 1)
    d_logits = np.exp(logp)
    np.put_along_axis(d_logits, targets[..., None], np.take_along_axis(d_logits, targets[..., None], -1) - 1, -1)
    d_logits *= (mask / n)[..., None]
    return float(nll.sum() / n), d_logits.astype(logits.dtype), nll


# ------------------------------------------------------------------------------------------------ backward


def _readout_backward(spec, named, out: Readout, keys, d_features) -> tuple[np.ndarray, np.ndarray, dict]:
    """From ∂L/∂features (B, T, F): ∂L/∂states (B, T, H), ∂L/∂keys (B, S, H), the attention's and W_c's grads."""
    if spec.attention == "none":
        return d_features, np.zeros_like(keys), {}
    grads = {}
    d_combined = d_features
    if spec.attentional_hidden:
        d_pre = d_features * (1.0 - out.features * out.features)  # back through tanh
        W_c = named["combine"]["weight"]
        grads["combine.weight"] = d_pre.reshape(-1, W_c.shape[0]).T @ out.combined.reshape(-1, W_c.shape[1])
        d_combined = d_pre @ W_c
    H = spec.hidden_size
    d_queries, d_keys, g = attend_backward(spec.attention, named["attention"], out.states, keys, out.attended,
                                           d_combined[..., :H])  # fmt: skip
    grads.update({"attention." + k: v for k, v in g.items()})
    return d_combined[..., H:] + d_queries, d_keys, grads


@one_blas_thread
def backward(spec: Seq2SeqSpec, params: dict[str, np.ndarray], trace: Seq2SeqTrace, d_logits: np.ndarray, *,
             backend: str = "numba") -> tuple[dict[str, np.ndarray], Seq2SeqGrads]:  # fmt: skip
    """Every parameter's gradient (full names) from ∂L/∂logits (T, B, V), and the passes' records."""
    named = split_parts(params, PARTS)
    W_o = named["head"]["weight"]
    grads = {"head.weight": d_logits.reshape(-1, W_o.shape[0]).T @ trace.features.reshape(-1, W_o.shape[1]),
             "head.bias": d_logits.sum(axis=(0, 1))}  # fmt: skip
    d_features = (d_logits @ W_o).transpose(1, 0, 2)  # (B, T, F)
    keys = np.ascontiguousarray(trace.annotations.transpose(1, 0, 2))
    d_keys = np.zeros_like(keys)
    E = spec.embedding_dim
    emb_grad = np.zeros_like(named["tgt_embedding"]["weight"])
    if trace.decoder_steps:
        dec_grads, dh0, dc0 = _stepwise_backward(spec, named, trace, keys, d_features, d_keys, grads, emb_grad,
                                                 backend)  # fmt: skip
        dec_back = None
        target_norm = np.stack([s.dh[-1, 0] for s in dec_grads])
        dec_params = _summed([s.params for s in dec_grads])
    else:
        d_states, d_keys, g = _readout_backward(spec, named, trace.readouts[0], keys, d_features)
        grads.update(g)
        dec_back = rnn_backward(spec.decoder, named["decoder"], trace.decoder, d_states.transpose(1, 0, 2),
                                backend=backend)  # fmt: skip
        np.add.at(emb_grad, trace.tgt_in.ravel(), dec_back.dx.reshape(-1, E))
        dh0, dc0, dec_params = dec_back.dh0, dec_back.dc0, dec_back.params
        target_norm = dec_back.dh[-1]
    target_norm = np.sqrt((target_norm.astype(np.float64) ** 2).sum(axis=-1))
    grads.update(join_parts({"decoder": dec_params}, PARTS))
    grads["tgt_embedding.weight"] = emb_grad
    d_annotations = d_keys.transpose(1, 0, 2)
    enc_back, source_norm = _encoder_backward(spec, named, trace, d_annotations, dh0, dc0, grads, backend)
    return grads, Seq2SeqGrads(enc_back, dec_back, d_annotations, source_norm, target_norm)


def _stepwise_backward(spec, named, trace, keys, d_features, d_keys, grads, emb_grad, backend):
    """Back through the decoder one step at a time: input feeding sends each step's input gradient into the
    features of the step before."""
    E, B = spec.embedding_dim, keys.shape[0]
    dh = np.zeros((spec.num_layers, B, spec.hidden_size), keys.dtype)
    dc = np.zeros_like(dh) if spec.cell == "lstm" else None
    d_feed = np.zeros((B, spec.features), keys.dtype)
    records = []
    for t in range(len(trace.decoder_steps) - 1, -1, -1):
        d_f = d_features[:, t : t + 1] + d_feed[:, None]
        d_states, dk, g = _readout_backward(spec, named, trace.readouts[t], keys, d_f)
        d_keys += dk
        for name, value in g.items():
            grads[name] = grads[name] + value if name in grads else value
        back = rnn_backward(spec.decoder, named["decoder"], trace.decoder_steps[t], d_states.transpose(1, 0, 2),
                            dh_n=dh, dc_n=dc, backend=backend)  # fmt: skip
        dh, dc = back.dh0, back.dc0
        np.add.at(emb_grad, trace.tgt_in[t], back.dx[0, :, :E])
        d_feed = back.dx[0, :, E:]
        records.append(back)
    return records[::-1], dh, dc


def _summed(dicts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {name: sum(d[name] for d in dicts) for name in dicts[0]}


def _encoder_backward(spec, named, trace, d_annotations, dh0, dc0, grads, backend):
    """Back through the bridge and the encoder; ‖∂L/∂h̄_s‖ (S, B) in source order."""
    order = source_order(trace.src_lengths, trace.src.shape[0]) if spec.reverse_source else None
    d_read = _in_order(d_annotations, order)

    def unbridge(d):
        if d is None or not spec.bidirectional_encoder:
            return d
        half = spec.hidden_size // 2  # (L, B, H) -> (L·2, B, H/2), forward and reverse of each layer in turn
        return np.stack([d[..., :half], d[..., half:]], axis=1).reshape(-1, *d.shape[1:-1], half)

    back = rnn_backward(spec.encoder, named["encoder"], trace.encoder, d_read, dh_n=unbridge(dh0),
                        dc_n=unbridge(dc0), backend=backend)  # fmt: skip
    grads.update(join_parts({"encoder": back.params}, PARTS))
    emb = np.zeros_like(named["src_embedding"]["weight"])
    read = trace.src if order is None else np.take_along_axis(trace.src, order, axis=0)
    np.add.at(emb, read.ravel(), back.dx.reshape(-1, spec.embedding_dim))
    grads["src_embedding.weight"] = emb
    top = back.dh[-spec.encoder.directions :].astype(np.float64)  # (D, S, B, H/D)
    per_column = np.sqrt((top**2).sum(axis=(0, 3)))
    source_norm = per_column if order is None else np.take_along_axis(per_column, order, axis=0)
    return back, source_norm * trace.valid  # padding holds the last state: it is no token of the source
