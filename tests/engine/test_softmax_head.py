"""The head's compiled softmax and cross-entropy (``kernels.softmax_cross_entropy``) against its NumPy reference
(``head._softmax_rows`` and the gradient (p − e_y) · share written out)."""

import numpy as np
import pytest

from engine.recurrent.head import _softmax_rows
from engine.recurrent.kernels import softmax_cross_entropy


def _reference(logits, b, targets, share):
    p = (logits + b).astype(logits.dtype)
    loss, right = _softmax_rows(p, targets)
    d = p * share[:, None]
    d[np.arange(len(p)), targets] -= share
    return p, loss, right, d


def _compiled(logits, b, targets, share):
    p, d = logits.copy(), np.empty_like(logits)
    loss, right = np.empty(len(p), p.dtype), np.empty(len(p), bool)
    softmax_cross_entropy(p, b, targets, share, loss, right, d)
    return p, loss, right, d


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K", [1, 2, 65, 3000])
def test_the_compiled_softmax_head_matches_numpy(dtype, K):
    rng = np.random.default_rng(K)
    n = 37
    logits = (rng.normal(size=(n, K)) * 4).astype(dtype)
    logits[3] += 80  # large logits: the maximum is subtracted first
    logits[5, :] = logits[5, 0]  # ties: the first maximum is the argmax, as NumPy's
    b = rng.normal(size=K).astype(dtype)
    targets = rng.integers(0, K, n)
    share = np.full(n, 1 / n, dtype)
    tol = 1e-12 if dtype == np.float64 else 2e-6
    for ours, ref in zip(_compiled(logits, b, targets, share), _reference(logits, b, targets, share), strict=True):
        assert ours.dtype == ref.dtype
        np.testing.assert_allclose(ours, ref, rtol=tol, atol=tol)


def test_nan_in_a_row_makes_that_row_nan_and_leaves_the_others():
    logits = np.array([[1.0, np.nan, 2.0], [0.5, 0.1, -1.0]])
    p, loss, right, d = _compiled(logits, np.zeros(3), np.array([0, 0]), np.full(2, 0.5))
    assert np.isnan(p[0]).all() and np.isnan(loss[0]) and np.isnan(d[0]).all()
    ref = _reference(logits[1:], np.zeros(3), np.array([0]), np.full(1, 0.5))
    np.testing.assert_allclose(p[1:], ref[0])
    np.testing.assert_allclose(loss[1:], ref[1])
    assert right[1] and not right[0]
