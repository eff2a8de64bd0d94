"""Numba twins of ``reference.py``: same arguments, same uniforms, same samples.

Shapes and equations are documented in ``reference.py``. Matrix products go through ``np.dot`` (BLAS via
SciPy); the element-wise sigmoid and sampling are fused into loops so no temporaries are made.
Parameters, states and uniforms are float64 arrays, except in ``train_batches``, the trainer's kernel.

``train_batches`` runs whole mini-batches, sampling and update fused, in the parameters' dtype (the trainer
uses float32; the uniforms stay float64, so it draws the reference's samples). It makes no BLAS call: its
visible vectors are binary and mostly off (a fifth of the pixels of glyphs, an eighth of MNIST's), so a product
``v @ W`` is the sum of the rows of W where v is on, several times less work than a dense product. It splits
each phase between threads by columns (hidden units) or rows (visible units), each thread writing only its
own, so any number of threads gives the same numbers bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

#: Reassociation lets LLVM vectorise the dot products' sums; no flag that assumes away NaN or Inf, which
#: must come through for the trainer to see divergence.
_FASTMATH = {"reassoc", "contract"}


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


@njit(cache=True, nogil=True, fastmath=_FASTMATH, inline="always")
def _sigmoid(x, one):
    """1 / (1 + e^-x) in the dtype of ``one`` (a float literal would turn float32 arithmetic into float64)."""
    return one / (one + np.exp(-x))


@njit(cache=True, nogil=True)
def _on_units(v, on, count):
    """``on[r, :count[r]]``: the indices of the units of row ``r`` of binary ``v`` that are on."""
    for r in range(v.shape[0]):
        n = 0
        for i in range(v.shape[1]):
            if v[r, i] != 0:
                on[r, n] = i
                n += 1
        count[r] = n


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _hidden_prob_columns(W, c, on, count, rows, j0, j1, out, one):
    """out[r, j0:j1] = sigmoid(c + v_r @ W)[j0:j1] for the first ``rows`` binary rows, given as their on units:
    the sum of the rows of W where v_r is on."""
    for r in range(rows):
        acc = out[r, j0:j1]
        acc[:] = c[j0:j1]
        for n in range(count[r]):
            w = W[on[r, n], j0:j1]
            for j in range(acc.size):
                acc[j] += w[j]
        for j in range(acc.size):
            acc[j] = _sigmoid(acc[j], one)


@njit(cache=True, nogil=True, fastmath=_FASTMATH)
def _sample_visible_rows(W, b, h, rows, i0, i1, u, offset, v, zero, one):
    """v[r, i] = (u < sigmoid(b_i + W[i] . h_r)) for visible units i0 <= i < i1 and the first ``rows`` chains;
    the uniform of (r, i) is ``u[offset + r * n_visible + i]``."""
    n_visible, n_hidden = W.shape
    for i in range(i0, i1):
        w = W[i]
        for r in range(rows):
            h_r = h[r]
            x = b[i]
            for j in range(n_hidden):
                x += w[j] * h_r[j]
            v[r, i] = one if u[offset + r * n_visible + i] < _sigmoid(x, one) else zero


@njit(cache=True, nogil=True, fastmath=_FASTMATH, parallel=True)
def train_batches(
    rows, order, first, n_batches, batch_size, persistent, chains, W, b, c, vW, vb, vc, u, lr, momentum, weight_decay,
    k, parts,
):  # fmt: skip
    """``reference.train_batches``, each batch's phases split into ``parts`` blocks run by Numba's threads
    (``numba.set_num_threads`` says how many). ``rows`` may be uint8; ``chains`` and the parameters share the
    parameters' dtype, in which all arithmetic is done."""
    n_visible, n_hidden = W.shape
    dtype = W.dtype
    C = chains.shape[0] if persistent else batch_size
    R = max(C, batch_size)
    batch = np.zeros((batch_size, n_visible), dtype)
    v = np.zeros((R, n_visible), dtype)
    h = np.empty((R, n_hidden), dtype)
    ph_data = np.empty((batch_size, n_hidden), dtype)
    ph_model = np.empty((R, n_hidden), dtype)
    on_data = np.empty((batch_size, n_visible), np.int32)
    count_data = np.empty(batch_size, np.int32)
    on = np.empty((R, n_visible), np.int32)
    count = np.empty(R, np.int32)
    hidden_cuts = np.linspace(0, n_hidden, parts + 1).astype(np.int64)
    visible_cuts = np.linspace(0, n_visible, parts + 1).astype(np.int64)
    scalars = np.empty(7, dtype)  # the step's numbers in the parameters' dtype
    scalars[0], scalars[1], scalars[2], scalars[3], scalars[4] = 0.0, 1.0, lr, momentum, weight_decay
    zero, one, lr_, momentum_, decay = scalars[0], scalars[1], scalars[2], scalars[3], scalars[4]
    if persistent:
        v[:C] = chains
    used = 0
    N = order.shape[0]
    for i_batch in range(first, first + n_batches):
        start = i_batch * batch_size
        B = min(batch_size, N - start)
        for r in range(B):
            batch[r] = rows[order[start + r]]
        _on_units(batch[:B], on_data, count_data)
        n_chains = C if persistent else B
        scalars[5], scalars[6] = 1.0 / B, 1.0 / n_chains
        per_row, per_chain = scalars[5], scalars[6]
        if persistent:
            _on_units(v[:n_chains], on, count)
        else:
            v[:B] = batch[:B]
        for step in range(k):
            u_h = used + step * n_chains * n_hidden
            for t in prange(parts):  # h ~ p(h | v): by blocks of hidden units
                j0, j1 = hidden_cuts[t], hidden_cuts[t + 1]
                if step == 0:
                    _hidden_prob_columns(W, c, on_data, count_data, B, j0, j1, ph_data, one)
                if step == 0 and not persistent:
                    ph = ph_data  # CD starts at the batch, whose p(h | v) is the positive phase's
                else:
                    _hidden_prob_columns(W, c, on, count, n_chains, j0, j1, ph_model, one)
                    ph = ph_model
                for r in range(n_chains):
                    for j in range(j0, j1):
                        h[r, j] = one if u[u_h + r * n_hidden + j] < ph[r, j] else zero
            u_v = used + k * n_chains * n_hidden + step * n_chains * n_visible
            for t in prange(parts):  # v ~ p(v | h): by blocks of visible units
                _sample_visible_rows(W, b, h, n_chains, visible_cuts[t], visible_cuts[t + 1], u, u_v, v, zero, one)
            _on_units(v[:n_chains], on, count)
        used += k * n_chains * (n_hidden + n_visible)
        for t in prange(parts):  # negative phase and update: by blocks of hidden units
            j0, j1 = hidden_cuts[t], hidden_cuts[t + 1]
            _hidden_prob_columns(W, c, on, count, n_chains, j0, j1, ph_model, one)
            gradient = np.empty(j1 - j0, dtype)
            for i in range(n_visible):  # row i of dW = <v_i h>_data - <v_i h>_model, then its step
                gradient[:] = 0
                for r in range(B):
                    if batch[r, i] != 0:
                        p = ph_data[r, j0:j1]
                        for j in range(gradient.size):
                            gradient[j] += p[j]
                for j in range(gradient.size):
                    gradient[j] *= per_row
                for r in range(n_chains):
                    if v[r, i] != 0:
                        p = ph_model[r, j0:j1]
                        for j in range(gradient.size):
                            gradient[j] -= p[j] * per_chain
                w, vw = W[i, j0:j1], vW[i, j0:j1]
                for j in range(gradient.size):
                    vw[j] = momentum_ * vw[j] + lr_ * (gradient[j] - decay * w[j])
                    w[j] += vw[j]
            for j in range(j0, j1):
                dc = zero
                for r in range(B):
                    dc += ph_data[r, j] * per_row
                for r in range(n_chains):
                    dc -= ph_model[r, j] * per_chain
                vc[j] = momentum_ * vc[j] + lr_ * dc
                c[j] += vc[j]
        for i in range(n_visible):
            db = zero
            for r in range(B):
                db += batch[r, i] * per_row
            for r in range(n_chains):
                db -= v[r, i] * per_chain
            vb[i] = momentum_ * vb[i] + lr_ * db
            b[i] += vb[i]
    if persistent:
        chains[:] = v[:C]
    return used
