"""Deep belief nets with label units: layer-wise training one epoch at a time, dreams with a clamped label,
classification by the lowest free energy, and the checks on the way in."""

from __future__ import annotations

import numpy as np
import pytest

from engine import image_sets
from engine.rbm import dbn, init, reference
from engine.rbm.stack import StackTrainer

BARS = image_sets.labelled_bars_and_stripes(4, 4)
OPTIONS = {"lr": 0.1, "momentum": 0.5, "batch_size": 5, "log_likelihood_every": 0}


def trained(epochs: int = 200, sizes=(32, 32)) -> StackTrainer:
    stack = StackTrainer(BARS.images, list(sizes), epochs, labels=BARS.labels, n_labels=2, seed=0, **OPTIONS)
    while not stack.done:
        stack.step()
    return stack


def test_layers_train_in_turn_and_the_top_one_sees_the_labels():
    stack = StackTrainer(BARS.images, [12, 16], 3, labels=BARS.labels, n_labels=2, seed=0, **OPTIONS)
    seen = []
    while not stack.done:
        seen.append((stack.layer, stack.trainer.epoch))
        stack.step()
    assert seen == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    net = stack.dbn()
    assert [m.W.shape for m in net.layers] == [(16, 12), (14, 16)] and net.n_labels == 2
    np.testing.assert_array_equal(stack.inputs(1)[:, 12:], dbn.one_hot(BARS.labels, 2))
    assert stack.epochs_done == stack.total_epochs == 6


def test_a_stack_continues_exactly_from_its_checkpoint():
    a = StackTrainer(BARS.images, [12, 16], 4, labels=BARS.labels, n_labels=2, seed=1, **OPTIONS)
    for _ in range(5):
        a.step()
    b = StackTrainer(BARS.images, [12, 16], 4, labels=BARS.labels, n_labels=2, seed=1, **OPTIONS)
    b.restore(*a.checkpoint())
    while not a.done:
        a.step()
        b.step()
    for la, lb in zip(a.dbn().layers, b.dbn().layers, strict=True):
        np.testing.assert_array_equal(la.W, lb.W)


def test_classification_picks_the_label_of_lowest_free_energy_and_learns_bars_from_stripes():
    net = trained().dbn()
    energies = dbn.label_free_energies(net, BARS.images)
    np.testing.assert_array_equal(dbn.classify(net, BARS.images), energies.argmin(axis=1))
    x = dbn.up_pass(net, BARS.images.astype(float))
    top = net.layers[-1]
    direct = reference.free_energy(np.hstack([x, dbn.one_hot(np.zeros(len(x), int), 2)]), top.W, top.b_visible,
                                   top.b_hidden)  # fmt: skip
    np.testing.assert_allclose(energies[:, 0], direct)
    assert (dbn.classify(net, BARS.images) == BARS.labels).mean() >= 0.9


def test_a_dream_keeps_its_label_clamped_and_draws_that_class():
    net = trained().dbn()
    labels = np.array([0] * 20 + [1] * 20)
    dream = dbn.dream(net, labels=labels, steps=50, seed=0)
    assert dream.images.shape == (51, 40, 16) and dream.top.visible.shape == (51, 40, 34)
    np.testing.assert_array_equal(dream.top.visible[:, :, 32:], np.broadcast_to(dbn.one_hot(labels, 2), (51, 40, 2)))
    drawn = (dream.images[-1] > 0.5).astype(float)
    assert (dbn.classify(net, drawn) == labels).mean() >= 0.75


def test_free_chains_run_without_labels():
    net = trained(epochs=2).dbn()
    dream = dbn.dream(net, n_chains=3, steps=2)
    assert (dream.labels == -1).all() and dream.images.shape == (3, 3, 16)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: StackTrainer(BARS.images, [], 2), "a stack has 1 to 6 layers"),
        (lambda: StackTrainer(BARS.images * 0.5, [4], 2), "must be binary"),
        (lambda: StackTrainer(BARS.images, [4], 2, labels=BARS.labels[:3], n_labels=2), "3 labels for 30 images"),
        (lambda: StackTrainer(BARS.images, [4], 2, labels=BARS.labels + 5, n_labels=2), "not a class in 0..1"),
        (lambda: dbn.dream(dbn.DBN([init(16, 8), init(6, 4)], []), steps=2), "layer sizes do not chain"),
        (lambda: dbn.dream(dbn.DBN([init(16, 8)], []), labels=np.array([1])), "no label units"),
        (lambda: dbn.classify(dbn.DBN([init(16, 8)], []), BARS.images), "no label units"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_image_sets_are_labelled_and_reproducible():
    digits = image_sets.font_digits(5, size=10, noise=0.0, seed=4)
    assert digits.images.shape == (50, 100) and sorted(np.bincount(digits.labels)) == [5] * 10
    np.testing.assert_array_equal(digits.images, image_sets.font_digits(5, size=10, noise=0.0, seed=4).images)
    assert set(np.unique(digits.images)) <= {0, 1}
    grids = BARS.images.reshape(-1, 4, 4)
    stripes = grids[BARS.labels == 1]
    assert (stripes == stripes[:, :, :1]).all(), "every stripes image has rows of one colour"
    with pytest.raises(ValueError, match="canvas must be 8 to 64"):
        image_sets.font_digits(size=4)
