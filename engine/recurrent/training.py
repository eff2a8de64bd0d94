"""Training pieces: gradient clipping, SGD with momentum and Adam, and a trainer that records every step.

The trainer trains a model of named parts (``parts.py``): anything with ``parts``, ``name``, ``describe()``,
``param_count()``, ``init_params(seed, dtype)`` and ``loss_and_grads(params, *batch, train, seed)`` returning an
``Evaluation`` (``classifier.RecurrentClassifier`` is the recurrent lab's). It owns the flat dict of parameters
and the optimizer's state, and ``checkpoint()`` / ``restore_checkpoint()`` carry both, so that training stopped
and taken up again goes on exactly as if it had never stopped.

A trainer never raises on a numerical blow-up: a loss or gradient that is NaN or Inf is reported in the
step's record, the update is skipped and the last good parameters are kept, so that exploding gradients
are something the app shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory
from engine.recurrent.classifier import Evaluation, RecurrentClassifier
from engine.recurrent.head import LossResult, init_head
from engine.recurrent.model import Grads, Trace
from engine.recurrent.parts import split_parts
from engine.recurrent.spec import RecurrentSpec


def global_norm(grads: dict[str, np.ndarray]) -> float:
    """‖g‖ over all parameters together, in float64."""
    return math.sqrt(sum(sum_of_squares(g) for g in grads.values()))


def sum_of_squares(g: np.ndarray) -> float:
    """Σ g² in float64: compiled for a contiguous float32 array (NumPy first makes a float64 copy of it)."""
    if g.dtype == np.float32 and g.flags.c_contiguous:
        from engine.recurrent.kernels import sums_of_squares

        return float(sums_of_squares(g.reshape(1, -1))[0])
    return float((g.astype(np.float64) ** 2).sum())


def clip_by_norm(grads: dict[str, np.ndarray], max_norm: float) -> tuple[dict[str, np.ndarray], float]:
    """g ← min(1, θ/‖g‖)·g; returns the clipped gradients and the norm before clipping."""
    norm = global_norm(grads)
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: g * g.dtype.type(scale) for k, g in grads.items()}, norm


def clip_by_value(grads: dict[str, np.ndarray], limit: float) -> dict[str, np.ndarray]:
    """Every component of g into [−limit, limit]."""
    return {k: np.clip(g, -limit, limit) for k, g in grads.items()}


class SGD:
    """θ ← θ − lr·v, v ← μ v + g + λ θ (PyTorch's SGD with momentum and L2 weight decay)."""

    def __init__(self, lr: float = 0.1, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray], scale: float = 1.0) -> None:
        """One update of every parameter in place, with the gradients times ``scale`` (clipping's factor)."""
        for name, g in grads.items():
            g = (g if scale == 1.0 else g * g.dtype.type(scale)) + self.weight_decay * params[name]
            if self.momentum:
                v = self.velocity.get(name)
                g = g if v is None else self.momentum * v + g
                self.velocity[name] = g
            params[name] -= (self.lr * g).astype(params[name].dtype)

    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(scalars, arrays) that ``load_state`` takes back: the momentum buffers."""
        return {}, {f"velocity/{k}": v for k, v in self.velocity.items()}

    def load_state(self, scalars: dict, arrays: dict[str, np.ndarray]) -> None:
        _require_prefixes(arrays, "SGD", ("velocity/",))
        self.velocity = _buffers(arrays, "velocity/")


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction and L2 weight decay added to the gradient."""

    def __init__(self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.t = 0

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray], scale: float = 1.0) -> None:
        """One update of every parameter in place, with the gradients times ``scale`` (clipping's factor): in one
        compiled pass per parameter where it and its gradient are float arrays of one dtype (NumPy's dozen
        temporaries took 1.1 ms of a 35 ms language-model step), else by ``reference_step``'s formulas."""
        from engine.recurrent.kernels import adam_update

        self.t += 1
        b1, b2 = self.betas
        step_size, inverse_root2 = self.lr / (1 - b1**self.t), 1 / math.sqrt(1 - b2**self.t)
        for name, g in grads.items():
            p = params[name]
            if p.dtype != g.dtype or p.dtype.kind != "f" or not (p.flags.c_contiguous and g.flags.c_contiguous):
                self._numpy_update(name, p, g if scale == 1.0 else g * g.dtype.type(scale))
                continue
            m, v = _moment(self.m, name, p), _moment(self.v, name, p)
            real = p.dtype.type  # float32 weights are updated in float32, as PyTorch does
            adam_update(p.reshape(-1), g.reshape(-1), m.reshape(-1), v.reshape(-1), real(scale),
                        real(self.weight_decay), real(b1), real(1 - b1), real(b2), real(1 - b2), real(step_size),
                        real(inverse_root2), real(self.eps))  # fmt: skip

    def reference_step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """``step`` in NumPy, after the paper's formulas: what the tests hold the compiled update to."""
        self.t += 1
        for name, g in grads.items():
            self._numpy_update(name, params[name], g)

    def _numpy_update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        b1, b2 = self.betas
        g = g + self.weight_decay * p
        m = self.m[name] = b1 * self.m.get(name, 0.0) + (1 - b1) * g
        v = self.v[name] = b2 * self.v.get(name, 0.0) + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
        p -= (self.lr * m_hat / (np.sqrt(v_hat) + self.eps)).astype(p.dtype)

    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(scalars, arrays) that ``load_state`` takes back: the step count and both moment estimates."""
        return {"t": self.t}, {**{f"m/{k}": v for k, v in self.m.items()}, **{f"v/{k}": v for k, v in self.v.items()}}

    def load_state(self, scalars: dict, arrays: dict[str, np.ndarray]) -> None:
        t = scalars.get("t", 0)
        if not isinstance(t, int) or isinstance(t, bool) or t < 0:
            raise ValueError(f"Adam's step count must be a whole number ≥ 0, not {t!r}")
        _require_prefixes(arrays, "Adam", ("m/", "v/"))
        self.m, self.v, self.t = _buffers(arrays, "m/"), _buffers(arrays, "v/"), t


def _moment(store: dict[str, np.ndarray], name: str, p: np.ndarray) -> np.ndarray:
    """The moment estimate of ``p`` kept under ``name``, as the compiled update writes it: p's shape and dtype,
    contiguous (zeros at first; a restored checkpoint's is copied once)."""
    b = store.get(name)
    if b is None or b.dtype != p.dtype or b.shape != p.shape or not b.flags.c_contiguous:
        b = store[name] = np.zeros_like(p) if b is None else np.ascontiguousarray(np.broadcast_to(b, p.shape), p.dtype)
    return b


def _require_prefixes(arrays: dict[str, np.ndarray], optimizer: str, prefixes: tuple[str, ...]) -> None:
    unknown = sorted(k for k in arrays if not k.startswith(prefixes))
    if unknown:
        raise ValueError(f"{optimizer} keeps no buffer named {unknown[0]!r}")


def _buffers(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


@dataclass
class TrainConfig:
    """Settings of a training run; every run is reproducible from ``seed``."""

    activation: str = "softmax"
    mode: str = "per_step"
    optimizer: str = "adam"
    lr: float = 1e-2
    momentum: float = 0.9
    weight_decay: float = 0.0
    clip_norm: float | None = 1.0
    clip_value: float | None = None
    truncate: int = 0
    seed: int = 0
    forget_bias: float = 0.0  # the LSTM forget gate's starting bias (``init_params``)


@dataclass
class StepRecord:
    """What one training step did: loss, accuracy, gradient norm before clipping, per-parameter gradient
    norms, and the model's ``evaluation`` of the batch it trained on (for the recurrent classifier the full
    forward trace, the head's result and the backward pass: ``trace``, ``result``, ``grads``)."""

    step: int
    loss: float
    accuracy: float
    perplexity: float
    grad_norm: float
    clipped: bool
    grad_norms: dict[str, float]
    evaluation: Evaluation
    diverged: bool = False
    message: str = ""

    @property
    def trace(self) -> Trace | None:
        return self.evaluation.trace

    @property
    def grads(self) -> Grads | None:
        return self.evaluation.backward

    @property
    def result(self) -> LossResult | None:
        return self.evaluation.result

    @property
    def head_grads(self) -> dict[str, np.ndarray]:
        return {} if self.result is None or self.grads is None else self.result.d_head


class Trainer:
    """Owns a model's parameters and an optimizer; ``step`` trains on one batch.

    ``Trainer(model, config=...)`` for any model of named parts; ``Trainer(spec, classes, config)`` for the
    recurrent lab's classifier (``config``'s activation, mode, truncate and forget_bias configure it).
    ``params`` (the model's, under their full names) starts from given weights instead of ``config.seed``.
    """

    def __init__(self, model, classes: int | None = None, config: TrainConfig | None = None, dtype=np.float32,
                 params: dict[str, np.ndarray] | None = None) -> None:  # fmt: skip
        self.config = cfg = config or TrainConfig()
        if cfg.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {cfg.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if isinstance(model, RecurrentSpec):
            model = RecurrentClassifier(model, classes, cfg.activation, cfg.mode, cfg.truncate, cfg.forget_bias)
        self.model = model
        # the parameters, and the optimizer's buffers that grow beside them: one for momentum, two for Adam
        copies = 1 + (2 if cfg.optimizer == "adam" else 1 if cfg.momentum else 0)
        itemsize = np.dtype(dtype).itemsize
        check_memory(copies * model.param_count() * itemsize, f"training {model.describe()} with {cfg.optimizer}")
        self.params = params if params is not None else model.init_params(cfg.seed, dtype)
        if isinstance(model, RecurrentClassifier) and "head.weight" not in self.params:  # a network alone: a new head
            self.params.update(init_head(model.features, model.classes, cfg.seed + 1, dtype))
        self.optimizer = self._new_optimizer()
        self.steps = 0

    def _new_optimizer(self) -> SGD | Adam:
        cfg = self.config
        kwargs = {"lr": cfg.lr, "weight_decay": cfg.weight_decay}
        if cfg.optimizer == "sgd":
            kwargs["momentum"] = cfg.momentum
        return OPTIMIZERS[cfg.optimizer](**kwargs)

    @property
    def spec(self) -> RecurrentSpec:
        return self.model.spec

    def part(self, name: str) -> dict[str, np.ndarray]:
        """The parameters of the part ``name`` under the rest of their names (the arrays themselves)."""
        return split_parts(self.params, self.model.parts)[name]

    @property
    def rnn_params(self) -> dict[str, np.ndarray]:
        return self.part("rnn")

    @property
    def head(self) -> dict[str, np.ndarray]:
        """The head's parameters under their full names (``head.weight``, ``head.bias``)."""
        return {self.model.parts["head"] + k: v for k, v in self.part("head").items()}

    def evaluate(self, *batch, **kwargs):
        """The model's evaluation of a batch without training: for the classifier (trace, LossResult)."""
        return self.model.evaluate(self.params, *batch, **kwargs)

    def step(self, *batch, **kwargs) -> StepRecord:
        """Loss and gradients, clip and update on one batch (for the classifier: x, targets, lengths); the update
        is skipped on NaN or Inf."""
        cfg = self.config
        self.steps += 1
        ev = self.model.loss_and_grads(self.params, *batch, train=True, seed=cfg.seed + self.steps, **kwargs)
        record = StepRecord(self.steps, ev.loss, ev.accuracy, ev.perplexity, np.inf, False, {}, ev)
        if ev.grads is None:
            return self._diverged(record, "the loss")
        squares = {k: sum_of_squares(g) for k, g in ev.grads.items()}
        record.grad_norms = {k: math.sqrt(s) for k, s in squares.items()}
        record.grad_norm = norm = math.sqrt(sum(squares.values()))
        if not np.isfinite(norm):
            return self._diverged(record, "the gradient")
        scale = 1.0  # clipping by norm: g ← min(1, θ/‖g‖)·g, as the optimizer reads g (clip_by_norm's result)
        if cfg.clip_norm:
            record.clipped = bool(norm > cfg.clip_norm)
            scale = min(1.0, cfg.clip_norm / norm) if norm > 0 else 1.0
        grads = ev.grads
        if cfg.clip_value:
            grads, scale = clip_by_value({k: g * g.dtype.type(scale) for k, g in grads.items()}, cfg.clip_value), 1.0
        self._update(grads, scale, record)
        return record

    def _diverged(self, record: StepRecord, what: str) -> StepRecord:
        record.diverged = True
        record.message = (
            f"step {self.steps}: {what} became NaN or Inf; the update was skipped, the last good weights kept"
        )
        return record

    def _update(self, grads: dict[str, np.ndarray], scale: float, record: StepRecord) -> None:
        before = {k: v.copy() for k, v in self.params.items()}
        with np.errstate(over="ignore", invalid="ignore"):
            self.optimizer.step(self.params, grads, scale)
        if not all(np.isfinite(v).all() for v in self.params.values()):
            self.params.update(before)
            self._diverged(record, "the updated weights")

    # ------------------------------------------------------------------ checkpoints

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        """Everything training needs to go on exactly where it stopped, as (JSON scalars, arrays): parameters
        under ``param/``, optimizer buffers under ``optimizer/``."""
        scalars, buffers = self.optimizer.state()
        # copies: training goes on updating the parameters in place while the checkpoint is written
        arrays = {f"param/{k}": v.copy() for k, v in self.params.items()}
        arrays.update({f"optimizer/{k}": v.copy() for k, v in buffers.items()})
        return {"steps": self.steps, "optimizer": scalars}, arrays

    def restore_checkpoint(self, scalars: dict, arrays: dict[str, np.ndarray]) -> None:
        """Take back what ``checkpoint`` gave, checked first: the same parameter names and shapes as this
        network's, finite values, optimizer buffers only for those parameters. On a ValueError nothing changed."""
        steps = scalars.get("steps")
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
            raise ValueError(f"the training step count must be a whole number ≥ 0, not {steps!r}")
        params = self._checked(_buffers(arrays, "param/"), "parameter")
        missing = sorted(set(self.params) - set(params))
        if missing:
            raise ValueError(f"parameters missing for this network: {', '.join(missing)}")
        buffers = {}
        for key, value in _buffers(arrays, "optimizer/").items():
            kind, _, name = key.partition("/")  # e.g. "m/weight_hh_l0"
            buffers[key] = self._checked({name: value}, f"{self.config.optimizer} buffer {kind}")[name]
        optimizer = self._new_optimizer()
        optimizer_scalars = scalars.get("optimizer", {})
        if not isinstance(optimizer_scalars, dict):
            raise ValueError("the optimizer's state must be a mapping")
        optimizer.load_state(optimizer_scalars, buffers)
        self.params.update(params)
        self.optimizer, self.steps = optimizer, steps

    def _checked(self, arrays: dict[str, np.ndarray], what: str) -> dict[str, np.ndarray]:
        out = {}
        for name, value in arrays.items():
            mine = self.params.get(name)
            if mine is None:
                raise ValueError(f"{what} {name!r} does not belong to this {self.model.name}")
            if value.shape != mine.shape:
                raise ValueError(f"{what} {name!r} has shape {value.shape}; this network's is {mine.shape}")
            if value.dtype.kind not in "fiu":
                raise ValueError(f"{what} {name!r} holds {value.dtype}, not real numbers")
            with np.errstate(over="ignore"):
                value = value.astype(mine.dtype)
            if not np.isfinite(value).all():
                raise ValueError(f"{what} {name!r} holds NaN or Inf")
            out[name] = value
        return out
