"""The RBM trainer owns what training carries from one mini-batch to the next (momentum, persistent chains,
the random generator, the epoch count, the record): training paused, or saved and restored, goes on exactly as
training that never stopped."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from engine import rbm
from engine.patterns import bars_and_stripes
from engine.session_file import SessionFile, load_session, save_session

ROWS = bars_and_stripes(3, 3)
HELD_OUT = ROWS[:3]
PCD_WITH_MOMENTUM = {"lr": 0.1, "k": 2, "persistent": True, "batch_size": 4, "momentum": 0.9,
                     "weight_decay": 0.001, "snapshot_every": 4, "log_likelihood_every": 3}  # fmt: skip


def trainer(seed: int = 7, model_seed: int = 0, **options) -> rbm.RBMTrainer:
    options = {**PCD_WITH_MOMENTUM, **options}
    model = rbm.init(9, 6, seed=model_seed, weight_scale=1.0)  # sharp conditionals: chains that differ stay apart
    return rbm.RBMTrainer(model, ROWS, validation=HELD_OUT, seed=seed, **options)


def assert_same_training(a: rbm.RBMTrainer, b: rbm.RBMTrainer) -> None:
    """Bit-identical parameters, momentum, chains, record and generator."""
    for name in ("W", "b_visible", "b_hidden"):
        np.testing.assert_array_equal(getattr(a.model, name), getattr(b.model, name))
        np.testing.assert_array_equal(getattr(a.velocity, name), getattr(b.velocity, name))
    np.testing.assert_array_equal(a.chains, b.chains)
    for name, series in a.history.series().items():
        np.testing.assert_array_equal(series, b.history.series()[name], err_msg=name)
    assert a.history.snapshot_epochs == b.history.snapshot_epochs
    for x, y in zip(a.history.snapshots, b.history.snapshots, strict=True):
        np.testing.assert_array_equal(x, y)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state and a.epoch == b.epoch


@pytest.mark.parametrize("options", [PCD_WITH_MOMENTUM, {"persistent": False}, {"momentum": 0.0}],
                         ids=["PCD+momentum", "CD+momentum", "PCD"])  # fmt: skip
def test_paused_training_continues_exactly_as_uninterrupted_training(options, tmp_path):
    straight = trainer(**options)
    straight.train(10)
    paused = trainer(**options)
    paused.train(3)
    paused.train(7)
    assert_same_training(paused, straight)

    saved = trainer(**options)
    saved.train(3)
    state, arrays = saved.checkpoint()
    save_session(tmp_path / "t.unroll", SessionFile("rbm", {"trainer": state}, arrays))
    file = load_session(tmp_path / "t.unroll", lab="rbm")
    restored = trainer(seed=99, model_seed=5, **options)  # another generator and model, replaced by the file's
    restored.train(2)
    restored.restore(file.state["trainer"], file.arrays)
    restored.train(7)
    assert_same_training(restored, straight)
    assert straight.history.epochs == 10 and np.isfinite(straight.history.reconstruction_error).all()


def test_a_single_call_trains_as_rbm_train_does():
    t = trainer()
    t.train(6)
    m = rbm.init(9, 6, seed=0, weight_scale=1.0)
    history = rbm.train(m, ROWS, 6, validation=HELD_OUT, seed=7, **PCD_WITH_MOMENTUM)
    np.testing.assert_array_equal(m.W, t.model.W)
    np.testing.assert_array_equal(history.free_energy, t.history.free_energy)


def test_on_epoch_counts_epochs_from_the_trainers_start():
    t = trainer()
    seen = []
    t.train(2, on_epoch=lambda epoch, model, history: seen.append(epoch))
    t.train(2, on_epoch=lambda epoch, model, history: seen.append(epoch))
    assert seen == [0, 1, 2, 3] and t.epoch == 4


def test_new_settings_keep_the_model_momentum_and_record():
    t = trainer()
    t.train(3)
    velocity, chains, epochs = t.velocity.copy(), t.chains, t.epoch
    t.configure(lr=0.02, k=1)
    np.testing.assert_array_equal(t.velocity.W, velocity.W)
    assert t.chains is chains and t.epoch == epochs and t.config.lr == 0.02
    t.configure(batch_size=5)  # PCD keeps one chain per batch row: new chains, from the data
    assert t.chains.shape == (5, 9) and all(any((row == ROWS).all(axis=1)) for row in t.chains)
    t.configure(persistent=False)
    assert t.chains is None
    with pytest.raises(ValueError, match="momentum must be below 1"):
        t.configure(momentum=1.0)
    with pytest.raises(ValueError, match="unknown training setting 'colour'"):
        t.configure(colour="red")
    assert t.config.momentum == 0.9 and not t.config.persistent


def test_a_diverged_epoch_is_undone_whole():
    t = trainer(lr=1e307, momentum=0.0, batch_size=4, snapshot_every=0)
    reason = t.train(50)
    assert reason.startswith(f"diverged in epoch {t.epoch}") and t.history.stopped_reason == reason
    before = t.checkpoint()
    t.configure(lr=1e307)
    assert t.train(1) == reason  # the same numbers again: the same epoch diverges
    after = t.checkpoint()
    assert before[0]["rng"] == after[0]["rng"]
    for name, array in before[1].items():
        np.testing.assert_array_equal(after[1][name], array, err_msg=name)
    t.configure(lr=0.01)
    assert t.train(3) is None and t.model.is_finite()


def _put(path, value):
    def edit(state, arrays):
        target = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _array(name, make):
    return lambda state, arrays: arrays.__setitem__(name, make(arrays[name]))


BAD_CHECKPOINTS = {
    "learning rate negative": (_put(["config", "lr"], -0.1), "lr must be"),
    "k as a float": (_put(["config", "k"], 1.0), "k must be"),
    "weight decay beyond any float": (_put(["config", "weight_decay"], 10**400), "weight_decay must be"),
    "persistent as text": (_put(["config", "persistent"], "yes"), "persistent"),
    "batch far beyond memory": (_put(["config", "batch_size"], 10**12), "memory|Unable|exceeds"),
    "unknown setting": (_put(["config", "colour"], 1), "settings must be"),
    "generator of another kind": (_put(["rng", "bit_generator"], "MT19937"), "PCG64"),
    "generator damaged": (_put(["rng", "state"], "x"), "damaged"),
    "snapshot after the record": (_put(["snapshot_epochs"], [3, 100]), "snapshot epochs"),
    "weights of another shape": (_array("model/W", lambda a: a[:, :3]), "model/W"),
    "weights NaN": (_array("model/W", lambda a: np.full_like(a, np.nan)), "finite"),
    "velocity Inf": (_array("velocity/b_hidden", lambda a: np.full_like(a, np.inf)), "finite"),
    "velocity as integers": (_array("velocity/W", lambda a: a.astype(np.int64)), "velocity/W"),
    "chains not binary": (_array("persistent_chains", lambda a: a * 0.5), "0 and 1"),
    "one chain too many": (_array("persistent_chains", lambda a: np.vstack([a, a[:1]])), "persistent_chains"),
    "chains missing": (lambda s, a: a.pop("persistent_chains"), "persistent_chains"),
    "history of mixed lengths": (_array("history/free_energy", lambda a: a[:-1]), "length"),
    "history Inf": (_array("history/log_likelihood", lambda a: np.full_like(a, -np.inf)), "infinite"),
    "a stranger's array": (lambda s, a: a.__setitem__("velocity/extra", np.zeros(3)), "velocity/extra"),
    "not a mapping": (lambda s, a: s.clear(), "mapping"),
}


@pytest.mark.parametrize("case", BAD_CHECKPOINTS)
def test_a_bad_checkpoint_is_refused_and_changes_nothing(case):
    source = trainer()
    source.train(9)
    state, arrays = source.checkpoint()
    state, arrays = copy.deepcopy(state), {k: v.copy() for k, v in arrays.items()}
    edit, match = BAD_CHECKPOINTS[case]
    edit(state, arrays)
    target = trainer(seed=3)
    target.train(2)
    before, W = target.checkpoint(), target.model.W
    with pytest.raises(ValueError, match=match):
        target.restore(state, arrays)
    after = target.checkpoint()
    assert after[0] == before[0] and target.model.W is W
    for name, array in before[1].items():
        np.testing.assert_array_equal(after[1][name], array, err_msg=name)
