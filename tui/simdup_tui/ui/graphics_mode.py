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


def typed_characters(data: str) -> str:
    """What a person typed, from what waited on the terminal's input after the questions: late
    answers (escape sequences: CSI, and APC, DCS or OSC strings) are dropped."""
    typed = []
    index = 0
    while index < len(data):
        char = data[index]
        if char != "\x1b":
            if char.isprintable():
                typed.append(char)
            index += 1
            continue
        kind = data[index + 1 : index + 2]
        if kind == "[":  # CSI: parameters, then one final byte from @ to ~
            index += 2
            while index < len(data) and not "@" <= data[index] <= "~":
                index += 1
            index += 1
        elif kind in ("_", "P", "]"):  # a string, ended by ST (ESC \) or BEL
            end = min(
                (found for found in (data.find("\x1b\\", index + 2), data.find("\x07", index + 2))
                 if found != -1),
                default=len(data),
            )  # fmt: skip
            index = end + (2 if data.startswith("\x1b\\", end) else 1)
        else:
            index += 2
    return "".join(typed)


def drain_answers(timeout: float = 0.05) -> str:
    """Read what waits on the terminal's input after the questions (an answer that came after
    its timeout would otherwise reach the app as keys: '?' opening help). Returns the
    characters the person typed meanwhile, which the app reports rather than drops silently."""
    stdin = sys.__stdin__
    if stdin is None or not stdin.isatty():
        return ""
    import os
    import select
    import termios
    import tty

    descriptor = stdin.fileno()
    try:
        saved = termios.tcgetattr(descriptor)
    except termios.error:
        return ""
    data = b""
    try:
        tty.setraw(descriptor)
        while select.select([descriptor], [], [], timeout)[0]:
            chunk = os.read(descriptor, 4096)
            if not chunk:
                break
            data += chunk
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    return typed_characters(data.decode("utf-8", "replace"))


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
