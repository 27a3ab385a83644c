"""The colour mode is read from --color and the environment the way Textual and Rich read it."""

from __future__ import annotations

import pytest

from simdup_tui.ui.color_mode import (
    ColorMode,
    color_environment,
    detect_color_mode,
    textual_color_system,
)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"COLORTERM": "truecolor", "TERM": "xterm-256color"}, ColorMode.TRUECOLOR),
        ({"COLORTERM": "24bit", "TERM": "xterm"}, ColorMode.TRUECOLOR),
        ({"TERM": "xterm-256color"}, ColorMode.EIGHT_BIT),  # SSH: COLORTERM is not forwarded
        ({"TERM": "tmux-256color"}, ColorMode.EIGHT_BIT),
        ({"TERM": "xterm-kitty"}, ColorMode.EIGHT_BIT),
        ({"TERM": "xterm"}, ColorMode.STANDARD),
        ({"TERM": "linux"}, ColorMode.STANDARD),
        ({}, ColorMode.STANDARD),
        ({"TERM": "dumb"}, ColorMode.NONE),
        ({"NO_COLOR": "1", "COLORTERM": "truecolor"}, ColorMode.NONE),
        ({"NO_COLOR": "", "TERM": "xterm-256color"}, ColorMode.EIGHT_BIT),  # empty means unset
    ],
)
def test_auto_reads_the_environment(environ: dict[str, str], expected: ColorMode) -> None:
    assert detect_color_mode("auto", environ) is expected


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("truecolor", ColorMode.TRUECOLOR),
        ("256", ColorMode.EIGHT_BIT),
        ("16", ColorMode.STANDARD),
        ("none", ColorMode.NONE),
        ("TrueColor", ColorMode.TRUECOLOR),
    ],
)
def test_an_explicit_flag_wins_over_the_environment(flag: str, expected: ColorMode) -> None:
    assert detect_color_mode(flag, {"NO_COLOR": "1", "TERM": "dumb"}) is expected


def test_an_unknown_flag_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="auto, truecolor, 256, 16, none"):
        detect_color_mode("rainbow", {})


def test_textual_color_system_values_are_ones_rich_accepts() -> None:
    from rich.console import COLOR_SYSTEMS

    assert textual_color_system(ColorMode.TRUECOLOR) == "truecolor"
    assert textual_color_system(ColorMode.EIGHT_BIT) == "256"
    assert textual_color_system(ColorMode.STANDARD) == "standard"
    assert all(textual_color_system(mode) in COLOR_SYSTEMS for mode in ColorMode)


def test_no_colour_also_sets_no_color_for_textual() -> None:
    assert color_environment(ColorMode.NONE) == {
        "TEXTUAL_COLOR_SYSTEM": "standard",
        "NO_COLOR": "1",
    }
    assert color_environment(ColorMode.EIGHT_BIT) == {"TEXTUAL_COLOR_SYSTEM": "256"}


def test_only_truecolor_and_256_draw_in_colour() -> None:
    assert [mode.draws_colour for mode in ColorMode] == [True, True, False, False]
