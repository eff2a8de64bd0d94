import numpy as np
import pytest
from scipy.special import logsumexp

from engine import rbm
from engine.patterns import bars_and_stripes
from engine.rbm import dbn, kernels, model, reference

BARS_AND_STRIPES = bars_and_stripes(3, 3)


def _random_model(n_visible: int, n_hidden: int, seed: int, scale: float = 1.0) -> rbm.RBM:
    """An RBM with large enough random parameters that the conditionals are far from 1/2."""
    rng = np.random.default_rng(seed)
    return rbm.RBM(
        rng.normal(0, scale, (n_visible, n_hidden)),
        rng.normal(0, scale, n_visible),
        rng.normal(0, scale, n_hidden),
    )


def _states(n: int) -> np.ndarray:
    """All 2**n binary states of n units: (2**n, n) float64."""
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(float)


def _negative_energy_table(m: rbm.RBM) -> np.ndarray:
    """-E(v, h) for every joint state, indexed [v_state, h_state], straight from the definition of E."""
    V, H = _states(m.n_visible), _states(m.n_hidden)
    return np.einsum("vi,ij,hj->vh", V, m.W, H) + (V @ m.b_visible)[:, None] + (H @ m.b_hidden)[None, :]


# ---- the equations against brute-force enumeration ----


def test_conditionals_match_brute_force_enumeration_of_the_joint():
    m = _random_model(4, 3, seed=0)
    joint = np.exp(_negative_energy_table(m))  # unnormalised p(v, h)
    V, H = _states(4), _states(3)
    p_h_given_v = (joint @ H) / joint.sum(axis=1, keepdims=True)  # E[h | v] = p(h_j = 1 | v)
    p_v_given_h = (joint.T @ V) / joint.sum(axis=0)[:, None]
    for impl in (reference, kernels):
        np.testing.assert_allclose(impl.hidden_prob(V, m.W, m.b_hidden), p_h_given_v, rtol=1e-12)
        np.testing.assert_allclose(impl.visible_prob(H, m.W, m.b_visible), p_v_given_h, rtol=1e-12)


def test_free_energy_is_minus_log_sum_over_hidden_states_of_exp_minus_energy():
    m = _random_model(4, 3, seed=1)
    expected = -logsumexp(_negative_energy_table(m), axis=1)
    np.testing.assert_allclose(rbm.free_energy(m, _states(4)), expected, rtol=1e-12)


@pytest.mark.parametrize(("n_visible", "n_hidden"), [(4, 3), (3, 5), (5, 5)])
@pytest.mark.parametrize("chunk_elements", [1 << 21, 7])
def test_exact_log_likelihood_matches_brute_force(n_visible, n_hidden, chunk_elements, monkeypatch):
    monkeypatch.setattr(model, "_CHUNK_ELEMENTS", chunk_elements)  # 7 forces one state per chunk
    m = _random_model(n_visible, n_hidden, seed=n_visible * 10 + n_hidden)
    table = _negative_energy_table(m)
    log_z = logsumexp(table)
    assert rbm.log_partition(m) == pytest.approx(log_z, rel=1e-12)
    data = _states(n_visible)[[0, 3, 3, 5]]
    expected = np.mean(logsumexp(table, axis=1)[[0, 3, 3, 5]]) - log_z
    assert rbm.log_likelihood(m, data) == pytest.approx(expected, rel=1e-12)


def test_exact_probabilities_sum_to_one():
    m = _random_model(6, 4, seed=2)
    log_p = -rbm.free_energy(m, _states(6)) - rbm.log_partition(m)
    assert np.exp(log_p).sum() == pytest.approx(1.0, rel=1e-12)


# ---- Numba kernels against the NumPy reference ----


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gibbs_step_kernel_draws_the_reference_samples_from_the_same_uniforms(seed):
    rng = np.random.default_rng(seed)
    m = _random_model(7, 5, seed=seed)
    v = (rng.random((6, 7)) < 0.5).astype(float)
    u_h, u_v = rng.random((6, 5)), rng.random((6, 7))
    expected = reference.gibbs_step(v, m.W, m.b_visible, m.b_hidden, u_h, u_v)
    actual = kernels.gibbs_step(v, m.W, m.b_visible, m.b_hidden, u_h, u_v)
    for got, want in zip(actual, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_array_equal(actual[1], expected[1])
    np.testing.assert_array_equal(actual[3], expected[3])


def test_gibbs_chain_kernel_matches_reference_including_clamping():
    rng = np.random.default_rng(5)
    m = _random_model(6, 4, seed=5)
    steps, B = 20, 3
    v0 = (rng.random((B, 6)) < 0.5).astype(float)
    clamp = np.broadcast_to(np.array([True, False, False, True, False, False]), (B, 6)).copy()
    u_h, u_v = rng.random((steps + 1, B, 4)), rng.random((steps, B, 6))
    expected = reference.gibbs_chain(v0, m.W, m.b_visible, m.b_hidden, clamp, u_h, u_v)
    visible, hidden = np.empty((steps + 1, B, 6)), np.empty((steps + 1, B, 4))
    visible_prob, hidden_prob = np.empty_like(visible), np.empty_like(hidden)
    args = (v0, m.W, m.b_visible, m.b_hidden, clamp, u_h, u_v, visible, hidden, visible_prob, hidden_prob)
    kernels.gibbs_chain_into(*args)
    np.testing.assert_array_equal(visible, expected[0])
    np.testing.assert_array_equal(hidden, expected[1])
    np.testing.assert_allclose(visible_prob, expected[2], rtol=1e-12)
    np.testing.assert_allclose(hidden_prob, expected[3], rtol=1e-12)


@pytest.mark.parametrize(("k", "n_chains"), [(1, 8), (3, 8), (2, 5)])
def test_cd_gradient_kernel_matches_reference(k, n_chains):
    rng = np.random.default_rng(k)
    m = _random_model(9, 6, seed=k)
    v_data = BARS_AND_STRIPES[:8].astype(float)
    v_chain = v_data if n_chains == 8 else (rng.random((n_chains, 9)) < 0.5).astype(float)
    u_h, u_v = rng.random((k, n_chains, 6)), rng.random((k, n_chains, 9))
    expected = reference.cd_gradient(v_data, v_chain, m.W, m.b_visible, m.b_hidden, u_h, u_v)
    actual = kernels.cd_gradient(v_data, v_chain, m.W, m.b_visible, m.b_hidden, u_h, u_v)
    for got, want in zip(actual, expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(actual[3], expected[3])


def _epoch_inputs(persistent: bool, k: int, dtype: type, seed: int = 0) -> dict:
    """An epoch's arguments for ``train_batches``: 23 rows of 20 units in batches of 5 (the last one of 3),
    a model with sharp conditionals, momentum and weight decay, and the uniforms of every batch."""
    rng = np.random.default_rng(seed)
    m = _random_model(20, 7, seed)
    rows = (rng.random((23, 20)) < 0.3).astype(np.uint8)
    chains = (rng.random((5, 20)) < 0.5).astype(dtype)
    n_chains = [5] * 5 if persistent else [5, 5, 5, 5, 3]
    u = rng.random(sum(k * c * 27 for c in n_chains))
    params = [np.array(a, dtype) for a in (m.W, m.b_visible, m.b_hidden, 0.1 * m.W, 0.1 * m.b_visible, m.b_hidden)]
    return {"rows": rows, "order": rng.permutation(23), "first": 0, "n_batches": 5, "batch_size": 5,
            "persistent": persistent, "chains": chains, "W": params[0], "b": params[1], "c": params[2],
            "vW": params[3], "vb": params[4], "vc": params[5], "u": u, "lr": 0.3, "momentum": 0.5,
            "weight_decay": 0.01, "k": k}  # fmt: skip


def _run_kernel(inputs: dict, threads: int = 1) -> int:
    """The kernel with BLAS on ``threads`` threads (the tests start with one, as the app does)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas"):
        return kernels.train_batches(*inputs.values())


@pytest.mark.parametrize(("persistent", "k"), [(True, 1), (False, 1), (True, 3), (False, 2)])
def test_train_batches_kernel_draws_the_reference_samples_and_makes_its_updates(persistent, k):
    """The trainer's fused kernel, in float64, against the per-batch reference (CD gradient, then momentum
    step): the same chains from the same uniforms, the same parameters up to the order of the sums."""
    expected, actual = _epoch_inputs(persistent, k, np.float64), _epoch_inputs(persistent, k, np.float64)
    used = reference.train_batches(*expected.values())
    assert _run_kernel(actual) == used == len(actual["u"])
    np.testing.assert_array_equal(actual["chains"], expected["chains"])
    for name in ("W", "b", "c", "vW", "vb", "vc"):
        np.testing.assert_allclose(actual[name], expected[name], rtol=1e-12, atol=1e-13, err_msg=name)
    assert not np.allclose(actual["W"], _epoch_inputs(persistent, k, np.float64)["W"])  # it did train


@pytest.mark.parametrize("persistent", [True, False])
def test_train_batches_in_float32_follows_the_float64_reference_and_threads_change_nothing(persistent):
    """float32 rounds the conditionals by about 1e-7, which moves a sample only when its uniform falls that
    close to its probability (none of these 2,000 draws); the updates then agree to float32's precision. At
    this size BLAS keeps each product in one thread: two threads give one's numbers."""
    expected, one, two = (_epoch_inputs(persistent, 2, dtype) for dtype in (np.float64, np.float32, np.float32))
    reference.train_batches(*expected.values())
    _run_kernel(one, threads=1)
    _run_kernel(two, threads=2)
    np.testing.assert_array_equal(one["chains"], expected["chains"])
    for name in ("W", "b", "c", "vW", "vb", "vc"):
        np.testing.assert_allclose(one[name], expected[name], rtol=1e-5, atol=1e-5, err_msg=name)
        np.testing.assert_array_equal(two[name], one[name], err_msg=name)


def test_train_batches_on_two_blas_threads_agrees_with_one_to_float32s_precision():
    """At the benchmark's size (batches of 64, 784 x 256) two BLAS threads sum some products in another order:
    not the same bits as one thread (a run is reproducible for a given thread count; the app keeps BLAS on one),
    but the same samples and the same parameters to float32's precision."""
    rng = np.random.default_rng(3)
    rows = (rng.random((200, 784)) < 0.2).astype(np.float32)
    runs = []
    for threads in (1, 2):
        W = (0.01 * np.random.default_rng(0).standard_normal((784, 256))).astype(np.float32)
        args = [W, np.zeros(784, np.float32), np.zeros(256, np.float32)]
        args += [np.zeros_like(a) for a in args]
        chains = np.zeros((64, 784), np.float32)
        u = np.random.default_rng(1).random(4 * 64 * (784 + 256), dtype=np.float32)
        inputs = {"rows": rows, "order": np.arange(200), "first": 0, "n_batches": 4, "batch_size": 64,
                  "persistent": True, "chains": chains, "W": args[0], "b": args[1], "c": args[2], "vW": args[3],
                  "vb": args[4], "vc": args[5], "u": u, "lr": 0.05, "momentum": 0.5, "weight_decay": 1e-4,
                  "k": 1}  # fmt: skip
        _run_kernel(inputs, threads)
        runs.append([chains, *args])
    np.testing.assert_array_equal(runs[0][0], runs[1][0])  # the chains: the same samples
    for one, two in zip(runs[0][1:], runs[1][1:], strict=True):
        np.testing.assert_allclose(one, two, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_measure_kernel_is_the_reconstruction_error_and_the_mean_free_energy(dtype):
    m = _random_model(20, 7, seed=4)
    rows = (np.random.default_rng(4).random((2500, 20)) < 0.3).astype(dtype)
    W, b, c = (np.asarray(a, dtype) for a in (m.W, m.b_visible, m.b_hidden))
    error, energy = kernels.measure(rows, W, b, c, True)
    reconstruction = reference.sigmoid(reference.sigmoid(rows @ m.W + m.b_hidden) @ m.W.T + m.b_visible)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(error, np.mean((rows - reconstruction) ** 2), rtol=tolerance)
    np.testing.assert_allclose(energy, reference.free_energy(rows, m.W, m.b_visible, m.b_hidden).mean(), rtol=tolerance)
    assert np.isnan(kernels.measure(rows, W, b, c, False)[0])


def test_cd_gradient_with_the_exact_model_distribution_is_the_log_likelihood_gradient():
    """The CD formula's two phases are <v h>_data - <v h>_model; with the model phase given exact samples
    (every visible state, repeated in proportion to p(v)), it equals the finite-difference
    gradient of log p."""
    m = _random_model(4, 3, seed=7, scale=0.5)
    data = _states(4)[[1, 6, 7, 12]]
    log_p = -rbm.free_energy(m, _states(4)) - rbm.log_partition(m)
    counts = np.round(np.exp(log_p) * 200_000).astype(int)
    model_samples = np.repeat(_states(4), counts, axis=0)
    ph_data = reference.hidden_prob(data, m.W, m.b_hidden)
    ph_model = reference.hidden_prob(model_samples, m.W, m.b_hidden)
    dW = data.T @ ph_data / len(data) - model_samples.T @ ph_model / len(model_samples)
    eps, numeric = 1e-6, np.empty_like(m.W)
    for i, j in np.ndindex(m.W.shape):
        plus, minus = m.copy(), m.copy()
        plus.W[i, j] += eps
        minus.W[i, j] -= eps
        numeric[i, j] = (rbm.log_likelihood(plus, data) - rbm.log_likelihood(minus, data)) / (2 * eps)
    np.testing.assert_allclose(dW, numeric, atol=2e-4)


# ---- Gibbs sampling ----


def test_gibbs_trace_shapes_for_one_state_and_for_a_batch():
    m = rbm.init(9, 5, seed=0)
    single = rbm.gibbs(m, BARS_AND_STRIPES[0], steps=10, seed=0)
    assert single.visible.shape == single.visible_prob.shape == (11, 9)
    assert single.hidden.shape == single.hidden_prob.shape == (11, 5)
    batch = rbm.gibbs(m, BARS_AND_STRIPES[:4], steps=10, seed=0)
    assert batch.visible.shape == (11, 4, 9) and batch.hidden_prob.shape == (11, 4, 5)
    np.testing.assert_array_equal(batch.visible[0], BARS_AND_STRIPES[:4])
    assert set(np.unique(batch.visible)) <= {0.0, 1.0} and set(np.unique(batch.hidden)) <= {0.0, 1.0}


def test_gibbs_is_reproducible_from_its_seed():
    m = _random_model(9, 5, seed=3, scale=0.3)
    first = rbm.gibbs(m, BARS_AND_STRIPES[:4], steps=30, seed=11)
    again = rbm.gibbs(m, BARS_AND_STRIPES[:4], steps=30, seed=11)
    other = rbm.gibbs(m, BARS_AND_STRIPES[:4], steps=30, seed=12)
    np.testing.assert_array_equal(first.visible, again.visible)
    np.testing.assert_array_equal(first.hidden, again.hidden)
    assert not np.array_equal(first.visible, other.visible)


def test_gibbs_chain_samples_the_exact_model_distribution():
    m = _random_model(4, 3, seed=4)
    trace = rbm.gibbs(m, np.zeros((400, 4)), steps=120, seed=0)
    codes = (trace.visible[20:].reshape(-1, 4) @ (1 << np.arange(4))).astype(int)
    empirical = np.bincount(codes, minlength=16) / len(codes)
    exact = np.exp(-rbm.free_energy(m, _states(4)) - rbm.log_partition(m))
    assert 0.5 * np.abs(empirical - exact).sum() < 0.02  # total variation distance


def test_clamped_units_never_change_and_the_others_do():
    m = _random_model(9, 6, seed=6, scale=0.5)
    v0 = BARS_AND_STRIPES[[3, 9]]
    clamp = np.zeros(9, bool)
    clamp[[0, 1, 2]] = True  # hold the top row, let the network complete the rest
    trace = rbm.gibbs(m, v0, steps=200, seed=1, clamp=clamp)
    np.testing.assert_array_equal(trace.visible[:, :, clamp], np.broadcast_to(v0[:, clamp], (201, 2, 3)))
    np.testing.assert_array_equal(trace.visible_prob[:, :, clamp], trace.visible[:, :, clamp])
    assert (trace.visible[:, :, ~clamp] != trace.visible[:1, :, ~clamp]).any()


def test_trained_model_completes_a_half_clamped_pattern():
    m = rbm.init(9, 16, seed=0)
    rbm.train(m, BARS_AND_STRIPES, epochs=1500, lr=0.1, batch_size=14, momentum=0.5, log_likelihood_every=0)
    v0 = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0], float)  # first row on: a stripe, or the first row of nothing
    clamp = np.array([True, True, True, False, False, False, True, False, False])  # also the last row's start
    trace = rbm.gibbs(m, np.tile(v0, (200, 1)), steps=50, seed=2, clamp=clamp)
    completions = trace.visible[-1].reshape(-1, 3, 3)
    # the only bars-and-stripes images with this top row and a 0 at bottom-left are the single-stripe ones
    stripes = (completions == completions[:, :, :1]).all(axis=(1, 2))
    assert stripes.mean() > 0.4  # chance: 2 of the 32 settings of the 5 free units


# ---- training ----


@pytest.mark.parametrize(
    ("persistent", "batch_size", "momentum", "epochs"), [(False, 14, 0.5, 1500), (True, 100, 0.0, 2000)]
)
def test_training_on_bars_and_stripes_raises_the_exact_log_likelihood(persistent, batch_size, momentum, epochs):
    m = rbm.init(9, 16, seed=0)
    uniform = -9 * np.log(2)  # about -6.24, the log-likelihood of the untrained (near-uniform) model
    assert rbm.log_likelihood(m, BARS_AND_STRIPES) == pytest.approx(uniform, abs=0.01)
    history = rbm.train(
        m, BARS_AND_STRIPES, epochs=epochs, lr=0.1, k=1, persistent=persistent, batch_size=batch_size,
        momentum=momentum, log_likelihood_every=250,
    )  # fmt: skip
    # seeds 0-11 all end between -3.7 and -3.1 (the optimum is -ln 14 = -2.64)
    assert rbm.log_likelihood(m, BARS_AND_STRIPES) > -4.0
    recorded = history.log_likelihood[~np.isnan(history.log_likelihood)]
    assert len(recorded) == epochs // 250 and recorded[-1] > recorded[0] + 1.5
    assert history.reconstruction_error[-1] < history.reconstruction_error[0] / 10


def test_history_has_one_entry_per_epoch_and_snapshots_on_schedule():
    m = rbm.init(9, 8, seed=1)
    history = rbm.train(m, BARS_AND_STRIPES[:10], epochs=12, validation=BARS_AND_STRIPES[10:], snapshot_every=5)
    for series in (history.reconstruction_error, history.log_likelihood, history.free_energy):
        assert series.shape == (12,) and np.isfinite(series).all()
    assert np.isfinite(history.validation_free_energy).all()
    assert history.snapshot_epochs == [4, 9] and history.snapshots[0].shape == (9, 8)
    assert not np.array_equal(history.snapshots[0], history.snapshots[1])
    assert not np.shares_memory(history.snapshots[1], m.W)
    assert history.stopped_reason is None and history.epochs == 12


def test_the_record_measures_in_float32_what_the_float64_equations_give():
    m = rbm.init(9, 8, seed=1)
    history = rbm.train(m, BARS_AND_STRIPES[:10], epochs=3, validation=BARS_AND_STRIPES[10:], lr=0.5)
    W, b, c = m.W, m.b_visible, m.b_hidden
    reconstruction = reference.visible_prob(reference.hidden_prob(BARS_AND_STRIPES[:10], W, c), W, b)
    assert history.reconstruction_error[-1] == pytest.approx(np.mean((BARS_AND_STRIPES[:10] - reconstruction) ** 2))
    assert history.free_energy[-1] == pytest.approx(rbm.free_energy(m, BARS_AND_STRIPES[:10]).mean(), rel=1e-6)
    held_out = rbm.free_energy(m, BARS_AND_STRIPES[10:]).mean()
    assert history.validation_free_energy[-1] == pytest.approx(held_out, rel=1e-6)
    assert history.log_likelihood[-1] == rbm.log_likelihood(m, BARS_AND_STRIPES[:10])


def test_log_likelihood_is_nan_in_history_when_intractable_and_free_energy_without_validation():
    m = rbm.init(30, 25, seed=0)
    history = rbm.train(m, np.eye(30)[:6], epochs=2)
    assert np.isnan(history.log_likelihood).all() and np.isnan(history.validation_free_energy).all()
    assert np.isfinite(history.free_energy).all()


def test_training_is_reproducible_from_its_seed():
    runs = []
    for seed in (4, 4, 5):
        m = rbm.init(9, 6, seed=0)
        rbm.train(m, BARS_AND_STRIPES, epochs=5, persistent=True, batch_size=4, seed=seed)
        runs.append(m.W)
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])


def test_on_epoch_sees_every_epoch_and_can_stop_training():
    seen = []

    def on_epoch(epoch: int, m: rbm.RBM, history: rbm.History) -> bool:
        seen.append((epoch, history.epochs))
        return epoch < 2

    history = rbm.train(rbm.init(9, 4), BARS_AND_STRIPES, epochs=10, on_epoch=on_epoch)
    assert seen == [(0, 1), (1, 2), (2, 3)]
    assert history.epochs == 3 and "on_epoch" in history.stopped_reason


def test_divergence_stops_training_and_keeps_the_last_good_parameters():
    m = rbm.init(9, 16, seed=0)
    after_epoch = [m.copy()]  # the parameters at the start, then after each completed epoch
    history = rbm.train(
        m,
        BARS_AND_STRIPES,
        epochs=50,
        lr=1e38,
        momentum=0.9,
        batch_size=4,
        on_epoch=lambda e, model, h: after_epoch.append(model.copy()),
    )
    # training runs in float32: the velocity, growing by momentum, overflows its limit (3.4e38) in epoch 1
    assert history.stopped_reason.startswith(f"diverged in epoch {history.epochs}")
    assert 0 < history.epochs < 50 and len(after_epoch) == history.epochs + 1
    assert m.is_finite() and np.isfinite(history.free_energy).all()
    for name in ("W", "b_visible", "b_hidden"):
        np.testing.assert_array_equal(getattr(m, name), getattr(after_epoch[-1], name))


# ---- deep belief networks ----


def test_dbn_stacks_layers_and_its_samples_look_like_the_data():
    net = dbn.train_dbn(
        BARS_AND_STRIPES, [16, 8], epochs=1500, lr=0.1, batch_size=14, momentum=0.5, log_likelihood_every=0
    )
    assert [layer.W.shape for layer in net.layers] == [(9, 16), (16, 8)]
    assert all(h.epochs == 1500 for h in net.histories)
    drawn = dbn.sample(net, n_samples=300, steps=100, seed=1)
    assert drawn.visible.shape == drawn.visible_prob.shape == (300, 9)
    valid = {tuple(p) for p in BARS_AND_STRIPES.astype(float)}
    # chance would give 14 / 512 < 3%; the trained DBN gives about half
    assert np.mean([tuple(v) in valid for v in drawn.visible]) > 0.3
    np.testing.assert_array_equal(drawn.visible, dbn.sample(net, n_samples=300, steps=100, seed=1).visible)


def test_dbn_training_stops_when_on_epoch_says_so():
    net = dbn.train_dbn(BARS_AND_STRIPES, [6, 4, 3], epochs=5, on_epoch=lambda layer, epoch, m, h: layer < 1)
    assert len(net.layers) == 2 and net.histories[1].epochs == 1


# ---- bad input ----

_MODEL = rbm.init(9, 4, seed=0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rbm.train(_MODEL, BARS_AND_STRIPES * 0.5), r"data must be binary \(0 or 1\), but holds 0.5"),
        (lambda: rbm.train(_MODEL, np.ones((4, 8))), r"data has shape \(4, 8\), expected \(rows, 9\)"),
        (lambda: rbm.train(_MODEL, np.full((4, 9), np.nan)), "data holds NaN"),
        (lambda: rbm.train(_MODEL, np.ones((0, 9))), "data is empty"),
        (lambda: rbm.train(_MODEL, [["a"] * 9]), "data must hold numbers"),
        (lambda: rbm.train(_MODEL, BARS_AND_STRIPES, lr=-1.0), "lr must be a finite number"),
        (lambda: rbm.train(_MODEL, BARS_AND_STRIPES, lr=np.nan), "lr must be a finite number"),
        (lambda: rbm.train(_MODEL, BARS_AND_STRIPES, momentum=1.0), "momentum must be below 1"),
        (lambda: rbm.train(_MODEL, BARS_AND_STRIPES, k=0), "k must be a positive integer"),
        (lambda: rbm.train(_MODEL, BARS_AND_STRIPES, validation=np.ones((2, 3))), "validation has shape"),
        (lambda: rbm.train(rbm.RBM(np.full((9, 4), np.nan), np.zeros(9), np.zeros(4)), BARS_AND_STRIPES),
         "model.W holds NaN"),
        (lambda: rbm.train(rbm.RBM(np.zeros((9, 4)), np.zeros(8), np.zeros(4)), BARS_AND_STRIPES),
         r"model.b_visible has shape \(8,\)"),
        (lambda: rbm.gibbs(_MODEL, BARS_AND_STRIPES[0], clamp=np.ones(4, bool)), "clamp has shape"),
        (lambda: rbm.gibbs(_MODEL, BARS_AND_STRIPES[0], clamp=np.ones(9)), "clamp must be a boolean mask"),
        (lambda: rbm.gibbs(_MODEL, BARS_AND_STRIPES[0], steps=-1), "steps must be a non-negative integer"),
        (lambda: rbm.gibbs(_MODEL, BARS_AND_STRIPES, steps=10**9), "Gibbs trace .* memory cap"),
        (lambda: rbm.free_energy(_MODEL, [2] * 9), "v must be binary"),
        (lambda: rbm.log_likelihood(rbm.init(30, 25), np.zeros((1, 30))), "only tractable up to 20 units"),
        (lambda: rbm.init(10**6, 10**6), "weight matrix .* memory cap"),
        (lambda: rbm.init(0, 4), "n_visible must be a positive integer"),
        (lambda: rbm.gibbs(rbm.RBM(np.zeros((9, 4), np.float32), np.zeros(9), np.zeros(4)), BARS_AND_STRIPES),
         "model.W must be a C-contiguous float64 NumPy array"),
        (lambda: dbn.train_dbn(BARS_AND_STRIPES, []), "layer_sizes must be a non-empty list"),
        (lambda: dbn.sample(dbn.DBN([], [])), "at least one layer"),
    ],
)  # fmt: skip
def test_bad_input_raises_value_error_naming_the_problem(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_input_leaves_the_model_untouched():
    m = rbm.init(9, 4, seed=0)
    before = m.copy()
    with pytest.raises(ValueError):
        rbm.train(m, np.vstack([BARS_AND_STRIPES, [0.5] * 9]))
    np.testing.assert_array_equal(m.W, before.W)
