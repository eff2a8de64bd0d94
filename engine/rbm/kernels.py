"""Numba twins of ``reference.py``: same arguments, same uniforms, same samples.

Shapes and equations are documented in ``reference.py``. Matrix products go through ``np.dot`` (BLAS via
SciPy); the element-wise sigmoid and sampling are fused into loops so no temporaries are made.
Parameters, states and uniforms are float64 arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _add_bias_sigmoid(x, bias):
    """In place: x[i, j] = sigmoid(x[i, j] + bias[j])."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = 1.0 / (1.0 + np.exp(-(x[i, j] + bias[j])))
    return x


@njit(cache=True, nogil=True)
def hidden_prob(v, W, c):
    return _add_bias_sigmoid(np.dot(v, W), c)


@njit(cache=True, nogil=True)
def visible_prob(h, W, b):
    return _add_bias_sigmoid(np.dot(h, W.T), b)


@njit(cache=True, nogil=True)
def _sample_into(p, u, out):
    for i in range(p.shape[0]):
        for j in range(p.shape[1]):
            out[i, j] = 1.0 if u[i, j] < p[i, j] else 0.0


@njit(cache=True, nogil=True)
def sample(p, u):
    out = np.empty_like(p)
    _sample_into(p, u, out)
    return out


@njit(cache=True, nogil=True)
def gibbs_step(v, W, b, c, u_h, u_v):
    ph = hidden_prob(v, W, c)
    h = sample(ph, u_h)
    pv = visible_prob(h, W, b)
    return ph, h, pv, sample(pv, u_v)


@njit(cache=True, nogil=True)
def gibbs_chain_into(v0, W, b, c, clamp, u_h, u_v, visible, hidden, visible_prob_, hidden_prob_):
    """Fill the preallocated trace arrays (shapes as returned by ``reference.gibbs_chain``)."""
    steps = u_v.shape[0]
    visible[0] = v0
    visible_prob_[0] = v0
    for t in range(steps):
        ph, h, pv, v = gibbs_step(visible[t], W, b, c, u_h[t], u_v[t])
        for i in range(v0.shape[0]):
            for j in range(v0.shape[1]):
                if clamp[i, j]:
                    pv[i, j] = v0[i, j]
                    v[i, j] = v0[i, j]
        hidden_prob_[t] = ph
        hidden[t] = h
        visible_prob_[t + 1] = pv
        visible[t + 1] = v
    ph = hidden_prob(visible[steps], W, c)
    hidden_prob_[steps] = ph
    _sample_into(ph, u_h[steps], hidden[steps])


@njit(cache=True, nogil=True)
def _column_mean_difference(a, b):
    """mean(a, axis=0) - mean(b, axis=0) for 2-D arrays with equal column counts."""
    out = np.zeros(a.shape[1], a.dtype)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[j] += a[i, j] / a.shape[0]
    for i in range(b.shape[0]):
        for j in range(b.shape[1]):
            out[j] -= b[i, j] / b.shape[0]
    return out


@njit(cache=True, nogil=True)
def cd_gradient(v_data, v_chain, W, b, c, u_h, u_v):
    ph_data = hidden_prob(v_data, W, c)
    v = v_chain
    for s in range(u_h.shape[0]):
        _, _, _, v = gibbs_step(v, W, b, c, u_h[s], u_v[s])
    ph_model = hidden_prob(v, W, c)
    dW = np.dot(v_data.T, ph_data) / v_data.shape[0] - np.dot(v.T, ph_model) / v.shape[0]
    db = _column_mean_difference(v_data, v)
    dc = _column_mean_difference(ph_data, ph_model)
    return dW, db, dc, v
