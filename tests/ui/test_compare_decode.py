"""The compare view opens on the summaries and sharpens in a worker: keys never wait for it."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from simdup_tui.core.compare import decode_at
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.graphics_mode import GraphicsMode
from simdup_tui.ui.screens import compare, compare_pictures
from simdup_tui.ui.screens.compare import CompareScreen
from simdup_tui.ui.screens.main import MainScreen
from simdup_tui.ui.widgets import picture_box
from simdup_tui.ui.widgets.picture_box import Showing

from .helpers import make_config, settle
from .test_compare import open_compare_on, shown_text, side


class Gate:
    """Holds every decode until opened; counts the decodes that ran."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.started: list[Path] = []
        real = compare_pictures.decode_at

        def held(path: Path, size: tuple[int, int]):
            self.started.append(path)
            if not self.open.wait(10):
                raise AssertionError("the test never let the decode finish")
            return real(path, size)

        monkeypatch.setattr(compare_pictures, "decode_at", held)
        compare.DECODED.clear()


def showing(app: SimdupApp) -> tuple[Showing, Showing]:
    return side(app, "photo").box.showing, side(app, "keeper").box.showing


def box_text(app: SimdupApp, which: str) -> str:
    """What the picture box draws, as text (half-blocks, or the message)."""
    box = side(app, which).box
    return "\n".join(box.render_line(y).text for y in range(box.size.height))


async def wait_for(pilot, condition, rounds: int = 100) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("never happened")


async def test_summaries_first_then_the_sharp_pictures(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        tree = app.screen.tree
        tree.move_to(tree.node_for_path(app.screen.root / "beach_small.jpg"))
        await pilot.press("c")
        await wait_for(pilot, lambda: len(gate.started) == 2)  # decoding, held
        assert isinstance(app.screen, CompareScreen)
        assert showing(app) == (Showing.SUMMARY, Showing.SUMMARY)
        text = shown_text(app)  # the words are there before any picture is decoded
        assert "160 x 120 px" in text and "320 x 240 px" in text and "kept: most pixels" in text
        summary = side(app, "keeper").box
        assert "▀" in box_text(app, "keeper") and summary.pixels is None
        assert summary.picture_box[0] >= 16 * 2  # scaled up: at least twice the 16 columns
        gate.open.set()
        await wait_for(pilot, lambda: showing(app) == (Showing.SHARP, Showing.SHARP))
        assert side(app, "keeper").box.pixels.shape[1] > 16  # the decoded photo, not 16x16


async def test_keys_act_while_decoding_and_the_last_pair_wins(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        tree = app.screen.tree
        tree.move_to(tree.node_for_path(app.screen.root / "beach_copy.jpg"))
        await pilot.press("c")
        await wait_for(pilot, lambda: len(gate.started) == 2)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        first = screen.photo.path
        await pilot.press("space")  # mark, with both decodes still held
        assert screen.review.is_marked(first)
        assert "[x] marked for deletion" in shown_text(app)
        await pilot.press("j")  # next photo: its words and summary at once
        second = screen.photo.path
        assert second != first and second.name in shown_text(app)
        assert showing(app) == (Showing.SUMMARY, Showing.SUMMARY)
        await pilot.press("J")  # next cluster
        assert screen.keeper.path.name.startswith("forest")
        assert "cluster 2 of 2" in shown_text(app)
        gate.open.set()  # the held decodes of older pairs finish now: never shown
        await wait_for(pilot, lambda: showing(app) == (Showing.SHARP, Showing.SHARP))
        photo = side(app, "photo").box.pixels
        forest = np.asarray(decode_at(screen.photo.path, photo.shape[1::-1]))
        assert np.array_equal(photo, forest)  # the pair on screen, not a stale one
        await pilot.press("K", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.review.is_marked(first)  # the mark made mid-decode stayed


async def test_a_file_gone_before_the_decode_says_so_in_its_pane(gallery: Path) -> None:
    compare.DECODED.clear()
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        (gallery / "beach_copy.jpg").unlink()  # since the scan
        await open_compare_on(app, pilot, "beach_copy.jpg")
        await wait_for(pilot, lambda: side(app, "keeper").box.showing is Showing.SHARP)
        assert side(app, "photo").box.showing is Showing.MESSAGE
        shown = " ".join(box_text(app, "photo").split())  # wrapped to the pane, every word there
        assert "cannot show this file: the file vanished since the scan" in shown
        await pilot.press("j")  # the view goes on
        await settle(app, pilot)
        assert showing(app) == (Showing.SHARP, Showing.SHARP)


@pytest.mark.parametrize("graphics", [GraphicsMode.KITTY, GraphicsMode.SIXEL])
async def test_real_pixels_render_and_switch_photos(gallery: Path, graphics) -> None:
    """textual-image's widgets cannot be seen here, but they must draw and switch cleanly."""
    compare.DECODED.clear()
    app = SimdupApp(make_config(gallery, graphics=graphics))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare_on(app, pilot, "beach_small.jpg")
        for key in ("", "j", "J"):
            if key:
                await pilot.press(key)
                await settle(app, pilot)
            await wait_for(pilot, lambda: side(app, "keeper").showing_sharp)
            for which in ("photo", "keeper"):
                part = side(app, which)
                assert part.showing_sharp and not part.box.display
                assert part.picture.image is not None and part.picture.region.width > 0
            # Both fill the box on one scale, each time (not a box measured while hidden).
            columns, lines = side(app, "keeper").picture_box
            assert columns > 30 and lines > 10
            widest = max(side(app, w).picture.region.width for w in ("photo", "keeper"))
            tallest = max(side(app, w).picture.region.height for w in ("photo", "keeper"))
            assert widest >= columns - 1 or tallest >= lines - 1
        assert app.return_code is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_sharp_pictures_are_drawn_from_segments_built_in_the_decode_thread(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The UI thread only pads and shows them: building half-block segments of two large
    pictures was most of its time between the view and the sharp pictures."""
    built_in: list[str] = []
    real = picture_box.picture_segments

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        built_in.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(picture_box, "picture_segments", spy)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare_on(app, pilot, "beach_small.jpg")
        assert side(app, "photo").showing_sharp and side(app, "keeper").showing_sharp
        main = threading.main_thread().name
        sharp = [name for name in built_in if name != main]
        assert len(sharp) == 2  # both sharp pictures, in the worker
        built_in.clear()
        await pilot.press("escape")
        await settle(app, pilot)
        await open_compare_on(app, pilot, "beach_small.jpg")  # from the caches: nothing built
        assert side(app, "photo").showing_sharp
        assert not [name for name in built_in if name != main]
