"""Delay networks (TDNN, AR, NARX): gradients equal central finite differences in float64, the Numba kernels
equal the NumPy references, and the checks from the literature hold."""

from dataclasses import replace

import numpy as np
import pytest

from engine.delay import DelayClassifier, DelaySpec, fit_ar, inspect, simulate_ar
from engine.delay import backward as delay_backward
from engine.delay import forward as delay_forward
from engine.delay.reference import tdnn_layer_forward, valid_frames
from engine.recurrent.training import TrainConfig, Trainer
from tests.engine.finite_differences import numeric_gradient

CASES = {
    "tdnn": (DelaySpec("tdnn", input_size=2, hidden_size=3, num_layers=2, window=3), "softmax", "per_step"),
    "ar": (DelaySpec("ar", input_size=2, hidden_size=2, window=3), "identity", "per_step"),
    "narx-softmax": (DelaySpec("narx", 2, 3, input_delays=2, output_delays=2, output_size=3,
                               output_activation="softmax"), "softmax", "per_step"),
    "narx-sigmoid-last": (DelaySpec("narx", 2, 3, input_delays=1, output_delays=3, output_size=2,
                                    output_activation="sigmoid"), "sigmoid", "last"),
    "narx-identity": (DelaySpec("narx", 2, 3, input_delays=2, output_delays=2, output_size=1), "identity", "mean"),
    "narx-teacher": (DelaySpec("narx", 2, 3, input_delays=2, output_delays=2, output_size=3,
                               output_activation="softmax", feedback="teacher"), "softmax", "per_step"),
}  # fmt: skip


def _batch(model: DelayClassifier, T=5, B=2, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, B, model.spec.input_size))
    shape = (T, B) if model.mode == "per_step" else (B,)
    K = model.classes
    targets = rng.integers(0, K, shape) if model.activation == "softmax" else rng.random((*shape, K))
    return x, targets, np.array([T, T - 2, T - 1][:B])


@pytest.mark.parametrize("backend", ["numba", "reference"])
@pytest.mark.parametrize("case", list(CASES))
def test_gradients_match_finite_differences(case, backend):
    spec, activation, mode = CASES[case]
    model = DelayClassifier(spec, spec.output_size if spec.cell == "narx" else 3, activation, mode)
    params = model.init_params(seed=3, dtype=np.float64)
    x, targets, lengths = _batch(model)
    ev = model.loss_and_grads(params, x, targets, lengths, backend=backend)

    def loss():
        return model.evaluate(params, x, targets, lengths, backend=backend)[1].loss

    for name, p in params.items():
        np.testing.assert_allclose(ev.grads[name], numeric_gradient(loss, p), atol=1e-8, rtol=1e-5, err_msg=name)
    np.testing.assert_allclose(ev.backward.dx, numeric_gradient(loss, x), atol=1e-8, rtol=1e-5, err_msg="x")


@pytest.mark.parametrize("case", ["tdnn", "narx-softmax", "narx-teacher"])
def test_gradient_flow_is_one_backward_pass_per_loss_step(case):
    spec, activation, mode = CASES[case]
    model = DelayClassifier(spec, spec.output_size if spec.cell == "narx" else 3, activation, mode)
    params = model.init_params(seed=1, dtype=np.float64)
    x, targets, _ = _batch(model, T=6, B=1)
    ins = inspect(model, params, x, targets)
    net, head = model.split(params)
    d = ins.loss.d_output
    for t in range(6):
        alone = np.zeros_like(d)
        alone[t] = d[t]
        dh = delay_backward(spec, net, ins.trace, alone, head=head).dh
        np.testing.assert_allclose(ins.flow[:, t], np.sqrt((dh**2).sum(axis=(2, 3))), rtol=1e-10, atol=1e-15)
    assert np.all(np.triu(ins.flow[-1], 1) == 0)  # the loss at t reaches no state after t


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", ["narx-softmax", "narx-sigmoid-last", "narx-identity", "narx-teacher"])
def test_narx_kernels_equal_the_reference(case, dtype):
    spec, activation, mode = CASES[case]
    model = DelayClassifier(spec, spec.output_size, activation, mode)
    params = model.init_params(seed=2, dtype=dtype)
    x, targets, lengths = _batch(model, T=9, B=3)
    x, targets = x.astype(dtype), targets if activation == "softmax" else targets.astype(dtype)
    fast = model.loss_and_grads(params, x, targets, lengths, backend="numba")
    slow = model.loss_and_grads(params, x, targets, lengths, backend="reference")
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(fast.trace.outputs, slow.trace.outputs, rtol=tol, atol=tol)
    np.testing.assert_allclose(fast.backward.dh, slow.backward.dh, rtol=tol, atol=tol)
    for name in fast.grads:
        np.testing.assert_allclose(fast.grads[name], slow.grads[name], rtol=tol * 10, atol=tol, err_msg=name)


def test_tdnn_matches_a_causal_conv1d():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    u, W, b = rng.normal(size=(10, 2, 4)), rng.normal(size=(5, 4, 3)), rng.normal(size=5)
    conv = torch.nn.functional.conv1d(torch.tensor(u.transpose(1, 2, 0)), torch.tensor(W), torch.tensor(b), padding=2)
    a, _ = tdnn_layer_forward(u, W, b)
    np.testing.assert_allclose(a, conv.numpy()[..., :10].transpose(2, 0, 1), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------------------------ checks from the literature


def test_tdnn_waibel_shapes_and_shift_invariance():
    """Waibel et al. 1989: 16 coefficients × 15 frames, 8 units × 13 frames (window 3), 3 × 9 (window 5). Shifting
    the input by one frame shifts every hidden activation by exactly one frame."""
    rng = np.random.default_rng(0)
    W1, b1 = rng.normal(size=(8, 16, 3)) * 0.3, rng.normal(size=8)
    W2, b2 = rng.normal(size=(3, 8, 5)) * 0.3, rng.normal(size=3)

    def layers(x):
        _, h1 = tdnn_layer_forward(x, W1, b1)
        _, h2 = tdnn_layer_forward(h1, W2, b2)
        return valid_frames(h1, 3), valid_frames(h2, 3 + 5 - 1)

    x = rng.normal(size=(16, 1, 16))  # one frame more than Waibel's 15, to shift within
    h1, h2 = layers(x[:15])
    assert h1.shape == (13, 1, 8) and h2.shape == (9, 1, 3)
    s1, s2 = layers(x[1:16])  # the same utterance one frame later
    np.testing.assert_allclose(s1[:-1], h1[1:], rtol=0, atol=1e-12)
    np.testing.assert_allclose(s2[:-1], h2[1:], rtol=0, atol=1e-12)
    # and the lab's causal model: a frame of silence before the input delays every activation by one frame
    spec = DelaySpec("tdnn", input_size=16, hidden_size=8, num_layers=2, window=3)
    params = {"weight_l0": W1, "bias_l0": b1, "weight_l1": rng.normal(size=(8, 8, 3)), "bias_l1": b1}
    late = np.concatenate([np.zeros((1, 1, 16)), x[:15]])
    first, second = delay_forward(spec, params, x[:15]), delay_forward(spec, params, late)
    for layer, (a, b) in enumerate(zip(first.layers, second.layers, strict=True)):
        skip = layer * 2  # frames whose window reaches the silent frame's own activations below
        np.testing.assert_allclose(b.gates_pre[1 + skip :], a.gates_pre[skip:], rtol=0, atol=1e-12)


def test_ar_least_squares_recovers_the_coefficients():
    true = np.array([0.6, -0.3, 0.2])
    y = simulate_ar(true, 20_000, np.random.default_rng(0), intercept=0.5, noise=0.5)
    w0, w = fit_ar(y, 3)
    np.testing.assert_allclose(w, true, atol=0.02)
    assert abs(w0 - 0.5) < 0.03
    w0, w = fit_ar(y, 5)  # an order too high: the extra coefficients come out near zero
    np.testing.assert_allclose(w, [*true, 0, 0], atol=0.02)


def _lag_gradients(Ky: int, seeds=range(12), T=60) -> np.ndarray:
    """Mean over random networks of ‖∂L_T/∂x_(T−lag)‖, NARX with one input tap (all memory is feedback)."""
    out = []
    for seed in seeds:
        spec = DelaySpec("narx", 1, 8, input_delays=1, output_delays=Ky, output_size=1)
        model = DelayClassifier(spec, 1, "identity", "last")
        params = model.init_params(seed, np.float64)
        params["weight_y"] *= 3.0 / np.sqrt(Ky)  # a feedback strong enough to carry something, the same for all Ky
        x = np.random.default_rng(seed).normal(size=(T, 1, 1))
        ev = model.loss_and_grads(params, x, np.zeros((1, 1)))
        out.append(np.abs(ev.backward.dx[::-1, 0, 0]))
    return np.exp(np.log(np.maximum(np.array(out), 1e-300)).mean(axis=0))


def test_narx_gradient_decays_more_slowly_with_more_output_delays():
    """Lin, Horne, Tiňo & Giles 1996: with Ky output delays the gradient reaches lag n through about n/Ky
    Jacobians instead of n, so it vanishes more slowly."""
    lags = np.arange(1, 40)
    slopes = []
    for Ky in (1, 2, 4):
        g = _lag_gradients(Ky)
        slopes.append(np.polyfit(lags, np.log(g[lags]), 1)[0])  # decay of log ‖∂L/∂x‖ per step of lag
    assert slopes[0] < slopes[1] < slopes[2] < 0, slopes


# ------------------------------------------------------------------------------------------ training, bad input


@pytest.mark.parametrize("cell", ["tdnn", "narx", "ar"])
def test_trainer_trains_and_restores_a_delay_network(cell):
    spec = DelaySpec(cell, input_size=1, hidden_size=6, window=3, output_size=1)
    model = DelayClassifier(spec, 1, "identity", "per_step")
    rng = np.random.default_rng(0)
    t = np.arange(21)[:, None] * 0.3 + rng.uniform(0, 6, 16)
    x, y = np.sin(t[:-1])[..., None].astype(np.float32), np.sin(t[1:])[..., None].astype(np.float32)
    trainer = Trainer(model, config=TrainConfig(lr=0.02, seed=1))
    first = trainer.step(x, y, np.full(16, 20)).loss
    for _ in range(150):
        last = trainer.step(x, y, np.full(16, 20)).loss
    assert last < first / 4
    scalars, arrays = trainer.checkpoint()
    again = Trainer(model, config=TrainConfig(lr=0.02, seed=7))
    again.restore_checkpoint(scalars, arrays)
    assert again.step(x, y, np.full(16, 20)).loss == trainer.step(x, y, np.full(16, 20)).loss


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: DelaySpec("tdnn", window=0), "window of at least 1"),
        (lambda: DelaySpec("narx", output_delays=0), "output delays of at least 1"),
        (lambda: DelaySpec("narx", input_delays=0), "input delays of at least 1"),
        (lambda: DelaySpec("ar", window=-2), "window of at least 1"),
        (lambda: DelaySpec("tdnn", window=30).check_steps(20), "longer than the sequence"),
        (lambda: DelaySpec("narx", output_delays=25).check_steps(20), "longer than the sequence"),
        (lambda: DelaySpec("narx", output_delays=20).check_steps(20), "none before the sequence ends"),
        (lambda: fit_ar(np.arange(9.0), 5), "at most 4"),
        (lambda: DelayClassifier(DelaySpec("narx", feedback="teacher"), 1, "identity", "last"), "closed-loop"),
    ],
)
def test_bad_delay_settings_are_named(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_teacher_forcing_without_true_outputs_is_refused():
    spec = DelaySpec("narx", feedback="teacher")
    params = DelayClassifier(spec, 1, "identity").init_params()
    net = {k: v for k, v in params.items() if not k.startswith("head.")}
    head = {k: v for k, v in params.items() if k.startswith("head.")}
    with pytest.raises(ValueError, match="true output at every step"):
        delay_forward(spec, net, np.zeros((6, 1, 1), np.float32), head=head)
    with pytest.raises(ValueError, match="longer than the sequence"):
        delay_forward(replace(spec, feedback="closed", input_delays=9), net | {"weight_x": np.zeros((8, 1, 9),
                      np.float32)}, np.zeros((6, 1, 1), np.float32), head=head)  # fmt: skip


@pytest.mark.parametrize("case", ["tdnn", "narx-softmax"])
def test_tap_shares_add_up_to_the_pre_activation(case):
    spec, activation, mode = CASES[case]
    model = DelayClassifier(spec, spec.output_size if spec.cell == "narx" else 3, activation, mode)
    params = model.init_params(seed=4, dtype=np.float64)
    x, targets, _ = _batch(model, T=6, B=1)
    ins = inspect(model, params, x, targets)
    for layer, taps in enumerate(ins.taps):
        total = taps.sum(axis=3) + (ins.feedback_taps.sum(axis=3) if ins.feedback_taps is not None else 0)
        bias = params["bias"] if spec.cell == "narx" else params[f"bias_l{layer}"]
        np.testing.assert_allclose(total + bias, ins.trace.layers[layer].gates_pre, rtol=1e-12, atol=1e-12)


def test_a_trained_ar_reads_as_ar_coefficients_and_approaches_least_squares():
    """The lab's AR(K) (a linear window read by a linear output) is y_(t+1) = w_0 + Σ_k w_(k+1) x_(t−k): its
    predictions equal those coefficients', and trained on an AR(2) series they approach the least-squares fit."""
    spec = DelaySpec("ar", input_size=1, hidden_size=3, window=2)
    model = DelayClassifier(spec, 1, "identity", "per_step")
    series = simulate_ar([0.6, -0.3], 4000, np.random.default_rng(0), intercept=0.2, noise=0.3)
    x, y = series[:-1, None, None].astype(np.float32), series[1:, None, None].astype(np.float32)
    trainer = Trainer(model, config=TrainConfig(lr=0.01, seed=0, clip_norm=None))
    for k in range(600):
        start = (k * 97) % 3800
        trainer.step(x[start : start + 100], y[start : start + 100], np.array([100]))
    ins = inspect(model, trainer.params, x[:200], y[:200], with_flow=False)
    (w0, w), fitted = ins.ar_fit
    prediction = ins.loss.prediction[2:, 0, 0]
    np.testing.assert_allclose(prediction, w0 + w[0] * x[2:200, 0, 0] + w[1] * x[1:199, 0, 0], rtol=1e-4, atol=1e-4)
    ls0, ls = fit_ar(series, 2)
    np.testing.assert_allclose(w, ls, atol=0.05)
    assert abs(w0 - ls0) < 0.05 and fitted is not None
