"""Fine-tuning an unrolled autoencoder by back-propagating the reconstruction error through all its layers.
The paper used conjugate gradients on large mini-batches; here Adam (Kingma & Ba 2015) on mini-batches, which
reaches the same kind of minimum in a few epochs of a small data set and keeps one step per mini-batch."""

from __future__ import annotations

import numpy as np

from engine.autoencoder import reference
from engine.autoencoder.model import AutoEncoder, data_rows, reconstruct, squared_error
from engine.checks import generator_from_state
from engine.rbm.model import require_positive_int

BETAS = (0.9, 0.999)
EPS = 1e-8


class FineTuner:
    """Trains ``ae`` in place on ``data: (N, n_visible)`` in [0, 1] by ``loss`` ("cross_entropy" or "squared");
    records the squared error per image on the training and on the ``held_out`` data after every epoch."""

    def __init__(self, ae: AutoEncoder, data: object, held_out: object = None, *, lr: float = 0.001,
                 batch_size: int = 50, loss: str = "cross_entropy", seed: int = 0) -> None:  # fmt: skip
        if loss not in reference.LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(reference.LOSSES)}")
        if loss == "cross_entropy" and ae.output != "logistic":
            raise ValueError("the cross-entropy needs a logistic output layer")
        if not (isinstance(lr, int | float) and np.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate must be a finite number above 0, got {lr!r}")
        require_positive_int("batch_size", batch_size)
        self.ae, self.loss, self.lr = ae, loss, float(lr)
        self.rows = data_rows("data", data, ae.sizes[0])
        self.held_out = None if held_out is None else data_rows("held_out", held_out, ae.sizes[0])
        self.batch_size = min(batch_size, len(self.rows))
        self.rng = np.random.default_rng(seed)
        self.moments = [np.zeros_like(p) for p in (*ae.weights, *ae.biases) for _ in range(2)]
        self.steps = 0
        self.train_error: list[float] = []
        self.held_out_error: list[float] = []

    @property
    def epoch(self) -> int:
        return len(self.train_error)

    def gradient(self, x: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """The loss on ``x`` and its gradient, weights then biases."""
        ae = self.ae
        trace = reference.forward(ae.weights, ae.biases, x, ae.hidden, ae.output)
        dW, db = reference.backward(trace, ae.weights, self.loss, ae.hidden, ae.output)
        return reference.loss(trace, ae.weights, ae.biases, self.loss), [*dW, *db]

    def train_epoch(self) -> None:
        params = [*self.ae.weights, *self.ae.biases]
        order = self.rng.permutation(len(self.rows))
        b1, b2 = BETAS
        for start in range(0, len(order), self.batch_size):
            _, grads = self.gradient(self.rows[order[start : start + self.batch_size]])
            self.steps += 1
            rate = self.lr * np.sqrt(1 - b2**self.steps) / (1 - b1**self.steps)
            for i, (p, g) in enumerate(zip(params, grads, strict=True)):
                m, v = self.moments[2 * i], self.moments[2 * i + 1]
                m += (1 - b1) * (g - m)
                v += (1 - b2) * (g * g - v)
                p -= rate * m / (np.sqrt(v) + EPS)
        self.train_error.append(squared_error(self.rows, reconstruct(self.ae, self.rows)))
        if self.held_out is not None:
            self.held_out_error.append(squared_error(self.held_out, reconstruct(self.ae, self.held_out)))

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        arrays = {f"W{i}": W.copy() for i, W in enumerate(self.ae.weights)}
        arrays |= {f"b{i}": b.copy() for i, b in enumerate(self.ae.biases)}
        arrays |= {f"moment{i}": m.copy() for i, m in enumerate(self.moments)}
        arrays |= {"train_error": np.array(self.train_error), "held_out_error": np.array(self.held_out_error)}
        return {"rng": self.rng.bit_generator.state, "steps": self.steps}, arrays

    def restore(self, state: object, arrays: dict[str, np.ndarray]) -> None:
        """Continue from ``checkpoint()`` of a fine-tuner of the same network; ValueError changes nothing."""
        if not isinstance(state, dict) or type(state.get("steps")) is not int or state["steps"] < 0:
            raise ValueError("the fine-tuning state needs a count of steps")
        rng = generator_from_state(state.get("rng"))
        expected = {**{f"W{i}": W.shape for i, W in enumerate(self.ae.weights)},
                    **{f"b{i}": b.shape for i, b in enumerate(self.ae.biases)},
                    **{f"moment{i}": m.shape for i, m in enumerate(self.moments)}}  # fmt: skip
        for name, shape in expected.items():
            a = arrays.get(name)
            if not isinstance(a, np.ndarray) or a.shape != shape or a.dtype.kind != "f" or not np.isfinite(a).all():
                raise ValueError(f"the autoencoder's {name} must be finite numbers of shape {shape}")
        records = [arrays.get(n) for n in ("train_error", "held_out_error")]
        if not all(isinstance(r, np.ndarray) and r.ndim == 1 and np.isfinite(r).all() for r in records):
            raise ValueError("the fine-tuning record must be finite numbers")
        for i, W in enumerate(self.ae.weights):
            W[...] = arrays[f"W{i}"]
        for i, b in enumerate(self.ae.biases):
            b[...] = arrays[f"b{i}"]
        self.moments = [np.array(arrays[f"moment{i}"], np.float64) for i in range(len(self.moments))]
        self.rng, self.steps = rng, state["steps"]
        self.train_error, self.held_out_error = [float(e) for e in records[0]], [float(e) for e in records[1]]
