"""Hopfield engine: dynamics, learning rules, compact traces, naming of states, capacity and input checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import checks, hopfield
from engine.hopfield import kernels, reference


def random_patterns(rng: np.random.Generator, P: int, N: int) -> np.ndarray:
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=(P, N))


def correlated_patterns(rng: np.random.Generator, P: int, N: int, p: float) -> np.ndarray:
    """P patterns that each differ from one common base pattern in a fraction ~p of units."""
    base = random_patterns(rng, 1, N)[0]
    return np.where(rng.random((P, N)) < p, -base, base).astype(np.int8)


def gaussian_weights(rng: np.random.Generator, N: int, dtype: type = np.float64) -> np.ndarray:
    """Symmetric, zero-diagonal weights with no exact ties in the local fields."""
    G = rng.normal(size=(N, N))
    W = (G + G.T) / 2
    np.fill_diagonal(W, 0.0)
    return W.astype(dtype)


def is_fixed_point(W: np.ndarray, x: np.ndarray) -> bool:
    """Independent of the engine: no unit's field points against its state."""
    return bool(np.all(x * (W.astype(np.float64) @ x) >= 0))


# --- dynamics -------------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    N=st.integers(2, 30),
    seed=st.integers(0, 2**32 - 1),
    units=st.sampled_from(["bipolar", "binary"]),
    with_theta=st.booleans(),
)
def test_energy_never_rises_under_async_updates(N, seed, units, with_theta):
    rng = np.random.default_rng(seed)
    W = gaussian_weights(rng, N)
    theta = rng.normal(size=N) if with_theta else None
    s0 = rng.integers(0, 2, size=N) if units == "binary" else rng.choice([-1, 1], size=N)
    tr = hopfield.recall(W, s0, seed=seed, theta=theta, units=units, max_sweeps=200)
    E = hopfield.energy(W, tr.states, theta)  # recomputed from the states, not the kernel's running sum
    assert np.all(np.diff(E) <= 1e-9 * (1 + np.abs(E).max()))
    np.testing.assert_allclose(tr.energies, E, atol=1e-9 * (1 + np.abs(E).max()))
    assert tr.converged and tr.reason == "fixed point"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rule", hopfield.RULES)
def test_stored_patterns_are_fixed_points_well_below_capacity(rule, dtype):
    xi = random_patterns(np.random.default_rng(1), 5, 100)
    W = hopfield.store(xi, rule=rule, dtype=dtype)
    assert W.dtype == dtype and np.allclose(W, W.T) and not np.diag(W).any()
    for mu, x in enumerate(xi):
        tr = hopfield.recall(W, x, seed=mu)
        assert tr.converged and tr.n_sweeps == 1 and len(tr.flip_units) == 0
        assert np.array_equal(tr.final, x)


@pytest.mark.parametrize("rule", hopfield.RULES)
def test_noisy_cue_is_completed_to_the_stored_pattern(rule):
    rng = np.random.default_rng(2)
    xi = random_patterns(rng, 5, 100)
    W = hopfield.store(xi, rule=rule)
    for mu, x in enumerate(xi):
        cue = x.copy()
        cue[rng.choice(100, size=15, replace=False)] *= -1
        tr = hopfield.recall(W, cue, seed=mu)
        assert tr.converged and np.array_equal(tr.final, x)
        assert tr.energies[-1] < tr.energies[0]


def test_pseudoinverse_stores_correlated_patterns_where_hebb_fails():
    rng = np.random.default_rng(0)
    for _ in range(3):
        xi = correlated_patterns(rng, 10, 100, 0.2)
        assert np.linalg.matrix_rank(xi.astype(float)) == 10
        W_pinv, W_hebb = hopfield.store(xi, "pseudoinverse"), hopfield.store(xi, "hebb")
        assert all(is_fixed_point(W_pinv, x) for x in xi)
        assert sum(is_fixed_point(W_hebb, x) for x in xi) <= 2


def test_storkey_keeps_more_correlated_patterns_than_hebb():
    rng = np.random.default_rng(1)
    fixed = {"hebb": 0, "storkey": 0}
    for _ in range(4):
        xi = correlated_patterns(rng, 10, 100, 0.2)
        for rule in fixed:
            W = hopfield.store(xi, rule)
            fixed[rule] += sum(hopfield.recall(W, x).n_sweeps == 1 for x in xi)
    assert fixed["storkey"] >= fixed["hebb"] + 15


def two_cycle_network() -> tuple[np.ndarray, np.ndarray]:
    """Two pairs of units that excite their partner: updated together, each pair swaps its states forever."""
    W = np.kron(np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]]))
    return W, np.array([1, -1, -1, 1])


def test_sync_recall_detects_a_two_cycle():
    W, s0 = two_cycle_network()
    tr = hopfield.recall(W, s0, mode="sync")
    assert tr.reason == "2-cycle" and tr.cycle and not tr.converged
    np.testing.assert_array_equal(tr.states, [s0, -s0, s0])
    assert [set(tr.flips_at(k)) for k in range(tr.n_steps)] == [{0, 1, 2, 3}] * 2
    assert hopfield.recall(W, s0, mode="sync", max_sweeps=1).reason == "max_sweeps"


def test_async_recall_of_the_two_cycle_network_reaches_a_fixed_point():
    W, s0 = two_cycle_network()
    tr = hopfield.recall(W, s0, mode="async")
    assert tr.converged and is_fixed_point(W, tr.final)
    assert tr.final[0] == tr.final[1] and tr.final[2] == tr.final[3]


def test_sync_recall_stops_at_a_fixed_point():
    xi = random_patterns(np.random.default_rng(3), 4, 80)
    cue = xi[1].copy()
    cue[:8] *= -1
    tr = hopfield.recall(hopfield.store(xi), cue, mode="sync")
    assert tr.converged and np.array_equal(tr.final, xi[1])
    np.testing.assert_array_equal(tr.sweep_ends, np.arange(1, tr.n_steps + 1))


# --- kernels against the textbook references --------------------------------------------------------------------


@pytest.mark.parametrize("units", ["bipolar", "binary"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_async_kernel_follows_the_reference_trajectory(dtype, units):
    rng = np.random.default_rng(4)
    N = 40
    W, theta = gaussian_weights(rng, N, dtype), rng.normal(size=N)
    s0 = rng.integers(0, 2, size=N) if units == "binary" else rng.choice([-1, 1], size=N)
    for max_sweeps in (1, 100):
        tr = hopfield.recall(W, s0, theta=theta, seed=9, units=units, max_sweeps=max_sweeps)
        off = -1 if units == "bipolar" else 0
        flipped, energies, converged = reference.recall_async(W, s0, tr.visited.reshape(-1, N), theta, off)
        np.testing.assert_array_equal(tr.flipped, flipped)
        np.testing.assert_allclose(tr.energies, energies, rtol=1e-5 if dtype == np.float32 else 1e-10)
        assert tr.converged == converged == (max_sweeps == 100)


def test_async_kernel_breaks_exact_ties_like_the_reference():
    """With weights in {-1, 0, 1} fields of exactly zero are common; both must keep the unit's state there."""
    rng = np.random.default_rng(5)
    W = np.triu(rng.integers(-1, 2, size=(40, 40)), 1).astype(np.float64)
    W += W.T
    ties = 0
    for seed in range(10):
        s0 = random_patterns(rng, 1, 40)[0]
        tr = hopfield.recall(W, s0, seed=seed)
        flipped, _, _ = reference.recall_async(W, s0, tr.visited.reshape(-1, 40), np.zeros(40), -1)
        np.testing.assert_array_equal(tr.flipped, flipped)
        fields = tr.states[:-1] @ W  # field of every unit before each step
        ties += np.count_nonzero(fields[np.arange(tr.n_steps), tr.visited] == 0)
    assert ties > 0


def test_sync_kernel_follows_the_reference_trajectory():
    rng = np.random.default_rng(6)
    for _ in range(5):
        W, theta = gaussian_weights(rng, 30), rng.normal(size=30)
        s0 = rng.choice([-1, 1], size=30)
        tr = hopfield.recall(W, s0, mode="sync", theta=theta, max_sweeps=100)
        states, energies, reason = reference.recall_sync(W, s0, 100, theta, -1)
        np.testing.assert_array_equal(tr.states, states)
        np.testing.assert_allclose(tr.energies, energies, rtol=1e-10)
        assert tr.reason == reason


@pytest.mark.parametrize("rule", hopfield.RULES)
def test_learning_rules_match_their_textbook_form(rule):
    xi = random_patterns(np.random.default_rng(7), 6, 30)
    np.testing.assert_allclose(hopfield.store(xi, rule), getattr(reference, rule)(xi), atol=1e-12)


def test_binary_patterns_give_the_weights_of_their_bipolar_form():
    V = np.random.default_rng(8).integers(0, 2, size=(5, 40))
    for rule in hopfield.RULES:
        np.testing.assert_array_equal(hopfield.store(V, rule, units="binary"), hopfield.store(2 * V - 1, rule))


def test_binary_units_with_binary_theta_follow_the_bipolar_network():
    rng = np.random.default_rng(9)
    W, theta = gaussian_weights(rng, 50), rng.normal(size=50)
    s0 = rng.choice([-1, 1], size=50)
    tr_s = hopfield.recall(W, s0, theta=theta, seed=1)
    tr_v = hopfield.recall(W, (s0 + 1) // 2, theta=hopfield.binary_theta(W, theta), seed=1, units="binary")
    np.testing.assert_array_equal(tr_v.flipped, tr_s.flipped)
    np.testing.assert_array_equal(2 * tr_v.states - 1, tr_s.states)


def test_numba_kernel_energy_helpers_agree_with_the_formula():
    rng = np.random.default_rng(10)
    W, theta = gaussian_weights(rng, 20), rng.normal(size=20)
    s = rng.choice(np.array([-1, 1], dtype=np.int8), size=20)
    h = kernels.local_fields(W, s, theta)
    np.testing.assert_allclose(h, W @ s - theta)
    assert kernels.energy_from_fields(s, h, theta) == pytest.approx(reference.energy(W, s, theta))


# --- the compact trace ---------------------------------------------------------------------------------------------


@pytest.fixture
def noisy_recall() -> tuple[np.ndarray, hopfield.RecallTrace]:
    rng = np.random.default_rng(11)
    xi = random_patterns(rng, 6, 60)
    cue = xi[0].copy()
    cue[:20] *= -1
    W = hopfield.store(xi)
    return W, hopfield.recall(W, cue, seed=4)


def test_trace_rebuilds_every_state_from_its_flips(noisy_recall):
    W, tr = noisy_recall
    states = tr.states
    assert states.shape == (tr.n_steps + 1, 60) and states.dtype == np.int8
    for k in range(tr.n_steps):
        changed = np.flatnonzero(states[k + 1] != states[k])
        assert tr.flipped[k] in (-1, tr.visited[k])
        assert list(changed) == ([] if tr.flipped[k] < 0 else [tr.flipped[k]])
        np.testing.assert_array_equal(tr.state_at(k), states[k])
        np.testing.assert_array_equal(tr.flips_at(k), changed)
    np.testing.assert_allclose(tr.energies, hopfield.energy(W, states))


def test_trace_visits_every_unit_once_per_sweep(noisy_recall):
    _, tr = noisy_recall
    assert tr.n_steps == tr.sweep_ends[-1] == 60 * tr.n_sweeps
    for sweep in tr.visited.reshape(-1, 60):
        np.testing.assert_array_equal(np.sort(sweep), np.arange(60))
    last_sweep = tr.flipped[-60:]
    assert (last_sweep == -1).all()  # the sweep that proved the fixed point


def test_trace_is_compact_and_refuses_to_materialise_too_many_states(monkeypatch):
    rng = np.random.default_rng(12)
    xi = random_patterns(rng, 3, 4096)  # a 64×64 image network
    cue = xi[0].copy()
    cue[rng.choice(4096, size=800, replace=False)] *= -1
    tr = hopfield.recall(hopfield.store(xi, dtype=np.float32), cue, max_sweeps=50)
    record = sum(a.nbytes for a in (tr.energies, tr.flip_steps, tr.flip_units, tr.visited, tr.initial))
    assert record <= 24 * tr.n_steps + 4096 and record < (tr.n_steps + 1) * 4096 / 100
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 10 * 2**20)
    with pytest.raises(ValueError, match="use trace.state_at"):
        _ = tr.states
    np.testing.assert_array_equal(tr.state_at(tr.n_steps), xi[0])


def test_random_order_is_reproducible_and_fixed_order_is_index_order():
    rng = np.random.default_rng(13)
    W, s0 = gaussian_weights(rng, 25), rng.choice([-1, 1], size=25)
    a, b, c = (hopfield.recall(W, s0, seed=seed) for seed in (1, 1, 2))
    np.testing.assert_array_equal(a.visited, b.visited)
    assert not np.array_equal(a.visited[:25], c.visited[:25])
    fixed = hopfield.recall(W, s0, order="fixed")
    np.testing.assert_array_equal(fixed.visited, np.tile(np.arange(25), fixed.n_sweeps))


# --- naming states ---------------------------------------------------------------------------------------------


def test_classify_names_stored_reversed_and_spurious_states():
    rng = np.random.default_rng(14)
    xi = random_patterns(rng, 8, 101)
    assert hopfield.classify(xi[5], xi) == ("stored", 5)
    assert hopfield.classify(-xi[2], xi) == ("reversed", 2)
    assert hopfield.classify(random_patterns(rng, 1, 101)[0], xi) == ("spurious", None)
    V = (xi + 1) // 2
    assert hopfield.classify(1 - V[3], V, units="binary") == ("reversed", 3)


def test_classify_finds_signed_three_mixtures_among_many_patterns():
    rng = np.random.default_rng(15)
    xi = random_patterns(rng, 20, 200)
    for _ in range(20):
        trio = sorted(rng.choice(20, size=3, replace=False).tolist())
        signs = rng.choice([-1, 1], size=3).tolist()
        state = np.sign(np.array(signs) @ xi[trio])
        assert hopfield.classify(state, xi) == ("mixture", tuple(zip(trio, signs, strict=True)))
        almost = state.copy()
        almost[0] *= -1
        assert hopfield.classify(almost, xi).kind == "spurious"


def test_overlaps_are_normalised_dot_products():
    rng = np.random.default_rng(16)
    xi = random_patterns(rng, 4, 50)
    states = random_patterns(rng, 3, 50)
    np.testing.assert_allclose(hopfield.overlaps(states, xi), states @ xi.T.astype(float) / 50)
    np.testing.assert_allclose(hopfield.overlaps(-xi[1], xi)[1], -1.0)
    np.testing.assert_allclose(hopfield.overlaps((states + 1) // 2, (xi + 1) // 2, units="binary"), states @ xi.T / 50)


# --- capacity --------------------------------------------------------------------------------------------------


def test_capacity_experiment_shows_recall_failing_past_0_138_n():
    calls = []
    result = hopfield.capacity_experiment(
        100, [5, 10, 14, 20, 30], trials=4, progress=lambda done, total: calls.append((done, total))
    )
    f = result.recall_fraction
    assert result.theory_limit == pytest.approx(13.8)
    np.testing.assert_allclose(result.load, [0.05, 0.1, 0.14, 0.2, 0.3])
    assert f[0] == 1.0 and f[-1] < 0.3 and min(f[:2]) > max(f[3:])
    assert result.bit_error[0] == 0.0 and result.bit_error[-1] > 0.05
    assert calls == [(k, 5) for k in range(1, 6)]


def test_capacity_experiment_with_noisy_cues_and_storkey():
    result = hopfield.capacity_experiment(100, [5, 30], trials=3, rule="storkey", noise=0.1, seed=1)
    assert result.recall_fraction[0] == 1.0 and result.recall_fraction[1] < result.recall_fraction[0]


# --- bad input -----------------------------------------------------------------------------------------------------

W4 = hopfield.store(np.array([[1, -1, 1, -1], [1, 1, -1, -1]]))
S4 = np.array([1, 1, 1, -1])
P4 = np.array([[1, -1, 1, -1], [1, 1, -1, -1]])
ASYM = W4 + np.triu(np.ones((4, 4)), 1)
NAN_W = np.where(np.eye(4, dtype=bool), np.nan, W4)

BAD_INPUTS = [
    (lambda: hopfield.store([[1, 0, 1]]), "units='binary'"),
    (lambda: hopfield.store([[1, -1, 0.5]]), "must hold only -1 and 1 for bipolar units; found 0.5"),
    (lambda: hopfield.store([[1, -1]], units="binary"), "units='bipolar'"),
    (lambda: hopfield.store(np.empty((0, 5))), "store at least one pattern"),
    (lambda: hopfield.store([1, -1, 1]), "patterns must be 2-D"),
    (lambda: hopfield.store([[np.nan, 1.0]]), "patterns holds NaN"),
    (lambda: hopfield.store([[1, -1]], rule="hebbian"), "rule must be one of 'hebb', 'storkey'"),
    (lambda: hopfield.store([[1, -1]], dtype=np.int32), "dtype must be float32 or float64"),
    (lambda: hopfield.store(np.ones((1, 20000), dtype=np.int8)), "weight matrix of N=20000 units"),
    (lambda: hopfield.recall(W4, [1, 1, -1]), "s0 has shape (3,), expected (4)"),
    (lambda: hopfield.recall(W4, [1, 0, 1, 0]), "units='binary'"),
    (lambda: hopfield.recall(np.ones((4, 3)), S4), "must be square"),
    (lambda: hopfield.recall(np.zeros((0, 0)), []), "N ≥ 1"),
    (lambda: hopfield.recall(ASYM, S4), "W is not symmetric"),
    (lambda: hopfield.recall(NAN_W, S4), "W holds NaN"),
    (lambda: hopfield.recall(W4, S4, mode="parallel"), "mode must be one of 'async', 'sync'"),
    (lambda: hopfield.recall(W4, S4, order="sorted"), "order must be one of"),
    (lambda: hopfield.recall(W4, S4, max_sweeps=0), "max_sweeps must be a positive integer"),
    (lambda: hopfield.recall(W4, S4, theta=[0.0, 1.0]), "theta has shape (2,), expected (4)"),
    (lambda: hopfield.recall(W4, S4, theta=[0, 0, np.inf, 0]), "theta holds NaN or Inf"),
    (lambda: hopfield.recall(W4, S4, units="spin"), "units must be one of"),
    (lambda: hopfield.recall(W4, S4, max_sweeps=10**9), "record of 1000000000 sweeps"),
    (lambda: hopfield.recall(W4, S4, mode="sync", max_sweeps=10**9), "record of 1000000000 sweeps"),
    (lambda: hopfield.energy(W4, [1, 1]), "expected (4,) or (B, 4)"),
    (lambda: hopfield.classify(S4, np.empty((0, 4))), "patterns is empty (P=0)"),
    (lambda: hopfield.overlaps(S4, np.empty((0, 4))), "patterns is empty (P=0)"),
    (lambda: hopfield.classify([1, 1, 1], P4), "state has 3 units but the patterns have 4"),
    (lambda: hopfield.classify(P4, P4), "one state of shape (N,)"),
    (lambda: hopfield.capacity_experiment(100, [0, 5], 2), "P=0 stores nothing"),
    (lambda: hopfield.capacity_experiment(0, [5], 2), "N must be a positive integer"),
    (lambda: hopfield.capacity_experiment(100, [5], 0), "trials must be a positive integer"),
    (lambda: hopfield.capacity_experiment(100, [5], 1, noise=0.7), "noise is the fraction"),
    (lambda: hopfield.capacity_experiment(20000, [5], 1), "more than the memory cap"),
    (lambda: hopfield.recall(W4, S4).state_at(-1), "outside this trace"),
    (lambda: hopfield.recall(W4, S4, mode="sync").flipped, "use flips_at(step)"),
]


@pytest.mark.parametrize(("call", "fragment"), BAD_INPUTS, ids=[frag for _, frag in BAD_INPUTS])
def test_bad_input_is_refused_with_a_message_naming_the_problem(call, fragment, monkeypatch):
    if "trace" not in fragment and "flips_at" not in fragment:  # nothing may reach a kernel before the check
        for name in ("recall_async", "recall_sync"):
            monkeypatch.setattr(kernels, name, lambda *args: pytest.fail("a kernel ran on bad input"))
    with pytest.raises(ValueError) as excinfo:
        call()
    assert fragment in str(excinfo.value)


def test_pseudoinverse_of_repeated_and_dependent_patterns_is_symmetric():
    from engine import hopfield

    rng = np.random.default_rng(3)
    base = rng.choice(np.array([-1, 1], np.int8), size=(3, 64))
    patterns = np.concatenate([base, base[:1], -base[1:2]])  # a repeat and a reversal: rank 3 of 5
    W = hopfield.store(patterns, rule="pseudoinverse")
    np.testing.assert_array_equal(W, W.T)
    tr = hopfield.recall(W, base[0], max_sweeps=3)
    np.testing.assert_array_equal(tr.final, base[0])
