"""The labs, in the order their tabs appear: one entry each, and everything that lists labs reads it (the
window's tabs and File › Open, the command line's choices, export, kernel warm-up, the soak, the tests).

Adding a lab is one entry here plus its own slice: ``engine/<family>/`` → ``app/sessions/<lab>.py`` →
``app/panels/<lab>.py`` → ``app/views/<lab>/``. Entries name their parts by import path, so that a tab shows
before its panel, its engine or Numba is imported.

A panel module exposes ``Panel``, a subclass of ``app.panels.base.LabPanel`` whose ``lab`` is the entry's
name; the base class says what every panel provides, the lab's session codec among it (``lab_state``,
``restore_lab_state``, ``state_version``, ``migrate_state``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.languages import QT_TR_NOOP


@dataclass(frozen=True)
class Lab:
    name: str  # in session files (never changes), on the command line
    title: str  # the tab's title, in English, marked QT_TR_NOOP("…") for lupdate (shown through app.i18n.tr)
    panel: str  # module whose ``Panel`` builds the lab
    file_filter: str  # File › Open's filter for the lab's own files (sessions are offered besides)
    trace_format: str  # "module:NAME" of the engine.export.TraceFormat writing the lab's trace
    warm_up: str  # "module:function" yielding (label, job) pairs that compile the lab's kernels

    def panel_class(self) -> type:
        """The ``Panel`` class, importing its module (and engine) on first use."""
        return importlib.import_module(self.panel).Panel

    def trace_writer(self) -> object:
        return _resolve(self.trace_format)

    def warm_up_jobs(self) -> Iterator[tuple[str, Callable[[], None]]]:
        return _resolve(self.warm_up)()


def _resolve(reference: str) -> object:
    module, name = reference.split(":")
    return getattr(importlib.import_module(module), name)


LABS = (
    Lab("recurrent", QT_TR_NOOP("Recurrent"), "app.panels.recurrent",
        "Sequences, text and weights (*.npz *.npy *.csv *.txt *.safetensors);;All files (*)",
        "engine.recurrent.export:FORMAT", "engine.warmup:recurrent_jobs"),
    Lab("seq2seq", QT_TR_NOOP("Seq2seq"), "app.panels.seq2seq",
        "Tab-separated pairs (*.tsv *.txt);;All files (*)",
        "engine.seq2seq.export:FORMAT", "engine.warmup:seq2seq_jobs"),
    Lab("hopfield", QT_TR_NOOP("Hopfield"), "app.panels.hopfield",
        "Patterns (*.npy *.png *.jpg *.jpeg *.bmp);;NumPy arrays (*.npy);;Images (*.png *.jpg *.jpeg *.bmp)",
        "engine.hopfield.export:FORMAT", "engine.warmup:hopfield_jobs"),
    Lab("boltzmann", QT_TR_NOOP("Boltzmann machine"), "app.panels.boltzmann",
        "Boltzmann machines (*.npz);;All files (*)",
        "engine.boltzmann.export:FORMAT", "engine.warmup:boltzmann_jobs"),
    Lab("rbm", QT_TR_NOOP("RBM"), "app.panels.rbm",
        "Binary images (*.npy *.png);;NumPy arrays (*.npy);;PNG images (*.png)",
        "engine.rbm.export:FORMAT", "engine.warmup:rbm_jobs"),
)  # fmt: skip

_BY_NAME = {lab.name: lab for lab in LABS}


def names() -> list[str]:
    return [lab.name for lab in LABS]


def lab(name: str) -> Lab:
    """The lab called ``name``; a ValueError lists the labs there are."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown lab {name!r}; choose one of {', '.join(names())}") from None


def first_jobs() -> Iterator[tuple[str, Callable[[], None]]]:
    """The kernels of the lab the window opens on: a first start compiles them before the window shows."""
    return LABS[0].warm_up_jobs()


def later_jobs() -> Iterator[tuple[str, Callable[[], None]]]:
    """The other labs' kernels, loaded behind the open window so that their tabs open at once."""
    for entry in LABS[1:]:
        yield from entry.warm_up_jobs()
