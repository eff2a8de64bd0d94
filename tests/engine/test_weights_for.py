"""io.weights_for: weights read from a file become the model's (names, shapes, dtype) or are refused whole, with
every bad name in the message."""

from __future__ import annotations

import numpy as np
import pytest

from engine import io

LIKE = {"weight_ih_l0": np.zeros((8, 3), np.float32), "bias_ih_l0": np.zeros(8, np.float32),
        "head.weight": np.zeros((2, 2), np.float32)}  # fmt: skip


def weights(**changes) -> dict[str, np.ndarray]:
    arrays = {"weight_ih_l0": np.full((8, 3), 0.5), "bias_ih_l0": np.arange(8), "head.weight": np.eye(2)}
    arrays.update(changes)
    return {k: v for k, v in arrays.items() if v is not None}


def test_weights_take_the_models_dtype_and_keep_their_values():
    out = io.weights_for(LIKE, weights(), "w.npz")
    assert {k: v.dtype for k, v in out.items()} == {k: np.dtype(np.float32) for k in LIKE}
    np.testing.assert_array_equal(out["bias_ih_l0"], np.arange(8))
    double = {k: v.astype(np.float64) for k, v in LIKE.items()}
    assert io.weights_for(double, out, "w.npz")["weight_ih_l0"].dtype == np.float64


def test_an_optional_weight_may_be_missing_but_no_other():
    out = io.weights_for(LIKE, weights(**{"head.weight": None}), "w.npz", optional={"head.weight"})
    assert set(out) == {"weight_ih_l0", "bias_ih_l0"}
    with pytest.raises(ValueError, match=r"w.npz does not fit .*missing: bias_ih_l0; unexpected: weight_hh_l9"):
        io.weights_for(LIKE, weights(bias_ih_l0=None, weight_hh_l9=np.zeros(2)), "w.npz", optional={"head.weight"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"head.weight": np.zeros((2, 3))}, r"head.weight has shape \(2, 3\), but the model's is \(2, 2\)"),
        ({"bias_ih_l0": np.full(8, np.nan), "head.weight": np.full((2, 2), np.inf)}, "bias_ih_l0, head.weight hold"),
        ({"weight_ih_l0": np.full((8, 3), 1e300)}, "beyond float32"),  # finite in float64, Inf in the model's
        ({"bias_ih_l0": np.full(8, 1 + 1j)}, "complex128, not numbers"),
    ],
)
def test_bad_weights_are_refused_with_their_names(changes, message):
    with pytest.raises(ValueError, match=message):
        io.weights_for(LIKE, weights(**changes), "w.npz")
