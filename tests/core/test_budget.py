"""Bounded memory: decodes share one pixel budget, and big photos are shrunk before any copy."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.budget import DECODE_BUDGET, DecodeBudget
from simdup_tui.core.scan import scan
from simdup_tui.core.summary import summarise


def test_a_budget_never_holds_more_than_its_pixels() -> None:
    budget = DecodeBudget(100)
    held: list[int] = []
    lock = threading.Lock()

    def decode(pixels: int) -> None:
        with budget.hold(pixels):
            with lock:
                held.append(budget.used)
            time.sleep(0.01)

    threads = [threading.Thread(target=decode, args=(p,)) for p in (60, 60, 30, 500, 10) * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(held) == 15 and max(held) <= 100 and budget.peak <= 100 and budget.used == 0


def test_scan_workers_decode_within_the_budget(make_photo, tmp_path, monkeypatch) -> None:
    """Eight workers, photos of 30,000 pixels and a budget of 40,000: one decode at a time."""
    for n in range(8):
        make_photo(f"p{n}.png", seed=n, size=(200, 150))
    monkeypatch.setattr(DECODE_BUDGET, "pixels", 40_000)
    monkeypatch.setattr(DECODE_BUDGET, "peak", 0)
    result = scan(tmp_path, workers=8)
    assert len(result.summaries) == 8
    assert DECODE_BUDGET.peak == 200 * 150  # every decode took its share, never two at once


def test_a_big_png_is_summarised_close_to_a_full_decode(tmp_path, monkeypatch) -> None:
    import numpy as np

    from simdup_tui.core import summary as summary_module
    from simdup_tui.core.summary import SIDE, summarise_image

    monkeypatch.setattr(summary_module, "REDUCE_ABOVE_PIXELS", 1_000_000)  # "big" made cheap
    path = tmp_path / "big.png"  # 1.9 MP: shrunk by 8 before flattening
    coarse = np.random.default_rng(3).integers(0, 256, size=(9, 12, 3), dtype=np.uint8)
    Image.fromarray(coarse).resize((1600, 1200), Image.Resampling.BICUBIC).save(path)
    with Image.open(path) as image:
        full = summarise_image(image)  # no draft, no shrinking: the tutorial's decode
    summary = summarise(path)
    assert (summary.width, summary.height) == (1600, 1200)
    difference = sum(abs(a - b) for a, b in zip(summary.pixels, full, strict=True))
    assert difference / (SIDE * SIDE * 3 * 255) < 0.005  # far below the 0.07 threshold


PEAK = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from simdup_tui.core.summary import summarise
    from simdup_tui.ui.sharp import decode_sharp

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    before = peak()
    path = Path(sys.argv[1])
    decode_sharp(path, (80, 48)) if sys.argv[2] == "sharp" else summarise(path)
    print(peak() - before)
    """
)


@pytest.fixture(scope="module")
def big_rgba_png(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.png"
    Image.new("RGBA", (4800, 3600), (20, 120, 200, 128)).save(path, compress_level=1)
    return path


@pytest.mark.parametrize("use", ["summary", "sharp"])
def test_a_big_rgba_png_costs_about_two_decodes_not_five(big_rgba_png, use) -> None:
    """4,800 x 3,600 RGBA (over 16 MP) is 69 MB decoded: it cost 347 MB when flattened at full
    size, 140 MB shrunk first."""
    path = big_rgba_png
    run = subprocess.run([sys.executable, "-c", PEAK, str(path), use], capture_output=True,
                         text=True, timeout=120, check=True)  # fmt: skip
    grown = int(run.stdout)
    assert grown < 2.5 * 69_120_000, f"{use}: peak grew by {grown / 1e6:.0f} MB"
