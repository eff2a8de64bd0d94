"""One call that computes everything the views show of a network on one sequence: the forward trace, the
loss and its per-step shares, the backward pass, the matrix of gradient flow and the recurrent spectrum."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.recurrent.analysis import BlockSpectrum, recurrent_spectrum
from engine.recurrent.flow import gradient_flow
from engine.recurrent.head import LossResult, loss_and_grad
from engine.recurrent.model import Grads, Trace, backward, forward
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
    """Everything about ``x`` (T, B, input_size); ``params`` holds the network's and the head's parameters.

    Without ``targets`` (a sequence loaded with no labels) there is no loss, and the backward pass carries
    a zero gradient. ``backend`` as for ``forward``.
    """
    rnn = {k: v for k, v in params.items() if not k.startswith("head.")}
    head = {k: v for k, v in params.items() if k.startswith("head.")}
    trace = forward(spec, rnn, x, lengths=lengths, backend=backend)
    loss = None
    d_output = np.zeros_like(trace.output)
    if targets is not None:
        with np.errstate(over="ignore", invalid="ignore"):
            loss = loss_and_grad(head, trace.output, trace.lengths, targets, activation=activation, mode=mode,
                                 hidden=spec.hidden_size, directions=spec.directions)  # fmt: skip
        if np.isfinite(loss.d_output).all():
            d_output = loss.d_output
    grads = backward(spec, rnn, trace, d_output, backend=backend)
    flow = gradient_flow(spec, rnn, trace, d_output, backend=backend) if with_flow else None
    weights = {k: v.copy() for k, v in rnn.items() if k.startswith("weight_hh")}
    return Inspection(trace, loss, grads, flow, recurrent_spectrum(spec, rnn), weights)
