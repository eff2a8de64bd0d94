"""The RBM lab's state: the data set, the model, its training history, sample chains and the Gibbs chain shown
step by step.

Training runs in a worker thread; at most every ``FRAME_INTERVAL`` seconds it hands the GUI a ``TrainingFrame``
of copies (parameters, curves, persistent sample chains). Views only read frames and the current ``GibbsTrace``.
The playhead walks the chain by half-steps: v0, h0, v1, h1, ... , v_T, h_T, so 2 (T + 1) positions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.sessions import rbm_state
from app.sessions.rbm_likelihood import LikelihoodEstimator
from app.sessions.state import integer, refuse_unknown, settings_from_json, settings_to_json, value, with_prefix
from app.workers import BackgroundLoop
from engine import patterns, rbm
from engine.rbm import data

FRAME_INTERVAL = 0.1  # seconds between frames handed to the GUI while training
CHUNK_EPOCHS = 500  # epochs per rbm.train call in the worker (bounds its per-epoch history appends)
GALLERY_CHAINS = 16  # persistent sample chains shown in the gallery
GALLERY_SWEEPS = 10  # Gibbs sweeps those chains advance per frame
DEFAULT_CLAMP = "top"  # a new model's chain completes the bottom half of an image from its top half
STRUCTURE = ("dataset", "rows", "cols", "glyph_text", "glyph_size", "n_hidden", "seed", "held_out")
STATE_KEYS = ("settings", "source", "image_shape", "chunks", "chain", "user_images")
ARRAY_NAMES = ("data/rows", "data/held_out", "user/images", "gallery/chains", "gallery/prob", "clamp")
ARRAY_GROUPS = ("model/", "history/", "trace/")  # checked by the functions of rbm_state


@dataclass(frozen=True)
class RBMSettings:
    dataset: str = "bars"  # bars-and-stripes, glyphs from the built-in font, or the user's file
    rows: int = 4
    cols: int = 4
    glyph_text: str = "0123456789"
    glyph_size: int = 7
    n_hidden: int = 16
    lr: float = 0.05
    k: int = 1
    persistent: bool = False
    momentum: float = 0.9
    weight_decay: float = 0.0
    batch_size: int = 10
    seed: int = 0
    held_out: float = 0.2  # fraction of the patterns kept aside for the held-out free energy


@dataclass(frozen=True)
class TrainingFrame:
    """What the views draw after training: copies, never arrays the worker is still writing.

    ``gallery: (GALLERY_CHAINS, n_visible)`` p(v | h) of the persistent sample chains' latest sweep, and
    ``chains`` their binary states; ``chunks`` the training runs so far (it seeds the next). A session file
    saves the latest frame, so that saving never waits for the worker."""

    generation: int
    epoch: int
    model: rbm.RBM
    history: rbm.History
    gallery: np.ndarray
    chains: np.ndarray
    chunks: int
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


@dataclass(frozen=True)
class _Built:
    settings: RBMSettings
    rows: np.ndarray
    held_out: np.ndarray | None
    image_shape: tuple[int, int]
    source: str


def joined(first: rbm.History, second: rbm.History) -> rbm.History:
    """Two consecutive training runs' records as one history (copies)."""
    names = ("reconstruction_error", "log_likelihood", "free_energy", "validation_free_energy")
    return rbm.History(**{n: np.concatenate([getattr(first, n), getattr(second, n)]) for n in names})


class RBMSession(QObject):
    rebuilt = Signal()  # new data or model: every view starts over
    trained = Signal(object)  # a TrainingFrame
    trace_changed = Signal()
    training_changed = Signal(bool)
    failed = Signal(str)
    _published = Signal(object)  # frames emitted from the worker thread, delivered queued

    def __init__(self, settings: RBMSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self.loop = BackgroundLoop(self)
        self.loop.produced.connect(self._receive)
        self.loop.failed.connect(self._worker_failed)
        self.loop.running_changed.connect(self.training_changed)
        self._stop_requested = False
        self._user_images: tuple[np.ndarray, tuple[int, int], str] | None = None
        self.chain_pattern, self.chain_steps, self.chain_noise = 0, 20, True
        self.trace: rbm.GibbsTrace | None = None
        self.trace_clamp = np.zeros(0, bool)
        self._published.connect(self._receive)
        self.likelihood = LikelihoodEstimator(self)
        self.rebuilt.connect(self.likelihood.cancel)  # an estimate of a model that is gone
        self._commit(self._build(settings or RBMSettings()), new_model=True)

    # ---- building ---------------------------------------------------------------------------------------

    @property
    def training(self) -> bool:
        return self.loop.running

    @property
    def n_visible(self) -> int:
        return self.rows.shape[1]

    def _build(self, settings: RBMSettings, user_images=None) -> _Built:
        """Everything a new setting needs, checked before anything changes (ValueError on bad input)."""
        user_images = user_images or self._user_images
        if settings.dataset == "bars":
            rows, shape = patterns.bars_and_stripes(settings.rows, settings.cols), (settings.rows, settings.cols)
            source = f"bars and stripes {settings.rows}×{settings.cols}"
        elif settings.dataset == "glyphs":
            rows, shape = patterns.glyphs(settings.glyph_text, settings.glyph_size), (settings.glyph_size,) * 2
            source = f"glyphs “{settings.glyph_text}” at {settings.glyph_size}×{settings.glyph_size}"
        elif settings.dataset == "file" and user_images is not None:
            rows, shape, source = user_images
        else:
            raise ValueError(f"unknown data set {settings.dataset!r}; open a file first to train on your own images")
        train_rows, held_out = data.split_held_out(rows, settings.held_out, settings.seed)
        rbm.init(rows.shape[1], settings.n_hidden, settings.seed)  # refuses bad sizes before anything changes
        return _Built(settings, train_rows, held_out, shape, source)

    def apply_settings(self, settings: RBMSettings) -> None:
        """Take new settings: a new model when the data or its size changed, else keep training the same one."""
        new_model = any(getattr(settings, n) != getattr(self.settings, n) for n in STRUCTURE)
        built = self._build(settings) if new_model else replace(self._built, settings=settings)
        was_training = self.training
        self.stop_training()
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

    def _commit(self, built: _Built, new_model: bool) -> None:
        self._take_data(built)
        if new_model:
            self._generation += 1
            s = built.settings
            self.model = rbm.init(self.n_visible, s.n_hidden, s.seed)
            self._history, self._chunks = rbm.History(), 0
            self._gallery = patterns.random_patterns(GALLERY_CHAINS, self.n_visible, rng=s.seed).astype(np.float64)
            self.clamp = data.clamp_mask(self.image_shape, DEFAULT_CLAMP)
            self.chain_pattern = min(self.chain_pattern, len(self.rows) - 1)
            self.frame = self._make_frame(rbm.History())
            self.rebuilt.emit()
            self.run_chain()

    def _take_data(self, built: _Built) -> None:
        self._built, self.settings = built, built.settings
        self.rows, self.held_out, self.image_shape, self.source = (
            built.rows,
            built.held_out,
            built.image_shape,
            built.source,
        )

    # ---- training ---------------------------------------------------------------------------------------

    def _train(self, epochs: int, on_epoch=None) -> rbm.History:
        """Train the session's model for up to ``epochs`` epochs (on whichever thread owns it right now)."""
        s = self.settings
        self._chunks += 1
        history = rbm.train(
            self.model, self.rows, epochs=epochs, lr=s.lr, k=s.k, persistent=s.persistent,
            batch_size=min(s.batch_size, len(self.rows)), seed=s.seed * 1000 + self._chunks, momentum=s.momentum,
            weight_decay=s.weight_decay, validation=self.held_out,
            log_likelihood_every=data.likelihood_every(self.n_visible, s.n_hidden), on_epoch=on_epoch,
        )  # fmt: skip
        self._history = joined(self._history, history)
        return history

    def _make_frame(self, running: rbm.History, stopped_reason: str | None = None) -> TrainingFrame:
        """Copies for the GUI; also advances the persistent sample chains of the gallery."""
        trace = rbm.gibbs(self.model, self._gallery, GALLERY_SWEEPS, seed=self._history.epochs + running.epochs)
        self._gallery = trace.visible[-1].copy()
        history = joined(self._history, running)
        return TrainingFrame(self._generation, history.epochs, self.model.copy(), history,
                             trace.visible_prob[-1].copy(), self._gallery.copy(), self._chunks,
                             stopped_reason)  # fmt: skip

    def train_epochs(self, epochs: int) -> None:
        """Train ``epochs`` epochs now, on the GUI thread (a step button, tests, screenshots)."""
        self.stop_training()
        history = self._train(epochs)
        self._receive(self._make_frame(rbm.History(), history.stopped_reason))

    def start_training(self) -> None:
        if self.training:
            return
        self._stop_requested = False
        self.loop.start(self._train_chunk)

    def stop_training(self) -> None:
        """Ask the worker to stop after its current epoch and wait for it; the views then show where it
        stopped (its own last frame is dropped on the way, being from a thread that has ended)."""
        was_training = self.training
        self._stop_requested = True
        self.loop.stop()
        if was_training and self.frame.epoch != self._history.epochs:
            self._receive(self._make_frame(rbm.History()))

    def _train_chunk(self) -> TrainingFrame | None:
        """The worker's step: train until stopped (or CHUNK_EPOCHS), publishing a frame every FRAME_INTERVAL."""
        if self._stop_requested:
            time.sleep(0.01)  # the GUI is about to stop this loop
            return None
        last = [time.perf_counter()]

        def on_epoch(epoch: int, model: rbm.RBM, history: rbm.History) -> bool:
            if time.perf_counter() - last[0] >= FRAME_INTERVAL:
                last[0] = time.perf_counter()
                self._published.emit(self._make_frame(history))
            return not self._stop_requested

        history = self._train(CHUNK_EPOCHS, on_epoch)
        diverged = history.stopped_reason if history.stopped_reason and not self._stop_requested else None
        self._stop_requested = self._stop_requested or diverged is not None
        return self._make_frame(rbm.History(), diverged)

    def _receive(self, frame: TrainingFrame) -> None:
        if frame.generation != self._generation:
            return  # a frame from before a rebuild
        self.frame = frame
        self.trained.emit(frame)
        if frame.stopped_reason:
            self.stop_training()
            self.failed.emit(f"training stopped: {frame.stopped_reason}; try a smaller learning rate")

    def estimate_likelihood(self) -> None:
        """Estimate the shown model's log-likelihood on the training patterns by AIS, in a worker thread."""
        self.likelihood.start(self.frame.model, self.rows, self.frame.epoch)

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
        self.chain_pattern = self.chain_pattern if pattern is None else pattern
        self.chain_steps = self.chain_steps if steps is None else steps
        self.chain_noise = self.chain_noise if noise is None else noise
        if not 0 <= self.chain_pattern < len(self.rows):
            raise ValueError(f"pattern {self.chain_pattern} does not exist; there are {len(self.rows)}")
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
        """(JSON state, arrays) for a session file: settings, data, the user's images, the model, its history,
        the count of training runs (it seeds the next), the sample chains, the clamp and the Gibbs chain.
        Model, history and chains come from the latest frame (copies made at one epoch's end): what the views
        show is what is saved, and training in the background goes on undisturbed."""
        f = self.frame
        state = {
            "settings": settings_to_json(self.settings),
            "source": self.source,
            "image_shape": list(self.image_shape),
            "chunks": f.chunks,
            "user_images": None,
            "chain": {"pattern": self.chain_pattern, "steps": self.chain_steps, "noise": self.chain_noise},
        }
        m, h, tr = f.model, f.history, self.trace
        arrays = {"data/rows": self.rows, "model/W": m.W, "model/b_visible": m.b_visible, "model/b_hidden": m.b_hidden,
                  **with_prefix("history/", {n: getattr(h, n) for n in rbm_state.HISTORY_SERIES}),
                  "gallery/chains": f.chains, "gallery/prob": f.gallery, "clamp": self.clamp,
                  **with_prefix("trace/", {n: getattr(tr, n) for n in rbm_state.TRACE_LAYERS}),
                  "trace/clamp": self.trace_clamp}  # fmt: skip
        if self.held_out is not None:
            arrays["data/held_out"] = self.held_out
        if self._user_images is not None:
            images, shape, source = self._user_images
            state["user_images"] = {"shape": list(shape), "source": source}
            arrays["user/images"] = images
        return state, arrays

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray], extra_keys: tuple[str, ...] = ()) -> None:
        """Put back what ``save_state`` gave, so that training goes on with the same numbers. The data are made
        again from the settings (and the user's images) and must equal the file's; everything is checked
        before anything changes, and a ValueError leaves the session as it was."""
        refuse_unknown(state, STATE_KEYS + extra_keys, "RBM session")
        refuse_unknown((n for n in arrays if not n.startswith(ARRAY_GROUPS)), ARRAY_NAMES, "RBM session's arrays")
        settings = settings_from_json(RBMSettings, state.get("settings"))
        rbm_state.check_ranges(settings)
        user = state.get("user_images")
        if user is not None:
            refuse_unknown(value(state, "user_images", dict, "the user's images"), ("shape", "source"), "user images")
            user = rbm_state.user_images(arrays, user.get("shape"), user.get("source"))
        if settings.dataset == "file" and user is None:
            raise ValueError("a session on the user's own images needs those images, which the file lacks")
        built = self._build(settings, user)
        self._check_data(built, state, arrays)
        nv, nh = built.rows.shape[1], settings.n_hidden
        model, history = rbm_state.model(arrays, nv, nh), rbm_state.history(arrays)
        chunks = integer(state, "chunks", 0, 2**40, "the count of training runs")
        gallery = rbm_state.binary(arrays, "gallery/chains", (GALLERY_CHAINS, nv))
        shown = rbm_state.probabilities(arrays, "gallery/prob", (GALLERY_CHAINS, nv))
        clamp, trace_clamp = rbm_state.mask(arrays, "clamp", nv), rbm_state.mask(arrays, "trace/clamp", nv)
        chain = value(state, "chain", dict, "the Gibbs chain's settings")
        refuse_unknown(chain, ("pattern", "steps", "noise"), "Gibbs chain's settings")
        pattern = integer(chain, "pattern", 0, len(built.rows) - 1, "the chain's start pattern")
        steps = integer(chain, "steps", 1, rbm_state.MAX_CHAIN_STEPS, "the chain's steps")
        noise = value(chain, "noise", bool, "the chain's noise choice")
        trace = rbm_state.trace(arrays, steps, nv, nh)
        self.stop_training()
        self._user_images = user
        self._take_data(built)
        self._generation += 1  # frames still on their way from the old model are dropped
        self.model, self._history, self._chunks, self._gallery, self.clamp = model, history, chunks, gallery, clamp
        self.frame = TrainingFrame(self._generation, history.epochs, model.copy(), joined(history, rbm.History()),
                                   shown, gallery.copy(), chunks)  # fmt: skip
        self.chain_pattern, self.chain_steps, self.chain_noise = pattern, steps, noise
        self.trace, self.trace_clamp = trace, trace_clamp
        self.rebuilt.emit()
        self.trained.emit(self.frame)
        self.trace_changed.emit()

    @staticmethod
    def _check_data(built: _Built, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """The file's data, image shape and source must be those its settings make."""
        for name, rows in (("data/rows", built.rows), ("data/held_out", built.held_out)):
            saved = arrays.get(name)
            if (saved is None) != (rows is None) or (
                saved is not None and not (saved.shape == rows.shape and np.array_equal(saved, rows))
            ):
                raise ValueError(f"the file's {name} are not the data its settings make")
        if state.get("image_shape") != list(built.image_shape) or state.get("source") != built.source:
            raise ValueError("the file's image shape or data source do not match its settings")
