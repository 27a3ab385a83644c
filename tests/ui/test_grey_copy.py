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
