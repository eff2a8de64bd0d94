"""Keep the Chinese catalogue in step with the code, with Qt's own tools (a developer's command).

    python -m app.catalogue                      # lupdate: new tr("…") texts join the .ts, unused ones leave;
                                                 # lrelease: the .ts compiled to the .qm the app loads;
                                                 # then lists the texts still waiting for their Chinese
    python -m app.catalogue set "English" "中文"   # give one text its translation (then updates and compiles)
    python -m app.catalogue import entries.json  # many at once, from a {"English": "中文"} file

The .ts can also be edited in Qt Linguist (``pyside6-linguist``). Both files are committed: the .qm is small and
a fresh install needs no Qt tools to run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "unroll_zh.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    """``pyside6-<name>`` beside this Python (a venv's bin), else on the PATH."""
    beside = Path(sysconfig.get_path("scripts")) / f"pyside6-{name}"
    return str(beside) if beside.exists() else f"pyside6-{name}"


def sources() -> list[str]:
    """The app's code, and the engine's (its texts for the user are marked engine.words.QT_TR_NOOP)."""
    return sorted(str(p.relative_to(ROOT)) for folder in ("app", "engine") for p in (ROOT / folder).rglob("*.py"))


def lupdate(ts: Path = TS) -> None:
    """Bring ``ts`` up to date with the texts the app's code marks for translation."""
    command = [tool("lupdate"), *sources(), "-ts", str(ts), "-locations", "none", "-no-obsolete", "-silent"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)


def lrelease(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm), "-silent"], check=True, capture_output=True)


def unfinished(ts: Path = TS) -> list[str]:
    """Texts the code shows that have no Chinese yet."""
    root = ElementTree.parse(ts).getroot()
    return [
        m.findtext("source") for m in root.iter("message")
        if m.find("translation") is None or m.find("translation").get("type") == "unfinished"
        or not m.find("translation").text
    ]  # fmt: skip


def set_translations(entries: dict[str, str], ts: Path = TS) -> list[str]:
    """Write ``entries`` (English → Chinese) into ``ts``; returns the English texts the .ts does not have."""
    tree = ElementTree.parse(ts)
    messages = {m.findtext("source"): m for m in tree.getroot().iter("message")}
    absent = []
    for english, chinese in entries.items():
        message = messages.get(english)
        if message is None:
            absent.append(english)
            continue
        translation = message.find("translation")
        translation.text = chinese
        translation.attrib.pop("type", None)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return absent


def update(entries: dict[str, str] | None = None) -> int:
    lupdate()
    if entries:
        for english in set_translations(entries):
            print(f"not in the code (add tr() first): {english!r}")
        lupdate()  # back to lupdate's own layout
    lrelease()
    waiting = unfinished()
    for english in waiting:
        print(f"needs Chinese: {english!r}")
    print(f"{TS.name}: {len(waiting)} of the code's texts need Chinese; {QM.name} compiled")
    return 1 if waiting else 0


def main(argv: list[str]) -> int:
    if not argv:
        return update()
    if argv[0] == "set" and len(argv) == 3:
        return update({argv[1]: argv[2]})
    if argv[0] == "import" and len(argv) == 2:
        return update(json.loads(Path(argv[1]).read_text(encoding="utf-8")))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
