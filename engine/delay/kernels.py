"""The @njit twins of NARX's time loop in ``reference.py`` (the one part of a delay network that is a loop:
a TDNN layer is one matrix product over all its windows, which BLAS already does best).

The input window's projection ax = W_x·[x_t … x_(t−Kx+1)] + b comes in computed for all steps at once; the
weight gradients are matrix products after the loop. ``kind``: 0 identity, 1 sigmoid, 2 softmax.
"""

from __future__ import annotations

import numpy as np
from numba import njit

KINDS = {"identity": 0, "sigmoid": 1, "softmax": 2}


@njit(cache=True, nogil=True)
def _activate(z, kind, out):
    M = z.shape[0]
    if kind == 2:
        top = z.max()
        total = 0.0
        for m in range(M):
            out[m] = np.exp(z[m] - top)
            total += out[m]
        for m in range(M):
            out[m] /= total
    elif kind == 1:
        for m in range(M):
            out[m] = 1.0 / (1.0 + np.exp(-z[m]))
    else:
        for m in range(M):
            out[m] = z[m]


@njit(cache=True, nogil=True)
def _narx_forward(ax, W_y, V, c, kind, teacher, use_teacher, a, h, z, y, fed):
    """Fills a, h (T, B, H), z, y (T, B, M) and fed (T, B, M, Ky) step by step."""
    T, B, H = ax.shape
    M, Ky = W_y.shape[1], W_y.shape[2]
    for t in range(T):
        for s in range(B):
            for j in range(1, Ky + 1):
                if t - j >= 0:
                    for m in range(M):
                        fed[t, s, m, Ky - j] = teacher[t - j, s, m] if use_teacher else y[t - j, s, m]
            for i in range(H):
                total = ax[t, s, i]
                for m in range(M):
                    for k in range(Ky):
                        total += W_y[i, m, k] * fed[t, s, m, k]
                a[t, s, i] = total
                h[t, s, i] = np.tanh(total)
            for m in range(M):
                total = c[m]
                for i in range(H):
                    total += V[m, i] * h[t, s, i]
                z[t, s, m] = total
            _activate(z[t, s], kind, y[t, s])


@njit(cache=True, nogil=True)
def _narx_backward(W_y, V, kind, teacher_forced, h, y, dh_out, dh, da, dy, dV, dc):
    """Fills dh, da (T, B, H) and accumulates dy (T, B, M), dV (M, H), dc (M,) from the last step back."""
    T, B, H = h.shape
    M, Ky = W_y.shape[1], W_y.shape[2]
    dz = np.empty(M, h.dtype)
    for t in range(T - 1, -1, -1):
        for s in range(B):
            if kind == 2:
                dot = 0.0
                for m in range(M):
                    dot += y[t, s, m] * dy[t, s, m]
                for m in range(M):
                    dz[m] = y[t, s, m] * (dy[t, s, m] - dot)
            elif kind == 1:
                for m in range(M):
                    dz[m] = dy[t, s, m] * y[t, s, m] * (1.0 - y[t, s, m])
            else:
                for m in range(M):
                    dz[m] = dy[t, s, m]
            for m in range(M):
                dc[m] += dz[m]
                for i in range(H):
                    dV[m, i] += dz[m] * h[t, s, i]
            for i in range(H):
                total = dh_out[t, s, i]
                for m in range(M):
                    total += dz[m] * V[m, i]
                dh[t, s, i] = total
                da[t, s, i] = total * (1.0 - h[t, s, i] * h[t, s, i])
            if not teacher_forced:
                for j in range(1, Ky + 1):
                    if t - j >= 0:
                        for m in range(M):
                            total = 0.0
                            for i in range(H):
                                total += da[t, s, i] * W_y[i, m, Ky - j]
                            dy[t - j, s, m] += total
