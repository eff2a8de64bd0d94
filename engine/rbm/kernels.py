"""Numba twins of ``reference.py``: same arguments, same uniforms, same samples.

Shapes and equations are documented in ``reference.py``. Matrix products go through ``np.dot`` (BLAS via
SciPy); the element-wise sigmoid and sampling are fused into loops so no temporaries are made.
Parameters, states and uniforms are float64 arrays, except in ``train_batches``, the trainer's kernel.

``train_batches`` runs whole mini-batches, sampling and update fused, in the parameters' dtype (the trainer
uses float32, and float32 uniforms; given the same uniforms it draws the reference's samples). Its products are
BLAS's (SciPy's OpenBLAS, on as many threads as BLAS is given): in float32 it multiplies 64 × 784 by 784 × 256
at about 130 GFLOP/s on two cores. An earlier kernel summed the rows of W where the binary visible units are on,
in Numba's loops; fewer operations, but several times slower than the dense products.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from engine.fast_exp import sigmoid, softplus

#: Reassociation lets LLVM vectorise the dot products' sums; no flag that assumes away NaN or Inf, which
#: must come through for the trainer to see divergence.
_FASTMATH = {"reassoc", "contract"}


@njit(cache=True, nogil=True, error_model="numpy")
def _add_bias_sigmoid(x, bias):
    """In place: x[i, j] = sigmoid(x[i, j] + bias[j])."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = sigmoid(x[i, j] + bias[j], 1.0)
    return x


@njit(cache=True, nogil=True)
def hidden_prob(v, W, c):
    return _add_bias_sigmoid(np.dot(v, W), c)


@njit(cache=True, nogil=True)
def visible_prob(h, W, b):
    return _add_bias_sigmoid(np.dot(h, W.T), b)


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
def cd_gradient(v_data, v_chain, W, b, c, u_h, u_v):
    ph_data = hidden_prob(v_data, W, c)
    v = v_chain
    for s in range(u_h.shape[0]):
        _, _, _, v = gibbs_step(v, W, b, c, u_h[s], u_v[s])
    ph_model = hidden_prob(v, W, c)
    dW, model_phase = np.dot(v_data.T, ph_data), np.dot(v.T, ph_model)
    data_scale, model_scale = 1.0 / v_data.shape[0], 1.0 / v.shape[0]
    for i in range(dW.shape[0]):
        for j in range(dW.shape[1]):
            dW[i, j] = dW[i, j] * data_scale - model_phase[i, j] * model_scale
    db = _column_mean_difference(v_data, v)
    dc = _column_mean_difference(ph_data, ph_model)
    return dW, db, dc, v


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _sigmoid_rows(x, bias, one):
    """In place: x[r, j] = sigmoid(x[r, j] + bias[j]), in the dtype of ``one`` (``fast_exp``: 16 at a time)."""
    for r in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[r, j] = sigmoid(x[r, j] + bias[j], one)


@njit(cache=True, nogil=True, error_model="numpy")
def _sample_rows(p, u, offset, out, zero, one):
    """out[r, j] = (u[offset + r * n + j] < p[r, j]) for the rows of ``p: (rows, n)``."""
    n = p.shape[1]
    for r in range(p.shape[0]):
        for j in range(n):
            out[r, j] = one if u[offset + r * n + j] < p[r, j] else zero


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _step(param, velocity, gradient, lr, momentum, decay):
    """velocity = momentum * velocity + lr * (gradient - decay * param); param += velocity (flat views)."""
    for i in range(param.size):
        velocity[i] = momentum * velocity[i] + lr * (gradient[i] - decay * param[i])
        param[i] += velocity[i]


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _scale_and_sum(v, ph, scale, db, dc):
    """ph *= scale (a phase's rows, weighted for X^T Y), and the bias gradients db += scale Σ_r v_r,
    dc += scale Σ_r ph_r."""
    for r in range(v.shape[0]):
        for i in range(v.shape[1]):
            db[i] += v[r, i] * scale
        for j in range(ph.shape[1]):
            ph[r, j] *= scale
            dc[j] += ph[r, j]


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def train_batches(
    rows, order, first, n_batches, batch_size, persistent, chains, W, b, c, vW, vb, vc, u, lr, momentum, weight_decay,
    k,
):  # fmt: skip
    """``reference.train_batches`` with every buffer made once and reused, in the parameters' dtype. ``rows``
    may be uint8; ``chains`` and the parameters share the parameters' dtype, in which all arithmetic is done.

    The data rows and the chains' visible states lie in one matrix ``X`` (data above, chains below) and their
    p(h | v) in one matrix ``Y``; with Y's rows scaled by 1/B and by -1/C, the weight gradient
    <v h>_data - <v h>_model is the single product X^T Y. Rows a short last batch leaves unused hold zeros."""
    n_visible, n_hidden = W.shape
    dtype = W.dtype
    C = chains.shape[0] if persistent else batch_size
    X = np.zeros((batch_size + C, n_visible), dtype)
    Y = np.zeros((batch_size + C, n_hidden), dtype)
    h = np.empty((C, n_hidden), dtype)
    G = np.empty((n_visible, n_hidden), dtype)
    db = np.empty(n_visible, dtype)
    dc = np.empty(n_hidden, dtype)
    scalars = np.empty(5, dtype)  # the step's numbers in the parameters' dtype
    scalars[0], scalars[1], scalars[2], scalars[3], scalars[4] = 0.0, 1.0, lr, momentum, weight_decay
    zero, one, lr_, momentum_, decay = scalars[0], scalars[1], scalars[2], scalars[3], scalars[4]
    if persistent:
        X[batch_size:] = chains
    used = 0
    N = order.shape[0]
    for i_batch in range(first, first + n_batches):
        start = i_batch * batch_size
        B = min(batch_size, N - start)
        n_chains = C if persistent else B
        data, ph_data = X[:B], Y[:B]
        v, ph_model = X[batch_size : batch_size + n_chains], Y[batch_size : batch_size + n_chains]
        for r in range(B):
            data[r] = rows[order[start + r]]
        if persistent:  # the data's p(h | v) and the chains' in one product (a short batch's stale rows too)
            np.dot(X, W, Y)
            _sigmoid_rows(ph_data, c, one)
            _sigmoid_rows(ph_model, c, one)
        else:
            np.dot(data, W, ph_data)
            _sigmoid_rows(ph_data, c, one)
            v[:] = data
        for step in range(k):
            if step > 0:
                np.dot(v, W, ph_model)
                _sigmoid_rows(ph_model, c, one)
            ph = ph_data if step == 0 and not persistent else ph_model  # CD starts at the batch
            _sample_rows(ph, u, used + step * n_chains * n_hidden, h[:n_chains], zero, one)
            np.dot(h[:n_chains], W.T, v)
            _sigmoid_rows(v, b, one)
            _sample_rows(v, u, used + k * n_chains * n_hidden + step * n_chains * n_visible, v, zero, one)
        used += k * n_chains * (n_hidden + n_visible)
        np.dot(v, W, ph_model)
        _sigmoid_rows(ph_model, c, one)
        db[:] = zero
        dc[:] = zero
        _scale_and_sum(data, ph_data, one / B, db, dc)
        _scale_and_sum(v, ph_model, -one / n_chains, db, dc)
        Y[B:batch_size] = zero  # a short batch's unused rows (finite: data or samples) add nothing to X^T Y
        Y[batch_size + n_chains :] = zero
        np.dot(X.T, Y, G)
        _step(W.reshape(W.size), vW.reshape(W.size), G.reshape(W.size), lr_, momentum_, decay)
        _step(b, vb, db, lr_, momentum_, zero)
        _step(c, vc, dc, lr_, momentum_, zero)
    if persistent:
        chains[:] = X[batch_size:]
    return used


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def measure(rows, W, b, c, reconstruct, block=1024):
    """(mean squared error of the mean-field reconstruction sigmoid(b + W sigmoid(c + W^T v)), mean free energy
    ``reference.free_energy``) over binary ``rows``, in the parameters' dtype and summed in float64; blocks of
    ``block`` rows keep the temporaries small. Without ``reconstruct`` the error is NaN. Its products are the
    trainer's BLAS: NumPy's would leave a second pool of BLAS threads spinning on the cores as the next epoch
    begins (measured: the kernel then took twice as long)."""
    n, n_visible = rows.shape
    one = W.dtype.type(1.0)
    squared, energy = 0.0, 0.0
    for r0 in range(0, n, block):
        v = rows[r0 : min(r0 + block, n)]
        x = np.dot(v, W)
        for r in range(v.shape[0]):
            for i in range(n_visible):
                energy -= v[r, i] * b[i]
            for j in range(x.shape[1]):
                z = x[r, j] + c[j]
                energy -= softplus(z, one)
                x[r, j] = sigmoid(z, one)
        if reconstruct:
            recon = np.dot(x, W.T)
            for r in range(v.shape[0]):
                for i in range(n_visible):
                    d = v[r, i] - sigmoid(recon[r, i] + b[i], one)
                    squared += d * d
    return (squared / (n * n_visible) if reconstruct else np.nan), energy / n
