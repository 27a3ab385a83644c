"""The sharp view never hangs on a file that is not a photo, and decodes big photos small."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.sharp import SHARP_CACHE, SharpDecodeError, decode_sharp
from simdup_tui.ui.widgets.preview import PreviewPane

from .helpers import make_config, settle
from .test_preview import caption


def decode_in_thread(path: Path, target: tuple[int, int], timeout: float = 10) -> object:
    """decode_sharp's answer (an array or the SharpDecodeError), failing instead of hanging."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(decode_sharp(path, target))
        except SharpDecodeError as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert outcome, f"decode_sharp({path.name}) did not return within {timeout} s"
    return outcome[0]


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)
    answer = decode_in_thread(fifo, (40, 40))
    assert isinstance(answer, SharpDecodeError) and answer.reason == "not a regular file"


def test_a_big_png_is_shown_at_the_pane_size(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("RGBA", (4000, 2000), (200, 20, 20, 255)).save(path, compress_level=1)
    pixels = decode_in_thread(path, (80, 48))
    assert pixels.shape == (40, 80, 3)
    assert tuple(pixels[20, 40]) == (200, 20, 20)


async def test_a_photo_swapped_for_a_fifo_after_the_scan_never_hangs_the_view(gallery) -> None:
    SHARP_CACHE.clear()
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for photo in gallery.glob("*.jpg"):  # whichever one is shown, it is now a FIFO
            photo.unlink()
            os.mkfifo(photo)
        await pilot.press("z")
        await asyncio.wait_for(settle(app, pilot), timeout=10)
        pane = app.screen.query_one(PreviewPane)
        assert pane.sharp
        assert caption(pane, "sharp") == "cannot show this file: not a regular file"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.fixture(autouse=True)
def empty_sharp_cache():
    SHARP_CACHE.clear()
    yield
    SHARP_CACHE.clear()
