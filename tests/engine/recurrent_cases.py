"""Every cell and variant, single and stacked-bidirectional, as small networks for the tests."""

import numpy as np

from engine.recurrent import VARIANTS, RecurrentSpec

ALL_CELLS = [(cell, variant) for cell, variants in VARIANTS.items() for variant in variants]
SHAPES = [(1, False), (2, True)]
CASES = [(c, v, layers, bi) for c, v in ALL_CELLS for layers, bi in SHAPES]
IDS = [f"{c}-{v}-L{layers}{'-bi' if bi else ''}" for c, v, layers, bi in CASES]


def small_spec(cell, variant, layers, bi, input_size=3, hidden=4) -> RecurrentSpec:
    return RecurrentSpec(
        cell=cell, input_size=input_size, hidden_size=hidden, num_layers=layers, bidirectional=bi, variant=variant
    )


def random_inputs(spec: RecurrentSpec, T=5, B=3, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, B, spec.input_size)).astype(dtype)
    LD = spec.num_layers * spec.directions
    h0 = rng.normal(size=(LD, B, spec.hidden_size)).astype(dtype) * 0.5
    c0 = rng.normal(size=(LD, B, spec.hidden_size)).astype(dtype) * 0.5 if spec.cell == "lstm" else None
    return x, h0, c0
