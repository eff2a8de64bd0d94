"""A text written after a prompt, kept step by step for showing: at each step the distribution the character
was drawn from (its likeliest entries), and beside it the beam search of the same prompt and greedy search's
path, for the tree of hypotheses."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from engine import decoding
from engine.blas_threads import one_blas_thread
from engine.decoding import BeamResult
from engine.language.generate import next_logits, stepper
from engine.language.model import LanguageModelSpec

STRATEGIES = ("greedy", "sample", "beam")
BARS = 20  # entries of each step's distribution kept


class Writing(NamedTuple):
    """``ids`` (n,) written after ``prompt``; ``top_ids``, ``top_probs`` (n, BARS) the likeliest entries of the
    distribution step t chose from (the sampler's, after temperature, top-k and top-p; for greedy and beam
    search the model's), best first; ``chosen_prob`` (n,) the probability of the character written; ``beam`` a
    beam search of the prompt (its ``tree``), ``greedy`` greedy search's ids (the path the tree marks)."""

    prompt: np.ndarray
    ids: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    chosen_prob: np.ndarray
    beam: BeamResult
    greedy: np.ndarray


def _top(p: np.ndarray, bars: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``bars`` likeliest entries, best first (ties: the lower id first), without sorting all of ``p``: a
    full sort per character was a third of writing's time at a vocabulary of 10,000."""
    if bars < p.size:
        p_low = np.partition(p, p.size - bars)[p.size - bars]
        candidates = np.flatnonzero(p >= p_low)  # every entry tied with the bars-th too, in id order
        order = candidates[np.argsort(-p[candidates], kind="stable")][:bars]
    else:
        order = np.argsort(-p, kind="stable")[:bars]
    return order, p[order]


def write(spec: LanguageModelSpec, params: dict[str, np.ndarray], prompt_ids: np.ndarray, steps: int,
          strategy: str = "sample", temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0,
          width: int = 5, length_penalty: float = 0.0, seed: int = 0, bars: int = BARS) -> Writing:  # fmt: skip
    """``steps`` characters after ``prompt_ids`` by ``strategy`` (one of STRATEGIES); sampling draws exactly what
    ``engine.language.sample`` draws with the same arguments."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    logits, state = next_logits(spec, params, prompt_ids)
    step = stepper(spec, params)  # its weights prepared once for the three searches
    with one_blas_thread():
        beam = decoding.beam_search(logits, state, step, steps, width=width, length_penalty=length_penalty)
        best_greedy = decoding.greedy(logits, state, step, steps)
    if strategy == "beam":
        ids = beam.sequences[0]
        temperature, top_k, top_p = 1.0, 0, 1.0  # the model's own distribution along the best beam
    elif strategy == "greedy":
        ids, temperature = best_greedy, 0.0
    else:
        ids = None
    rng, one = np.random.default_rng(seed), np.zeros(1, np.int64)
    written, tops, probs, chosen = [], [], [], []
    with one_blas_thread():
        for t in range(steps):
            p = decoding.probabilities(logits, max(temperature, 0.0), top_k, top_p)
            token = int(ids[t]) if ids is not None else decoding.draw(logits, rng, temperature, top_k, top_p)
            if temperature == 0.0:  # the greedy choice, with the model's distribution shown
                p = decoding.probabilities(logits)
            top, top_p_values = _top(p, bars)
            written.append(token)
            tops.append(top)
            probs.append(top_p_values)
            chosen.append(p[token])
            if t < steps - 1:
                logits, state = step(state, one, np.array([token]))
                logits = logits[0]
    return Writing(np.asarray(prompt_ids, np.int64), np.array(written, np.int64), np.array(tops),
                   np.array(probs), np.array(chosen), beam, best_greedy)  # fmt: skip
