"""Models made of named parts: an embedding, a recurrent network, an output layer; an encoder, an attention, a
decoder. Every parameter lives in one flat dict under its full name, and the part it belongs to is told by the
name's prefix, as in PyTorch's state_dict of a module with those attributes ("head.weight" is the weight of the
part ``head``). The optimizer, clipping and checkpoints see the flat dict; each part's code gets its own
parameters under the rest of their names (``weight_ih_l0``), as the part's own state_dict would name them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def part_of(name: str, parts: Mapping[str, str]) -> str:
    """The part a parameter belongs to: the one with the longest prefix of ``name`` (an empty prefix takes
    whatever no other part claims, e.g. the recurrent lab's network under PyTorch's bare names)."""
    matches = [(len(prefix), part) for part, prefix in parts.items() if name.startswith(prefix)]
    if not matches:
        raise ValueError(f"parameter {name!r} belongs to no part ({', '.join(parts)})")
    return max(matches)[1]


def split_parts(params: Mapping[str, np.ndarray], parts: Mapping[str, str]) -> dict[str, dict[str, np.ndarray]]:
    """{part: {name without the part's prefix: array}} for every part (empty dicts for parts with none)."""
    out: dict[str, dict[str, np.ndarray]] = {part: {} for part in parts}
    for name, value in params.items():
        part = part_of(name, parts)
        out[part][name[len(parts[part]) :]] = value
    return out


def join_parts(named: Mapping[str, Mapping[str, np.ndarray]], parts: Mapping[str, str]) -> dict[str, np.ndarray]:
    """The inverse of ``split_parts``: one flat dict under the full names."""
    return {parts[part] + name: value for part, values in named.items() for name, value in values.items()}
