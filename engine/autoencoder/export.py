"""An autoencoder's held-out codes and reconstructions beside PCA's, as arrays and as a table, for
``engine.export``.

Arrays: ``codes``, ``pca_codes`` ``(images, code)``, ``labels`` ``(images,)``, ``originals``, ``reconstructions``,
``pca_reconstructions`` ``(examples, pixels)``. CSV: one row per held-out image and code unit:
``image,label,unit,code,pca_code``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine.export import Table, TraceFormat


class AutoencoderTrace(NamedTuple):
    codes: np.ndarray
    pca_codes: np.ndarray
    labels: np.ndarray
    originals: np.ndarray
    reconstructions: np.ndarray
    pca_reconstructions: np.ndarray


def autoencoder_arrays(trace: AutoencoderTrace) -> dict[str, np.ndarray]:
    return {name: np.ascontiguousarray(a) for name, a in trace._asdict().items()}


def autoencoder_table(trace: AutoencoderTrace) -> Table:
    image, unit = (a.ravel() for a in np.indices(trace.codes.shape))
    header = ["image", "label", "unit", "code", "pca_code"]
    return header, [image, trace.labels[image], unit, trace.codes.ravel(), trace.pca_codes.ravel()]


FORMAT = TraceFormat(autoencoder_arrays, autoencoder_table)
