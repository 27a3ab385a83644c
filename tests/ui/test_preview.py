"""PreviewPane: the photo, its keeper and their difference, the details, and the sharp view."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from simdup_tui.core.distance import difference
from simdup_tui.core.humanize import format_difference
from simdup_tui.core.summary import Summary, summarise
from simdup_tui.ui.color_mode import ColorMode
from simdup_tui.ui.preview_layout import heat_map, plan_layout
from simdup_tui.ui.sharp import SHARP_CACHE, SharpDecodeError, decode_sharp
from simdup_tui.ui.widgets.halfblock import SHADES, UPPER_HALF, HalfBlockImage, shade_rows
from simdup_tui.ui.widgets.preview import DECODING, Figure, PreviewPane, shared_levels

from .helpers import scene
from .test_halfblock import cells


class PreviewApp(App[None]):
    """The pane where the app puts it: the right half, under a status line, above a footer."""

    CSS = """
    #status { height: 2; }
    #tree { width: 1fr; }
    PreviewPane { border-left: solid $primary-background; }
    #footer { height: 1; }
    """

    def __init__(self, mode: ColorMode) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield Static("status", id="status")
        with Horizontal():
            yield Static("tree", id="tree")
            yield PreviewPane(self.mode)
        yield Static("footer", id="footer")


@pytest.fixture
def photos(tmp_path: Path) -> dict[str, Summary]:
    """A keeper, a brightened copy of it, and a file whose name looks like markup."""
    original = scene(5, (640, 480))
    original.save(tmp_path / "keeper.jpg", quality=95)
    brighter = np.clip(np.asarray(original, dtype=np.int16) + 10, 0, 255).astype(np.uint8)
    Image.fromarray(brighter, "RGB").save(tmp_path / "copy [draft].jpg", quality=90)
    return {
        "keeper": summarise(tmp_path / "keeper.jpg"),
        "copy": summarise(tmp_path / "copy [draft].jpg"),
    }


@pytest.fixture(autouse=True)
def empty_sharp_cache():
    SHARP_CACHE.clear()
    yield
    SHARP_CACHE.clear()


def figure_image(pane: PreviewPane, name: str) -> HalfBlockImage:
    return pane.query_one(f"#preview-{name}", Figure).image


def caption(pane: PreviewPane, name: str) -> str:
    return str(
        pane.query_one(f"#preview-{name}", Figure).query_one(".figure--caption", Static).content
    )


def details(pane: PreviewPane) -> str:
    return str(pane.query_one("#preview-details", Static).content)


def assert_draws(image: HalfBlockImage, array: np.ndarray) -> None:
    """Every cell of the first 16 x 8 is '▀' with the upper and lower pixel of the array."""
    assert image.factor == 1
    for y in range(8):
        line = cells(image.render_line(y))
        for x in range(16):
            assert line[x] == (
                UPPER_HALF,
                tuple(array[2 * y, x].tolist()),
                tuple(array[2 * y + 1, x].tolist()),
            )


async def test_truecolor_at_80x24_draws_photo_keeper_and_heat_map(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], photos["keeper"].path.parent)
        await pilot.pause()
        assert pane.current_layout is not None and pane.current_layout.factor == 1
        assert_draws(figure_image(pane, "this"), photos["copy"].array())
        assert_draws(figure_image(pane, "keeper"), photos["keeper"].array())
        heat = heat_map(photos["copy"].array(), photos["keeper"].array())
        assert_draws(figure_image(pane, "heat"), heat)
        assert [caption(pane, name) for name in ("this", "keeper", "heat")] == [
            "this photo",
            "keeper",
            "difference",
        ]
        # every picture and the details are inside the pane, none overlapping
        regions = [pane.query_one(f"#preview-{name}").region for name in ("this", "keeper", "heat")]
        regions.append(pane.query_one("#preview-details").region)
        for index, region in enumerate(regions):
            assert pane.content_region.contains_region(region)
            assert all(not region.overlaps(other) for other in regions[index + 1 :])


async def test_details_print_the_difference_and_the_literal_path(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], photos["keeper"].path.parent)
        await pilot.pause()
        text = details(pane)
        value = format_difference(difference(photos["copy"], photos["keeper"]))
        assert f"difference {value}" in text
        assert str(photos["copy"].path) in text  # '[draft]' survives: no markup
        assert "keeper: keeper.jpg" in text
        assert f"{photos['copy'].width} x {photos['copy'].height} px · JPEG" in text
        assert "modified 20" in text
        rendered = "\n".join(
            "".join(char for char, _, _ in cells(app.screen._compositor.render_strips()[y]))
            for y in range(24)
        )
        assert value in rendered  # on screen too, not cropped away at 80x24


async def test_the_keeper_itself_says_so(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["keeper"], photos["keeper"], None)
        await pilot.pause()
        assert details(pane).startswith("this is the keeper")
        assert "difference" not in details(pane)
        assert pane.keeper is None
        assert caption(pane, "keeper") == "keeper (this)"


async def test_nothing_to_show_hides_the_pictures(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], None)
        await pilot.pause()
        pane.show(None, None, None)
        await pilot.pause()
        assert not pane.query_one("#preview-this").display
        assert pane.query_one("#preview-empty").display
        assert figure_image(pane, "this").pixels is None


async def test_sixteen_colours_draw_shades(photos) -> None:
    app = PreviewApp(ColorMode.STANDARD)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], None)
        await pilot.pause()
        image = figure_image(pane, "this")
        levels = shared_levels(photos["copy"].array(), photos["keeper"].array())
        expected = shade_rows(photos["copy"].array(), 1, levels)
        for y in range(8):
            drawn = "".join(char for char, _, _ in cells(image.render_line(y)))[:16]
            assert drawn == expected[y]
            assert set(drawn) <= set(SHADES)
        used = {char for y in range(8) for char in expected[y]}
        assert {" ", "█"} <= used  # stretched: the darkest and brightest shades both appear
        assert format_difference(difference(photos["copy"], photos["keeper"])) in details(pane)


async def test_larger_terminal_uses_a_larger_factor(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], None)
        await pilot.pause()
        image = figure_image(pane, "this")
        assert image.factor == 2
        array = photos["copy"].array()
        line = cells(image.render_line(5))  # scaled rows 10 and 11 both come from row 5
        assert line[7] == (UPPER_HALF, tuple(array[5, 3].tolist()), tuple(array[5, 3].tolist()))
        assert figure_image(pane, "keeper").factor == 2


async def test_sharp_view_decodes_in_a_worker_then_shows_the_file(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], None)
        await pilot.pause()
        pane.toggle_sharp()
        assert pane.sharp
        assert DECODING in caption(pane, "sharp")  # said at once, before the worker answers
        await app.workers.wait_for_complete()
        await pilot.pause()
        image = figure_image(pane, "sharp")
        assert image.pixels is not None
        assert DECODING not in caption(pane, "sharp")
        assert not pane.query_one("#preview-this").display
        height, width = image.pixels.shape[:2]
        assert width > 16 and (width, height) != (16, 16)  # the file, not the summary
        assert width <= image.size.width and (height + 1) // 2 <= image.size.height
        expected = decode_sharp(photos["copy"].path, (width, 10_000))  # same shape, own draft
        assert expected.shape == image.pixels.shape
        assert np.abs(expected.astype(int) - image.pixels).max() <= 4
        shown = image.pixels
        first = cells(image.render_line(0))
        assert first[0] == (UPPER_HALF, tuple(shown[0, 0].tolist()), tuple(shown[1, 0].tolist()))
        assert str(photos["copy"].path) in details(pane)
        pane.toggle_sharp()
        await pilot.pause()
        assert pane.query_one("#preview-this").display
        assert not pane.query_one("#preview-sharp").display


async def test_sharp_view_comes_from_the_cache_without_a_worker(photos) -> None:
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(photos["copy"], photos["keeper"], None)
        pane.toggle_sharp()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane.show(photos["keeper"], photos["keeper"], None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane.show(photos["copy"], photos["keeper"], None)
        assert not [w for w in app.workers if w.group == "sharp-preview" and w.is_running]
        assert figure_image(pane, "sharp").pixels is not None  # at once, no "decoding…"
        assert DECODING not in caption(pane, "sharp")


async def test_sharp_view_gives_a_one_line_reason_for_a_broken_file(tmp_path, photos) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes((photos["keeper"].path).read_bytes()[:400])
    stat = broken.stat()
    fake = Summary(
        broken, photos["keeper"].pixels, 640, 480, "JPEG", stat.st_size, stat.st_mtime_ns
    )
    app = PreviewApp(ColorMode.TRUECOLOR)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.show(fake, photos["keeper"], None)
        pane.toggle_sharp()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = caption(pane, "sharp")
        assert text.startswith("cannot show this file: ")
        assert "\n" not in text and len(text) < 80
        assert figure_image(pane, "sharp").pixels is None


def test_decode_sharp_turns_by_exif_orientation_and_fits_the_target(tmp_path) -> None:
    path = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait
    scene(9, (400, 200)).save(path, exif=exif, quality=90)
    pixels = decode_sharp(path, (50, 50))
    assert pixels.shape == (50, 25, 3)


def test_decode_sharp_flattens_transparency_onto_white(tmp_path) -> None:
    path = tmp_path / "clear.png"
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(path)
    assert decode_sharp(path, (20, 20)).min() == 255


def test_decode_sharp_reports_a_missing_file(tmp_path) -> None:
    with pytest.raises(SharpDecodeError) as raised:
        decode_sharp(tmp_path / "gone.jpg", (10, 10))
    assert raised.value.reason == "file vanished since the scan"


@pytest.mark.parametrize(
    ("size", "name", "factor"),
    [((37, 19), "grid", 1), ((38, 21), "grid", 1), ((57, 35), "column", 2), ((100, 54), "grid", 3)],
)
def test_plan_layout(size: tuple[int, int], name: str, factor: int) -> None:
    layout = plan_layout(*size)
    assert (layout.name, layout.factor) == (name, factor)
    boxes = [layout.this, layout.keeper, layout.heat, layout.details]
    for box in boxes:
        assert box.x + box.width <= size[0] and box.y + box.height <= size[1]


def test_shared_levels_span_both_pictures_but_never_less_than_the_minimum() -> None:
    dark = np.full((2, 2, 3), 40, dtype=np.uint8)
    light = np.full((2, 2, 3), 200, dtype=np.uint8)
    low, high = shared_levels(dark, light)
    assert low == pytest.approx(40, abs=0.01) and high == pytest.approx(200, abs=0.01)
    low, high = shared_levels(light, light)
    assert high - low == pytest.approx(96) and low <= 200 <= high


def test_heat_map_is_dark_for_equal_and_bright_for_opposite() -> None:
    black = np.zeros((2, 2, 3), dtype=np.uint8)
    white = np.full((2, 2, 3), 255, dtype=np.uint8)
    assert heat_map(black, black).astype(int).sum(axis=2).max() < 60
    assert heat_map(black, white).min() == 255


def test_the_date_shown_says_whether_it_was_taken_or_only_modified() -> None:
    """A camera's date taken wins over the file's mtime, and which one it is is said."""
    from dataclasses import replace

    from simdup_tui.ui.wording import date_line

    taken = Summary(Path("/p/a.jpg"), bytes(768), 10, 10, "JPEG", 1, 1_600_000_000 * 10**9)
    taken = replace(taken, taken_ns=1_500_000_000 * 10**9)  # 2017-07-14, mtime 2020-09-13
    assert date_line(taken).startswith("taken 2017-07-1")
    assert date_line(replace(taken, taken_ns=None)).startswith("modified 2020-09-1")
