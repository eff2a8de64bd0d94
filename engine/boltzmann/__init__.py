"""The Boltzmann machine with hidden units (Ackley, Hinton & Sejnowski 1985): binary stochastic units with any
symmetric connectivity, annealing, the learning rule Δw_ij ∝ p_ij − p′_ij, and exact values by enumeration for
machines of up to about 20 units.

>>> from engine.boltzmann import BoltzmannMachine, encoder_network, exact_distribution, exact_gradient, learn
>>> bm, data, visible = encoder_network(4, 2)              # the paper's 4-2-4 encoder, weights at 0
>>> p = exact_distribution(bm, temperature=1.0)            # (2**n,): state k has unit i = bit i of k
>>> dG = exact_gradient(bm, data, visible, temperature=1.0)  # (n, n) ∂G/∂w_ij
>>> history = learn(bm, data, visible, cycles=2000, seed=0)  # history.solved_cycle
"""

from engine.boltzmann.exact import (
    ExactStatistics,
    clamped_distribution,
    exact_bias_gradient,
    exact_distribution,
    exact_G,
    exact_gradient,
    exact_statistics,
    state_energies,
)
from engine.boltzmann.learning import (
    Learner,
    LearningHistory,
    LearningSettings,
    codes_distinct,
    hidden_codes,
    learn,
    min_code_distance,
)
from engine.boltzmann.model import (
    MAX_EXACT_UNITS,
    PAPER_NOISE,
    PAPER_SCHEDULE,
    PAPER_STATISTICS,
    BoltzmannMachine,
    check_schedule,
    check_temperature,
    encoder_network,
    format_schedule,
    parse_schedule,
)
from engine.boltzmann.sampling import AnnealTrace, anneal, sample_statistics

__all__ = [
    "MAX_EXACT_UNITS",
    "PAPER_NOISE",
    "PAPER_SCHEDULE",
    "PAPER_STATISTICS",
    "AnnealTrace",
    "BoltzmannMachine",
    "ExactStatistics",
    "Learner",
    "LearningHistory",
    "LearningSettings",
    "anneal",
    "check_schedule",
    "check_temperature",
    "clamped_distribution",
    "codes_distinct",
    "encoder_network",
    "exact_G",
    "exact_bias_gradient",
    "exact_distribution",
    "exact_gradient",
    "exact_statistics",
    "format_schedule",
    "hidden_codes",
    "learn",
    "min_code_distance",
    "parse_schedule",
    "sample_statistics",
    "state_energies",
]
