"""One translation function for every user-visible string.

English is the source text; ``resources/translations/zh.json`` maps it to Chinese. The words travel through
Qt's translation machinery: ``tr`` asks ``QCoreApplication.translate``, and a translator installed on the
application answers from the catalogue in the current language: ``"both"`` (English, then Chinese: the labels a
bilingual class reads today, "Train 训练"), ``"en"`` or ``"zh"``. Text without an entry stays as it is.

Format strings are translated before they are filled: ``tr("Opened {name}").format(name=path.name)``.
Engine messages (English sentences with values in them) go through ``tr`` too: shown in the user's language
where the catalogue knows them, else as they are.
"""

from __future__ import annotations

import json
from functools import cache

from PySide6.QtCore import QCoreApplication, QTranslator

import resources

LANGUAGES = ("both", "en", "zh")
CONTEXT = "unroll"


@cache
def catalogue() -> dict[str, str]:
    """English → Chinese, from the resources (read once)."""
    with open(resources.path("translations/zh.json"), encoding="utf-8") as f:
        return json.load(f)


def translated(text: str, language: str) -> str:
    """``text`` in ``language`` (one of ``LANGUAGES``), without Qt."""
    chinese = catalogue().get(text)
    if chinese is None or language == "en":
        return text
    return chinese if language == "zh" else f"{text} {chinese}"


class CatalogueTranslator(QTranslator):
    """Answers Qt's translation requests from the catalogue, in ``language``."""

    def __init__(self, language: str = "both") -> None:
        super().__init__()
        self.language = language

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def translate(self, context: str, source: str, disambiguation=None, n: int = -1) -> str | None:
        if context != CONTEXT:
            return None  # Qt's own strings: its translators, or the source
        return translated(source, self.language)


_translator: CatalogueTranslator | None = None


def install(language: str = "both") -> CatalogueTranslator:
    """Put the catalogue's translator on the application (once), speaking ``language``."""
    global _translator
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if _translator is None:
        _translator = CatalogueTranslator(language)
        QCoreApplication.installTranslator(_translator)
    _translator.language = language
    return _translator


def language() -> str:
    return _translator.language if _translator is not None else "both"


def tr(text: str) -> str:
    """``text`` (English) in the user's language."""
    if _translator is None:
        if QCoreApplication.instance() is None:
            return translated(text, "both")
        install()
    return QCoreApplication.translate(CONTEXT, text)
