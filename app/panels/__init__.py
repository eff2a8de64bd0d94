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

# name: (module, tab title). The title is here so that a tab can show before its module is imported.
PANELS = {
    "recurrent": ("app.panels.recurrent", "Recurrent 循环网络"),
    "hopfield": ("app.panels.hopfield", "Hopfield 霍普菲尔德"),
    "rbm": ("app.panels.rbm", "RBM 受限玻尔兹曼机"),
}


def panel_class(name: str) -> type:
    """The ``Panel`` class of lab ``name``, importing its module (and engine) on first use."""
    return importlib.import_module(PANELS[name][0]).Panel
