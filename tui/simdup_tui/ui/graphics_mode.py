"""How pictures reach the screen (kitty graphics, Sixel or half-blocks), chosen once at start.

Imported before Textual (like color_mode): the terminal can only be asked before Textual starts
reading its input, so the question is asked here, once, and the answer passed into the App.
"""

from __future__ import annotations

import sys
from enum import StrEnum


class GraphicsMode(StrEnum):
    """Real pixels through a graphics protocol, or half-block characters that work everywhere."""

    KITTY = "kitty"
    SIXEL = "sixel"
    HALFBLOCK = "halfblock"

    @property
    def real_pixels(self) -> bool:
        """True when the terminal draws the photo's own pixels."""
        return self is not GraphicsMode.HALFBLOCK


GRAPHICS_FLAGS = ("auto", *(mode.value for mode in GraphicsMode))
"""The values `--graphics` accepts."""


def detect_graphics_mode(flag: str = "auto") -> GraphicsMode:
    """The mode for `--graphics FLAG`; with "auto", ask the terminal (see probe_terminal).

    Raises ValueError for an unknown flag.
    """
    flag = flag.strip().lower()
    if flag == "auto":
        return probe_terminal()
    try:
        mode = GraphicsMode(flag)
    except ValueError:
        raise ValueError(
            f"--graphics must be one of {', '.join(GRAPHICS_FLAGS)}, not {flag!r}"
        ) from None
    if mode.real_pixels:
        prepare_graphics()
    return mode


def probe_terminal() -> GraphicsMode:
    """Ask the terminal which protocol it speaks, through textual-image's own queries.

    textual-image sends the primary device attributes query (an answer listing 4 means Sixel)
    and a kitty graphics query (an answer of OK means kitty), each with a 0.1 s timeout, when its
    renderable module is first imported. Not a terminal, or no answer: half-blocks.
    """
    if not _is_terminal():
        return GraphicsMode.HALFBLOCK
    try:
        from textual_image import renderable  # asks the terminal, once, on import
    except Exception:  # a broken install or a terminal that answers oddly: still usable
        return GraphicsMode.HALFBLOCK
    if renderable.Image is renderable.SixelImage:
        mode = GraphicsMode.SIXEL
    elif renderable.Image is renderable.TGPImage:
        mode = GraphicsMode.KITTY
    else:
        return GraphicsMode.HALFBLOCK
    prepare_graphics()
    return mode


def prepare_graphics() -> None:
    """Learn the terminal's cell size in pixels (textual-image asks on import of its widgets),
    which must happen before Textual starts reading the terminal."""
    try:
        import textual_image.widget  # noqa: F401 - its import asks for the cell size
    except Exception:
        pass


def _is_terminal() -> bool:
    streams = (sys.__stdin__, sys.__stdout__)
    return all(stream is not None and stream.isatty() for stream in streams)
