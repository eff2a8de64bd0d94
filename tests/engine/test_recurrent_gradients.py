"""Every gradient equals its central finite difference in float64: parameters, inputs, initial states."""

from dataclasses import replace

import numpy as np
import pytest

from engine.recurrent import backward, forward, gradient_flow, init_params, trace_bytes
from engine.recurrent import flow as flow_module
from engine.recurrent import head as head_module
from engine.recurrent.head import init_head, loss_and_grad
from tests.engine.finite_differences import numeric_gradient
from tests.engine.recurrent_cases import CASES, IDS, random_inputs, small_spec


def _objective(spec, x, h0, c0, lengths, weights):
    """A scalar that reads every output and every final state, with fixed random weights."""
    R, S, U = weights

    def loss(params, x=x, h0=h0, c0=c0):
        tr = forward(spec, params, x, h0, c0, lengths=lengths)
        total = (R * tr.output).sum() + (S * tr.h_n).sum()
        return total + ((U * tr.c_n).sum() if tr.c_n is not None else 0.0)

    return loss


@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES, ids=IDS)
def test_gradients_match_finite_differences(cell, variant, layers, bi):
    spec = small_spec(cell, variant, layers, bi, input_size=2, hidden=3)
    params = init_params(spec, seed=5, dtype=np.float64)
    x, h0, c0 = random_inputs(spec, T=4, B=2, seed=2)
    lengths = np.array([4, 2])
    rng = np.random.default_rng(7)
    weights = (
        rng.normal(size=(4, 2, spec.directions * 3)),
        rng.normal(size=h0.shape),
        rng.normal(size=h0.shape) if c0 is not None else None,
    )
    loss = _objective(spec, x, h0, c0, lengths, weights)
    tr = forward(spec, params, x, h0, c0, lengths=lengths)
    g = backward(spec, params, tr, weights[0], dh_n=weights[1], dc_n=weights[2])
    for name, p in params.items():
        num = numeric_gradient(lambda: loss(params), p)
        np.testing.assert_allclose(g.params[name], num, atol=1e-7, rtol=1e-5, err_msg=name)
    np.testing.assert_allclose(g.dx, numeric_gradient(lambda: loss(params, x=x), x), atol=1e-7, rtol=1e-5)
    np.testing.assert_allclose(g.dh0, numeric_gradient(lambda: loss(params, h0=h0), h0), atol=1e-7, rtol=1e-5)
    if c0 is not None:
        np.testing.assert_allclose(g.dc0, numeric_gradient(lambda: loss(params, c0=c0), c0), atol=1e-7, rtol=1e-5)


@pytest.mark.parametrize("activation", ["softmax", "sigmoid", "identity"])
@pytest.mark.parametrize("mode", ["per_step", "last", "mean"])
@pytest.mark.parametrize("halves", [False, True], ids=["one part", "two halves"])
def test_head_loss_gradients_match_finite_differences(activation, mode, halves, monkeypatch):
    """The softmax head in two halves of the rows at once (as for a large vocabulary) as well as in one part."""
    if halves:
        monkeypatch.setattr(head_module, "SPLIT_MIN_ROWS", 1)
        monkeypatch.setattr(head_module, "SPLIT_MIN_WORK", 0)
    rng = np.random.default_rng(0)
    T, B, H, D, K = 4, 3, 2, 2, 3
    output = rng.normal(size=(T, B, D * H))
    lengths = np.array([4, 2, 3])
    head = init_head(D * H, K, seed=1, dtype=np.float64)
    shape = (T, B) if mode == "per_step" else (B,)
    targets = rng.integers(0, K, shape) if activation == "softmax" else rng.random((*shape, K))
    if activation == "sigmoid":
        targets = (targets > 0.5).astype(float)

    def loss():
        return loss_and_grad(
            head, output, lengths, targets, activation=activation, mode=mode, hidden=H, directions=D
        ).loss

    res = loss_and_grad(head, output, lengths, targets, activation=activation, mode=mode, hidden=H, directions=D)
    np.testing.assert_allclose(res.d_output, numeric_gradient(loss, output), atol=1e-8)
    for name, p in head.items():
        np.testing.assert_allclose(res.d_head[name], numeric_gradient(loss, p), atol=1e-8, err_msg=name)
    assert np.isclose(res.step_loss.sum() / (lengths.sum() if mode == "per_step" else B), res.loss)


def test_gradient_flow_rows_are_single_step_backward_passes():
    spec = small_spec("rnn_tanh", "standard", 1, False)
    params = init_params(spec, seed=0, dtype=np.float64)
    x, _, _ = random_inputs(spec, T=6, B=1)
    tr = forward(spec, params, x)
    d_out = np.random.default_rng(0).normal(size=tr.output.shape)
    flow = gradient_flow(spec, params, tr, d_out)
    assert flow.shape == (1, 6, 6)
    # the loss at step t reaches only states at or before t
    assert np.all(np.triu(flow[0], k=1) == 0)
    assert np.all(np.diag(flow[0]) > 0)
    np.testing.assert_allclose(flow[0, 3, 3], np.linalg.norm(d_out[3]), rtol=1e-12)
    # the sum of the per-step gradients is the full gradient
    full = backward(spec, params, tr, d_out).dh
    parts = sum(backward(spec, params, tr, np.where(np.arange(6)[:, None, None] == t, d_out, 0)).dh for t in range(6))
    np.testing.assert_allclose(parts, full, atol=1e-12)


def _flow_one_pass_per_step(spec, params, tr, d_out, backend):
    """The definition, as gradient_flow computed it before: a full backward pass per loss step."""
    T = d_out.shape[0]
    rows = [backward(spec, params, tr, np.where(np.arange(T)[:, None, None] == t, d_out, 0), backend=backend).dh_norm
            for t in range(T)]  # fmt: skip
    return np.stack(rows, axis=1)


@pytest.mark.parametrize("backend", ["numba", "reference"])
@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES, ids=IDS)
def test_gradient_flow_equals_one_full_backward_pass_per_step(cell, variant, layers, bi, backend, monkeypatch):
    """Batched passes of the states only, in chunks (here of 3 steps: 7 = 3 + 3 + 1) with padding and dropout."""
    monkeypatch.setattr(
        flow_module, "FLOW_CHUNK_BYTES", 3 * trace_bytes(small_spec(cell, variant, layers, bi), 7, 2, 8)
    )
    spec = replace(small_spec(cell, variant, layers, bi), dropout=0.3)
    params = init_params(spec, seed=4, dtype=np.float64)
    x, h0, c0 = random_inputs(spec, T=7, B=2, seed=5)
    tr = forward(spec, params, x, h0, c0, lengths=np.array([7, 5]), train=True, seed=6, backend=backend)
    d_out = np.random.default_rng(7).normal(size=tr.output.shape)
    got = gradient_flow(spec, params, tr, d_out, backend=backend)
    np.testing.assert_allclose(got, _flow_one_pass_per_step(spec, params, tr, d_out, backend), rtol=1e-10, atol=1e-13)


def test_the_per_step_norms_of_float32_gradients_are_summed_in_float64_as_numpy_does():
    from engine.recurrent.model import step_norms

    d = (np.random.default_rng(2).normal(size=(2, 7, 5, 300)) * 1e3).astype(np.float32)
    expected = np.sqrt((d.astype(np.float64) ** 2).sum(axis=(2, 3)))
    np.testing.assert_allclose(step_norms(d), expected, rtol=1e-13)
    np.testing.assert_array_equal(step_norms(d, compiled=False), expected)
