"""What a recurrent network is: its cell, sizes and parameter names (PyTorch's, so weights move unchanged)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory

CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")
VARIANTS = {
    "rnn_tanh": ("standard",),
    "rnn_relu": ("standard",),
    "lstm": ("standard", "no_forget", "peephole", "coupled"),
    "gru": ("reset_after", "reset_before"),
}
FORGET_GATE_VARIANTS = ("standard", "peephole")  # LSTMs whose forget gate has weights of its own
GATE_NAMES = {"rnn_tanh": ("h̃",), "rnn_relu": ("h̃",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
MAX_UNITS = 65536
MAX_FORGET_BIAS = 20.0  # σ(20) is 1 in float32: beyond it a bias means nothing more


@dataclass(frozen=True)
class RecurrentSpec:
    """A recurrent network's architecture.

    ``dropout`` is applied in training to every layer's input (the non-recurrent connections); with
    ``variational_dropout`` one mask is drawn per sequence and reused at every time step (Gal & Ghahramani).
    """

    cell: str = "lstm"
    input_size: int = 1
    hidden_size: int = 32
    num_layers: int = 1
    bidirectional: bool = False
    variant: str = ""
    dropout: float = 0.0
    variational_dropout: bool = False

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"unknown cell {self.cell!r}; choose one of {', '.join(CELLS)}")
        if not self.variant:
            object.__setattr__(self, "variant", VARIANTS[self.cell][0])
        if self.variant not in VARIANTS[self.cell]:
            raise ValueError(
                f"unknown variant {self.variant!r} for {self.cell}; choose one of {', '.join(VARIANTS[self.cell])}"
            )
        for name in ("input_size", "hidden_size", "num_layers"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or not 1 <= value <= MAX_UNITS:
                raise ValueError(f"{name} must be a whole number from 1 to {MAX_UNITS}, not {value!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), not {self.dropout}")

    @property
    def has_forget_gate(self) -> bool:
        """An LSTM whose forget gate has weights of its own (not ``no_forget``, not ``coupled``'s 1 − i)."""
        return self.cell == "lstm" and self.variant in FORGET_GATE_VARIANTS

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def gates(self) -> tuple[str, ...]:
        """Names of the gate blocks, in PyTorch's order."""
        return GATE_NAMES[self.cell]

    @property
    def gate_count(self) -> int:
        return len(self.gates)

    def layer_input_size(self, layer: int) -> int:
        return self.input_size if layer == 0 else self.directions * self.hidden_size

    def param_count(self) -> int:
        """How many numbers the parameters hold, known before any is allocated."""
        return sum(int(np.prod(shape)) for shape in self.param_shapes().values())

    def describe(self) -> str:
        """e.g. "lstm, 2 layers × 128 units, bidirectional", for messages."""
        layers = f"{self.num_layers} layer{'s' if self.num_layers > 1 else ''}"
        return f"{self.cell}, {layers} × {self.hidden_size} units" + (", bidirectional" if self.bidirectional else "")

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every parameter's name and shape: PyTorch's names, plus ``peephole_{i,f,o}_l{k}`` for peepholes."""
        G, H = self.gate_count * self.hidden_size, self.hidden_size
        shapes: dict[str, tuple[int, ...]] = {}
        for layer in range(self.num_layers):
            for direction in range(self.directions):
                sfx = suffix(layer, direction)
                shapes[f"weight_ih{sfx}"] = (G, self.layer_input_size(layer))
                shapes[f"weight_hh{sfx}"] = (G, H)
                shapes[f"bias_ih{sfx}"] = (G,)
                shapes[f"bias_hh{sfx}"] = (G,)
                if self.variant == "peephole":
                    for gate in "ifo":
                        shapes[f"peephole_{gate}{sfx}"] = (H,)
        return shapes


def suffix(layer: int, direction: int) -> str:
    """PyTorch's parameter-name suffix: ``_l0``, ``_l0_reverse``, ..."""
    return f"_l{layer}" + ("_reverse" if direction else "")


def init_params(
    spec: RecurrentSpec, seed: int = 0, dtype: type | np.dtype = np.float32, forget_bias: float = 0.0
) -> dict[str, np.ndarray]:
    """PyTorch's default initialisation: every parameter uniform in ±1/√H.

    ``forget_bias`` b (LSTM with a forget gate) starts the forget gate's bias at b instead: ``bias_ih``'s
    forget block is b and ``bias_hh``'s zero, so that f = σ(W x + U h + b). With b = 1 a new LSTM keeps most
    of its cell state from step to step and gradients reach far back from the start (Gers et al. 2000;
    Jozefowicz et al. 2015; Keras' ``unit_forget_bias``).
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, not {dtype}")
    number = isinstance(forget_bias, int | float | np.floating) and not isinstance(forget_bias, bool)
    if not number or not abs(forget_bias) <= MAX_FORGET_BIAS:
        raise ValueError(f"forget_bias must be a number within ±{MAX_FORGET_BIAS:g}, not {forget_bias!r}")
    if forget_bias and not spec.has_forget_gate:
        raise ValueError(f"forget_bias needs an LSTM with a forget gate of its own, not {spec.cell} {spec.variant}")
    # every parameter is drawn in float64 and then converted: both copies of the largest exist at once
    largest = max(int(np.prod(shape)) for shape in spec.param_shapes().values())
    check_memory(spec.param_count() * dtype.itemsize + largest * 8, f"the parameters ({spec.describe()})")
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(spec.hidden_size)
    params = {name: rng.uniform(-bound, bound, shape).astype(dtype) for name, shape in spec.param_shapes().items()}
    if spec.has_forget_gate and forget_bias:
        H = spec.hidden_size
        for name, b in params.items():
            if name.startswith("bias_ih"):
                b[H : 2 * H] = forget_bias
            elif name.startswith("bias_hh"):
                b[H : 2 * H] = 0.0
    return params
