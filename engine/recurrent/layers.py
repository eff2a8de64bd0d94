"""One layer in one direction through the Numba kernels: allocation and the BLAS calls around them.

``forward_layer`` and ``backward_layer`` take and return what the reference functions in ``reference.py`` do,
so that the model can use either. The input projection of all steps (W_ih x_t + b) is one matrix product
before the time loop; the weight gradients are one each after it.

The time loop is the one part that BLAS cannot spread over both cores: each step makes a product too small to
share out (BLAS threads woken at every step cost more than they save, and stall while another program keeps
the other core busy). But the sequences of a batch are independent all the way through, so a large batch runs
as two halves at once, each in one thread with single-threaded BLAS, writing into the same trace arrays.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from engine.blas_threads import one_blas_thread
from engine.recurrent import blas
from engine.recurrent import kernels as k
from engine.recurrent.halves import both, two_cores
from engine.recurrent.onehot import OneHot

SPLIT_MIN_BATCH = 4
SPLIT_MIN_WORK = 2**19
"""A batch runs as two halves at once from 4 sequences and half a million multiply-adds per step (B·G·H, as
where ``kernels._matmul`` hands the step's product to BLAS). Measured on two cores, forward + backward,
T = 100: from 0.68 ms to 1.9 ms for B = 4 at hidden 32 (waiting for a thread costs more than it saves), equal
for an LSTM with B = 8 at hidden 128, from 140 ms to 59 ms with B = 32 there and from 229 ms to 111 ms for an
RNN with B = 32 at hidden 512."""

LSTM_VARIANTS = {"standard": k.STANDARD, "no_forget": k.NO_FORGET, "peephole": k.PEEPHOLE, "coupled": k.COUPLED}
GRU_VARIANTS = {"reset_after": k.RESET_AFTER, "reset_before": k.RESET_BEFORE}


def _parts(B: int, W_hh: np.ndarray) -> list[tuple[int, int]]:
    """The batch rows each thread runs: one part, or two halves on a machine with two cores or more."""
    if B < SPLIT_MIN_BATCH or B * W_hh.size < SPLIT_MIN_WORK or not two_cores():
        return [(0, B)]
    return [(0, B // 2), (B // 2, B)]


@contextmanager
def _own_threads(parts: list[tuple[int, int]]):
    """While two parts run, BLAS stays in the thread that calls it. Otherwise its idle threads keep spinning
    for a while after each product (NumPy and SciPy each bring an OpenBLAS with its own threads) and take the
    cores from the halves: measured, that alone made a layer 1.3-2× slower."""
    if len(parts) == 1:
        yield
        return
    with one_blas_thread():
        yield


def _run(kernel, parts: list[tuple[int, int]], *args) -> list:
    """kernel(*args, gemm, lo, hi) for every part, with NumPy's gemm for the dtype of the first argument (an
    array, as in every kernel); returns what each call returns, in order."""
    gemm = blas.gemm(args[0].dtype)
    if len(parts) == 1:
        return [kernel(*args, gemm, *parts[0])]
    (lo0, hi0), (lo1, hi1) = parts
    return list(both(lambda: kernel(*args, gemm, lo0, hi0), lambda: kernel(*args, gemm, lo1, hi1)))


def _product(a: np.ndarray, b: np.ndarray, split: bool, bias: np.ndarray | None = None) -> np.ndarray:
    """a @ b (+ ``bias`` on every row), the rows of a in two halves at once when ``split``."""
    out = np.empty((a.shape[0], b.shape[1]), np.result_type(a, b))

    def rows(lo: int, hi: int) -> None:
        np.matmul(a[lo:hi], b, out=out[lo:hi])
        if bias is not None:
            out[lo:hi] += bias  # while the rows are still in cache, on both threads

    m = a.shape[0] // 2 if split else a.shape[0]
    if split:
        both(lambda: rows(0, m), lambda: rows(m, a.shape[0]))
    else:
        rows(0, m)
    return out


def _project(x: np.ndarray | OneHot, W: np.ndarray, b: np.ndarray, split: bool) -> np.ndarray:
    """W x_t + b for every step at once: (T, B, In) -> (T, B, G·H), one matrix product (token ids: a gather of
    W's columns)."""
    if isinstance(x, OneHot) and x.scale is None:  # the bias into the table of columns: V rows, not T·B
        return x @ (blas.transpose(W) + b)
    if isinstance(x, OneHot):
        out = x @ blas.transpose(W)
        out += b
        return out
    T, B, n_in = x.shape
    return _product(x.reshape(T * B, n_in), W.T, split, b).reshape(T, B, -1)


def _outer_sum(dz: np.ndarray, a: np.ndarray | OneHot, split: bool) -> np.ndarray:
    """Σ_t dz_tᵀ a_t over steps and batch: (T, B, G), (T, B, K) -> (G, K)."""
    if isinstance(a, OneHot):  # each dz_t added into its token's column
        out = np.zeros((a.size, dz.shape[-1]), dz.dtype)
        rows = dz if a.scale is None else dz * a.scale[..., None]
        k.add_rows(a.ids.ravel(), rows.reshape(-1, dz.shape[-1]), out)
        return out.T
    return _product(dz.reshape(-1, dz.shape[-1]).T, a.reshape(-1, a.shape[-1]), split)


def _peep(w: dict, H: int, dtype) -> np.ndarray:
    if "p_i" in w:
        return np.stack([w["p_i"], w["p_f"], w["p_o"]])
    return np.zeros((3, H), dtype)


def forward_layer(cell: str, variant: str, x, w: dict, h0, c0, mask) -> dict:
    parts = _parts(h0.shape[0], w["W_hh"])
    with _own_threads(parts):
        return _forward(cell, variant, x, w, h0, c0, mask, parts)


def backward_layer(
    cell: str,
    variant: str,
    x,
    w: dict,
    rec: dict,
    h0,
    c0,
    mask,
    dh_out,
    dh_last,
    dc_last,
    truncate: int,
    params: bool = True,
    inputs: bool = True,
) -> dict:
    """As the reference backward functions, ``params`` and ``inputs`` included."""
    parts = _parts(h0.shape[0], w["W_hh"])
    with _own_threads(parts):
        return _backward(cell, variant, x, w, rec, h0, c0, mask, dh_out, dh_last, dc_last, truncate, parts,
                         params, inputs)  # fmt: skip


def _forward(cell: str, variant: str, x, w: dict, h0, c0, mask, parts) -> dict:
    T, B = x.shape[:2]
    split = len(parts) > 1
    H = h0.shape[1]
    dt = h0.dtype
    if cell == "gru":
        xproj = _project(x, w["W_ih"], w["b_ih"], split)
        out = {k: np.empty((T, B, 3 * H), dt) for k in ("gates_pre", "gates")}
        out.update(hidden=np.empty((T, B, H), dt), extra=np.empty((T, B, H), dt))
        _run(
            k._gru_forward,
            parts,
            xproj,
            blas.transpose(w["W_hh"][: 2 * H]),
            blas.transpose(w["W_hh"][2 * H :]),
            w["b_hh"],
            GRU_VARIANTS[variant],
            h0,
            mask,
            out["gates_pre"],
            out["gates"],
            out["hidden"],
            out["extra"],
        )
        return out
    pre = _project(x, w["W_ih"], w["b_ih"] + w["b_hh"], split)  # the kernels add the recurrent term in place
    W_hhT = blas.transpose(w["W_hh"])
    out = {"gates_pre": pre, "gates": np.empty_like(pre), "hidden": np.empty((T, B, H), dt)}
    if cell == "lstm":
        out["cell"] = np.empty((T, B, H), dt)
        _run(
            k._lstm_forward,
            parts,
            pre,
            W_hhT,
            _peep(w, H, dt),
            LSTM_VARIANTS[variant],
            h0,
            c0,
            mask,
            out["gates"],
            out["hidden"],
            out["cell"],
        )
    else:
        _run(k._rnn_forward, parts, pre, W_hhT, cell == "rnn_relu", h0, mask, out["gates"], out["hidden"])
    return out


def _backward(
    cell: str, variant: str, x, w: dict, rec: dict, h0, c0, mask, dh_out, dh_last, dc_last, truncate, parts, params,
    inputs
):  # fmt: skip
    B, H = h0.shape
    dt = h0.dtype
    split = len(parts) > 1
    dz = np.empty_like(rec["gates_pre"])
    dh_seen = np.empty_like(rec["hidden"])
    fused = cell != "gru" and isinstance(x, np.ndarray)  # ``_from_gates`` reads the states as it goes
    # the state each step starts from: the GRU's kernel reads it, the other weight gradients multiply it
    h_in = np.concatenate([h0[None], rec["hidden"][:-1]]) if (params and not fused) or cell == "gru" else None
    grads: dict = {"dh": dh_seen}
    if cell == "gru":
        dz_hh, rh_in = np.empty_like(dz), np.empty_like(dh_seen)
        W_hh = w["W_hh"]
        dh0 = _run(
            k._gru_backward,
            parts,
            W_hh[: 2 * H],
            W_hh[2 * H :],
            GRU_VARIANTS[variant],
            rec["gates"],
            rec["extra"],
            h_in,
            mask,
            dh_out,
            dh_last,
            truncate,
            dz,
            dz_hh,
            rh_in,
            dh_seen,
        )
        grads["h0"] = np.concatenate(dh0)
        if params:
            n_in = rh_in if variant == "reset_before" else h_in
            grads["W_hh"] = np.concatenate(
                [_outer_sum(dz_hh[..., : 2 * H], h_in, split), _outer_sum(dz_hh[..., 2 * H :], n_in, split)]
            )
            grads["b_hh"] = dz_hh.sum(axis=(0, 1))
    elif cell == "lstm":
        dc_seen = np.empty_like(dh_seen)
        dpeep = np.zeros((B, 3, H), dt)  # one sum per sequence: the halves would race on one for all
        dhc0 = _run(
            k._lstm_backward,
            parts,
            w["W_hh"],
            _peep(w, H, dt),
            LSTM_VARIANTS[variant],
            rec["gates"],
            rec["cell"],
            c0,
            mask,
            dh_out,
            dh_last,
            dc_last,
            truncate,
            dz,
            dh_seen,
            dc_seen,
            dpeep,
        )
        grads["h0"] = np.concatenate([dh for dh, _ in dhc0])
        grads["c0"] = np.concatenate([dc for _, dc in dhc0])
        grads["dc"] = dc_seen
        if variant == "peephole" and params:
            p_i, p_f, p_o = dpeep.sum(axis=0)
            grads.update(p_i=p_i, p_f=p_f, p_o=p_o)
    else:
        relu, pre, act = cell == "rnn_relu", rec["gates_pre"], rec["gates"]
        dh0 = _run(k._rnn_backward, parts, w["W_hh"], relu, pre, act, mask, dh_out, dh_last, truncate, dz, dh_seen)
        grads["h0"] = np.concatenate(dh0)
    T, B, G = dz.shape
    if fused:
        grads.update(_from_gates(dz, x, h0, rec["hidden"], w["W_ih"], params, inputs, parts))
        return grads
    if inputs:
        dx = _product(dz.reshape(T * B, G), w["W_ih"], split)  # one matrix product, not T batched ones of B rows
        grads["x"] = dx.reshape(T, B, -1)
    if params:
        db = dz.sum(axis=(0, 1))
        if cell != "gru":
            grads["W_hh"] = _outer_sum(dz, h_in, split)
            grads["b_hh"] = db.copy()  # b_ih and b_hh enter the same sum, so their gradients are equal
        grads.update(W_ih=_outer_sum(dz, x, split), b_ih=db)
    return grads


def _from_gates(dz, x, h0, hidden, W_ih, params: bool, inputs: bool, parts) -> dict:
    """An RNN's or LSTM's gradients from its gates' dz (T, B, G): the input's dz W_ih, and the weights'
    Σ dzᵀ [x | h_in] (h_in: the state each step starts from) with the biases' Σ dz, in one call per thread, and
    the two weight matrices in one product. Each thread takes half of the T·B rows and sums its own share of the
    weight gradients; the two shares are added at the end. Four products, each split in two and waited for, had read dz
    four times: a language model's backward products (LSTM 2 × 128, batch 50 × 50) took 9.0 ms a step, now 6.8."""
    T, B, G = dz.shape
    n_in, H = x.shape[-1], hidden.shape[-1]
    rows, xs, hs = dz.reshape(T * B, G), x.reshape(T * B, n_in), hidden.reshape(T * B, H)
    dx = np.empty((T * B, n_in), dz.dtype) if inputs else None
    xh = np.empty((T * B, n_in + H), dz.dtype) if params else None

    def share(lo: int, hi: int):
        if inputs:
            np.matmul(rows[lo:hi], W_ih, out=dx[lo:hi])
        if not params:
            return None
        xh[lo:hi, :n_in] = xs[lo:hi]
        first = min(max(lo, B), hi)  # rows of step 0 start from h0, the others from the step before
        xh[lo:first, n_in:] = h0[lo:first]
        xh[first:hi, n_in:] = hs[first - B : hi - B]
        return rows[lo:hi].T @ xh[lo:hi], rows[lo:hi].sum(axis=0)

    n = T * B
    shares = [share(0, n)] if len(parts) == 1 else list(both(lambda: share(0, n // 2), lambda: share(n // 2, n)))
    grads = {} if dx is None else {"x": dx.reshape(T, B, n_in)}
    if params:
        W = shares[0][0] if len(shares) == 1 else shares[0][0] + shares[1][0]
        db = shares[0][1] if len(shares) == 1 else shares[0][1] + shares[1][1]
        # b_ih and b_hh enter the same sum, so their gradients are equal
        grads.update(W_ih=np.ascontiguousarray(W[:, :n_in]), W_hh=np.ascontiguousarray(W[:, n_in:]), b_ih=db,
                     b_hh=db.copy())  # fmt: skip
    return grads
