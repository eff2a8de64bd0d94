"""Numba twins of ``reference.py``: the same equations, compiled, writing into preallocated arrays.

Each step makes one matrix product for the recurrent term and then loops over units, writing gates, states
and their gradients straight into the trace. Each loop runs over contiguous units with its branches (cell
variant, padding) outside, so that LLVM vectorises it; exp, sigmoid and tanh come from ``fastmath.py`` for
the same reason. ``layers.py`` allocates for these kernels and makes the BLAS calls before and after them.

Every kernel works on the sequences ``lo:hi`` of the batch, which are independent of the others all the way
through: ``layers.py`` runs two halves of a large batch at once in two threads, writing into the same trace.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from engine.recurrent.fastmath import exp as _exp
from engine.recurrent.fastmath import sigmoid as _sigmoid
from engine.recurrent.fastmath import tanh as _tanh

RNN_TANH, RNN_RELU = 0, 1
STANDARD, NO_FORGET, PEEPHOLE, COUPLED = 0, 1, 2, 3
RESET_AFTER, RESET_BEFORE = 0, 1

OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy", "fastmath": {"contract"}}
jit = njit(**OPTIONS)
inline = njit(inline="always", **OPTIONS)


SMALL_GEMM = 1_000_000
"""OpenBLAS multiplies float32 products of up to 100³ multiply-adds with its small-matrix kernels, which skip
packing b: a recurrent step's 25 × 128 by 128 × 512 product took 42 µs whole and 31 µs as two of 256 columns
(25 × 128 by 128 × 312: 31 µs, × 313: 39 µs). Larger products are made of column blocks that small; in float64,
which has no such kernels here, the blocks took as long as the whole."""


@jit
def _matmul(a, b, out, gemm, add=False):
    """out = a @ b, or out += a @ b with ``add``. For up to four rows, or about half a million multiply-adds, a
    plain loop: a BLAS call wakes its threads at every step, which costs more than such a product (and stalls
    for milliseconds while another program keeps the other core busy). Four rows of b per pass over out: one
    load and store of out per four multiply-adds."""
    if a.shape[0] > 4 and a.shape[0] * b.size > 2**19:
        if gemm is None:
            if add:
                out += np.dot(a, b)
            else:
                np.dot(a, b, out)
        else:  # NumPy's BLAS (``blas.py``): out = 1·a b + β·out, all three row-major and contiguous
            M, K, N = a.shape[0], a.shape[1], b.shape[1]
            beta = 1.0 if add else 0.0
            n = N if M * N * K <= SMALL_GEMM else max(16, SMALL_GEMM // (M * K) // 16 * 16)
            for j in range(0, N, n):  # columns j … j + n of b and out, at a byte offset, rows still N apart
                offset = j * out.itemsize
                gemm(101, 111, 111, M, min(n, N - j), K, 1.0, a.ctypes.data, K, b.ctypes.data + offset, N, beta,
                     out.ctypes.data + offset, N)  # fmt: skip
        return
    K = a.shape[1]
    K4 = K - K % 4
    for r in range(a.shape[0]):
        o = out[r]
        if not add:
            o[:] = 0.0
        for k in range(0, K4, 4):
            a0, a1, a2, a3 = a[r, k], a[r, k + 1], a[r, k + 2], a[r, k + 3]
            b0, b1, b2, b3 = b[k], b[k + 1], b[k + 2], b[k + 3]
            for j in range(o.size):
                o[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]
        for k in range(K4, K):
            ak, bk = a[r, k], b[k]
            for j in range(o.size):
                o[j] += ak * bk[j]


@jit
def _copy(src, dst):
    """dst[:] = src as a plain loop: slice assignment between arrays compiles in a shape check whose error
    message alone is ~1,600 lines of LLVM IR, parsed again from Numba's cache at every start."""
    for j in range(src.size):
        dst[j] = src[j]


@jit
def _add_into(src, dst):
    """dst += src for two (B, H) arrays, as a plain loop (see ``_copy``)."""
    for b in range(src.shape[0]):
        for j in range(src.shape[1]):
            dst[b, j] += src[b, j]


@jit
def add_rows(index, rows, out):
    """out[index[r]] += rows[r] for every r, repeated indices adding up (NumPy's ``np.add.at``, 6× faster)."""
    for r in range(index.size):
        o, src = out[index[r]], rows[r]
        for j in range(src.size):
            o[j] += src[j]


@njit(**{**OPTIONS, "fastmath": {"contract", "reassoc"}})
def sums_of_squares(rows):
    """Σ_j rows[r, j]² for every row, in float64 (NumPy would make a float64 copy of the whole array first).
    Reassociated, so that LLVM sums in vectors: one chain of dependent additions took 0.7 ms for a language
    model's (100, 6,400) step gradients, 5% of its training step."""
    out = np.zeros(rows.shape[0])
    for r in range(rows.shape[0]):
        s = 0.0
        for j in range(rows.shape[1]):
            v = np.float64(rows[r, j])
            s += v * v
        out[r] = s
    return out


@njit(**{**OPTIONS, "fastmath": {"contract", "reassoc"}})
def _row_sum(row):
    """Σ row in float64, reassociated so that LLVM sums in vectors."""
    total = 0.0
    for j in range(row.size):
        total += row[j]
    return total


@jit
def softmax_cross_entropy(z, b, targets, share, loss, right, d):
    """The softmax head's loss row by row, in place (``head._softmax_head``): z (n, K) holds the logits without
    their bias b on entry and p = softmax(z + b) on exit, the row's maximum subtracted first; loss[r] = −log p_y,
    right[r] whether the argmax is y, and d (n, K) = (p − e_y) · share[r], the loss' gradient for the logits. A few
    passes over each row while it is in cache, where NumPy made about ten over the whole array
    (``head._softmax_rows`` is its NumPy reference). NaN stays NaN."""
    n, K = z.shape
    for r in range(n):
        row, y = z[r], targets[r]
        for j in range(K):
            row[j] += b[j]
        m, best = row[0], 0
        for j in range(1, K):
            v = row[j]
            if v > m or (v != v and m == m):  # the first maximum, or the first NaN, as NumPy's argmax
                m, best = v, j
        zy = row[y] - m
        for j in range(K):
            row[j] = _exp(row[j] - m)
        total = _row_sum(row)
        loss[r] = np.log(total) - zy  # −log p_y = log Σ e^(z − m) − (z_y − m)
        right[r] = best == y
        inverse, s, dr = 1.0 / total, share[r], d[r]
        for j in range(K):
            p = row[j] * inverse
            row[j] = p
            dr[j] = p * s
        dr[y] -= s


@jit
def adam_update(p, g, m, v, scale, weight_decay, b1, rest1, b2, rest2, step_size, inverse_root2, eps):
    """One Adam step in place over flat arrays, every scalar of p's dtype (float32 stays float32):
    g ← scale · g + λp, m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − step_size · m / (√v · inverse_root2 + ε)
    with rest_i = 1 − β_i, step_size = lr / (1 − β₁ᵗ) and inverse_root2 = 1 / √(1 − β₂ᵗ): the paper's update (as
    ``training.Adam.reference_step`` writes it) with one division and one square root an element, as PyTorch's
    (three divisions and a square root in float64 took 0.45 ms a step for a language model's 240,000 weights).
    ``scale`` is clipping's factor, applied here rather than to a copy of the gradient."""
    for i in range(p.size):
        gi = scale * g[i] + weight_decay * p[i]
        mi = b1 * m[i] + rest1 * gi
        vi = b2 * v[i] + rest2 * gi * gi
        m[i], v[i] = mi, vi
        p[i] -= step_size * mi / (np.sqrt(vi) * inverse_root2 + eps)


# ---------------------------------------------------------------------------------------------- RNN


@jit
def _rnn_forward(pre, W_hhT, relu, h0, mask, act, hidden, gemm, lo, hi):
    """``pre`` holds W_ih x_t + b on entry; W_hh h_{t−1} is added to it in place, step by step."""
    T, _, H = pre.shape
    h = h0[lo:hi].copy()
    for t in range(T):
        _matmul(h, W_hhT, pre[t, lo:hi], gemm, True)
        for b in range(lo, hi):
            zr, ar, i = pre[t, b], act[t, b], b - lo
            if relu:
                for j in range(H):
                    ar[j] = max(zr[j], 0.0)
            else:
                for j in range(H):
                    ar[j] = _tanh(zr[j])
            if mask[t, b] > 0:
                _copy(ar, h[i])
            _copy(h[i], hidden[t, b])


@jit
def _rnn_backward(W_hh, relu, pre, act, mask, dh_out, dh_last, truncate, dz, dh_seen, gemm, lo, hi):
    T, _, H = pre.shape
    dh = dh_last[lo:hi].copy()
    hold = np.empty_like(dh)
    for t in range(T - 1, -1, -1):
        for b in range(lo, hi):
            m, d, dzr, zr, ar, i = mask[t, b], dh_seen[t, b], dz[t, b], pre[t, b], act[t, b], b - lo
            for j in range(H):
                d[j] = dh[i, j] + m * dh_out[t, b, j]
                hold[i, j] = (1 - m) * d[j]
            if relu:
                for j in range(H):
                    dzr[j] = m * d[j] * (1.0 if zr[j] > 0 else 0.0)
            else:
                for j in range(H):
                    dzr[j] = m * d[j] * (1.0 - ar[j] * ar[j])  # backprop through tanh
        _matmul(dz[t, lo:hi], W_hh, dh, gemm)
        _add_into(hold, dh)
        if truncate > 0 and t > 0 and t % truncate == 0:
            dh[:] = 0.0
    return dh


# --------------------------------------------------------------------------------------------- LSTM


@jit
def _lstm_gates(zr, ar, peep, variant, cp, cn):
    """One step's gates for one sequence: zr (4H,) pre-activations in, with the peephole terms added;
    ar (4H,) activations and cn (H,) the new cell state out. Loop-invariant branches stay outside the
    loops, each loop runs over contiguous units, so that LLVM vectorises every one."""
    H = cp.size
    if variant == PEEPHOLE:
        for j in range(H):
            zr[j] += peep[0, j] * cp[j]
            zr[H + j] += peep[1, j] * cp[j]
    for j in range(H):
        ar[j] = _sigmoid(zr[j])
    if variant == NO_FORGET:
        zr[H : 2 * H] = 0.0
        ar[H : 2 * H] = 1.0
    elif variant == COUPLED:
        for j in range(H):
            zr[H + j] = -zr[j]
            ar[H + j] = 1.0 - ar[j]
    else:
        for j in range(H):
            ar[H + j] = _sigmoid(zr[H + j])
    for j in range(H):
        ar[2 * H + j] = _tanh(zr[2 * H + j])
    for j in range(H):
        cn[j] = ar[H + j] * cp[j] + ar[j] * ar[2 * H + j]
    if variant == PEEPHOLE:
        for j in range(H):
            zr[3 * H + j] += peep[2, j] * cn[j]
    for j in range(H):
        ar[3 * H + j] = _sigmoid(zr[3 * H + j])


@jit
def _lstm_forward(pre, W_hhT, peep, variant, h0, c0, mask, act, hidden, cell, gemm, lo, hi):
    """``pre`` holds W_ih x_t + b on entry; W_hh h_{t−1} (and the peepholes) are added to it in place: one pass
    over the step's gates fewer than a product into a buffer and a sum, and no second (T, B, G) array."""
    T, _, G = pre.shape
    H = G // 4
    h, c = h0[lo:hi].copy(), c0[lo:hi].copy()
    for t in range(T):
        _matmul(h, W_hhT, pre[t, lo:hi], gemm, True)
        for b in range(lo, hi):
            zr, ar, cn, i = pre[t, b], act[t, b], cell[t, b], b - lo
            _lstm_gates(zr, ar, peep, variant, c[i], cn)
            if mask[t, b] > 0:
                for j in range(H):
                    c[i, j] = cn[j]
                    h[i, j] = ar[3 * H + j] * _tanh(cn[j])
            else:
                _copy(c[i], cn)  # padding: the state is held
            _copy(h[i], hidden[t, b])


@inline
def _lstm_grads(act, cp, m, d, dc, dz, dc_seen, peep, dpeep, peephole, coupled, forget):
    """One step back for one sequence: act (4H,) gate activations, cp (H,) the previous cell state, m its
    mask, d (H,) ∂L/∂h; writes dz (4H,) and dc_seen (H,), and dc (H,) becomes ∂L/∂c of the step before.
    Inlined with the variant's flags as constants, so that the loop has no branches and vectorises."""
    H = cp.size
    for j in range(H):
        i, f, g, o = act[j], act[H + j], act[2 * H + j], act[3 * H + j]
        cn = f * cp[j] + i * g
        tc = _tanh(cn)
        dhn = m * d[j]
        dzo = dhn * tc * o * (1.0 - o)  # through o = σ(z_o)
        dcn = m * dc[j] + dhn * o * (1.0 - tc * tc)  # through h = o tanh(c)
        if peephole:
            dcn += dzo * peep[2, j]
            dpeep[2, j] += dzo * cn
        dc_seen[j] = dcn + (1 - m) * dc[j]
        di, dg, df, dcp = dcn * g, dcn * i, dcn * cp[j], dcn * f
        if coupled:
            di -= df
        dzi, dzg = di * i * (1.0 - i), dg * (1.0 - g * g)
        dzf = df * f * (1.0 - f) if forget else 0.0
        if peephole:
            dcp += dzi * peep[0, j] + dzf * peep[1, j]
            dpeep[0, j] += dzi * cp[j]
            dpeep[1, j] += dzf * cp[j]
        dz[j], dz[H + j], dz[2 * H + j], dz[3 * H + j] = dzi, dzf, dzg, dzo
        dc[j] = dcp + (1 - m) * dc[j]


@jit
def _lstm_backward(
    W_hh,
    peep,
    variant,
    act,
    cell,
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
    gemm,
    lo,
    hi,
):
    T, _, G = act.shape
    H = G // 4
    dh, dc = dh_last[lo:hi].copy(), dc_last[lo:hi].copy()
    hold = np.empty_like(dh)
    for t in range(T - 1, -1, -1):
        for b in range(lo, hi):
            m, d, a, i = mask[t, b], dh_seen[t, b], act[t, b], b - lo
            for j in range(H):
                d[j] = dh[i, j] + m * dh_out[t, b, j]
                hold[i, j] = (1 - m) * d[j]
            cp = cell[t - 1, b] if t > 0 else c0[b]
            dcb, dzr, dcs, dp = dc[i], dz[t, b], dc_seen[t, b], dpeep[b]
            if variant == PEEPHOLE:
                _lstm_grads(a, cp, m, d, dcb, dzr, dcs, peep, dp, True, False, True)
            elif variant == COUPLED:
                _lstm_grads(a, cp, m, d, dcb, dzr, dcs, peep, dp, False, True, False)
            elif variant == NO_FORGET:
                _lstm_grads(a, cp, m, d, dcb, dzr, dcs, peep, dp, False, False, False)
            else:
                _lstm_grads(a, cp, m, d, dcb, dzr, dcs, peep, dp, False, False, True)
        _matmul(dz[t, lo:hi], W_hh, dh, gemm)
        _add_into(hold, dh)
        if truncate > 0 and t > 0 and t % truncate == 0:
            dh[:] = 0.0
            dc[:] = 0.0
    return dh, dc


# ---------------------------------------------------------------------------------------------- GRU


@jit
def _gru_forward(xproj, W_rzT, W_nT, b_hh, variant, h0, mask, pre, act, hidden, extra, gemm, lo, hi):
    T, _, G = xproj.shape
    H, n = G // 3, hi - lo
    h = h0[lo:hi].copy()
    zrz = np.empty((n, 2 * H), xproj.dtype)
    hn = np.empty((n, H), xproj.dtype)
    rh = np.empty((n, H), xproj.dtype)
    for t in range(T):
        _matmul(h, W_rzT, zrz, gemm)
        for b in range(lo, hi):
            zr, ar, i = pre[t, b], act[t, b], b - lo
            for j in range(2 * H):
                zr[j] = xproj[t, b, j] + zrz[i, j] + b_hh[j]
                ar[j] = _sigmoid(zr[j])
            for j in range(H):
                rh[i, j] = ar[j] * h[i, j]
        _matmul(rh if variant == RESET_BEFORE else h, W_nT, hn, gemm)
        for b in range(lo, hi):
            zr, ar, hnb, i = pre[t, b], act[t, b], extra[t, b], b - lo
            for j in range(H):
                hnb[j] = hn[i, j] + b_hh[2 * H + j]
            if variant == RESET_AFTER:
                for j in range(H):
                    zr[2 * H + j] = xproj[t, b, 2 * H + j] + ar[j] * hnb[j]
            else:
                for j in range(H):
                    zr[2 * H + j] = xproj[t, b, 2 * H + j] + hnb[j]
            for j in range(H):
                ar[2 * H + j] = _tanh(zr[2 * H + j])
            if mask[t, b] > 0:
                for j in range(H):
                    h[i, j] = (1.0 - ar[H + j]) * ar[2 * H + j] + ar[H + j] * h[i, j]
            _copy(h[i], hidden[t, b])


@jit
def _gru_backward(
    W_rz, W_n, variant, act, extra, h_in, mask, dh_out, dh_last, truncate, dz, dz_hh, rh_in, dh_seen, gemm, lo, hi
):
    T, _, G = act.shape
    H = G // 3
    dh = dh_last[lo:hi].copy()
    dhp = np.empty_like(dh)
    dn = np.empty_like(dh)
    drh = np.empty_like(dh)
    drz = np.empty((hi - lo, 2 * H), dh.dtype)
    for t in range(T - 1, -1, -1):
        for b in range(lo, hi):
            m, d, hp, a, dzt, dzh = mask[t, b], dh_seen[t, b], h_in[t, b], act[t, b], dz[t, b], dz_hh[t, b]
            i = b - lo
            for j in range(H):
                d[j] = dh[i, j] + m * dh_out[t, b, j]
                z, n = a[H + j], a[2 * H + j]
                dhn = m * d[j]
                dzt[2 * H + j] = dhn * (1.0 - z) * (1.0 - n * n)
                dzt[H + j] = drz[i, H + j] = dzh[H + j] = dhn * (hp[j] - n) * z * (1.0 - z)
                dhp[i, j] = dhn * z + (1 - m) * d[j]
                rh_in[t, b, j] = a[j] * hp[j]
            if variant == RESET_AFTER:
                for j in range(H):
                    dn[i, j] = dzh[2 * H + j] = dzt[2 * H + j] * a[j]
            else:
                for j in range(H):
                    dn[i, j] = dzh[2 * H + j] = dzt[2 * H + j]
        _matmul(dn, W_n, drh, gemm)  # reset_after: gradient into h; reset_before: into r ⊙ h
        for b in range(lo, hi):
            i = b - lo
            _gru_reset_grads(variant, act[t, b], h_in[t, b], extra[t, b], drh[i], dz[t, b], dz_hh[t, b], dhp[i], drz[i])
        _matmul(drz, W_rz, dh, gemm)
        _add_into(dhp, dh)
        if truncate > 0 and t > 0 and t % truncate == 0:
            dh[:] = 0.0
    return dh


@jit
def _gru_reset_grads(variant, a, hp, hn, drh, dzt, dzh, dhp, drz):
    """The reset gate's share of one step back for one sequence: drz[:H] = dz[:H] = ∂L/∂z_r, and drh
    (the gradient through the candidate's matrix product) added to dhp."""
    H = hp.size
    if variant == RESET_AFTER:
        for j in range(H):
            r = a[j]
            dzt[j] = dzh[j] = drz[j] = dzt[2 * H + j] * hn[j] * r * (1.0 - r)
            dhp[j] += drh[j]
    else:
        for j in range(H):
            r = a[j]
            dzt[j] = dzh[j] = drz[j] = drh[j] * hp[j] * r * (1.0 - r)
            dhp[j] += drh[j] * r
