"""A greyscale copy in the app: found, its colour original kept, and said where it is explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from simdup_tui.core.grey import GREY_COPY
from simdup_tui.core.humanize import format_difference
from simdup_tui.ui.app import SimdupApp

from .helpers import labels, make_config, scene, settle
from .test_compare import open_compare_on, shown_text


@pytest.fixture
def grey_folder(tmp_path: Path) -> Path:
    """beach.jpg (vivid) and beach_bw.jpg, its greyscale copy of the same size."""
    folder = tmp_path / "grey"
    folder.mkdir()
    vivid = scene(21)
    vivid.save(folder / "beach.jpg", quality=90)
    vivid.convert("L").save(folder / "beach_bw.jpg", quality=90)
    return folder


async def test_the_grey_copy_is_labelled_in_the_details_and_the_compare_view(
    grey_folder: Path,
) -> None:
    app = SimdupApp(make_config(grey_folder))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(app, pilot)
        (cluster,) = app.screen.review.clusters
        assert cluster.keeper.path.name == "beach.jpg" and cluster.why == "in colour"
        member = cluster.others[0]
        assert member.grey_copy and member.difference < 0.07
        tree = app.screen.tree
        tree.move_to(tree.node_for_path(grey_folder / "beach_bw.jpg"))
        await pilot.pause()
        details = str(app.screen.query_one("#preview-details").content)
        assert GREY_COPY in details
        assert f"difference {format_difference(member.difference)}" in details  # the linking one
        await open_compare_on(app, pilot, "beach_bw.jpg")
        text = shown_text(app)
        assert GREY_COPY in text and "kept: in colour" in text
        assert f"difference {format_difference(member.difference)}" in text


async def test_no_grey_leaves_the_copy_alone(grey_folder: Path) -> None:
    app = SimdupApp(make_config(grey_folder, grey=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not app.screen.review.clusters
        assert not any("beach_bw.jpg" in row for row in labels(app))


@pytest.fixture
def grey_keeper_folder(tmp_path: Path) -> Path:
    """pier.jpg (vivid, 320x240) and pier_bw_big.jpg, its greyscale copy enlarged to 640x480:
    the grey copy has more pixels, so it is the keeper and the colour original is the member."""
    folder = tmp_path / "grey-keeper"
    folder.mkdir()
    vivid = scene(22)
    vivid.save(folder / "pier.jpg", quality=90)
    vivid.convert("L").resize((640, 480)).save(folder / "pier_bw_big.jpg", quality=90)
    return folder


async def test_a_and_shift_a_never_mark_the_only_colour_photo_under_a_grey_keeper(
    grey_keeper_folder: Path,
) -> None:
    app = SimdupApp(make_config(grey_keeper_folder))
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(app, pilot)
        (cluster,) = app.screen.review.clusters
        assert cluster.keeper.path.name == "pier_bw_big.jpg"  # most pixels comes first
        colour = grey_keeper_folder / "pier.jpg"
        for keys in (["a"], ["A"], ["space"]):
            app.screen.tree.move_to(app.screen.tree.root.children[0])
            await pilot.press(*keys)
            await pilot.pause()
            assert not app.screen.review.is_marked(colour), keys  # deleting it loses the colour
            if keys == ["a"]:  # nothing was marked: said, not silent
                assert any("keeper greyscale" in str(n.message) for n in app._notifications)
        row = next(row for row in labels(app) if "pier.jpg" in row)
        assert "keeper greyscale" in row  # why a and A left it, on its row
        app.screen.tree.move_to(app.screen.tree.node_for_path(colour))
        await pilot.press("space")  # by hand it can still be marked
        await pilot.pause()
        assert app.screen.review.is_marked(colour)
