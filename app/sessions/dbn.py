"""The deep-belief-net lab's state: labelled images, the layer-wise stack trainer, and the dream on show.

Training runs in a ``TrainingRunner``, one epoch of the layer in training per step, and hands the GUI a
``DBNFrame`` of copies every ``FRAME_INTERVAL`` seconds. The playhead walks the dream: the top RBM's Gibbs chain,
each step drawn at the pixels by one top-down pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.i18n import tr
from app.jobs import TrainingRunner
from app.sessions import settings as declared
from app.sessions.settings import setting
from engine import image_sets
from engine.image_sets import LabelledImages
from engine.rbm import data, dbn
from engine.rbm.stack import MAX_LAYERS, StackTrainer

FRAME_INTERVAL = 0.15
DATASETS = ("digits", "bars", "sklearn", "file")
MAX_DREAM_STEPS = 1000
MAX_UNITS = 1000


@dataclass(frozen=True)
class DBNSettings:
    dataset: str = setting("digits", choices=DATASETS)
    size: int = setting(8, 8, 16)  # the digits' canvas, pixels a side
    per_class: int = setting(60, 5, 500)
    noise: float = setting(0.02, 0.0, 0.2)
    layers: str = "200, 300"  # hidden units per layer, bottom-up
    labels: bool = True  # label units join the top layer
    epochs: int = setting(30, 1, 1000)  # per layer
    lr: float = setting(0.1, 0.0, 5.0)
    momentum: float = setting(0.5, 0.0, 0.99)
    batch_size: int = setting(10, 1, 1000)
    seed: int = setting(0, 0, 1_000_000)
    held_out: float = setting(0.2, 0.0, 0.5)


def layer_sizes(text: str) -> list[int]:
    """``"100, 200"`` as ``[100, 200]``; a ValueError names what is wrong."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(f"the layer sizes must be whole numbers separated by commas, like 100, 200; not {text!r}")
    sizes = [int(p) for p in parts]
    if len(sizes) > MAX_LAYERS or not all(1 <= s <= MAX_UNITS for s in sizes):
        raise ValueError(f"a stack has 1 to {MAX_LAYERS} layers of 1 to {MAX_UNITS} units, not {text!r}")
    return sizes


@dataclass(frozen=True)
class Built:
    """What a choice of settings makes: training and held-out images and labels (labels None without them)."""

    settings: DBNSettings
    images: LabelledImages
    rows: np.ndarray
    labels: np.ndarray | None
    held_out: np.ndarray
    held_out_labels: np.ndarray | None


@dataclass(frozen=True)
class DBNFrame:
    """Copies for the views: the stack so far, each layer's reconstruction error per epoch, and (with labels, once
    the top layer trains) the classification of the held-out images: predictions and free energies."""

    epochs_done: int
    total_epochs: int
    layer: int
    net: dbn.DBN
    errors: list[np.ndarray]
    checkpoint: tuple[dict, dict[str, np.ndarray]]
    predictions: np.ndarray | None = None
    energies: np.ndarray | None = None
    stopped_reason: str | None = None


def images_for(settings: DBNSettings, user: LabelledImages | None) -> LabelledImages:
    """The labelled images ``settings`` choose, described in the user's language (the user's own as they are)."""
    s = settings
    if s.dataset == "digits":
        source = tr("digits in six faces, {size}×{size}, {noise} noise").format(size=s.size, noise=f"{s.noise:.0%}")
        return image_sets.font_digits(s.per_class, s.size, s.noise, s.seed)._replace(source=source)
    if s.dataset == "bars":
        return image_sets.labelled_bars_and_stripes(4, 4)._replace(source=tr("bars and stripes {rows}×{cols}").format(
            rows=4, cols=4))  # fmt: skip
    if s.dataset == "sklearn":
        digits = image_sets.sklearn_digits()
        if digits is None:
            raise ValueError("scikit-learn's digits need scikit-learn, which is not installed here")
        return digits._replace(source=tr("scikit-learn 8×8 digits"))
    if user is None:
        raise ValueError("open a file of binary images first to train on your own images")
    return user


def build(settings: DBNSettings, user: LabelledImages | None = None) -> Built:
    """The data ``settings`` make, checked; ValueError on bad settings."""
    declared.check_settings(settings)
    layer_sizes(settings.layers)
    images = images_for(settings, user)
    order = np.random.default_rng(settings.seed).permutation(len(images.images))
    n_held = min(len(order) - 1, round(settings.held_out * len(order)))
    train, held = order[n_held:], order[:n_held]
    labelled = settings.labels and len(images.classes) > 0
    return Built(settings, images, images.images[train], images.labels[train] if labelled else None,
                 images.images[held], images.labels[held] if labelled else None)  # fmt: skip


def stack_for(built: Built) -> StackTrainer:
    s = built.settings
    n_labels = len(built.images.classes) if built.labels is not None else 0
    return StackTrainer(built.rows, layer_sizes(s.layers), s.epochs, labels=built.labels, n_labels=n_labels,
                        seed=s.seed, lr=s.lr, momentum=s.momentum, batch_size=s.batch_size,
                        log_likelihood_every=0)  # fmt: skip


class DBNSession(QObject):
    rebuilt = Signal()
    trained = Signal(object)  # a DBNFrame
    dream_changed = Signal()
    training_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, settings: DBNSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self._receive)
        self.runner.failed.connect(self._worker_failed)
        self.runner.running_changed.connect(self.training_changed)
        self.user: LabelledImages | None = None
        self.dream_label, self.dream_steps = -2, 200  # -2: one chain per class; -1: free chains; else that class
        self.dream: dbn.DreamTrace | None = None
        self._stopped: str | None = None
        self._commit(build(settings or DBNSettings()))

    @property
    def training(self) -> bool:
        return self.runner.running

    @property
    def image_shape(self) -> tuple[int, int]:
        return self.built.images.shape

    @property
    def classes(self) -> tuple[str, ...]:
        return self.built.images.classes if self.built.labels is not None else ()

    def _commit(self, built: Built, stack: StackTrainer | None = None) -> None:
        self.built, self.settings = built, built.settings
        self.stack = stack or stack_for(built)
        self.frame = self._make_frame()
        self.rebuilt.emit()
        self.run_dream()

    def apply_settings(self, settings: DBNSettings) -> None:
        """New data and a new stack from ``settings``; on bad settings a ValueError changes nothing."""
        built = build(settings, self.user)
        stack = stack_for(built)
        self.stop_training()
        self._commit(built, stack)

    def load_images(self, images: object, source: str) -> None:
        """Train on the user's binary images ``(M, n)`` or ``(M, h, w)`` (no labels); bad input changes nothing."""
        rows, shape = data.image_stack(images)
        if len(rows) < 2:
            raise ValueError("a deep belief net needs at least two images")
        user = LabelledImages(rows, np.zeros(len(rows), np.int64), shape, (), source)
        built = build(replace(self.settings, dataset="file"), user)
        stack = stack_for(built)
        self.stop_training()
        self.user = user
        self._commit(built, stack)

    def reset(self) -> None:
        self.stop_training()
        self._commit(self.built)

    # ---- training ---------------------------------------------------------------------------------------

    def _make_frame(self) -> DBNFrame:
        st = self.stack
        net = st.dbn()
        errors = [np.array(h.reconstruction_error) for h in net.histories]
        predictions = energies = None
        if net.n_labels and len(self.built.held_out):
            energies = dbn.label_free_energies(net, self.built.held_out)
            predictions = energies.argmin(axis=1)
        reason, self._stopped = self._stopped, None
        return DBNFrame(st.epochs_done, st.total_epochs, min(st.layer, len(st.sizes) - 1), net, errors,
                        st.checkpoint(), predictions, energies, reason)  # fmt: skip

    def _step(self) -> bool:
        self._stopped = self.stack.step()
        return self._stopped is not None or self.stack.done

    def _frame_if_new(self) -> DBNFrame | None:
        if self.stack.epochs_done == self.frame.epochs_done and self._stopped is None:
            return None
        return self._make_frame()

    def train_epochs(self, epochs: int) -> None:
        """Train ``epochs`` epochs now, on the GUI thread (tests, screenshots)."""
        self.stop_training()
        for _ in range(epochs):
            if self._step():
                break
        self._receive(self._make_frame())

    def start_training(self) -> None:
        if not self.training and not self.stack.done:
            self.runner.start(self._step, self._frame_if_new, FRAME_INTERVAL)

    def stop_training(self) -> None:
        self.runner.stop()

    def _receive(self, frame: DBNFrame) -> None:
        self.frame = frame
        self.trained.emit(frame)
        if frame.stopped_reason:
            self.failed.emit(f"training stopped: {frame.stopped_reason}; try a smaller learning rate")

    def _worker_failed(self, text: str) -> None:
        self.stop_training()
        self.failed.emit(f"training failed: {text}")

    # ---- dreams -----------------------------------------------------------------------------------------

    def run_dream(self, label: int | None = None, steps: int | None = None) -> None:
        """Chains of the top RBM on the latest frame's stack: one per class (label −2), ten free ones (−1), or
        ten clamped to class ``label``."""
        label = self.dream_label if label is None else label
        steps = self.dream_steps if steps is None else steps
        n = len(self.classes)
        if not (-2 <= label < n) or (label == -2 and n == 0):
            label = -1
        if not 1 <= steps <= MAX_DREAM_STEPS:
            raise ValueError(f"a dream runs 1 to {MAX_DREAM_STEPS} steps, not {steps}")
        net = self.frame.net
        if label == -2 and net.n_labels:
            labels = np.arange(n)
        elif label >= 0 and net.n_labels:
            labels = np.full(10, label)
        else:
            labels = None
        seed = self.settings.seed + self.frame.epochs_done
        self.dream = dbn.dream(net, labels=labels, n_chains=10, steps=steps, seed=seed)
        self.dream_label, self.dream_steps = label, steps
        self.dream_changed.emit()

    def dream_images(self, position: int) -> np.ndarray:
        """p(v) of every chain at step ``position``: ``(chains, pixels)``."""
        return self.dream.images[min(max(position, 0), len(self.dream.images) - 1)]

    # ---- session files ----------------------------------------------------------------------------------

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, arrays = self.frame.checkpoint
        out = {f"stack/{k}": v for k, v in arrays.items()}
        user = None
        if self.user is not None:
            out["user/images"] = self.user.images
            user = {"shape": list(self.user.shape), "source": self.user.source}
        return {"settings": declared.settings_to_json(self.settings), "stack": state, "user": user,
                "dream": {"label": self.dream_label, "steps": self.dream_steps}}, out  # fmt: skip

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Back to ``save_state``'s output; everything checked first, a ValueError changes nothing."""
        from app.sessions.rbm_state import user_images
        from app.sessions.state import integer, refuse_unknown, value

        refuse_unknown(state, ("settings", "stack", "user", "dream"), "DBN session")
        settings = declared.settings_from_json(DBNSettings, state.get("settings"))
        user = None
        if state.get("user") is not None:
            saved = value(state, "user", dict, "the user's images")
            rows, shape, source = user_images(arrays, saved.get("shape"), saved.get("source"))
            user = LabelledImages(rows, np.zeros(len(rows), np.int64), shape, (), source)
        built = build(settings, user)
        stack = stack_for(built)
        stack.restore(state.get("stack"), {k[6:]: v for k, v in arrays.items() if k.startswith("stack/")})
        dream = value(state, "dream", dict, "the dream's settings")
        label = integer(dream, "label", -2, max(0, len(built.images.classes) - 1), "the dream's label")
        steps = integer(dream, "steps", 1, MAX_DREAM_STEPS, "the dream's steps")
        self.stop_training()
        self.user = user
        self.dream_label, self.dream_steps = label, steps
        self._commit(built, stack)


def accuracy(predictions: np.ndarray | None, labels: np.ndarray | None) -> float:
    if predictions is None or labels is None or not len(labels):
        return math.nan
    return float(np.mean(predictions == labels))
