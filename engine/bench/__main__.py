"""`python -m engine.bench [--quick] [recurrent delay language seq2seq hopfield boltzmann rbm autoencoder]`: the
engine's speed, as ratios against the NumPy references (and PyTorch or scikit-learn where importable) measured in
the same run."""

from __future__ import annotations

import argparse
import importlib
import platform

import numpy as np

SUITES = ("recurrent", "delay", "language", "seq2seq", "hopfield", "boltzmann", "rbm", "autoencoder")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m engine.bench", description=__doc__)
    parser.add_argument("suites", nargs="*", metavar="suite", help=f"any of {', '.join(SUITES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    args = parser.parse_args()
    unknown = sorted(set(args.suites) - set(SUITES))
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    print(f"# Unroll engine benchmark · Python {platform.python_version()} · NumPy {np.__version__}")
    for name in args.suites or SUITES:
        print()
        for line in importlib.import_module(f"engine.bench.{name}").run(quick=args.quick):
            print(line, flush=True)


if __name__ == "__main__":
    main()
