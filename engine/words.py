"""Marks English text the app shows in the user's language (a task's title): ``pyside6-lupdate`` reads engine/
as well as app/ for this name, and the app translates the text where it shows it. The engine stays Qt-free."""


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text
