"""What an encoder–decoder is: its sizes, its attention, and its parameters' names and shapes.

Parameters under the names of a PyTorch module with attributes ``src_embedding``, ``tgt_embedding``
(nn.Embedding), ``encoder`` and ``decoder`` (nn.GRU / nn.LSTM / nn.RNN), ``attention``, ``combine`` (W_c of
Luong's attentional hidden state, nn.Linear(2H, H, bias=False)) and ``head`` (nn.Linear):

- ``attention="general"``: ``attention.weight`` (H, H), score(h_t, h̄_s) = h_tᵀ W_a h̄_s (Luong et al. 2015);
- ``attention="additive"``: ``attention.query.weight``, ``attention.key.weight`` (H, H) and
  ``attention.v.weight`` (1, H), score = vᵀ tanh(W h_t + U h̄_s) (Bahdanau et al. 2015);
- ``attention="dot"``: no weights, score = h_tᵀ h̄_s; ``"none"``: no attention, the encoder's final state
  starts the decoder and is all it knows of the source (Sutskever et al. 2014; Cho et al. 2014).

A bidirectional encoder has H/2 units per direction (as OpenNMT's), so that its annotations h̄_s = [→h_s; ←h_s]
and the decoder's states have the same H units and its two final states, side by side, start the decoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from engine.checks import check_memory
from engine.recurrent.parts import join_parts
from engine.recurrent.spec import MAX_UNITS, RecurrentSpec, init_params

PAD, BOS, EOS = 0, 1, 2
SPECIALS = 3
ATTENTIONS = ("none", "dot", "general", "additive")
PARTS = {
    "src_embedding": "src_embedding.",
    "tgt_embedding": "tgt_embedding.",
    "encoder": "encoder.",
    "decoder": "decoder.",
    "attention": "attention.",
    "combine": "combine.",
    "head": "head.",
}


@dataclass(frozen=True)
class Seq2SeqSpec:
    """An encoder–decoder of ``src_vocab`` → ``tgt_vocab`` tokens (ids 0, 1, 2 being PAD, BOS, EOS in both).

    ``attentional_hidden``: the head reads Luong's h̃_t = tanh(W_c [c_t; h_t]) (else [c_t; h_t] itself);
    ``input_feeding``: the decoder reads [embedding(y_{t−1}); h̃_{t−1}] (Luong's input feeding, so that it knows
    where it looked before); ``reverse_source``: the encoder reads each source backwards (Sutskever et al.),
    its annotations put back in the source's order so that attention is drawn over the source as written.
    """

    src_vocab: int
    tgt_vocab: int
    embedding_dim: int = 32
    cell: str = "gru"
    hidden_size: int = 64
    num_layers: int = 1
    bidirectional_encoder: bool = False
    attention: str = "additive"
    attentional_hidden: bool = True
    input_feeding: bool = False
    reverse_source: bool = False

    def __post_init__(self) -> None:
        for name in ("src_vocab", "tgt_vocab", "embedding_dim"):
            value = getattr(self, name)
            low = SPECIALS + 1 if name != "embedding_dim" else 1
            if not isinstance(value, int | np.integer) or not low <= value <= MAX_UNITS:
                raise ValueError(f"{name} must be a whole number from {low} to {MAX_UNITS}, not {value!r}")
        if self.attention not in ATTENTIONS:
            raise ValueError(f"unknown attention {self.attention!r}; choose one of {', '.join(ATTENTIONS)}")
        if self.bidirectional_encoder and self.hidden_size % 2:
            raise ValueError(f"a bidirectional encoder needs an even hidden_size (H/2 per direction), "
                             f"not {self.hidden_size}")  # fmt: skip
        if self.input_feeding and self.attention == "none":
            raise ValueError("input feeding feeds the attention's output back: it needs an attention")
        _ = self.encoder, self.decoder  # the networks' own checks

    @cached_property
    def encoder(self) -> RecurrentSpec:
        H = self.hidden_size // 2 if self.bidirectional_encoder else self.hidden_size
        return RecurrentSpec(self.cell, self.embedding_dim, H, self.num_layers, self.bidirectional_encoder)

    @cached_property
    def decoder(self) -> RecurrentSpec:
        feed = self.features if self.input_feeding else 0
        return RecurrentSpec(self.cell, self.embedding_dim + feed, self.hidden_size, self.num_layers, False)

    @property
    def features(self) -> int:
        """What the head reads per step: h_t without attention, h̃_t, or [c_t; h_t]."""
        if self.attention == "none" or self.attentional_hidden:
            return self.hidden_size
        return 2 * self.hidden_size

    @property
    def spec(self) -> RecurrentSpec:
        """The decoder: the network the recurrent lab's views would show (``Trainer.spec``)."""
        return self.decoder

    @property
    def parts(self) -> dict[str, str]:
        return dict(PARTS)

    @property
    def name(self) -> str:
        return "encoder–decoder"

    def describe(self) -> str:
        direction = "bidirectional " if self.bidirectional_encoder else ""
        layers = f"{self.num_layers} layer{'s' if self.num_layers > 1 else ''}"
        return (f"an encoder–decoder ({direction}{self.cell}, {layers} × {self.hidden_size} units, "
                f"attention {self.attention})")  # fmt: skip

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        H, E = self.hidden_size, self.embedding_dim
        shapes = {"src_embedding.weight": (self.src_vocab, E), "tgt_embedding.weight": (self.tgt_vocab, E)}
        shapes.update({"encoder." + k: v for k, v in self.encoder.param_shapes().items()})
        shapes.update({"decoder." + k: v for k, v in self.decoder.param_shapes().items()})
        if self.attention == "general":
            shapes["attention.weight"] = (H, H)
        elif self.attention == "additive":
            shapes.update({"attention.query.weight": (H, H), "attention.key.weight": (H, H),
                           "attention.v.weight": (1, H)})  # fmt: skip
        if self.attention != "none" and self.attentional_hidden:
            shapes["combine.weight"] = (H, 2 * H)
        return shapes | {"head.weight": (self.tgt_vocab, self.features), "head.bias": (self.tgt_vocab,)}

    def param_count(self) -> int:
        return sum(int(np.prod(s)) for s in self.param_shapes().values())

    def init_params(self, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
        """PyTorch's initialisation: embeddings N(0, 1), the networks and linear layers uniform in ±1/√fan_in,
        the head's bias 0; each part from its own seed after ``seed``."""
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, not {dtype}")
        check_memory(self.param_count() * (dtype.itemsize + 8), f"the parameters of {self.describe()}")
        params = {}
        for k, name in enumerate(("src_embedding.weight", "tgt_embedding.weight")):
            shape = self.param_shapes()[name]
            params[name] = np.random.default_rng(seed + 2 + k).normal(size=shape).astype(dtype)
        params.update(join_parts({"encoder": init_params(self.encoder, seed, dtype),
                                  "decoder": init_params(self.decoder, seed + 1, dtype)}, PARTS))  # fmt: skip
        rng = np.random.default_rng(seed + 4)
        for name, shape in self.param_shapes().items():
            if name.startswith(("attention.", "combine.", "head.")) and name != "head.bias":
                bound = 1.0 / np.sqrt(shape[1])
                params[name] = rng.uniform(-bound, bound, shape).astype(dtype)
        params["head.bias"] = np.zeros(self.tgt_vocab, dtype)
        return params

    def check_params(self, params: dict[str, np.ndarray]) -> np.dtype:
        """Every parameter present with its shape, one floating dtype; returns it."""
        dtypes = set()
        for name, shape in self.param_shapes().items():
            if name not in params:
                raise ValueError(f"parameter {name} is missing for {self.describe()}")
            value = params[name]
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype.kind != "f":
                raise ValueError(f"parameter {name} must be a float array of shape {shape}")
            dtypes.add(value.dtype)
        if len(dtypes) > 1:
            raise ValueError(f"parameters mix dtypes {sorted(map(str, dtypes))}; use one of float32 or float64")
        return dtypes.pop()

    def loss_and_grads(self, params, src, src_lengths, tgt, tgt_lengths, *, train: bool = True, seed=None,
                       teacher_forcing: float = 1.0):  # fmt: skip
        """An ``Evaluation`` of the pairs for ``Trainer`` (``loss.evaluation``); coins for teacher forcing
        below 1 drawn from ``seed``."""
        from engine.seq2seq.loss import evaluation

        return evaluation(self, params, src, src_lengths, tgt, tgt_lengths, teacher_forcing=teacher_forcing,
                          seed=seed)  # fmt: skip


def init_model(spec: Seq2SeqSpec, seed: int = 0, dtype=np.float32) -> dict[str, np.ndarray]:
    """Every parameter of ``spec``'s model under its full name (``Seq2SeqSpec.param_shapes``)."""
    return spec.init_params(seed, dtype)
