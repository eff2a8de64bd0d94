"""The Boltzmann lab's session state, version 1, and its checks on the way back from a file. Qt-free; every
problem is a ValueError naming it.

Sections (JSON): ``settings`` (``BoltzmannSettings``), ``learning`` (the learner's generator ``rng`` and
``solved_cycle``), ``user`` (the source of the user's machine, or None). Arrays: the record ``history/weights``
(C + 1, n, n), ``history/biases`` (C + 1, n), ``history/codes`` (C + 1, M, h), ``history/distinct`` (C + 1,),
``history/G`` (C + 1,), ``history/clamped`` and ``history/free`` (C, n, n); the current weights are the last
entry. The user's machine as opened: ``user/W``, ``user/b``, ``user/mask``, ``user/data``, ``user/visible``.
The annealing run is made again from the settings' seed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from app.sessions.boltzmann import BoltzmannSettings, Machine, learning_settings, user_machine
from app.sessions.settings import settings_from_json, settings_to_json
from app.sessions.state import integer, refuse_unknown, required, rng_from_json, value
from engine.boltzmann import BoltzmannMachine, Learner, LearningHistory
from engine.boltzmann.learning import MAX_CODE_UNITS

if TYPE_CHECKING:
    from app.sessions.boltzmann import BoltzmannSession

VERSION = 1
SECTIONS = ("settings", "learning", "user")
HISTORY = ("weights", "biases", "codes", "distinct", "G", "clamped", "free")
USER = ("W", "b", "mask", "data", "visible")
MAX_CYCLES = 1_000_000


def save(session: BoltzmannSession) -> tuple[dict, dict[str, np.ndarray]]:
    """From the latest frame: what the views show is what is saved, and learning goes on undisturbed."""
    frame = session.frame
    state = {"settings": settings_to_json(session.settings),
             "learning": {"rng": frame.rng_state, "solved_cycle": frame.history.solved_cycle},
             "user": None}  # fmt: skip
    arrays = {f"history/{k}": v for k, v in frame.history.arrays().items()}
    user = session._user
    if user is not None:
        state["user"] = user.source
        arrays.update({"user/W": user.bm.W, "user/b": user.bm.b, "user/mask": user.bm.mask, "user/data": user.data,
                       "user/visible": user.visible})  # fmt: skip
    return state, arrays


Restored = tuple[Machine, BoltzmannSettings, Learner, Machine | None]


def load(session: BoltzmannSession, state: dict, arrays: dict[str, np.ndarray]) -> Restored:
    """(machine at its learnt weights, settings, learner, the user's machine as opened) from a file, checked."""
    refuse_unknown(state, SECTIONS, "Boltzmann session")
    refuse_unknown(
        arrays, [f"history/{k}" for k in HISTORY] + [f"user/{k}" for k in USER], "Boltzmann session's arrays"
    )
    settings = settings_from_json(BoltzmannSettings, state.get("settings"), "Boltzmann settings")
    user = _user_from(state.get("user"), arrays)
    if settings.network == "file" and user is None:
        raise ValueError("the session uses the user's machine but does not hold it")
    machine = replace(user, bm=user.bm.copy()) if settings.network == "file" else session._built(settings)
    learning = value(state, "learning", dict, "the learning section")
    refuse_unknown(learning, ("rng", "solved_cycle"), "learning section")
    history = _history_from(arrays, machine, learning.get("solved_cycle"))
    bm = machine.bm
    bm.W[:], bm.b[:] = BoltzmannMachine(history.weights[-1], history.biases[-1], bm.mask).W, history.biases[-1]
    learner = Learner(bm, machine.data, machine.visible, learning_settings(settings), settings.learn_seed)
    learner.rng = rng_from_json(learning.get("rng"))
    learner.history = history
    return machine, settings, learner, user


def _user_from(source: object, arrays: dict[str, np.ndarray]) -> Machine | None:
    if source is None:
        return None
    if not isinstance(source, str) or len(source) > 500:
        raise ValueError("the user's machine must be named by a text of at most 500 characters")
    W, b = required(arrays, "user/W", 2, "f"), required(arrays, "user/b", 1, "f")
    mask = required(arrays, "user/mask", 2, "biu")
    data, visible = required(arrays, "user/data", 2, "biuf"), required(arrays, "user/visible", 1, "iu")
    return user_machine(BoltzmannMachine(W, b, mask), data, visible, source)


def _history_from(arrays: dict[str, np.ndarray], machine: Machine, solved: object) -> LearningHistory:
    n, M = machine.bm.n, len(machine.data)
    h = n - machine.visible.size
    h = h if h <= MAX_CODE_UNITS else 0  # no codes recorded for more
    weights, biases = required(arrays, "history/weights", 3, "f"), required(arrays, "history/biases", 2, "f")
    codes, distinct = required(arrays, "history/codes", 3, "biu"), required(arrays, "history/distinct", 1, "b")
    G = required(arrays, "history/G", 1, "f")
    clamped, free = required(arrays, "history/clamped", 3, "f"), required(arrays, "history/free", 3, "f")
    C = len(clamped)
    if not 0 <= C <= MAX_CYCLES:
        raise ValueError(f"the learning record must hold 0 to {MAX_CYCLES} cycles, not {C}")
    shapes = {"weights": (weights.shape, (C + 1, n, n)), "biases": (biases.shape, (C + 1, n)),
              "codes": (codes.shape, (C + 1, M, h)), "distinct": (distinct.shape, (C + 1,)), "G": (G.shape, (C + 1,)),
              "free": (free.shape, (C, n, n)), "clamped": (clamped.shape, (C, n, n))}  # fmt: skip
    for name, (got, want) in shapes.items():
        if got != want:
            raise ValueError(f"the learning record's {name} must be {want} for this machine, not {got}")
    for name, a in (("weights", weights), ("biases", biases), ("clamped", clamped), ("free", free)):
        if not np.isfinite(a).all():
            raise ValueError(f"the learning record's {name} hold NaN or Inf")
    if (weights != weights.transpose(0, 2, 1)).any() or (weights[:, ~machine.bm.mask] != 0).any():
        raise ValueError("the learning record's weights are not symmetric or join units the mask does not")
    if not np.isin(codes, (0, 1)).all():
        raise ValueError("the learning record's hidden codes must be 0 or 1")
    solved = None if solved is None else integer({"s": solved}, "s", 1, C, "the solved cycle")
    return LearningHistory(list(weights.astype(float)), list(biases.astype(float)), list(codes.astype(np.int8)),
                           [bool(d) for d in distinct], [float(g) for g in G], list(clamped.astype(float)),
                           list(free.astype(float)), solved)  # fmt: skip
