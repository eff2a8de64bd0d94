"""The labs, in the order their tabs appear. Each panel module exposes a ``Panel`` class, a subclass of
``app.panels.base.LabPanel``:

    Panel(parent=None)             builds the lab on its built-in demo, ready to play
    Panel.title: str               tab title
    Panel.view_names() -> list     names accepted by ``show_view`` (for `unroll screenshot --view`)
    Panel.show_view(name)          bring that view to the front; Panel.current_view() -> QWidget
    Panel.run_demo_steps(n)        advance the demo synchronously by n steps (training or recall), for screenshots
    Panel.open_file(path)          load a file the lab understands; raises ValueError with a message on bad input
    Panel.file_filter: str         for the File > Open dialog
    Panel.shutdown()               stop worker threads
    Panel.message: Signal(str, str)  (level, text) for the window's message banner
"""

from __future__ import annotations

import importlib

PANEL_MODULES = {"recurrent": "app.panels.recurrent", "hopfield": "app.panels.hopfield", "rbm": "app.panels.rbm"}


def available_panels() -> dict[str, type]:
    """Panel classes by name, for the panels that exist in this build."""
    found = {}
    for name, module in PANEL_MODULES.items():
        try:
            found[name] = importlib.import_module(module).Panel
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return found
