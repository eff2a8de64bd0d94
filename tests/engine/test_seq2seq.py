"""The encoder–decoder: gradients against central differences for every attention, masks, decoding."""

import numpy as np
import pytest

from engine.decoding import BeamStep, log_softmax
from engine.seq2seq import BOS, EOS, PAD, Seq2SeqSpec, decode, forward, free_running, init_model, loss_and_grads
from engine.seq2seq.attention import attend, masked_softmax
from engine.seq2seq.loss import gradient_paths, score
from tests.engine.finite_differences import numeric_gradient

SRC_V, TGT_V = 9, 8


def pairs(rng, lengths=(5, 1, 3), tgt_lengths=(6, 3, 4)):
    """src (S, B) padded with PAD; tgt (T + 1, B): BOS, tokens, EOS, PAD."""
    S, B, T1 = max(lengths), len(lengths), max(tgt_lengths)
    src = np.full((S, B), PAD)
    tgt = np.full((T1, B), PAD)
    for b, (n, m) in enumerate(zip(lengths, tgt_lengths, strict=True)):
        src[:n, b] = rng.integers(3, SRC_V, n)
        tgt[0, b], tgt[1 : m - 1, b], tgt[m - 1, b] = BOS, rng.integers(3, TGT_V, m - 2), EOS
    return src, np.array(lengths), tgt, np.array(tgt_lengths)


def small(**kw) -> Seq2SeqSpec:
    base = dict(src_vocab=SRC_V, tgt_vocab=TGT_V, embedding_dim=3, cell="gru", hidden_size=4, num_layers=1,
                bidirectional_encoder=False, attention="additive")  # fmt: skip
    return Seq2SeqSpec(**(base | kw))


CASES = [
    dict(attention="none"),
    dict(attention="dot"),
    dict(attention="general"),
    dict(attention="additive"),
    dict(attention="additive", attentional_hidden=False),
    dict(attention="general", input_feeding=True, cell="rnn_tanh"),
    pytest.param(dict(attention="general", input_feeding=True, cell="lstm"), marks=pytest.mark.slow),
    pytest.param(
        dict(attention="dot", bidirectional_encoder=True, num_layers=2, reverse_source=True), marks=pytest.mark.slow
    ),  # fmt: skip
    pytest.param(dict(attention="none", bidirectional_encoder=True, cell="lstm"), marks=pytest.mark.slow),
    pytest.param(
        dict(attention="additive", input_feeding=True, bidirectional_encoder=True, cell="rnn_tanh"),
        marks=pytest.mark.slow,
    ),  # fmt: skip
]


@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_every_gradient_equals_central_differences(kw):
    spec = small(**kw)
    params = init_model(spec, seed=1, dtype=np.float64)
    batch = pairs(np.random.default_rng(0))
    loss, grads = loss_and_grads(spec, params, *batch)
    assert set(grads) == set(params)
    for name, value in params.items():
        numeric = numeric_gradient(lambda: loss_and_grads(spec, params, *batch)[0], value)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-7, rtol=1e-5, err_msg=name)


def test_gradients_with_scheduled_sampling_are_those_of_the_inputs_it_chose():
    """Below a ratio of 1 the decoder's own tokens are inputs like any other: no gradient flows through the
    choice, and the gradient is that of the pass on the tokens chosen."""
    spec = small(attention="general")
    params = init_model(spec, seed=2, dtype=np.float64)
    src, sl, tgt, tl = pairs(np.random.default_rng(3))
    trace = forward(spec, params, src, sl, tgt[:-1], teacher_forcing=0.5, seed=4)
    assert not trace.forced.all() and trace.forced.any() and trace.forced[0].all()
    _, sampled = loss_and_grads(spec, params, src, sl, tgt, tl, teacher_forcing=0.5, seed=4)
    s = score(spec, params, src, sl, tgt, tl, teacher_forcing=0.5, seed=4)
    np.testing.assert_array_equal(s.trace.tgt_in, trace.tgt_in)
    for name, value in params.items():
        numeric = numeric_gradient(
            lambda: loss_and_grads(spec, params, src, sl, tgt, tl, teacher_forcing=0.5, seed=4)[0], value
        )
        np.testing.assert_allclose(sampled[name], numeric, atol=1e-7, rtol=1e-5, err_msg=name)


def test_attention_follows_the_textbook_formulas():
    rng = np.random.default_rng(5)
    B, T, S, H = 2, 3, 4, 5
    q, k = rng.normal(size=(B, T, H)), rng.normal(size=(B, S, H))
    valid = np.array([[True] * 4, [True, True, False, False]])
    w = {"weight": rng.normal(size=(H, H)), "query.weight": rng.normal(size=(H, H)),
         "key.weight": rng.normal(size=(H, H)), "v.weight": rng.normal(size=(1, H))}  # fmt: skip
    for kind in ("dot", "general", "additive"):
        att = attend(kind, w, q, k, valid)
        for b in range(B):
            n = valid[b].sum()
            for t in range(T):
                if kind == "dot":
                    e = [q[b, t] @ k[b, s] for s in range(n)]
                elif kind == "general":
                    e = [q[b, t] @ w["weight"] @ k[b, s] for s in range(n)]
                else:
                    e = [w["v.weight"][0] @ np.tanh(w["query.weight"] @ q[b, t] + w["key.weight"] @ k[b, s])
                         for s in range(n)]  # fmt: skip
                a = np.exp(np.array(e) - max(e))
                a /= a.sum()
                np.testing.assert_allclose(att.weights[b, t, :n], a, rtol=1e-12)
                assert (att.weights[b, t, n:] == 0).all()
                np.testing.assert_allclose(att.context[b, t], a @ k[b, :n], rtol=1e-12)


def test_padding_gets_exactly_zero_weight_and_changes_nothing():
    spec = small(attention="dot", bidirectional_encoder=True)
    params = init_model(spec, seed=0, dtype=np.float64)
    src, sl, tgt, tl = pairs(np.random.default_rng(6))
    trace = forward(spec, params, src, sl, tgt[:-1])
    for b, n in enumerate(sl):
        assert (trace.attention[:, b, n:] == 0.0).all()
        np.testing.assert_allclose(trace.attention[:, b, :n].sum(axis=-1), 1.0)
    assert (trace.attention[:, 1, 0] == 1.0).all()  # a source of one token: all the weight on it
    other = src.copy()
    other[src == PAD] = 5  # what sits in the padding must not matter
    again = forward(spec, params, other, sl, tgt[:-1])
    np.testing.assert_array_equal(again.logits, trace.logits)


def test_a_column_translates_the_same_alone_and_in_a_batch():
    spec = small(attention="additive", bidirectional_encoder=True, reverse_source=True, input_feeding=True)
    params = init_model(spec, seed=0, dtype=np.float64)
    src, sl, tgt, tl = pairs(np.random.default_rng(7))
    batch = forward(spec, params, src, sl, tgt[:-1])
    for b in range(3):
        alone = forward(spec, params, src[: sl[b], b : b + 1], sl[b : b + 1], tgt[:-1, b : b + 1])
        np.testing.assert_allclose(alone.logits[:, 0], batch.logits[:, b], atol=1e-12)


def test_reversed_source_reads_backwards_and_is_attended_in_source_order():
    spec, rev = small(attention="dot"), small(attention="dot", reverse_source=True)
    params = init_model(spec, seed=0, dtype=np.float64)
    src, sl, tgt, _ = pairs(np.random.default_rng(8))
    flipped = src.copy()
    for b, n in enumerate(sl):
        flipped[:n, b] = src[:n, b][::-1]
    a = forward(rev, params, src, sl, tgt[:-1])
    b_ = forward(spec, params, flipped, sl, tgt[:-1])
    np.testing.assert_allclose(a.logits, b_.logits, atol=1e-12)
    for b, n in enumerate(sl):
        np.testing.assert_allclose(a.attention[:, b, :n], b_.attention[:, b, :n][:, ::-1], atol=1e-12)


def test_fast_and_stepwise_decoders_agree():
    """Full teacher forcing runs the decoder in one pass; a ratio of 1 through the step-by-step path (which
    input feeding needs) must give the same numbers: checked by input feeding with a zero feed weight."""
    spec = small(attention="general", input_feeding=True)
    params = init_model(spec, seed=0, dtype=np.float64)
    params["decoder.weight_ih_l0"][:, spec.embedding_dim :] = 0.0
    plain = small(attention="general")
    p2 = {k: v for k, v in params.items()}
    p2["decoder.weight_ih_l0"] = params["decoder.weight_ih_l0"][:, : spec.embedding_dim].copy()
    src, sl, tgt, _ = pairs(np.random.default_rng(9))
    np.testing.assert_allclose(forward(spec, params, src, sl, tgt[:-1]).logits,
                               forward(plain, p2, src, sl, tgt[:-1]).logits, atol=1e-12)  # fmt: skip


def test_free_running_reads_its_own_argmax():
    spec = small(attention="additive")
    params = init_model(spec, seed=0, dtype=np.float64)
    src, sl, _, _ = pairs(np.random.default_rng(10))
    tokens, trace = free_running(spec, params, src, sl, max_len=6)
    assert not trace.forced[1:].any()
    np.testing.assert_array_equal(trace.tgt_in[1:], tokens[:-1])


@pytest.mark.parametrize("attention", ["none", "dot", "additive"])
def test_beam_width_one_is_greedy_and_scores_are_log_probabilities(attention):
    spec = small(attention=attention, input_feeding=attention != "none", hidden_size=6)
    params = init_model(spec, seed=3, dtype=np.float64)
    src, sl, _, _ = pairs(np.random.default_rng(11))
    tokens, _ = free_running(spec, params, src, sl, max_len=7)
    res = decode(spec, params, src, sl, max_len=7, width=1)
    for b in range(3):
        greedy = tokens[:, b]
        ends = np.flatnonzero(greedy == EOS)
        greedy = greedy[: ends[0] + 1] if len(ends) else greedy
        np.testing.assert_array_equal(res.sequences[b], greedy)
        tgt_in = np.concatenate([[BOS], res.sequences[b][:-1]])[:, None]
        trace = forward(spec, params, src[: sl[b], b : b + 1], sl[b : b + 1], tgt_in)
        logp = log_softmax(trace.logits[:, 0])
        assert res.scores[b] == pytest.approx(logp[np.arange(len(tgt_in)), res.sequences[b]].sum())
        assert all(isinstance(s, BeamStep) for s in res.tree[b])
        if attention != "none":
            np.testing.assert_allclose(res.attention[b], trace.attention[:, 0, : sl[b]])


def test_a_wider_beam_never_scores_worse_and_a_prefix_is_kept():
    spec = small(attention="additive", hidden_size=6)
    params = init_model(spec, seed=4, dtype=np.float64)
    src, sl, _, _ = pairs(np.random.default_rng(12))
    one, five = (decode(spec, params, src, sl, max_len=6, width=w) for w in (1, 5))
    assert (five.scores >= one.scores - 1e-12).all()
    forced = decode(spec, params, src, sl, max_len=6, width=3, prefix=[5, 6])
    assert all(list(s[:2]) == [5, 6] for s in forced.sequences)
    assert all(len(a) == len(s) for a, s in zip(forced.attention, forced.sequences, strict=True))


def test_gradient_paths_reach_every_source_token_and_no_padding():
    src, sl, tgt, tl = pairs(np.random.default_rng(13))
    for attention in ("none", "additive"):
        spec = small(attention=attention)
        params = init_model(spec, seed=0, dtype=np.float64)
        paths = gradient_paths(spec, params, src, sl, tgt, tl)
        assert paths.shape == (tgt.shape[0] - 1, src.shape[0])
        assert (paths[: tl.max() - 1] > 0).all()  # column 0 has all 5 source tokens and the longest target
        col = gradient_paths(spec, params, src[:, 1:2], sl[1:2], tgt[:, 1:2], tl[1:2])
        assert (col[:, 1:] == 0).all() and (col[: tl[1] - 1, 0] > 0).all()
        assert (col[tl[1] - 1 :] == 0).all()  # beyond the target's end: no loss


def test_masked_softmax_with_one_valid_position_and_large_scores():
    w = masked_softmax(np.array([[[1e30, -1e30, 3.0]]]), np.array([[False, False, True]]))
    np.testing.assert_array_equal(w, [[[0.0, 0.0, 1.0]]])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (dict(src=np.full((3, 2), 99)), "source vocabulary"),
        (dict(src_lengths=np.array([0, 2])), "source length"),
        (dict(src_lengths=np.array([4, 2])), "source length"),
        (dict(tgt_first=5), "BOS"),
        (dict(tgt_lengths=np.array([1, 3])), "target length"),
        (dict(src=np.zeros((3, 2))), "token ids"),
    ],
)
def test_bad_batches_are_refused_by_name(args, message):
    spec = small()
    params = init_model(spec)
    src = args.get("src", np.full((3, 2), 4))
    tgt = np.array([[BOS, BOS], [4, 4], [EOS, EOS]])
    if "tgt_first" in args:
        tgt[0] = args["tgt_first"]
    with pytest.raises(ValueError, match=message):
        loss_and_grads(spec, params, src, args.get("src_lengths", np.array([3, 2])), tgt,
                       args.get("tgt_lengths", np.array([3, 3])))  # fmt: skip


def test_spec_refuses_what_cannot_be_built():
    with pytest.raises(ValueError, match="attention"):
        small(attention="cosine")
    with pytest.raises(ValueError, match="even"):
        small(bidirectional_encoder=True, hidden_size=5)
    with pytest.raises(ValueError, match="input feeding"):
        small(attention="none", input_feeding=True)


def test_the_numba_kernels_and_the_numpy_references_give_the_same_pass():
    """The recurrent parts run through engine.recurrent's kernels or its NumPy references: the same numbers."""
    from engine.seq2seq import backward as s2s_backward

    spec = small(attention="additive", bidirectional_encoder=True, cell="lstm")
    params = init_model(spec, seed=0, dtype=np.float64)
    src, sl, tgt, tl = pairs(np.random.default_rng(14))
    fast, slow = (forward(spec, params, src, sl, tgt[:-1], backend=b) for b in ("numba", "reference"))
    np.testing.assert_allclose(fast.logits, slow.logits, atol=1e-12)
    d = np.random.default_rng(15).normal(size=fast.logits.shape)
    g_fast, _ = s2s_backward(spec, params, fast, d, backend="numba")
    g_slow, _ = s2s_backward(spec, params, slow, d, backend="reference")
    for name in params:
        np.testing.assert_allclose(g_fast[name], g_slow[name], atol=1e-11, err_msg=name)
