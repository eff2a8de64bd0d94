"""The deep autoencoder's public face: parameters, unrolling a pre-trained stack, codes and reconstructions, and
PCA at the same code size to compare with (Hinton & Salakhutdinov, Science 2006)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from engine.autoencoder import reference
from engine.checks import as_float_array, check_memory
from engine.rbm.model import RBM, require_positive_int

MAX_UNITS = 4096


@dataclass
class AutoEncoder:
    """``weights[:L]`` the encoder ``(n_l, n_{l+1})``, ``weights[L:]`` the decoder, mirror image; ``biases`` one per
    weight matrix. The code layer (the encoder's last) is linear; ``hidden`` and ``output`` say the others'
    activation ("logistic" or "linear")."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    hidden: str = "logistic"
    output: str = "logistic"

    @property
    def sizes(self) -> list[int]:
        """Units per layer from the data to the code: ``[n_visible, ..., code_size]``."""
        half = len(self.weights) // 2
        return [self.weights[0].shape[0], *(W.shape[1] for W in self.weights[:half])]

    @property
    def code_size(self) -> int:
        return self.sizes[-1]

    @property
    def encoder(self) -> list[np.ndarray]:
        return self.weights[: len(self.weights) // 2]

    @property
    def decoder(self) -> list[np.ndarray]:
        return self.weights[len(self.weights) // 2 :]

    def copy(self) -> AutoEncoder:
        return AutoEncoder([W.copy() for W in self.weights], [b.copy() for b in self.biases], self.hidden, self.output)


def check_sizes(sizes: object, n_visible: int | None = None) -> list[int]:
    """Layer sizes ``[n_visible, ..., code]`` as ints: at least two, each positive, none above ``MAX_UNITS``, the
    code no larger than the data."""
    if not isinstance(sizes, list | tuple) or len(sizes) < 2:
        raise ValueError(f"an autoencoder needs layer sizes from the data to the code, at least two, not {sizes!r}")
    for i, size in enumerate(sizes):
        require_positive_int(f"layer {i}'s size", size)
        if size > MAX_UNITS:
            raise ValueError(f"layer {i} has {size} units; the lab takes up to {MAX_UNITS}")
    if n_visible is not None and sizes[0] != n_visible:
        raise ValueError(f"the stack starts with {sizes[0]} units but the data have {n_visible} pixels")
    if sizes[-1] > sizes[0]:
        raise ValueError(f"a code of {sizes[-1]} units is larger than the data's {sizes[0]} pixels: nothing to learn")
    return [int(s) for s in sizes]


def random_init(sizes: list[int], seed: int = 0, scale: float = 0.1, hidden: str = "logistic",
                output: str = "logistic") -> AutoEncoder:  # fmt: skip
    """An autoencoder of ``sizes`` with weights ~ N(0, scale²) and zero biases, untied: the baseline that
    pre-training is measured against."""
    sizes = check_sizes(sizes)
    pairs = list(itertools.pairwise(sizes))
    check_memory(2 * sum(a * b for a, b in pairs) * 8, "the autoencoder's weights")
    rng = np.random.default_rng(seed)
    dims = [*pairs, *((b, a) for a, b in reversed(pairs))]
    return AutoEncoder([rng.normal(0.0, scale, d) for d in dims], [np.zeros(d[1]) for d in dims], hidden, output)


def unroll(layers: list[RBM]) -> AutoEncoder:
    """The encoder of a pre-trained stack (each RBM's W and hidden biases, bottom-up) and its decoder, the same
    weights transposed with the visible biases, top-down: tied now, free to part in fine-tuning."""
    if not layers:
        raise ValueError("unroll needs at least one pre-trained layer")
    for i in range(1, len(layers)):
        if layers[i].n_visible != layers[i - 1].n_hidden:
            raise ValueError(f"the stack's layer sizes do not chain: layer {i + 1} has {layers[i].n_visible} visible "
                             f"units, layer {i} has {layers[i - 1].n_hidden} hidden units")  # fmt: skip
    weights = [m.W.copy() for m in layers] + [m.W.T.copy() for m in reversed(layers)]
    biases = [m.b_hidden.copy() for m in layers] + [m.b_visible.copy() for m in reversed(layers)]
    return AutoEncoder(weights, biases)


def data_rows(name: str, data: object, n_visible: int | None = None) -> np.ndarray:
    """``data`` as ``(N, n_visible)`` float64 in [0, 1], or a ValueError naming the problem."""
    arr = as_float_array(name, data)
    if arr.ndim != 2 or arr.shape[0] == 0 or (n_visible is not None and arr.shape[1] != n_visible):
        want = "(images, pixels)" if n_visible is None else f"(images, {n_visible})"
        raise ValueError(f"{name} has shape {arr.shape}, expected {want}")
    if not np.isfinite(arr).all() or (arr < 0).any() or (arr > 1).any():
        raise ValueError(f"{name} must hold pixel values in [0, 1]")
    return np.ascontiguousarray(arr, np.float64)


def encode(ae: AutoEncoder, data: object) -> np.ndarray:
    """The codes of ``data: (N, n_visible)``: ``(N, code_size)``."""
    x = data_rows("data", data, ae.sizes[0])
    last = len(ae.encoder) - 1
    for layer, (W, b) in enumerate(zip(ae.encoder, ae.biases, strict=False)):
        z = x @ W + b
        x = reference.sigmoid(z) if layer < last and ae.hidden == "logistic" else z  # the code is linear
    return x


def reconstruct(ae: AutoEncoder, data: object) -> np.ndarray:
    """``data`` through the code and back: ``(N, n_visible)``."""
    x = data_rows("data", data, ae.sizes[0])
    return reference.forward(ae.weights, ae.biases, x, ae.hidden, ae.output)[-1]


def squared_error(data: np.ndarray, reconstruction: np.ndarray) -> float:
    """Squared error per image, Σ over pixels, mean over images: the paper's measure."""
    return float(np.sum((reconstruction - data) ** 2) / len(data))


class PCA(NamedTuple):
    """``mean: (n,)`` and ``components: (k, n)`` orthonormal rows, the directions of largest variance."""

    mean: np.ndarray
    components: np.ndarray

    def encode(self, data: np.ndarray) -> np.ndarray:
        return (data - self.mean) @ self.components.T

    def reconstruct(self, data: np.ndarray) -> np.ndarray:
        return self.encode(data) @ self.components + self.mean


def pca(data: object, k: int) -> PCA:
    """The first ``k`` principal components of ``data: (N, n)`` (by SVD of the centred data)."""
    x = data_rows("data", data)
    require_positive_int("the code size", k)
    if k > min(x.shape):
        raise ValueError(f"a code of {k} is larger than the data ({x.shape[0]} images of {x.shape[1]} pixels)")
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return PCA(mean, vt[:k].copy())
