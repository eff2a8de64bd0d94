"""Plain NumPy restricted Boltzmann machine, written after the textbook equations.

Energy of a joint state of binary units (Hinton, "A practical guide to training RBMs", 2010, eq. 1):

    E(v, h) = -v^T W h - b^T v - c^T h

with ``W: (n_visible, n_hidden)``, visible biases ``b: (n_visible,)`` and hidden biases ``c: (n_hidden,)``.
Batches are rows: ``v: (B, n_visible)``, ``h: (B, n_hidden)``. Sampling takes uniforms ``u`` drawn by the
caller, so that these functions and their Numba twins in ``kernels.py`` draw the very same samples.
"""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def hidden_prob(v: np.ndarray, W: np.ndarray, c: np.ndarray) -> np.ndarray:
    """p(h_j = 1 | v) = sigmoid(c_j + sum_i v_i W_ij): ``(B, n_hidden)``."""
    return sigmoid(v @ W + c)


def visible_prob(h: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """p(v_i = 1 | h) = sigmoid(b_i + sum_j W_ij h_j): ``(B, n_visible)``."""
    return sigmoid(h @ W.T + b)


def sample(p: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Bernoulli samples: unit on where its uniform falls below its probability."""
    return (u < p).astype(p.dtype)


def gibbs_step(
    v: np.ndarray, W: np.ndarray, b: np.ndarray, c: np.ndarray, u_h: np.ndarray, u_v: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One block-Gibbs sweep v -> h -> v'. Returns ``(p(h|v), h, p(v'|h), v')``."""
    ph = hidden_prob(v, W, c)
    h = sample(ph, u_h)
    pv = visible_prob(h, W, b)
    return ph, h, pv, sample(pv, u_v)


def gibbs_chain(
    v0: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    clamp: np.ndarray,
    u_h: np.ndarray,
    u_v: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``steps`` Gibbs sweeps from ``v0: (B, n_visible)``, holding units where ``clamp`` is True at ``v0``.

    ``u_h: (steps + 1, B, n_hidden)``, ``u_v: (steps, B, n_visible)``. Returns ``visible, visible_prob:
    (steps + 1, B, n_visible)`` and ``hidden, hidden_prob: (steps + 1, B, n_hidden)``, where ``hidden[t]`` is
    drawn from ``visible[t]`` and ``visible[t + 1]`` from ``hidden[t]``; ``visible_prob[0]`` is ``v0``, and
    clamped units have probability equal to their clamped value.
    """
    steps = u_v.shape[0]
    visible, visible_prob_ = [v0], [v0]
    hidden, hidden_prob_ = [], []
    for t in range(steps):
        ph, h, pv, v = gibbs_step(visible[t], W, b, c, u_h[t], u_v[t])
        pv = np.where(clamp, v0, pv)
        v = np.where(clamp, v0, v)
        hidden_prob_.append(ph)
        hidden.append(h)
        visible_prob_.append(pv)
        visible.append(v)
    ph = hidden_prob(visible[steps], W, c)
    hidden_prob_.append(ph)
    hidden.append(sample(ph, u_h[steps]))
    return np.stack(visible), np.stack(hidden), np.stack(visible_prob_), np.stack(hidden_prob_)


def cd_gradient(
    v_data: np.ndarray,
    v_chain: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    u_h: np.ndarray,
    u_v: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Contrastive-divergence estimate of the log-likelihood gradient (Hinton 2002; Tieleman 2008 for PCD).

    ``v_data: (B, n_visible)`` is the mini-batch; the negative phase runs ``k = len(u_h)`` Gibbs sweeps from
    ``v_chain: (C, n_visible)`` (the batch itself for CD-k, the persistent chains for PCD) with
    ``u_h: (k, C, n_hidden)``, ``u_v: (k, C, n_visible)``.
    Returns ``(dW, db, dc, v_k)``: the ascent direction <v h>_data - <v h>_model with hidden probabilities in
    place of hidden samples (less noise, same expectation), and the chains' end state ``v_k: (C, n_visible)``.
    """
    ph_data = hidden_prob(v_data, W, c)
    v = v_chain
    for s in range(u_h.shape[0]):
        _, _, _, v = gibbs_step(v, W, b, c, u_h[s], u_v[s])
    ph_model = hidden_prob(v, W, c)
    B, C = v_data.shape[0], v.shape[0]
    dW = v_data.T @ ph_data / B - v.T @ ph_model / C
    db = v_data.mean(axis=0) - v.mean(axis=0)
    dc = ph_data.mean(axis=0) - ph_model.mean(axis=0)
    return dW, db, dc, v


def free_energy(v: np.ndarray, W: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """F(v) = -log sum_h exp(-E(v, h)) = -b^T v - sum_j softplus(c_j + v^T W_:j): ``(B,)``."""
    return -(v @ b) - np.logaddexp(0.0, v @ W + c).sum(axis=-1)


def train_batches(
    rows: np.ndarray,
    order: np.ndarray,
    first: int,
    n_batches: int,
    batch_size: int,
    persistent: bool,
    chains: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    vW: np.ndarray,
    vb: np.ndarray,
    vc: np.ndarray,
    u: np.ndarray,
    lr: float,
    momentum: float,
    weight_decay: float,
    k: int,
) -> int:
    """Mini-batches ``first .. first + n_batches - 1`` of an epoch, in place: CD-k (or PCD-k) and a step of
    gradient ascent with momentum each (velocity = momentum * velocity + lr * (gradient - weight_decay * W),
    parameters += velocity; no decay on biases).

    Batch ``i`` is the data ``rows[order[i * batch_size : (i + 1) * batch_size]]`` (``rows: (N, n_visible)``);
    the negative phase starts at the batch (CD) or at the persistent ``chains: (batch_size, n_visible)``, which
    are then overwritten with the chains' end state. ``u`` holds each batch's uniforms in turn, its ``u_h`` then
    its ``u_v`` (shapes as in ``cd_gradient``), flat; returns how many were used.
    """
    n_hidden, n_visible, used = W.shape[1], W.shape[0], 0
    for i in range(first, first + n_batches):
        batch = rows[order[i * batch_size : (i + 1) * batch_size]].astype(W.dtype)
        v_start = chains if persistent else batch
        C = len(v_start)
        u_h = u[used : used + k * C * n_hidden].reshape(k, C, n_hidden)
        used += u_h.size
        u_v = u[used : used + k * C * n_visible].reshape(k, C, n_visible)
        used += u_v.size
        dW, db, dc, v_end = cd_gradient(batch, v_start, W, b, c, u_h, u_v)
        if persistent:
            chains[...] = v_end
        for param, velocity, gradient in zip((W, b, c), (vW, vb, vc), (dW - weight_decay * W, db, dc), strict=True):
            velocity *= momentum
            velocity += lr * gradient
            param += velocity
    return used
