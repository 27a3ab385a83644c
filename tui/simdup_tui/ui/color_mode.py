"""The terminal colour system, chosen once at start (imported before textual, never imports it)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum


class ColorMode(StrEnum):
    """How the preview is drawn: half-blocks in colour, or luminance shades without colour."""

    TRUECOLOR = "truecolor"
    EIGHT_BIT = "256"
    STANDARD = "16"
    NONE = "none"

    @property
    def draws_colour(self) -> bool:
        """True when half-blocks carry the picture (16 colours are too few for a photo)."""
        return self in (ColorMode.TRUECOLOR, ColorMode.EIGHT_BIT)


COLOR_FLAGS = ("auto", *(mode.value for mode in ColorMode))
"""The values `--color` accepts."""

_TEXTUAL_COLOR_SYSTEMS = {
    ColorMode.TRUECOLOR: "truecolor",
    ColorMode.EIGHT_BIT: "256",
    ColorMode.STANDARD: "standard",
    # Rich has no "none" system; the least is "standard", and NO_COLOR makes Textual drop the rest.
    ColorMode.NONE: "standard",
}


def detect_color_mode(flag: str = "auto", environ: Mapping[str, str] = os.environ) -> ColorMode:
    """The mode for `--color FLAG`; with "auto", read the environment as Textual/Rich would.

    NO_COLOR (non-empty, as no-color.org says) wins over everything but an explicit flag;
    OpenSSH forwards TERM but not COLORTERM, so over SSH this usually answers 256 colours.
    """
    flag = flag.strip().lower()
    if flag != "auto":
        try:
            return ColorMode(flag)
        except ValueError:
            raise ValueError(
                f"--color must be one of {', '.join(COLOR_FLAGS)}, not {flag!r}"
            ) from None
    if environ.get("NO_COLOR", ""):
        return ColorMode.NONE
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return ColorMode.TRUECOLOR
    term = environ.get("TERM", "").strip().lower()
    if term in ("dumb", "unknown"):
        return ColorMode.NONE
    if term.rpartition("-")[2] in ("256color", "kitty"):  # Rich's own rule
        return ColorMode.EIGHT_BIT
    return ColorMode.STANDARD


def textual_color_system(mode: ColorMode) -> str:
    """The value for TEXTUAL_COLOR_SYSTEM, which Textual reads once when it is imported."""
    return _TEXTUAL_COLOR_SYSTEMS[ColorMode(mode)]


def color_environment(mode: ColorMode) -> dict[str, str]:
    """Variables to set in os.environ before importing textual so its output matches `mode`.

    For NONE this adds NO_COLOR, which makes Textual render its own widgets in monochrome too.
    """
    variables = {"TEXTUAL_COLOR_SYSTEM": textual_color_system(mode)}
    if mode is ColorMode.NONE:
        variables["NO_COLOR"] = "1"
    return variables
