"""Plain NumPy recurrent cells, one time step at a time, written after the textbook equations.

These are the references the Numba kernels in ``kernels.py`` are held to. They favour reading over speed.
Every function works on one layer in one direction, in processing order (the model flips the sequence for
the reverse direction), with PyTorch's parameter layout:

    W_ih (G·H, In), W_hh (G·H, H), b_ih (G·H,), b_hh (G·H,)

and gate blocks in PyTorch's order: LSTM i, f, g, o; GRU r, z, n; plain RNN a single block. ``x`` is
(T, B, In) numbers or a ``OneHot`` of token ids, for which ``x[t] @ W_ih.T`` picks columns of W_ih.
``mask`` (T, B) is 1 where a step is part of the sequence and 0 on padding, where the state is held.
"""

from __future__ import annotations

import numpy as np

from engine.recurrent.onehot import OneHot


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _blocks(a: np.ndarray, n: int) -> list[np.ndarray]:
    return np.split(a, n, axis=-1)


# ---------------------------------------------------------------------------------------------- forward


def rnn_forward(x, w, h0, mask, nonlinearity: str) -> dict:
    """h_t = φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), φ = tanh or relu."""
    T = x.shape[0]
    pre = np.zeros((T, *h0.shape), h0.dtype)
    act = np.zeros_like(pre)
    hidden = np.zeros_like(pre)
    h = h0
    for t in range(T):
        pre[t] = x[t] @ w["W_ih"].T + w["b_ih"] + h @ w["W_hh"].T + w["b_hh"]
        act[t] = np.tanh(pre[t]) if nonlinearity == "tanh" else np.maximum(pre[t], 0)
        m = mask[t][:, None]
        h = m * act[t] + (1 - m) * h
        hidden[t] = h
    return {"gates_pre": pre, "gates": act, "hidden": hidden}


def lstm_forward(x, w, h0, c0, mask, variant: str) -> dict:
    """i, f, o = σ(·); g = tanh(·); c_t = f ⊙ c_{t-1} + i ⊙ g; h_t = o ⊙ tanh(c_t).

    Variants: ``no_forget`` fixes f = 1; ``coupled`` sets f = 1 − i; ``peephole`` lets i and f see c_{t-1}
    and o see c_t through diagonal weights p_i, p_f, p_o.
    """
    T, B = x.shape[:2]
    H = h0.shape[1]
    pre = np.zeros((T, B, 4 * H), h0.dtype)
    act = np.zeros_like(pre)
    hidden = np.zeros((T, B, H), h0.dtype)
    cell = np.zeros_like(hidden)
    h, c = h0, c0
    for t in range(T):
        zi, zf, zg, zo = _blocks(x[t] @ w["W_ih"].T + w["b_ih"] + h @ w["W_hh"].T + w["b_hh"], 4)
        if variant == "peephole":
            zi = zi + w["p_i"] * c
            zf = zf + w["p_f"] * c
        i, g = sigmoid(zi), np.tanh(zg)
        if variant == "no_forget":
            zf, f = np.zeros_like(zf), np.ones_like(zf)
        elif variant == "coupled":
            zf, f = -zi, 1 - i  # σ(−z) = 1 − σ(z)
        else:
            f = sigmoid(zf)
        c_new = f * c + i * g
        if variant == "peephole":
            zo = zo + w["p_o"] * c_new
        o = sigmoid(zo)
        h_new = o * np.tanh(c_new)
        m = mask[t][:, None]
        c = m * c_new + (1 - m) * c
        h = m * h_new + (1 - m) * h
        pre[t] = np.concatenate([zi, zf, zg, zo], axis=1)
        act[t] = np.concatenate([i, f, g, o], axis=1)
        hidden[t], cell[t] = h, c
    return {"gates_pre": pre, "gates": act, "hidden": hidden, "cell": cell}


def gru_forward(x, w, h0, mask, variant: str) -> dict:
    """r, z = σ(·); n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}.

    ``reset_before`` (Cho et al. 2014) instead applies the reset before the product: W_hn (r ⊙ h) + b_hn.
    ``extra`` keeps the recurrent term of the candidate, the value that r scales or that r ⊙ h produced.
    """
    T, B = x.shape[:2]
    H = h0.shape[1]
    W_hr, W_hz, W_hn = _blocks(w["W_hh"].T, 3)
    b_hr, b_hz, b_hn = _blocks(w["b_hh"], 3)
    pre = np.zeros((T, B, 3 * H), h0.dtype)
    act = np.zeros_like(pre)
    hidden = np.zeros((T, B, H), h0.dtype)
    extra = np.zeros_like(hidden)
    h = h0
    for t in range(T):
        xr, xz, xn = _blocks(x[t] @ w["W_ih"].T + w["b_ih"], 3)
        zr = xr + h @ W_hr + b_hr
        zz = xz + h @ W_hz + b_hz
        r, z = sigmoid(zr), sigmoid(zz)
        hn = h @ W_hn + b_hn if variant == "reset_after" else (r * h) @ W_hn + b_hn
        zn = xn + r * hn if variant == "reset_after" else xn + hn
        n = np.tanh(zn)
        m = mask[t][:, None]
        h = m * ((1 - z) * n + z * h) + (1 - m) * h
        pre[t] = np.concatenate([zr, zz, zn], axis=1)
        act[t] = np.concatenate([r, z, n], axis=1)
        hidden[t], extra[t] = h, hn
    return {"gates_pre": pre, "gates": act, "hidden": hidden, "extra": extra}


# --------------------------------------------------------------------------------------------- backward
#
# Each backward walks the steps in reverse. ``dh_out`` (T, B, H) is the gradient reaching h_t from above
# (the next layer or the output head); ``dh_last`` and ``dc_last`` reach the final state. After a step that
# starts a truncation window (t % truncate == 0) no gradient flows further back in time. ``params=False``
# leaves out the parameters' gradients and ``inputs=False`` the input's (``x`` may then be None): what is left
# are the gradients of the states, which is all that the picture of gradient flow needs.


def _cut(t: int, truncate: int) -> bool:
    return truncate > 0 and t > 0 and t % truncate == 0


def _input_grads(x, h_in, dz, dz_hh, w, params: bool, inputs: bool) -> dict:
    """Weight and input gradients from the pre-activation gradients of all steps at once."""
    one_hot = isinstance(x, OneHot)
    grads = {"x": dz @ w["W_ih"]} if inputs and not one_hot else {}  # token ids have no gradient
    if params:
        grads.update(
            W_ih=x.outer(dz) if one_hot else np.einsum("tbg,tbi->gi", dz, x),
            b_ih=dz.sum(axis=(0, 1)),
            W_hh=np.einsum("tbg,tbh->gh", dz_hh, h_in),
            b_hh=dz_hh.sum(axis=(0, 1)),
        )
    return grads


def rnn_backward(
    x, w, rec, h0, mask, dh_out, dh_last, truncate: int, nonlinearity: str, params: bool = True, inputs: bool = True
) -> dict:
    T = rec["hidden"].shape[0]
    hidden = rec["hidden"]
    dz = np.zeros_like(rec["gates_pre"])
    dh_seen = np.zeros_like(hidden)
    dh = dh_last.copy()
    for t in reversed(range(T)):
        m = mask[t][:, None]
        dh = dh + m * dh_out[t]
        dh_seen[t] = dh
        if nonlinearity == "tanh":
            dz[t] = m * dh * (1 - rec["gates"][t] ** 2)  # backprop through tanh
        else:
            dz[t] = m * dh * (rec["gates_pre"][t] > 0)
        dh = dz[t] @ w["W_hh"] + (1 - m) * dh
        if _cut(t, truncate):
            dh = np.zeros_like(dh)
    h_in = np.concatenate([h0[None], hidden[:-1]])
    g = _input_grads(x, h_in, dz, dz, w, params, inputs)
    g.update(h0=dh, dh=dh_seen)
    return g


def lstm_backward(
    x, w, rec, h0, c0, mask, dh_out, dh_last, dc_last, truncate: int, variant: str, params=True, inputs=True
) -> dict:
    T = rec["hidden"].shape[0]
    hidden, cell = rec["hidden"], rec["cell"]
    dz = np.zeros_like(rec["gates_pre"])
    dh_seen, dc_seen = np.zeros_like(hidden), np.zeros_like(cell)
    dp = {k: np.zeros_like(h0[0]) for k in ("p_i", "p_f", "p_o")}
    dh, dc = dh_last.copy(), dc_last.copy()
    for t in reversed(range(T)):
        c_prev = cell[t - 1] if t > 0 else c0
        i, f, g, o = _blocks(rec["gates"][t], 4)
        m = mask[t][:, None]
        dh = dh + m * dh_out[t]
        dh_seen[t] = dh
        c_new = f * c_prev + i * g
        tc = np.tanh(c_new)
        dh_new = m * dh
        dzo = dh_new * tc * o * (1 - o)
        dc_new = m * dc + dh_new * o * (1 - tc**2)
        if variant == "peephole":
            dc_new = dc_new + dzo * w["p_o"]
            dp["p_o"] += (dzo * c_new).sum(axis=0)
        dc_seen[t] = dc_new + (1 - m) * dc
        di, dg, df = dc_new * g, dc_new * i, dc_new * c_prev
        dc_prev = dc_new * f
        if variant == "coupled":
            di = di - df  # f = 1 − i
        dzi, dzg = di * i * (1 - i), dg * (1 - g**2)
        dzf = df * f * (1 - f) if variant in ("standard", "peephole") else np.zeros_like(df)
        if variant == "peephole":
            dc_prev = dc_prev + dzi * w["p_i"] + dzf * w["p_f"]
            dp["p_i"] += (dzi * c_prev).sum(axis=0)
            dp["p_f"] += (dzf * c_prev).sum(axis=0)
        dz[t] = np.concatenate([dzi, dzf, dzg, dzo], axis=1)
        dh = dz[t] @ w["W_hh"] + (1 - m) * dh
        dc = dc_prev + (1 - m) * dc
        if _cut(t, truncate):
            dh, dc = np.zeros_like(dh), np.zeros_like(dc)
    h_in = np.concatenate([h0[None], hidden[:-1]])
    grads = _input_grads(x, h_in, dz, dz, w, params, inputs)
    grads.update(h0=dh, c0=dc, dh=dh_seen, dc=dc_seen)
    if variant == "peephole" and params:
        grads.update(dp)
    return grads


def gru_backward(
    x, w, rec, h0, mask, dh_out, dh_last, truncate: int, variant: str, params: bool = True, inputs: bool = True
) -> dict:
    T = rec["hidden"].shape[0]
    H = h0.shape[1]
    hidden = rec["hidden"]
    W_hn = w["W_hh"][2 * H :]
    dz = np.zeros_like(rec["gates_pre"])  # gradients of the input-side pre-activations
    dz_hh = np.zeros_like(dz)  # gradients of the recurrent products W_hh · (h or r ⊙ h) + b_hh
    h_in = np.concatenate([h0[None], hidden[:-1]])
    h_in_n = h_in.copy()  # what W_hn multiplies: h, or r ⊙ h before the reset
    dh_seen = np.zeros_like(hidden)
    dh = dh_last.copy()
    for t in reversed(range(T)):
        h_prev = h_in[t]
        r, z, n = _blocks(rec["gates"][t], 3)
        hn = rec["extra"][t]
        m = mask[t][:, None]
        dh = dh + m * dh_out[t]
        dh_seen[t] = dh
        dh_new = m * dh
        dzn = dh_new * (1 - z) * (1 - n**2)
        dzz = dh_new * (h_prev - n) * z * (1 - z)
        dh_prev = dh_new * z + (1 - m) * dh
        if variant == "reset_after":
            dzr = dzn * hn * r * (1 - r)
            dhn = dzn * r
        else:
            h_in_n[t] = r * h_prev
            drh = dzn @ W_hn
            dzr = drh * h_prev * r * (1 - r)
            dh_prev = dh_prev + drh * r
            dhn = dzn
        dz[t] = np.concatenate([dzr, dzz, dzn], axis=1)
        dz_hh[t] = np.concatenate([dzr, dzz, dhn], axis=1)
        dh = dh_prev + dz_hh[t][:, : 2 * H] @ w["W_hh"][: 2 * H]
        if variant == "reset_after":
            dh = dh + dhn @ W_hn
        if _cut(t, truncate):
            dh = np.zeros_like(dh)
    grads = _input_grads(x, h_in, dz, dz_hh, w, params, inputs)
    if params:
        grads["W_hh"][2 * H :] = np.einsum("tbg,tbh->gh", dz_hh[:, :, 2 * H :], h_in_n)
    grads.update(h0=dh, dh=dh_seen)
    return grads
