"""One source looked at from every side, for the lab's views: decoded (greedy or beam, with a forced prefix),
teacher-forced and free-running against its target, and the gradient's paths back to the source."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.seq2seq.decode import Decoded, decode
from engine.seq2seq.loss import Scored, gradient_paths, score
from engine.seq2seq.model import backward
from engine.seq2seq.spec import BOS, EOS, Seq2SeqSpec
from engine.seq2seq.tasks import Alphabet

MAX_WIDTH = 32


@dataclass
class Example:
    """``source`` and its ``target`` (None: typed without one, then the output stands in for it, so that the
    gradient has a loss to flow from); ``decoded`` the search's result for ``source``; ``output`` its text;
    ``forced`` and ``free`` the decoder scored on the target reading the target (teacher forcing) and reading
    its own tokens (free running): their ``trace.logits.argmax`` are what it would write at each step;
    ``paths`` (T, S) ‖∂L_t/∂h̄_s‖, ``source_norm`` (S,) and ``target_norm`` (T,) the gradient's magnitudes."""

    source: str
    target: str | None
    decoded: Decoded
    output: str
    forced: Scored
    free: Scored
    paths: np.ndarray
    source_norm: np.ndarray
    target_norm: np.ndarray

    @property
    def attention(self) -> np.ndarray | None:
        """(n, S) the attention of the decoded output, one row per output token."""
        return self.decoded.attention[0]

    @property
    def tokens(self) -> np.ndarray:
        return self.decoded.sequences[0]


def check_source_text(source: str, alphabet: Alphabet, limit: int) -> np.ndarray:
    """The ids of a typed source; a message naming the problem for an empty, too long or unknown one."""
    if not isinstance(source, str) or not source:
        raise ValueError("type a source to translate: it is empty")
    if len(source) > limit:
        raise ValueError(f"the source has {len(source)} characters; this model takes at most {limit}")
    return alphabet.encode(source)


def inspect_example(spec: Seq2SeqSpec, params, src_alphabet: Alphabet, tgt_alphabet: Alphabet, source: str,
                    target: str | None = None, *, width: int = 1, length_penalty: float = 0.0, prefix: str = "",
                    limit: int = 60, max_len: int = 60) -> Example:  # fmt: skip
    """Everything the views show about ``source`` (checked: ``check_source_text``)."""
    ids = check_source_text(source, src_alphabet, limit)
    if not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
        raise ValueError(f"the beam width must be a whole number from 1 to {MAX_WIDTH}, not {width!r}")
    forced_prefix = tgt_alphabet.encode(prefix) if prefix else None
    src, lengths = ids[:, None], np.array([len(ids)])
    decoded = decode(spec, params, src, lengths, max_len, width, length_penalty, prefix=forced_prefix)
    output = tgt_alphabet.decode(decoded.sequences[0])
    wanted = tgt_alphabet.encode(target) if target else _body(decoded.sequences[0])
    tgt = np.concatenate([[BOS], wanted, [EOS]])[:, None]
    tl = np.array([len(tgt)])
    forced = score(spec, params, src, lengths, tgt, tl)
    free = score(spec, params, src, lengths, tgt, tl, teacher_forcing=0.0)
    _, back = backward(spec, params, forced.trace, forced.d_logits)
    paths = gradient_paths(spec, params, src, lengths, tgt, tl)
    return Example(source, target or None, decoded, output, forced, free, paths, back.source_norm[:, 0],
                   back.target_norm[:, 0])  # fmt: skip


def _body(tokens: np.ndarray) -> np.ndarray:
    """An output's tokens without its EOS (at least one token: an empty output stands as one EOS-less step)."""
    body = tokens[tokens != EOS]
    return body if len(body) else tokens[:1]
