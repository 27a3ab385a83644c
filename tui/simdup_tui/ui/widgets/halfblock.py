"""A small RGB picture drawn with '▀' half-blocks, or luminance shades where colour is lacking."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from ..color_mode import ColorMode
from .pass_lines import LinesOncePerPass

UPPER_HALF = "▀"
"""Foreground paints the upper pixel of a cell, background the lower one."""
SHADES = " ░▒▓█"
"""Luminance ramp for 16 colours and NO_COLOR, darkest first (dense = the terminal's foreground)."""

Rgb = tuple[int, int, int]
"""One pixel as (red, green, blue), 0..255 each."""
Run = tuple[str, Rgb, Rgb | None]
"""Cells drawn alike: (text of '▀' repeated, upper pixel, lower pixel or None past the bottom)."""

_LUMA = np.array([0.299, 0.587, 0.114])


def fit_factor(
    pixels_high: int,
    pixels_wide: int,
    cells_wide: int,
    lines_high: int,
    max_factor: int | None = None,
) -> int:
    """The largest whole scale at which the picture fits the cells; never below 1 (it is cropped).

    A cell holds two pixels stacked, so `pixels_high * f` pixels take half as many lines.
    """
    if pixels_high <= 0 or pixels_wide <= 0:
        return 1
    factor = min(cells_wide // pixels_wide, (2 * lines_high) // pixels_high)
    if max_factor is not None:
        factor = min(factor, max_factor)
    return max(1, factor)


def _check(array: np.ndarray) -> np.ndarray:
    if array.ndim != 3 or array.shape[2] != 3 or array.dtype != np.uint8:
        raise ValueError(f"expected an (H, W, 3) uint8 array, not {array.shape} {array.dtype}")
    return array


def _line_sources(height: int, factor: int) -> list[tuple[int, int | None]]:
    """For each line of the scaled picture, the source rows of its upper and lower pixels."""
    scaled = height * factor
    return [
        (top // factor, (top + 1) // factor if top + 1 < scaled else None)
        for top in range(0, scaled, 2)
    ]


def half_block_rows(array: np.ndarray, factor: int = 1) -> list[list[Run]]:
    """The picture scaled by `factor` as lines of runs of '▀' with (upper, lower) colours.

    Pure, so tests can check colours without rendering. Neighbouring equal cells are merged
    (found with numpy: this runs for three pictures on every cursor move).
    """
    array = _check(array)
    width = array.shape[1]
    lines: list[list[Run]] = []
    for upper_row, lower_row in _line_sources(array.shape[0], factor):
        upper = array[upper_row]
        lower = array[lower_row] if lower_row is not None else None
        cells = upper if lower is None else np.concatenate((upper, lower), axis=1)
        starts = [0, *(np.flatnonzero((cells[1:] != cells[:-1]).any(axis=1)) + 1).tolist()]
        ends = [*starts[1:], width]
        uppers = upper[starts].tolist()
        lowers = lower[starts].tolist() if lower is not None else [None] * len(starts)
        lines.append(
            [
                (UPPER_HALF * ((end - start) * factor), tuple(up), tuple(low) if low else None)
                for start, end, up, low in zip(starts, ends, uppers, lowers, strict=True)
            ]
        )
    return lines  # type: ignore[return-value]


NO_LOWER = 1 << 48
"""In a packed pair: the line has no lower pixel (past the picture's bottom)."""


def packed_runs(array: np.ndarray, factor: int = 1) -> list[list[tuple[int, int]]]:
    """half_block_rows for drawing: per line, runs of (cells in source pixels, packed pair),
    a pair being (upper RGB << 24) | lower RGB, or | NO_LOWER. Every line's runs are found in
    one numpy pass (this runs for three pictures on every cursor move)."""
    array = _check(array)
    sources = _line_sources(array.shape[0], factor)
    rgb = array.astype(np.int64)
    packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]  # (H, W)
    uppers = packed[[upper for upper, _ in sources]]
    lowers = packed[[upper if lower is None else lower for upper, lower in sources]]
    missing = np.array([lower is None for _, lower in sources])[:, None]
    pairs = (uppers << 24) | np.where(missing, NO_LOWER, lowers)  # (lines, W)
    lines, width = pairs.shape
    starts = np.ones((lines, width), dtype=bool)
    starts[:, 1:] = pairs[:, 1:] != pairs[:, :-1]
    flat = np.flatnonzero(starts)
    values = pairs.ravel()[flat].tolist()
    positions = flat.tolist()
    runs: list[list[tuple[int, int]]] = [[] for _ in range(lines)]
    for index, position in enumerate(positions):
        line, column = divmod(position, width)
        following = positions[index + 1] if index + 1 < len(positions) else lines * width
        end = min(following, (line + 1) * width) - line * width
        runs[line].append((end - column, values[index]))
    return runs


@lru_cache(maxsize=16384)
def _packed_style(pair: int, fallback_bg: Color | None) -> Style:
    """The style of a packed pair (see packed_runs): upper pixel in front, lower behind."""
    upper = pair >> 24
    fg = (upper >> 16 & 255, upper >> 8 & 255, upper & 255)
    if pair & NO_LOWER:
        return _rgb_style(fg, None, fallback_bg)
    return _rgb_style(fg, (pair >> 16 & 255, pair >> 8 & 255, pair & 255), fallback_bg)


def luminance(array: np.ndarray) -> np.ndarray:
    """Rec. 601 luma of each pixel, 0..255 as floats."""
    return _check(array).astype(np.float64) @ _LUMA


def shade_rows(
    array: np.ndarray, factor: int = 1, levels: tuple[float, float] = (0.0, 255.0)
) -> list[str]:
    """The picture scaled by `factor` as lines of ' ░▒▓█', each cell its two pixels' mean luminance.

    Same geometry as the half-blocks, so the layout does not change with the colour mode.
    `levels` (darkest, brightest) stretches five shades over the range the pictures really use;
    pictures compared side by side must share it.
    """
    luma = luminance(array)
    low, high = levels
    span = max(high - low, 1.0)
    lines: list[str] = []
    for upper_row, lower_row in _line_sources(array.shape[0], factor):
        values = luma[upper_row] if lower_row is None else (luma[upper_row] + luma[lower_row]) / 2
        scaled = np.clip((values - low) / span, 0.0, 1.0) * len(SHADES)
        indices = np.minimum(scaled.astype(int), len(SHADES) - 1)
        lines.append("".join(SHADES[index] * factor for index in indices.tolist()))
    return lines


_CUBE_LEVELS = (0, 95, 135, 175, 215, 255)
"""The xterm 256-colour cube's levels per channel (numbers 16 to 231)."""


@lru_cache(maxsize=1)
def _eight_bit_palette() -> tuple[np.ndarray, dict[Rgb, Color]]:
    """The xterm palette from number 16 on as a (256, 3) array (0 to 15 unused), and the
    Color for each of its RGB values (all distinct): the cube, then 24 greys from 8 to 238."""
    table = np.zeros((256, 3), dtype=np.uint8)
    for number in range(16, 232):
        index = number - 16
        table[number] = [_CUBE_LEVELS[index // 36], _CUBE_LEVELS[index // 6 % 6],
                         _CUBE_LEVELS[index % 6]]  # fmt: skip
    for step in range(24):
        table[232 + step] = 8 + 10 * step
    colours = {
        (int(table[n][0]), int(table[n][1]), int(table[n][2])): Color.from_ansi(n)
        for n in range(16, 256)
    }
    return table, colours


def eight_bit_numbers(array: np.ndarray) -> np.ndarray:
    """The 256-colour palette number Rich picks for each pixel (Color.downgrade), as (H, W).

    The same rule, done for the whole picture at once: grey (HLS saturation under 0.15) goes to
    the 24-step grey ramp or black/white, anything else to the 6x6x6 cube.
    """
    rgb = _check(array).astype(np.float64)
    high, low = rgb.max(axis=2) / 255.0, rgb.min(axis=2) / 255.0
    light = (high + low) / 2.0
    spread = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        saturation = np.where(light <= 0.5, spread / (high + low), spread / (2.0 - high - low))
    saturation = np.where(spread == 0, 0.0, saturation)
    gray = np.round(light * 25.0).astype(np.int64)
    grey_numbers = np.where(gray == 0, 16, np.where(gray == 25, 231, 231 + gray))
    six = np.where(rgb < 95, rgb / 95.0, 1.0 + (rgb - 95.0) / 40.0)
    six = np.round(six).astype(np.int64)
    cube_numbers = 16 + 36 * six[..., 0] + 6 * six[..., 1] + six[..., 2]
    return np.where(saturation < 0.15, grey_numbers, cube_numbers).astype(np.uint8)


def picture_segments(
    pixels: np.ndarray,
    factor: int,
    mode: ColorMode,
    style: Style,
    levels: tuple[float, float] = (0.0, 255.0),
) -> list[list[Segment]]:
    """The segments of each line of `pixels` scaled by `factor` (as wide as the scaled picture).

    Half-blocks in colour when `mode` draws colour (picked from the 256-colour palette here
    for EIGHT_BIT), else luminance shades (see shade_rows) in `style`, whose background also
    shows below a picture of an odd number of rows. Lists, not Strips: a Textual Strip is
    costly to make, so a caller pads these and makes one Strip a line.
    """
    if not mode.draws_colour:
        return [[Segment(text, style)] for text in shade_rows(pixels, factor, levels)]
    fallback = style.bgcolor
    style_of = _packed_style
    if mode is ColorMode.EIGHT_BIT:
        # The terminal shows 256 colours: pick them here for the whole picture at once (Rich
        # would match each of thousands of colours alone, on every repaint past its cache),
        # and neighbours that fall on one colour merge into one run.
        table, _ = _eight_bit_palette()
        pixels = table[eight_bit_numbers(pixels)]
        style_of = _eight_bit_style
    return [
        [Segment(UPPER_HALF * (length * factor), style_of(pair, fallback)) for length, pair in runs]
        for runs in packed_runs(pixels, factor)
    ]


@lru_cache(maxsize=16384)
def _eight_bit_style(pair: int, fallback_bg: Color | None) -> Style:
    """_packed_style for a pair of palette colours (see _eight_bit_palette)."""
    colours = _eight_bit_palette()[1]
    upper = pair >> 24
    fg = colours[(upper >> 16 & 255, upper >> 8 & 255, upper & 255)]
    if pair & NO_LOWER:
        return Style.from_color(fg, fallback_bg)
    return Style.from_color(fg, colours[(pair >> 16 & 255, pair >> 8 & 255, pair & 255)])


@lru_cache(maxsize=16384)
def _rgb_style(fg: Rgb, bg: Rgb | None, fallback_bg: Color | None) -> Style:
    """Styles are immutable too: one per pair of colours (`from_color` skips Style's parsing)."""
    return Style.from_color(_color(fg), _color(bg) if bg is not None else fallback_bg)


@lru_cache(maxsize=16384)
def _color(rgb: Rgb) -> Color:
    """Colours are immutable: one per RGB value, since the keeper and the heat map repeat."""
    return Color.from_rgb(*rgb)


SHARED_STRIPS_KEPT = 8
"""Pictures whose strips are kept for any HalfBlockImage: on a cluster row "this photo" and
"keeper" are one picture, drawn once; stepping back to a photo just left costs nothing."""
_SHARED_STRIPS: dict[tuple[Any, ...], list[Strip]] = {}
"""(content, mode, factor, width, style) -> strips, oldest first (strips are immutable)."""


def _is_auto(scalar: Any) -> bool:
    return scalar is not None and scalar.is_auto


class HalfBlockImage(LinesOncePerPass, Widget):
    """Draws an (H, W, 3) uint8 array at the largest whole scale that fits the content region.

    Line API: strips are built once per (pixels, factor, width, style) and served from a cache,
    so repaints while keys are pressed cost nothing. TRUECOLOR and EIGHT_BIT draw half-blocks in
    truecolour (Rich downsamples to the 256-colour cube itself when the terminal needs it);
    STANDARD and NONE draw luminance shades in the widget's own colours.
    """

    DEFAULT_CSS = """
    HalfBlockImage {
        width: 1fr;
        height: 1fr;
    }
    """
    ALLOW_SELECT = False  # a selection highlight would repaint the picture's colours

    def __init__(
        self,
        mode: ColorMode,
        *,
        max_factor: int | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._mode = ColorMode(mode)
        self.max_factor = max_factor
        """Never scale beyond this (None: as large as fits)."""
        self._pixels: np.ndarray | None = None
        self._levels: tuple[float, float] = (0.0, 255.0)
        self._generation = 0
        self._content: tuple[Any, ...] | None = None
        """(shape, bytes, levels) of the picture shown: equal pictures share their strips."""
        self._cache_key: tuple[Any, ...] | None = None
        self._strips: list[Strip] = []

    @property
    def mode(self) -> ColorMode:
        return self._mode

    @property
    def pixels(self) -> np.ndarray | None:
        """The picture shown (read-only), or None when blank."""
        return self._pixels

    @property
    def factor(self) -> int:
        """The scale used at the current size."""
        if self._pixels is None:
            return 1
        height, width = self._pixels.shape[:2]
        return fit_factor(height, width, self.size.width, self.size.height, self.max_factor)

    def set_pixels(
        self, array: np.ndarray | None, *, levels: tuple[float, float] = (0.0, 255.0)
    ) -> None:
        """Show this picture (copied, so the caller may reuse its buffer), or nothing.

        `levels` is the luminance range the shades span without colour (see shade_rows).
        """
        if array is None:
            if self._pixels is None:
                return  # still blank: no repaint
            self._pixels, self._content = None, None
        else:
            pixels = np.array(_check(np.asarray(array)), dtype=np.uint8, copy=True)
            content = (pixels.shape, pixels.tobytes(), levels)
            if content == self._content:
                return  # the same picture (the keeper while moving in its cluster): no repaint
            pixels.setflags(write=False)
            self._pixels, self._content = pixels, content
        self._levels = levels
        self._generation += 1
        self._cache_key = None
        self.refresh(layout=_is_auto(self.styles.width) or _is_auto(self.styles.height))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self._pixels is None:
            return 0
        height, width = self._pixels.shape[:2]
        return width * fit_factor(height, width, container.width, container.height, self.max_factor)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._pixels is None:
            return 0
        height, pixels_wide = self._pixels.shape[:2]
        factor = fit_factor(height, pixels_wide, width, container.height, self.max_factor)
        return (height * factor + 1) // 2

    def pass_lines(self) -> list[Strip]:
        width = self.size.width
        style = self.rich_style
        key = (self._generation, self.factor, width, style)
        if key != self._cache_key:
            shared = (self._content, self._mode, *key[1:])
            strips = _SHARED_STRIPS.get(shared) if self._content is not None else None
            if strips is None:
                strips = self._build_strips(key[1], width, style)
                if self._content is not None:
                    _SHARED_STRIPS[shared] = strips
                    while len(_SHARED_STRIPS) > SHARED_STRIPS_KEPT:
                        del _SHARED_STRIPS[next(iter(_SHARED_STRIPS))]
            self._strips = strips
            self._cache_key = key
        return self._strips

    def _build_strips(self, factor: int, width: int, style: Style) -> list[Strip]:
        if self._pixels is None:
            return []
        lines = picture_segments(self._pixels, factor, self._mode, style, self._levels)
        picture_width = self._pixels.shape[1] * factor
        return [
            Strip(segments, picture_width).adjust_cell_length(width, style) for segments in lines
        ]
