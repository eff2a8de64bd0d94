"""A plot's title narrower than its text ends in "…", its whole text in the tooltip (app/theme.py): three long
titles side by side in presentation mode pushed a view's third column out of sight."""

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication

TITLE = "‖∂L_t/∂h_s‖ (log₁₀) gradient flow, a title far longer than its plot is wide"


def test_a_long_title_is_elided_in_a_narrow_plot_and_whole_in_a_wide_one(qtbot):
    from app.theme import setup_application

    setup_application()
    canvas = pg.GraphicsLayoutWidget()
    qtbot.addWidget(canvas)
    plot = canvas.addPlot(title=TITLE)
    canvas.resize(260, 200)
    canvas.show()
    qtbot.waitExposed(canvas)
    QApplication.processEvents()
    label = plot.titleLabel
    shown = label.item.toPlainText()
    assert shown.endswith("…") and TITLE.startswith(shown[:-1]) and label.toolTip() == TITLE
    assert label.text == TITLE  # what the plot says it is titled stays whole
    assert label.item.boundingRect().width() <= label.width() + 0.5
    assert canvas.ci.effectiveSizeHint(pg.QtCore.Qt.MinimumSize).width() < 260  # it asks for no more room
    canvas.resize(1400, 200)
    qtbot.waitUntil(lambda: label.item.toPlainText() == TITLE)
    assert label.toolTip() == ""
    plot.setTitle("short")
    canvas.resize(300, 200)
    qtbot.wait(20)
    assert label.item.toPlainText() == "short"
