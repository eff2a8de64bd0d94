"""One layer in one direction through the Numba kernels: allocation and the BLAS calls around them.

``forward_layer`` and ``backward_layer`` take and return what the reference functions in ``reference.py`` do,
so that the model can use either. The input projection of all steps (W_ih x_t + b) is one matrix product
before the time loop; the weight gradients are one each after it.
"""

from __future__ import annotations

import numpy as np

from engine.recurrent import kernels as k

LSTM_VARIANTS = {"standard": k.STANDARD, "no_forget": k.NO_FORGET, "peephole": k.PEEPHOLE, "coupled": k.COUPLED}
GRU_VARIANTS = {"reset_after": k.RESET_AFTER, "reset_before": k.RESET_BEFORE}


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
        k._gru_forward(
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
        k._lstm_forward(
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
        k._rnn_forward(xproj, W_hhT, cell == "rnn_relu", h0, mask, out["gates_pre"], out["gates"], out["hidden"])
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
        grads["h0"] = k._gru_backward(
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
        grads["h0"], grads["c0"] = k._lstm_backward(
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
        grads["h0"] = k._rnn_backward(
            w["W_hh"], cell == "rnn_relu", rec["gates_pre"], rec["gates"], mask, dh_out, dh_last, truncate, dz, dh_seen
        )
    db = dz.sum(axis=(0, 1))
    if cell != "gru":
        grads["W_hh"] = _outer_sum(dz, h_in)
        grads["b_hh"] = db.copy()  # b_ih and b_hh enter the same sum, so their gradients are equal
    T, B, G = dz.shape
    dx = dz.reshape(T * B, G) @ w["W_ih"]  # one matrix product, not T batched ones of B rows
    grads.update(W_ih=_outer_sum(dz, x), b_ih=db, x=dx.reshape(T, B, -1))
    return grads
