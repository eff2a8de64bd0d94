"""A lesson: steps, each putting one lab into one exact state and saying, in Chinese and English, what to see.

A lesson file is plain JSON::

    {"format": "unroll-lesson", "version": 1,
     "title": {"en": "Unrolling a recurrent network", "zh": "展开循环神经网络"},
     "steps": [{"lab": "recurrent", "view": "graph",
                "settings": {"task": "adding", "length": 12},   the lab's settings; unnamed ones keep their defaults
                "work": {"train": 300},                          done from the seed, in the background
                "position": {"phase": "backward", "t": 11},      or a playhead position (a whole number)
                "select": [0, 3],                                layer, unit
                "text": {"en": "…", "zh": "…"},
                "pointer": {"shape": "ring", "plot": "forget gate f", "data": [-0.5, -0.5, 14.5, 0.5],
                            "text": {"en": "…", "zh": "…"}}}]}

A pointer rings (or points an arrow at) a region of a plot of the view found by its title (English, as given to
``tr``), ``data`` in the plot's coordinates (log10 on a log axis; the whole plot without it); or, for views that
are no plots, ``at`` = (left, top, width, height) in fractions of the view. Which settings and kinds of work a lab
takes is its panel's (``LabPanel.lesson_settings``, ``lesson_work``): a lab joins lessons without code here.
Qt-free, so that what a lesson file may hold is testable without a window.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import resources
from app import labs
from app.sessions.settings import settings_from_json
from app.sessions.state import refuse_unknown
from engine import io

FORMAT, VERSION = "unroll-lesson", 1
SUFFIX = ".json"
MAX_BYTES = 1_000_000
MAX_STEPS, MAX_TEXT, MAX_WORK = 200, 2000, 100_000
SHAPES = ("ring", "arrow")
STEP_KEYS = ("lab", "view", "settings", "work", "position", "select", "text", "pointer")


@dataclass
class Step:
    lab: str
    text: dict[str, str]  # "en" and "zh"
    view: str | None = None
    settings: dict = field(default_factory=dict)
    work: dict[str, int] = field(default_factory=dict)
    position: int | dict | None = None  # a playhead position, or {"phase": name, "t": step}
    select: tuple[int, int] | None = None
    pointer: dict | None = None  # {"shape", "at", "text"?}

    def to_json(self) -> dict:
        out = {"lab": self.lab, "view": self.view, "settings": self.settings, "work": self.work,
               "position": self.position, "select": list(self.select) if self.select else None,
               "text": self.text, "pointer": self.pointer}  # fmt: skip
        return {k: v for k, v in out.items() if v is not None}


@dataclass
class Lesson:
    title: dict[str, str]
    steps: list[Step]

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "title": self.title, "steps": [s.to_json() for s in self.steps]}


def in_language(text: dict[str, str], language: str) -> str:
    """A lesson text in ``language`` ("en", "zh" or "both": English, then Chinese); the other language stands in
    for a missing one."""
    en, zh = text.get("en", ""), text.get("zh", "")
    if language == "en":
        return en or zh
    if language == "zh":
        return zh or en
    return "\n".join(t for t in (en, zh) if t)


# ---------------------------------------------------------------------------------------------- checking


def _texts(data: object, what: str, required: bool = True) -> dict[str, str]:
    if not isinstance(data, dict):
        raise ValueError(f"{what} must be a mapping of languages (en, zh) to text, not {data!r:.60}")
    refuse_unknown(data, ("en", "zh"), what)
    if required and not any(isinstance(data.get(k), str) and data.get(k) for k in ("en", "zh")):
        raise ValueError(f"{what} has no text in English or Chinese")
    for language, text in data.items():
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise ValueError(f"{what} in {language} must be text of at most {MAX_TEXT} characters")
    return {k: data.get(k, "") for k in ("en", "zh")}


def _whole(v: object, low: int, high: int, what: str) -> int:
    if type(v) is not int or not low <= v <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not {v!r:.60}")
    return v


def _position(data: object, what: str) -> int | dict | None:
    if data is None or type(data) is int:
        return None if data is None else _whole(data, 0, 10**7, what)
    if not isinstance(data, dict):
        raise ValueError(f"{what} must be a whole number or {{'phase': …, 't': …}}, not {data!r:.60}")
    refuse_unknown(data, ("phase", "t"), what)
    if not isinstance(data.get("phase"), str):
        raise ValueError(f"{what} needs the name of its phase")
    return {"phase": data["phase"], "t": _whole(data.get("t"), 0, 10**7, f"{what}'s t")}


def _pointer(data: object, what: str) -> dict | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError(f"{what} must be a mapping")
    refuse_unknown(data, ("shape", "at", "plot", "data", "text"), what)
    shape = data.get("shape", "ring")
    if shape not in SHAPES:
        raise ValueError(f"{what}'s shape must be one of {', '.join(SHAPES)}, not {shape!r:.40}")
    out = {"shape": shape}
    if "plot" in data:
        if not isinstance(data["plot"], str) or not data["plot"] or "at" in data:
            raise ValueError(f"{what} names a plot by (part of) its title, or gives a place, not both")
        out["plot"] = data["plot"]
        if "data" in data:
            box = data["data"]
            if not (isinstance(box, list) and len(box) == 4 and all(_finite(v) for v in box)):
                raise ValueError(f"{what}'s data must be [x0, y0, x1, y1] in the plot's coordinates, not {box!r:.60}")
            out["data"] = [float(v) for v in box]
    else:
        at = data.get("at")
        ok = isinstance(at, list) and len(at) == 4 and all(type(v) in (int, float) for v in at)
        if not ok or not all(0 <= v <= 1 for v in at) or at[0] + at[2] > 1.001 or at[1] + at[3] > 1.001:
            raise ValueError(f"{what}'s place must be [left, top, width, height], fractions of the view, "
                             f"not {at!r:.60}")  # fmt: skip
        out["at"] = [float(v) for v in at]
    if "text" in data:
        out["text"] = _texts(data["text"], f"{what}'s text", required=False)
    return out


def _finite(v: object) -> bool:
    return type(v) in (int, float) and math.isfinite(v)


def _step(data: object, k: int, panels: dict[str, type] | None) -> Step:
    what = f"step {k + 1}"
    if not isinstance(data, dict):
        raise ValueError(f"{what} must be a mapping")
    refuse_unknown(data, STEP_KEYS, what)
    lab = data.get("lab")
    if lab not in labs.names():
        have = ", ".join(labs.names())
        raise ValueError(f"{what} is in a lab this Unroll does not have ({lab!r:.40}); it has {have}")
    view = data.get("view")
    if view is not None and not isinstance(view, str):
        raise ValueError(f"{what}'s view must be a name")
    settings = data.get("settings", {})
    work = data.get("work", {})
    if not isinstance(settings, dict) or not isinstance(work, dict):
        raise ValueError(f"{what}'s settings and work must be mappings")
    work = {kind: _whole(n, 0, MAX_WORK, f"{what}'s work {kind!r:.40}") for kind, n in work.items()}
    panel = panels.get(lab) if panels else None
    if panel is not None:
        check_step_settings(panel, settings, work, what)
    select = data.get("select")
    if select is not None:
        if not (isinstance(select, list) and len(select) == 2):
            raise ValueError(f"{what}'s selection must be [layer, unit]")
        select = tuple(_whole(v, 0, 10**6, f"{what}'s selection") for v in select)
    return Step(lab, _texts(data.get("text"), f"{what}'s text"), view, dict(settings), work,
                _position(data.get("position"), f"{what}'s position"), select,
                _pointer(data.get("pointer"), f"{what}'s pointer"))  # fmt: skip


def check_step_settings(panel: type, settings: dict, work: dict, what: str = "the step") -> object:
    """The lab's settings object for a step's ``settings`` (its panel's ``lesson_settings``), checked with its
    kinds of ``work``; a ValueError names what is wrong."""
    unknown = sorted(set(work) - set(panel.lesson_work))
    if unknown:
        kinds = ", ".join(panel.lesson_work) or "none"
        raise ValueError(
            f"{what} asks the {panel.lab} lab for work it does not do ({unknown[0]!r:.40}; it does {kinds})"
        )
    if panel.lesson_settings is None:
        if settings:
            raise ValueError(f"the {panel.lab} lab takes no settings from a lesson")
        return None
    return settings_from_json(panel.lesson_settings, settings, f"{what}'s settings")


def lesson_from_json(data: object, panels: dict[str, type] | None = None) -> Lesson:
    """A checked ``Lesson``; ``panels`` (lab → panel class) also checks each step's settings and work."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'not an Unroll lesson (a lesson file says "format": "{FORMAT}")')
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ValueError(f"this lesson has version {version!r:.20}; this Unroll reads version {VERSION}")
    refuse_unknown(data, ("format", "version", "title", "steps"), "lesson")
    steps = data.get("steps")
    if not isinstance(steps, list) or not 1 <= len(steps) <= MAX_STEPS:
        raise ValueError(f"a lesson needs a list of 1 to {MAX_STEPS} steps")
    return Lesson(_texts(data.get("title"), "the lesson's title"), [_step(s, k, panels) for k, s in enumerate(steps)])


def load_lesson(path: str | os.PathLike, panels: dict[str, type] | None = None) -> Lesson:
    """The lesson in ``path``; a damaged or foreign file raises ValueError naming the problem."""
    path = Path(path)
    io._checked_size(path, MAX_BYTES)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not text (UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not JSON ({exc.msg}, line {exc.lineno})") from None
    except OSError as exc:
        raise ValueError(f"{path.name} cannot be read ({exc.strerror})") from None
    try:
        return lesson_from_json(data, panels)
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None


def save_lesson(path: str | os.PathLike, lesson: Lesson) -> None:
    """Write ``lesson`` atomically (the old file stays whole until the new one is)."""
    io.write_text(path, json.dumps(lesson.to_json(), ensure_ascii=False, indent=1) + "\n")


# ---------------------------------------------------------------------------------------------- built-in


def builtin_dir() -> Path:
    return resources.path("lessons")


def builtin_names() -> list[str]:
    """The built-in lessons' names (their files' stems), in the course's order."""
    return sorted(p.name.removesuffix(SUFFIX) for p in builtin_dir().glob(f"*{SUFFIX}"))


def builtin_path(name: str) -> Path:
    """The built-in lesson ``name``: its whole name, or its number ("3" for 03-…); a ValueError lists them."""
    names = builtin_names()
    matches = [n for n in names if n == name or n.split("-", 1)[0].lstrip("0") == name.lstrip("0")]
    if len(matches) != 1:
        raise ValueError(f"no built-in lesson {name!r}; choose one of {', '.join(names)}")
    return builtin_dir() / f"{matches[0]}{SUFFIX}"
