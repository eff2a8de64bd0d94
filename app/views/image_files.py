"""Reading the user's binary images (the RBM and DBN labs): a .npy array, or PNG images thresholded to ink and
paper."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from app.views.grey import grey_pixels
from engine import io
from engine.rbm import data


def read_images(paths: list[str]) -> tuple[np.ndarray, str]:
    """``(images, description)`` from one .npy file, one or more PNG files, or a folder of PNG files;
    ValueError says what is wrong."""
    if len(paths) == 1 and Path(paths[0]).is_dir():
        folder = Path(paths[0])
        paths = sorted(str(p) for p in folder.iterdir() if p.suffix.lower() == ".png" and p.is_file())
        if not paths:
            raise ValueError(f"the folder {folder.name} holds no .png images")
    if not paths:
        raise ValueError("no file given")
    suffixes = {Path(p).suffix.lower() for p in paths}
    if suffixes == {".npy"} and len(paths) == 1:
        return _read_npy(paths[0]), Path(paths[0]).name
    if suffixes == {".png"}:
        names = [Path(p).name for p in paths]
        images = data.stack_images([data.binarise(_grey_pixels(p)) for p in paths], names)
        return images, names[0] if len(names) == 1 else f"{len(names)} PNG images"
    raise ValueError("open one .npy file, or one or more .png files")


def _read_npy(path: str) -> np.ndarray:
    return io.load_array(path)  # sizes checked before reading, never unpickled, every failure a ValueError


def _grey_pixels(path: str) -> np.ndarray:
    """The image at ``path`` on a white background, as ``(h, w)`` uint8 grey levels."""
    image = QImage(path)
    if image.isNull():
        raise ValueError(f"{Path(path).name} is not a readable image")
    return grey_pixels(image)
