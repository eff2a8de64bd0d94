import numpy as np

from engine.recurrent import RecurrentSpec, init_params
from engine.recurrent.analysis import recurrent_spectrum


def test_spectrum_of_scaled_orthogonal_blocks():
    spec = RecurrentSpec(cell="gru", input_size=2, hidden_size=5, num_layers=2, bidirectional=True)
    params = init_params(spec, dtype=np.float64)
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(5, 5)))
    params["weight_hh_l1_reverse"] = np.concatenate([0.5 * q, 2.0 * q, 3.0 * q])
    blocks = recurrent_spectrum(spec, params)
    assert len(blocks) == 2 * 2 * 3
    last = [b for b in blocks if b.layer == 1 and b.direction == 1]
    assert [b.gate for b in last] == ["r", "z", "n"]
    for b, scale in zip(last, (0.5, 2.0, 3.0), strict=True):
        np.testing.assert_allclose(b.singular_values, scale)
        assert np.isclose(b.spectral_radius, scale)
