"""The fast paths behind keys on large trees show what the slow ones did: the details pane
follows the cursor through bursts of keys, a cluster opened or closed in place leaves the tree
as a full rebuild would, `A` marks exactly the right photos, and saves made in the background
are all on disk when the app closes."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from simdup_tui.core.cluster import make_cluster
from simdup_tui.core.duplicates import Duplicates
from simdup_tui.core.review_store import ReviewStore
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.summary import Summary
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens import main as main_screen
from simdup_tui.ui.widgets import scan_progress
from simdup_tui.ui.widgets.cluster_tree import ClusterRow, FileRow
from simdup_tui.ui.widgets.line_scrollbar import LineScrollBar
from simdup_tui.ui.widgets.tree_splice import can_splice

from .helpers import make_config, settle

ROOT = Path("/fast-keys")
CLUSTERS = 1600
"""Over EAGER_CHILDREN_LIMIT photos: clusters start closed and build their rows when opened."""


def summary(number: int, copy: int) -> Summary:
    shade = (number * 7) % 200
    return Summary(
        path=ROOT / f"folder{number // 100:02}" / f"photo{number:04}_{copy}.jpg",
        pixels=bytes([shade + copy]) * 768,
        width=4000 - copy * 100,
        height=3000,
        format="JPEG",
        size=3_000_000 + copy * 1000 + number,
        mtime_ns=1_700_000_000_000_000_000 + number,
    )


@functools.cache
def corpus() -> tuple[ScanResult, Duplicates]:
    """1,600 clusters of 2 or 3 photos (built once: the values are immutable)."""
    clusters, photos = [], []
    for number in range(CLUSTERS):
        members = [summary(number, copy) for copy in range(2 + number % 2)]
        photos.extend(members)
        clusters.append(make_cluster(members))
    clusters.sort(key=lambda cluster: -cluster.reclaimable)
    return ScanResult(ROOT, tuple(photos), ()), Duplicates(0.07, tuple(clusters))


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> ScanResult:
    """The corpus, answered without files or a pair search."""
    result, duplicates = corpus()
    monkeypatch.setattr(scan_progress, "scan_folders", lambda *args, **kwargs: result)
    monkeypatch.setattr(main_screen, "find_duplicates", lambda *args, **kwargs: duplicates)
    return result


def shown_photo(app: SimdupApp) -> Path | None:
    """The photo the details pane describes."""
    summary = app.screen.preview.summary
    return summary.path if summary is not None else None


def cursor_photo(app: SimdupApp) -> Path:
    """The photo the highlighted row stands for (a cluster's row: its keeper)."""
    row = app.screen.tree.cursor_row
    return row.path if isinstance(row, FileRow) else row.cluster.keeper.path


async def test_the_details_pane_shows_the_row_under_the_cursor_after_bursts_of_keys(
    large: ScanResult,
) -> None:
    app = SimdupApp(make_config(ROOT, remember=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for burst in (["G"], ["g"], ["j"] * 7, ["G", "k", "k"], ["g", *["J"] * 5], ["l", "l", "j"]):
            await pilot.press(*burst)
            await pilot.pause()
            assert shown_photo(app) == cursor_photo(app), burst
        tree = app.screen.tree
        assert tree.cursor_line == 5 + 2  # J five times, then into the cluster: its 2nd photo
        assert isinstance(tree.cursor_row, FileRow) and not tree.cursor_row.is_keeper
        await pilot.press("G")
        await pilot.pause()
        assert tree.cursor_line == tree.last_line > CLUSTERS - 1
        assert tree.scroll_offset.y > 0  # the last row is in view, without an animation
        assert shown_photo(app) == cursor_photo(app)


def rebuilt_lines(tree) -> list[object]:  # type: ignore[no-untyped-def]
    """The nodes a full rebuild of the tree would put on its lines, top to bottom."""
    nodes = []
    for cluster in tree.root.children:
        nodes.append(cluster)
        if cluster.is_expanded:
            nodes.extend(cluster.children)
    return nodes


async def test_opening_and_closing_clusters_in_place_matches_a_full_rebuild(
    large: ScanResult,
) -> None:
    app = SimdupApp(make_config(ROOT, remember=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        tree = app.screen.tree
        rng = random.Random(12)
        for _ in range(12):
            tree.move_to(tree.root.children[rng.randrange(0, 60)])
            await pilot.press(rng.choice(["l", "l", "h", "enter"]))
            if rng.random() < 0.5:
                await pilot.press("j")  # sometimes onto a photo, then close from there
                await pilot.press("h", "h")
            await pilot.pause()
            lines = tree._tree_lines
            assert [line.node for line in lines] == rebuilt_lines(tree)
            assert all(line.node.line == number for number, line in enumerate(lines))
            assert tree.virtual_size.height == len(lines)
            assert tree.cursor_node is lines[tree.cursor_line].node
            assert shown_photo(app) == cursor_photo(app)
        opened = sum(1 for node in tree.root.children if node.is_expanded)
        assert opened  # the walk opened some clusters
        assert can_splice(tree, tree.root.children[0])


async def test_shift_a_marks_every_non_keeper_and_the_totals_follow(large: ScanResult) -> None:
    app = SimdupApp(make_config(ROOT, remember=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        review = app.screen.review
        first = review.clusters[0]
        keeper = first.keeper.path
        review.toggle(first, first.members[0])  # a keeper marked by hand: A unmarks it
        await pilot.press("A")
        await pilot.pause()
        expected = {m.summary.path for c in review.clusters for m in c.others}
        assert review.marked == expected and keeper not in review.marked
        assert review.marked_bytes == sum(m.frees for c in review.clusters for m in c.others)
        assert review.reviewed_count == CLUSTERS
        status = str(app.screen.query_one("#status").content)
        assert f"{CLUSTERS:,} of {CLUSTERS:,} clusters reviewed" in status
        assert f"{len(expected):,} marked" in status
        await pilot.press("U")
        await pilot.pause()
        assert not review.marked and review.marked_bytes == 0
        assert " 0 marked" in str(app.screen.query_one("#status").content)


async def test_saves_made_in_the_background_are_on_disk_when_the_app_closes(
    large: ScanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(tmp_path / "state"))
    app = SimdupApp(make_config(ROOT))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("A", "g", "u")  # thousands of photos, then one cluster's back
        await pilot.pause()
        marked = set(app.screen.review.marked)
        assert len(marked) > CLUSTERS
    store = ReviewStore([ROOT], tmp_path / "state" / "review.sqlite3")
    try:
        saved = store.load_photos()
    finally:
        store.close()
    assert {path for path, state in saved.items() if state.marked} == marked
    assert sum(1 for state in saved.values() if state.reviewed) == len(large.summaries)


async def test_a_failed_background_save_is_said_on_screen(
    large: ScanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIMDUP_STATE_DIR", str(tmp_path / "state"))
    app = SimdupApp(make_config(ROOT))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        store = app.screen.saver.store
        monkeypatch.setattr(store, "save", lambda changes: False)
        await pilot.press("a")
        app.screen.saver.flush()
        await pilot.pause()
        titles = [notification.title for notification in app._notifications]
        assert "Review not saved" in titles
        assert app.screen.review.marked  # the review goes on in memory
        assert isinstance(app.screen.tree.cursor_row, ClusterRow)


async def test_the_tree_scroll_bar_looks_as_textual_draws_it(large: ScanResult) -> None:
    app = SimdupApp(make_config(ROOT, remember=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        bar = app.screen.tree.vertical_scrollbar
        assert isinstance(bar, LineScrollBar) and bar.display
        ours = [bar.render_line(y) for y in range(bar.size.height)]
        textual = [ScrollBar.render_line(bar, y) for y in range(bar.size.height)]

        def cells(strip: Strip) -> list[tuple[str, object, object, bool]]:
            return [
                (s.text, s.style.color, s.style.bgcolor, bool(s.style.reverse))
                for s in strip
                if s.style
            ]

        assert [cells(strip) for strip in ours] == [cells(strip) for strip in textual]
        assert any(cells(strip) != cells(ours[0]) for strip in ours)  # a thumb is drawn


async def test_keys_that_mark_open_or_close_reach_the_screen_in_one_frame(
    large: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second frame is ~17 ms more before the screen settles (Textual paints at 60 Hz): the
    status line used to lay the screen out on every mark, and the tree's scroll bar, refreshed
    inside that layout, came a frame later; l and h change the tree's height, the same."""
    frames: list[object] = []
    display = SimdupApp._display

    def counted(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            frames.append(renderable)
        display(self, screen, renderable)

    monkeypatch.setattr(SimdupApp, "_display", counted)
    app = SimdupApp(make_config(ROOT, remember=False))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "k")  # the preview drawn once before counting
        await pilot.pause(0.1)
        for key in ["a", "u", "space", "space", "l", "h", "l", "h"]:
            frames.clear()
            await pilot.press(key)
            await pilot.pause(0.1)  # six frames' time: a late second frame would be in
            assert len(frames) == 1, f"{key!r} painted in {len(frames)} frames"
