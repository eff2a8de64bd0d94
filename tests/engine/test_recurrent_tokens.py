"""Token ids in place of one-hot vectors: the same network, numbers and gradients, without the one-hot matrix."""

from dataclasses import replace

import numpy as np
import pytest

from engine import checks
from engine.recurrent import backward, forward, init_params, trace_bytes
from tests.engine.finite_differences import numeric_gradient
from tests.engine.recurrent_cases import CASES, IDS, small_spec

V = 5


def _ids(T, B, seed=0):
    return np.random.default_rng(seed).integers(0, V, (T, B))


def _pass(spec, params, x, backend, **kwargs):
    tr = forward(spec, params, x, lengths=np.array([6, 4, 6]), backend=backend, **kwargs)
    d_out = np.random.default_rng(9).normal(size=tr.output.shape)
    return tr, backward(spec, params, tr, d_out, backend=backend)


@pytest.mark.parametrize("backend", ["numba", "reference"])
@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES, ids=IDS)
def test_token_ids_compute_what_their_one_hot_vectors_compute(cell, variant, layers, bi, backend):
    spec = small_spec(cell, variant, layers, bi, input_size=V)
    params = init_params(spec, seed=1, dtype=np.float64)
    ids = _ids(6, 3)
    tr, g = _pass(spec, params, ids, backend)
    dense_tr, dense_g = _pass(spec, params, np.eye(V)[ids], backend)
    np.testing.assert_allclose(tr.output, dense_tr.output, rtol=0, atol=1e-13)
    np.testing.assert_allclose(g.dh, dense_g.dh, rtol=0, atol=1e-13)
    assert g.params.keys() == dense_g.params.keys()
    for name in g.params:
        np.testing.assert_allclose(g.params[name], dense_g.params[name], rtol=0, atol=1e-12, err_msg=name)
    assert g.dx is None  # token ids have no gradient
    np.testing.assert_array_equal(tr.tokens, ids)
    np.testing.assert_array_equal(tr.layers[0].input_values(), np.eye(V)[ids])
    assert dense_tr.tokens is None


@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES, ids=IDS)
def test_token_gradients_match_finite_differences(cell, variant, layers, bi):
    spec = small_spec(cell, variant, layers, bi, input_size=V, hidden=3)
    params = init_params(spec, seed=5, dtype=np.float64)
    ids = _ids(4, 2, seed=3)
    R = np.random.default_rng(7).normal(size=(4, 2, spec.directions * 3))

    def loss():
        return (R * forward(spec, params, ids, lengths=np.array([4, 3]), backend="reference").output).sum()

    tr = forward(spec, params, ids, lengths=np.array([4, 3]))
    g = backward(spec, params, tr, R)
    for name, p in params.items():
        np.testing.assert_allclose(g.params[name], numeric_gradient(loss, p), atol=1e-7, rtol=1e-5, err_msg=name)


@pytest.mark.parametrize("backend", ["numba", "reference"])
def test_variational_dropout_on_tokens_draws_the_one_hot_masks(backend):
    """One mask per sequence over the vocabulary, drawn as for one-hot vectors: the same numbers."""
    spec = replace(small_spec("lstm", "standard", 2, True, input_size=V), dropout=0.4, variational_dropout=True)
    params = init_params(spec, seed=1, dtype=np.float64)
    ids = _ids(6, 3)
    tr, g = _pass(spec, params, ids, backend, train=True, seed=3)
    dense_tr, dense_g = _pass(spec, params, np.eye(V)[ids], backend, train=True, seed=3)
    np.testing.assert_allclose(tr.output, dense_tr.output, rtol=0, atol=1e-13)
    for name in g.params:
        np.testing.assert_allclose(g.params[name], dense_g.params[name], rtol=0, atol=1e-12, err_msg=name)
    np.testing.assert_array_equal(tr.layers[0].input_values(), dense_tr.layers[0].inputs)


@pytest.mark.parametrize("backend", ["numba", "reference"])
def test_dropout_on_a_token_keeps_or_drops_its_one(backend):
    spec = replace(small_spec("gru", "reset_after", 1, False, input_size=V), dropout=0.5)
    params = init_params(spec, seed=1, dtype=np.float64)
    ids = _ids(40, 3)
    tr, g = _pass(spec, params, ids[:6], backend, train=True, seed=3)
    scale = tr.layers[0].inputs.scale
    assert set(np.unique(scale)) == {0.0, 2.0}
    shown = tr.layers[0].input_values()  # the one-hot vectors as dropout left them
    np.testing.assert_array_equal(shown, np.eye(V)[ids[:6]] * scale[..., None])
    dense_tr, dense_g = _pass(spec, params, shown, backend)  # the same input, no dropout of its own
    np.testing.assert_allclose(tr.output, dense_tr.output, rtol=0, atol=1e-13)
    np.testing.assert_allclose(g.params["weight_ih_l0"], dense_g.params["weight_ih_l0"], rtol=0, atol=1e-12)
    many = forward(spec, params, ids, train=True, seed=4).layers[0].inputs.scale
    assert 0.3 < (many == 0).mean() < 0.7


def test_tokens_need_no_one_hot_memory(monkeypatch):
    """A vocabulary of 4,000 at 50 steps × batch 64: 102 MB of one-hot vectors and their gradient, refused
    under a 64 MiB cap; as token ids the same batch trains."""
    spec = small_spec("lstm", "standard", 1, False, input_size=4000, hidden=8)
    params = init_params(spec, dtype=np.float32)
    ids = np.random.default_rng(0).integers(0, 4000, (50, 64))
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 64 * 1024**2)
    assert trace_bytes(spec, 50, 64, 4) > checks.MEMORY_CAP_BYTES > 20 * trace_bytes(spec, 50, 64, 4, tokens=True)
    with pytest.raises(ValueError, match="a trace of 50 steps × batch 64 would need"):
        forward(spec, params, np.zeros((50, 64, 4000), np.float32))
    tr = forward(spec, params, ids)
    g = backward(spec, params, tr, np.ones_like(tr.output))
    assert g.params["weight_ih_l0"].shape == (32, 4000)
    used = np.unique(ids)
    assert np.all(g.params["weight_ih_l0"][:, np.setdiff1d(np.arange(4000), used)] == 0)  # unseen tokens: no gradient
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 32 * 1024**2)
    with pytest.raises(ValueError, match="one-hot vectors of 4000 for 50 steps × batch 64 would need 48.8 MiB"):
        tr.layers[0].input_values()


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (np.array([[0, 5]]), r"input x holds token ids 0..5; the network takes 0 to 4"),
        (np.array([[-1, 2]]), r"input x holds token ids -1..2"),
        (np.array([0, 1, 2]), r"input x has shape \(3,\), expected \(any, any, 5\)"),
    ],
)
def test_bad_token_ids_are_refused(ids, message):
    spec = small_spec("rnn_tanh", "standard", 1, False, input_size=V)
    with pytest.raises(ValueError, match=message):
        forward(spec, init_params(spec), ids)


def test_variational_dropout_on_a_vocabulary_of_one():
    """(1, B, 1) is a variational mask here, not a per-step one: each sequence keeps or drops its token throughout."""
    spec = replace(small_spec("rnn_tanh", "standard", 1, False, input_size=1), dropout=0.5, variational_dropout=True)
    params = init_params(spec, seed=1, dtype=np.float64)
    ids = np.zeros((6, 40), np.int64)
    tr = forward(spec, params, ids, train=True, seed=2)
    scale = tr.layers[0].inputs.scale
    assert scale.shape == (6, 40) and np.all(scale == scale[0]) and set(np.unique(scale)) == {0.0, 2.0}
    dense = forward(spec, params, np.ones((6, 40, 1)), train=True, seed=2)
    np.testing.assert_allclose(tr.output, dense.output, rtol=0, atol=1e-13)
