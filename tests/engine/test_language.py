"""The language model (engine/language): gradients, loss and perplexity, the vocabulary, reading and writing."""

import numpy as np
import pytest

from engine.decoding import log_softmax
from engine.language import (
    LanguageModelSpec,
    State,
    Vocabulary,
    beam_search,
    generate,
    init_model,
    loss_and_grads,
    measure,
    next_logits,
    sample,
)
from tests.engine.finite_differences import numeric_gradient

CASES = [(cell, layers, emb) for cell in ("lstm", "gru") for layers in (1, 2) for emb in (0, 3)]


def small(cell="lstm", layers=1, emb=3, V=5, H=3, seed=1, **kw):
    spec = LanguageModelSpec(vocab_size=V, embedding_dim=emb, cell=cell, hidden_size=H, num_layers=layers, **kw)
    return spec, init_model(spec, seed=seed, dtype=np.float64)


@pytest.mark.parametrize(("cell", "layers", "emb"), CASES, ids=[f"{c}-L{n}-E{e}" for c, n, e in CASES])
def test_every_gradient_equals_its_finite_difference(cell, layers, emb):
    spec, params = small(cell, layers, emb)
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 5, (4, 2))
    L = layers
    state = State(rng.normal(size=(L, 2, 3)) * 0.5, rng.normal(size=(L, 2, 3)) * 0.5 if cell == "lstm" else None)
    loss, grads = loss_and_grads(spec, params, ids, state)
    assert set(grads) == set(params) and ("embedding.weight" in grads) == bool(emb)
    for name, p in params.items():
        numeric = numeric_gradient(lambda: loss_and_grads(spec, params, ids, state)[0], p)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-8, rtol=1e-5, err_msg=name)


def test_gradients_under_dropout_equal_finite_differences_with_the_same_masks():
    spec, params = small("lstm", 2, 3, dropout=0.4)
    ids = np.random.default_rng(4).integers(0, 5, (5, 2))
    loss, grads = loss_and_grads(spec, params, ids, train=True, seed=9)
    assert loss != loss_and_grads(spec, params, ids)[0]  # the dropout is on
    for name in ("embedding.weight", "rnn.weight_ih_l1", "head.weight"):
        numeric = numeric_gradient(lambda: loss_and_grads(spec, params, ids, train=True, seed=9)[0], params[name])
        np.testing.assert_allclose(grads[name], numeric, atol=1e-8, rtol=1e-5, err_msg=name)


@pytest.mark.parametrize("emb", [0, 3])
def test_the_loss_is_the_mean_cross_entropy_in_nats_of_each_next_character(emb):
    spec, params = small("gru", 2, emb)
    ids = np.random.default_rng(5).integers(0, 5, (6, 3))
    surprisal = [
        -log_softmax(next_logits(spec, params, ids[: t + 1, b])[0])[ids[t + 1, b]] for t in range(5) for b in range(3)
    ]
    assert np.isclose(loss_and_grads(spec, params, ids)[0], np.mean(surprisal), rtol=1e-12)


def test_the_uniform_model_has_perplexity_exactly_the_vocabulary_size():
    for V in (2, 7, 3000):
        spec, params = small(V=V)
        params["head.weight"][:] = 0.0
        params["head.bias"][:] = 0.0
        ids = np.random.default_rng(V).integers(0, V, 300)
        assert np.isclose(measure.perplexity(spec, params, ids), V, rtol=1e-12, atol=0)
        assert np.isclose(np.exp(measure.uniform_cross_entropy(V)), V, rtol=1e-12, atol=0)


def test_the_unigram_baseline_is_the_entropy_of_the_character_frequencies():
    ids = Vocabulary.from_text("aaab").encode("aaabaaab")  # the predicted characters: aabaaab
    p = np.array([5, 2]) / 7
    train = ids[1:]
    assert np.isclose(measure.unigram_cross_entropy(train, ids, 2, smoothing=0.0), -(p * np.log(p)).sum())
    smoothed = measure.unigram_log_probs([0, 0, 0], 3, smoothing=1.0)
    np.testing.assert_allclose(np.exp(smoothed), [4 / 6, 1 / 6, 1 / 6])
    # never worse than the uniform model on its own training text (Gibbs' inequality)
    text = np.random.default_rng(0).choice(6, 500, p=[0.5, 0.2, 0.1, 0.1, 0.05, 0.05])
    assert measure.unigram_cross_entropy(text[1:], text, 6, smoothing=0.0) < measure.uniform_cross_entropy(6)


def test_reading_a_text_in_chunks_with_the_state_carried_is_reading_it_whole():
    spec, params = small("lstm", 2, 0)
    ids = np.random.default_rng(6).integers(0, 5, 40)
    whole = loss_and_grads(spec, params, ids[:, None])[0]
    assert np.isclose(measure.cross_entropy(spec, params, ids, chunk=7), whole, rtol=1e-12)


def test_vocabulary_of_chinese_text_round_trips_and_names_unknown_characters():
    text = "你好，世界！你好吗？Hello."
    vocab = Vocabulary.from_text(text)
    assert len(vocab) == len(set(text))
    assert vocab.decode(vocab.encode(text)) == text
    assert vocab.encode("你好").dtype == np.int64
    with pytest.raises(ValueError, match="'龙'") as info:
        vocab.encode("你好龙")
    assert "1 character" in str(info.value)
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.from_text("")
    with pytest.raises(ValueError, match="ids"):
        vocab.decode([len(vocab)])


@pytest.mark.parametrize(("cell", "emb"), [("lstm", 0), ("gru", 4), ("rnn_tanh", 2)])
def test_a_prompt_read_in_two_pieces_gives_what_it_gives_read_whole(cell, emb, monkeypatch):
    spec, params = small(cell, 2, emb)
    prompt = np.random.default_rng(7).integers(0, 5, 11)
    whole, state = next_logits(spec, params, prompt)
    first, mid = next_logits(spec, params, prompt[:4])
    second, after = next_logits(spec, params, prompt[4:], mid)
    np.testing.assert_allclose(second, whole, rtol=1e-12)
    np.testing.assert_allclose(after.h, state.h, rtol=1e-12)
    monkeypatch.setattr(generate, "PROMPT_CHUNK", 3)  # a long prompt is read in pieces too
    np.testing.assert_allclose(next_logits(spec, params, prompt)[0], whole, rtol=1e-12)
    assert not np.allclose(first, whole)


def test_prompts_the_model_cannot_read_are_refused_by_name():
    spec, params = small()
    with pytest.raises(ValueError, match="prompt_ids is empty"):
        next_logits(spec, params, np.array([], np.int64))
    with pytest.raises(ValueError, match="prompt_ids hold"):
        sample(spec, params, np.array([5]), 3)


def test_sampling_repeats_under_a_seed_and_temperature_zero_is_greedy_and_beam_width_one():
    spec, params = small("lstm", 2, 3, V=6, H=8)
    prompt = np.array([1, 2])
    a, b = sample(spec, params, prompt, 40, seed=3), sample(spec, params, prompt, 40, seed=3)
    assert a.shape == (40,) and a.tolist() == b.tolist()
    assert a.tolist() != sample(spec, params, prompt, 40, seed=4).tolist()
    greedy = generate.greedy(spec, params, prompt, 12)
    assert sample(spec, params, prompt, 12, temperature=0.0).tolist() == greedy.tolist()
    assert beam_search(spec, params, prompt, 12, width=1).sequences[0].tolist() == greedy.tolist()


def test_a_beam_keeping_every_hypothesis_finds_the_likeliest_continuation():
    spec, params = small("gru", 1, 2, V=3, H=4, seed=3)
    params["head.weight"] *= 2  # sharper distributions: here greedy misses the likeliest continuation
    prompt, steps = np.array([0, 1]), 4
    res = beam_search(spec, params, prompt, steps, width=3**steps)
    scores = {}
    for seq in np.ndindex(*(3,) * steps):
        full = np.concatenate([prompt, seq])
        scores[seq] = sum(log_softmax(next_logits(spec, params, full[:k])[0])[full[k]] for k in range(2, 2 + steps))
    best = sorted(scores, key=lambda s: -scores[s])
    assert [tuple(s.tolist()) for s in res.sequences] == best
    np.testing.assert_allclose(res.scores, [scores[s] for s in best], rtol=1e-10)
    assert generate.greedy(spec, params, prompt, steps).tolist() != list(best[0])


def test_absurd_sizes_are_refused_by_the_memory_check_before_allocating():
    with pytest.raises(ValueError, match="memory cap"):
        init_model(LanguageModelSpec(vocab_size=10**9, embedding_dim=64, hidden_size=8))
    with pytest.raises(ValueError, match="memory cap"):
        init_model(LanguageModelSpec(vocab_size=50, hidden_size=60000, num_layers=4))
    spec, params = small()
    long = np.broadcast_to(np.int64(1), (10**9, 64))  # a view: no memory of its own
    with pytest.raises(ValueError, match="memory cap"):
        loss_and_grads(spec, params, long)
    with pytest.raises(ValueError, match="memory cap"):
        beam_search(spec, params, np.array([1]), 10**6, width=10**4)


def test_bad_specs_and_batches_are_refused_by_name():
    with pytest.raises(ValueError, match="vocab_size"):
        LanguageModelSpec(vocab_size=0)
    with pytest.raises(ValueError, match="embedding_dim"):
        LanguageModelSpec(vocab_size=5, embedding_dim=-1)
    with pytest.raises(ValueError, match="needs an embedding"):
        LanguageModelSpec(vocab_size=70000)
    with pytest.raises(ValueError, match="cell"):
        LanguageModelSpec(vocab_size=5, cell="transformer")
    spec, params = small()
    with pytest.raises(ValueError, match="ids"):
        loss_and_grads(spec, params, np.array([[1.5], [2.0]]))
    with pytest.raises(ValueError, match="ids hold"):
        loss_and_grads(spec, params, np.array([[1], [5]]))


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn_tanh"])
def test_the_embedding_folded_into_the_first_layer_gives_the_same_loss_and_gradients(cell, monkeypatch):
    """Where the vocabulary is smaller than the batch, training reads one-hot ids through W_ih Eᵀ (``folds``);
    the loss and every gradient are those of the embedded inputs."""
    spec, params = small(cell, 2, 3, V=5, H=4)
    ids = np.random.default_rng(6).integers(0, 5, (6, 3))
    state = State(np.full((2, 3, 4), 0.3), np.full((2, 3, 4), -0.2) if cell == "lstm" else None)
    assert spec.folds(ids, train=True)
    folded = spec.loss_and_grads(params, ids, state)
    monkeypatch.setattr(LanguageModelSpec, "folds", lambda self, ids, train: False)
    plain = spec.loss_and_grads(params, ids, state)
    assert plain.trace.spec is spec.rnn and folded.trace.spec is spec.one_hot
    assert np.isclose(folded.loss, plain.loss, rtol=1e-13)
    assert set(folded.grads) == set(plain.grads) == set(params)
    for name, g in plain.grads.items():
        np.testing.assert_allclose(folded.grads[name], g, rtol=1e-10, atol=1e-13, err_msg=name)


def test_the_embedding_is_not_folded_under_dropout_or_for_a_vocabulary_larger_than_the_batch():
    spec, _ = small("lstm", 1, 3, V=5, dropout=0.3)
    ids = np.zeros((6, 3), int)
    assert spec.folds(ids, train=False) and not spec.folds(ids, train=True)
    assert not small("lstm", 1, 3, V=16)[0].folds(ids, train=False)  # 16 characters, 15 in the batch
    assert not small("lstm", 1, 0)[0].folds(ids, train=False)  # one-hot input already
