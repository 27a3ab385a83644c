"""A cluster's row says what `a` then `d` frees, and, where it fits, what marking by hand would
free more (the colour photo under a greyscale keeper, photos that look different up close)."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from simdup_tui.core.humanize import format_bytes
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.widgets.row_label import cluster_row_label

from .helpers import labels, make_config, scene, settle


def test_the_by_hand_figure_shortens_then_gives_way_never_the_figure() -> None:
    def row(width: int, marked: int = 1) -> str:
        text = cluster_row_label(4, marked, 6_900_000, by_hand=2_100_000, icon="▼ ", width=width)
        assert cell_len(text.plain) == width
        return text.plain

    assert row(60).endswith("6.9 MB to free +2.1 MB by hand")
    assert "1 marked" in row(60)
    assert row(46).endswith("6.9 MB to free +2.1 MB") and "1 marked" in row(46)
    assert row(40).endswith("6.9 MB to free") and "1 marked" in row(40)  # marks before extras
    assert row(40, marked=0).endswith("6.9 MB to free +2.1 MB")  # no count: room for it
    assert row(26).endswith("6.9 MB to free")
    plain = cluster_row_label(4, 0, 6_900_000, icon="▼ ", width=40).plain
    assert plain.endswith(" 6.9 MB to free") and "+" not in plain  # nothing left by `a`


async def test_the_row_promises_what_a_then_d_frees_at_80x24(tmp_path: Path) -> None:
    """A greyscale keeper (most pixels), a smaller grey copy `a` marks, and the colour original
    `a` leaves: the row's "to free" is the grey copy's bytes, the colour's are "by hand"."""
    folder = tmp_path / "pier"
    folder.mkdir()
    vivid = scene(22)
    vivid.save(folder / "pier.jpg", quality=90)
    vivid.convert("L").resize((640, 480)).save(folder / "pier_bw_big.jpg", quality=90)
    vivid.convert("L").save(folder / "pier_bw.jpg", quality=90)
    grey_copy = (folder / "pier_bw.jpg").stat().st_size
    colour = (folder / "pier.jpg").stat().st_size
    app = SimdupApp(make_config(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        (cluster,) = app.screen.review.clusters
        assert cluster.keeper.path.name == "pier_bw_big.jpg"
        row = labels(app)[0]
        width = app.screen.tree.scrollable_content_region.width
        assert cell_len(row) == width
        assert row.endswith(f"{format_bytes(grey_copy)} to free +{format_bytes(colour)}"), row
        await pilot.press("a")
        await pilot.press("d")
        await pilot.pause()
        title = str(app.screen.query_one("#confirm-title").content)
        assert f"1 file ({format_bytes(grey_copy)})" in title  # what the row promised
        await pilot.press("n")
