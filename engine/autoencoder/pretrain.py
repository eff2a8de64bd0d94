"""Pre-training the autoencoder: a stack of binary RBMs (``engine.rbm.stack``), then the code layer, an RBM with
linear (unit-variance Gaussian) hidden units trained by CD-1 on the layer below's probabilities, one epoch per
``step`` so that an app can watch, pause and save."""

from __future__ import annotations

import numpy as np

from engine.autoencoder import reference
from engine.autoencoder.model import check_sizes, data_rows
from engine.checks import generator_from_state
from engine.rbm.model import RBM, binary_rows, init, require_positive_int
from engine.rbm.stack import StackTrainer


class LinearRBMTrainer:
    """CD-1 with momentum for the code layer on ``data: (N, n_visible)`` in [0, 1]; ``errors`` holds each epoch's
    mean squared reconstruction error of p(v | the hidden means)."""

    def __init__(self, data: np.ndarray, n_hidden: int, *, lr: float = 0.005, momentum: float = 0.5,
                 batch_size: int = 20, seed: int = 0) -> None:  # fmt: skip
        self.rows = data_rows("the code layer's input", data)
        self.model = init(self.rows.shape[1], n_hidden, seed=seed, weight_scale=0.1)
        self.velocity = [np.zeros_like(a) for a in (self.model.W, self.model.b_visible, self.model.b_hidden)]
        self.lr, self.momentum, self.batch_size = lr, momentum, max(1, min(batch_size, len(self.rows)))
        self.rng = np.random.default_rng(seed + 1)
        self.errors: list[float] = []

    @property
    def epoch(self) -> int:
        return len(self.errors)

    def train_epoch(self) -> None:
        m = self.model
        order = self.rng.permutation(len(self.rows))
        for start in range(0, len(order), self.batch_size):
            v = self.rows[order[start : start + self.batch_size]]
            noise = self.rng.standard_normal((len(v), m.n_hidden))
            grads = reference.linear_rbm_gradient(v, m.W, m.b_visible, m.b_hidden, noise)
            for param, vel, grad in zip((m.W, m.b_visible, m.b_hidden), self.velocity, grads, strict=True):
                vel *= self.momentum
                vel += self.lr * grad
                param += vel
        recon = reference.sigmoid(m.b_visible + (m.b_hidden + self.rows @ m.W) @ m.W.T)
        self.errors.append(float(np.mean((recon - self.rows) ** 2)))

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        arrays = {"W": self.model.W.copy(), "b_visible": self.model.b_visible.copy(),
                  "b_hidden": self.model.b_hidden.copy(), "errors": np.array(self.errors)}  # fmt: skip
        arrays |= {f"velocity{i}": v.copy() for i, v in enumerate(self.velocity)}
        return {"rng": self.rng.bit_generator.state}, arrays

    def restore(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        m = self.model
        shapes = {"W": m.W.shape, "b_visible": m.b_visible.shape, "b_hidden": m.b_hidden.shape,
                  "velocity0": m.W.shape, "velocity1": m.b_visible.shape, "velocity2": m.b_hidden.shape}  # fmt: skip
        for name, shape in shapes.items():
            a = arrays.get(name)
            if not isinstance(a, np.ndarray) or a.shape != shape or a.dtype.kind != "f" or not np.isfinite(a).all():
                raise ValueError(f"the code layer's {name} must be finite numbers of shape {shape}")
        errors = arrays.get("errors")
        if not isinstance(errors, np.ndarray) or errors.ndim != 1 or not np.isfinite(errors).all():
            raise ValueError("the code layer's record of errors must be finite numbers")
        rng = generator_from_state(state.get("rng") if isinstance(state, dict) else None)
        self.model = RBM(*(np.array(arrays[n], np.float64) for n in ("W", "b_visible", "b_hidden")))
        self.velocity = [np.array(arrays[f"velocity{i}"], np.float64) for i in range(3)]
        self.errors, self.rng = [float(e) for e in errors], rng


class Pretrainer:
    """Pre-trains the layers of ``sizes`` (``[n_visible, ..., code]``) on binary ``data``, ``epochs`` each: the
    logistic layers as a stack of binary RBMs, then the linear code layer. ``step()`` trains one epoch."""

    def __init__(self, data: object, sizes: list[int], epochs: int, *, seed: int = 0, lr: float = 0.1,
                 code_lr: float = 0.005, momentum: float = 0.5, batch_size: int = 20) -> None:  # fmt: skip
        self.rows = binary_rows("data", data, None)
        self.sizes = check_sizes(sizes, self.rows.shape[1])
        require_positive_int("epochs per layer", epochs)
        self.epochs, self.seed, self.code_lr, self.momentum, self.batch_size = (
            epochs,
            seed,
            code_lr,
            momentum,
            batch_size,
        )
        hidden = self.sizes[1:-1]
        self.stack = None
        if hidden:
            self.stack = StackTrainer(self.rows, hidden, epochs, seed=seed, lr=lr, momentum=momentum,
                                      batch_size=batch_size, log_likelihood_every=0)  # fmt: skip
        self.code: LinearRBMTrainer | None = None if hidden else self._code_trainer()

    def _code_trainer(self) -> LinearRBMTrainer:
        x = self.rows
        for m in self.stack.layers if self.stack else []:
            x = reference.sigmoid(x @ m.W + m.b_hidden)
        return LinearRBMTrainer(x, self.sizes[-1], lr=self.code_lr, momentum=self.momentum,
                                batch_size=self.batch_size, seed=self.seed + 7)  # fmt: skip

    @property
    def layer(self) -> int:
        """The layer in training (``len(sizes) − 1`` once done)."""
        if self.code is None:
            return self.stack.layer
        return len(self.sizes) - 1 - (self.code.epoch < self.epochs)

    @property
    def done(self) -> bool:
        return self.code is not None and self.code.epoch >= self.epochs

    @property
    def epochs_done(self) -> int:
        stacked = self.stack.epochs_done if self.stack else 0
        return stacked + (self.code.epoch if self.code else 0)

    @property
    def total_epochs(self) -> int:
        return (len(self.sizes) - 1) * self.epochs

    def step(self) -> str | None:
        """One epoch of the layer in training; returns why training stopped (divergence), else None."""
        if self.code is None:
            reason = self.stack.step()
            if self.stack.done:
                self.code = self._code_trainer()
            return reason
        if not self.done:
            self.code.train_epoch()
            if not np.isfinite(self.code.errors[-1]):
                return "the code layer diverged (NaN or Inf); try a smaller learning rate"
        return None

    def layers(self) -> list[RBM]:
        """Copies of every layer so far, the one in training included."""
        if self.code is None:
            return self.stack.dbn().layers
        below = [m.copy() for m in self.stack.layers] if self.stack else []
        return [*below, self.code.model.copy()]

    def errors(self) -> list[np.ndarray]:
        """Each layer's reconstruction error per epoch so far."""
        out = [np.array(h.reconstruction_error) for h in self.stack.dbn().histories] if self.stack else []
        return [*out, np.array(self.code.errors)] if self.code else out

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, arrays = {"stack": None, "code": None}, {}
        if self.stack:
            state["stack"], stacked = self.stack.checkpoint()
            arrays |= {f"stack/{k}": v for k, v in stacked.items()}
        if self.code:
            state["code"], code = self.code.checkpoint()
            arrays |= {f"code/{k}": v for k, v in code.items()}
        return state, arrays

    def restore(self, state: object, arrays: dict[str, np.ndarray]) -> None:
        """Continue from ``checkpoint()`` of a pre-trainer of the same settings; ValueError changes nothing."""
        if not isinstance(state, dict) or set(state) != {"stack", "code"}:
            raise ValueError("the pre-training state must have exactly 'stack' and 'code'")
        other = Pretrainer.__new__(Pretrainer)
        other.__dict__ |= self.__dict__
        if self.stack is not None:
            other.stack = StackTrainer.__new__(StackTrainer)
            other.stack.__dict__ |= self.stack.__dict__
            other.stack.restore(state["stack"], {k[6:]: v for k, v in arrays.items() if k.startswith("stack/")})
        other.code = None
        if state["code"] is not None:
            if other.stack is not None and not other.stack.done:
                raise ValueError("the file has a code layer before the layers below it were trained")
            other.code = other._code_trainer()
            other.code.restore(state["code"], {k[5:]: v for k, v in arrays.items() if k.startswith("code/")})
        elif other.stack is None or other.stack.done:
            raise ValueError("the file lacks the code layer's training state")
        self.__dict__ |= other.__dict__
