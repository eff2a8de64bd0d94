"""Generated teaching tasks for recurrent networks, no download: each one a small lesson about memory.

``make_task(name, length=..., **options)`` returns a ``Task``; ``task.sample(batch, rng)`` a ``Batch`` of
inputs, targets, and each sequence's length. The inputs of a task of symbols (``task.tokens``: Reber, copy,
parity, text) are their ids (T, B), which the network takes as one-hot vectors of ``input_size`` without ever
making them; the others' are numbers (T, B, input_size). The task also says how its output is read (activation
and mode of the head) and names its input symbols for the views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.checks import check_memory
from engine.words import QT_TR_NOOP

MAX_LENGTH = 10_000


@dataclass
class Batch:
    """x: (T, B) int64 token ids or (T, B, input_size) numbers; targets; lengths (B,); tokens: (T, B) the
    symbols' indices for labelling the views (the same array as x for a task of symbols), else None."""

    x: np.ndarray
    targets: np.ndarray
    lengths: np.ndarray
    tokens: np.ndarray | None = None


@dataclass
class Task:
    name: str
    title: str
    input_size: int
    classes: int
    activation: str
    mode: str
    length: int
    symbols: list[str] = field(default_factory=list)
    sampler: Callable[[int, np.random.Generator], Batch] | None = None
    tokens: bool = False  # inputs are token ids (T, B), not numbers (T, B, input_size)

    def batch_bytes(self, batch: int) -> int:
        """Memory of a batch while it is made (float64 before the conversion to ``dtype``), known beforehand."""
        x = 1 if self.tokens else self.input_size
        targets = 1 if self.activation == "softmax" else self.classes
        return batch * self.length * 8 * (x + targets + 1)

    def sample(self, batch: int, rng: np.random.Generator, dtype=np.float32) -> Batch:
        check_memory(self.batch_bytes(batch), f"a batch of {batch} sequences × {self.length} steps ({self.name})")
        b = self.sampler(batch, rng)
        if b.x.dtype.kind == "f":
            b.x = b.x.astype(dtype)
        if b.targets.dtype.kind == "f":
            b.targets = b.targets.astype(dtype)
        return b


# --------------------------------------------------------------------------------------- embedded Reber

REBER_SYMBOLS = ["B", "T", "P", "S", "X", "V", "E"]
# Reber's automaton: state -> [(symbol, next state)]; state 5 is the end.
_REBER = {0: [("T", 1), ("P", 2)], 1: [("S", 1), ("X", 3)], 2: [("T", 2), ("V", 4)],
          3: [("X", 2), ("S", 5)], 4: [("P", 3), ("V", 5)]}  # fmt: skip


def _reber_string(rng) -> list[tuple[str, set[str]]]:
    """A Reber string as (symbol, allowed next symbols) pairs, from B to E."""
    out, state = [("B", {"T", "P"})], 0
    while state != 5:
        options = _REBER[state]
        sym, state = options[rng.integers(len(options))]
        nxt = {s for s, _ in _REBER[state]} if state != 5 else {"E"}
        out.append((sym, nxt))
    out.append(("E", set()))
    return out


def _embedded_reber(rng) -> list[tuple[str, set[str]]]:
    """B (T|P) Reber (T|P) E: the second-to-last symbol must repeat the second, across the whole inner string."""
    branch = "TP"[rng.integers(2)]
    inner = _reber_string(rng)
    inner[-1] = ("E", {branch})
    return [("B", {"T", "P"}), (branch, {"B"}), *inner, (branch, {"E"}), ("E", set())]


def _reber_sampler(max_length: int):
    def sample(batch: int, rng) -> Batch:
        strings = []
        while len(strings) < batch:
            s = _embedded_reber(rng)
            if len(s) - 1 <= max_length:
                strings.append(s)
        T = max(len(s) - 1 for s in strings)
        index = {c: i for i, c in enumerate(REBER_SYMBOLS)}
        tokens = np.zeros((T, batch), np.int64)
        targets = np.zeros((T, batch, 7))
        for b, s in enumerate(strings):
            for t, (sym, allowed) in enumerate(s[:-1]):
                tokens[t, b] = index[sym]
                targets[t, b, [index[c] for c in allowed]] = 1.0
        lengths = np.array([len(s) - 1 for s in strings])
        return Batch(tokens, targets, lengths, tokens)

    return sample


# ----------------------------------------------------------------------------------- numeric problems


def _adding_sampler(length: int):
    """Two numbers are marked in a stream; the answer at the end is their sum (Hochreiter & Schmidhuber)."""

    def sample(batch: int, rng) -> Batch:
        values = rng.random((length, batch))
        marks = np.zeros((length, batch))
        half = max(1, length // 2)
        first = rng.integers(0, half, batch)
        second = rng.integers(half, length, batch)
        marks[first, np.arange(batch)] = marks[second, np.arange(batch)] = 1.0
        x = np.stack([values, marks], axis=2)
        targets = (values * marks).sum(axis=0)[:, None]
        return Batch(x, targets, np.full(batch, length))

    return sample


def _copy_sampler(length: int, symbols: int):
    """A symbol at the first step, blanks after it: name the symbol at the last step."""

    def sample(batch: int, rng) -> Batch:
        first = rng.integers(0, symbols, batch)
        tokens = np.full((length, batch), symbols, np.int64)
        tokens[0] = first
        return Batch(tokens, first, np.full(batch, length), tokens)

    return sample


def _sine_sampler(length: int):
    """A sine wave of random frequency and phase: predict the next value at every step."""

    def sample(batch: int, rng) -> Batch:
        omega = rng.uniform(0.1, 0.4, batch)
        phase = rng.uniform(0, 2 * np.pi, batch)
        t = np.arange(length + 1)[:, None]
        wave = np.sin(omega * t + phase)
        return Batch(wave[:-1, :, None], wave[1:, :, None], np.full(batch, length))

    return sample


def _parity_sampler(length: int):
    """A stream of bits: after each one, is the number of ones so far odd?"""

    def sample(batch: int, rng) -> Batch:
        bits = rng.integers(0, 2, (length, batch))
        return Batch(bits, np.cumsum(bits, axis=0) % 2, np.full(batch, length), bits)

    return sample


def _latching_sampler(length: int):
    """Bengio, Simard & Frasconi 1994: the first value is ±1, Gaussian noise of variance 0.2 follows; at the end,
    name the sign of the first (class 1 for +1). Only a memory reaching back the whole sequence can."""

    def sample(batch: int, rng) -> Batch:
        sign = rng.integers(0, 2, batch)
        x = rng.normal(0.0, np.sqrt(0.2), (length, batch, 1))
        x[0, :, 0] = 2.0 * sign - 1.0
        return Batch(x, sign, np.full(batch, length))

    return sample


def _text_sampler(codes: np.ndarray, vocab: int, length: int):
    """Windows of the text: predict each next character."""

    def sample(batch: int, rng) -> Batch:
        start = rng.integers(0, len(codes) - length, batch)
        idx = start[None, :] + np.arange(length + 1)[:, None]
        window = codes[idx]
        return Batch(window[:-1], window[1:], np.full(batch, length), window[:-1])

    return sample


def text_task(text: str, length: int = 32) -> Task:
    """Character-level language modelling on ``text`` (any script: Chinese characters are symbols too)."""
    if not isinstance(text, str) or len(set(text)) < 2:
        raise ValueError("the text needs at least two different characters")
    if len(text) < length + 2:
        raise ValueError(
            f"the text has {len(text)} characters; it needs more than {length + 1} for windows of {length}"
        )
    symbols = sorted(set(text))
    if len(symbols) > 4000:
        raise ValueError(f"the text uses {len(symbols)} different characters; at most 4000 are supported")
    index = {c: i for i, c in enumerate(symbols)}
    codes = np.array([index[c] for c in text])
    title = QT_TR_NOOP("character-level text")
    sampler = _text_sampler(codes, len(symbols), length)
    return Task("text", title, len(symbols), len(symbols), "softmax", "per_step", length, symbols, sampler, True)


def make_task(name: str, length: int = 20, symbols: int = 4, text: str | None = None) -> Task:
    """A task by name: reber, adding, copy, sine, parity, latching or text (with ``text``)."""
    if not isinstance(length, int | np.integer) or not 2 <= length <= MAX_LENGTH:
        raise ValueError(f"length must be a whole number from 2 to {MAX_LENGTH}, not {length!r}")
    if name == "text":
        return text_task(text if text is not None else "", length)
    makers = {
        "reber": lambda: Task("reber", QT_TR_NOOP("embedded Reber grammar"), 7, 7, "sigmoid", "per_step",
                              max(length, 12), REBER_SYMBOLS, _reber_sampler(max(length, 12)), True),
        "adding": lambda: Task("adding", QT_TR_NOOP("adding problem"), 2, 1, "identity", "last", length,
                               ["value", "mark"], _adding_sampler(length)),
        "copy": lambda: Task("copy", QT_TR_NOOP("recall after a delay"), symbols + 1, symbols, "softmax", "last",
                             length, [*"ABCDEFGHIJKLMNOP"[:symbols], "·"], _copy_sampler(length, symbols), True),
        "sine": lambda: Task("sine", QT_TR_NOOP("sine-wave prediction"), 1, 1, "identity", "per_step", length,
                             ["x"], _sine_sampler(length)),
        "latching": lambda: Task("latching", QT_TR_NOOP("latching (Bengio 1994)"), 1, 2, "softmax", "last", length,
                                 ["x"], _latching_sampler(length)),
        "parity": lambda: Task("parity", QT_TR_NOOP("running parity"), 2, 2, "softmax", "per_step", length, ["0", "1"],
                               _parity_sampler(length), True),
    }  # fmt: skip
    if name not in makers:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join([*makers, 'text'])}")
    if name == "copy" and not 2 <= symbols <= 16:
        raise ValueError(f"copy needs from 2 to 16 symbols, not {symbols}")
    return makers[name]()


TASK_NAMES = ("copy", "reber", "adding", "sine", "parity", "latching", "text")
