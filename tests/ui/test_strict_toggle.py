"""The strict check in the app: `s` toggles it (shown in the status line), members that look
different up close are flagged, and `a` leaves them unmarked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from simdup_tui.ui.app import SimdupApp

from .helpers import labels, make_config, settle, status_text


def drawing(seed: int, size: tuple[int, int] = (400, 300)) -> Image.Image:
    """Black strokes on white (the same seed at any size is the same drawing)."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        points = [tuple(rng.uniform((20, 20), (380, 280))) for _ in range(4)]
        draw.line(points, fill="black", width=3)
    return image.resize(size)


@pytest.fixture
def sketches(tmp_path: Path) -> Path:
    """sketch.png (the keeper: most pixels), its copy, and another drawing on white."""
    folder = tmp_path / "sketches"
    folder.mkdir()
    drawing(1, (800, 600)).save(folder / "sketch.png")
    drawing(1).save(folder / "sketch_copy.png")
    drawing(2).save(folder / "other_sketch.png")
    return folder


async def test_a_skips_what_looks_different_and_s_toggles_strict(sketches: Path) -> None:
    app = SimdupApp(make_config(sketches))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "strict" not in status_text(app)
        rows = labels(app)
        assert "3 photos" in rows[0]
        flagged = [row for row in rows if "looks different" in row]
        assert len(flagged) == 1 and "other_sketch.png" in flagged[0]
        assert flagged[0].endswith(" kB")  # its size stays: its cluster counts it "by hand"
        tree = app.screen.tree
        tree.move_to(tree.node_for_path(sketches / "other_sketch.png"))
        await pilot.pause()
        details = str(app.screen.query_one("#preview-details").content)
        assert "looks different up close: structure differs" in details
        assert details.count("looks different up close") == 1
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert {p.name for p in screen.review.marked} == {"sketch_copy.png"}
        assert "1 marked" in status_text(app)

        await pilot.press("s")
        await settle(app, pilot)
        assert "strict check" in status_text(app)
        rows = labels(app)
        assert "2 photos" in rows[0]
        assert not any("other_sketch.png" in row for row in rows)
        assert {p.name for p in screen.review.marked} == {"sketch_copy.png"}

        await pilot.press("s")
        await settle(app, pilot)
        assert "strict" not in status_text(app)
        assert "3 photos" in labels(app)[0]


async def test_strict_from_the_command_line_starts_on(sketches: Path) -> None:
    app = SimdupApp(make_config(sketches, strict=True))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "strict check" in status_text(app)
        assert "2 photos" in labels(app)[0]


async def test_a_mark_dropped_by_the_strict_check_is_said(sketches: Path) -> None:
    """A photo marked by hand that the strict check then leaves out of every cluster loses its
    mark (nothing outside a cluster is deleted): the app says so, it is not dropped silently."""
    app = SimdupApp(make_config(sketches))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        tree = app.screen.tree
        tree.move_to(tree.node_for_path(sketches / "other_sketch.png"))
        await pilot.pause()
        await pilot.press("space")  # by hand: `a` leaves it
        await pilot.pause()
        assert "1 marked" in status_text(app)
        app.clear_notifications()
        await pilot.press("s")
        await settle(app, pilot)
        assert "0 marked" in status_text(app)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "1 mark dropped" in said and "other_sketch.png" in said, said
