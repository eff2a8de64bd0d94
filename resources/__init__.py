"""Data the project makes itself: sample texts, presets. ``path(name)`` finds a file in an installed copy too."""

from importlib.resources import files
from pathlib import Path


def path(name: str) -> Path:
    return Path(str(files(__name__).joinpath(name)))
