"""The output head (linear, then softmax / sigmoid / identity) and its loss, with the gradient it sends back.

Three ways to read a sequence, as the textbooks give them:

- ``per_step``: a prediction and a loss at every step (sequence labelling, language modelling);
- ``last``: one prediction per sequence from its final state (for a bidirectional network, the forward
  direction's state at the last step beside the reverse direction's state at the first);
- ``mean``: one prediction per sequence from the mean of its states over its valid steps.

The loss follows the activation: softmax with cross-entropy on class indices, sigmoid with binary
cross-entropy on 0/1 targets, identity with mean squared error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.blas_threads import one_blas_thread
from engine.checks import as_float_array, check_memory, require_shape
from engine.recurrent.halves import both, two_cores

ACTIVATIONS = ("softmax", "sigmoid", "identity")
MODES = ("per_step", "last", "mean")
SPLIT_MIN_ROWS = 64
SPLIT_MIN_WORK = 2**22  # rows × classes × features: below, a second thread costs more than it saves


def init_head(features: int, classes: int, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
    """``head.weight`` (classes, features), ``head.bias`` (classes,), uniform in ±1/√features."""
    check_memory(
        (classes * features + classes) * (np.dtype(dtype).itemsize + 8), f"an output layer of {classes} × {features}"
    )
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(features)
    return {
        "head.weight": rng.uniform(-bound, bound, (classes, features)).astype(dtype),
        "head.bias": np.zeros(classes, dtype),
    }


def head_bytes(T: int, B: int, classes: int, mode: str, itemsize: int) -> int:
    """Memory of the head's loss and gradients for a batch, known beforehand: logits, log-probabilities,
    probabilities and their gradient, (T, B, K) each per step, (B, K) per sequence."""
    items = T * B if mode == "per_step" else B
    return 4 * items * classes * itemsize


@dataclass
class LossResult:
    """loss: the mean loss; step_loss (T, B): each step's share (sequence losses sit at the last valid
    step); prediction: (T, B, K) or (B, K) after the activation; d_output (T, B, D·H): ∂loss/∂output;
    d_head: gradients of the head's parameters; accuracy: fraction right (NaN for regression)."""

    loss: float
    step_loss: np.ndarray
    prediction: np.ndarray
    d_output: np.ndarray
    d_head: dict[str, np.ndarray]
    accuracy: float

    @property
    def perplexity(self) -> float:
        """exp(cross-entropy per step): the language-modelling figure."""
        return float(np.exp(min(self.loss, 700.0)))


def features(output: np.ndarray, lengths: np.ndarray, mode: str, hidden: int, directions: int) -> np.ndarray:
    """What the head reads: (T, B, D·H) for ``per_step``, (B, D·H) for ``last`` and ``mean``."""
    if mode == "per_step":
        return output
    B = output.shape[1]
    if mode == "mean":
        valid = np.arange(output.shape[0])[:, None] < lengths[None, :]
        return (output * valid[:, :, None]).sum(axis=0) / lengths[:, None]
    last = output[lengths - 1, np.arange(B)]
    if directions == 2:
        last = np.concatenate([last[:, :hidden], output[0, :, hidden:]], axis=1)
    return last


def _features_grad(d_feat, output_shape, lengths, mode, hidden, directions, dtype) -> np.ndarray:
    d_output = np.zeros(output_shape, dtype)
    B = output_shape[1]
    if mode == "per_step":
        d_output[:] = d_feat
    elif mode == "mean":
        valid = np.arange(output_shape[0])[:, None] < lengths[None, :]
        d_output[:] = valid[:, :, None] * (d_feat / lengths[:, None])[None]
    else:
        d_output[lengths - 1, np.arange(B), :hidden] = d_feat[:, :hidden]
        if directions == 2:
            d_output[0, :, hidden:] = d_feat[:, hidden:]
    return d_output


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (…, n) @ b (n, m) as one matrix product: NumPy multiplies a stack (T, B, n) @ (n, m) matrix by matrix, 6 to
    13 times slower here at (50, 50, 128) @ (128, 3000)."""
    return (a.reshape(-1, a.shape[-1]) @ b).reshape(*a.shape[:-1], b.shape[-1])


def _softmax_rows(z: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z (m, K) logits in, p = softmax(z) out, in place; returns each row's −log p_y and whether its argmax is y.
    The NumPy reference that the tests hold ``kernels.softmax_cross_entropy``, the head's compiled pass, to."""
    z -= z.max(axis=1, keepdims=True)
    z_target = z[np.arange(len(z)), targets]
    np.exp(z, out=z)
    total = z.sum(axis=1, keepdims=True)
    z /= total
    return np.log(total[:, 0]) - z_target, z.argmax(axis=1) == targets  # −log p_y = log Σ e^z − z_y


def _softmax_head(feat: np.ndarray, W: np.ndarray, b: np.ndarray, targets: np.ndarray, share: np.ndarray,
                  compiled: bool = True):  # fmt: skip
    """Softmax and cross-entropy over rows: feat (n, F), targets and share (n,) (each row's weight in the mean).
    Returns p (n, K), −log p_y (n,), right (n,), ∂L/∂feat (n, F) and the head's gradients. A large head runs as two
    halves of the rows at once, each on its own core (the halves' weight gradients added at the end): at a
    vocabulary of 3,000 it is most of a language model's step, and the app keeps BLAS in one thread."""
    n, K = len(feat), W.shape[0]
    p = np.empty((n, K), np.result_type(feat, W, b))
    loss, right, d_feat = np.empty(n, p.dtype), np.empty(n, bool), np.empty_like(feat)

    def rows(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        z = p[lo:hi]
        np.matmul(feat[lo:hi], W.T, out=z)
        if compiled:
            from engine.recurrent.kernels import softmax_cross_entropy

            d_logits, weights = np.empty((hi - lo, K), p.dtype), share[lo:hi].astype(p.dtype, copy=False)
            softmax_cross_entropy(z, b.astype(p.dtype, copy=False), targets[lo:hi], weights, loss[lo:hi],
                                  right[lo:hi], d_logits)  # fmt: skip
        else:
            z += b
            loss[lo:hi], right[lo:hi] = _softmax_rows(z, targets[lo:hi])
            d_logits = z * share[lo:hi, None]  # (p − e_y) · share
            d_logits[np.arange(hi - lo), targets[lo:hi]] -= share[lo:hi]
        np.matmul(d_logits, W, out=d_feat[lo:hi])
        return d_logits.T @ feat[lo:hi], d_logits.sum(axis=0)

    if n < 2 * SPLIT_MIN_ROWS or n * K * feat.shape[1] < SPLIT_MIN_WORK or not two_cores():
        dW, db = rows(0, n)
    else:
        with one_blas_thread():
            (dW0, db0), (dW1, db1) = both(lambda: rows(0, n // 2), lambda: rows(n // 2, n))
        dW, db = dW0 + dW1, db0 + db1
    return p, loss, right, d_feat, {"head.weight": dW, "head.bias": db}


def _pointwise(activation: str, logits: np.ndarray, targets: np.ndarray):
    """Per-item loss, prediction, ∂loss/∂logits per item, and whether each item is right (sigmoid and identity
    outputs; softmax has ``_softmax_cross_entropy``)."""
    if activation == "sigmoid":
        p = 1.0 / (1.0 + np.exp(-logits))
        # BCE(z, y) = softplus(z) − y z, written to stay finite for large |z|
        loss = (np.maximum(logits, 0) + np.log1p(np.exp(-np.abs(logits))) - targets * logits).mean(axis=-1)
        right = ((p > 0.5) == (targets > 0.5)).all(axis=-1).astype(float)
        return loss, p, (p - targets) / logits.shape[-1], right
    diff = logits - targets
    return (diff**2).mean(axis=-1), logits, 2.0 * diff / logits.shape[-1], np.full(diff.shape[:-1], np.nan)


def _check_targets(activation: str, targets, shape: tuple[int, ...], classes: int, dtype) -> np.ndarray:
    if activation == "softmax":
        t = np.asarray(targets)
        if t.dtype.kind not in "iu":
            raise ValueError(f"softmax targets must be class indices (whole numbers), not {t.dtype}")
        require_shape("targets", t, shape)
        if t.size and (t.min() < 0 or t.max() >= classes):
            raise ValueError(f"targets must be class indices from 0 to {classes - 1}; found {t.min()}..{t.max()}")
        return t
    t = as_float_array("targets", targets, dtype)
    require_shape("targets", t, (*shape, classes))
    return t


def loss_and_grad(
    head: dict[str, np.ndarray],
    output: np.ndarray,
    lengths: np.ndarray,
    targets: np.ndarray,
    *,
    activation: str = "softmax",
    mode: str = "per_step",
    hidden: int,
    directions: int = 1,
    compiled: bool = True,
) -> LossResult:
    """Loss of the head on ``output`` (T, B, D·H) and the gradients it sends back; ``compiled``: a softmax head's
    rows in one Numba pass, else in NumPy (the reference backend, which the app uses while Numba loads).

    targets: (T, B) class indices or (T, B, K) values for ``per_step``; (B,) or (B, K) otherwise.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    W, b = head["head.weight"], head["head.bias"]
    feat = features(output, lengths, mode, hidden, directions)
    targets = _check_targets(activation, targets, feat.shape[:-1], W.shape[0], output.dtype)
    T, B = output.shape[:2]
    if mode == "per_step":
        weight = (np.arange(T)[:, None] < lengths[None, :]).astype(output.dtype)
    else:
        weight = np.ones(B, output.dtype)
    n = weight.sum()
    share = (weight / n).astype(output.dtype)
    if activation == "softmax":
        flat = (np.ascontiguousarray(feat).reshape(-1, feat.shape[-1]), W, b, targets.reshape(-1), share.reshape(-1))
        prediction, item_loss, right, d_feat, d_head = _softmax_head(*flat, compiled)
        prediction = prediction.reshape(*feat.shape[:-1], -1)
        item_loss, right = item_loss.reshape(feat.shape[:-1]), right.reshape(feat.shape[:-1]).astype(float)
        d_feat = d_feat.reshape(feat.shape)
    else:
        logits = _matmul(feat, W.T) + b
        item_loss, prediction, d_logits, right = _pointwise(activation, logits, targets)
        d_logits = (d_logits * share[..., None]).astype(output.dtype)
        d_feat = _matmul(d_logits, W)
        d_head = {
            "head.weight": d_logits.reshape(-1, W.shape[0]).T @ feat.reshape(-1, feat.shape[-1]),
            "head.bias": d_logits.reshape(-1, W.shape[0]).sum(axis=0),
        }
    step_loss = item_loss * weight
    if mode != "per_step":
        placed = np.zeros((T, B))
        placed[lengths - 1, np.arange(B)] = step_loss
        step_loss = placed
    return LossResult(
        loss=float((item_loss * weight).sum() / n),
        step_loss=step_loss,
        prediction=prediction,
        d_output=_features_grad(d_feat, output.shape, lengths, mode, hidden, directions, output.dtype),
        d_head=d_head,
        accuracy=float((right * weight).sum() / n),
    )
