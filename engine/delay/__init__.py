"""Memory before recurrence: time-delay networks (TDNN), autoregressive AR(K) and NARX models, as models the
recurrent lab's trainer, tasks and views already know.

from engine.delay import DelaySpec, DelayClassifier, forward, backward, inspect, fit_ar
"""

from engine.delay.ar import fit_ar, simulate_ar
from engine.delay.classifier import DelayClassifier, DelayInspection, inspect
from engine.delay.model import DelayGrads, DelayTrace, backward, forward, gradient_flow
from engine.delay.spec import FEEDBACK, MODELS, DelaySpec, init_params

__all__ = [
    "FEEDBACK",
    "MODELS",
    "DelayClassifier",
    "DelayGrads",
    "DelayInspection",
    "DelaySpec",
    "DelayTrace",
    "backward",
    "fit_ar",
    "forward",
    "gradient_flow",
    "init_params",
    "inspect",
    "simulate_ar",
]
