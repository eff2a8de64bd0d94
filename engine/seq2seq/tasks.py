"""Pairs of character strings to translate, made here (no download) or read from a user's file.

Tasks: ``reverse``, ``sort`` (digits), ``copy``; ``dates`` written in many forms to ISO ("二〇二六年十二月二日",
"2 Dec 2026", "12/02/2026" → "2026-12-02"); ``addition`` written out in Chinese ("十二加三十四" → "46", the
Keras addition example's task in words). ``make_pairs(task, n, rng, min_len, max_len)`` draws pairs whose
sources have min_len … max_len characters, so that a model trained on short sources can be tested on longer.
``read_pairs(path)`` reads UTF-8 lines "source<TAB>target".
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.io import read_text
from engine.language.vocabulary import Vocabulary
from engine.seq2seq.spec import BOS, EOS, PAD, SPECIALS

TASKS = ("reverse", "sort", "copy", "dates", "addition")
MAX_SOURCE = 200  # characters in one source or target, at most
MAX_PAIRS = 200_000
MAX_PAIRS_BYTES = 8 * 1024**2
LETTERS = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
CN_DIGITS = "〇一二三四五六七八九"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


class Alphabet:
    """The characters of one side, ids after PAD, BOS, EOS: ``len(alphabet)`` ids in all."""

    def __init__(self, chars: Sequence[str]) -> None:
        self.vocabulary = Vocabulary(chars)
        self.chars = self.vocabulary.chars

    @classmethod
    def of(cls, texts: Sequence[str]) -> Alphabet:
        return cls(sorted(set("".join(texts))))

    def __len__(self) -> int:
        return len(self.chars) + SPECIALS

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Alphabet) and self.chars == other.chars

    def __hash__(self) -> int:
        return hash(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """(len(text),) ids; a character the alphabet lacks is refused by name."""
        return self.vocabulary.encode(text) + SPECIALS

    def decode(self, ids) -> str:
        """The characters of ``ids``, PAD and BOS left out, stopping at EOS."""
        out = []
        for i in np.asarray(ids).ravel().tolist():
            if i == EOS:
                break
            if i >= SPECIALS:
                out.append(self.chars[i - SPECIALS] if i - SPECIALS < len(self.chars) else "?")
        return "".join(out)

    def label(self, i: int) -> str:
        """How a view names token ``i``: the character, or <pad>, <s>, </s>."""
        return ("<pad>", "<s>", "</s>")[i] if i < SPECIALS else self.chars[i - SPECIALS]


@dataclass(frozen=True)
class Pairs:
    """Sources and targets side by side, with the alphabet of each side."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    src_alphabet: Alphabet
    tgt_alphabet: Alphabet

    def __len__(self) -> int:
        return len(self.sources)

    def batch(self, indices) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(src (S, B), src_lengths (B,), tgt (T + 1, B), tgt_lengths (B,)) of the pairs at ``indices``: the
        arguments of ``loss_and_grads``."""
        indices = np.asarray(indices, np.int64).ravel()
        if indices.size == 0:
            raise ValueError("a batch needs at least one pair")
        srcs = [self.src_alphabet.encode(self.sources[i]) for i in indices]
        tgts = [np.concatenate([[BOS], self.tgt_alphabet.encode(self.targets[i]), [EOS]]) for i in indices]
        src, src_lengths = _padded(srcs)
        tgt, tgt_lengths = _padded(tgts)
        return src, src_lengths, tgt, tgt_lengths

    def source_lengths(self) -> np.ndarray:
        return np.array([len(s) for s in self.sources], np.int64)

    def subset(self, indices) -> Pairs:
        return Pairs(tuple(self.sources[i] for i in indices), tuple(self.targets[i] for i in indices),
                     self.src_alphabet, self.tgt_alphabet)  # fmt: skip


def _padded(rows: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(r) for r in rows], np.int64)
    out = np.full((max(1, lengths.max()), len(rows)), PAD, np.int64)
    for b, r in enumerate(rows):
        out[: len(r), b] = r
    return out, np.maximum(lengths, 1)


# ----------------------------------------------------------------------------------------- generators


def _letters(rng, n: int) -> str:
    return "".join(rng.choice(list(LETTERS[:10]), n))


def _digits(rng, n: int) -> str:
    return "".join(rng.choice(list(DIGITS), n))


def chinese_number(n: int) -> str:
    """0 … 99 in Chinese words: 十二, 三十四, 二十, 十, 七."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[units] if units else "零"
    head = "十" if tens == 1 else CN_DIGITS[tens] + "十"
    return head + (CN_DIGITS[units] if units else "")


def date_forms(day: datetime.date) -> list[str]:
    """One date as people write it: in English words, in numbers, in Chinese."""
    d, m, y = day.day, day.month, day.year
    month = MONTHS[m - 1]
    return [
        f"{d} {month[:3]} {y}",
        f"{d} {month} {y}",
        f"{month} {d}, {y}",
        f"{month[:3]} {d}, {y}",
        f"{m:02d}/{d:02d}/{y}",
        f"{d:02d}.{m:02d}.{y}",
        f"{y}年{m}月{d}日",
        "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{chinese_number(m)}月{chinese_number(d)}日",
    ]


def _date(rng) -> tuple[str, str]:
    day = datetime.date(1950, 1, 1) + datetime.timedelta(days=int(rng.integers(0, 36525)))
    forms = date_forms(day)
    return forms[int(rng.integers(len(forms)))], day.isoformat()


def _addition(rng) -> tuple[str, str]:
    a, b = (int(v) for v in rng.integers(0, 100, 2))
    return f"{chinese_number(a)}加{chinese_number(b)}", str(a + b)


def _sized(make: Callable[[np.random.Generator, int], tuple[str, str]]):
    return lambda rng, lo, hi: make(rng, int(rng.integers(lo, hi + 1)))


GENERATORS: dict[str, Callable] = {
    "reverse": _sized(lambda rng, n: (s := _letters(rng, n), s[::-1])),
    "sort": _sized(lambda rng, n: (s := _digits(rng, n), "".join(sorted(s)))),
    "copy": _sized(lambda rng, n: (s := _letters(rng, n), s)),
    "dates": lambda rng, lo, hi: _date(rng),
    "addition": lambda rng, lo, hi: _addition(rng),
}

ALPHABETS = {  # the full alphabet of each task's sides, whatever a sample happened to draw
    "reverse": (LETTERS[:10], LETTERS[:10]),
    "sort": (DIGITS, DIGITS),
    "copy": (LETTERS[:10], LETTERS[:10]),
    "dates": ("".join(sorted(set(DIGITS + CN_DIGITS + "十年月日 ,./" + "".join(MONTHS)))), DIGITS + "-"),
    "addition": ("零" + CN_DIGITS[1:] + "十加", DIGITS),
}  # fmt: skip


def source_range(task: str) -> tuple[int, int]:
    """The shortest and longest source a task can draw (dates and sums: what their forms give)."""
    return {"dates": (9, 18), "addition": (3, 7)}.get(task, (1, MAX_SOURCE))


def make_pairs(task: str, n: int, rng: np.random.Generator, min_len: int = 1, max_len: int = 10) -> Pairs:
    """``n`` pairs of ``task`` whose sources have ``min_len`` … ``max_len`` characters (dates and sums are
    drawn until one fits, a bounded number of times)."""
    if task not in GENERATORS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if not isinstance(n, int | np.integer) or not 1 <= n <= MAX_PAIRS:
        raise ValueError(f"n must be a whole number from 1 to {MAX_PAIRS}, not {n!r}")
    if not 1 <= min_len <= max_len <= MAX_SOURCE:
        raise ValueError(f"source lengths must satisfy 1 ≤ min_len ≤ max_len ≤ {MAX_SOURCE}")
    lo, hi = source_range(task)
    if max_len < lo or min_len > hi:
        raise ValueError(f"{task} sources have {lo} to {hi} characters; none lies in {min_len}…{max_len}")
    sources, targets = [], []
    for _ in range(n * 200):
        s, t = GENERATORS[task](rng, min_len, max_len)
        if min_len <= len(s) <= max_len:
            sources.append(s)
            targets.append(t)
            if len(sources) == n:
                break
    if len(sources) < n:
        raise ValueError(f"{task}: only {len(sources)} of {n} sources drawn had {min_len}…{max_len} characters; "
                         f"allow a wider range of lengths")  # fmt: skip
    src_chars, tgt_chars = ALPHABETS[task]
    return Pairs(tuple(sources), tuple(targets), Alphabet(src_chars), Alphabet(tgt_chars))


# ----------------------------------------------------------------------------------------- a user's file


def parse_pairs(text: str, name: str = "the pairs") -> Pairs:
    """Lines "source<TAB>target" (blank lines skipped); every problem named with its line."""
    if "\x00" in text:
        raise ValueError(f"{name} is binary, not text (it holds NUL bytes)")
    sources, targets = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            raise ValueError(f"{name}, line {number}: no tab between source and target (expected source<TAB>target)")
        source, target = line.split("\t", 1)
        target = target.rstrip("\r")
        if not source or not target or "\t" in target:
            raise ValueError(f"{name}, line {number}: expected one source and one target separated by one tab")
        if max(len(source), len(target)) > MAX_SOURCE:
            raise ValueError(f"{name}, line {number}: longer than {MAX_SOURCE} characters")
        sources.append(source)
        targets.append(target)
        if len(sources) > MAX_PAIRS:
            raise ValueError(f"{name} holds more than {MAX_PAIRS} pairs")
    if not sources:
        raise ValueError(f"{name} holds no pairs (it is empty)")
    return Pairs(tuple(sources), tuple(targets), Alphabet.of(sources), Alphabet.of(targets))


def read_pairs(path: str | os.PathLike) -> Pairs:
    """A UTF-8 tab-separated file of source–target pairs, at most 8 MiB."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot be read ({exc.strerror})") from None
    if size > MAX_PAIRS_BYTES:
        raise ValueError(f"{path.name} is {size / 1024**2:.1f} MiB; a pairs file may have at most "
                         f"{MAX_PAIRS_BYTES // 1024**2} MiB")  # fmt: skip
    if size == 0:
        raise ValueError(f"{path.name} is empty: it holds no pairs")
    return parse_pairs(read_text(path), path.name)
