"""One translation function: English source text, Chinese from Qt's catalogue (.ts compiled to .qm), through
Qt's translators; and a window that shows no English to a Chinese class."""

from __future__ import annotations

import re
import shutil

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QTabBar, QWidget

from app import catalogue, i18n, labs, languages
from app.i18n import tr

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Words a Chinese class reads as they are: names of models, people and formats, and the symbols of the equations.
KEPT = {
    "lstm", "gru", "rnn", "bptt", "tanh", "relu", "sigmoid", "softmax", "rbm", "pcd", "ais", "hopfield", "gibbs",
    "reber", "hebb", "storkey", "png", "svg", "gif", "mp4", "csv", "npz", "npy", "mse", "nats", "bits", "max",
    "min", "log", "exp", "std", "home", "end", "space", "ctrl", "shift", "esc", "english", "unroll", "pca",
    "adam", "sgd", "cd", "pos", "neg", "tdnn", "narx", "seq", "sgn", "sign", "ln",
}  # fmt: skip
IDENTIFIER = re.compile(r"^[\w.]+$")
WORD = re.compile(r"(?<![\\&])\b[A-Za-z][a-z]{2,}\b")


@pytest.fixture
def language(qapp):
    before = i18n.language()
    yield i18n.install
    i18n.install(before)


def test_the_catalogue_is_well_formed():
    entries = i18n.catalogue()
    assert len(entries) > 200 and all(k and v for k, v in entries.items())
    for english, chinese in entries.items():
        assert sorted(re.findall(r"{\w*}", english)) == sorted(re.findall(r"{\w*}", chinese)), english
        assert not CJK.search(english), f"the source text is English: {english!r}"
        assert CJK.search(chinese), f"not Chinese: {chinese!r} for {english!r}"


def test_every_language_comes_through_qt(language):
    language("both")
    assert tr("Recurrent") == "Recurrent 循环网络"
    assert QCoreApplication.translate(i18n.CONTEXT, "Recurrent") == "Recurrent 循环网络"
    language("zh")
    assert tr("Recurrent") == "循环网络"
    assert tr("Opened {name}").format(name="课.unroll") == "已打开 课.unroll"
    language("en")
    assert tr("Recurrent") == "Recurrent"
    language("zh")  # and back: translators come off and on
    assert tr("Recurrent") == "循环网络"


def test_text_without_an_entry_and_qts_own_strings_pass_unchanged(language):
    language("zh")
    assert tr("a sentence nobody translated") == "a sentence nobody translated"
    assert QCoreApplication.translate("QFileDialog", "Recurrent") == "Recurrent"
    language("both")
    assert tr("a sentence nobody translated") == "a sentence nobody translated"


def test_an_unknown_language_is_refused(language):
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        language("fr")
    assert set(languages.NAMES) == set(languages.LANGUAGES)


@pytest.mark.skipif(shutil.which(catalogue.tool("lupdate")) is None, reason="needs pyside6-lupdate")
def test_every_text_the_code_marks_has_its_chinese_and_the_qm_is_compiled_from_the_ts(tmp_path):
    """lupdate, run on the code now, finds no text without a translation; and the committed .qm is what lrelease
    makes of the committed .ts (else the app would show an older catalogue than the one reviewed)."""
    ts, qm = tmp_path / catalogue.TS.name, tmp_path / catalogue.QM.name
    shutil.copy(catalogue.TS, ts)
    catalogue.lupdate(ts)
    assert catalogue.unfinished(ts) == [], "run python -m app.catalogue and give these their Chinese"
    catalogue.lrelease(catalogue.TS, qm)
    assert qm.read_bytes() == catalogue.QM.read_bytes(), "run python -m app.catalogue to compile the .qm"


def visible_texts(widget: QWidget) -> set[str]:
    """What a person reads in ``widget``: labels, buttons, group titles, combo items, tabs, tooltips, plot titles
    and axis labels."""
    texts = set()
    for w in [widget, *widget.findChildren(QWidget)]:
        texts.add(w.toolTip())
        if isinstance(w, QLabel | QAbstractButton):
            texts.add(w.text())
        if isinstance(w, QGroupBox):
            texts.add(w.title())
        if isinstance(w, QComboBox):
            texts.update(w.itemText(i) for i in range(w.count()))
        if isinstance(w, QTabBar):
            texts.update(w.tabText(i) for i in range(w.count()))
        if isinstance(w, pg.GraphicsView):
            for item in w.items():
                if isinstance(item, pg.PlotItem):
                    texts.add(item.titleLabel.text)
                    texts.update(item.getAxis(side).labelText for side in ("left", "bottom", "right", "top"))
                    if item.legend is not None:
                        texts.update(label.text for _, label in item.legend.items)
    return {re.sub(r"<[^>]+>", " ", t.replace("<br>", "\n")) for t in texts if t}


def untranslated(texts: set[str]) -> list[str]:
    """Parts of texts (lines, pieces between " · ") with an English word and no Chinese at all (a parameter's
    name, "head.weight", is code)."""
    parts = {part.strip() for t in texts for line in t.split("\n") for part in line.split(" · ")}
    return sorted(
        p for p in parts
        if not CJK.search(p) and not IDENTIFIER.match(p) and any(w.lower() not in KEPT for w in WORD.findall(p))
    )  # fmt: skip


def menu_texts(window) -> set[str]:
    texts, menus = set(), [a.menu() for a in window.menuBar().actions()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            texts.add(action.text())
            if action.menu() is not None:
                menus.append(action.menu())
    return texts


@pytest.mark.parametrize("lab", labs.names())
def test_a_chinese_class_sees_no_english_left_untranslated(qtbot, language, lab):
    from app.main_window import MainWindow

    language("zh")
    window = MainWindow(panels=[lab])
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    panel = window.show_panel(lab)
    window.show()
    panel.run_demo_steps(5)
    texts = visible_texts(window)
    texts |= menu_texts(window) | {tr(entry.title) for entry in labs.LABS}
    for view in panel.view_names():
        panel.show_view(view)
        qtbot.wait(10)
        texts |= visible_texts(panel)
    panel.shutdown()
    assert untranslated(texts) == []


@pytest.mark.parametrize("lab", labs.names())
def test_an_english_class_sees_no_chinese(qtbot, language, lab):
    """Nothing is written in Chinese at the source: in English, only the language menu's 中文 is."""
    from app.main_window import MainWindow

    language("en")
    window = MainWindow(panels=[lab])
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    panel = window.show_panel(lab)
    window.show()
    panel.run_demo_steps(5)
    texts = visible_texts(window) | menu_texts(window)
    for view in panel.view_names():
        panel.show_view(view)
        qtbot.wait(10)
        texts |= visible_texts(panel)
    panel.shutdown()
    assert sorted(t for t in texts if CJK.search(t) and t not in languages.NAMES.values()) == []


def test_switching_language_rebuilds_the_labs_as_they_were(qtbot, language, tmp_path, monkeypatch):
    from app.main_window import MainWindow

    monkeypatch.setenv("UNROLL_DATA_DIR", str(tmp_path))
    language("en")
    window = MainWindow(panels=["recurrent", "hopfield"])
    qtbot.addWidget(window)
    panel = window.show_panel("recurrent")
    panel.run_demo_steps(3)
    before = panel.save_session()
    switched = []
    window.language_changed.connect(switched.append)
    window.set_language("zh")
    assert switched == ["zh"] and i18n.language() == "zh"
    rebuilt = window.current_panel()
    assert rebuilt is not panel and rebuilt.lab == "recurrent"
    assert window.tabs.tabText(0) == "循环网络" and window.menuBar().actions()[0].text().startswith("文件")
    assert rebuilt.save_session().state == before.state
    from app import persistence

    assert persistence.language() == "zh"
    window.cycle_language()  # zh → both
    assert i18n.language() == "both" and window.tabs.tabText(0) == "Recurrent 循环网络"
    window.current_panel().shutdown()


def test_a_first_start_speaks_the_systems_language_and_later_ones_the_last_choice(qapp, tmp_path, monkeypatch):
    from app import __main__ as cli
    from app import persistence

    monkeypatch.setenv("UNROLL_DATA_DIR", str(tmp_path))
    before = i18n.language()
    try:
        monkeypatch.setattr(i18n, "system_language", lambda: "zh")
        cli._speak_as_chosen()
        assert i18n.language() == "zh"
        persistence.set_language("en")
        cli._speak_as_chosen()
        assert i18n.language() == "en"
        (tmp_path / "language.json").write_text("{not json", encoding="utf-8")  # damaged: the system's again
        cli._speak_as_chosen()
        assert i18n.language() == "zh"
    finally:
        i18n.install(before)
