"""The deep-autoencoder lab's state: labelled images, the pre-trainer, then the unrolled network's fine-tuner, PCA
at the same code size, and one snapshot of the held-out codes and reconstructions per fine-tuning epoch.

Work runs in a ``TrainingRunner``, one epoch per step (pre-training, then fine-tuning), handing the GUI an
``AEFrame`` every ``FRAME_INTERVAL`` seconds. The playhead walks the snapshots: the unrolled net before
fine-tuning, then after each epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.jobs import TrainingRunner
from app.sessions import settings as declared
from app.sessions.dbn import images_for, layer_sizes
from app.sessions.settings import setting
from app.sessions.state import refuse_unknown, value
from engine import autoencoder as ae
from engine.autoencoder.export import AutoencoderTrace
from engine.image_sets import LabelledImages
from engine.rbm import data

FRAME_INTERVAL = 0.2
DATASETS = ("digits", "sklearn", "file")
EXAMPLES = 10  # held-out images shown with their reconstructions


@dataclass(frozen=True)
class AESettings:
    dataset: str = setting("digits", choices=DATASETS)
    size: int = setting(9, 8, 16)
    per_class: int = setting(60, 5, 500)
    noise: float = setting(0.02, 0.0, 0.2)
    layers: str = "100, 50"  # hidden layers between the pixels and the code
    code: int = setting(2, 1, 4096)  # code units; larger than the pixels is refused with a message
    pre_epochs: int = setting(10, 1, 500)  # per layer
    fine_epochs: int = setting(60, 0, 2000)
    lr: float = setting(0.001, 0.00001, 0.1)  # fine-tuning (Adam)
    batch_size: int = setting(50, 1, 1000)
    seed: int = setting(0, 0, 1_000_000)
    held_out: float = setting(0.25, 0.05, 0.5)


@dataclass(frozen=True)
class Built:
    settings: AESettings
    images: LabelledImages
    sizes: list[int]
    rows: np.ndarray
    held_out: np.ndarray
    held_out_labels: np.ndarray
    examples: np.ndarray  # indices into held_out: one per class where there are classes
    pca: ae.PCA


def build(settings: AESettings, user: LabelledImages | None = None) -> Built:
    """The data and network sizes ``settings`` make; a ValueError names what is wrong."""
    declared.check_settings(settings)
    images = images_for(settings, user)
    sizes = ae.check_sizes([images.images.shape[1], *layer_sizes(settings.layers), settings.code])
    order = np.random.default_rng(settings.seed).permutation(len(images.images))
    n_held = max(1, min(len(order) - 1, round(settings.held_out * len(order))))
    train, held = images.images[order[n_held:]], images.images[order[:n_held]]
    held_labels = images.labels[order[:n_held]]
    if settings.code > min(train.shape):
        raise ValueError(f"a code of {settings.code} is larger than the data ({len(train)} training images of "
                         f"{train.shape[1]} pixels)")  # fmt: skip
    firsts = [int(np.flatnonzero(held_labels == k)[0]) for k in np.unique(held_labels)] if images.classes else []
    examples = np.array((firsts + [i for i in range(n_held) if i not in firsts])[:EXAMPLES])
    return Built(settings, images, sizes, train, held, held_labels, examples, ae.pca(train, settings.code))


@dataclass(frozen=True)
class AEFrame:
    """Copies for the views: pre-training's progress and per-layer errors, fine-tuning's error curves, the
    snapshots so far (``codes: (held_out, code)``, ``reconstructions: (EXAMPLES, pixels)`` and the held-out
    squared error per image, each)."""

    pre_done: int
    pre_total: int
    pre_errors: list[np.ndarray]
    fine_epoch: int
    train_error: np.ndarray
    held_out_error: np.ndarray
    snapshots: tuple[tuple[np.ndarray, np.ndarray, float], ...]
    checkpoint: tuple[dict, dict[str, np.ndarray]]


class AutoencoderSession(QObject):
    rebuilt = Signal()
    trained = Signal(object)  # an AEFrame
    training_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, settings: AESettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TrainingRunner(self)
        self.runner.framed.connect(self._receive)
        self.runner.failed.connect(self._worker_failed)
        self.runner.running_changed.connect(self.training_changed)
        self.user: LabelledImages | None = None
        self._stopped: str | None = None
        self._commit(build(settings or AESettings()))

    @property
    def training(self) -> bool:
        return self.runner.running

    @property
    def done(self) -> bool:
        return self.tuner is not None and self.tuner.epoch >= self.settings.fine_epochs

    def _commit(self, built: Built) -> None:
        self.built, self.settings = built, built.settings
        s = built.settings
        self.pre = ae.Pretrainer(built.rows, built.sizes, s.pre_epochs, seed=s.seed, batch_size=20)
        self.tuner: ae.FineTuner | None = None
        self.snapshots: list[tuple[np.ndarray, np.ndarray, float]] = []
        b = built
        self.pca_codes = b.pca.encode(b.held_out.astype(float))
        self.pca_reconstructions = b.pca.reconstruct(b.held_out[b.examples].astype(float))
        self.pca_error = ae.squared_error(b.held_out, b.pca.reconstruct(b.held_out.astype(float)))
        self.frame = self._make_frame()
        self.rebuilt.emit()

    def apply_settings(self, settings: AESettings) -> None:
        built = build(settings, self.user)
        self.stop_training()
        self._commit(built)

    def load_images(self, images: object, source: str) -> None:
        """Learn the user's binary images (no classes); bad input changes nothing."""
        from dataclasses import replace

        rows, shape = data.image_stack(images)
        if len(rows) < 4:
            raise ValueError("the autoencoder needs at least four images (some are kept aside)")
        user = LabelledImages(rows, np.zeros(len(rows), np.int64), shape, (), source)
        built = build(replace(self.settings, dataset="file"), user)
        self.stop_training()
        self.user = user
        self._commit(built)

    def reset(self) -> None:
        self.stop_training()
        self._commit(self.built)

    # ---- work -------------------------------------------------------------------------------------------

    def _snapshot(self) -> None:
        b = self.built
        codes, reconstructed = ae.encode(self.tuner.ae, b.held_out), ae.reconstruct(self.tuner.ae, b.held_out)
        self.snapshots.append((codes, reconstructed[b.examples], ae.squared_error(b.held_out, reconstructed)))

    def _unroll(self) -> None:
        s = self.settings
        net = ae.unroll(self.pre.layers())
        self.tuner = ae.FineTuner(net, self.built.rows, self.built.held_out, lr=s.lr, batch_size=s.batch_size,
                                  seed=s.seed)  # fmt: skip
        self._snapshot()

    def _step(self) -> bool:
        """One epoch: pre-training until done, then fine-tuning; True once all epochs are done."""
        if not self.pre.done:
            self._stopped = self.pre.step()
            if self.pre.done:
                self._unroll()
        elif not self.done:
            self.tuner.train_epoch()
            self._snapshot()
            if not np.isfinite(self.tuner.train_error[-1]):
                self._stopped = "fine-tuning diverged (NaN or Inf); try a smaller learning rate"
        return self._stopped is not None or self.done

    def _make_frame(self) -> AEFrame:
        t = self.tuner
        fine = (np.array(t.train_error), np.array(t.held_out_error)) if t else (np.zeros(0), np.zeros(0))
        return AEFrame(self.pre.epochs_done, self.pre.total_epochs, self.pre.errors(), t.epoch if t else 0, *fine,
                       tuple(self.snapshots), self.checkpoint())  # fmt: skip

    def _frame_if_new(self) -> AEFrame | None:
        if (self.pre.epochs_done, len(self.snapshots)) == (self.frame.pre_done, len(self.frame.snapshots)):
            return None if self._stopped is None else self._make_frame()
        return self._make_frame()

    def train_epochs(self, epochs: int) -> None:
        """``epochs`` epochs now, on the GUI thread (tests, screenshots)."""
        self.stop_training()
        for _ in range(epochs):
            if self._step():
                break
        self._receive(self._make_frame())

    def start_training(self) -> None:
        if not self.training and not self.done:
            self.runner.start(self._step, self._frame_if_new, FRAME_INTERVAL)

    def stop_training(self) -> None:
        self.runner.stop()

    def _receive(self, frame: AEFrame) -> None:
        self.frame = frame
        self.trained.emit(frame)
        reason, self._stopped = self._stopped, None
        if reason:
            self.failed.emit(f"training stopped: {reason}")

    def _worker_failed(self, text: str) -> None:
        self.stop_training()
        self.failed.emit(f"training failed: {text}")

    def trace(self, snapshot: int | None) -> AutoencoderTrace:
        """Snapshot number ``snapshot`` (None: none yet, in pre-training) with PCA's, for the views and export."""
        b, snaps = self.built, self.frame.snapshots
        if snaps and snapshot is not None:
            codes, recon, _ = snaps[min(max(snapshot, 0), len(snaps) - 1)]
        else:
            codes, recon = (
                np.full((len(b.held_out), b.sizes[-1]), np.nan),
                np.full(self.pca_reconstructions.shape, np.nan),
            )
        return AutoencoderTrace(codes, self.pca_codes, b.held_out_labels, b.held_out[b.examples].astype(float),
                                recon, self.pca_reconstructions)  # fmt: skip

    # ---- session files ----------------------------------------------------------------------------------

    def checkpoint(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, arrays = self.pre.checkpoint()
        out = {f"pre/{k}": v for k, v in arrays.items()}
        tuned = None
        if self.tuner is not None:
            tuned, tuner_arrays = self.tuner.checkpoint()
            out |= {f"fine/{k}": v for k, v in tuner_arrays.items()}
            out["snapshots/codes"] = np.stack([c for c, _, _ in self.snapshots])
            out["snapshots/reconstructions"] = np.stack([r for _, r, _ in self.snapshots])
            out["snapshots/errors"] = np.array([e for _, _, e in self.snapshots])
        return {"pre": state, "fine": tuned}, out

    def save_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, arrays = self.frame.checkpoint
        user = None
        if self.user is not None:
            arrays = {**arrays, "user/images": self.user.images}
            user = {"shape": list(self.user.shape), "source": self.user.source}
        return {"settings": declared.settings_to_json(self.settings), "work": state, "user": user}, arrays

    def restore_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Back to ``save_state``'s output; everything checked first, a ValueError changes nothing."""
        from app.sessions.rbm_state import user_images

        refuse_unknown(state, ("settings", "work", "user"), "autoencoder session")
        settings = declared.settings_from_json(AESettings, state.get("settings"))
        user = None
        if state.get("user") is not None:
            saved = value(state, "user", dict, "the user's images")
            rows, shape, source = user_images(arrays, saved.get("shape"), saved.get("source"))
            user = LabelledImages(rows, np.zeros(len(rows), np.int64), shape, (), source)
        built = build(settings, user)
        work = value(state, "work", dict, "the work section")
        refuse_unknown(work, ("pre", "fine"), "work section")
        shadow = AutoencoderSession.__new__(AutoencoderSession)
        shadow.built, shadow.settings = built, settings
        shadow.pre = ae.Pretrainer(built.rows, built.sizes, settings.pre_epochs, seed=settings.seed, batch_size=20)
        shadow.pre.restore(work.get("pre"), {k[4:]: v for k, v in arrays.items() if k.startswith("pre/")})
        snapshots = []
        tuner = None
        if work.get("fine") is not None:
            if not shadow.pre.done:
                raise ValueError("the file fine-tunes a network whose pre-training had not finished")
            shadow.snapshots, shadow.tuner = [], None
            shadow._unroll()
            tuner = shadow.tuner
            tuner.restore(work["fine"], {k[5:]: v for k, v in arrays.items() if k.startswith("fine/")})
            snapshots = _snapshots(arrays, tuner.epoch + 1, built)
        self.stop_training()
        self.user = user
        self._commit(built)
        self.pre, self.tuner, self.snapshots = shadow.pre, tuner, snapshots
        self.frame = self._make_frame()
        self.rebuilt.emit()


def _snapshots(arrays: dict[str, np.ndarray], count: int, built: Built) -> list[tuple[np.ndarray, np.ndarray, float]]:
    codes, recon, errors = (arrays.get(f"snapshots/{n}") for n in ("codes", "reconstructions", "errors"))
    shapes = ((count, len(built.held_out), built.sizes[-1]), (count, len(built.examples), built.sizes[0]), (count,))
    for name, a, shape in (("codes", codes, shapes[0]), ("reconstructions", recon, shapes[1]),
                           ("errors", errors, shapes[2])):  # fmt: skip
        if not isinstance(a, np.ndarray) or a.shape != shape or a.dtype.kind != "f" or not np.isfinite(a).all():
            raise ValueError(f"the snapshots' {name} must be finite numbers of shape {shape}")
    return [(codes[i].copy(), recon[i].copy(), float(errors[i])) for i in range(count)]
