"""One translation function for every user-visible string, through Qt's own translation machinery.

English is the source text. ``resources/translations/unroll_zh.ts`` (Qt Linguist's format, kept up to date by
``pyside6-lupdate``; see ``app/catalogue.py``) holds the Chinese, compiled by ``pyside6-lrelease`` to
``unroll_zh.qm``, which a ``QTranslator`` loads. ``tr`` asks ``QCoreApplication.translate``; what answers depends
on the language: ``"zh"`` the compiled catalogue, ``"en"`` nobody (the source text), ``"both"`` a translator that
writes English, then Chinese: the labels a bilingual class reads ("Train 训练").

Text that is not a literal at the call (a title kept in a table, a menu's text) is marked where it is written with
Qt's ``QT_TR_NOOP("…")``, so that ``lupdate`` finds it. Format strings are translated before they are filled:
``tr("Opened {name}").format(name=path.name)``. Engine messages go through ``tr`` too: shown in the user's
language where the catalogue knows them, else as they are.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

import resources
from app.languages import LANGUAGES

CONTEXT = ""  # what lupdate gives a bare tr("…") call
CATALOGUE = "translations/unroll_zh"  # .ts (the source) and .qm (compiled), under resources/


@cache
def catalogue() -> dict[str, str]:
    """English → Chinese, the finished entries of the .ts (read once; for tests and for text shown before a
    QApplication exists)."""
    root = ElementTree.parse(resources.path(CATALOGUE + ".ts")).getroot()
    entries = {}
    for message in root.iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        if source and translation is not None and translation.text and translation.get("type") is None:
            entries[source] = translation.text
    return entries


def translated(text: str, language: str) -> str:
    """``text`` in ``language`` (one of ``LANGUAGES``), without Qt."""
    chinese = catalogue().get(text)
    if chinese is None or language == "en":
        return text
    return chinese if language == "zh" else f"{text} {chinese}"


def compiled_catalogue() -> QTranslator:
    translator = QTranslator()
    if not translator.load(str(resources.path(CATALOGUE + ".qm"))):
        raise OSError(f"cannot load the compiled catalogue {CATALOGUE}.qm (run python -m app.catalogue)")
    return translator


class BilingualTranslator(QTranslator):
    """English, then the catalogue's Chinese: "Train 训练"."""

    def __init__(self, chinese: QTranslator) -> None:
        super().__init__()
        self.chinese = chinese

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def translate(self, context: str, source: str, disambiguation=None, n: int = -1) -> str | None:
        if context != CONTEXT:
            return None  # Qt's own strings: its translators, or the source
        chinese = self.chinese.translate(context, source, disambiguation, n)
        return f"{source} {chinese}" if chinese else None


_language: str | None = None
_building_in: str | None = None  # the one language in_each_language builds in, for the moment
_installed: QTranslator | None = None
_chinese: QTranslator | None = None


def install(language: str = "both") -> None:
    """Speak ``language`` from now on: the translator for it goes on the application, the previous one off.
    Widgets built before keep their text (the main window rebuilds its labs on a switch)."""
    global _language, _installed, _chinese
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
    if language != "en":
        if _chinese is None:
            _chinese = compiled_catalogue()
        _installed = _chinese if language == "zh" else BilingualTranslator(_chinese)
        QCoreApplication.installTranslator(_installed)
    _language = language


def language() -> str:
    return _language or "both"


def system_language() -> str:
    """What a first start speaks: Chinese on a Chinese system, English elsewhere."""
    return "zh" if QLocale.system().language() == QLocale.Chinese else "en"


def in_each_language(build: Callable[[], str], separator: str = " ") -> str:
    """Text put together from translated parts (a sentence with a translated phrase in it), built once in each
    language shown: in both languages each half then reads whole ("step 5: a false memory 第 5 步：虚假记忆")
    instead of the halves of every part interleaved."""
    global _building_in
    if language() != "both":
        return build()
    try:
        _building_in = "en"
        english = build()
        _building_in = "zh"
        chinese = build()
    finally:
        _building_in = None
    return english if chinese == english else f"{english}{separator}{chinese}"


def caption(text: str) -> tuple[str, str]:
    """A name drawn on two lines, the second smaller: in both languages the Chinese above the English (as the
    course's slides write them), else ``text`` in the one language, alone."""
    if language() == "both":
        chinese = translated(text, "zh")
        return (chinese, text) if chinese != text else (text, "")
    return tr(text), ""


def tr(text: str) -> str:
    """``text`` (English) in the user's language."""
    if _building_in is not None:
        return translated(text, _building_in)
    if _language is None:
        if QCoreApplication.instance() is None:
            return translated(text, "both")
        install()
    return QCoreApplication.translate(CONTEXT, text)
