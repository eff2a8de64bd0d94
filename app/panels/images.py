"""What the labs that learn binary images share (the RBM, the deep belief net, the autoencoder): File › Open of
image files or a folder of them, read by ``app.views.image_files``, handed to the session's ``load_images``."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from app.i18n import tr
from app.views.image_files import read_images


class OpensImages:
    """A mix-in for a ``LabPanel`` whose session has ``load_images(images, source)`` and whose
    ``settings_form`` shows the settings the images change."""

    def opened(self) -> None:
        """Once new images are in: say so, if the lab wants to."""

    def _open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Open binary images"), "", self.file_filter)
        if paths and self._guarded(self.open_files, paths):
            self.opened()

    def _open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("A folder of binary PNG images"))
        if folder and self._guarded(self.open_files, [folder]):
            self.opened()

    def open_file(self, path: str) -> None:
        """A .npy array, a PNG image, or a folder of PNG images."""
        self.open_files([path])

    def open_files(self, paths: list[str]) -> None:
        """Learn the images in ``paths``; bad input says why (message and ValueError) and changes nothing."""
        try:
            images, source = read_images(paths)
            self.session.load_images(images, source)
        except ValueError as exc:
            self.message.emit("error", tr("Could not use {paths}: {reason}").format(paths=", ".join(paths), reason=exc))
            raise
        self.settings_form.set_settings(self.session.settings)
