"""Encoder–decoders with attention you can watch: a recurrent encoder reads the source, a recurrent decoder
writes the target, attention (none, dot, general, additive) lets it look back.

from engine.seq2seq import Seq2SeqSpec, init_model, forward, loss_and_grads, decode, PAD, BOS, EOS

``tasks`` makes character pairs (reverse, sort, copy, dates, addition) and reads a user's pairs file;
``measure`` scores free-running output by source length. Decoding shares ``engine.decoding`` with the
language model.
"""

from engine.seq2seq.decode import Decoded, decode, free_running
from engine.seq2seq.loss import evaluation, gradient_paths, loss_and_grads, score
from engine.seq2seq.model import Seq2SeqGrads, Seq2SeqTrace, backward, forward
from engine.seq2seq.spec import ATTENTIONS, BOS, EOS, PAD, Seq2SeqSpec, init_model

__all__ = [
    "ATTENTIONS",
    "BOS",
    "EOS",
    "PAD",
    "Decoded",
    "Seq2SeqGrads",
    "Seq2SeqSpec",
    "Seq2SeqTrace",
    "backward",
    "decode",
    "evaluation",
    "forward",
    "free_running",
    "gradient_paths",
    "init_model",
    "loss_and_grads",
    "score",
]
