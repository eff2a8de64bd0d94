"""Delay networks in plain NumPy, written after the equations in ``spec.py``; the kernels are held to these.

Shapes: u (T, B, In) a layer's input, W (H, In, K) its window weights (frame t−k under W[:, :, K−1−k], as a
causal ``Conv1d``), frames before the start are zero. NARX's y (T, B, M) are the outputs fed back.
"""

from __future__ import annotations

import numpy as np


def windows(u: np.ndarray, K: int) -> np.ndarray:
    """(T, B, In, K): at step t the frames u_(t−K+1) … u_t (zeros before the start), oldest first."""
    T, B, n = u.shape
    padded = np.concatenate([np.zeros((K - 1, B, n), u.dtype), u])
    return np.lib.stride_tricks.sliding_window_view(padded, K, axis=0)


def tdnn_layer_forward(u: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str = "tanh"):
    """a_t = b + Σ_k W[:, :, K−1−k] u_(t−k), h_t = φ(a_t); returns (a, h), each (T, B, H)."""
    H, n, K = W.shape
    T, B, _ = u.shape
    a = windows(u, K).reshape(T * B, n * K) @ W.reshape(H, n * K).T + b
    a = a.reshape(T, B, H)
    return a, (np.tanh(a) if activation == "tanh" else a.copy())


def tdnn_layer_backward(u, W, h, dh, activation: str = "tanh"):
    """Gradients of a layer given ∂L/∂h (T, B, H): (du, dW, db)."""
    H, n, K = W.shape
    T, B, _ = u.shape
    da = dh * (1 - h * h) if activation == "tanh" else dh  # back through tanh
    cols = windows(u, K).reshape(T * B, n * K)
    dW = (da.reshape(T * B, H).T @ cols).reshape(H, n, K)
    dcols = (da.reshape(T * B, H) @ W.reshape(H, n * K)).reshape(T, B, n, K)
    du = np.zeros((T + K - 1, B, n), u.dtype)
    for k in range(K):  # column k of step t's window is frame t + k of the padded input
        du[k : k + T] += dcols[..., k]
    return du[K - 1 :], dW, da.sum(axis=(0, 1))


def valid_frames(h: np.ndarray, reach: int) -> np.ndarray:
    """The frames of a causal stack whose whole window lies inside the sequence (Waibel's unpadded layers)."""
    return h[reach - 1 :]


def output_activation(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if kind == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    return z.copy()


def output_activation_backward(y: np.ndarray, dy: np.ndarray, kind: str) -> np.ndarray:
    """∂L/∂z from ∂L/∂y for y = act(z)."""
    if kind == "softmax":
        return y * (dy - (y * dy).sum(axis=-1, keepdims=True))
    if kind == "sigmoid":
        return dy * y * (1 - y)
    return dy.copy()


def narx_forward(x, W_x, W_y, b, V, c, kind: str, teacher: np.ndarray | None = None):
    """NARX over T steps: a_t = W_x·[x_t … x_(t−Kx+1)] + W_y·[y_(t−1) … y_(t−Ky)] + b, h_t = tanh(a_t),
    y_t = act(V h_t + c). Closed-loop feeds back its own y; with ``teacher`` (T, B, M) the true outputs instead.
    Returns (a, h, z, y, fed) with fed (T, B, M, Ky) the values on the output delay line at each step."""
    T, B, _ = x.shape
    H, M, Ky = W_y.shape
    Kx = W_x.shape[2]
    ax = windows(x, Kx).reshape(T * B, -1) @ W_x.reshape(H, -1).T + b
    ax = ax.reshape(T, B, H)
    a, h = np.empty_like(ax), np.empty_like(ax)
    z, y = np.empty((T, B, M), x.dtype), np.empty((T, B, M), x.dtype)
    fed = np.zeros((T, B, M, Ky), x.dtype)
    source = y if teacher is None else teacher
    for t in range(T):
        for j in range(1, Ky + 1):  # delay j sits at column Ky − j, as a window's frame t − j
            if t - j >= 0:
                fed[t, :, :, Ky - j] = source[t - j]
        a[t] = ax[t] + fed[t].reshape(B, -1) @ W_y.reshape(H, -1).T
        h[t] = np.tanh(a[t])
        z[t] = h[t] @ V.T + c
        y[t] = output_activation(z[t], kind)
    return a, h, z, y, fed


def narx_backward(x, W_x, W_y, V, h, y, fed, dh_out, kind: str, teacher: bool = False):
    """Back through NARX given ∂L/∂h_t from the loss (T, B, H). Closed-loop, the gradient also flows from each
    step's fed-back outputs to the steps that made them (through y_t = act(V h_t + c)).
    Returns dict of dh (T, B, H) the whole ∂L/∂h_t, dx, and the parameters' gradients weight_x, weight_y, bias,
    V, c (V and c only the feedback path's share)."""
    T, B, H = h.shape
    M, Ky = W_y.shape[1], W_y.shape[2]
    dy = np.zeros((T, B, M), h.dtype)
    dh = np.empty_like(h)
    da = np.empty_like(h)
    dV, dc = np.zeros_like(V), np.zeros(M, h.dtype)
    for t in range(T - 1, -1, -1):
        dz = output_activation_backward(y[t], dy[t], kind)
        dh[t] = dh_out[t] + dz @ V
        dV += dz.T @ h[t]
        dc += dz.sum(axis=0)
        da[t] = dh[t] * (1 - h[t] * h[t])  # back through tanh
        if not teacher:
            dfed = (da[t] @ W_y.reshape(H, -1)).reshape(B, M, Ky)
            for j in range(1, Ky + 1):
                if t - j >= 0:
                    dy[t - j] += dfed[:, :, Ky - j]
    dx, dW_x, db = tdnn_layer_backward(x, W_x, np.zeros_like(h), da, "identity")
    dW_y = (da.reshape(T * B, H).T @ fed.reshape(T * B, -1)).reshape(W_y.shape)
    return {"dh": dh, "dx": dx, "weight_x": dW_x, "weight_y": dW_y, "bias": db, "V": dV, "c": dc}
