"""The RBM's weight filters: each hidden unit's receptive field W[:, j] drawn as an image."""

from __future__ import annotations

from app.i18n import tr
from app.sessions.rbm import TrainingFrame
from app.views.filters import FiltersView


class RBMFiltersView(FiltersView):
    """``show_frame(frame, image_shape)`` redraws the mosaic from the frame's weights."""

    def show_frame(self, frame: TrainingFrame, image_shape: tuple[int, int]) -> None:
        what = tr("as an image, one per hidden unit j")
        heading = tr("weight filters · epoch {epoch} · W[:, j] {what}").format(epoch=frame.epoch, what=what)
        self.show_filters(frame.model.W, image_shape, heading)
