"""How well an encoder–decoder translates, free running: exact matches by source length (Bahdanau et al.
2015's figure: without attention, quality falls as sources grow longer)."""

from __future__ import annotations

import numpy as np

from engine.seq2seq.decode import free_running, until_end
from engine.seq2seq.spec import EOS, Seq2SeqSpec
from engine.seq2seq.tasks import Pairs

CHUNK = 256


def outputs(spec: Seq2SeqSpec, params, pairs: Pairs, max_len: int | None = None) -> list[str]:
    """Every source's greedy free-running translation, in chunks of ``CHUNK`` pairs."""
    max_len = max_len or max(len(t) for t in pairs.targets) + 2
    out: list[str] = []
    for start in range(0, len(pairs), CHUNK):
        src, src_lengths, _, _ = pairs.batch(range(start, min(start + CHUNK, len(pairs))))
        tokens, _ = free_running(spec, params, src, src_lengths, max_len)
        out += [pairs.tgt_alphabet.decode(until_end(tokens[:, b])) for b in range(tokens.shape[1])]
    return out


def exact_by_length(spec: Seq2SeqSpec, params, pairs: Pairs) -> dict[int, tuple[float, int]]:
    """{source length: (share of outputs equal to the target, pairs of that length)}."""
    right = np.array([o == t for o, t in zip(outputs(spec, params, pairs), pairs.targets, strict=True)])
    lengths = pairs.source_lengths()
    return {int(n): (float(right[lengths == n].mean()), int((lengths == n).sum())) for n in np.unique(lengths)}


def exact(spec: Seq2SeqSpec, params, pairs: Pairs) -> float:
    """The share of sources translated exactly right."""
    return float(np.mean([o == t for o, t in zip(outputs(spec, params, pairs), pairs.targets, strict=True)]))


__all__ = ["EOS", "exact", "exact_by_length", "outputs"]
