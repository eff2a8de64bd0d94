"""The interface's languages, Qt-free (the command line names them before Qt may be imported)."""

from engine.words import QT_TR_NOOP

LANGUAGES = ("both", "en", "zh")
NAMES = {"en": "English", "zh": "中文", "both": "English + 中文"}  # each in its own words: not translated

__all__ = ["LANGUAGES", "NAMES", "QT_TR_NOOP"]
