"""The deep autoencoder against PCA and random initialisation on held-out digits, at several code sizes (the
shape of Hinton & Salakhutdinov's figures; errors, not speed)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from engine.autoencoder.figures import PUBLISHED_30D, held_out_errors


def run(quick: bool = False) -> Iterator[str]:
    yield "## Deep autoencoder: held-out squared error per image (9×9 digits in six faces, 600 train, 200 test)"
    yield "published, MNIST test, 30-D: " + ", ".join(f"{k} {v:.2f}" for k, v in PUBLISHED_30D.items())
    yield "| code | pre-trained autoencoder | same net, random init | PCA | seconds |"
    yield "|---:|---:|---:|---:|---:|"
    for code in (2, 6) if quick else (2, 6, 10, 30):
        start = time.perf_counter()
        e = held_out_errors(code)
        yield (f"| {code} | {e['pretrained']:.2f} | {e['random']:.2f} | {e['pca']:.2f} | "
               f"{time.perf_counter() - start:.1f} |")  # fmt: skip
