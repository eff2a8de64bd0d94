"""The heatmaps' colour bars name their two ends and middle only, whatever the levels."""

import numpy as np
import pyqtgraph as pg

from app.views.recurrent.heatmap import Heatmap


def test_the_colour_bar_labels_its_ends_and_middle(qapp):
    canvas = pg.GraphicsLayoutWidget()
    heatmap = Heatmap(canvas.addPlot(), "input gate i", levels=(0.0, 1.0))
    ticks = heatmap.colorbar.getAxis("right")._tickLevels
    assert [label for _, label in ticks[0]] == ["0", "0.5", "1"]
    heatmap.set_data(np.zeros((4, 3)), levels=(-2.0, 2.0))
    assert [v for v, _ in heatmap.colorbar.getAxis("right")._tickLevels[0]] == [-2.0, 0.0, 2.0]
