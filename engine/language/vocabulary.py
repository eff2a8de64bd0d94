"""The characters a language model knows: every distinct Unicode character of a text (Chinese ones too)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SHOWN = 10  # unknown characters named in a message, at most


class Vocabulary:
    """Characters and their ids: ``len(vocab)``, ``encode(text)`` (n,) int64, ``decode(ids)`` str."""

    def __init__(self, chars: Sequence[str]) -> None:
        chars = tuple(chars)
        if not chars:
            raise ValueError("a vocabulary needs at least one character")
        if any(not isinstance(c, str) or len(c) != 1 for c in chars):
            raise ValueError("a vocabulary's entries must be single characters")
        if len(set(chars)) != len(chars):
            raise ValueError("a vocabulary's characters must all differ")
        self.chars = chars
        self.index = {c: i for i, c in enumerate(chars)}
        points = _code_points("".join(chars))
        self._by_point = np.argsort(points, kind="stable")  # ids in code-point order, for ``encode``
        self._sorted_points = points[self._by_point]

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """Every distinct character of ``text``, in code-point order."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, not {type(text).__name__}")
        if not text:
            raise ValueError("the text is empty: a vocabulary needs at least one character")
        return cls(sorted(set(text)))

    def __len__(self) -> int:
        return len(self.chars)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self.chars == other.chars

    def __hash__(self) -> int:
        return hash(self.chars)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} characters)"

    def encode(self, text: str) -> np.ndarray:
        """(len(text),) the ids of ``text``'s characters; a character the vocabulary lacks is refused by name.
        By code point, vectorised: a text of 200,000 characters in milliseconds, not a Python loop's 0.1 s."""
        points = _code_points(text)
        where = np.minimum(np.searchsorted(self._sorted_points, points), len(self) - 1)
        known = self._sorted_points[where] == points
        if not known.all():
            unknown = sorted({text[i] for i in np.flatnonzero(~known)})
            named = ", ".join(repr(c) for c in unknown[:SHOWN]) + (", …" if len(unknown) > SHOWN else "")
            raise ValueError(f"the text has {len(unknown)} character(s) not in the vocabulary: {named}")
        return self._by_point[where].astype(np.int64)

    def decode(self, ids) -> str:
        """The characters of ``ids`` (any shape of whole numbers below len(vocab)), joined in order."""
        ids = np.asarray(ids)
        if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids must be whole numbers from 0 to {len(self) - 1}")
        return "".join(self.chars[i] for i in ids.ravel().tolist())


def _code_points(text: str) -> np.ndarray:
    """(len(text),) uint32: each character's code point (lone surrogates too, as Python keeps them)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
