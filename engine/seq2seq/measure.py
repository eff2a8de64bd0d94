"""How well an encoder–decoder translates, free running: exact matches by source length (Bahdanau et al.
2015's figure: without attention, quality falls as sources grow longer)."""

from __future__ import annotations

import numpy as np

from engine.seq2seq.decode import free_running, until_end
from engine.seq2seq.spec import Seq2SeqSpec
from engine.seq2seq.tasks import Pairs

CHUNK = 256


def outputs(spec: Seq2SeqSpec, params, pairs: Pairs, max_len: int | None = None) -> list[str]:
    """Every source's greedy free-running translation, in chunks of ``CHUNK`` pairs."""
    max_len = max_len or max(len(t) for t in pairs.targets) + 2
    out: list[str] = []
    for start in range(0, len(pairs), CHUNK):
        src, src_lengths, _, _ = pairs.batch(range(start, min(start + CHUNK, len(pairs))))
        tokens, _ = free_running(spec, params, src, src_lengths, max_len)
        out += [pairs.tgt_alphabet.decode(until_end(tokens[:, b])) for b in range(tokens.shape[1])]
    return out


def exact_by_length(spec: Seq2SeqSpec, params, pairs: Pairs) -> dict[int, tuple[float, int]]:
    """{source length: (share of outputs equal to the target, pairs of that length)}."""
    right = np.array([o == t for o, t in zip(outputs(spec, params, pairs), pairs.targets, strict=True)])
    lengths = pairs.source_lengths()
    return {int(n): (float(right[lengths == n].mean()), int((lengths == n).sum())) for n in np.unique(lengths)}


def exact(spec: Seq2SeqSpec, params, pairs: Pairs) -> float:
    """The share of sources translated exactly right."""
    return float(np.mean([o == t for o, t in zip(outputs(spec, params, pairs), pairs.targets, strict=True)]))


def train(spec: Seq2SeqSpec, pairs: Pairs, steps: int, *, batch: int = 32, lr: float = 5e-3, seed: int = 0,
          teacher_forcing: float = 1.0, progress=None) -> dict[str, np.ndarray]:  # fmt: skip
    """A model of ``spec`` trained ``steps`` batches of ``batch`` pairs drawn from ``seed`` (Adam, clipping at
    norm 1): its parameters. ``progress(done, steps)`` is called before each step (it may raise to stop)."""
    from engine.recurrent.training import TrainConfig, Trainer

    trainer = Trainer(spec, config=TrainConfig(lr=lr, clip_norm=1.0, seed=seed))
    rng = np.random.default_rng(seed)
    for step in range(steps):
        if progress is not None:
            progress(step, steps)
        trainer.step(*pairs.batch(rng.integers(0, len(pairs), batch)), teacher_forcing=teacher_forcing)
    return trainer.params


def compare_attention(make_spec, train_pairs: Pairs, test_pairs: Pairs, steps: int, attention: str = "additive",
                      progress=None, **options) -> dict[str, dict[int, float]]:  # fmt: skip
    """{attention: {length: exact share}, "none": {...}}: ``make_spec(kind)`` trained ``steps`` batches on the
    same pairs from the same seed (``train``'s ``options``) with attention and without, then tested."""
    out = {}
    for k, kind in enumerate((attention, "none")):
        tick = None if progress is None else (lambda done, total, k=k: progress(k * total + done, 2 * total))
        spec = make_spec(kind)
        params = train(spec, train_pairs, steps, progress=tick, **options)
        out[kind] = {n: share for n, (share, _) in exact_by_length(spec, params, test_pairs).items()}
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m engine.seq2seq.measure``: exact matches by source length with and without attention."""
    import argparse

    from engine.seq2seq.tasks import make_pairs, source_range

    parser = argparse.ArgumentParser(prog="python -m engine.seq2seq.measure", description=main.__doc__)
    parser.add_argument("tasks", nargs="*", default=["reverse", "dates"])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--train-max-len", type=int, default=10, help="longest source trained on (string tasks)")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--cell", default="gru")
    parser.add_argument("--reverse-source", action="store_true")
    args = parser.parse_args(argv)
    for task in args.tasks:
        rng = np.random.default_rng(0)
        low, high = source_range(task)
        n = min(args.train_max_len, high)
        train_pairs = make_pairs(task, 5000, rng, low, max(low, n))
        test_pairs = make_pairs(task, 1000, rng, low, min(2 * n, high))

        def make_spec(kind, pairs=train_pairs):
            return Seq2SeqSpec(len(pairs.src_alphabet), len(pairs.tgt_alphabet), 16, args.cell, args.hidden,
                               attention=kind, reverse_source=args.reverse_source)  # fmt: skip

        table = compare_attention(make_spec, train_pairs, test_pairs, args.steps)
        print(f"## {task}: {args.cell} {args.hidden}, {args.steps} steps of 32, trained on sources of {low}–"
              f"{max(low, n)} characters; exact matches, greedy")  # fmt: skip
        print("| source length | pairs | additive attention | none |")
        print("|---|---|---|---|")
        counts = np.bincount(test_pairs.source_lengths())
        for length in sorted(table["additive"]):
            mark = " (longer than trained)" if length > n else ""
            shares = f"{table['additive'][length]:.2f} | {table['none'][length]:.2f}"
            print(f"| {length}{mark} | {counts[length]} | {shares} |")
        print(flush=True)


if __name__ == "__main__":
    main()
