"""How far back can each model remember? Bengio, Simard & Frasconi's (1994) latching task, learned at growing
lengths by TDNN, NARX, RNN and LSTM: the fraction of training runs that succeed at each length, and the length
where it falls to one half.

A run succeeds when, after ``steps`` training steps, it names the sign of the first value for at least
``SUCCESS_ACCURACY`` of fresh test sequences (chance is one half). A TDNN cannot do better than chance once the
sequence is longer than its stacked windows reach: the first value never enters the last step's window.

``python -m engine.latching [--quick]`` prints the table.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.delay import DelayClassifier, DelaySpec
from engine.recurrent import RecurrentSpec
from engine.recurrent.classifier import RecurrentClassifier
from engine.recurrent.training import TrainConfig, Trainer
from engine.tasks import make_task

MODELS = ("tdnn", "narx", "rnn_tanh", "lstm")
LABELS = {"tdnn": "TDNN", "narx": "NARX", "rnn_tanh": "RNN", "lstm": "LSTM"}
LENGTHS = (3, 5, 8, 12, 20, 30, 50, 80)
SUCCESS_ACCURACY = 0.9


@dataclass(frozen=True)
class LatchingSetup:
    """One configuration for every model: ``hidden`` units, a TDNN of ``tdnn_layers`` windows of ``window``, a
    NARX of ``output_delays`` output delays; ``steps`` Adam steps on batches of ``batch`` at rate ``lr``, the
    LSTM at ``lstm_lr`` (at 0.05 its runs fell apart after a good start, even at length 12) with its forget gate's
    bias starting at ``lstm_forget_bias`` (Jozefowicz et al. 2015 recommend 1; at 0 the gate starts at σ(0) = ½
    and halves what reaches back at every step, and it failed from length 20 even with 1500 steps)."""

    hidden: int = 8
    tdnn_layers: int = 2
    window: int = 3
    output_delays: int = 6
    steps: int = 500
    batch: int = 32
    lr: float = 0.05
    lstm_lr: float = 0.01
    lstm_forget_bias: float = 1.0
    test_batch: int = 256


def model_for(name: str, setup: LatchingSetup, length: int):
    """The classifier a latching run trains: two classes, read at the last step (NARX's delay line shortened to
    fit a sequence of ``length``: its last tap must receive an output before the end)."""
    if name == "tdnn":
        spec = DelaySpec("tdnn", 1, setup.hidden, num_layers=setup.tdnn_layers, window=setup.window)
        return DelayClassifier(spec, 2, "softmax", "last")
    if name == "narx":
        spec = DelaySpec("narx", 1, setup.hidden, input_delays=1, output_delays=min(setup.output_delays, length - 1),
                         output_size=2,
                         output_activation="softmax")  # fmt: skip
        return DelayClassifier(spec, 2, "softmax", "last")
    forget_bias = setup.lstm_forget_bias if name == "lstm" else 0.0
    return RecurrentClassifier(RecurrentSpec(name, 1, setup.hidden), 2, "softmax", "last", forget_bias=forget_bias)


def latching_run(name: str, length: int, seed: int, setup: LatchingSetup = LatchingSetup()) -> float:
    """Test accuracy of one model trained from ``seed`` on sequences of ``length``."""
    task = make_task("latching", length=length)
    lr = setup.lstm_lr if name == "lstm" else setup.lr
    trainer = Trainer(model_for(name, setup, length), config=TrainConfig(lr=lr, seed=seed, clip_norm=1.0))
    rng = np.random.default_rng(seed + 10_000)
    for _ in range(setup.steps):
        b = task.sample(setup.batch, rng)
        if trainer.step(b.x, b.targets, b.lengths).diverged:
            break
    test = task.sample(setup.test_batch, np.random.default_rng(seed + 20_000))
    return trainer.evaluate(test.x, test.targets, test.lengths)[1].accuracy


@dataclass
class MemoryCurve:
    """success[m, k]: the fraction of runs of model ``models[m]`` that succeeded at ``lengths[k]``."""

    models: tuple[str, ...]
    lengths: tuple[int, ...]
    success: np.ndarray

    def half_lengths(self) -> dict[str, float]:
        return {m: half_length(self.lengths, self.success[k]) for k, m in enumerate(self.models)}


def half_length(lengths, success) -> float:
    """The length where the success rate first falls to 0.5, interpolated on a log scale between the lengths
    around it; the first length if it starts at or below one half, inf if it never falls."""
    lengths, success = np.asarray(lengths, float), np.asarray(success, float)
    if success[0] <= 0.5:
        return float(lengths[0])
    for k in range(1, len(lengths)):
        if success[k] <= 0.5:
            a, b = np.log(lengths[k - 1]), np.log(lengths[k])
            f = (success[k - 1] - 0.5) / (success[k - 1] - success[k])
            return float(np.exp(a + f * (b - a)))
    return float("inf")


def memory_lengths(models=MODELS, lengths=LENGTHS, seeds: int = 4, setup: LatchingSetup = LatchingSetup(),
                   progress: Callable[[MemoryCurve], None] | None = None) -> MemoryCurve:  # fmt: skip
    """Every model at every length from ``seeds`` seeds, the shorter lengths first; ``progress`` gets a copy of
    the curve so far (NaN where not yet run) after each model at each length (raising in it stops the run)."""
    curve = MemoryCurve(tuple(models), tuple(lengths), np.full((len(models), len(lengths)), np.nan))
    for k, length in enumerate(lengths):
        for m, name in enumerate(models):
            runs = [latching_run(name, length, seed, setup) >= SUCCESS_ACCURACY for seed in range(seeds)]
            curve.success[m, k] = np.mean(runs)
            if progress is not None:
                progress(MemoryCurve(curve.models, curve.lengths, curve.success.copy()))
    return curve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m engine.latching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two seeds, fewer lengths")
    parser.add_argument("--seeds", type=int, default=4)
    args = parser.parse_args()
    lengths = (3, 8, 20, 50) if args.quick else LENGTHS
    curve = memory_lengths(lengths=lengths, seeds=2 if args.quick else args.seeds)
    print("model  " + " ".join(f"{n:>5}" for n in curve.lengths) + "   50 % at")
    for m, name in enumerate(curve.models):
        row = " ".join(f"{s:5.2f}" for s in curve.success[m])
        print(f"{LABELS[name]:6} {row}   {curve.half_lengths()[name]:.1f}")


if __name__ == "__main__":
    main()
