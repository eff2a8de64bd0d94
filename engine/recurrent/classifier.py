"""The recurrent lab's model: a recurrent network (part ``rnn``, PyTorch's bare names such as ``weight_ih_l0``)
and an output layer read per step or per sequence (part ``head``: ``head.weight``, ``head.bias``).

It is what ``training.Trainer`` trains and what ``inspect`` looks into; the language and encoder–decoder models
are the same kind of object with other parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.checks import check_memory
from engine.recurrent.head import ACTIVATIONS, MODES, LossResult, head_bytes, init_head, loss_and_grad
from engine.recurrent.model import Grads, Trace, backward, forward, trace_bytes
from engine.recurrent.parts import join_parts, split_parts
from engine.recurrent.spec import RecurrentSpec, init_params

PARTS = {"rnn": "", "head": "head."}


@dataclass
class Evaluation:
    """One batch through a model: its loss, accuracy (NaN for regression) and perplexity; ``grads`` under the
    parameters' full names (None when not asked for, or when the loss or its gradient is NaN or Inf); the
    forward ``trace``, the head's ``result`` and the recurrent ``backward`` pass where the model has them."""

    loss: float
    accuracy: float
    perplexity: float
    grads: dict[str, np.ndarray] | None = None
    trace: Trace | None = None
    result: LossResult | None = None
    backward: Grads | None = None


@dataclass(frozen=True)
class RecurrentClassifier:
    """``spec``'s network and a head of ``classes`` outputs with ``activation`` and ``mode`` (head.py);
    ``truncate`` as for ``backward``; ``forget_bias`` as for ``init_params``."""

    spec: RecurrentSpec
    classes: int
    activation: str = "softmax"
    mode: str = "per_step"
    truncate: int = 0
    forget_bias: float = 0.0
    parts: dict[str, str] = field(default_factory=lambda: dict(PARTS))

    def __post_init__(self) -> None:
        if not isinstance(self.classes, int | np.integer) or self.classes < 1:
            raise ValueError(f"classes must be a whole number ≥ 1, not {self.classes!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")

    @property
    def name(self) -> str:
        return f"{self.spec.cell} network"

    @property
    def features(self) -> int:
        return self.spec.directions * self.spec.hidden_size

    def describe(self) -> str:
        return f"{self.spec.describe()}, {self.classes} outputs"

    def param_count(self) -> int:
        return self.spec.param_count() + self.classes * (self.features + 1)

    def init_params(self, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
        """The network's parameters from ``seed``, the head's from ``seed + 1`` (both PyTorch's initialisation)."""
        params = init_params(self.spec, seed, dtype, self.forget_bias)
        params.update(init_head(self.features, self.classes, seed + 1, dtype))
        return params

    def split(self, params: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """(the network's parameters, the head's under their full names ``head.weight``, ``head.bias``)."""
        named = split_parts(params, self.parts)
        return named["rnn"], join_parts({"head": named["head"]}, self.parts)

    def check_batch(self, x, dtype: np.dtype) -> None:
        """Refuse a batch whose trace and head would not fit the memory cap, before anything is allocated."""
        x = np.asarray(x) if not isinstance(x, np.ndarray) else x
        tokens = x.ndim == 2 and x.dtype.kind in "iu"
        if x.ndim < 2:
            return  # the forward pass names the shape that is wrong
        T, B = x.shape[:2]
        need = trace_bytes(self.spec, T, B, dtype.itemsize, tokens)
        need += head_bytes(T, B, self.classes, self.mode, dtype.itemsize)
        check_memory(need, f"a batch of {B} sequences × {T} steps through {self.describe()}")

    def evaluate(
        self, params, x, targets, lengths=None, *, train=False, seed=None, backend="numba"
    ) -> tuple[Trace, LossResult]:
        """The forward trace of ``x`` and the head's loss on ``targets`` (head.py says their shapes)."""
        rnn, head = self.split(params)
        dtype = head["head.weight"].dtype
        self.check_batch(x, dtype)
        trace = forward(self.spec, rnn, x, lengths=lengths, train=train, seed=seed, backend=backend)
        spec = self.spec
        with np.errstate(over="ignore", invalid="ignore"):
            result = loss_and_grad(head, trace.output, trace.lengths, targets, activation=self.activation,
                                   mode=self.mode, hidden=spec.hidden_size, directions=spec.directions,
                                   compiled=backend != "reference")  # fmt: skip
        return trace, result

    def loss_and_grads(self, params, x, targets, lengths=None, *, train=True, seed=None, backend="numba") -> Evaluation:
        """Forward, loss and backward on one batch: every parameter's gradient under its full name."""
        trace, result = self.evaluate(params, x, targets, lengths, train=train, seed=seed, backend=backend)
        evaluation = Evaluation(result.loss, result.accuracy, result.perplexity, None, trace, result)
        if not np.isfinite(result.loss) or not np.isfinite(result.d_output).all():
            return evaluation
        rnn, _ = self.split(params)
        evaluation.backward = backward(self.spec, rnn, trace, result.d_output, truncate=self.truncate, backend=backend)
        evaluation.grads = {**evaluation.backward.params, **result.d_head}
        return evaluation
