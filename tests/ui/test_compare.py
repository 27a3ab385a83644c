"""The compare view (c, or Enter on a photo): the photo beside its keeper, on one scale."""

from __future__ import annotations

import shutil
from pathlib import Path

from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.screens.compare import CompareScreen
from simdup_tui.ui.screens.main import MainScreen
from simdup_tui.ui.widgets.cluster_tree import FileRow
from simdup_tui.ui.widgets.photo_side import PhotoSide
from simdup_tui.ui.widgets.picture_box import Showing

from .helpers import labels, make_config, scene, settle


def side(app: SimdupApp, which: str) -> PhotoSide:
    return app.screen.query_one(f"#compare-{which}", PhotoSide)


def shown_text(app: SimdupApp) -> str:
    """Everything the compare screen says in words (title, captions, facts)."""
    parts = [str(app.screen.query_one("#compare-title").content)]
    for which in ("photo", "keeper"):
        for selector in (".side--caption", ".side--facts"):
            parts.append(str(side(app, which).query_one(selector).content))
        box = side(app, which).box
        if box.showing is Showing.MESSAGE:
            parts.append(box.message)
    return "\n".join(parts)


async def open_compare_on(app: SimdupApp, pilot, name: str, key: str = "c") -> None:
    await settle(app, pilot)
    tree = app.screen.tree
    tree.move_to(tree.node_for_path(app.screen.root / name))
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, CompareScreen)


def check_one_scale(app: SimdupApp, size: tuple[int, int]) -> None:
    photo, keeper = side(app, "photo"), side(app, "keeper")
    small, large = photo.picture.pixels, keeper.picture.pixels
    assert small is not None and large is not None
    # beach_small is 160x120 and its keeper beach.jpg 320x240: half as wide on one scale.
    assert abs(small.shape[1] * 2 - large.shape[1]) <= 2
    assert abs(small.shape[0] * 2 - large.shape[0]) <= 2
    # As large as the box allows: the keeper fills its box's width or height.
    columns, lines = keeper.picture_box
    assert large.shape[1] <= columns and (large.shape[0] + 1) // 2 <= lines
    assert large.shape[1] >= columns - 1 or (large.shape[0] + 1) // 2 >= lines - 1
    for picture in (photo.picture, keeper.picture):  # drawn whole, inside the screen
        region = picture.region
        assert region.right <= size[0] and region.bottom <= size[1] - 1
    text = shown_text(app)
    assert "160 x 120 px" in text and "320 x 240 px" in text
    assert "beach_small.jpg" in text and "beach.jpg" in text
    assert "difference 0.0" in text
    assert "kept: most pixels" in text
    assert "modified 20" in text and "taken" not in text and "no camera named" in text
    assert "identical bytes" not in text


async def test_photo_and_keeper_side_by_side_on_one_scale_at_80x24_and_120x40(
    gallery: Path,
) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_compare_on(app, pilot, "beach_small.jpg")
        check_one_scale(app, (80, 24))
        small_box = side(app, "keeper").picture.pixels.shape
        await pilot.resize_terminal(120, 40)  # the pair is decoded again for the larger box
        await settle(app, pilot)
        check_one_scale(app, (120, 40))
        assert side(app, "keeper").picture.pixels.shape[1] > small_box[1]


async def test_keys_mark_keep_move_and_come_back(gallery: Path) -> None:
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare_on(app, pilot, "beach_copy.jpg", key="enter")  # Enter on a photo
        assert app.screen.photo.path.name == "beach_copy.jpg"
        screen = app.screen
        first, position = screen.photo.path, screen.position
        await pilot.press("space")
        assert screen.review.is_marked(first)
        assert "[x] marked for deletion" in shown_text(app)
        await pilot.press("j")  # next photo in the cluster
        await settle(app, pilot)
        second = screen.photo.path
        assert second != first and screen.position == (position + 1) % 3
        assert f"photo {screen.position + 1} of 3" in shown_text(app)
        await pilot.press("p")  # keep this one instead: the old keeper moves to the left
        await settle(app, pilot)
        assert screen.keeper.path == second
        old_keeper = screen.photo.path
        assert old_keeper not in (first, second)
        assert "kept: chosen by you (p)" in shown_text(app)
        await pilot.press("J")  # next cluster
        await settle(app, pilot)
        assert "cluster 2 of 2" in shown_text(app)
        assert screen.keeper.path.name.startswith("forest")
        await pilot.press("J")  # there is none after it: said, not silent
        await pilot.pause()
        assert any("last cluster" in n.message for n in app._notifications)
        await pilot.press("K")
        last = screen.photo.path
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        rows = labels(app)
        assert any(row.startswith(f"[K] {second.name}") for row in rows)  # the keeper changed
        assert any(row.startswith(f"[x] {first.name}") for row in rows)  # the mark is there
        assert any(cluster.keeper.path == second for cluster in app.screen.review.clusters)
        cursor = app.screen.tree.cursor_node.data
        assert isinstance(cursor, FileRow) and cursor.path == last


async def test_identical_bytes_are_said_and_a_damaged_file_says_why(gallery: Path) -> None:
    shutil.copyfile(gallery / "forest.png", gallery / "forest copy.png")  # newer: not kept
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare_on(app, pilot, "forest copy.png")
        assert app.screen.keeper.path.name == "forest.png"
        text = shown_text(app)
        assert "identical bytes" in text
        assert "kept: oldest" in text  # Cluster.why, from the keeper rules
        await pilot.press("j")  # forest.jpg: same pixels, other bytes
        await settle(app, pilot)
        assert "identical bytes" not in shown_text(app)
        (gallery / "beach_copy.jpg").write_bytes(b"not a photo any more")  # since the scan
        await pilot.press("escape")
        await open_compare_on(app, pilot, "beach_copy.jpg")
        assert "cannot show this file: not an image Pillow can read" in shown_text(app)
        assert side(app, "keeper").picture.pixels is not None  # the keeper still shows


async def test_a_long_folder_is_cut_in_the_middle_and_never_hides_the_facts_below(
    tmp_path: Path,
) -> None:
    """At 80x24 a deep phone-backup folder must not wrap and push the difference or the
    keeper's reason out of the facts box; the folder keeps its start and its deepest part."""
    deep = tmp_path / "NAS backup of everything" / "WhatsApp" / "Media" / "WhatsApp Images"
    deep = deep / "Sent"
    deep.mkdir(parents=True)
    scene(1).save(deep / "IMG-1.jpg", quality=95)
    scene(1).resize((160, 120)).save(deep / "IMG-1 small.jpg", quality=90)
    app = SimdupApp(make_config(tmp_path, recursive=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        for which in ("photo", "keeper"):
            facts = side(app, which).query_one(".side--facts")
            lines = str(facts.content).splitlines()
            folder = next(line for line in lines if line.startswith("folder "))
            assert "…" in folder and folder.endswith("…/Sent"), folder
            assert folder.startswith(("folder /", "folder ~")) and len(folder) <= 37, folder
            assert len(lines) <= facts.size.height  # nothing pushed out of the box
        text = shown_text(app)
        assert "difference 0.0" in text and "kept: most pixels" in text
        assert "name IMG-1 small.jpg" in text and "name IMG-1.jpg" in text


async def test_opened_again_it_shows_the_new_photo_never_the_last_ones(gallery: Path) -> None:
    """The screen is kept between opens (composed once): a second open must show its own
    pair, words and pictures, with nothing left from the first (a keeper chosen there, marks)."""
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare_on(app, pilot, "beach_copy.jpg")
        first_open = app.screen
        beach_pixels = side(app, "photo").picture.pixels.copy()
        await pilot.press("p")  # beach_copy becomes the keeper, here and behind
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        await open_compare_on(app, pilot, "forest.jpg")
        assert app.screen is first_open  # the same screen, shown again
        text = shown_text(app)
        assert "forest.jpg" in text and "forest.png" in text and "beach" not in text
        assert "chosen by you" not in text and "cluster 2 of 2" in text
        assert side(app, "photo").showing_sharp and side(app, "keeper").showing_sharp
        forest_pixels = side(app, "photo").picture.pixels
        assert forest_pixels.shape != beach_pixels.shape or (forest_pixels != beach_pixels).any()
        await pilot.press("space")  # marks this open's photo, not the first's
        assert app.screen.review.is_marked(gallery / "forest.jpg")
        assert not app.screen.review.is_marked(gallery / "beach.jpg")
        await pilot.press("escape")
        await settle(app, pilot)
        assert any(row.startswith("[x] forest.jpg") for row in labels(app))


async def test_composed_while_idle_the_first_open_shows_the_photo_asked_for(
    gallery: Path,
) -> None:
    app = SimdupApp(make_config(gallery, prepare_views=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        main = app.screen
        prepared = main._compare_screen
        assert prepared is not None and prepared.is_mounted  # before any key, off screen
        assert not prepared.is_current and not app.workers  # and nothing decoded for it
        await open_compare_on(app, pilot, "forest.jpg")
        assert app.screen is prepared
        text = shown_text(app)
        assert "forest.jpg" in text and "beach" not in text
        assert side(app, "photo").showing_sharp and side(app, "keeper").showing_sharp
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is main


async def test_a_file_gone_since_its_picture_was_cached_is_said_gone(gallery: Path) -> None:
    """Pictures seen once come from a cache; opened again after the file was deleted outside
    the app, the view must not show it sharp as if it were still there."""
    app = SimdupApp(make_config(gallery))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare_on(app, pilot, "forest.jpg")
        assert side(app, "photo").showing_sharp
        await pilot.press("escape")
        await settle(app, pilot)
        (gallery / "forest.jpg").unlink()
        await open_compare_on(app, pilot, "forest.jpg")
        assert "cannot show this file: the file vanished since the scan" in shown_text(app)
        assert side(app, "keeper").showing_sharp  # the keeper is still there, and shown
