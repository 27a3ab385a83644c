"""HalfBlockImage: '▀' with the upper pixel as foreground, the lower as background, scaled whole."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.color import Color, ColorSystem
from rich.console import Console
from rich.segment import Segment, Segments
from textual.app import App, ComposeResult
from textual.strip import Strip

from simdup_tui.ui.color_mode import ColorMode
from simdup_tui.ui.widgets.halfblock import (
    NO_LOWER,
    SHADES,
    UPPER_HALF,
    HalfBlockImage,
    eight_bit_numbers,
    fit_factor,
    half_block_rows,
    packed_runs,
    shade_rows,
)

Cell = tuple[str, tuple[int, int, int] | None, tuple[int, int, int] | None]


def gradient(height: int = 16, width: int = 16) -> np.ndarray:
    """Every pixel a different colour, so a misplaced one cannot go unnoticed."""
    ys, xs = np.mgrid[0:height, 0:width]
    return np.stack([xs * 15, ys * 15, (xs + ys) * 7 + 3], axis=2).astype(np.uint8)


def rgb(colour) -> tuple[int, int, int] | None:
    if colour is None:
        return None
    triplet = colour.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def cells(strip: Strip) -> list[Cell]:
    """One (character, fg, bg) per cell of a rendered line."""
    out: list[Cell] = []
    for segment in strip:
        style = segment.style
        for char in segment.text:
            out.append(
                (char, rgb(style.color) if style else None, rgb(style.bgcolor) if style else None)
            )
    return out


class ImageApp(App[None]):
    def __init__(self, mode: ColorMode, max_factor: int | None = None) -> None:
        super().__init__()
        self.mode = mode
        self.max_factor = max_factor

    def compose(self) -> ComposeResult:
        yield HalfBlockImage(self.mode, max_factor=self.max_factor, id="image")


# Pure helpers ---------------------------------------------------------------


def test_half_block_rows_put_upper_pixel_in_front_and_lower_behind() -> None:
    array = gradient(4, 3)
    lines = half_block_rows(array, 1)
    assert len(lines) == 2
    for y, runs in enumerate(lines):
        assert len(runs) == 3  # every pixel differs: no runs merge
        for x, (text, fg, bg) in enumerate(runs):
            assert text == UPPER_HALF
            assert fg == tuple(array[2 * y, x].tolist())
            assert bg == tuple(array[2 * y + 1, x].tolist())


def test_half_block_rows_scale_by_whole_factor_and_merge_equal_cells() -> None:
    array = gradient(2, 2)
    lines = half_block_rows(array, 3)  # 6 x 6 pixels -> 3 lines of 6 cells
    assert len(lines) == 3
    expanded = [[(fg, bg) for text, fg, bg in runs for _ in text] for runs in lines]
    assert all(len(line) == 6 for line in expanded)
    top, bottom = tuple(array[0, 0].tolist()), tuple(array[1, 0].tolist())
    assert expanded[0][0] == (top, top)  # scaled rows 0 and 1 both come from row 0
    assert expanded[1][0] == (top, bottom)  # rows 2 and 3: the boundary inside one cell
    assert expanded[2][0] == (bottom, bottom)
    assert lines[0][0][0] == UPPER_HALF * 3  # a pixel 3 wide is one merged run


def test_odd_height_leaves_the_last_lower_half_to_the_background() -> None:
    lines = half_block_rows(gradient(3, 2), 1)
    assert len(lines) == 2
    assert all(bg is None for _, _, bg in lines[1])


def test_shade_rows_follow_luminance() -> None:
    array = np.zeros((2, 3, 3), dtype=np.uint8)
    array[:, 1] = 128
    array[:, 2] = 255
    assert shade_rows(array, 1) == [" ▒█"]
    assert shade_rows(array, 2) == ["  ▒▒██"] * 2


def test_shade_rows_stretch_over_the_given_levels() -> None:
    array = np.zeros((2, 3, 3), dtype=np.uint8)
    array[:, 0], array[:, 1], array[:, 2] = 100, 130, 160
    assert shade_rows(array, 1) == ["░▒▓"]
    assert shade_rows(array, 1, (100.0, 160.0)) == [" ▒█"]


def test_shade_rows_average_the_two_pixels_of_a_cell() -> None:
    array = np.zeros((2, 1, 3), dtype=np.uint8)
    array[0, 0] = 255  # white over black: a mid shade, not either extreme
    assert shade_rows(array, 1) == ["▒"]


@pytest.mark.parametrize(
    ("cells_wide", "lines_high", "max_factor", "expected"),
    [(16, 8, None, 1), (40, 20, None, 2), (48, 40, None, 3), (48, 40, 2, 2), (10, 3, None, 1)],
)
def test_fit_factor(
    cells_wide: int, lines_high: int, max_factor: int | None, expected: int
) -> None:
    assert fit_factor(16, 16, cells_wide, lines_high, max_factor) == expected


def test_rejects_arrays_that_are_not_rgb_bytes() -> None:
    with pytest.raises(ValueError):
        half_block_rows(np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(ValueError):
        shade_rows(np.zeros((4, 4, 3), dtype=np.float64))


# The widget -----------------------------------------------------------------


async def test_truecolor_cells_show_the_pixels_at_the_largest_factor_that_fits() -> None:
    app = ImageApp(ColorMode.TRUECOLOR)
    array = gradient()
    async with app.run_test(size=(40, 20)) as pilot:
        image = app.query_one(HalfBlockImage)
        image.set_pixels(array)
        await pilot.pause()
        assert image.factor == 2  # 16*2 = 32 <= 40 columns, 16*2/2 = 16 <= 20 lines
        for y in range(16):
            line = cells(image.render_line(y))
            assert len(line) == 40
            for x in range(32):
                char, fg, bg = line[x]
                assert char == UPPER_HALF
                assert fg == tuple(array[(2 * y) // 2, x // 2].tolist())
                assert bg == tuple(array[(2 * y + 1) // 2, x // 2].tolist())
            padding_bg = rgb(image.rich_style.bgcolor)
            assert all(cell == (" ", rgb(image.rich_style.color), padding_bg) for cell in line[32:])
        below = cells(image.render_line(17))
        assert [char for char, _, _ in below] == [" "] * 40
        assert all(bg == rgb(image.rich_style.bgcolor) for _, _, bg in below)


async def test_strips_are_cached_until_the_pixels_change() -> None:
    app = ImageApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(20, 10)) as pilot:
        image = app.query_one(HalfBlockImage)
        image.set_pixels(gradient())
        await pilot.pause()
        first = image.render_line(3)
        assert image.render_line(3) is first
        image.set_pixels(255 - gradient())
        changed = image.render_line(3)
        assert changed is not first
        assert cells(changed)[0][1] == tuple((255 - gradient())[6, 0].tolist())


async def test_max_factor_caps_the_scale() -> None:
    app = ImageApp(ColorMode.TRUECOLOR, max_factor=1)
    async with app.run_test(size=(60, 30)) as pilot:
        image = app.query_one(HalfBlockImage)
        image.set_pixels(gradient())
        await pilot.pause()
        assert image.factor == 1
        assert sum(1 for char, _, _ in cells(image.render_line(0)) if char == UPPER_HALF) == 16


@pytest.mark.parametrize("mode", [ColorMode.STANDARD, ColorMode.NONE])
async def test_without_colour_cells_are_shades_in_the_widget_colours(mode: ColorMode) -> None:
    app = ImageApp(mode)
    array = gradient()
    async with app.run_test(size=(16, 8)) as pilot:
        image = app.query_one(HalfBlockImage)
        image.set_pixels(array)
        await pilot.pause()
        expected = shade_rows(array, 1)
        for y in range(8):
            line = cells(image.render_line(y))
            assert "".join(char for char, _, _ in line) == expected[y]
            assert UPPER_HALF not in expected[y]
            own = (rgb(image.rich_style.color), rgb(image.rich_style.bgcolor))
            assert all((fg, bg) == own for _, fg, bg in line)
        assert {char for y in range(8) for char in expected[y]} <= set(SHADES)
        assert len({char for y in range(8) for char in expected[y]}) >= 3


async def test_no_pixels_draws_blank_lines() -> None:
    app = ImageApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(20, 10)) as pilot:
        image = app.query_one(HalfBlockImage)
        image.set_pixels(gradient())
        image.set_pixels(None)
        await pilot.pause()
        assert image.pixels is None
        assert "".join(char for char, _, _ in cells(image.render_line(0))) == " " * 20


async def test_pixels_are_copied_and_read_only() -> None:
    app = ImageApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(20, 10)):
        image = app.query_one(HalfBlockImage)
        array = gradient()
        image.set_pixels(array)
        array[0, 0] = 0
        assert image.pixels is not None
        assert image.pixels[0, 0].tolist() == gradient()[0, 0].tolist()
        assert not image.pixels.flags.writeable


def render_ansi(strip: Strip, color_system: str) -> str:
    """The escape codes a terminal would get (styles copied: Rich caches codes per Style)."""
    segments = [
        Segment(segment.text, segment.style.copy() if segment.style else None) for segment in strip
    ]
    console = Console(file=io.StringIO(), force_terminal=True, color_system=color_system)  # type: ignore[arg-type]
    console.print(Segments(segments), end="")
    return console.file.getvalue()  # type: ignore[attr-defined]


def cell_colours(strip: Strip, system: ColorSystem) -> list[tuple[int | None, int | None]]:
    """(foreground, background) palette numbers of each cell, as a terminal of `system` gets."""
    cells = []
    for segment in strip:
        style = segment.style
        fg = style.color.downgrade(system).number if style and style.color else None
        bg = style.bgcolor.downgrade(system).number if style and style.bgcolor else None
        cells.extend([(fg, bg)] * len(segment.text))
    return cells


async def test_256_colours_are_the_ones_rich_would_pick_chosen_for_the_whole_picture() -> None:
    """EIGHT_BIT picks each cell's 256-colour pair itself (numpy, once per picture): the same
    colours Rich gives the truecolour strips, in fewer segments, never truecolour codes."""
    array = gradient()
    strips = {}
    for mode in (ColorMode.TRUECOLOR, ColorMode.EIGHT_BIT):
        app = ImageApp(mode)
        async with app.run_test(size=(16, 8)) as pilot:
            image = app.query_one(HalfBlockImage)
            image.set_pixels(array)
            await pilot.pause()
            strips[mode] = [image.render_line(y) for y in range(8)]
    lines = zip(strips[ColorMode.TRUECOLOR], strips[ColorMode.EIGHT_BIT], strict=True)
    for true_line, eight_line in lines:
        assert cell_colours(eight_line, ColorSystem.EIGHT_BIT) == cell_colours(
            true_line, ColorSystem.EIGHT_BIT
        )
        assert len(list(eight_line)) <= len(list(true_line))
    red, green, blue = array[4, 3].tolist()
    assert f"38;2;{red};{green};{blue}" in render_ansi(strips[ColorMode.TRUECOLOR][2], "truecolor")
    eight_bit = render_ansi(strips[ColorMode.EIGHT_BIT][2], "truecolor")  # even there: 256
    assert "38;5;" in eight_bit and "48;5;" in eight_bit
    assert "38;2;" not in eight_bit and "48;2;" not in eight_bit


def test_eight_bit_numbers_match_rich_for_every_kind_of_colour() -> None:
    rng = np.random.default_rng(7)
    array = rng.integers(0, 256, (40, 64, 3), dtype=np.uint8)
    array[0, :] = np.linspace(0, 255, 64).astype(np.uint8)[:, None]  # greys, black to white
    array[1, :4] = [[94, 94, 94], [95, 95, 95], [115, 115, 115], [255, 0, 0]]  # edges
    numbers = eight_bit_numbers(array)
    for y, x in np.ndindex(array.shape[:2]):
        rich = Color.from_rgb(*array[y, x].tolist()).downgrade(ColorSystem.EIGHT_BIT)
        assert numbers[y, x] == rich.number, (array[y, x], numbers[y, x], rich.number)


@pytest.mark.parametrize("shape", [(16, 16), (15, 16), (7, 5)])
@pytest.mark.parametrize("factor", [1, 2, 3])
def test_packed_runs_are_the_half_block_rows(shape: tuple[int, int], factor: int) -> None:
    """The drawing path (one numpy pass) cuts the same runs with the same colours."""
    array = np.random.default_rng(factor).integers(0, 3, (*shape, 3), dtype=np.uint8)
    drawn = [
        [
            (
                length,
                ((pair >> 40) & 255, (pair >> 32) & 255, (pair >> 24) & 255),
                None if pair & NO_LOWER else ((pair >> 16) & 255, (pair >> 8) & 255, pair & 255),
            )
            for length, pair in runs
        ]
        for runs in packed_runs(array, factor)
    ]
    expected = [
        [(len(text) // factor, fg, bg) for text, fg, bg in runs]
        for runs in half_block_rows(array, factor)
    ]
    assert drawn == expected
