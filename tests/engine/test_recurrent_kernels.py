"""The Numba kernels compute what the NumPy references compute, for every cell, variant and shape."""

import numpy as np
import pytest

from engine.recurrent import backward, forward, init_params, layers, reference
from engine.recurrent.model import _layer_weights, _run_forward
from tests.engine.recurrent_cases import CASES, IDS, random_inputs, small_spec


def _both(spec, params, x, h0, c0, lengths, d_out, truncate=0):
    out = {}
    for backend in ("numba", "reference"):
        tr = forward(spec, params, x, h0, c0, lengths=lengths, backend=backend)
        g = backward(spec, params, tr, d_out, truncate=truncate, backend=backend)
        out[backend] = (tr, g)
    return out["numba"], out["reference"]


@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES, ids=IDS)
@pytest.mark.parametrize("truncate", [0, 2])
def test_kernel_matches_reference_float64(cell, variant, layers, bi, truncate):
    spec = small_spec(cell, variant, layers, bi)
    params = init_params(spec, seed=3, dtype=np.float64)
    x, h0, c0 = random_inputs(spec, T=6, B=3)
    lengths = np.array([6, 3, 1])
    d_out = np.random.default_rng(1).normal(size=(6, 3, spec.directions * 4))
    (tk, gk), (tr, gr) = _both(spec, params, x, h0, c0, lengths, d_out, truncate)
    np.testing.assert_allclose(tk.output, tr.output, atol=1e-12)
    np.testing.assert_allclose(tk.h_n, tr.h_n, atol=1e-12)
    for lk, lr in zip(tk.layers, tr.layers, strict=True):
        np.testing.assert_allclose(lk.gates, lr.gates, atol=1e-12)
        np.testing.assert_allclose(lk.gates_pre, lr.gates_pre, atol=1e-12)
    assert gk.params.keys() == gr.params.keys() == params.keys()
    for name in params:
        np.testing.assert_allclose(gk.params[name], gr.params[name], atol=1e-11, err_msg=name)
    np.testing.assert_allclose(gk.dh, gr.dh, atol=1e-11)
    np.testing.assert_allclose(gk.dx, gr.dx, atol=1e-11)
    np.testing.assert_allclose(gk.dh0, gr.dh0, atol=1e-11)
    if cell == "lstm":
        np.testing.assert_allclose(tk.c_n, tr.c_n, atol=1e-12)
        np.testing.assert_allclose(gk.dc, gr.dc, atol=1e-11)


@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES[::3], ids=IDS[::3])
def test_float32_kernel_matches_float64(cell, variant, layers, bi):
    spec = small_spec(cell, variant, layers, bi)
    p64 = init_params(spec, seed=3, dtype=np.float64)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    x, h0, c0 = random_inputs(spec)
    d_out = np.ones((5, 3, spec.directions * 4))
    t64 = forward(spec, p64, x, h0, c0)
    t32 = forward(spec, p32, x.astype(np.float32), h0.astype(np.float32), None if c0 is None else c0.astype(np.float32))
    assert t32.output.dtype == np.float32
    np.testing.assert_allclose(t32.output, t64.output, atol=1e-5)
    g32 = backward(spec, p32, t32, d_out.astype(np.float32))
    g64 = backward(spec, p64, t64, d_out)
    for name in p64:
        assert g32.params[name].dtype == np.float32
        np.testing.assert_allclose(g32.params[name], g64.params[name], atol=1e-4, rtol=1e-4)


def _reference_backward(cell, variant, x, w, rec, h0, c0, mask, d_out, zero):
    if cell == "lstm":
        return reference.lstm_backward(x, w, rec, h0, c0, mask, d_out, zero, zero, 0, variant)
    if cell == "gru":
        return reference.gru_backward(x, w, rec, h0, mask, d_out, zero, 0, variant)
    return reference.rnn_backward(x, w, rec, h0, mask, d_out, zero, 0, "tanh")


@pytest.mark.parametrize(("cell", "variant"), [("rnn_tanh", "standard"), ("lstm", "peephole"), ("gru", "reset_after")])
def test_nan_and_inf_propagate_as_in_the_reference(cell, variant):
    # The model refuses non-finite inputs, so a blow-up starts inside a layer; feed one in there directly.
    spec = small_spec(cell, variant, 1, False)
    w = _layer_weights(spec, init_params(spec, seed=3, dtype=np.float64), 0, 0)
    x, h0, c0 = random_inputs(spec, T=6, B=3)
    x[1, 0, 0], x[3, 1, 2] = np.inf, np.nan
    h0, c0 = h0[0], None if c0 is None else c0[0]
    mask, zero = np.ones((6, 3)), np.zeros((3, 4))
    d_out = np.random.default_rng(1).normal(size=(6, 3, 4))
    with np.errstate(invalid="ignore", over="ignore"):
        ours = _run_forward(layers, spec, x, w, h0, c0, mask)
        ref = _run_forward(reference, spec, x, w, h0, c0, mask)
        g_ours = layers.backward_layer(cell, variant, x, w, ours, h0, c0, mask, d_out, zero, zero, 0)
        g_ref = _reference_backward(cell, variant, x, w, ref, h0, c0, mask, d_out, zero)
    assert np.isnan(ours["hidden"][3:, 1]).all() and np.isfinite(ours["hidden"][:, 2]).all()
    for name in ref:
        np.testing.assert_allclose(ours[name], ref[name], atol=1e-12, err_msg=name)
    for name in ("x", "W_hh", "dh"):
        np.testing.assert_allclose(g_ours[name], g_ref[name], atol=1e-11, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("M", "K", "N"), [(25, 128, 512), (25, 128, 312), (25, 512, 128), (7, 300, 1000), (5, 40, 33)])
@pytest.mark.parametrize("add", [False, True])
def test_step_products_in_column_blocks_equal_the_whole_product(dtype, M, K, N, add):
    """``_matmul`` hands BLAS blocks of columns of at most ``SMALL_GEMM`` multiply-adds (the last one narrower)."""
    from engine.recurrent import blas
    from engine.recurrent.kernels import _matmul

    gemm = blas.gemm(np.dtype(dtype))
    if gemm is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS whose gemm we can call")
    rng = np.random.default_rng(M * K + N)
    a, b = rng.normal(size=(M, K)).astype(dtype), rng.normal(size=(K, N)).astype(dtype)
    out = rng.normal(size=(M, N)).astype(dtype)
    expected = (out if add else 0) + a.astype(np.float64) @ b.astype(np.float64)
    _matmul(a, b, out, gemm, add)
    tol = 1e-10 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(out, expected, rtol=tol, atol=tol)
