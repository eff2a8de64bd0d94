"""The prepared one-character step (engine/language/step.py) against the model's own forward pass."""

import numpy as np
import pytest

from engine.language import LanguageModelSpec, init_model, next_logits
from engine.language import step as fast
from engine.language.generate import stepper
from engine.language.model import State


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn_tanh", "rnn_relu"])
@pytest.mark.parametrize("emb", [0, 6])
@pytest.mark.parametrize("table", [True, False])
def test_the_prepared_step_gives_the_logits_and_state_of_reading_the_text_whole(cell, emb, table, monkeypatch):
    if not table:
        monkeypatch.setattr(fast, "TABLE_BYTES", 0)
    spec = LanguageModelSpec(vocab_size=11, embedding_dim=emb, cell=cell, hidden_size=7, num_layers=2)
    params = init_model(spec, seed=3, dtype=np.float64)
    text = np.array([1, 4, 2, 9, 9, 0, 3])
    step = stepper(spec, params)
    assert isinstance(step, fast.Prepared) and (step.table is not None) == table
    _, state = next_logits(spec, params, text[:1])
    # two hypotheses from the same row, the second reading other characters: parents pick the rows
    state = State(np.repeat(state.h, 2, 1), None if state.c is None else np.repeat(state.c, 2, 1))
    for t in range(1, len(text)):
        logits, state = step(state, np.array([0, 1]), np.array([text[t], (text[t] + 3) % 11]))
        whole, expected = next_logits(spec, params, text[: t + 1])
        np.testing.assert_allclose(logits[0], whole, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(state.h[:, 0], expected.h[:, 0], rtol=1e-10, atol=1e-12)
    other, _ = next_logits(spec, params, np.array([1, *((text[1:] + 3) % 11)]))
    np.testing.assert_allclose(logits[1], other, rtol=1e-10, atol=1e-12)


def test_cells_it_does_not_prepare_go_through_the_recurrent_forward_pass():
    spec = LanguageModelSpec(vocab_size=5, cell="lstm", variant="peephole", hidden_size=3)
    assert not fast.supported(spec) and not isinstance(stepper(spec, init_model(spec)), fast.Prepared)
    with pytest.raises(ValueError, match="no prepared step"):
        fast.Prepared(spec, init_model(spec))


@pytest.mark.parametrize("layers", [1, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_lstm_step_is_the_numpy_step(layers, dtype):
    spec = LanguageModelSpec(vocab_size=13, embedding_dim=5, cell="lstm", hidden_size=9, num_layers=layers)
    params = init_model(spec, seed=1, dtype=dtype)
    step = fast.Prepared(spec, params)
    assert step.compiled
    rng = np.random.default_rng(0)
    state = State(rng.normal(size=(layers, 4, 9)).astype(dtype), rng.normal(size=(layers, 4, 9)).astype(dtype))
    parents, tokens = np.array([3, 0, 0, 2, 1]), np.array([1, 12, 5, 5, 0])
    logits, after = step(state, parents, tokens)
    ref_logits, ref = step.numpy_step(state, parents, tokens)
    tol = {"rtol": 1e-5, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-12, "atol": 1e-13}
    np.testing.assert_allclose(after.h, ref.h, **tol)
    np.testing.assert_allclose(after.c, ref.c, **tol)
    np.testing.assert_allclose(logits, ref_logits, **tol)
