"""The app driven from the keyboard on a folder with known clusters, as a person would use it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.errors import TooManyPairsError
from simdup_tui.core.humanize import format_bytes
from simdup_tui.core.scan import ScanResult
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens import main as main_screen
from simdup_tui.ui.screens.errors import ErrorsScreen
from simdup_tui.ui.screens.help import HelpScreen
from simdup_tui.ui.screens.prompts import ConfirmQuitScreen, ThresholdScreen
from simdup_tui.ui.widgets import scan_progress
from simdup_tui.ui.widgets.cluster_tree import ClusterRow, FileRow

from .helpers import labels, make_config, scene, settle, status_text


def cursor_row(app: SimdupApp):
    return app.screen.tree.cursor_node.data


def cursor_name(app: SimdupApp) -> str:
    row = cursor_row(app)
    return row.path.name if isinstance(row, FileRow) else f"cluster {row.number}"


async def test_scan_fills_tree_with_cursor_on_first_cluster(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert [len(c) for c in screen.review.clusters] == [4, 2]
        rows = labels(app)
        assert rows[0].startswith("▼ 4 photos")
        assert any(row.startswith("[K] beach.jpg") and "keep" in row for row in rows)
        assert any(row.startswith("[ ] beach_copy.jpg") for row in rows)
        assert isinstance(cursor_row(app), ClusterRow)
        status = status_text(app)
        assert "8 photos" in status and "2 clusters" in status and "0 marked" in status
        assert "threshold 0.07" in status


async def test_space_marks_photo_and_moves_down(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")  # first cluster row, keeper, then the first other photo
        first_other = cursor_row(app).path
        await pilot.press("space")
        assert app.screen.review.marked == {first_other}
        assert cursor_row(app).path != first_other  # moved down
        row = next(r for r in labels(app) if first_other.name in r.split())
        assert row.startswith("[x]")
        assert "1 marked" in status_text(app)
        assert "1 marked" in labels(app)[0]  # the cluster's label counts its marks
        await pilot.press("k", "space")  # back up and unmark
        assert app.screen.review.marked == set()


async def test_space_on_cluster_marks_all_but_keeper_then_clears(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        cluster = app.screen.review.clusters[0]
        await pilot.press("space")
        assert app.screen.review.marked == {m.summary.path for m in cluster.others}
        assert cluster.keeper.path not in app.screen.review.marked
        assert isinstance(cursor_row(app), ClusterRow)  # a cluster row keeps the cursor
        await pilot.press("space")
        assert app.screen.review.marked == set()


async def test_mark_keys_a_A_v_u_U(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        marks = app.screen.review
        first, second = app.screen.review.clusters
        await pilot.press("a")
        assert marks.marked == {m.summary.path for m in first.others}
        await pilot.press("u")
        assert marks.marked == set()
        await pilot.press("A")
        everything = {m.summary.path for c in (first, second) for m in c.others}
        assert marks.marked == everything
        assert "4 marked" in status_text(app)
        await pilot.press("U")
        assert marks.marked == set()
        # v inverts the non-keepers; on the keeper's row it inverts the keeper too
        await pilot.press("j", "j", "space", "v")
        assert marks.marked == {m.summary.path for m in first.others} - {
            first.others[0].summary.path
        }
        await pilot.press("g", "j", "v")  # cursor on the keeper
        assert first.keeper.path in marks.marked
        assert first.others[0].summary.path in marks.marked


async def test_p_makes_the_highlighted_photo_the_keeper(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")  # mark all but the keeper
        await pilot.press("j", "j")
        chosen = cursor_row(app).path
        assert chosen in app.screen.review.marked
        await pilot.press("p")
        cluster = app.screen.review.clusters[0]
        assert cluster.keeper.path == chosen
        assert chosen not in app.screen.review.marked
        assert cursor_row(app).path == chosen
        assert any(r.startswith(f"[K] {chosen.name}") for r in labels(app))


async def test_navigation_keys(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("J")
        assert cursor_row(app) == app.screen.tree.root.children[1].data
        await pilot.press("K")
        assert cursor_row(app) == app.screen.tree.root.children[0].data
        await pilot.press("G")
        assert cursor_row(app).path.name in {"forest.jpg", "forest.png"}
        await pilot.press("h")  # from a photo to its cluster
        assert isinstance(cursor_row(app), ClusterRow) and cursor_row(app).number == 2
        await pilot.press("h")  # collapse it
        assert not app.screen.tree.cursor_node.is_expanded
        await pilot.press("l")
        assert app.screen.tree.cursor_node.is_expanded
        await pilot.press("l")  # into its first photo
        assert isinstance(cursor_row(app), FileRow)
        await pilot.press("h", "enter")  # to its cluster, which Enter closes
        assert isinstance(cursor_row(app), ClusterRow)
        assert not app.screen.tree.cursor_node.is_expanded
        await pilot.press("home")
        assert cursor_row(app).number == 1
        await pilot.press("end")
        assert cursor_row(app).number == 2  # its cluster is closed now
        await pilot.press("down", "up", "pageup")
        assert cursor_row(app).number == 1


async def test_threshold_keys_rebuild_clusters_keeping_cursor_and_marks(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        copy = gallery / "beach_copy.jpg"
        bright = gallery / "beach_bright.jpg"
        assert {copy, bright} <= app.screen.review.marked
        node = app.screen.tree.node_for_path(copy)
        app.screen.tree.move_to(node)
        await pilot.pause()
        for _ in range(3):
            await pilot.press("minus")
            await settle(app, pilot)
        assert app.screen.threshold == 0.04
        assert "threshold 0.04" in status_text(app)
        in_clusters = {m.summary.path for c in app.screen.review.clusters for m in c.members}
        assert bright not in in_clusters  # it drifted out of the cluster
        assert bright not in app.screen.review.marked  # and so lost its mark
        assert copy in app.screen.review.marked  # others keep theirs
        assert cursor_row(app).path == copy  # the cursor stayed on the same photo
        await pilot.press("plus", "equals_sign", "plus")
        await settle(app, pilot)
        assert app.screen.threshold == 0.07
        assert bright in {m.summary.path for c in app.screen.review.clusters for m in c.members}


async def test_t_asks_for_a_threshold_and_rejects_nonsense(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdScreen)
        prompt = app.screen
        await pilot.press("ctrl+a", *"abc", "enter")
        await pilot.pause()
        assert app.screen is prompt  # still asking
        assert "number" in str(prompt.query_one("#threshold-error").content)
        field = prompt.query_one("#threshold-input")
        field.value = "0.5"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.threshold == 0.5
        assert len(app.screen.review.clusters) == 1  # at 0.5 everything is one cluster


async def test_help_and_errors_screens(gallery: Path) -> None:
    (gallery / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "1 error (e)" in status_text(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        table = app.screen.query_one("DataTable")
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "broken.jpg"
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen.review.clusters) == 2  # back, nothing lost


async def test_quit_without_marks_exits_at_once(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_quit_with_marks_asks_first(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and len(app.screen.review.marked) == 3  # marks survive
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("escape")  # escape means stay, and never clears marks
        await pilot.pause()
        assert len(app.screen.review.marked) == 3
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_keys_work_and_quit_is_clean_during_a_scan(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan that would run for a long time: keys still answer, q stops it and quits."""
    seen: dict[str, object] = {}

    def slow_scan(directories, *, progress, cancel, **kwargs):
        progress(0, 1000, None)
        progress(10, 1000, gallery / "beach.jpg")
        seen["cancelled"] = cancel.wait(timeout=10)
        return ScanResult(Path(directories[0]), (), (), cancelled=True)

    monkeypatch.setattr(scan_progress, "scan_folders", slow_scan)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.scanning
        assert "scanning" in status_text(app)
        await pilot.pause(0.25)  # progress is redrawn ten times a second
        progress = str(app.screen.query_one("#scan-rate").content)
        assert "10/1,000 photos" in progress
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # keys answer while the scan runs
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not app.is_running
    assert seen["cancelled"] is True  # the scan was told to stop, not left running


async def test_empty_folder_and_no_duplicates_say_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    app = SimdupApp(make_config(empty))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        message = str(app.screen.query_one("#empty-message").content)
        assert "No photos found" in message and "-r" in message
        assert app.screen.tree.has_class("hidden")
        assert "nothing to review" in status_text(app) and "0 of 0" not in status_text(app)
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    scene(1).save(lonely / "a.jpg")
    scene(2).save(lonely / "b.jpg")
    app = SimdupApp(make_config(lonely))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        message = str(app.screen.query_one("#empty-message").content)
        assert "No near-duplicates among 2 photos at threshold 0.07" in message
        assert "2 photos · no near-duplicates" in status_text(app)
        assert "0 of 0" not in status_text(app) and "marked" not in status_text(app)
        for key in ("a", "x", "p"):  # keys on a cluster did nothing, without a word
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            said = [str(n.message) for n in app._notifications]
            assert any("no cluster is shown" in text for text in said), (key, said)


async def test_odd_names_are_shown_literally(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    image = scene(5)
    image.save(folder / "holiday[draft].jpg")
    image.save(folder / "[bold]x.png")
    app = SimdupApp(make_config(folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        rows = labels(app)
        assert any("holiday[draft].jpg" in row for row in rows)
        assert any("[bold]x.png" in row for row in rows)


async def test_rescan_keeps_marks_on_files_still_there(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        (gallery / "beach_small.jpg").unlink()
        Image.open(gallery / "city.jpg").save(gallery / "city_again.jpg")
        bright = gallery / "beach_bright.jpg"
        info = bright.stat()
        os.utime(bright, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))  # re-exported
        await pilot.press("R")
        await settle(app, pilot)
        marked = app.screen.review.marked
        assert gallery / "beach_small.jpg" not in marked
        assert bright not in marked  # not the file that was marked any more
        assert gallery / "beach_copy.jpg" in marked
        assert [len(c) for c in app.screen.review.clusters] == [3, 2, 2]


async def test_help_scrolls_with_j_at_80x24(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        scroller = app.screen.query_one("VerticalScroll")
        assert scroller.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 2


async def test_undecodable_name_is_escaped_everywhere_it_is_drawn(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    image = scene(6)
    image.save(folder / "plain.jpg")
    raw = os.fsencode(folder) + b"/caf\xe9.jpg"
    with open(raw, "wb") as handle:
        image.save(handle, "JPEG")
    app = SimdupApp(make_config(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = labels(app)
        assert any("caf\\xe9.jpg" in row for row in rows)
        await pilot.press("j", "j")  # highlight the odd one or its twin: the preview draws both
        await pilot.pause()
        screen_text = app.export_screenshot()
        assert "\\xe9" in screen_text
        screen_text.encode("utf-8")  # nothing undrawable reached the screen


async def test_tree_gets_the_keys_back_when_clusters_return(gallery: Path) -> None:
    """Hiding the empty tree took its focus; clusters coming back must give it back."""
    app = SimdupApp(make_config(gallery, threshold=0.065))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "threshold 0.065" in status_text(app)  # shown as in force, not rounded
        for value in ("0.0001", "0.07"):
            await pilot.press("t")
            await pilot.pause()
            app.screen.query_one("#threshold-input").value = value
            await pilot.press("enter")
            await settle(app, pilot)
        assert len(app.screen.review.clusters) == 2
        assert app.screen.tree.has_focus
        await pilot.press("j", "space")
        assert len(app.screen.review.marked) == 1


async def test_a_threshold_too_loose_is_refused_and_the_clusters_stay(
    gallery: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = main_screen.find_duplicates

    def refusing(summaries, threshold, **kwargs):
        if threshold > 0.5:
            raise TooManyPairsError(f"threshold {threshold:g} links too many pairs: too loose")
        return real(summaries, threshold, **kwargs)

    monkeypatch.setattr(main_screen, "find_duplicates", refusing)
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#threshold-input").value = "0.9"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.threshold == 0.07  # back to what the clusters were made with
        assert "threshold 0.07" in status_text(app)
        assert [len(c) for c in app.screen.review.clusters] == [4, 2]
        assert "too loose" in list(app._notifications)[-1].message


async def test_a_damaged_cache_is_rebuilt_and_the_person_is_told(gallery: Path) -> None:
    cache_dir = Path(os.environ["SIMDUP_CACHE_DIR"])  # private to this test (tests/conftest.py)
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / "summaries.sqlite3").write_bytes(b"this is not a database" * 100)
    app = SimdupApp(make_config(gallery, use_cache=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert [len(c) for c in app.screen.review.clusters] == [4, 2]  # the scan went on
        notices = [n.message for n in app._notifications]
        assert any("damaged" in message and "rebuilding" in message for message in notices)


async def test_the_marked_count_stays_on_the_status_line_in_a_small_terminal(
    tmp_path: Path,
) -> None:
    """Two long folder names at 40x10: the folders give way, the marks are still shown."""
    from textual.geometry import Region

    from .helpers import scene

    archive = tmp_path / "a-long-folder-name-for-the-archive"
    new_import = tmp_path / "another-long-folder-name-for-imports"
    for folder in (archive, new_import):
        folder.mkdir()
    scene(5).save(archive / "beach.jpg", quality=95)
    scene(5).save(new_import / "beach_copy.jpg", quality=70)
    app = SimdupApp(make_config(archive, directories=(archive, new_import)))
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()

        def shown() -> str:
            status = app.screen.query_one("#status")
            width, height = status.size
            strips = status.render_lines(Region(0, 0, width, height))
            return " ".join(strip.text.strip() for strip in strips)

        assert "1 marked" in shown(), shown()
        await pilot.resize_terminal(240, 30)
        await pilot.pause()
        await pilot.pause()
        assert f"{archive}, {new_import} · threshold" in shown()  # room again: in full


async def test_at_30_to_40_columns_the_status_line_is_never_cut_in_a_figure(
    tmp_path: Path,
) -> None:
    """A long folder, two clusters, marks: where even "…" and every part are too long for two
    lines, the first parts give way whole; the marks and their bytes are shown in full."""
    from textual.widgets import Static

    folder = tmp_path / "Holiday photos of summer in Ireland and Scotland"
    folder.mkdir()
    for seed in (1, 2):
        scene(seed).save(folder / f"{seed}a.jpg", quality=95)
        scene(seed).save(folder / f"{seed}b.jpg", quality=60)
    app = SimdupApp(make_config(folder))
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        await pilot.press("A")  # both clusters: "2 marked (… kB)"
        for width in (40, 33, 30):
            await pilot.resize_terminal(width, 12)
            await pilot.pause()
            await pilot.pause()
            status = app.screen.query_one("#status", Static)
            needed = status.get_content_height(status.size, app.size, status.content_size.width)
            assert needed <= status.content_size.height == 2, (width, status_text(app))
            marks = f"2 marked ({format_bytes(app.screen.review.marked_bytes)})"
            assert status_text(app).endswith(marks), (width, status_text(app))
