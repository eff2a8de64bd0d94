"""Training the language model with the recurrent Trainer: stateful truncated BPTT over streams, random chunks,
clipping and Adam, checkpoints."""

import numpy as np
import pytest

from engine.language import LanguageModelSpec, Vocabulary
from engine.language.batches import random_chunks, streams
from engine.language.measure import cross_entropy, uniform_cross_entropy
from engine.language.model import final_state
from engine.recurrent import forward
from engine.recurrent.training import TrainConfig, Trainer

TEXT = "你好世界。" * 40 + "hello world. " * 20


def test_streams_cut_the_text_into_equal_stretches_read_in_chunks_that_share_an_edge():
    ids = np.arange(103)
    s = streams(ids, batch=4, length=6)
    S = 103 // 4
    for b in range(4):
        np.testing.assert_array_equal(s.streams[:, b], ids[b * S : (b + 1) * S])
    chunks = [s[k] for k in range(len(s))]
    assert all(len(c) == 7 for c in chunks[:-1]) and 2 <= len(chunks[-1]) <= 7
    for a, b in zip(chunks, chunks[1:], strict=False):
        np.testing.assert_array_equal(a[-1], b[0])  # the last row read is the next chunk's first
    np.testing.assert_array_equal(np.concatenate([c[:-1] for c in chunks] + [chunks[-1][-1:]]), s.streams)
    with pytest.raises(IndexError):
        s[len(s)]


def test_random_chunks_are_windows_of_the_text_drawn_from_the_generator():
    ids = np.arange(50) * 3
    a = random_chunks(ids, 8, 5, np.random.default_rng(0))
    assert a.shape == (6, 8)
    np.testing.assert_array_equal(np.diff(a, axis=0), 3)  # each column a stretch of the text
    np.testing.assert_array_equal(a, random_chunks(ids, 8, 5, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="needs at least"):
        random_chunks(ids[:4], 2, 5, np.random.default_rng(0))


def test_chunks_read_with_the_state_carried_score_the_streams_as_if_read_whole():
    ids = Vocabulary.from_text(TEXT).encode(TEXT)
    spec = LanguageModelSpec(vocab_size=int(ids.max()) + 1, embedding_dim=4, cell="gru", hidden_size=6)
    params = spec.init_params(seed=0, dtype=np.float64)
    s = streams(ids, batch=3, length=17)
    total, state = 0.0, None
    for k in range(len(s)):
        trace, result = spec.evaluate(params, s[k], state)
        total += result.loss * (len(s[k]) - 1)
        state = final_state(trace)
    _, whole = spec.evaluate(params, s.streams)
    assert np.isclose(total / (len(s.streams) - 1), whole.loss, rtol=1e-12)


def _trainer(cell="lstm", **config):
    vocab = Vocabulary.from_text(TEXT)
    spec = LanguageModelSpec(vocab_size=len(vocab), embedding_dim=8, cell=cell, hidden_size=24)
    return Trainer(spec, config=TrainConfig(**({"lr": 0.02, "clip_norm": 1.0, "seed": 0} | config))), vocab.encode(TEXT)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_stateful_truncated_bptt_learns_the_text(cell):
    trainer, ids = _trainer(cell)
    s = streams(ids, batch=4, length=20)
    before = cross_entropy(trainer.model, trainer.params, ids)
    for _epoch in range(6):
        state = None
        for k in range(len(s)):
            record = trainer.step(s[k], state=state)
            assert not record.diverged
            state = final_state(record.trace)
    after = cross_entropy(trainer.model, trainer.params, ids)
    assert before > 0.9 * uniform_cross_entropy(trainer.model.vocab_size) and after < 0.4 * before


def test_random_chunks_with_clipping_and_adam_learn_the_text():
    trainer, ids = _trainer(clip_norm=0.1)
    rng = np.random.default_rng(1)
    records = [trainer.step(random_chunks(ids, 8, 20, rng)) for _ in range(80)]
    assert records[0].clipped and records[0].grad_norm > 0.1
    assert np.mean([r.loss for r in records[-10:]]) < 0.4 * records[0].loss
    assert set(records[-1].grad_norms) == set(trainer.params) and "embedding.weight" in trainer.params


def test_a_checkpoint_goes_on_exactly_where_training_stopped():
    trainer, ids = _trainer()
    rng = np.random.default_rng(2)
    batches = [random_chunks(ids, 4, 10, rng) for _ in range(6)]
    for batch in batches[:3]:
        trainer.step(batch)
    scalars, arrays = trainer.checkpoint()
    again, _ = _trainer()
    again.restore_checkpoint(scalars, arrays)
    for batch in batches[3:]:
        assert trainer.step(batch).loss == again.step(batch).loss
    for name, value in trainer.params.items():
        np.testing.assert_array_equal(value, again.params[name])


def test_the_trainer_shows_the_network_inside_the_language_model():
    trainer, ids = _trainer()
    trainer.step(random_chunks(ids, 2, 6, np.random.default_rng(3)))
    assert trainer.spec == trainer.model.rnn and set(trainer.head) == {"head.weight", "head.bias"}
    x = trainer.params["embedding.weight"][ids[:9, None]]  # (9, 1, E): what the network reads
    inside = forward(trainer.spec, trainer.rnn_params, x)
    np.testing.assert_array_equal(inside.output, trainer.model.run(trainer.params, ids[:9, None]).output)
