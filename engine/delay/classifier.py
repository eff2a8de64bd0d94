"""The recurrent lab's model with a delay network inside: part ``net`` (``weight_l0``, or NARX's ``weight_x``,
``weight_y``, ``bias``) and the lab's output layer, part ``head`` (``head.weight``, ``head.bias``), read per
step or per sequence as the task says. It is what ``engine.recurrent.training.Trainer`` trains, and ``inspect``
gives the recurrent views what they draw (an ``engine.recurrent.Inspection``).

NARX's output layer is inside its loop: the outputs it feeds back are the head's predictions, so the head's
gradient has two shares, the loss's own and the one through the feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from engine.checks import check_memory
from engine.delay.ar import fit_ar, trained_ar
from engine.delay.model import DelayGrads, DelayTrace, backward, forward, gradient_flow, trace_bytes
from engine.delay.reference import windows
from engine.delay.spec import DelaySpec, init_params
from engine.recurrent.analysis import BlockSpectrum
from engine.recurrent.classifier import Evaluation
from engine.recurrent.head import ACTIVATIONS, MODES, LossResult, head_bytes, init_head, loss_and_grad
from engine.recurrent.inspect import Inspection
from engine.recurrent.parts import join_parts, split_parts

PARTS = {"net": "", "head": "head."}


def true_outputs(targets, activation: str, classes: int, dtype) -> np.ndarray:
    """What teacher forcing feeds back: the true outputs (T, B, M) (class indices become one-hot vectors)."""
    targets = np.asarray(targets)
    if activation == "softmax":
        return np.eye(classes, dtype=dtype)[targets]
    return targets.astype(dtype)


@dataclass(frozen=True)
class DelayClassifier:
    """``spec``'s delay network and a head of ``classes`` outputs with ``activation`` and ``mode`` (head.py).
    Whoever makes one checks its delay lines against the task's length (``DelaySpec.check_steps``): the model
    then takes the task's shorter sequences too, as its frames before the start are zero."""

    spec: DelaySpec
    classes: int
    activation: str = "softmax"
    mode: str = "per_step"
    parts: dict[str, str] = field(default_factory=lambda: dict(PARTS))

    def __post_init__(self) -> None:
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")
        if self.spec.cell == "narx":
            if (self.spec.output_size, self.spec.output_activation) != (self.classes, self.activation):
                raise ValueError("NARX feeds back the head's outputs: its output size and activation must be the "
                                 "head's")  # fmt: skip
            if self.spec.feedback == "teacher" and self.mode != "per_step":
                raise ValueError("NARX teacher forcing feeds back the true output of every step, but this task "
                                 "has one target per sequence: train it closed-loop")  # fmt: skip

    @property
    def name(self) -> str:
        return f"{self.spec.label} network"

    @property
    def features(self) -> int:
        return self.spec.hidden_size

    def describe(self) -> str:
        return f"{self.spec.describe()}, {self.classes} outputs"

    def param_count(self) -> int:
        return self.spec.param_count() + self.classes * (self.features + 1)

    def init_params(self, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
        params = init_params(self.spec, seed, dtype)
        params.update(init_head(self.features, self.classes, seed + 1, dtype))
        return params

    def split(self, params: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        named = split_parts(params, self.parts)
        return named["net"], join_parts({"head": named["head"]}, self.parts)

    def _teacher(self, targets, dtype):
        if self.spec.cell != "narx" or self.spec.feedback != "teacher":
            return None
        return None if targets is None else true_outputs(targets, self.activation, self.classes, dtype)

    def evaluate(self, params, x, targets, lengths=None, *, train=False, seed=None, backend="numba",
                 closed_loop: bool = False) -> tuple[DelayTrace, LossResult]:  # fmt: skip
        """The forward trace of ``x`` and the head's loss on ``targets``; ``closed_loop`` runs a teacher-forced
        NARX on its own outputs instead (what it does once no true outputs are given)."""
        net, head = self.split(params)
        dtype = head["head.weight"].dtype
        x_arr = np.asarray(x)
        if x_arr.ndim >= 2:
            T, B = x_arr.shape[:2]
            need = trace_bytes(self.spec, T, B, dtype.itemsize) + head_bytes(T, B, self.classes, self.mode, 8)
            check_memory(need, f"a batch of {B} sequences × {T} steps through {self.describe()}")
        spec = self.spec
        if closed_loop and spec.cell == "narx":
            spec = replace(spec, feedback="closed")
        teacher = self._teacher(targets, dtype) if spec.feedback == "teacher" else None
        trace = forward(spec, net, x, lengths, head=head, teacher=teacher, backend=backend, check_steps=False)
        with np.errstate(over="ignore", invalid="ignore"):
            result = loss_and_grad(head, trace.output, trace.lengths, targets, activation=self.activation,
                                   mode=self.mode, hidden=self.features, compiled=backend != "reference")  # fmt: skip
        return trace, result

    def loss_and_grads(self, params, x, targets, lengths=None, *, train=True, seed=None, backend="numba") -> Evaluation:
        trace, result = self.evaluate(params, x, targets, lengths, backend=backend)
        evaluation = Evaluation(result.loss, result.accuracy, result.perplexity, None, trace, result)
        if not np.isfinite(result.loss) or not np.isfinite(result.d_output).all():
            return evaluation
        net, head = self.split(params)
        grads = backward(self.spec, net, trace, result.d_output, head=head, backend=backend)
        evaluation.backward = grads
        evaluation.grads = {**grads.params, **{k: g + grads.head.get(k, 0) for k, g in result.d_head.items()}}
        return evaluation


@dataclass
class DelayInspection(Inspection):
    """An ``Inspection`` of a delay network, with what each tap of a delay line adds to each unit:
    ``taps[l]`` (T, B, H, K) the share of layer l's input k steps back in its pre-activation (k = 0 the current
    frame), ``feedback_taps`` (T, B, H, Ky) NARX's share of y_(t−j) at j − 1 (None otherwise); and for a
    teacher-forced NARX the loss of the same weights run closed-loop on the same sequence
    (``closed_loop_loss``), the difference teacher forcing hides."""

    taps: list[np.ndarray] = field(default_factory=list)
    feedback_taps: np.ndarray | None = None
    closed_loop_loss: float | None = None
    ar_fit: tuple[tuple[float, np.ndarray], tuple[float, np.ndarray] | None] | None = None
    """AR(K) predicting a series' next value: (what it learned, the least-squares fit on this sequence or None
    when the sequence is too short for it), each (w_0, w_1 … w_K); None for other models and tasks."""


def tap_shares(u: np.ndarray, W: np.ndarray) -> np.ndarray:
    """(T, B, H, K) share of frame t−k in each unit's pre-activation at t: Σ_i W[h, i, K−1−k] u_(t−k), i."""
    return np.einsum("tbik,hik->tbhk", windows(u, W.shape[2]), W)[..., ::-1].copy()


def inspect(model: DelayClassifier, params: dict[str, np.ndarray], x, targets=None, *, lengths=None,
            with_flow: bool = True, backend: str = "numba") -> DelayInspection:  # fmt: skip
    """Everything the recurrent views show of ``x``: trace, loss, backward pass, gradient flow, and as the
    "recurrent weights" each layer's window weights as an (H, In·K) matrix (NARX: its output delay line's)."""
    net, head = model.split(params)
    spec = model.spec
    loss, closed = None, None
    if targets is not None:
        trace, loss = model.evaluate(params, x, targets, lengths, backend=backend)
        d_output = loss.d_output if np.isfinite(loss.d_output).all() else np.zeros_like(trace.output)
        if spec.cell == "narx" and spec.feedback == "teacher":
            closed = model.evaluate(params, x, targets, lengths, backend=backend, closed_loop=True)[1].loss
    else:
        if spec.cell == "narx" and spec.feedback == "teacher":
            spec = replace(spec, feedback="closed")  # no true outputs to force: its own
            net_model = replace(model, spec=spec)
            return inspect(net_model, params, x, None, lengths=lengths, with_flow=with_flow, backend=backend)
        trace = forward(spec, net, x, lengths, head=head, backend=backend, check_steps=False)
        d_output = np.zeros_like(trace.output)
    grads: DelayGrads = backward(spec, net, trace, d_output, head=head, backend=backend)
    flow = gradient_flow(spec, net, trace, d_output, head=head, backend=backend) if with_flow else None
    if spec.cell == "narx":
        weights = {"weight_y": net["weight_y"].reshape(spec.hidden_size, -1).copy()}
        taps = [tap_shares(trace.layers[0].inputs, net["weight_x"])]
        feedback = np.einsum("tbmk,hmk->tbhk", trace.fed, net["weight_y"])[..., ::-1].copy()
    else:
        weights = {f"weight_l{k}": net[f"weight_l{k}"].reshape(spec.hidden_size, -1).copy()
                   for k in range(spec.num_layers)}  # fmt: skip
        taps = [tap_shares(lt.inputs, net[f"weight_l{k}"]) for k, lt in enumerate(trace.layers)]
        feedback = None
    return DelayInspection(trace, loss, grads, flow, delay_spectrum(spec, net), weights, taps, feedback, closed,
                           _ar_fit(model, net, head, x))  # fmt: skip


def _ar_fit(model: DelayClassifier, net, head, x):
    """What an AR(K) predicting one number from one number learned, beside the least-squares fit."""
    spec = model.spec
    if spec.cell != "ar" or spec.input_size != 1 or model.classes != 1 or model.activation != "identity":
        return None
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[1] != 1:
        return None
    learned = trained_ar(net["weight_l0"], net["bias_l0"], head["head.weight"], head["head.bias"])
    try:
        fitted = fit_ar(x[:, 0, 0], spec.window)
    except ValueError:  # a sequence too short for K + 1 unknowns
        fitted = None
    return learned, fitted


def delay_spectrum(spec: DelaySpec, net: dict[str, np.ndarray]) -> list[BlockSpectrum]:
    """The singular values of each delay line's weights (H × inputs·taps): how strongly a layer can pass on
    what its window holds. No spectral radius: nothing is multiplied by these from step to step, except NARX's
    feedback through the output layer."""
    if spec.cell == "narx":
        blocks = [(0, "window", net["weight_x"]), (0, "feedback", net["weight_y"])]
    else:
        blocks = [(k, "window", net[f"weight_l{k}"]) for k in range(spec.num_layers)]
    return [BlockSpectrum(k, 0, name, np.linalg.svd(np.asarray(W, np.float64).reshape(W.shape[0], -1),
                                                    compute_uv=False), float("nan"))
            for k, name, W in blocks]  # fmt: skip
