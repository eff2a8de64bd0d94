"""One character at a time, fast: the language model's step for decoding with its weights prepared once.

``engine.recurrent.forward`` serves traces of whole sequences: each call checks the weights, transposes them and
allocates a trace, which at one step of one character costs far more than the step itself. ``Prepared`` does that
once: per layer the transposed recurrent weights and the summed biases, and for the first layer a table of every
character's input projection, (V, G·H) (the embedding, or the one-hot column, times W_ih, plus the biases), so that
reading a character is a row lookup. The formulas are those of ``engine.recurrent.reference`` (PyTorch's); the
tests hold the logits to ``LanguageModelSpec.run``.
"""

from __future__ import annotations

import numpy as np

from engine.language import kernels
from engine.language.model import LanguageModelSpec, State
from engine.recurrent.reference import sigmoid

FAST_CELLS = {("rnn_tanh", "standard"), ("rnn_relu", "standard"), ("lstm", "standard"), ("gru", "reset_after")}
TABLE_BYTES = 256 * 1024**2  # a first-layer table larger than this is not made: that layer multiplies instead


def supported(spec: LanguageModelSpec) -> bool:
    """Whether ``Prepared`` runs ``spec`` (the other LSTM and GRU variants go through ``engine.recurrent``)."""
    return (spec.cell, spec.rnn.variant) in FAST_CELLS


class Prepared:
    """``step(state, parents, tokens) -> (logits (K, V), state)`` for ``engine.decoding``, as
    ``generate.stepper`` gives, with the weights of ``params`` copied and arranged once (float32 as trained)."""

    def __init__(self, spec: LanguageModelSpec, params: dict[str, np.ndarray]) -> None:
        if not supported(spec):
            raise ValueError(f"no prepared step for the {spec.cell} {spec.rnn.variant} cell")
        self.spec = spec
        self.layers = []
        for layer in range(spec.num_layers):
            sfx = f"_l{layer}"
            W_ih, W_hh = params[f"rnn.weight_ih{sfx}"], params[f"rnn.weight_hh{sfx}"]
            b_ih, b_hh = params[f"rnn.bias_ih{sfx}"], params[f"rnn.bias_hh{sfx}"]
            self.layers.append((np.ascontiguousarray(W_ih.T), np.ascontiguousarray(W_hh.T), b_ih, b_hh))
        W_ih0, _, b_ih0, b_hh0 = self.layers[0]
        inputs = params["embedding.weight"] if spec.embedding_dim else None
        self.table = None
        if spec.vocab_size * W_ih0.shape[1] * W_ih0.itemsize <= TABLE_BYTES:
            projected = W_ih0 if inputs is None else inputs @ W_ih0  # (V, G·H): x W_ihᵀ for every character
            self.table = np.ascontiguousarray(projected + b_ih0 + (0 if spec.cell == "gru" else b_hh0))
        self.embedding = inputs
        self.head_T = np.ascontiguousarray(params["head.weight"].T)
        self.head_b = params["head.bias"]
        self.compiled = spec.cell == "lstm"  # ``kernels.lstm_step``; the NumPy step stays as its reference
        if self.compiled:
            H4 = 4 * spec.hidden_size
            upper = self.layers[1:] or [(np.zeros((spec.hidden_size, H4), W_ih0.dtype), None, None, None)]
            self.W_ihT = np.ascontiguousarray(np.stack([w[0] for w in upper]))
            self.W_hhT = np.ascontiguousarray(np.stack([w[1] for w in self.layers]))
            self.b = np.ascontiguousarray(np.stack([b_ih + b_hh for _, _, b_ih, b_hh in self.layers]))

    def _first_input(self, tokens: np.ndarray) -> np.ndarray:
        """Layer 0's input projection of ``tokens`` (K,), biases in as the table has them."""
        if self.table is not None:
            return self.table[tokens]
        W_ih, _, b_ih, b_hh = self.layers[0]
        x = W_ih[tokens] if self.embedding is None else self.embedding[tokens] @ W_ih
        return x + b_ih + (0 if self.spec.cell == "gru" else b_hh)

    def __call__(self, state: State, parents: np.ndarray, tokens: np.ndarray) -> tuple[np.ndarray, State]:
        if not self.compiled:
            return self.numpy_step(state, parents, tokens)
        h, c = np.ascontiguousarray(state.h[:, parents]), np.ascontiguousarray(state.c[:, parents])
        h_out, c_out = np.empty_like(h), np.empty_like(c)
        first = np.ascontiguousarray(self._first_input(tokens), dtype=h.dtype)
        kernels.lstm_step(first, h, c, self.W_ihT.astype(h.dtype, copy=False), self.W_hhT.astype(h.dtype, copy=False),
                          self.b.astype(h.dtype, copy=False), h_out, c_out)  # fmt: skip
        return h_out[-1] @ self.head_T + self.head_b, State(h_out, c_out)

    def numpy_step(self, state: State, parents: np.ndarray, tokens: np.ndarray) -> tuple[np.ndarray, State]:
        """The step in NumPy, after ``engine.recurrent.reference``: the kernel's reference, and the GRU's and
        plain RNN's step."""
        h_all = state.h[:, parents]
        c_all = None if state.c is None else state.c[:, parents]
        h_out, c_out = np.empty_like(h_all), None if c_all is None else np.empty_like(c_all)
        below = None
        for layer, (W_ihT, W_hhT, b_ih, b_hh) in enumerate(self.layers):
            if layer == 0:
                xz = self._first_input(tokens)
            else:
                xz = below @ W_ihT + b_ih + (0 if self.spec.cell == "gru" else b_hh)
            h = h_all[layer]
            if self.spec.cell == "lstm":
                z = xz + h @ W_hhT
                H = h.shape[1]
                i, f, o = sigmoid(z[:, :H]), sigmoid(z[:, H : 2 * H]), sigmoid(z[:, 3 * H :])
                c_out[layer] = f * c_all[layer] + i * np.tanh(z[:, 2 * H : 3 * H])
                h_out[layer] = o * np.tanh(c_out[layer])
            elif self.spec.cell == "gru":
                H = h.shape[1]
                hz = h @ W_hhT + b_hh
                r, u = sigmoid(xz[:, :H] + hz[:, :H]), sigmoid(xz[:, H : 2 * H] + hz[:, H : 2 * H])
                n = np.tanh(xz[:, 2 * H :] + r * hz[:, 2 * H :])
                h_out[layer] = (1 - u) * n + u * h
            else:
                z = xz + h @ W_hhT
                h_out[layer] = np.tanh(z) if self.spec.cell == "rnn_tanh" else np.maximum(z, 0)
            below = h_out[layer]
        return below @ self.head_T + self.head_b, State(h_out, c_out)
