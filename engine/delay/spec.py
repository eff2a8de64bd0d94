"""What a delay network is: a time-delay network (TDNN), an autoregressive model AR(K) or a NARX model, with
the sizes and parameter names of its part of the recurrent lab's model (the output layer is the lab's head).

Memory without recurrence (the course's first answers to "how does a network remember?"):

- TDNN (Waibel et al. 1989): each layer sees a window of the last ``window`` frames of the layer below,
  h^l_t = tanh(b + Σ_k W_k h^(l−1)_(t−k)), k = 0 … window − 1, the same weights at every t: a causal 1-D
  convolution over time (PyTorch's ``Conv1d`` weight shape (H, In, window), frame t−k under W[:, :, window−1−k]).
- AR(K): one linear window, y_t = w_0 + Σ_k w_k y_(t−k) when the input is the series itself.
- NARX (Lin, Horne, Tiňo & Giles 1996): h_t = tanh(W_x [x_t … x_(t−Kx+1)] + W_y [y_(t−1) … y_(t−Ky)] + b) and
  y_t the output layer's prediction from h_t, fed back through a delay line of ``output_delays`` steps; trained
  closed-loop (its own past outputs) or teacher-forced (the true past outputs).

``window``, ``input_delays`` and ``output_delays`` count taps: each is at least 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory

MODELS = ("tdnn", "narx", "ar")
FEEDBACK = ("closed", "teacher")
ACTIVATIONS = {"tdnn": "tanh", "narx": "tanh", "ar": "identity"}
OUTPUT_ACTIVATIONS = ("softmax", "sigmoid", "identity")
MAX_UNITS = 65536
MAX_DELAY = 10_000


def _whole(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


@dataclass(frozen=True)
class DelaySpec:
    """A delay network's architecture. ``cell`` names the model (as ``RecurrentSpec.cell`` names the cell, so
    that the recurrent lab's views read either); ``output_size`` and ``output_activation`` are NARX's fed-back
    outputs (the head's classes and activation)."""

    cell: str = "tdnn"
    input_size: int = 1
    hidden_size: int = 8
    num_layers: int = 1
    window: int = 3
    input_delays: int = 2
    output_delays: int = 2
    output_size: int = 1
    output_activation: str = "identity"
    feedback: str = "closed"

    def __post_init__(self) -> None:
        if self.cell not in MODELS:
            raise ValueError(f"unknown delay model {self.cell!r}; choose one of {', '.join(MODELS)}")
        for name in ("input_size", "hidden_size", "output_size"):
            _whole(name, getattr(self, name), 1, MAX_UNITS)
        _whole("num_layers", self.num_layers, 1, 16)
        if self.cell != "tdnn" and self.num_layers != 1:
            raise ValueError(f"{self.cell.upper()} has one layer, not {self.num_layers}")
        names = {"tdnn": ("window",), "ar": ("window",), "narx": ("input_delays", "output_delays")}[self.cell]
        for name in names:
            value = getattr(self, name)
            if isinstance(value, int | np.integer) and not isinstance(value, bool) and value < 1:
                raise ValueError(f"{self.label} needs a {name.replace('_', ' ')} of at least 1 step, not {value}")
            _whole(name, value, 1, MAX_DELAY)
        if self.output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"unknown output activation {self.output_activation!r}")
        if self.feedback not in FEEDBACK:
            raise ValueError(f"NARX feedback must be one of {', '.join(FEEDBACK)}, not {self.feedback!r}")

    # what the recurrent lab's views read of a spec
    variant = "standard"
    bidirectional = False
    directions = 1
    dropout = 0.0
    has_forget_gate = False

    @property
    def label(self) -> str:
        return {"tdnn": "TDNN", "narx": "NARX", "ar": f"AR({self.window})"}[self.cell]

    @property
    def gates(self) -> tuple[str, ...]:
        """One block of activations per layer, named by the model (``LayerTrace.gate``)."""
        return (self.cell,)

    @property
    def gate_count(self) -> int:
        return 1

    @property
    def activation(self) -> str:
        return ACTIVATIONS[self.cell]

    @property
    def taps(self) -> int:
        """Input frames each first-layer unit sees."""
        return self.input_delays if self.cell == "narx" else self.window

    def reach(self) -> int:
        """How many steps back (the current one included) the output at t can see of the input, without the
        feedback: a TDNN's stacked windows, L·(K − 1) + 1; NARX's input window (its feedback reaches further)."""
        return self.num_layers * (self.window - 1) + 1 if self.cell == "tdnn" else self.taps

    def layer_input_size(self, layer: int) -> int:
        return self.input_size if layer == 0 else self.hidden_size

    def check_steps(self, T: int) -> None:
        """Refuse a window or delay line longer than a sequence of T steps."""
        for name in ("window",) if self.cell != "narx" else ("input_delays", "output_delays"):
            value = getattr(self, name)
            if value > T:
                raise ValueError(f"{self.label}'s {name.replace('_', ' ')} of {value} steps is longer than the "
                                 f"sequence ({T} steps)")  # fmt: skip
        if self.cell == "narx" and self.feedback == "closed" and self.output_delays >= T:
            raise ValueError(f"NARX closed-loop needs outputs of its own to feed back: with {self.output_delays} "
                             f"output delays on {T} steps it has none before the sequence ends")  # fmt: skip

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """TDNN, AR: ``weight_l{l}`` (H, In, window) and ``bias_l{l}``; NARX: ``weight_x`` (H, In, Kx),
        ``weight_y`` (H, output_size, Ky) and ``bias``."""
        H = self.hidden_size
        if self.cell == "narx":
            return {"weight_x": (H, self.input_size, self.input_delays),
                    "weight_y": (H, self.output_size, self.output_delays), "bias": (H,)}  # fmt: skip
        shapes: dict[str, tuple[int, ...]] = {}
        for layer in range(self.num_layers):
            shapes[f"weight_l{layer}"] = (H, self.layer_input_size(layer), self.window)
            shapes[f"bias_l{layer}"] = (H,)
        return shapes

    def param_count(self) -> int:
        return sum(int(np.prod(shape)) for shape in self.param_shapes().values())

    def describe(self) -> str:
        if self.cell == "narx":
            return (f"NARX, {self.hidden_size} units, {self.input_delays} input and {self.output_delays} output "
                    f"delays, {self.feedback}-loop")  # fmt: skip
        layers = f"{self.num_layers} layer{'s' if self.num_layers > 1 else ''}"
        return f"{self.label}, {layers} × {self.hidden_size} units, window {self.window}"


def init_params(spec: DelaySpec, seed: int = 0, dtype: type | np.dtype = np.float32) -> dict[str, np.ndarray]:
    """PyTorch's default for ``Conv1d`` and ``Linear``: uniform in ±1/√fan_in, fan_in = inputs × taps."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, not {dtype}")
    check_memory(spec.param_count() * (dtype.itemsize + 8), f"the parameters ({spec.describe()})")
    rng = np.random.default_rng(seed)
    shapes = spec.param_shapes()
    weights = [name for name in shapes if name.startswith("weight")]
    fan_in = {name: sum(int(np.prod(shapes[w][1:])) for w in weights if _bias_of(w) == _bias_of(name))
              for name in shapes}  # fmt: skip
    return {name: rng.uniform(-1, 1, shape).astype(dtype) / np.sqrt(fan_in[name]).astype(dtype)
            for name, shape in shapes.items()}  # fmt: skip


def _bias_of(name: str) -> str:
    """The layer a parameter belongs to ("" for NARX's single layer)."""
    return name.rsplit("_l", 1)[1] if "_l" in name else ""
