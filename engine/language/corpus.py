"""A text to train a language model on: checked, its vocabulary, and split into training and held-out parts.

Refused with a message naming the problem: an empty text, one that looks binary (NUL or other control
characters), one with a single distinct character (there is nothing to predict), one too short to hold out a
part of, and one whose ids and batches would not fit the memory cap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from engine.checks import check_memory
from engine.language.vocabulary import Vocabulary

HELD_OUT = 0.1  # the last tenth of the text is held out
MIN_CHARACTERS = 20
ALLOWED_CONTROLS = "\n\r\t\f\v"
BYTES_PER_CHARACTER = 8 + 8 + 4  # its id, its place in the streams, and the text itself (UCS-4)


@dataclass(frozen=True)
class Corpus:
    """``text`` and its ``vocab``; ``train`` (n,) and ``held_out`` (m,) ids, the held-out part being the text's
    last ``HELD_OUT`` (whole lines when it can)."""

    name: str
    text: str
    vocab: Vocabulary
    train: np.ndarray
    held_out: np.ndarray


def check_text(text: str, name: str = "the text") -> None:
    """A ValueError naming what makes ``text`` unfit for a language model."""
    if not isinstance(text, str):
        raise ValueError(f"{name} must be text, not {type(text).__name__}")
    if not text:
        raise ValueError(f"{name} is empty: a language model needs text to read")
    check_memory(len(text) * BYTES_PER_CHARACTER, f"a text of {len(text):,} characters")
    distinct = set(text)
    controls = {c for c in distinct if unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS}
    if controls:
        named = ", ".join(f"U+{ord(c):04X}" for c in sorted(controls)[:5])
        raise ValueError(f"{name} looks binary, not text: it holds control characters ({named})")
    if len(distinct) == 1:
        raise ValueError(f"{name} is one character ({text[0]!r}) repeated: there is nothing to predict")
    if len(text) < MIN_CHARACTERS:
        raise ValueError(f"{name} has {len(text)} characters; a language model needs at least {MIN_CHARACTERS}")


def corpus(text: str, name: str = "the text", held_out: float = HELD_OUT) -> Corpus:
    """``text`` checked (``check_text``) and split; the vocabulary is every character of the whole text, so that
    the held-out part has none the model cannot name (those it never saw in training keep a small probability)."""
    check_text(text, name)
    text = text.replace("\r\n", "\n")
    vocab = Vocabulary.from_text(text)
    ids = vocab.encode(text)
    cut = int(len(text) * (1 - held_out))
    line = text.rfind("\n", int(cut * 0.9), cut)  # the held-out part from a line's start, if one is near
    cut = line + 1 if line > 0 else cut
    return Corpus(name, text, vocab, ids[:cut], ids[cut:])
