"""Rows readable at 80x24: the mark, the name shortened in the middle, figures always aligned."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.widgets.row_label import cluster_row_label, file_row_label, shorten_middle
from simdup_tui.ui.widgets.tree_rows import KEEPER_GREY, LOOKS_DIFFERENT, LOOKS_DIFFERENT_STYLE

from .helpers import labels, make_config, scene, settle

LONG = "WhatsApp/Media/WhatsApp Images/Sent/IMG-20230412-WA0001.jpg"


def test_shorten_middle_keeps_the_path_start_and_the_whole_file_name() -> None:
    assert shorten_middle(LONG, 80) == LONG
    assert shorten_middle(LONG, 40) == "WhatsApp/Media/…/IMG-20230412-WA0001.jpg"
    short = shorten_middle(LONG, 26)
    assert short.endswith("/IMG-20230412-WA0001.jpg") and short.startswith("W")
    name_only = shorten_middle(LONG, 14)  # the name alone is too long: its start and its end
    assert name_only.startswith("IMG-") and name_only.endswith(".jpg") and "…" in name_only


@given(st.text(min_size=0, max_size=60), st.integers(min_value=0, max_value=70))
def test_shorten_middle_never_overflows(path: str, cells: int) -> None:
    assert cell_len(shorten_middle(path, cells)) <= cells


def test_a_photo_row_keeps_its_figures_at_the_right_edge() -> None:
    rows = [
        file_row_label(
            name, marked=marked, is_keeper=keeper, difference=0.0123, size=size,
            dimensions=(4000, 3000), width=37,
        ).plain
        for name, marked, keeper, size in [
            (LONG, False, True, 3_400_000),
            ("a.jpg", True, False, 512),
            ("日本語の写真ファイル名がとても長い.jpg", False, False, 12_300),
        ]
    ]  # fmt: skip
    assert [cell_len(row) for row in rows] == [37, 37, 37]
    assert rows[0].startswith("[K] ") and rows[0].endswith("  keep    3.4 MB")
    assert rows[1].startswith("[x] a.jpg") and rows[1].endswith("0.0123     512 B")
    assert rows[2].endswith("0.0123   12.3 kB") and ".jpg" in rows[2]
    # the columns line up: the difference ends at the same place on every row
    assert len({cell_len(row.rsplit("  ", 1)[0].rstrip()) for row in rows}) == 1


def test_why_a_file_failed_stays_whole_the_name_and_then_the_figures_give_way() -> None:
    def row(width: int) -> str:
        return file_row_label(
            "beach_copy.jpg", marked=True, is_keeper=False, difference=0.01, size=2000,
            dimensions=(10, 10), note="failed: changed since scan", width=width,
        ).plain  # fmt: skip

    assert row(80).startswith("[x] beach_copy.jpg failed: changed since scan")
    assert row(80).endswith("0.0100    2.0 kB      10x10")
    assert row(60).startswith("[x] beach_copy.jpg failed: changed since scan")
    assert row(60).endswith("0.0100") and "kB" not in row(60)  # the size gave way first
    assert row(40).startswith("[x] beach_copy.jpg failed: changed si")  # why, cut with …
    assert row(40).endswith("…") and len(row(40)) == 40


def test_a_flag_is_cut_before_the_figures_give_way() -> None:
    """A photo `a` leaves ("looks different up close", "keeper greyscale") is counted "+Y by
    hand" on its cluster's row: its own row keeps its difference and size at 80x24 (a photo's
    row is 37 columns there) and at 60 columns, the flag shortened with '…' instead."""
    for note in (LOOKS_DIFFERENT, KEEPER_GREY):
        for width in (37, 46, 55):
            row = file_row_label(
                "c_draw2.png", marked=False, is_keeper=False, difference=0.031, size=2714,
                dimensions=(320, 240), note=note, note_style=LOOKS_DIFFERENT_STYLE,
                width=width, flag=True,
            ).plain  # fmt: skip
            assert cell_len(row) == width
            assert row.endswith("0.0310    2.7 kB"), (note, width, row)
            assert note[:4] in row, (note, width, row)  # the flag stays, cut if need be


def test_a_cluster_row_says_what_its_figure_is() -> None:
    row = cluster_row_label(4, 1, 6_900_000, icon="▼ ", width=40).plain
    assert row.startswith("▼ 4 photos · 1 marked") and row.endswith("6.9 MB to free")
    assert cell_len(row) == 40
    narrow = cluster_row_label(12, 11, 6_900_000, icon="▼ ", width=26).plain
    assert narrow.endswith("6.9 MB to free")  # the marked count gives way, not the figure


def test_the_bytes_to_free_are_never_cut_however_narrow() -> None:
    """In a narrow terminal (the tree is at least 29 columns) the number stays whole: '999.4…'
    would claim a figure that is not the one computed."""
    for width in (32, 29, 26, 22, 16, 12):
        row = cluster_row_label(1234, 56, 999_400_000, by_hand=5_000_000, icon="▼ ✓ ", width=width)
        assert cell_len(row.plain) == width
        assert row.plain.endswith(" 999.4 MB") or row.plain.endswith(" 999.4 MB to free"), row
    assert cluster_row_label(12, 0, 6_900_000, icon="▼ ", width=29).plain.endswith("6.9 MB to free")


async def test_long_names_at_80x24_show_difference_and_size(tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    deep = folder / "WhatsApp" / "Media" / "WhatsApp Images" / "Sent"
    deep.mkdir(parents=True)
    picture = scene(1, (320, 240))
    picture.save(deep / "IMG-20230412-WA0001-with-a-long-name.jpg", quality=90)
    picture.save(folder / "IMG_20230412_101502.jpg", quality=95)
    app = SimdupApp(make_config(folder, recursive=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        rows = labels(app)
        tree_width = app.screen.tree.scrollable_content_region.width
        assert rows[0].endswith("to free")
        photos = rows[1:]
        assert len(photos) == 2
        for row in photos:
            assert cell_len(row) == tree_width - 2  # the guide takes two columns
            assert row.rstrip().endswith("kB")
        assert any(row.split()[-3] == "keep" for row in photos)
        assert any("…" in row and "jpg" in row for row in photos)


async def test_next_cluster_comes_into_view_with_its_photos(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for seed in range(12):  # 12 clusters of 3 photos: 48 rows, far more than 24 lines
        picture = scene(100 + seed, (64, 48))
        for copy in range(3):
            picture.save(folder / f"s{seed:02}_{copy}.jpg", quality=95 - 10 * copy)
    app = SimdupApp(make_config(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        tree = app.screen.tree
        assert len(tree.root.children) == 12
        for number in range(1, 8):
            await pilot.press("J" if number % 2 else "tab")
            await pilot.pause()
            cluster = tree.cursor_node
            assert cluster is tree.root.children[number]
            # its row at the top (near the end, as near the top as the tree scrolls)
            assert tree.scroll_offset.y == min(cluster.line, tree.max_scroll_y)
            last = cluster.children[-1].line
            assert last < tree.scroll_offset.y + tree.scrollable_content_region.height
        await pilot.press("K", "K")
        await pilot.pause()
        assert tree.scroll_offset.y == tree.cursor_node.line == tree.root.children[5].line
