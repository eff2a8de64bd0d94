"""Numba twins of ``reference.py``: the same equations, compiled, writing into preallocated arrays.

The input projection of all steps (W_ih x_t + b) is one BLAS call made outside the time loop; inside it,
each step makes one matrix product for the recurrent term and then loops over units, so that gates, states
and their gradients are computed in one pass without temporaries. Weight gradients are again one BLAS
call each, after the loop. ``forward_layer`` and ``backward_layer`` take and return what the reference
functions do, so the model can use either.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

RNN_TANH, RNN_RELU = 0, 1
STANDARD, NO_FORGET, PEEPHOLE, COUPLED = 0, 1, 2, 3
RESET_AFTER, RESET_BEFORE = 0, 1
LSTM_VARIANTS = {"standard": STANDARD, "no_forget": NO_FORGET, "peephole": PEEPHOLE, "coupled": COUPLED}
GRU_VARIANTS = {"reset_after": RESET_AFTER, "reset_before": RESET_BEFORE}

jit = njit(cache=True, nogil=True)


@jit
def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


@jit
def _tanh(x):
    # libm's tanh costs about five times exp here (Numba has no SVML); (1 − e)/(1 + e) with e = exp(−2|x|)
    # is exact to a few ulp except near 0, where the Taylor series takes over.
    a = abs(x)
    if a < 0.01:
        x2 = x * x
        return x * (1.0 - x2 * (1.0 / 3.0 - x2 * (2.0 / 15.0 - x2 * (17.0 / 315.0))))
    e = math.exp(-2.0 * a)
    t = (1.0 - e) / (1.0 + e)
    return t if x >= 0 else -t


@jit
def _matmul(a, b, out):
    """out = a @ b. For a few rows a plain loop (vectorised by LLVM) beats a BLAS call's overhead."""
    if a.shape[0] > 4:
        np.dot(a, b, out)
        return
    out[:] = 0.0
    for r in range(a.shape[0]):
        for k in range(a.shape[1]):
            ak = a[r, k]
            for j in range(b.shape[1]):
                out[r, j] += ak * b[k, j]


# ---------------------------------------------------------------------------------------------- RNN


@jit
def _rnn_forward(xproj, W_hhT, relu, h0, mask, pre, act, hidden):
    T, B, H = xproj.shape
    h = h0.copy()
    z = np.empty_like(h)
    for t in range(T):
        _matmul(h, W_hhT, z)
        for b in range(B):
            for j in range(H):
                zt = xproj[t, b, j] + z[b, j]
                a = max(zt, 0.0) if relu else _tanh(zt)
                pre[t, b, j] = zt
                act[t, b, j] = a
                if mask[t, b] > 0:
                    h[b, j] = a
                hidden[t, b, j] = h[b, j]


@jit
def _rnn_backward(W_hh, relu, pre, act, mask, dh_out, dh_last, truncate, dz, dh_seen):
    T, B, H = pre.shape
    dh = dh_last.copy()
    hold = np.empty_like(dh)
    for t in range(T - 1, -1, -1):
        for b in range(B):
            m = mask[t, b]
            for j in range(H):
                d = dh[b, j] + m * dh_out[t, b, j]
                dh_seen[t, b, j] = d
                slope = (1.0 if pre[t, b, j] > 0 else 0.0) if relu else 1.0 - act[t, b, j] ** 2
                dz[t, b, j] = m * d * slope
                hold[b, j] = (1 - m) * d
        _matmul(dz[t], W_hh, dh)
        dh += hold
        if truncate > 0 and t > 0 and t % truncate == 0:
            dh[:] = 0.0
    return dh


# --------------------------------------------------------------------------------------------- LSTM


@jit
def _lstm_forward(xproj, W_hhT, peep, variant, h0, c0, mask, pre, act, hidden, cell):
    T, B, G = xproj.shape
    H = G // 4
    h, c = h0.copy(), c0.copy()
    z = np.empty((B, G), xproj.dtype)
    for t in range(T):
        _matmul(h, W_hhT, z)
        for b in range(B):
            for j in range(H):
                cp = c[b, j]
                zi = xproj[t, b, j] + z[b, j]
                zf = xproj[t, b, H + j] + z[b, H + j]
                zg = xproj[t, b, 2 * H + j] + z[b, 2 * H + j]
                zo = xproj[t, b, 3 * H + j] + z[b, 3 * H + j]
                if variant == PEEPHOLE:
                    zi += peep[0, j] * cp
                    zf += peep[1, j] * cp
                i, g = _sigmoid(zi), _tanh(zg)
                if variant == NO_FORGET:
                    zf, f = 0.0, 1.0
                elif variant == COUPLED:
                    zf, f = -zi, 1.0 - i
                else:
                    f = _sigmoid(zf)
                cn = f * cp + i * g
                if variant == PEEPHOLE:
                    zo += peep[2, j] * cn
                o = _sigmoid(zo)
                pre[t, b, j], pre[t, b, H + j], pre[t, b, 2 * H + j], pre[t, b, 3 * H + j] = zi, zf, zg, zo
                act[t, b, j], act[t, b, H + j], act[t, b, 2 * H + j], act[t, b, 3 * H + j] = i, f, g, o
                if mask[t, b] > 0:
                    c[b, j] = cn
                    h[b, j] = o * _tanh(cn)
                hidden[t, b, j] = h[b, j]
                cell[t, b, j] = c[b, j]


@jit
def _lstm_backward(
    W_hh, peep, variant, act, cell, c0, mask, dh_out, dh_last, dc_last, truncate, dz, dh_seen, dc_seen, dpeep
):
    T, B, G = act.shape
    H = G // 4
    dh, dc = dh_last.copy(), dc_last.copy()
    hold = np.empty_like(dh)
    for t in range(T - 1, -1, -1):
        for b in range(B):
            m = mask[t, b]
            for j in range(H):
                cp = cell[t - 1, b, j] if t > 0 else c0[b, j]
                i, f, g, o = act[t, b, j], act[t, b, H + j], act[t, b, 2 * H + j], act[t, b, 3 * H + j]
                d = dh[b, j] + m * dh_out[t, b, j]
                dh_seen[t, b, j] = d
                cn = f * cp + i * g
                tc = _tanh(cn)
                dhn = m * d
                dzo = dhn * tc * o * (1.0 - o)  # through o = σ(z_o)
                dcn = m * dc[b, j] + dhn * o * (1.0 - tc * tc)  # through h = o tanh(c)
                if variant == PEEPHOLE:
                    dcn += dzo * peep[2, j]
                    dpeep[2, j] += dzo * cn
                dc_seen[t, b, j] = dcn + (1 - m) * dc[b, j]
                di, dg, df, dcp = dcn * g, dcn * i, dcn * cp, dcn * f
                if variant == COUPLED:
                    di -= df
                dzi, dzg = di * i * (1.0 - i), dg * (1.0 - g * g)
                dzf = df * f * (1.0 - f) if variant == STANDARD or variant == PEEPHOLE else 0.0
                if variant == PEEPHOLE:
                    dcp += dzi * peep[0, j] + dzf * peep[1, j]
                    dpeep[0, j] += dzi * cp
                    dpeep[1, j] += dzf * cp
                dz[t, b, j], dz[t, b, H + j], dz[t, b, 2 * H + j], dz[t, b, 3 * H + j] = dzi, dzf, dzg, dzo
                dc[b, j] = dcp + (1 - m) * dc[b, j]
                hold[b, j] = (1 - m) * d
        _matmul(dz[t], W_hh, dh)
        dh += hold
        if truncate > 0 and t > 0 and t % truncate == 0:
            dh[:] = 0.0
            dc[:] = 0.0
    return dh, dc


# ---------------------------------------------------------------------------------------------- GRU


@jit
def _gru_forward(xproj, W_rzT, W_nT, b_hh, variant, h0, mask, pre, act, hidden, extra):
    T, B, G = xproj.shape
    H = G // 3
    h = h0.copy()
    zrz = np.empty((B, 2 * H), xproj.dtype)
    hn = np.empty((B, H), xproj.dtype)
    rh = np.empty((B, H), xproj.dtype)
    for t in range(T):
        _matmul(h, W_rzT, zrz)
        for b in range(B):
            for j in range(2 * H):
                zt = xproj[t, b, j] + zrz[b, j] + b_hh[j]
                pre[t, b, j] = zt
                act[t, b, j] = _sigmoid(zt)
            for j in range(H):
                rh[b, j] = act[t, b, j] * h[b, j]
        _matmul(rh if variant == RESET_BEFORE else h, W_nT, hn)
        for b in range(B):
            for j in range(H):
                r, z = act[t, b, j], act[t, b, H + j]
                hnj = hn[b, j] + b_hh[2 * H + j]
                zn = xproj[t, b, 2 * H + j] + (r * hnj if variant == RESET_AFTER else hnj)
                n = _tanh(zn)
                pre[t, b, 2 * H + j], act[t, b, 2 * H + j], extra[t, b, j] = zn, n, hnj
                if mask[t, b] > 0:
                    h[b, j] = (1.0 - z) * n + z * h[b, j]
                hidden[t, b, j] = h[b, j]


@jit
def _gru_backward(W_rz, W_n, variant, act, extra, h_in, mask, dh_out, dh_last, truncate, dz, dz_hh, rh_in, dh_seen):
    T, B, G = act.shape
    H = G // 3
    dh = dh_last.copy()
    dhp = np.empty_like(dh)
    dn = np.empty_like(dh)
    drh = np.empty_like(dh)
    drz = np.empty((B, 2 * H), dh.dtype)
    for t in range(T - 1, -1, -1):
        for b in range(B):
            m = mask[t, b]
            for j in range(H):
                hp = h_in[t, b, j]
                r, z, n = act[t, b, j], act[t, b, H + j], act[t, b, 2 * H + j]
                d = dh[b, j] + m * dh_out[t, b, j]
                dh_seen[t, b, j] = d
                dhn = m * d
                dzn = dhn * (1.0 - z) * (1.0 - n * n)
                dzz = dhn * (hp - n) * z * (1.0 - z)
                dhp[b, j] = dhn * z + (1 - m) * d
                dn[b, j] = dzn * r if variant == RESET_AFTER else dzn
                dz[t, b, H + j], dz[t, b, 2 * H + j] = dzz, dzn
                dz_hh[t, b, H + j], dz_hh[t, b, 2 * H + j] = dzz, dn[b, j]
                drz[b, H + j] = dzz
                rh_in[t, b, j] = r * hp
        _matmul(dn, W_n, drh)  # reset_after: gradient into h; reset_before: into r ⊙ h
        for b in range(B):
            for j in range(H):
                hp, r = h_in[t, b, j], act[t, b, j]
                if variant == RESET_AFTER:
                    dzr = dz[t, b, 2 * H + j] * extra[t, b, j] * r * (1.0 - r)
                    dhp[b, j] += drh[b, j]
                else:
                    dzr = drh[b, j] * hp * r * (1.0 - r)
                    dhp[b, j] += drh[b, j] * r
                dz[t, b, j], dz_hh[t, b, j], drz[b, j] = dzr, dzr, dzr
        _matmul(drz, W_rz, dh)
        dh += dhp
        if truncate > 0 and t > 0 and t % truncate == 0:
            dh[:] = 0.0
    return dh


# ------------------------------------------------------------------------------------------ wrappers


def _project(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """W x_t + b for every step at once: (T, B, In) -> (T, B, G·H), one BLAS call."""
    T, B, n_in = x.shape
    return (x.reshape(T * B, n_in) @ W.T + b).reshape(T, B, -1)


def _outer_sum(dz: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Σ_t dz_tᵀ a_t over steps and batch: (T, B, G), (T, B, K) -> (G, K)."""
    return dz.reshape(-1, dz.shape[-1]).T @ a.reshape(-1, a.shape[-1])


def _peep(w: dict, H: int, dtype) -> np.ndarray:
    if "p_i" in w:
        return np.stack([w["p_i"], w["p_f"], w["p_o"]])
    return np.zeros((3, H), dtype)


def forward_layer(cell: str, variant: str, x, w: dict, h0, c0, mask) -> dict:
    T, B = x.shape[:2]
    H = h0.shape[1]
    dt = x.dtype
    if cell == "gru":
        xproj = _project(x, w["W_ih"], w["b_ih"])
        out = {k: np.empty((T, B, 3 * H), dt) for k in ("gates_pre", "gates")}
        out.update(hidden=np.empty((T, B, H), dt), extra=np.empty((T, B, H), dt))
        W_hhT = w["W_hh"].T
        _gru_forward(
            xproj,
            np.ascontiguousarray(W_hhT[:, : 2 * H]),
            np.ascontiguousarray(W_hhT[:, 2 * H :]),
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
    xproj = _project(x, w["W_ih"], w["b_ih"] + w["b_hh"])
    W_hhT = np.ascontiguousarray(w["W_hh"].T)
    out = {k: np.empty_like(xproj) for k in ("gates_pre", "gates")}
    out["hidden"] = np.empty((T, B, H), dt)
    if cell == "lstm":
        out["cell"] = np.empty((T, B, H), dt)
        _lstm_forward(
            xproj,
            W_hhT,
            _peep(w, H, dt),
            LSTM_VARIANTS[variant],
            h0,
            c0,
            mask,
            out["gates_pre"],
            out["gates"],
            out["hidden"],
            out["cell"],
        )
    else:
        _rnn_forward(xproj, W_hhT, cell == "rnn_relu", h0, mask, out["gates_pre"], out["gates"], out["hidden"])
    return out


def backward_layer(
    cell: str, variant: str, x, w: dict, rec: dict, h0, c0, mask, dh_out, dh_last, dc_last, truncate: int
) -> dict:
    H = h0.shape[1]
    dz = np.empty_like(rec["gates_pre"])
    dh_seen = np.empty_like(rec["hidden"])
    h_in = np.concatenate([h0[None], rec["hidden"][:-1]])
    grads: dict = {"dh": dh_seen}
    if cell == "gru":
        dz_hh, rh_in = np.empty_like(dz), np.empty_like(dh_seen)
        W_hh = w["W_hh"]
        grads["h0"] = _gru_backward(
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
        n_in = rh_in if variant == "reset_before" else h_in
        grads["W_hh"] = np.concatenate([_outer_sum(dz_hh[..., : 2 * H], h_in), _outer_sum(dz_hh[..., 2 * H :], n_in)])
        grads["b_hh"] = dz_hh.sum(axis=(0, 1))
    elif cell == "lstm":
        dc_seen = np.empty_like(dh_seen)
        dpeep = np.zeros((3, H), x.dtype)
        grads["h0"], grads["c0"] = _lstm_backward(
            w["W_hh"],
            _peep(w, H, x.dtype),
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
        grads["dc"] = dc_seen
        if variant == "peephole":
            grads.update(p_i=dpeep[0], p_f=dpeep[1], p_o=dpeep[2])
    else:
        grads["h0"] = _rnn_backward(
            w["W_hh"], cell == "rnn_relu", rec["gates_pre"], rec["gates"], mask, dh_out, dh_last, truncate, dz, dh_seen
        )
    if cell != "gru":
        grads["W_hh"] = _outer_sum(dz, h_in)
        grads["b_hh"] = dz.sum(axis=(0, 1))
    grads.update(W_ih=_outer_sum(dz, x), b_ih=dz.sum(axis=(0, 1)), x=dz @ w["W_ih"])
    return grads
