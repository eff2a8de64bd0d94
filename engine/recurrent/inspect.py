"""One call that computes everything the views show of a network on one sequence: the forward trace, the
loss and its per-step shares, the backward pass, the matrix of gradient flow and the recurrent spectrum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.recurrent.analysis import BlockSpectrum, recurrent_spectrum
from engine.recurrent.classifier import PARTS, RecurrentClassifier
from engine.recurrent.flow import gradient_flow
from engine.recurrent.head import LossResult
from engine.recurrent.model import Grads, Trace, backward, forward
from engine.recurrent.parts import split_parts
from engine.recurrent.spec import RecurrentSpec


@dataclass
class Inspection:
    """trace, loss (None without targets), grads, flow (L·D, T, T) = ‖∂L_t/∂h_s‖ (None when not asked),
    spectrum of W_hh, and copies of the recurrent weights it was computed with."""

    trace: Trace
    loss: LossResult | None
    grads: Grads
    flow: np.ndarray | None
    spectrum: list[BlockSpectrum]
    recurrent_weights: dict[str, np.ndarray]


def inspect(
    spec: RecurrentSpec,
    params: dict[str, np.ndarray],
    x: np.ndarray,
    targets: np.ndarray | None = None,
    *,
    lengths: np.ndarray | None = None,
    activation: str = "softmax",
    mode: str = "per_step",
    with_flow: bool = True,
    backend: str = "numba",
) -> Inspection:
    """Everything about ``x`` (T, B, input_size) numbers or (T, B) token ids; ``params`` holds the network's and
    the head's parameters (``classifier.PARTS``).

    Without ``targets`` (a sequence loaded with no labels) there is no loss, and the backward pass carries
    a zero gradient. ``backend`` as for ``forward``.
    """
    named = split_parts(params, PARTS)
    rnn = named["rnn"]
    loss = None
    if targets is not None:
        model = RecurrentClassifier(spec, named["head"]["weight"].shape[0], activation, mode)
        trace, loss = model.evaluate(params, x, targets, lengths, backend=backend)
    else:
        trace = forward(spec, rnn, x, lengths=lengths, backend=backend)
    d_output = np.zeros_like(trace.output)
    if loss is not None and np.isfinite(loss.d_output).all():
        d_output = loss.d_output
    grads = backward(spec, rnn, trace, d_output, backend=backend)
    flow = gradient_flow(spec, rnn, trace, d_output, backend=backend) if with_flow else None
    weights = {k: v.copy() for k, v in rnn.items() if k.startswith("weight_hh")}
    return Inspection(trace, loss, grads, flow, recurrent_spectrum(spec, rnn), weights)
