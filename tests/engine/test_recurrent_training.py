"""Truncation, masking, clipping, optimizers, dropout and seeds; blow-ups reported, never raised."""

import json

import numpy as np
import pytest

from engine.recurrent import RecurrentSpec, backward, forward, init_params
from engine.recurrent.classifier import Evaluation, RecurrentClassifier
from engine.recurrent.parts import split_parts
from engine.recurrent.training import SGD, Adam, TrainConfig, Trainer, clip_by_norm, clip_by_value, global_norm
from tests.engine.recurrent_cases import CASES, IDS, random_inputs, small_spec


@pytest.mark.parametrize("cell", ["rnn_tanh", "lstm", "gru"])
def test_truncation_stops_gradient_at_window_start(cell):
    spec = small_spec(cell, "", 1, False)
    params = init_params(spec, seed=0, dtype=np.float64)
    x, _, _ = random_inputs(spec, T=10, B=2)
    tr = forward(spec, params, x)
    d_out = np.zeros_like(tr.output)
    d_out[9] = 1.0  # only the last step's loss
    full = backward(spec, params, tr, d_out).dh_norm[0]
    cut = backward(spec, params, tr, d_out, truncate=4).dh_norm[0]
    assert np.all(full > 0)
    assert np.all(cut[:8] == 0) and np.all(cut[8:] > 0)  # windows [0,4) [4,8) [8,10)
    np.testing.assert_allclose(cut[8:], full[8:])


@pytest.mark.parametrize(("cell", "variant", "layers", "bi"), CASES, ids=IDS)
def test_short_sequence_in_batch_equals_running_it_alone(cell, variant, layers, bi):
    spec = small_spec(cell, variant, layers, bi)
    params = init_params(spec, seed=1, dtype=np.float64)
    x, _, _ = random_inputs(spec, T=7, B=2)
    d_out = np.random.default_rng(3).normal(size=(7, 2, spec.directions * 4))
    tr = forward(spec, params, x, lengths=np.array([7, 4]))
    g = backward(spec, params, tr, d_out)
    alone = forward(spec, params, x[:4, 1:])
    g_alone = backward(spec, params, alone, d_out[:4, 1:])
    np.testing.assert_allclose(tr.output[:4, 1], alone.output[:, 0], atol=1e-12)
    assert np.all(tr.output[4:, 1] == 0)
    np.testing.assert_allclose(tr.h_n[:, 1], alone.h_n[:, 0], atol=1e-12)
    np.testing.assert_allclose(g.dx[:4, 1], g_alone.dx[:, 0], atol=1e-12)
    assert np.all(g.dx[4:, 1] == 0)


def test_clip_by_norm_scales_to_threshold_and_reports_norm_before():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped, before = clip_by_norm(grads, 1.0)
    assert before == pytest.approx(5.0)
    assert global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    same, _ = clip_by_norm(grads, 10.0)
    np.testing.assert_array_equal(same["b"], grads["b"])
    np.testing.assert_array_equal(clip_by_value(grads, 3.5)["b"], [[3.5]])


def test_sgd_momentum_and_adam_follow_their_update_rules():
    p = {"w": np.array([1.0])}
    sgd = SGD(lr=0.1, momentum=0.5)
    sgd.step(p, {"w": np.array([1.0])})
    sgd.step(p, {"w": np.array([1.0])})
    assert p["w"][0] == pytest.approx(1.0 - 0.1 - 0.1 * 1.5)
    q = {"w": np.array([1.0])}
    Adam(lr=0.01).step(q, {"w": np.array([123.0])})
    assert q["w"][0] == pytest.approx(0.99, abs=1e-6)  # the first Adam step has size lr, whatever |g|


def _copy_task(seed=0, T=8, B=16):
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, 3, (T, B))
    x = np.eye(3, dtype=np.float64)[tokens]
    targets = np.roll(tokens, 1, axis=0)  # recall the previous symbol
    targets[0] = 0
    return x, targets


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_trainer_learns_to_recall_previous_symbol(optimizer):
    spec = RecurrentSpec(cell="lstm", input_size=3, hidden_size=16)
    lr = 0.5 if optimizer == "sgd" else 0.05
    trainer = Trainer(spec, 3, TrainConfig(optimizer=optimizer, lr=lr, seed=1), dtype=np.float64)
    x, targets = _copy_task()
    first = trainer.step(x, targets)
    for _ in range(150):
        last = trainer.step(x, targets)
    assert last.loss < 0.3 * first.loss
    assert last.accuracy > 0.9


def test_training_is_reproducible_from_seed_with_dropout():
    spec = RecurrentSpec(cell="gru", input_size=3, hidden_size=8, num_layers=2, dropout=0.3)
    x, targets = _copy_task()
    runs = []
    for _ in range(2):
        trainer = Trainer(spec, 3, TrainConfig(seed=4), dtype=np.float64)
        runs.append([trainer.step(x, targets).loss for _ in range(5)])
    assert runs[0] == runs[1]
    other = Trainer(spec, 3, TrainConfig(seed=5), dtype=np.float64)
    assert [other.step(x, targets).loss for _ in range(5)] != runs[0]


def test_variational_dropout_uses_one_mask_for_all_steps():
    spec = RecurrentSpec(cell="lstm", input_size=6, hidden_size=4, dropout=0.5, variational_dropout=True)
    params = init_params(spec, dtype=np.float64)
    x = np.ones((5, 2, 6))
    tr = forward(spec, params, x, train=True, seed=0)
    inputs = tr.layer(0).inputs
    assert np.all(inputs == inputs[0]) and np.any(inputs[0] == 0) and np.any(inputs[0] == 2.0)
    plain = forward(spec, params, x)
    np.testing.assert_array_equal(plain.layer(0).inputs, x)  # no dropout outside training


def test_exploding_gradients_are_reported_not_raised():
    spec = RecurrentSpec(cell="rnn_relu", input_size=3, hidden_size=8)
    params = init_params(spec, dtype=np.float64)
    params["weight_hh_l0"] = np.eye(8) * 1e30
    trainer = Trainer(spec, 3, TrainConfig(clip_norm=None), dtype=np.float64, params=params)
    x, targets = _copy_task(T=40)
    before = {k: v.copy() for k, v in trainer.params.items()}
    record = trainer.step(np.abs(x) + 1.0, targets)
    assert record.diverged and "NaN or Inf" in record.message
    assert record.trace.nonfinite
    for k in before:
        np.testing.assert_array_equal(trainer.params[k], before[k])


@pytest.mark.parametrize("variant", ["standard", "peephole"])
def test_forget_bias_starts_the_forget_gate_there_and_leaves_the_rest_as_pytorch(variant):
    spec = RecurrentSpec(cell="lstm", input_size=3, hidden_size=4, num_layers=2, bidirectional=True, variant=variant)
    plain, biased = init_params(spec, seed=5), init_params(spec, seed=5, forget_bias=1.0)
    forget = slice(4, 8)  # PyTorch's gate order i, f, g, o
    for name, value in biased.items():
        rest = plain[name].copy()
        if name.startswith("bias_ih"):
            assert np.all(value[forget] == 1.0)
            rest[forget] = value[forget]
        elif name.startswith("bias_hh"):
            assert np.all(value[forget] == 0.0)
            rest[forget] = value[forget]
        np.testing.assert_array_equal(value, rest, err_msg=name)
    x = np.random.default_rng(0).normal(size=(3, 2, 3)).astype(np.float32)
    # h0 = c0 = 0: at the first step only W x + b reaches the gate (a peephole sees c0 = 0)
    z_f = forward(spec, biased, x).layer(0).gate("f", pre=True)[0]
    want = x[0] @ biased["weight_ih_l0"][forget].T + 1.0
    np.testing.assert_allclose(z_f, want, rtol=1e-6)


def test_forget_bias_one_carries_the_gradient_further_back():
    spec = RecurrentSpec(cell="lstm", input_size=2, hidden_size=8)
    x = np.random.default_rng(1).normal(size=(60, 1, 2))
    d_out = np.zeros((60, 1, 8))
    d_out[-1] = 1.0  # a loss on the last step only
    reach = {}
    for b in (0.0, 1.0):
        params = init_params(spec, seed=2, dtype=np.float64, forget_bias=b)
        reach[b] = backward(spec, params, forward(spec, params, x), d_out).dc_norm[0, 0]
    assert reach[1.0] > 100 * reach[0.0]


@pytest.mark.parametrize(
    ("cell", "variant", "bias", "words"),
    [
        ("gru", "", 1.0, "LSTM with a forget gate"),
        ("lstm", "no_forget", 1.0, "LSTM with a forget gate"),
        ("lstm", "coupled", 1.0, "LSTM with a forget gate"),
        ("lstm", "standard", float("nan"), "forget_bias must be a number"),
        ("lstm", "standard", 1e9, "forget_bias must be a number"),
        ("lstm", "standard", True, "forget_bias must be a number"),
    ],
)
def test_forget_bias_refused_where_it_means_nothing(cell, variant, bias, words):
    spec = RecurrentSpec(cell=cell, input_size=2, hidden_size=3, variant=variant)
    with pytest.raises(ValueError, match=words):
        init_params(spec, forget_bias=bias)


def test_trainer_starts_from_the_configured_forget_bias():
    spec = RecurrentSpec(cell="lstm", input_size=2, hidden_size=3)
    trainer = Trainer(spec, classes=2, config=TrainConfig(forget_bias=2.0))
    np.testing.assert_array_equal(trainer.params["bias_ih_l0"][3:6], 2.0)


@pytest.mark.parametrize(("optimizer", "momentum"), [("adam", 0.9), ("sgd", 0.9), ("sgd", 0.0)])
def test_training_paused_and_restored_goes_on_exactly_as_uninterrupted(optimizer, momentum):
    """The checkpoint carries the parameters and the optimizer's state (moments, step count, velocity)."""
    spec = RecurrentSpec(cell="gru", input_size=3, hidden_size=6, num_layers=2, dropout=0.2)
    config = TrainConfig(optimizer=optimizer, momentum=momentum, lr=0.05, seed=2)
    x, targets = _copy_task()
    ids = np.argmax(x, axis=-1)  # the same batch as token ids
    straight = Trainer(spec, 3, config, dtype=np.float64)
    losses = [straight.step(ids, targets).loss for _ in range(6)]
    paused = Trainer(spec, 3, config, dtype=np.float64)
    first = [paused.step(ids, targets).loss for _ in range(3)]
    scalars, arrays = paused.checkpoint()
    assert all(name.startswith(("param/", "optimizer/")) for name in arrays)
    if optimizer == "adam":
        assert scalars["optimizer"] == {"t": 3} and "optimizer/m/head.weight" in arrays
    resumed = Trainer(spec, 3, config, dtype=np.float64)
    resumed.restore_checkpoint(json.loads(json.dumps(scalars)), {k: v.copy() for k, v in arrays.items()})
    assert first + [resumed.step(ids, targets).loss for _ in range(3)] == losses
    for name, value in straight.params.items():
        np.testing.assert_array_equal(resumed.params[name], value, err_msg=name)
    fresh = Trainer(spec, 3, config, dtype=np.float64)  # without the optimizer's state it would differ
    fresh.params.update({k: v.copy() for k, v in paused.params.items()})
    fresh.steps = 3
    if optimizer == "adam" or momentum:
        assert [fresh.step(ids, targets).loss for _ in range(3)] != losses[3:]


def test_trainer_splits_the_classifier_into_its_named_parts():
    spec = RecurrentSpec(cell="lstm", input_size=3, hidden_size=4, bidirectional=True)
    trainer = Trainer(spec, 5, TrainConfig(seed=3))
    assert trainer.model.parts == {"rnn": "", "head": "head."}
    assert set(trainer.part("rnn")) == set(spec.param_shapes())
    assert (
        trainer.part("head")["weight"].shape == (5, 8)
        and trainer.part("head")["weight"] is trainer.params["head.weight"]
    )
    assert set(trainer.head) == {"head.weight", "head.bias"} and trainer.rnn_params.keys() == trainer.part("rnn").keys()
    same = Trainer(RecurrentClassifier(spec, 5), config=TrainConfig(seed=3))
    for name, value in trainer.params.items():
        np.testing.assert_array_equal(same.params[name], value)


class _Regression:
    """A model of two named parts that is no recurrent network: y = decoder(embedding[ids])."""

    parts = {"embedding": "embedding.", "decoder": "decoder."}
    name = "regression"

    def describe(self):
        return "a toy regression"

    def param_count(self):
        return 4 * 2 + 2

    def init_params(self, seed, dtype):
        rng = np.random.default_rng(seed)
        return {"embedding.weight": rng.normal(size=(4, 2)).astype(dtype), "decoder.weight": np.zeros(2, dtype)}

    def loss_and_grads(self, params, ids, y, *, train, seed):
        named = split_parts(params, self.parts)
        e = named["embedding"]["weight"][ids]
        err = e @ named["decoder"]["weight"] - y
        d_e = np.zeros_like(named["embedding"]["weight"])
        np.add.at(d_e, ids, np.outer(err, named["decoder"]["weight"]) * 2 / len(y))
        grads = {"embedding.weight": d_e, "decoder.weight": 2 * err @ e / len(y)}
        loss = float((err**2).mean())
        return Evaluation(loss, np.nan, np.exp(loss), grads)


def test_a_model_of_other_named_parts_trains_and_checkpoints_through_the_same_trainer():
    model = _Regression()
    ids, y = np.array([0, 1, 2, 3, 1]), np.array([1.0, -1.0, 0.5, 2.0, -1.0])
    trainer = Trainer(model, config=TrainConfig(lr=0.05, clip_norm=None, seed=1), dtype=np.float64)
    losses = [trainer.step(ids, y).loss for _ in range(300)]
    assert losses[-1] < 0.01 * losses[0]
    record = trainer.step(ids, y)
    assert set(record.grad_norms) == {"embedding.weight", "decoder.weight"} and record.trace is None
    scalars, arrays = trainer.checkpoint()
    assert {"param/embedding.weight", "optimizer/m/decoder.weight", "optimizer/v/embedding.weight"} <= set(arrays)
    other = Trainer(model, config=TrainConfig(lr=0.05, clip_norm=None, seed=9), dtype=np.float64)
    other.restore_checkpoint(scalars, arrays)
    assert other.step(ids, y).loss == trainer.step(ids, y).loss
    with pytest.raises(ValueError, match="parameter 'rnn.weight' does not belong to this regression"):
        other.restore_checkpoint(scalars, {**arrays, "param/rnn.weight": np.zeros(2)})


def test_batches_and_optimizers_too_large_for_the_memory_cap_are_refused_first(monkeypatch):
    from engine import checks

    spec = RecurrentSpec(cell="lstm", input_size=50, hidden_size=16)
    trainer = Trainer(spec, 4000, TrainConfig())
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 64 * 1024**2)
    ids = np.zeros((100, 64), np.int64)  # the head: 4 × 100 × 64 × 4000 float32 = 391 MiB, and the trace
    with pytest.raises(ValueError, match=r"a batch of 64 sequences × 100 steps through lstm, 1 layer × 16 units, 4000 "
                                         r"outputs would need 400.5 MiB"):  # fmt: skip
        trainer.step(ids, np.zeros((100, 64), np.int64))
    assert trainer.steps == 1  # counted, but nothing trained
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 300 * 1024)
    with pytest.raises(ValueError, match=r"training lstm, 1 layer × 16 units, 4000 outputs with adam would need"):
        Trainer(spec, 4000, TrainConfig())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_adam_update_follows_the_numpy_formulas(dtype):
    rng = np.random.default_rng(7)
    params = {"w": rng.normal(size=(6, 5)).astype(dtype), "b": rng.normal(size=4).astype(dtype)}
    fast, slow = Adam(lr=0.05, weight_decay=0.01), Adam(lr=0.05, weight_decay=0.01)
    p_fast, p_slow = {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in params.items()}
    for _ in range(5):
        grads = {k: rng.normal(size=v.shape).astype(dtype) * 10 for k, v in params.items()}
        fast.step(p_fast, grads)
        slow.reference_step(p_slow, grads)
    tol = 1e-12 if dtype == np.float64 else 2e-6
    for k in params:
        assert p_fast[k].dtype == dtype
        np.testing.assert_allclose(p_fast[k], p_slow[k], rtol=tol, atol=tol)
        np.testing.assert_allclose(fast.m[k], slow.m[k], rtol=tol, atol=tol)
        np.testing.assert_allclose(fast.v[k], slow.v[k], rtol=tol, atol=tol)
        assert not np.allclose(p_fast[k], params[k])  # it moved


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_clipped_step_is_clip_by_norm_then_the_optimizers_numpy_formulas(optimizer, dtype):
    """The trainer hands clipping's factor to the optimizer rather than copying every gradient: the same update
    as ``clip_by_norm`` followed by the optimizer's textbook step, and the norms recorded before clipping."""
    spec = RecurrentSpec(cell="lstm", input_size=3, hidden_size=8)
    config = TrainConfig(optimizer=optimizer, lr=0.05, momentum=0.9, clip_norm=0.05, seed=2)
    trainer = Trainer(spec, 3, config, dtype=dtype)
    x, targets = _copy_task()
    x = x.astype(dtype)
    params = {k: v.copy() for k, v in trainer.params.items()}
    by_hand = Adam(lr=0.05) if optimizer == "adam" else SGD(lr=0.05, momentum=0.9)
    tol = 1e-12 if dtype == np.float64 else 2e-6  # float32: the two parameter sets part by rounding after a step
    for _ in range(3):
        ev = trainer.model.loss_and_grads(params, x, targets, train=True, seed=config.seed + trainer.steps + 1)
        clipped, norm = clip_by_norm(ev.grads, config.clip_norm)
        (by_hand.reference_step if optimizer == "adam" else by_hand.step)(params, clipped)
        record = trainer.step(x, targets)
        assert record.clipped and record.grad_norm == pytest.approx(norm, rel=10 * tol)
        assert record.grad_norms == pytest.approx({k: float(np.linalg.norm(g)) for k, g in ev.grads.items()}, rel=1e-5)
    for name, value in params.items():
        np.testing.assert_allclose(trainer.params[name], value, rtol=tol, atol=tol, err_msg=name)
