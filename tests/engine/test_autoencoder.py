"""The deep autoencoder: gradients against central differences, unrolling ties the weights, a linear autoencoder
finds PCA's error, and pre-training beats PCA and random initialisation on held-out digits."""

from __future__ import annotations

import numpy as np
import pytest

from engine import autoencoder as ae
from engine import image_sets
from engine.autoencoder import reference
from engine.autoencoder.figures import held_out_errors
from engine.rbm import init
from tests.engine.finite_differences import numeric_gradient


@pytest.mark.parametrize(
    ("loss", "hidden", "output"),
    [("cross_entropy", "logistic", "logistic"), ("squared", "logistic", "logistic"), ("squared", "linear", "linear")],
)
def test_backward_equals_central_differences(loss, hidden, output):
    rng = np.random.default_rng(0)
    net = ae.random_init([7, 5, 3, 2], seed=1, scale=0.5, hidden=hidden, output=output)
    for b in net.biases:
        b[...] = rng.normal(0, 0.3, b.shape)
    x = rng.random((6, 7))

    def f():
        return reference.loss(reference.forward(net.weights, net.biases, x, hidden, output), net.weights,
                              net.biases, loss)  # fmt: skip

    trace = reference.forward(net.weights, net.biases, x, hidden, output)
    dW, db = reference.backward(trace, net.weights, loss, hidden, output)
    for analytic, param in zip([*dW, *db], [*net.weights, *net.biases], strict=True):
        np.testing.assert_allclose(analytic, numeric_gradient(f, param), rtol=1e-6, atol=1e-8)


def test_the_code_layer_is_linear_and_the_others_logistic():
    net = ae.random_init([4, 3, 2], seed=0, scale=3.0)
    trace = reference.forward(net.weights, net.biases, np.ones((1, 4)))
    code = trace[2]
    assert (np.abs(code) > 1).any(), "a logistic code would stay inside (0, 1)"
    assert all(((a > 0) & (a < 1)).all() for a in (trace[1], trace[3], trace[4]))


def test_before_fine_tuning_the_decoder_is_the_encoder_transposed():
    layers = [init(9, 6, seed=0, weight_scale=0.3), init(6, 4, seed=1, weight_scale=0.3), init(4, 2, seed=2)]
    for i, m in enumerate(layers):
        m.b_visible[...] = i + 0.5
        m.b_hidden[...] = -i - 0.25
    net = ae.unroll(layers)
    assert net.sizes == [9, 6, 4, 2]
    for W_enc, W_dec in zip(net.encoder, reversed(net.decoder), strict=True):
        np.testing.assert_array_equal(W_dec, W_enc.T)
        assert not np.shares_memory(W_dec, W_enc)
    np.testing.assert_array_equal(net.biases[3], layers[2].b_visible)
    data = (np.random.default_rng(0).random((30, 9)) < 0.5).astype(float)
    tuner = ae.FineTuner(net, data, batch_size=10)
    tuner.train_epoch()
    assert not np.allclose(net.decoder[-1], net.encoder[0].T), "fine-tuning unties the weights"


def test_a_linear_autoencoder_reaches_pcas_error_at_the_same_code_size():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(4, 12))
    data = np.clip(0.5 + 0.1 * rng.normal(size=(200, 4)) @ basis + 0.02 * rng.normal(size=(200, 12)), 0, 1)
    for k in (2, 3):
        net = ae.random_init([12, k], seed=k, scale=0.1, hidden="linear", output="linear")
        tuner = ae.FineTuner(net, data, loss="squared", lr=0.01, batch_size=200)
        for _ in range(3000):
            tuner.train_epoch()
        pca_error = ae.squared_error(data, ae.pca(data, k).reconstruct(data))
        assert tuner.train_error[-1] == pytest.approx(pca_error, rel=2e-3)
        assert tuner.train_error[-1] >= pca_error * (1 - 1e-9), "nothing linear beats PCA"


def test_pca_reconstructs_exactly_at_full_rank_and_its_components_are_orthonormal():
    data = np.random.default_rng(1).random((20, 5))
    p = ae.pca(data, 5)
    np.testing.assert_allclose(p.reconstruct(data), data, atol=1e-12)
    np.testing.assert_allclose(p.components @ p.components.T, np.eye(5), atol=1e-12)


def test_pretraining_continues_exactly_from_a_checkpoint():
    images = image_sets.font_digits(4, size=9).images
    kwargs = {"seed": 3, "batch_size": 10}
    a = ae.Pretrainer(images, [81, 20, 10, 2], 3, **kwargs)
    for _ in range(5):
        a.step()
    b = ae.Pretrainer(images, [81, 20, 10, 2], 3, **kwargs)
    b.restore(*a.checkpoint())
    while not a.done:
        a.step()
        b.step()
    for la, lb in zip(a.layers(), b.layers(), strict=True):
        np.testing.assert_array_equal(la.W, lb.W)
    assert a.epochs_done == a.total_epochs == 9


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda x: ae.Pretrainer(x, [81, 20, 100], 1), "code of 100 units is larger than the data's 81 pixels"),
        (lambda x: ae.Pretrainer(x, [64, 20, 2], 1), "starts with 64 units but the data have 81 pixels"),
        (lambda x: ae.Pretrainer(x * 0.5, [81, 2], 1), "must be binary"),
        (lambda x: ae.pca(x, 90), "code of 90 is larger than the data"),
        (lambda x: ae.unroll([init(81, 20), init(10, 2)]), "layer sizes do not chain"),
        (lambda x: ae.encode(ae.random_init([16, 2]), x), r"expected \(images, 16\)"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(make, message):
    images = image_sets.font_digits(2, size=9).images
    with pytest.raises(ValueError, match=message):
        make(images)


@pytest.mark.slow
@pytest.mark.parametrize("code", [2, 6])
def test_on_held_out_digits_the_pretrained_autoencoder_beats_pca_and_random_initialisation(code):
    errors = held_out_errors(code)
    assert errors["pretrained"] < errors["pca"], errors
    assert errors["pretrained"] < errors["random"], errors


def test_the_codes_are_the_full_networks_middle_layer():
    net = ae.random_init([8, 6, 4, 3], seed=2, scale=2.0)
    x = np.random.default_rng(0).random((5, 8))
    trace = reference.forward(net.weights, net.biases, x)
    np.testing.assert_array_equal(ae.encode(net, x), trace[3])
    np.testing.assert_array_equal(ae.reconstruct(net, x), trace[-1])
