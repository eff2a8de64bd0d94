"""The lesson hooks (``LabPanel.lesson_work`` …) of a lab whose work is its session's training, one step at a
time: the language and seq2seq labs, and the Boltzmann lab (its learning cycles; it counts them itself).

The session gives ``stop_training()``, ``trainer.steps``, ``train_once()`` (one step, here on the lesson's
worker), ``frame_now()`` (copies of what the views draw, on the worker) and ``show_frame(frame)`` (on the GUI
thread). A step's training starts from the settings' seed, so it ends in the same weights however many frames
the machine had time to draw on the way.
"""

from __future__ import annotations

from app.sessions.settings import split


class TrainingLessons:
    """Mixed into a ``LabPanel`` with a ``session`` of that face."""

    lesson_work: tuple[str, ...] = ("train",)  # training steps

    def lesson_work_done(self, kind: str) -> int:
        return self.session.trainer.steps

    def do_lesson_work(self, kind: str) -> None:
        self.session.train_once()

    def lesson_frame(self, kind: str) -> object:
        return self.session.frame_now()

    def show_lesson_frame(self, kind: str, frame: object) -> None:
        self.session.show_frame(frame)

    def lesson_key(self, settings: object) -> object:
        """The lab's own half of its joined lesson settings (``settings.joined_settings``): what the training
        depends on. Steps that differ only in the other half (what is shown of the same model) share its state."""
        return split(settings)[0]
