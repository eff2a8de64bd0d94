"""One translation function: English source text, Chinese from the catalogue, through Qt's translators."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app import i18n
from app.i18n import tr

APP = Path(__file__).parents[2] / "app"


@pytest.fixture
def language(qapp):
    before = i18n.language()
    yield i18n.install
    i18n.install(before)


def test_the_catalogue_is_well_formed():
    entries = i18n.catalogue()
    assert entries and all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in entries.items())
    for english, chinese in entries.items():
        assert sorted(re.findall(r"{\w*}", english)) == sorted(re.findall(r"{\w*}", chinese)), english
        assert not re.search(r"[\u4e00-\u9fff]", english), f"the source text is English: {english!r}"


def test_every_language_comes_through_qt(language):
    language("both")
    assert tr("Recurrent") == "Recurrent 循环网络"
    assert QCoreApplication.translate(i18n.CONTEXT, "Recurrent") == "Recurrent 循环网络"
    language("zh")
    assert tr("Recurrent") == "循环网络"
    assert tr("Opened {name}").format(name="课.unroll") == "已打开 课.unroll"
    language("en")
    assert tr("Recurrent") == "Recurrent"


def test_text_without_an_entry_and_qts_own_strings_pass_unchanged(language):
    language("zh")
    assert tr("a sentence nobody translated") == "a sentence nobody translated"
    assert QCoreApplication.translate("QFileDialog", "Recurrent") == "Recurrent"


def test_an_unknown_language_is_refused(language):
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        language("fr")


def test_every_tr_literal_in_the_app_has_a_catalogue_entry():
    """A label written tr("…") but missing from zh.json would show English alone to a Chinese class."""
    entries = i18n.catalogue()
    missing = set()
    for path in APP.rglob("*.py"):
        for literal in re.findall(r'\btr\(\s*"((?:[^"\\]|\\.)*)"\s*\)', path.read_text(encoding="utf-8")):
            text = json.loads(f'"{literal}"')
            if text not in entries:
                missing.add((path.name, text))
    assert not missing, sorted(missing)
