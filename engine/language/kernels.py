"""The Numba twin of ``step.Prepared``'s NumPy step for LSTMs: one call reads one character into every layer of
K hypotheses, products and gates together. Decoding takes one tiny step at a time, and NumPy's dozen calls a
layer (each a few microseconds) cost as much as the products themselves; here they are one loop.

The formulas are ``engine.recurrent.reference.lstm_forward``'s (PyTorch's gate order i, f, g, o); each product
runs over contiguous gate units so that LLVM vectorises it, and sigmoid and tanh come from
``engine.recurrent.fastmath`` for the same reason.
"""

from __future__ import annotations

import numpy as np

from engine.recurrent.fastmath import sigmoid as _sigmoid
from engine.recurrent.fastmath import tanh as _tanh
from engine.recurrent.kernels import jit


@jit
def _gates(z, c_prev, h_out, c_out, H):
    for j in range(H):
        i = _sigmoid(z[j])
        f = _sigmoid(z[H + j])
        g = _tanh(z[2 * H + j])
        o = _sigmoid(z[3 * H + j])
        c = f * c_prev[j] + i * g
        c_out[j] = c
        h_out[j] = o * _tanh(c)


@jit
def lstm_step(first, h, c, W_ihT, W_hhT, b, h_out, c_out):
    """first (K, 4H): layer 0's input projection with its biases; h, c (L, K, H) the state read; W_ihT
    (max(L − 1, 1), H, 4H) the upper layers' input weights transposed, W_hhT (L, H, 4H), b (L, 4H) the upper
    layers' summed biases (row 0 unused); writes h_out, c_out (L, K, H)."""
    L, K, H = h.shape
    z = np.empty(4 * H, h.dtype)
    for layer in range(L):
        for k in range(K):
            if layer == 0:
                z[:] = first[k]
            else:
                z[:] = b[layer]
                below = h_out[layer - 1, k]
                for j in range(H):
                    x = below[j]
                    w = W_ihT[layer - 1, j]
                    for g in range(4 * H):
                        z[g] += x * w[g]
            state = h[layer, k]
            for j in range(H):
                x = state[j]
                w = W_hhT[layer, j]
                for g in range(4 * H):
                    z[g] += x * w[g]
            _gates(z, c[layer, k], h_out[layer, k], c_out[layer, k], H)
