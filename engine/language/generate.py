"""Reading a prompt and writing on: the next character's logits, sampling, greedy and beam search, all through
``engine.decoding`` with the language model's step."""

from __future__ import annotations

import numpy as np

from engine import decoding
from engine.blas_threads import one_blas_thread
from engine.decoding import BeamResult
from engine.language.model import LanguageModelSpec, State, final_state
from engine.language.step import Prepared, supported

PROMPT_CHUNK = 1024  # a long prompt is read in pieces of this many characters: its trace stays small


def _prompt(spec: LanguageModelSpec, prompt_ids) -> np.ndarray:
    ids = np.asarray(prompt_ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(f"prompt_ids must be a vector (n,) of whole numbers, not {ids.dtype} {ids.shape}")
    if ids.size == 0:
        raise ValueError("prompt_ids is empty: the model needs at least one character to predict the next")
    if ids.min() < 0 or ids.max() >= spec.vocab_size:
        raise ValueError(f"prompt_ids hold {ids.min()}..{ids.max()}; the model knows 0 to {spec.vocab_size - 1}")
    return ids.astype(np.int64)


def _advance(spec: LanguageModelSpec, params, ids: np.ndarray, state: State | None) -> tuple[np.ndarray, State]:
    """ids (T, K) read from ``state``: the logits (K, V) after the last step and the state after it."""
    trace = spec.run(params, ids, state)
    logits = trace.output[-1] @ params["head.weight"].T + params["head.bias"]
    return logits, final_state(trace)


def next_logits(spec: LanguageModelSpec, params: dict[str, np.ndarray], prompt_ids: np.ndarray,
                state: State | None = None) -> tuple[np.ndarray, State]:  # fmt: skip
    """The logits (V,) of the character after ``prompt_ids`` (n,), read from ``state`` (None: the zero state),
    and the state after the prompt: a prompt read in two pieces gives what it gives read whole."""
    ids = _prompt(spec, prompt_ids)
    for start in range(0, len(ids), PROMPT_CHUNK):
        logits, state = _advance(spec, params, ids[start : start + PROMPT_CHUNK, None], state)
    return logits[0], state


def stepper(spec: LanguageModelSpec, params: dict[str, np.ndarray]) -> decoding.Step:
    """The model's ``step`` for ``engine.decoding``: the rows ``parents`` of the state read ``tokens`` (K,);
    the weights prepared once (``step.Prepared``) for the cells it runs."""
    if supported(spec):
        return Prepared(spec, params)

    def step(state: State, parents: np.ndarray, tokens: np.ndarray) -> tuple[np.ndarray, State]:
        rows = State(state.h[:, parents], None if state.c is None else state.c[:, parents])
        return _advance(spec, params, tokens[None, :], rows)

    return step


def sample(spec: LanguageModelSpec, params: dict[str, np.ndarray], prompt_ids: np.ndarray, steps: int,
           temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0, seed: int | None = 0,
           end: int | None = None) -> np.ndarray:  # fmt: skip
    """(steps,) ids written after the prompt (fewer when ``end`` is written), each drawn from softmax(logits /
    temperature) cut to the top_k likeliest and to the top_p nucleus; temperature 0 is greedy search."""
    logits, state = next_logits(spec, params, prompt_ids)
    with one_blas_thread():
        return decoding.sample(logits, state, stepper(spec, params), steps, temperature=temperature, top_k=top_k,
                               top_p=top_p, seed=seed, end=end)  # fmt: skip


def greedy(spec: LanguageModelSpec, params: dict[str, np.ndarray], prompt_ids: np.ndarray, steps: int,
           end: int | None = None) -> np.ndarray:  # fmt: skip
    """(steps,) ids: the likeliest next character at every step."""
    logits, state = next_logits(spec, params, prompt_ids)
    with one_blas_thread():
        return decoding.greedy(logits, state, stepper(spec, params), steps, end=end)


def beam_search(spec: LanguageModelSpec, params: dict[str, np.ndarray], prompt_ids: np.ndarray, steps: int,
                width: int = 5, length_penalty: float = 0.0, end: int | None = None) -> BeamResult:  # fmt: skip
    """A ``decoding.BeamResult``: beam search of ``width`` for ``steps`` characters after the prompt,
    ``sequences`` best first, ``scores`` (sums of natural-log probabilities), ``tree``."""
    logits, state = next_logits(spec, params, prompt_ids)
    with one_blas_thread():
        return decoding.beam_search(logits, state, stepper(spec, params), steps, width=width,
                                    length_penalty=length_penalty, end=end)  # fmt: skip
