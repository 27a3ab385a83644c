"""Keepers in the app: `p` rebuilds around the choice, `o` cycles the rules, locks and copies."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.duplicates import Duplicates
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.widgets.cluster_tree import FileRow

from .helpers import labels, make_config, settle, status_text


def grey(path: Path, shade: int, size: tuple[int, int] = (64, 64)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (shade, shade, shade)).save(path)
    return path


def members(app) -> list[set[str]]:
    return [{m.summary.path.name for m in c.members} for c in app.screen.review.clusters]


async def test_p_rebuilds_the_clusters_around_the_chosen_photo(tmp_path: Path) -> None:
    """A pan: big is within 0.07 of middle, middle of far, but big is 0.078 from far."""
    grey(tmp_path / "big.png", 100, (128, 128))
    grey(tmp_path / "middle.png", 110)
    grey(tmp_path / "far.png", 120)
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert members(app) == [{"big.png", "middle.png"}]  # far is not offered: no chain
        await pilot.press("j", "j")
        assert app.screen.tree.cursor_node.data.path.name == "middle.png"
        await pilot.press("p")
        await pilot.pause()
        [cluster] = app.screen.review.clusters
        assert cluster.keeper.path.name == "middle.png" and cluster.why == "chosen by you"
        assert members(app) == [{"big.png", "middle.png", "far.png"}]
        assert app.screen.tree.cursor_node.data.path.name == "middle.png"
        assert "kept: chosen by you" in str(
            app.screen.preview.query_one("#preview-details").content
        )


async def test_protected_photos_show_a_lock_and_no_key_marks_them(tmp_path: Path) -> None:
    original = grey(tmp_path / "safe/original.png", 90)
    shutil.copy2(original, tmp_path / "a_copy.png")
    grey(tmp_path / "b_near.png", 94)
    grey(tmp_path / "safe/other.png", 200)
    grey(tmp_path / "safe/other_too.png", 202)
    config = make_config(tmp_path, recursive=True, protected=(tmp_path / "safe",))
    app = SimdupApp(config)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        rows = labels(app)
        assert any(r.startswith("[K] safe/original.png 🔒") for r in rows)
        assert any(r.startswith("[ ] a_copy.png") and "identical" in r for r in rows)
        assert not any("b_near.png" in r and "identical" in r for r in rows)
        assert any("nothing to mark" in r for r in rows)  # the all-protected cluster
        await pilot.press("A", "v")
        await pilot.press("g", "j", "space", "v")
        for node in app.screen.tree.root.children:
            for child in node.children:
                if isinstance(child.data, FileRow) and child.data.member.protected:
                    child_path = child.data.path
                    assert child_path not in app.screen.review.marked


async def test_o_cycles_the_keeper_rules_and_says_which(tmp_path: Path) -> None:
    big = grey(tmp_path / "big.png", 100, (128, 128))
    grey(tmp_path / "small_but_larger_file.png", 101)
    (tmp_path / "small_but_larger_file.png").write_bytes(
        (tmp_path / "small_but_larger_file.png").read_bytes() + b"\0" * 5000
    )
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.review.clusters[0].keeper.path == big
        assert "keep:" not in status_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert "keep: originals first" in status_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert "keep: largest file first" in status_text(app)
        assert app.screen.review.clusters[0].keeper.path.name == "small_but_larger_file.png"


async def test_a_second_name_is_shown_once_and_frees_nothing_in_the_confirmation(
    tmp_path: Path,
) -> None:
    grey(tmp_path / "a_original.png", 90, (128, 128))
    copy = grey(tmp_path / "b_copy.png", 92)
    (tmp_path / "c_same_file.png").hardlink_to(copy)
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        rows = labels(app)
        assert len(rows) == 3  # the cluster and two photos: one file, one row
        assert any(r.startswith("[ ] b_copy.png  +1 name") for r in rows)
        assert rows[0].startswith("▼ 2 photos") and rows[0].endswith(" 0 B to free")
        await pilot.press("a")
        assert "1 marked (0 B)" in status_text(app)
        await pilot.press("d")
        await pilot.pause()
        title = str(app.screen.query_one("#confirm-title").content)
        assert "frees 0 B of" in title
        await pilot.press("n")


def fresh_rows(app) -> list[str]:
    """The rows a tree built from nothing would show for the same review."""
    tree = app.screen.tree
    cursor = tree.cursor_node.data.path
    tree.root.remove_children()
    tree.fill(cursor_path=cursor)
    return labels(app)


async def test_p_changes_its_cluster_only_and_the_rows_match_a_fresh_tree(tmp_path: Path) -> None:
    grey(tmp_path / "a_big.png", 100, (128, 128))
    grey(tmp_path / "a_small.png", 103)
    grey(tmp_path / "b_big.png", 180, (128, 128))
    grey(tmp_path / "b_mid.png", 182, (96, 96))
    grey(tmp_path / "b_small.png", 184)
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        review = app.screen.review
        before = {c.keeper.path.name: c for c in review.clusters}
        assert set(before) == {"a_big.png", "b_big.png"}
        await pilot.press("a")  # marks the first cluster's others
        marked = set(review.marked)
        first = review.clusters[0]
        other = next(c for c in review.clusters if c is not first)
        assert marked and all(p in {m.summary.path for m in first.members} for p in marked)
        tree = app.screen.tree
        tree.set_open(tree.root.children[0], False)  # a fresh tree opens it again: so must p
        tree.move_to_path(other.members[1].summary.path)
        chosen = other.members[1].summary.path
        await pilot.press("p")
        await pilot.pause()
        after = {c.keeper.path: c for c in review.clusters}
        assert chosen in after and after[chosen].why == "chosen by you"
        assert {m.summary.path for m in after[chosen].members} == {
            m.summary.path for m in other.members
        }
        unchanged = after[first.keeper.path]
        assert [m.summary.path for m in unchanged.members] == [
            m.summary.path for m in first.members
        ]
        assert set(review.marked) == marked  # the other cluster's marks stay
        assert app.screen.tree.cursor_node.data.path == chosen
        rows = labels(app)
        assert any(r.startswith("[K] " + chosen.name) for r in rows)
        assert rows == fresh_rows(app)


async def test_o_then_j_at_once_the_cursor_preview_and_status_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grey(tmp_path / "big.png", 100, (128, 128))
    small = grey(tmp_path / "small_but_larger_file.png", 101)
    small.write_bytes(small.read_bytes() + b"\0" * 5000)
    grey(tmp_path / "c_big.png", 180, (128, 128))
    grey(tmp_path / "c_small.png", 182)
    app = SimdupApp(make_config(tmp_path))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        review = app.screen.review
        release = threading.Event()
        regroup = Duplicates.regroup

        def slow_regroup(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            release.wait(5)
            return regroup(self, *args, **kwargs)

        monkeypatch.setattr(Duplicates, "regroup", slow_regroup)
        await pilot.press("o")  # originals first: regrouped in a worker, held back here
        status = status_text(app)
        # The status names the rules of the clusters on screen, never those still being applied.
        assert "regrouping: keep originals first…" in status and "keep: " not in status
        await pilot.press("o", "j")  # largest file first, then one row down: both wait
        release.set()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "keep: largest file first" in status_text(app)
        keepers = {c.keeper.path.name for c in review.clusters}
        assert "small_but_larger_file.png" in keepers  # the clusters shown follow that order
        row = app.screen.tree.cursor_node.data
        assert row is app.screen.tree.root.children[0].children[0].data  # one row down
        assert app.screen.preview.summary == row.member.summary
        assert labels(app) == fresh_rows(app)
