"""The RBM lab's state: the data set, the trainer (model, momentum, persistent chains, generator, record),
sample chains and the Gibbs chain shown step by step.

Training runs in a ``TrainingRunner``: one epoch per step, and every ``FRAME_INTERVAL`` seconds a
``TrainingFrame`` of copies (parameters, the trainer's checkpoint, curves, sample chains) for the GUI. Views only
read frames and the current ``GibbsTrace``. The playhead walks the chain by half-steps: v0, h0, v1, h1, ... ,
v_T, h_T, so 2 (T + 1) positions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.i18n import tr
from app.jobs import TrainingRunner
from app.sessions import rbm_state
from app.sessions.rbm_likelihood import LikelihoodEstimator
from app.sessions.rbm_state import GALLERY_CHAINS, Built, RBMSettings, training_options, training_seed
from engine import patterns, rbm
from engine.rbm import data

FRAME_INTERVAL = 0.1  # seconds between frames handed to the GUI while training
GALLERY_SWEEPS = 10  # Gibbs sweeps those chains advance per frame
DEFAULT_CLAMP = "top"  # a new model's chain completes the bottom half of an image from its top half
STRUCTURE = ("dataset", "rows", "cols", "glyph_text", "glyph_size", "n_hidden", "seed", "held_out")


@dataclass(frozen=True)
class TrainingFrame:
    """What the views draw after training: copies, never arrays the worker is still writing.

    ``history`` is a read-only view of the trainer's record (entries once written never change);
    ``checkpoint`` the trainer's state at this epoch, which a session file saves, so that saving never waits
    for the worker. ``gallery: (GALLERY_CHAINS, n_visible)`` p(v | h) of the sample chains' latest sweep, and
    ``chains`` their binary states."""

    epoch: int
    model: rbm.RBM
    history: rbm.History
    gallery: np.ndarray
    chains: np.ndarray
    checkpoint: tuple[dict, dict[str, np.ndarray]]
    stopped_reason: str | None = None


@dataclass(frozen=True)
class ChainState:
    """One playhead position of the Gibbs chain: step ``t`` and which layer was just sampled."""

    t: int
    layer: str  # "visible" or "hidden"
    visible: np.ndarray
    visible_prob: np.ndarray
    hidden: np.ndarray
    hidden_prob: np.ndarray
    clamp: np.ndarray


class RBMSession(QObject):
    rebuilt = Signal()  # new data or model: every view starts over
    trained = Signal(object)  # a TrainingFrame
    trace_changed = Signal()
    training_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, settings: RBMSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self._receive)
        self.runner.failed.connect(self._worker_failed)
        self.runner.running_changed.connect(self.training_changed)
        self._user_images: tuple[np.ndarray, tuple[int, int], str] | None = None
        self.chain_pattern, self.chain_steps, self.chain_noise = 0, 20, True
        self.trace: rbm.GibbsTrace | None = None
        self.trace_clamp = np.zeros(0, bool)
        self._stopped_reason: str | None = None
        self.likelihood = LikelihoodEstimator(self)
        self.rebuilt.connect(self.likelihood.cancel)  # an estimate of a model that is gone
        self._commit(self._build(settings or RBMSettings()), new_model=True)

    # ---- building ---------------------------------------------------------------------------------------

    @property
    def training(self) -> bool:
        return self.runner.running

    @property
    def model(self) -> rbm.RBM:
        """The trainer's model (being written while training runs: views read ``frame.model``)."""
        return self.trainer.model

    @property
    def n_visible(self) -> int:
        return self.rows.shape[1]

    def _build(self, settings: RBMSettings, user_images=None) -> Built:
        """Everything a new setting needs, checked before anything changes (ValueError on bad input). Ranges
        are the form's and a file's to keep (a test may train at a learning rate no form offers)."""
        user_images = user_images or self._user_images
        if settings.dataset == "bars":
            rows, shape = patterns.bars_and_stripes(settings.rows, settings.cols), (settings.rows, settings.cols)
            source = f"bars and stripes {settings.rows}×{settings.cols}"  # in session files: the user reads title()
        elif settings.dataset == "glyphs":
            rows, shape = patterns.glyphs(settings.glyph_text, settings.glyph_size), (settings.glyph_size,) * 2
            source = f"glyphs “{settings.glyph_text}” at {settings.glyph_size}×{settings.glyph_size}"
        elif settings.dataset == "file" and user_images is not None:
            rows, shape, source = user_images
        else:
            raise ValueError(f"unknown data set {settings.dataset!r}; open a file first to train on your own images")
        train_rows, held_out = data.split_held_out(rows, settings.held_out, settings.seed)
        rbm.init(rows.shape[1], settings.n_hidden, settings.seed)  # refuses bad sizes before anything changes
        return Built(settings, train_rows, held_out, shape, source)

    def source_title(self) -> str:
        """The data's name as the user reads it (``source``, the name kept in session files, is English)."""
        s = self.settings
        if s.dataset == "bars":
            return tr("bars and stripes {rows}×{cols}").format(rows=s.rows, cols=s.cols)
        if s.dataset == "glyphs":
            return tr("glyphs “{text}” at {size}×{size}").format(text=s.glyph_text, size=s.glyph_size)
        return self.source

    def apply_settings(self, settings: RBMSettings) -> None:
        """Take new settings: a new model when the data or its size changed, else the trainer goes on with its
        model, momentum and record under the new settings."""
        new_model = any(getattr(settings, n) != getattr(self.settings, n) for n in STRUCTURE)
        built = self._build(settings) if new_model else replace(self._built, settings=settings)
        options = training_options(settings, built.rows)
        shape = (built.rows.shape[1], settings.n_hidden)
        rbm.training.check_config(shape, rbm.TrainingConfig(**options))  # refused before anything stops
        was_training = self.training
        self.stop_training()
        if not new_model:
            self.trainer.configure(**options)
        self._commit(built, new_model)
        if was_training:
            self.start_training()

    def load_images(self, images: object, source: str) -> None:
        """Train on the user's binary images ``(M, n)`` or ``(M, h, w)``; on bad input nothing changes."""
        rows, shape = data.image_stack(images)
        user_images = (rows, shape, source)
        built = self._build(replace(self.settings, dataset="file"), user_images)
        self.stop_training()
        self._user_images = user_images
        self._commit(built, new_model=True)

    def reset(self) -> None:
        """A fresh model on the same data."""
        self.stop_training()
        self._commit(self._built, new_model=True)

    def _commit(self, built: Built, new_model: bool) -> None:
        self._take_data(built)
        if new_model:
            s = built.settings
            model = rbm.init(self.n_visible, s.n_hidden, s.seed)
            self.trainer = rbm.RBMTrainer(model, self.rows, validation=self.held_out, seed=training_seed(s),
                                          **training_options(s, self.rows))  # fmt: skip
            self.restart_gallery()
            self.clamp = data.clamp_mask(self.image_shape, DEFAULT_CLAMP)
            self.chain_pattern = min(self.chain_pattern, len(self.rows) - 1)
            self.frame = self._make_frame()
            self.rebuilt.emit()
            self.run_chain()

    def restart_gallery(self) -> None:
        """The sample chains back at the seed's random patterns."""
        seed = self.settings.seed
        self._gallery = patterns.random_patterns(GALLERY_CHAINS, self.n_visible, rng=seed).astype(np.float64)

    def _take_data(self, built: Built) -> None:
        self._built, self.settings = built, built.settings
        self.rows, self.held_out, self.image_shape, self.source = (
            built.rows,
            built.held_out,
            built.image_shape,
            built.source,
        )

    # ---- training ---------------------------------------------------------------------------------------

    def _make_frame(self) -> TrainingFrame:
        """Copies for the GUI, on the thread that owns the trainer; also advances the gallery's sample chains."""
        checkpoint = self.trainer.checkpoint()
        arrays = checkpoint[1]
        model = rbm.RBM(arrays["model/W"], arrays["model/b_visible"], arrays["model/b_hidden"])
        trace = rbm.gibbs(model, self._gallery, GALLERY_SWEEPS, seed=self.trainer.epoch)
        self._gallery = trace.visible[-1].copy()
        reason, self._stopped_reason = self._stopped_reason, None
        return TrainingFrame(self.trainer.epoch, model, self.trainer.history.view(), trace.visible_prob[-1].copy(),
                             self._gallery.copy(), checkpoint, reason)  # fmt: skip

    def _frame_if_new(self) -> TrainingFrame | None:
        """A frame, unless nothing happened since the last one."""
        if self.trainer.epoch == self.frame.epoch and self._stopped_reason is None:
            return None
        return self._make_frame()

    def _train_step(self) -> bool:
        """The runner's step: one epoch; True (end the run) when training diverged."""
        self._stopped_reason = self.trainer.train(1)
        return self._stopped_reason is not None

    def train_epochs(self, epochs: int) -> None:
        """Train ``epochs`` epochs now, on the GUI thread (a step button, tests, screenshots)."""
        self.stop_training()
        self._stopped_reason = self.trainer.train(epochs)
        self._receive(self._make_frame())

    def start_training(self) -> None:
        if not self.training:
            self.runner.start(self._train_step, self._frame_if_new, FRAME_INTERVAL)

    def stop_training(self) -> None:
        """End training after its current epoch; the views then show where it stopped."""
        self.runner.stop()

    def _receive(self, frame: TrainingFrame) -> None:
        self.frame = frame
        self.trained.emit(frame)
        if frame.stopped_reason:
            self.failed.emit(f"training stopped: {frame.stopped_reason}; try a smaller learning rate")

    def estimate_likelihood(self) -> None:
        """Estimate the shown model's log-likelihood on the training patterns by AIS, in a worker thread."""
        self.likelihood.estimate(self.frame.model, self.rows, self.frame.epoch)

    def _worker_failed(self, text: str) -> None:
        self.stop_training()
        self.failed.emit(f"training failed: {text}")

    # ---- the Gibbs chain --------------------------------------------------------------------------------

    def set_clamp(self, mask: np.ndarray) -> None:
        self.clamp = np.asarray(mask, bool).copy()

    def clamp_region(self, region: str) -> None:
        self.set_clamp(data.clamp_mask(self.image_shape, region))

    def toggle_clamped(self, unit: int) -> None:
        self.set_clamp(data.toggle_unit(self.clamp, unit))

    def run_chain(self, pattern: int | None = None, steps: int | None = None, noise: bool | None = None) -> None:
        """A new Gibbs chain from training pattern ``pattern`` with the current clamp, on the latest model.

        With ``noise`` the unclamped units start as coin flips (pattern completion), else as the pattern."""
        pattern = self.chain_pattern if pattern is None else pattern
        steps = self.chain_steps if steps is None else steps
        if not 0 <= pattern < len(self.rows):
            raise ValueError(f"pattern {pattern} does not exist; there are {len(self.rows)}")
        if not 1 <= steps <= rbm_state.MAX_CHAIN_STEPS:
            raise ValueError(f"a chain runs 1 to {rbm_state.MAX_CHAIN_STEPS} steps, not {steps}")
        self.chain_pattern, self.chain_steps = pattern, steps
        self.chain_noise = self.chain_noise if noise is None else noise
        start = self.rows[self.chain_pattern]
        seed = self.settings.seed + self.frame.epoch
        v0 = data.completion_start(start, self.clamp, seed) if self.chain_noise else start
        self.trace = rbm.gibbs(self.frame.model, v0, self.chain_steps, seed=seed, clamp=self.clamp)
        self.trace_clamp = self.clamp.copy()
        self.trace_changed.emit()

    @property
    def chain_length(self) -> int:
        """Playhead positions: one per half-step."""
        return 2 * len(self.trace.visible)

    def chain_state(self, position: int) -> ChainState:
        """Even positions show v_t just sampled (with h_{t−1}); odd ones h_t just sampled from v_t."""
        tr = self.trace
        t, odd = divmod(min(max(position, 0), self.chain_length - 1), 2)
        shown_h = t if odd else t - 1
        if shown_h < 0:
            blank = np.full(tr.hidden.shape[1], np.nan)
            hidden, hidden_prob = blank, blank
        else:
            hidden, hidden_prob = tr.hidden[shown_h], tr.hidden_prob[shown_h]
        layer = "hidden" if odd else "visible"
        return ChainState(t, layer, tr.visible[t], tr.visible_prob[t], hidden, hidden_prob, self.trace_clamp)

    # ---- session files ----------------------------------------------------------------------------------

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON sections, arrays) for a session file; see ``rbm_state`` for the layout. Model, trainer and
        sample chains come from the latest frame (copies made at one epoch's end): what the views show is what
        is saved, and training in the background goes on undisturbed."""
        return rbm_state.save(self)

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Put back what ``save_state`` gave, so that training goes on with the same numbers. The data are made
        again from the settings (and the user's images) and must equal the file's; everything is checked
        before anything changes, and a ValueError leaves the session as it was."""
        restored = rbm_state.load(self, state, arrays)
        self.stop_training()
        self._user_images = restored.user_images
        self._take_data(restored.built)
        self.trainer, self._gallery, self.clamp = restored.trainer, restored.gallery, restored.clamp
        self.frame = TrainingFrame(self.trainer.epoch, self.trainer.model.copy(), self.trainer.history.view(),
                                   restored.shown, restored.gallery.copy(), self.trainer.checkpoint())  # fmt: skip
        self.chain_pattern, self.chain_steps, self.chain_noise = restored.chain
        self.trace, self.trace_clamp = restored.trace, restored.trace_clamp
        self.rebuilt.emit()
        self.trained.emit(self.frame)
        self.trace_changed.emit()
