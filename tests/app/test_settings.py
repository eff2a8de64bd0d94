"""Settings whose ranges and choices are declared once, and what a session file's settings may hold."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from app.sessions.settings import (
    check_settings,
    choices,
    join,
    joined_settings,
    limits,
    setting,
    settings_from_json,
    settings_to_json,
    split,
)


@dataclass(frozen=True)
class Example:
    hidden: int = setting(16, 1, 400)
    lr: float = setting(0.05, 0.0, 5.0)
    cell: str = setting("lstm", choices=("rnn", "lstm", "gru"))
    bidirectional: bool = setting(False)
    text: str = "free"


def test_the_form_reads_the_declared_limits_and_choices():
    assert limits(Example, "hidden") == (1, 400)
    assert choices(Example, "cell") == ("rnn", "lstm", "gru")
    with pytest.raises(ValueError, match="no range"):
        limits(Example, "cell")
    with pytest.raises(ValueError, match="no setting 'nope'"):
        limits(Example, "nope")


def test_a_range_needs_both_ends():
    with pytest.raises(ValueError, match="both ends"):
        setting(1, 0)


@pytest.mark.parametrize(
    "data, problem",
    [
        ({"hidden": 65536}, "hidden must be from 1 to 400, not 65536"),
        ({"hidden": 0}, "hidden must be from 1 to 400, not 0"),
        ({"lr": math.nan}, "lr must be from 0.0 to 5.0, not nan"),
        ({"lr": math.inf}, "lr must be from 0.0 to 5.0"),
        ({"cell": "transformer"}, "cell must be one of rnn, lstm, gru, not 'transformer'"),
        ({"hidden": True}, "hidden must be int"),
        ({"hidden": "16"}, "hidden must be int"),
        ({"nope": 1}, "unknown settings: nope"),
    ],
)
def test_a_file_cannot_ask_for_what_the_form_does_not_offer(data, problem):
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        settings_from_json(Example, data)


def test_settings_round_trip_and_missing_ones_keep_their_defaults():
    settings = Example(hidden=400, lr=5, cell="gru", bidirectional=True)
    assert settings_from_json(Example, settings_to_json(settings)) == settings
    assert settings_from_json(Example, {"hidden": 3}) == Example(hidden=3)
    assert isinstance(settings_from_json(Example, {"lr": 1}).lr, float)


def test_check_settings_names_the_first_setting_out_of_range():
    check_settings(Example())
    with pytest.raises(ValueError, match="the setting hidden"):
        check_settings(Example(hidden=401))


@dataclass(frozen=True)
class Showing:
    temperature: float = setting(1.0, 0.0, 10.0)
    text: str = "shown"


def test_two_settings_side_by_side_are_checked_as_one_and_come_apart_again():
    Both = joined_settings("Both", Example, Showing, {"text": "shown_text"})
    both = settings_from_json(Both, {"hidden": 8, "temperature": 0.5, "shown_text": "x"})
    first, second = split(both)
    assert first == Example(hidden=8) and second == Showing(temperature=0.5, text="x")
    assert join(Both, first, second) == both
    with pytest.raises(ValueError, match="temperature must be from 0.0 to 10.0"):
        settings_from_json(Both, {"temperature": 11.0})
    with pytest.raises(ValueError, match="share a setting's name"):
        joined_settings("Clash", Example, Showing)  # both have "text"
