"""Pairs for the encoder–decoder: generated tasks, a user's file and what is refused in it; training works."""

import datetime

import numpy as np
import pytest

from engine.recurrent.training import TrainConfig, Trainer
from engine.seq2seq import BOS, EOS, PAD, Seq2SeqSpec
from engine.seq2seq.measure import exact, exact_by_length
from engine.seq2seq.tasks import TASKS, chinese_number, date_forms, make_pairs, parse_pairs, read_pairs


def test_the_issue_examples():
    day = datetime.date(2026, 12, 2)
    forms = date_forms(day)
    assert {"二〇二六年十二月二日", "2 Dec 2026", "12/02/2026"} <= set(forms)
    assert chinese_number(12) + "加" + chinese_number(34) == "十二加三十四"
    assert [chinese_number(n) for n in (0, 10, 20, 7, 99)] == ["零", "十", "二十", "七", "九十九"]


@pytest.mark.parametrize("task", TASKS)
def test_every_task_encodes_within_its_alphabets(task):
    rng = np.random.default_rng(0)
    pairs = make_pairs(task, 300, rng, 1, 20)
    src, sl, tgt, tl = pairs.batch(range(len(pairs)))
    assert (tgt[0] == BOS).all() and (tgt[tl - 1, np.arange(len(tl))] == EOS).all()
    assert src.max() < len(pairs.src_alphabet) and tgt.max() < len(pairs.tgt_alphabet)
    for b in (0, 7):
        assert pairs.tgt_alphabet.decode(tgt[1:, b]) == pairs.targets[b]
        assert (src[sl[b] :, b] == PAD).all()


def test_the_tasks_mean_what_they_say():
    rng = np.random.default_rng(1)
    rev = make_pairs("reverse", 50, rng, 3, 6)
    assert all(t == s[::-1] and 3 <= len(s) <= 6 for s, t in zip(rev.sources, rev.targets, strict=True))
    srt = make_pairs("sort", 50, rng, 2, 9)
    assert all(t == "".join(sorted(s)) for s, t in zip(srt.sources, srt.targets, strict=True))
    add = make_pairs("addition", 50, rng, 1, 20)
    words = {chinese_number(n): n for n in range(100)}
    for s, t in zip(add.sources, add.targets, strict=True):
        a, b = s.split("加")
        assert words[a] + words[b] == int(t)
    dates = make_pairs("dates", 50, rng, 1, 20)
    for t in dates.targets:
        datetime.date.fromisoformat(t)


def test_a_pairs_file_round_trips_and_bad_files_are_named(tmp_path):
    good = tmp_path / "pairs.tsv"
    good.write_text("hello\tbonjour\n\ncat\tchat\n", encoding="utf-8")
    pairs = read_pairs(good)
    assert pairs.sources == ("hello", "cat") and pairs.targets == ("bonjour", "chat")
    cases = {
        "empty.tsv": (b"", "empty"),
        "blank.tsv": (b"\n\n", "no pairs"),
        "binary.tsv": (b"a\tb\n\x00\x01\x02", "binary"),
        "latin.tsv": ("é\tè".encode("latin-1"), "UTF-8"),
        "commas.tsv": (b"a,b\nc,d\n", "line 1: no tab"),
        "three.tsv": (b"a\tb\tc\n", "line 1"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ValueError, match=message):
            read_pairs(tmp_path / name)
    big = tmp_path / "big.tsv"
    with open(big, "wb") as f:
        f.truncate(9 * 1024**2)
    with pytest.raises(ValueError, match="at most"):
        read_pairs(big)
    with pytest.raises(ValueError, match="longer than"):
        parse_pairs("a" * 500 + "\tb")


def test_unknown_characters_are_named():
    pairs = make_pairs("reverse", 5, np.random.default_rng(0), 1, 5)
    with pytest.raises(ValueError, match="'Z'"):
        pairs.src_alphabet.encode("abZ")


def test_attention_learns_to_reverse_in_a_few_hundred_steps():
    """The lab's default lesson: a small GRU with additive attention reverses strings of up to 6 letters."""
    rng = np.random.default_rng(0)
    train = make_pairs("reverse", 2000, rng, 1, 6)
    spec = Seq2SeqSpec(len(train.src_alphabet), len(train.tgt_alphabet), 16, "gru", 32, attention="additive")
    trainer = Trainer(spec, config=TrainConfig(lr=1e-2, clip_norm=1.0))
    for _ in range(250):
        record = trainer.step(*train.batch(rng.integers(0, len(train), 32)))
    assert record.loss < 0.3
    test = make_pairs("reverse", 200, rng, 1, 6)
    assert exact(spec, trainer.params, test) > 0.6
    table = exact_by_length(spec, trainer.params, test)
    assert set(table) == set(range(1, 7)) and sum(n for _, n in table.values()) == 200


def test_scheduled_sampling_decays_from_the_ratio_set_to_nothing():
    from engine.seq2seq.loss import scheduled_ratio

    ratios = [scheduled_ratio(step, k=50.0, start=0.8) for step in range(0, 2000, 10)]
    assert ratios[0] == pytest.approx(0.8 * 50 / 51) and ratios[-1] < 1e-6
    assert all(a >= b for a, b in zip(ratios, ratios[1:], strict=False))
    with pytest.raises(ValueError, match="k"):
        scheduled_ratio(3, k=0.5)
