"""Without the Tree internals the fast paths expect (a later Textual may rename or reshape
them), the tree falls back to Textual's public API: the same rows after l, h and p, never a
traceback."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from simdup_tui.core.humanize import format_bytes
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.widgets import cluster_tree, tree_internals
from simdup_tui.ui.widgets.tree_internals import tree_internals as internals_present

from .helpers import labels, make_config, scene, settle, status_text


@pytest.fixture
def no_internals(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Textual whose TreeNode lacks an attribute the fast paths use (as if renamed); the
    fast paths themselves raise if they are reached."""
    internals_present.cache_clear()
    monkeypatch.setattr(
        tree_internals, "NODE_ATTRIBUTES", (*tree_internals.NODE_ATTRIBUTES, ("_renamed", int))
    )

    def splice(*args: object) -> None:
        raise AssertionError("the splice ran without the internals it needs")

    monkeypatch.setattr(cluster_tree, "set_expanded", splice)
    yield
    monkeypatch.undo()
    internals_present.cache_clear()


def test_the_internals_are_found_in_the_textual_tested_and_a_change_is_seen(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    internals_present.cache_clear()
    assert internals_present()  # Textual as pinned for the tests: the fast paths are on

    @dataclasses.dataclass
    class ReshapedLine:  # say a later Textual keeps the node, not the path
        node: object
        last: bool

    monkeypatch.setattr(tree_internals, "TreeLine", ReshapedLine)
    internals_present.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert not internals_present()
    assert "fast paths are off" in caplog.text and "_TreeLine fields" in caplog.text
    monkeypatch.undo()
    internals_present.cache_clear()
    assert internals_present()


def rows_expected(app, open_clusters: set[int]) -> list[str]:
    """Per row: 'N photos' for a cluster, the file name for a photo (shown when open)."""
    rows = []
    for number, cluster in enumerate(app.screen.review.clusters):
        rows.append(f"{len(cluster)} photos")
        if number in open_clusters:
            rows += [member.summary.path.name for member in cluster.members]
    return rows


def rows_shown(app) -> list[str]:
    rows = []
    for row in labels(app):
        if row[0] in "▼▶":  # a cluster: '▼ ✓ 3 photos · ...'
            rows.append(re.search(r"\d+ photos", row).group())
        else:  # a photo: '[ ] name  ...'
            rows.append(row[4:].split()[0])
    return rows


async def test_l_h_and_p_show_the_right_rows_without_the_internals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_internals: None
) -> None:
    monkeypatch.setattr(cluster_tree, "EAGER_CHILDREN_LIMIT", 0)  # clusters start closed
    for seed in range(3):
        picture = scene(40 + seed)
        for copy in range(seed + 2):
            picture.save(tmp_path / f"s{seed}_{copy}.jpg", quality=95 - copy)
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        tree = app.screen.tree
        assert not tree._fast
        assert len(app.screen.review.clusters) == 3
        assert rows_shown(app) == rows_expected(app, set())
        await pilot.press("J", "l")  # open the second cluster
        await pilot.pause()
        assert rows_shown(app) == rows_expected(app, {1})
        assert tree.cursor_line == 1
        await pilot.press("l", "j")  # to its second photo
        await pilot.pause()
        chosen = tree.cursor_row.path
        assert tree.cursor_row.member is app.screen.review.clusters[1].members[1]
        await pilot.press("h", "h")  # to the cluster's row, then closed
        await pilot.pause()
        assert rows_shown(app) == rows_expected(app, set())
        assert tree.cursor_line == 1
        await pilot.press("l", "l", "j", "p")  # keep the photo chosen instead
        await app.workers.wait_for_complete()
        await pilot.pause()
        review = app.screen.review
        number = next(i for i, c in enumerate(review.clusters) if c.keeper.path == chosen)
        assert rows_shown(app) == rows_expected(app, {number})
        assert tree.cursor_row.path == chosen and tree.cursor_row.is_keeper
        assert labels(app)[tree.cursor_line].startswith("[K]")


def figures_shown(app) -> list[str]:
    """Each cluster row's 'X to free', top to bottom."""
    return [re.search(r"\S+ [kMG]?B to free", row).group() for row in labels(app) if row[0] in "▼▶"]


def figures_expected(app) -> list[str]:
    review = app.screen.review
    return [f"{format_bytes(review.to_free(c)[0])} to free" for c in review.shown_clusters()]


async def test_marks_orders_and_clicks_show_the_right_rows_without_the_internals(
    tmp_path: Path, no_internals: None
) -> None:
    """a, A, o, G, K and mouse clicks on cluster rows with the public API only: the rows,
    their marks and their figures are the review's, and the status line's total is the sum."""
    for seed in range(4):
        picture = scene(60 + seed, (96, 72))
        for copy in range(seed + 2):
            size = (96 + 16 * copy, 72 + 12 * copy)
            picture.resize(size).save(tmp_path / f"s{seed}_{copy}.jpg", quality=90 - copy)
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        tree, review = app.screen.tree, app.screen.review
        assert not tree._fast
        open_all = set(range(len(review.clusters)))
        await pilot.press("a")
        await pilot.pause()
        assert rows_shown(app) == rows_expected(app, open_all)
        assert len(review.marked) == len(review.clusters[0]) - 1
        await pilot.press("o")  # originals first: the same keepers here, clusters rebuilt
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows_shown(app) == rows_expected(app, open_all)
        assert figures_shown(app) == figures_expected(app)
        await pilot.press("G", "K", "A")
        await pilot.pause()
        assert rows_shown(app) == rows_expected(app, open_all)
        marked = sum(len(c) - 1 for c in review.clusters)
        assert len(review.marked) == marked and f"{marked} marked" in status_text(app)
        total = sum(c.reclaimable for c in review.clusters)
        assert f"({format_bytes(total)})" in status_text(app)
        tree.scroll_home(animate=False)
        await pilot.pause()
        await pilot.click(tree, offset=(8, 2))  # a photo's row: the cursor goes there
        await pilot.pause()
        assert tree.cursor_line == 2 and tree.cursor_row.member is review.clusters[0].members[1]
        await pilot.click(tree, offset=(8, 0))  # the first cluster's row
        await pilot.pause()
        assert tree.cursor_line == 0 and tree.cursor_row.cluster is review.clusters[0]
        assert rows_shown(app) == rows_expected(app, open_all)
        assert figures_shown(app) == figures_expected(app)
        await pilot.press("h")  # closed from there
        await pilot.pause()
        assert rows_shown(app) == rows_expected(app, open_all - {0})
