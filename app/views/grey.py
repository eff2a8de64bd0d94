"""Pictures as grey levels, for the labs that learn from images (Hopfield patterns, RBM data)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter


def grey_pixels(image: QImage) -> np.ndarray:
    """(height, width) uint8 grey levels of ``image``; transparent pixels count as white paper."""
    flat = QImage(image.size(), QImage.Format_ARGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    grey = flat.convertToFormat(QImage.Format_Grayscale8)
    rows = np.frombuffer(grey.constBits(), np.uint8).reshape(grey.height(), grey.bytesPerLine())
    return rows[:, : grey.width()].copy()
