"""A review that lasts: restart the app and find it again; x, progress, filter and order."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from simdup_tui.__main__ import main
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens.ignored import IgnoredScreen
from simdup_tui.ui.screens.prompts import FilterScreen

from .helpers import labels, make_config, settle, status_text


def notices(app: SimdupApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def test_marks_keepers_and_progress_survive_a_restart(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")  # beach: all but the keeper
        await pilot.press("J", "j", "j", "p")  # forest: keep the other one
        kept = app.screen.tree.cursor_row.path
        marked = set(app.screen.review.marked)
        assert len(marked) == 3 and "2 of 2 clusters reviewed" in status_text(app)

    app = SimdupApp(make_config(gallery))  # the same folder, a new process's worth of state
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        review = app.screen.review
        assert review.marked == marked
        assert any(c.keeper.path == kept for c in review.clusters)
        assert "2 of 2 clusters reviewed" in status_text(app)
        assert "3 marked" in status_text(app)

    app = SimdupApp(make_config(gallery, fresh=True))  # --fresh
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not app.screen.review.marked
        assert "0 of 2 clusters reviewed" in status_text(app)


async def test_a_change_on_disk_drops_exactly_its_mark_and_says_so(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
    edited = gallery / "beach_copy.jpg"
    Image.open(edited).save(edited, quality=40)  # re-saved: another file now
    (gallery / "beach_small.jpg").unlink()
    Image.open(gallery / "beach.jpg").save(gallery / "beach_late.jpg", quality=70)

    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.review.marked == {gallery / "beach_bright.jpg"}
        assert "2 marks dropped" in notices(app)
        assert "1 cluster has new photos" in notices(app)
        assert labels(app)[0].startswith("▼ + ")  # it comes first, flagged
        assert "0 of 2 clusters reviewed" in status_text(app)


async def test_x_splits_for_good_across_rescans_renames_and_reports(gallery: Path, capsys) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "x")  # forest's other photo: not a duplicate of its keeper
        await pilot.pause()
        assert [len(c) for c in app.screen.review.clusters] == [4]
        assert len(app.screen.tree.root.children) == 1
        assert "is not a duplicate of" in notices(app)
        await pilot.press("R")
        await settle(app, pilot)
        assert [len(c) for c in app.screen.review.clusters] == [4]
        await pilot.press("g", "j", "x")  # on beach's keeper: refused, with the reason
        assert "This is the keeper" in notices(app)
        await pilot.press("g", "x")  # on beach's row: none of these are duplicates
        await pilot.pause()
        assert app.screen.review.clusters == []
        message = str(app.screen.query_one("#empty-message").content)
        assert "No near-duplicates" in message  # and why: the close pairs are recorded
        assert (
            "7 close pairs recorded as not duplicates" in message
            and "Press I to see them" in message
        )
    (gallery / "forest.png").rename(gallery / "woods.png")
    (gallery / "forest.jpg").rename(gallery / "sub_forest.jpg")

    assert main([str(gallery), "--json", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["clusters"] == [] and report["pair_count"] == 0
    assert main([str(gallery), "--list", "--no-cache"]) == 0
    assert "7 close pairs recorded as not duplicates" in capsys.readouterr().out

    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.review.clusters == []
        await pilot.press("I")
        await pilot.pause()
        assert isinstance(app.screen, IgnoredScreen)
        assert "2 decisions" in str(app.screen.query_one("#ignored-title").content)
        await pilot.press("G", "x", "escape")  # take back the oldest: the forest pair
        await settle(app, pilot)
        assert [len(c) for c in app.screen.review.clusters] == [2]


async def test_filter_limits_a_and_order_and_next_unreviewed(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        await pilot.press(*"BRIGHT", "enter")
        await pilot.pause()
        assert len(app.screen.tree.root.children) == 1
        assert [row[4:].split()[0] for row in labels(app)[1:]] == ["beach.jpg", "beach_bright.jpg"]
        assert "'BRIGHT': 1 shown, a/A act on shown only" in status_text(app)
        await pilot.press("A")
        assert app.screen.review.marked == {gallery / "beach_bright.jpg"}
        await pilot.press("escape")  # clears the filter, never the marks
        await pilot.pause()
        assert len(app.screen.tree.root.children) == 2
        assert app.screen.review.marked == {gallery / "beach_bright.jpg"}
        await pilot.press("S")
        assert "order: most photos" in status_text(app)
        await pilot.press("g", "n")  # the beach cluster was decided on: forest is next
        assert app.screen.tree.cursor_row.cluster.keeper.path.stem == "forest"
        await pilot.press("f")
        assert "2 of 2 clusters reviewed" in status_text(app)
        assert "Every cluster shown is reviewed" in notices(app)
