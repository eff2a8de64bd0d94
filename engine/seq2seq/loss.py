"""The loss of an encoder–decoder on pairs, its gradients, and the same model run free (exposure bias).

Pairs come as ``src`` (S, B) with ``src_lengths`` (B,), and ``tgt`` (T + 1, B): BOS, the target, EOS, then
PAD, with ``tgt_lengths`` (B,) counting BOS and EOS. The decoder reads ``tgt[:-1]`` and is scored on
``tgt[1:]`` where it is not padding: mean cross-entropy in nats per predicted token.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.recurrent.classifier import Evaluation
from engine.seq2seq.model import Seq2SeqTrace, backward, check_pairs, cross_entropy, forward, target_mask
from engine.seq2seq.spec import Seq2SeqSpec


@dataclass
class Scored:
    """One batch through the model: ``loss`` in nats per predicted token; ``accuracy`` the share of those
    tokens that are the argmax; ``exact`` the share of columns with every token right; ``nll`` (T, B) −ln p
    per step (0 beyond each target); ``d_logits`` ∂loss/∂logits."""

    trace: Seq2SeqTrace
    loss: float
    accuracy: float
    exact: float
    nll: np.ndarray
    d_logits: np.ndarray


def score(spec: Seq2SeqSpec, params, src, src_lengths, tgt, tgt_lengths, *, teacher_forcing: float = 1.0,
          seed: int | None = 0, backend: str = "numba") -> Scored:  # fmt: skip
    """Forward on the pairs and the loss; with ``teacher_forcing`` 0 the decoder reads only its own tokens."""
    src, src_lengths, tgt, tgt_lengths = check_pairs(spec, src, src_lengths, tgt, tgt_lengths)
    trace = forward(spec, params, src, src_lengths, tgt[:-1], teacher_forcing, seed, backend=backend)
    mask = target_mask(tgt_lengths, tgt.shape[0] - 1)
    with np.errstate(over="ignore", invalid="ignore"):
        loss, d_logits, nll = cross_entropy(trace.logits, tgt[1:], mask)
    right = (trace.logits.argmax(axis=-1) == tgt[1:]) | ~mask
    n = max(int(mask.sum()), 1)
    accuracy = float(((right & mask).sum()) / n)
    return Scored(trace, loss, accuracy, float(right.all(axis=0).mean()), nll, d_logits)


def evaluation(spec: Seq2SeqSpec, params, src, src_lengths, tgt, tgt_lengths, *, teacher_forcing: float = 1.0,
               seed: int | None = 0, grads: bool = True, backend: str = "numba") -> Evaluation:  # fmt: skip
    """What ``Trainer`` takes: loss, accuracy, perplexity, the gradients (None on NaN or Inf), the trace and
    the backward pass (``Seq2SeqGrads``)."""
    s = score(spec, params, src, src_lengths, tgt, tgt_lengths, teacher_forcing=teacher_forcing, seed=seed,
              backend=backend)  # fmt: skip
    ev = Evaluation(s.loss, s.accuracy, float(np.exp(min(s.loss, 700.0))), None, s.trace, s)
    if grads and np.isfinite(s.loss) and np.isfinite(s.d_logits).all():
        g, back = backward(spec, params, s.trace, s.d_logits, backend=backend)
        if all(np.isfinite(v).all() for v in g.values()):
            ev.grads, ev.backward = g, back
    return ev


def loss_and_grads(spec: Seq2SeqSpec, params: dict[str, np.ndarray], src, src_lengths, tgt, tgt_lengths, *,
                   teacher_forcing: float = 1.0, seed: int | None = 0,
                   train: bool = False) -> tuple[float, dict[str, np.ndarray] | None]:  # fmt: skip
    """The mean cross-entropy in nats over the predicted tokens, and every parameter's gradient under its
    name (None when the loss or a gradient is NaN or Inf). ``train`` is accepted for the trainer (this model
    has no dropout)."""
    ev = evaluation(spec, params, src, src_lengths, tgt, tgt_lengths, teacher_forcing=teacher_forcing, seed=seed)
    return ev.loss, ev.grads


def gradient_paths(spec: Seq2SeqSpec, params, src, src_lengths, tgt, tgt_lengths, *,
                   backend: str = "numba") -> np.ndarray:  # fmt: skip
    """(T, S) ‖∂L_t/∂h̄_s‖ over the batch: how strongly the loss at target step t reaches the annotation of
    source step s, along every path (attention's shortcut and the recurrences). One backward pass per t."""
    s = score(spec, params, src, src_lengths, tgt, tgt_lengths, backend=backend)
    n = max(int(target_mask(np.asarray(tgt_lengths), s.nll.shape[0]).sum()), 1)
    T, S = s.nll.shape[0], s.trace.src.shape[0]
    out = np.zeros((T, S))
    for t in range(T):
        d = np.zeros_like(s.d_logits)
        d[t] = s.d_logits[t] * n  # L_t: the sum of step t's losses over the batch
        if not d[t].any():
            continue
        _, back = backward(spec, params, s.trace, d, backend=backend)
        out[t] = np.sqrt((back.source_norm**2).sum(axis=1))
    return out


def scheduled_ratio(step: int, k: float = 200.0, start: float = 1.0) -> float:
    """Scheduled sampling's teacher forcing ratio at training ``step``: ``start`` · k / (k + exp(step / k)), the
    inverse sigmoid decay of Bengio et al. (2015, eq. 5 there with ε_i): near ``start`` at first, falling to 0
    around step k·ln k."""
    if not k >= 1.0:
        raise ValueError(f"the decay constant k must be ≥ 1, not {k!r}")
    return float(start * k / (k + np.exp(min(step / k, 700.0))))
