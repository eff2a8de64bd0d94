"""Character language models you can read, sample, search and measure in perplexity.

from engine.language import (Vocabulary, LanguageModelSpec, init_model, loss_and_grads, next_logits, sample,
                             beam_search)

``State`` is the recurrent state ``next_logits`` returns; ``batches`` makes training batches of a long text
(stateful streams and random chunks), ``measure`` cross-entropy and perplexity beside the uniform and unigram
baselines, ``generate.greedy`` greedy search. The decoding itself lives in ``engine.decoding``.
"""

from engine.language.generate import beam_search, next_logits, sample
from engine.language.model import LanguageModelSpec, State, init_model, loss_and_grads
from engine.language.vocabulary import Vocabulary

__all__ = [
    "LanguageModelSpec",
    "State",
    "Vocabulary",
    "beam_search",
    "init_model",
    "loss_and_grads",
    "next_logits",
    "sample",
]
