"""A language model's characters as points: the rows of its embedding matrix (or, for one-hot input, the
columns of the first layer's input weights, which play the same part), in 2-D by PCA, and a character's nearest
neighbours by cosine similarity."""

from __future__ import annotations

import numpy as np

from engine.language.model import LanguageModelSpec


def vectors(spec: LanguageModelSpec, params: dict[str, np.ndarray]) -> np.ndarray:
    """(V, E) one vector per character: ``embedding.weight``, or ``rnn.weight_ih_l0``'s columns."""
    if spec.embedding_dim:
        return np.asarray(params["embedding.weight"], np.float64)
    return np.asarray(params["rnn.weight_ih_l0"], np.float64).T


def pca(vectors: np.ndarray, components: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(V, components) the vectors centred and projected on their first principal axes (signs fixed so that each
    axis' largest entry is positive), and (components,) the share of the variance each explains."""
    X = vectors - vectors.mean(axis=0)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    k = min(components, Vt.shape[0])
    axes = Vt[:k] * np.sign(Vt[:k][np.arange(k), np.argmax(np.abs(Vt[:k]), axis=1)])[:, None]
    coords = np.zeros((len(X), components))
    coords[:, :k] = X @ axes.T
    variance = s**2
    share = np.zeros(components)
    share[:k] = variance[:k] / variance.sum() if variance.sum() > 0 else 0.0
    return coords, share


def nearest(vectors: np.ndarray, index: int, k: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` characters whose vectors are closest to character ``index``'s by cosine similarity (itself
    left out), most similar first: (ids, similarities)."""
    if not 0 <= index < len(vectors):
        raise ValueError(f"character {index} is not among the {len(vectors)}")
    norms = np.linalg.norm(vectors, axis=1)
    similarity = vectors @ vectors[index] / np.maximum(norms * norms[index], 1e-12)
    similarity[index] = -np.inf
    order = np.argsort(-similarity, kind="stable")[: min(k, len(vectors) - 1)]
    return order, similarity[order]
