"""A large batch runs as two halves at once (``layers._parts``): the same results as in one part and as the
NumPy reference, for every cell, variant and shape, with padding and truncation."""

import numpy as np
import pytest

from engine import blas_threads
from engine.recurrent import backward, forward, init_params, layers
from tests.engine.recurrent_cases import CASES, IDS, random_inputs, small_spec


def _run(spec, params, x, h0, c0, lengths, d_out, truncate, backend="numba"):
    tr = forward(spec, params, x, h0, c0, lengths=lengths, backend=backend)
    return tr, backward(spec, params, tr, d_out, truncate=truncate, backend=backend)


def _arrays(tr, g) -> dict:
    out = {"output": tr.output, "h_n": tr.h_n, "dh": g.dh, "dx": g.dx, "dh0": g.dh0}
    for k, layer in enumerate(tr.layers):
        out.update({f"gates{k}": layer.gates, f"gates_pre{k}": layer.gates_pre})
    if tr.c_n is not None:
        out.update(c_n=tr.c_n, dc=g.dc)
    return out | {f"d_{name}": v for name, v in g.params.items()}


@pytest.fixture
def split(monkeypatch):
    def force(on: bool):
        monkeypatch.setattr(layers, "SPLIT_MIN_BATCH", 2 if on else 10**9)
        monkeypatch.setattr(layers, "SPLIT_MIN_WORK", 0)

    return force


@pytest.mark.parametrize(("cell", "variant", "n_layers", "bi"), CASES, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_split_batch_matches_one_part_and_reference(split, cell, variant, n_layers, bi, dtype):
    spec = small_spec(cell, variant, n_layers, bi)
    params = init_params(spec, seed=3, dtype=dtype)
    x, h0, c0 = (None if a is None else a.astype(dtype) for a in random_inputs(spec, T=6, B=5))
    lengths = np.array([6, 3, 1, 6, 4])
    d_out = np.random.default_rng(1).normal(size=(6, 5, spec.directions * 4)).astype(dtype)
    split(True)
    halves = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 2))
    again = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 2))
    split(False)
    whole = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 2))
    ref = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 2, backend="reference"))
    tol = 1e-11 if dtype == np.float64 else 2e-5
    assert halves.keys() == whole.keys() == ref.keys()
    for name in ref:
        assert halves[name].dtype == ref[name].dtype, name
        np.testing.assert_array_equal(halves[name], again[name], err_msg=name)  # the same, bit for bit
        np.testing.assert_allclose(halves[name], whole[name], atol=tol, rtol=tol, err_msg=name)
        np.testing.assert_allclose(halves[name], ref[name], atol=tol, rtol=tol, err_msg=name)


def test_large_batch_splits_and_small_one_does_not():
    W = np.zeros((512, 128))
    assert layers._parts(32, W) == [(0, 16), (16, 32)]
    assert layers._parts(2, W) == [(0, 2)]
    assert layers._parts(32, np.zeros((96, 32))) == [(0, 32)]


def test_blas_threads_come_back_after_a_split(split):
    split(True)
    spec = small_spec("lstm", "standard", 1, False)
    params = init_params(spec, seed=3, dtype=np.float64)
    x, h0, c0 = random_inputs(spec, T=6, B=5)
    before = [lib.num_threads for lib in blas_threads._blas_controller().lib_controllers]
    _run(spec, params, x, h0, c0, None, np.ones((6, 5, 4)), 0)
    assert [lib.num_threads for lib in blas_threads._blas_controller().lib_controllers] == before
    assert blas_threads._blas_users == 0


@pytest.mark.parametrize("cell", ["rnn_tanh", "lstm", "gru"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("halves", [False, True])
def test_step_products_through_numpys_blas_match_reference(split, cell, dtype, halves):
    # Hidden 320 and 6 sequences a part: every step product goes to BLAS (``kernels._matmul``).
    spec = small_spec(cell, "peephole" if cell == "lstm" else VARIANT[cell], 1, True, input_size=5, hidden=320)
    params = init_params(spec, seed=3, dtype=dtype)
    x, h0, c0 = (None if a is None else a.astype(dtype) for a in random_inputs(spec, T=4, B=12))
    d_out = np.random.default_rng(1).normal(size=(4, 12, 2 * 320)).astype(dtype)
    lengths = np.array([4, 3] * 6)
    split(halves)
    ours = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 0))
    ref = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 0, backend="reference"))
    tol = 1e-10 if dtype == np.float64 else 1e-4
    for name in ref:
        np.testing.assert_allclose(ours[name], ref[name], atol=tol, rtol=tol, err_msg=name)
    again = _arrays(*_run(spec, params, x, h0, c0, lengths, d_out, 0))
    for name in ref:
        np.testing.assert_array_equal(ours[name], again[name], err_msg=name)  # the same, bit for bit


VARIANT = {"rnn_tanh": "standard", "gru": "reset_before"}
