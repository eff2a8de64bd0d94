"""A character language model: an embedding (or one-hot input), a recurrent network and a linear head that
reads every step, trained to predict each next character.

Parameters under the names of a PyTorch module with attributes ``embedding`` (nn.Embedding), ``rnn``
(nn.LSTM / nn.GRU / nn.RNN) and ``head`` (nn.Linear): ``embedding.weight`` (V, E), absent when
``embedding_dim`` is 0 (one-hot input: ``rnn.weight_ih_l0`` is then (G·H, V), its columns picked by id);
``rnn.weight_ih_l0``, ...; ``head.weight`` (V, H), ``head.bias`` (V,). The model is what
``engine.recurrent.training.Trainer`` trains (clipping, Adam, checkpoints).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np

from engine.checks import check_memory
from engine.recurrent.classifier import Evaluation
from engine.recurrent.head import LossResult, head_bytes, init_head, loss_and_grad
from engine.recurrent.model import Trace, backward, forward, trace_bytes
from engine.recurrent.parts import join_parts, split_parts
from engine.recurrent.spec import MAX_UNITS, RecurrentSpec, init_params

PARTS = {"embedding": "embedding.", "rnn": "rnn.", "head": "head."}


class State(NamedTuple):
    """The recurrent state to go on from: h, c (L, B, H) as PyTorch's (h_n, c_n); c is None but for LSTMs."""

    h: np.ndarray
    c: np.ndarray | None


@dataclass(frozen=True)
class LanguageModelSpec:
    """``vocab_size`` characters in and out; ``embedding_dim`` 0 feeds one-hot vectors (never made) to the
    network; the rest as ``RecurrentSpec`` (one direction: a language model must not see the future).
    ``dropout`` applies to every layer's input, the embedding's output included; ``truncate`` as for
    ``backward``; ``forget_bias`` as for ``init_params``."""

    vocab_size: int
    embedding_dim: int = 0
    cell: str = "lstm"
    hidden_size: int = 128
    num_layers: int = 1
    variant: str = ""
    dropout: float = 0.0
    variational_dropout: bool = False
    truncate: int = 0
    forget_bias: float = 0.0

    def __post_init__(self) -> None:
        for name in ("vocab_size", "embedding_dim"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < (1 if name == "vocab_size" else 0):
                raise ValueError(f"{name} must be a whole number ≥ {int(name == 'vocab_size')}, not {value!r}")
        if not self.embedding_dim and self.vocab_size > MAX_UNITS:
            raise ValueError(f"a vocab_size of {self.vocab_size} needs an embedding (embedding_dim > 0): one-hot "
                             f"input takes at most {MAX_UNITS} characters")  # fmt: skip
        _ = self.rnn  # the network's own checks

    @cached_property
    def rnn(self) -> RecurrentSpec:
        """The recurrent network: its input is the embedding, or the one-hot vector of vocab_size."""
        return RecurrentSpec(self.cell, self.embedding_dim or self.vocab_size, self.hidden_size, self.num_layers,
                             False, self.variant, self.dropout, self.variational_dropout)  # fmt: skip

    @property
    def spec(self) -> RecurrentSpec:
        """The network's spec, as a ``RecurrentClassifier``'s: ``Trainer.spec`` and ``Trainer.rnn_params`` are
        then the network the recurrent lab's views show."""
        return self.rnn

    @property
    def parts(self) -> dict[str, str]:
        return dict(PARTS)

    @property
    def name(self) -> str:
        return "language model"

    def describe(self) -> str:
        inputs = f"embedding {self.embedding_dim}" if self.embedding_dim else "one-hot input"
        return f"a language model of {self.vocab_size} characters ({inputs}, {self.rnn.describe()})"

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        shapes = {"embedding.weight": (self.vocab_size, self.embedding_dim)} if self.embedding_dim else {}
        shapes.update({"rnn." + k: v for k, v in self.rnn.param_shapes().items()})
        return shapes | {"head.weight": (self.vocab_size, self.hidden_size), "head.bias": (self.vocab_size,)}

    def param_count(self) -> int:
        return sum(int(np.prod(s)) for s in self.param_shapes().values())

    def init_params(self, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
        """PyTorch's initialisation: the embedding N(0, 1) from ``seed`` + 2, the network from ``seed``, the
        head from ``seed`` + 1."""
        params = {}
        if self.embedding_dim:
            V, E = self.vocab_size, self.embedding_dim
            check_memory(V * E * (np.dtype(dtype).itemsize + 8), f"an embedding of {V} × {E}")
            params["embedding.weight"] = np.random.default_rng(seed + 2).normal(size=(V, E)).astype(dtype)
        rnn = init_params(self.rnn, seed, dtype, self.forget_bias)
        params.update(join_parts({"rnn": rnn}, PARTS))
        return params | init_head(self.hidden_size, self.vocab_size, seed + 1, dtype)

    def split(self, params: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
        """{"embedding": ..., "rnn": ..., "head": ...}, the network's under PyTorch's bare names, the head's
        under their full names."""
        named = split_parts(params, PARTS)
        named["head"] = join_parts({"head": named["head"]}, PARTS)
        return named

    def check_batch(self, ids: np.ndarray, dtype: np.dtype) -> None:
        """Refuse ids (T + 1, B) that are not token ids, or whose pass would not fit the memory cap."""
        if ids.ndim != 2 or ids.dtype.kind not in "iu" or ids.shape[0] < 2 or ids.shape[1] < 1:
            raise ValueError(f"ids must be (steps + 1, batch) whole numbers, steps ≥ 1; not {ids.dtype} {ids.shape}")
        T, B = ids.shape[0] - 1, ids.shape[1]
        need = trace_bytes(self.rnn, T, B, dtype.itemsize, tokens=not self.embedding_dim)
        need += head_bytes(T, B, self.vocab_size, "per_step", dtype.itemsize)
        need += 2 * T * B * self.embedding_dim * dtype.itemsize  # the embedded inputs and their gradient
        check_memory(need, f"{B} sequences × {T} steps through {self.describe()}")
        if ids.min() < 0 or ids.max() >= self.vocab_size:
            raise ValueError(f"ids hold {ids.min()}..{ids.max()}; the model knows 0 to {self.vocab_size - 1}")

    def run(self, params, ids, state: State | None = None, *, train=False, seed=None, backend="numba") -> Trace:
        """The network's forward trace of ids (T, B) from ``state`` (None: zeros)."""
        named = self.split(params)
        x = named["embedding"]["weight"][ids] if self.embedding_dim else ids
        h0, c0 = (None, None) if state is None else state
        return forward(self.rnn, named["rnn"], x, h0, c0, train=train, seed=seed, backend=backend)

    def evaluate(self, params, ids, state: State | None = None, *, train=False, seed=None,
                 backend="numba") -> tuple[Trace, LossResult]:  # fmt: skip
        """The trace of ids[:-1] and the head's loss predicting ids[1:]: mean cross-entropy in nats."""
        ids = np.asarray(ids)
        self.check_batch(ids, params["head.weight"].dtype)
        trace = self.run(params, ids[:-1], state, train=train, seed=seed, backend=backend)
        return trace, self._loss(self.split(params)["head"], trace, ids, backend)

    def loss_and_grads(self, params, ids, state: State | None = None, *, train=True, seed=None,
                       backend="numba") -> Evaluation:  # fmt: skip
        """Forward, loss and backward on ids (T + 1, B): every parameter's gradient under its full name. The
        gradient stops at ``state`` (truncated BPTT: the trace's final state is the next chunk's ``state``)."""
        ids = np.asarray(ids)
        if not self.folds(ids, train):
            trace, result = self.evaluate(params, ids, state, train=train, seed=seed, backend=backend)
            rnn, named = self.rnn, self.split(params)
        else:
            self.check_batch(ids, params["head.weight"].dtype)
            rnn, named = self.one_hot, self._folded(params)
            h0, c0 = (None, None) if state is None else state
            trace = forward(rnn, named["rnn"], ids[:-1], h0, c0, train=train, seed=seed, backend=backend)
            result = self._loss(named["head"], trace, ids, backend)
        evaluation = Evaluation(result.loss, result.accuracy, result.perplexity, None, trace, result)
        if not np.isfinite(result.loss) or not np.isfinite(result.d_output).all():
            return evaluation
        back = backward(rnn, named["rnn"], trace, result.d_output, truncate=self.truncate, backend=backend)
        grads = join_parts({"rnn": back.params}, PARTS) | result.d_head
        if rnn is self.one_hot:  # through W = W_ih Eᵀ: ∂L/∂W_ih = (∂L/∂W) E and ∂L/∂E = (∂L/∂W)ᵀ W_ih
            d_folded, W_ih, E = grads["rnn.weight_ih_l0"], params["rnn.weight_ih_l0"], params["embedding.weight"]
            grads["rnn.weight_ih_l0"], grads["embedding.weight"] = d_folded @ E, d_folded.T @ W_ih
        elif self.embedding_dim:
            grads["embedding.weight"] = _embedding_grad(ids[:-1], back.dx, self.vocab_size, backend)
        evaluation.backward, evaluation.grads = back, grads
        return evaluation

    def folds(self, ids: np.ndarray, train: bool) -> bool:
        """Whether ``loss_and_grads`` folds the embedding into the first layer: W_ih E[v] is column v of
        W = W_ih Eᵀ (G·H, V), so the network reads one-hot ids through W, and the products of all steps with the
        embedded inputs (projection, input gradient, weight gradient, T·B rows each) become three of V rows.
        It pays while the vocabulary is smaller than the batch's T·B characters, and it cannot carry dropout on
        the embedding's output (the one-hot path drops whole characters). At char-rnn's 65 characters, batch
        50 × 50, the first layer's backward products went from 4.1 ms a step to 2.8."""
        return bool(self.embedding_dim) and not (train and self.dropout) and self.vocab_size <= ids[:-1].size

    @cached_property
    def one_hot(self) -> RecurrentSpec:
        """The network as it reads one-hot ids when the embedding is folded into its first layer (``folds``)."""
        return replace(self.rnn, input_size=self.vocab_size)

    def _folded(self, params: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
        named = self.split(params)
        named["rnn"] = dict(named["rnn"], weight_ih_l0=named["rnn"]["weight_ih_l0"] @ named["embedding"]["weight"].T)
        return named

    def _loss(self, head: dict[str, np.ndarray], trace: Trace, ids: np.ndarray, backend: str) -> LossResult:
        with np.errstate(over="ignore", invalid="ignore"):
            return loss_and_grad(head, trace.output, trace.lengths, ids[1:], hidden=self.hidden_size,
                                 compiled=backend != "reference")  # fmt: skip


def _embedding_grad(ids: np.ndarray, dx: np.ndarray, vocab_size: int, backend: str) -> np.ndarray:
    """∂L/∂E (V, E): each step's input gradient dx (T, B, E) added into the row of its id (T, B)."""
    grad = np.zeros((vocab_size, dx.shape[-1]), dx.dtype)
    rows = np.ascontiguousarray(dx).reshape(-1, dx.shape[-1])
    if backend == "reference":
        np.add.at(grad, ids.ravel(), rows)
    else:  # the same sums in a compiled loop: np.add.at took 1.7 ms of a 38 ms training step
        from engine.recurrent.kernels import add_rows

        add_rows(np.ascontiguousarray(ids.ravel()), rows, grad)
    return grad


def final_state(trace: Trace) -> State:
    """The state after a trace's last step, copied (the next chunk or character goes on from it)."""
    return State(trace.h_n.copy(), None if trace.c_n is None else trace.c_n.copy())


def init_model(spec: LanguageModelSpec, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
    """Every parameter of ``spec``'s model under its full name (``LanguageModelSpec.param_shapes``)."""
    return spec.init_params(seed, dtype)


def loss_and_grads(spec: LanguageModelSpec, params: dict[str, np.ndarray], ids: np.ndarray,
                   state: State | None = None, *, train: bool = False,
                   seed: int | None = None) -> tuple[float, dict[str, np.ndarray] | None]:  # fmt: skip
    """ids (T + 1, B): predict ids[1:] from ids[:-1]. The mean cross-entropy in nats, and the gradient of
    every parameter under its name (None when the loss or its gradient is NaN or Inf)."""
    evaluation = spec.loss_and_grads(params, ids, state, train=train, seed=seed)
    return evaluation.loss, evaluation.grads
