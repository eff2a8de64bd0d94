"""Generated tasks hold what their lessons say they hold."""

import numpy as np
import pytest

from engine.tasks import REBER_SYMBOLS, TASK_NAMES, make_task, text_task


@pytest.mark.parametrize("name", [n for n in TASK_NAMES if n != "text"])
def test_every_task_samples_consistent_batches(name):
    task = make_task(name, length=15)
    b = task.sample(5, np.random.default_rng(0))
    T = b.x.shape[0]
    if task.tokens:  # symbols as their ids, the one-hot vectors' places
        assert b.x.shape == (T, 5) and b.x.dtype == np.int64 and b.x is b.tokens
        assert 0 <= b.x.min() and b.x.max() < task.input_size
    else:
        assert b.x.shape == (T, 5, task.input_size) and b.x.dtype == np.float32
    assert b.lengths.shape == (5,) and b.lengths.max() == T
    expected = (T, 5) if task.mode == "per_step" else (5,)
    assert b.targets.shape[: len(expected)] == expected


def test_embedded_reber_second_symbol_returns_at_the_end():
    task = make_task("reber", length=40)
    b = task.sample(50, np.random.default_rng(1))
    for k in range(50):
        n = b.lengths[k]
        seq = [REBER_SYMBOLS[i] for i in b.tokens[:n, k]]
        assert seq[0] == "B" and seq[1] in "TP" and seq[2] == "B" and seq[-1] == seq[1]
        # the target after the inner E names exactly the branch taken at the start
        assert b.targets[n - 2, k].tolist() == [float(s == seq[1]) for s in REBER_SYMBOLS]


def test_adding_target_is_sum_of_the_two_marked_values():
    b = make_task("adding", length=30).sample(8, np.random.default_rng(2), dtype=np.float64)
    assert np.all(b.x[:, :, 1].sum(axis=0) == 2)
    np.testing.assert_allclose(b.targets[:, 0], (b.x[:, :, 0] * b.x[:, :, 1]).sum(axis=0))


def test_copy_parity_and_sine_targets():
    rng = np.random.default_rng(3)
    c = make_task("copy", length=10, symbols=3).sample(6, rng)
    np.testing.assert_array_equal(c.targets, c.tokens[0])
    assert np.all(c.tokens[1:] == 3)
    p = make_task("parity", length=12).sample(4, rng)
    np.testing.assert_array_equal(p.targets[-1], p.tokens.sum(axis=0) % 2)
    s = make_task("sine", length=9).sample(2, rng, dtype=np.float64)
    np.testing.assert_allclose(s.x[1:, :, 0], s.targets[:-1, :, 0])


def test_chinese_text_task_predicts_next_character():
    text = "循环神经网络会记住过去。记忆让它理解现在。" * 3
    task = text_task(text, length=8)
    assert "循" in task.symbols and task.input_size == len(set(text))
    b = task.sample(3, np.random.default_rng(0))
    np.testing.assert_array_equal(b.tokens[1:], b.targets[:-1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: make_task("mnist"), "unknown task 'mnist'"),
        (lambda: make_task("copy", length=1), "length must be a whole number from 2"),
        (lambda: make_task("copy", symbols=40), "copy needs from 2 to 16 symbols"),
        (lambda: text_task("aaaa"), "at least two different characters"),
        (lambda: text_task("ab", length=8), "it needs more than 9"),
    ],
)
def test_bad_task_requests_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_text_at_the_forms_limits_samples_token_ids_not_one_hot_vectors(monkeypatch):
    """4,000 characters, length 400, batch 256: 3.3 GB of float64 one-hot vectors once; now 0.8 MB of ids."""
    from engine import checks

    text = "".join(chr(0x4E00 + k) for k in range(4000)) * 2
    task = text_task(text, length=400)
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 4 * 1024**2)
    b = task.sample(256, np.random.default_rng(0))
    assert b.x.shape == (400, 256) and b.x.dtype == np.int64 and task.input_size == 4000
    with pytest.raises(ValueError, match=r"a batch of 1000 sequences × 400 steps \(text\) would need 9.2 MiB"):
        task.sample(1000, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"a batch of 100000 sequences × 20 steps \(reber\) would need"):
        make_task("reber", length=20).sample(100_000, np.random.default_rng(0))
