"""Why gradients vanish or explode: the recurrent matrices' singular values and spectral radii.

Backpropagating through h_t = φ(W_hh h_{t-1} + …) multiplies the gradient by diag(φ′)·W_hhᵀ at every step,
so over k steps its size scales roughly with the largest singular value of W_hh to the k-th power.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.recurrent.spec import RecurrentSpec, suffix


@dataclass
class BlockSpectrum:
    """One gate's H × H block of W_hh: its name, singular values (descending) and spectral radius."""

    layer: int
    direction: int
    gate: str
    singular_values: np.ndarray
    spectral_radius: float


def recurrent_spectrum(spec: RecurrentSpec, params: dict[str, np.ndarray]) -> list[BlockSpectrum]:
    """Every gate block of every layer's and direction's recurrent matrix."""
    H = spec.hidden_size
    out = []
    for layer in range(spec.num_layers):
        for d in range(spec.directions):
            W = np.asarray(params[f"weight_hh{suffix(layer, d)}"], np.float64)
            for k, gate in enumerate(spec.gates):
                block = W[k * H : (k + 1) * H]
                sv = np.linalg.svd(block, compute_uv=False)
                radius = float(np.abs(np.linalg.eigvals(block)).max())
                out.append(BlockSpectrum(layer, d, gate, sv, radius))
    return out
