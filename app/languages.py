"""The interface's languages, Qt-free (the command line names them before Qt may be imported)."""

LANGUAGES = ("both", "en", "zh")
NAMES = {"en": "English", "zh": "中文", "both": "English + 中文"}  # each in its own words: not translated


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 (the name pyside6-lupdate looks for)
    """Marks English text kept for later translation (a tab's title in a table), Qt-free: QtCore's own
    QT_TR_NOOP does the same but needs Qt loaded."""
    return text
