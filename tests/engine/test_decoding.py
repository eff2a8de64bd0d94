"""Decoding facts (engine/decoding.py) on a small stateful toy model: greedy, sampling, beam and exhaustive search."""

import numpy as np
import pytest

from engine import decoding
from engine.decoding import beam_search, exhaustive_search, greedy, lp, probabilities

V, D = 4, 3


def toy(seed=0):
    """A recurrent toy: s' = tanh(A s + B[token]), logits = C s'. Returns (first logits, first state, step)."""
    rng = np.random.default_rng(seed)
    A, B, C = rng.normal(size=(D, D)), rng.normal(size=(V, D)) * 2, rng.normal(size=(V, D)) * 2

    def step(state, parents, tokens):
        s = np.tanh(state[parents] @ A.T + B[tokens])
        return s @ C.T, s

    s0 = rng.normal(size=(1, D))
    return s0[0] @ C.T, s0, step


def test_temperature_zero_is_exactly_the_argmax_even_for_huge_logits():
    rng = np.random.default_rng(1)
    for _ in range(50):
        logits = rng.normal(size=7) * 1e4
        with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is the point
            p0 = probabilities(logits, 0.0)
            p_tiny = probabilities(logits, 1e-6)
            token = decoding.draw(logits, rng, 1e-6)
        assert p0[np.argmax(logits)] == 1.0 and p0.sum() == 1.0
        assert np.argmax(p_tiny) == np.argmax(logits) and token == np.argmax(logits)


def test_a_positive_temperature_never_changes_the_argmax():
    rng = np.random.default_rng(2)
    for temperature in np.logspace(-6, 3, 19):
        for _ in range(20):
            logits = rng.normal(size=9) * rng.choice([1e-3, 1.0, 1e3])
            assert np.argmax(probabilities(logits, temperature)) == np.argmax(logits)


def _nucleus(p: np.ndarray, top_p: float) -> set[int]:
    """The smallest set of likeliest tokens whose probability reaches top_p, by brute force over sizes."""
    order = np.argsort(-p, kind="stable")
    for n in range(1, len(p) + 1):
        if p[order[:n]].sum() >= top_p:
            return set(order[:n].tolist())
    return set(order.tolist())


@pytest.mark.parametrize("top_k", [1, 2, 5, 10])
def test_top_k_keeps_exactly_the_k_likeliest_renormalised(top_k):
    rng = np.random.default_rng(top_k)
    logits = rng.normal(size=10)
    p = probabilities(logits, 1.0, top_k=top_k)
    assert set(np.flatnonzero(p).tolist()) == set(np.argsort(-logits)[:top_k].tolist())
    full = probabilities(logits)
    kept = np.flatnonzero(p)
    np.testing.assert_allclose(p[kept], full[kept] / full[kept].sum())


@pytest.mark.parametrize("top_p", [0.05, 0.3, 0.5, 0.9, 0.999])
def test_top_p_keeps_exactly_the_nucleus(top_p):
    rng = np.random.default_rng(int(top_p * 1000))
    logits = rng.normal(size=12) * 2
    full = probabilities(logits, 0.7)
    p = probabilities(logits, 0.7, top_p=top_p)
    assert set(np.flatnonzero(p).tolist()) == _nucleus(full, top_p)
    assert np.isclose(p.sum(), 1.0)


def test_top_k_then_top_p_takes_the_nucleus_of_the_top_k():
    logits = np.log(np.array([0.4, 0.3, 0.2, 0.1]))
    # top 2 renormalised: 4/7, 3/7; a nucleus of 0.5 holds the first alone
    assert np.flatnonzero(probabilities(logits, 1.0, top_k=2, top_p=0.5)).tolist() == [0]
    assert np.flatnonzero(probabilities(logits, 1.0, top_p=0.5)).tolist() == [0, 1]


def test_draws_follow_the_distribution_and_a_seed_repeats_them():
    logits = np.log(np.array([0.5, 0.25, 0.15, 0.1]))
    rng = np.random.default_rng(3)
    counts = np.bincount([decoding.draw(logits, rng) for _ in range(20000)], minlength=4)
    np.testing.assert_allclose(counts / 20000, [0.5, 0.25, 0.15, 0.1], atol=0.015)
    first, s0, step = toy()
    a = decoding.sample(first, s0, step, 30, seed=7, top_k=3, top_p=0.9)
    b = decoding.sample(first, s0, step, 30, seed=7, top_k=3, top_p=0.9)
    c = decoding.sample(first, s0, step, 30, seed=8, top_k=3, top_p=0.9)
    assert a.tolist() == b.tolist() and a.tolist() != c.tolist()


def test_sampling_at_temperature_zero_is_greedy_search():
    first, s0, step = toy(4)
    expected, state, logits = [], s0, first
    for _ in range(8):
        expected.append(int(np.argmax(logits)))
        logits, state = step(state, np.zeros(1, int), np.array(expected[-1:]))
        logits = logits[0]
    assert greedy(first, s0, step, 8).tolist() == expected
    assert decoding.sample(first, s0, step, 8, temperature=0.0, seed=123).tolist() == expected


@pytest.mark.parametrize("seed", range(5))
def test_beam_width_one_is_greedy(seed):
    first, s0, step = toy(seed)
    res = beam_search(first, s0, step, 10, width=1)
    assert res.sequences[0].tolist() == greedy(first, s0, step, 10).tolist()


@pytest.mark.parametrize(("end", "alpha"), [(None, 0.0), (2, 0.0), (2, 0.6), (0, 1.0)])
def test_a_beam_that_keeps_every_hypothesis_is_exhaustive_search(end, alpha):
    first, s0, step = toy(5)
    steps, width = 4, V**4
    res = beam_search(first, s0, step, steps, width=width, length_penalty=alpha, end=end)
    best = exhaustive_search(first, s0, step, steps, best=width, length_penalty=alpha, end=end)
    assert [s.tolist() for s in res.sequences] == [s.tolist() for s in best.sequences]
    np.testing.assert_allclose(res.scores, best.scores, rtol=1e-12)
    assert all(step.kept.all() for step in res.tree)  # nothing pruned


def _naive_beam(first, s0, step, steps, width):
    """The textbook beam: every extension of every hypothesis scored, the ``width`` best kept."""
    beams = [([], 0.0, s0, first)]
    for t in range(steps):
        ext = [(seq + [v], score + decoding.log_softmax(logits)[v], state)
               for seq, score, state, logits in beams for v in range(V)]  # fmt: skip
        ext.sort(key=lambda e: -e[1])
        beams = []
        for seq, score, state in ext[:width]:
            logits, new = step(state, np.zeros(1, int), np.array([seq[-1]])) if t < steps - 1 else (None, state)
            beams.append((seq, score, new, None if logits is None else logits[0]))
    return [b[0] for b in beams], np.array([b[1] for b in beams])


@pytest.mark.parametrize("width", [2, 3])
def test_a_narrow_beam_is_the_textbook_beam(width):
    for seed in range(4):
        first, s0, step = toy(seed)
        res = beam_search(first, s0, step, 5, width=width)
        sequences, scores = _naive_beam(first, s0, step, 5, width)
        assert [s.tolist() for s in res.sequences] == sequences
        np.testing.assert_allclose(res.scores, scores, rtol=1e-12)


def test_a_narrow_beam_never_beats_exhaustive_search():
    for seed in range(5):
        first, s0, step = toy(seed)
        res = beam_search(first, s0, step, 5, width=2)
        assert res.scores[0] <= exhaustive_search(first, s0, step, 5).scores[0] + 1e-12


def test_length_penalty_is_gnmts_and_ranks_by_score_over_it():
    np.testing.assert_allclose(lp(np.arange(1, 6), 0.7), ((5 + np.arange(1, 6)) / 6) ** 0.7)
    assert lp(1, 0.0) == 1.0 and lp(1, 1.0) == 1.0
    first, s0, step = toy(6)
    for alpha in (0.0, 0.5, 1.0):
        res = beam_search(first, s0, step, 6, width=3, length_penalty=alpha, end=1)
        lengths = np.array([len(s) for s in res.sequences])
        np.testing.assert_allclose(res.normalized, res.scores / ((5 + lengths) / 6) ** alpha)
        assert np.all(np.diff(res.normalized) <= 0)


def test_without_a_penalty_short_hypotheses_win_and_a_penalty_lets_longer_ones_through():
    # the end token is likely enough to finish early but each further token is likelier still
    def step(state, parents, tokens):
        return np.tile(np.log([0.3, 0.7]), (len(tokens), 1)), state[parents]

    first, s0 = np.log([0.3, 0.7]), np.zeros((1, 1))
    short = beam_search(first, s0, step, 8, width=2, end=0)
    long = beam_search(first, s0, step, 8, width=2, end=0, length_penalty=3.0)
    assert len(short.sequences[0]) == 1
    assert len(long.sequences[0]) > 1


def test_the_beam_tree_records_every_candidate_with_its_parent_and_score():
    first, s0, step = toy(7)
    width = 3
    res = beam_search(first, s0, step, 5, width=width, end=3)
    for t, st in enumerate(res.tree):
        assert st.kept.sum() <= width and len(st.token) <= width * width
        assert np.all(np.diff(st.score) <= 0)  # ranked best first
        if t == 0:
            assert np.all(st.parent == -1)
            continue
        prev = res.tree[t - 1]
        assert np.all(prev.kept[st.parent] & ~prev.finished[st.parent])  # only kept, open hypotheses go on
        for i in range(len(st.token)):
            path = _path(res.tree, t, i)
            assert np.isclose(st.score[i], _score(first, s0, step, path))


def _path(tree, t, i):
    tokens = []
    while t >= 0:
        tokens.append(int(tree[t].token[i]))
        i, t = tree[t].parent[i], t - 1
    return tokens[::-1]


def _score(first, s0, step, tokens):
    total, logits, state = 0.0, first, s0
    for k, token in enumerate(tokens):
        total += decoding.log_softmax(logits)[token]
        if k < len(tokens) - 1:
            logits, state = step(state, np.zeros(1, int), np.array([token]))
            logits = logits[0]
    return total


def test_bad_settings_are_refused_by_name():
    first, s0, step = toy()
    for kwargs, name in [({"temperature": -1}, "temperature"), ({"top_k": -2}, "top_k"), ({"top_p": 0}, "top_p")]:
        with pytest.raises(ValueError, match=name):
            decoding.sample(first, s0, step, 3, **kwargs)
    with pytest.raises(ValueError, match="width"):
        beam_search(first, s0, step, 3, width=0)
    with pytest.raises(ValueError, match="steps"):
        beam_search(first, s0, step, 0)
    with pytest.raises(ValueError, match="end"):
        beam_search(first, s0, step, 3, end=V)
