"""The picture area of one compare side: the summary scaled up at once, then the sharp picture,
or a message, centred; drawn with cached Strips (the line API), never a Rich renderable."""

from __future__ import annotations

import textwrap
import threading
from enum import Enum
from typing import ClassVar

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from ..color_mode import ColorMode
from .halfblock import fit_factor, picture_segments
from .pass_lines import LinesOncePerPass

PREPARED_KEPT = 8
"""Sharp pictures whose segments are kept, drawn ahead in a decode thread (see prepare)."""
_PREPARED: dict[tuple[object, ...], tuple[np.ndarray, list[list[Segment]]]] = {}
_PREPARED_LOCK = threading.Lock()


def _prepared_key(
    pixels: np.ndarray, mode: ColorMode, style: Style, levels: tuple[float, float]
) -> tuple[object, ...]:
    return (id(pixels), mode, style, levels)


def prepare(pixels: np.ndarray, mode: ColorMode, style: Style, levels: tuple[float, float]) -> None:
    """Build the half-block segments of a sharp picture now, in the calling thread (a decode
    worker), for a PictureBox of `style` to draw them: about 20 ms a picture at 200x60 taken
    off the UI thread. Kept for the same array object (the decode cache hands it out again)."""
    segments = picture_segments(pixels, 1, mode, style, levels)
    with _PREPARED_LOCK:
        _PREPARED[_prepared_key(pixels, mode, style, levels)] = (pixels, segments)
        while len(_PREPARED) > PREPARED_KEPT:
            del _PREPARED[next(iter(_PREPARED))]


def _prepared(
    pixels: np.ndarray, mode: ColorMode, style: Style, levels: tuple[float, float]
) -> list[list[Segment]] | None:
    with _PREPARED_LOCK:
        entry = _PREPARED.get(_prepared_key(pixels, mode, style, levels))
    if entry is None or entry[0] is not pixels:  # an id reused by another array
        return None
    return entry[1]


class Showing(Enum):
    """What a PictureBox draws."""

    NOTHING = "nothing"
    SUMMARY = "summary"
    """The 16x16 summary at the largest whole scale that fits (while the photo decodes)."""
    SHARP = "sharp"
    """The decoded picture, one pixel a column and two a line."""
    MESSAGE = "message"
    """Text instead of a picture (why the file cannot be shown), wrapped to the box."""


class PictureBox(LinesOncePerPass, Widget):
    """Draws a summary scaled up, a sharp picture or a message in the middle of its region.

    Strips are built once per (what is shown, size, style) and served from a cache: a repaint
    that does not change them (a key, a caption) costs nothing.
    """

    DEFAULT_CSS = """
    PictureBox {
        width: 1fr;
        height: 1fr;
    }
    PictureBox > .picture-box--message {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"picture-box--message"}
    ALLOW_SELECT = False  # a selection highlight would repaint the picture's colours

    def __init__(
        self,
        mode: ColorMode,
        *,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.mode = ColorMode(mode)
        self.showing = Showing.NOTHING
        """What is drawn now."""
        self.pixels: np.ndarray | None = None
        """The sharp picture drawn (read-only), or None while it is not."""
        self.message = ""
        """The text shown instead of a picture (Showing.MESSAGE)."""
        self._source: np.ndarray | None = None
        self._given: np.ndarray | None = None
        """The array as given: its segments may have been prepared for it (see prepare)."""
        self._levels: tuple[float, float] = (0.0, 255.0)
        self._generation = 0
        self._cache_key: tuple[object, ...] | None = None
        self._lines: list[Strip] = []

    @property
    def picture_box(self) -> tuple[int, int]:
        """(columns, lines) a picture may take."""
        return max(1, self.size.width), max(1, self.size.height)

    def show_summary(self, pixels: np.ndarray, levels: tuple[float, float]) -> None:
        """The (16, 16, 3) summary, scaled up by the largest whole factor that fits."""
        self._show(Showing.SUMMARY, pixels, levels)

    def show_sharp(self, pixels: np.ndarray, levels: tuple[float, float]) -> None:
        """The decoded (H, W, 3) picture, drawn one pixel a column (two a line)."""
        self._show(Showing.SHARP, pixels, levels)
        self.pixels = self._source

    def show_message(self, text: str) -> None:
        self.message = text
        self._show(Showing.MESSAGE, None, (0.0, 255.0))

    def _show(
        self, showing: Showing, pixels: np.ndarray | None, levels: tuple[float, float]
    ) -> None:
        self.showing = showing
        self.pixels = None
        self._given = pixels
        self._source = None if pixels is None else np.asarray(pixels, dtype=np.uint8)
        self._levels = levels
        self._generation += 1
        self._cache_key = None
        self.refresh()

    # Drawing ------------------------------------------------------------------

    def pass_lines(self) -> list[Strip]:
        width, height = self.size
        style = self.rich_style
        key = (self._generation, width, height, style)
        if key != self._cache_key:
            self._lines = self._build_lines(width, height, style)
            self._cache_key = key
        return self._lines

    def _build_lines(self, width: int, height: int, style: Style) -> list[Strip]:
        """The whole box, line by line: the picture or message centred on blank lines, each
        line one Strip made once from its segments (a Strip is costly to make)."""
        if self.showing is Showing.MESSAGE:
            message_style = style + self.get_component_rich_style("picture-box--message")
            texts = textwrap.wrap(self.message, max(1, width), break_on_hyphens=False)
            lines = [([Segment(text, message_style)], len(text)) for text in texts]
        elif self._source is not None and width > 0 and height > 0:
            rows, columns = self._source.shape[:2]
            factor = 1
            if self.showing is Showing.SUMMARY:
                factor = fit_factor(rows, columns, width, height)
            segments = None
            if self.showing is Showing.SHARP and self._given is not None:
                segments = _prepared(self._given, self.mode, style, self._levels)
            if segments is None:
                segments = picture_segments(self._source, factor, self.mode, style, self._levels)
            lines = [(line, columns * factor) for line in segments]
        else:
            return []
        top = max(0, (height - len(lines)) // 2)
        blank = Strip.blank(width, style)
        strips = [blank] * top
        for segments, length in lines[: max(0, height - top)]:
            length = min(length, width)
            left = (width - length) // 2
            right = width - length - left
            padded = [Segment(" " * left, style), *segments] if left else list(segments)
            if right:
                padded.append(Segment(" " * right, style))
            strips.append(Strip(padded, width) if length + left + right == width else blank)
        return strips
