"""Pictures for the grid: any character (Chinese included) drawn by Qt in the theme's font, and image files,
as grey-level arrays of ``side × side`` pixels. Turning grey into units is the engine's job
(``engine.hopfield.corrupt.ink_to_states``)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.views.grey import grey_pixels


def character_picture(char: str, side: int) -> np.ndarray:
    """(side, side) uint8: ``char`` drawn black on white, as large as fits, in the application font."""
    image = QImage(side, side, QImage.Format_Grayscale8)
    image.fill(255)
    font = QFont(QApplication.font())
    font.setPixelSize(max(4, round(side * 0.92)))
    font.setBold(side < 24)  # thin strokes vanish on a small grid
    font.setHintingPreference(QFont.PreferFullHinting)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(QRect(0, 0, side, side), Qt.AlignCenter, char)
    painter.end()
    return grey_pixels(image)


def image_file_picture(path: str, side: int) -> np.ndarray:
    """(side, side) uint8 grey levels of the image file at ``path``, scaled to the grid (aspect kept,
    centred on white). Raises ValueError when Qt cannot read it as an image."""
    image = QImage(path)
    if image.isNull():
        raise ValueError("this is not an image Qt can read (a PNG, JPEG, BMP...), or the file is damaged")
    scaled = image.scaled(side, side, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    canvas = QImage(side, side, QImage.Format_ARGB32)
    canvas.fill(QColor("white"))
    painter = QPainter(canvas)
    painter.drawImage((side - scaled.width()) // 2, (side - scaled.height()) // 2, scaled)
    painter.end()
    return grey_pixels(canvas)
