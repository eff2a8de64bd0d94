"""Hopfield networks: store patterns, measure energy, recall them unit by unit, and name what recall found.

>>> from engine import hopfield
>>> W = hopfield.store(patterns, rule="hebb")      # patterns: (P, N) of ±1
>>> tr = hopfield.recall(W, s0, mode="async")     # tr.energies, tr.flipped, tr.state_at(k), tr.reason
>>> hopfield.classify(tr.final, patterns)          # Classification(kind="stored", which=3)
"""

from engine.hopfield.analysis import (
    CAPACITY_RATIO,
    CapacityResult,
    Classification,
    capacity_experiment,
    classify,
    overlaps,
)
from engine.hopfield.model import MODES, ORDERS, RULES, binary_theta, energy, recall, store
from engine.hopfield.trace import RecallTrace

__all__ = [
    "CAPACITY_RATIO",
    "MODES",
    "ORDERS",
    "RULES",
    "CapacityResult",
    "Classification",
    "RecallTrace",
    "binary_theta",
    "capacity_experiment",
    "classify",
    "energy",
    "overlaps",
    "recall",
    "store",
]
