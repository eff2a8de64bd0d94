"""The language lab's sections of a session file, and their check on the way back. Qt-free.

Version 1:
- "settings": ``LanguageSettings``; "writing": ``WritingSettings``
- "text": the text's name; its characters are the array text/codepoints (uint32), a text of any size or script
- "trainer": ``Trainer.checkpoint()``'s scalars; its arrays param/… and optimizer/…
- "training": the chunk the streams stand at and the samples so far ([step, text] pairs); the state carried
  between chunks is the arrays state/h and state/c (absent at the start of an epoch), the history history/…
"""

from __future__ import annotations

import numpy as np

from app.sessions.language import HISTORY, LanguageSettings, TrainingState, WritingSettings
from app.sessions.settings import settings_from_json, settings_to_json
from app.sessions.state import integer, prefixed, refuse_unknown, required, value, with_prefix
from engine.language.corpus import Corpus, corpus
from engine.language.model import State

VERSION = 1
SECTIONS = ("settings", "writing", "text", "trainer", "training")


def save(settings: LanguageSettings, writing: WritingSettings, text: Corpus,
         training: TrainingState) -> tuple[dict, dict[str, np.ndarray]]:  # fmt: skip
    state = {"settings": settings_to_json(settings), "writing": settings_to_json(writing),
             "text": {"name": text.name}, "trainer": training.trainer,
             "training": {"chunk": training.chunk, "samples": [[step, s] for step, s in training.samples]}}  # fmt: skip
    arrays = {"text/codepoints": np.frombuffer(text.text.encode("utf-32-le"), np.uint32).copy(),
              **training.trainer_arrays, **with_prefix("history/", training.history)}  # fmt: skip
    if training.state is not None:
        arrays["state/h"] = training.state.h
        if training.state.c is not None:
            arrays["state/c"] = training.state.c
    return state, arrays


def _text(state: dict, arrays: dict[str, np.ndarray]) -> Corpus:
    section = value(state, "text", dict, "the text section")
    refuse_unknown(section, ("name",), "text section")
    name = value(section, "name", str, "the text's name")
    points = required(arrays, "text/codepoints", 1, "iu")
    try:  # the decoder refuses what is not a code point: surrogates, numbers past U+10FFFF
        text = points.astype("<u4").tobytes().decode("utf-32-le")
    except (UnicodeDecodeError, OverflowError):
        raise ValueError("the text's characters are not all Unicode code points") from None
    return corpus(text, name)


def _samples(section: dict) -> list[tuple[int, str]]:
    samples = value(section, "samples", list, "the samples")
    if not all(isinstance(p, list) and len(p) == 2 and type(p[0]) is int and isinstance(p[1], str) for p in samples):
        raise ValueError("the samples must be [step, text] pairs")
    return [(step, text) for step, text in samples]


def load(state: dict, arrays: dict[str, np.ndarray]) -> tuple[LanguageSettings, WritingSettings, Corpus, TrainingState]:
    """Everything ``save`` wrote, checked for form (``LanguageSession.restore`` checks it fits the model)."""
    refuse_unknown(state, SECTIONS, "language session")
    settings = settings_from_json(LanguageSettings, state.get("settings"))
    writing = settings_from_json(WritingSettings, state.get("writing", {}), "writing settings")
    text = _text(state, arrays)
    section = value(state, "training", dict, "the training section")
    refuse_unknown(section, ("chunk", "samples"), "training section")
    chunk = integer(section, "chunk", 0, 2**40, "the chunk")
    history = {k: required(arrays, f"history/{k}", 1, "iuf").astype(np.float64) for k in HISTORY}
    unknown = sorted(set(prefixed(arrays, "history/")) - set(HISTORY))
    if unknown:
        raise ValueError(f"the training history has an unknown series {unknown[0]!r}")
    h, c = arrays.get("state/h"), arrays.get("state/c")
    carried = None
    if h is not None:
        h = required(arrays, "state/h", 3, "f")
        c = None if c is None else required(arrays, "state/c", 3, "f")
        carried = State(h.astype(np.float32), None if c is None else c.astype(np.float32))
    trainer = value(state, "trainer", dict, "the trainer section")
    trained = TrainingState(trainer, {k: v for k, v in arrays.items() if k.split("/")[0] in ("param", "optimizer")},
                            history, _samples(section), chunk, carried)  # fmt: skip
    return settings, writing, text, trained
