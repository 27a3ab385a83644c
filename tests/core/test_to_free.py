"""A cluster's "to free" is what `a` then deleting frees: the photos `a` leaves (looks different
up close, the colour photo under a greyscale keeper) are counted apart, "by hand", in the tree
row, the sort, --list and --json alike."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from simdup_tui.__main__ import main
from simdup_tui.core.cluster import Cluster, Member
from simdup_tui.core.clustering import build_clusters
from simdup_tui.core.humanize import format_bytes
from simdup_tui.core.names import FileNames
from simdup_tui.core.review import Review
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.strict import annotate
from simdup_tui.core.summary import Summary

ROOT = Path("/p")
GREY = bytes(768)
COLOUR = bytes([200, 40, 40] * 256)


def photo(name: str, size: int, pixels: bytes = GREY) -> Summary:
    return Summary(ROOT / name, pixels, 100, 100, "JPEG", size, 0, inode=hash(name) % 10**6)


def mixed_cluster() -> Cluster:
    """A grey keeper; a plain copy (1,000 B), one that looks different (20,000 B), its colour
    original (300,000 B), a protected photo and a link (both free nothing)."""
    return Cluster(
        (
            Member(photo("keeper.jpg", 5_000), 0.0),
            Member(photo("plain.jpg", 1_000), 0.01),
            Member(photo("odd.jpg", 20_000), 0.02, looks_different=True),
            Member(photo("colour.jpg", 300_000, COLOUR), 0.03, grey_copy=True),
            Member(photo("guarded.jpg", 7_000), 0.04, protected=True),
            Member(photo("link.jpg", 9_000), 0.05, FileNames(is_link=True)),
        )
    )


def review_of(*clusters: Cluster) -> Review:
    review = Review(ROOT)
    photos = tuple(m.summary for c in clusters for m in c.members)
    review.apply_scan(ScanResult(ROOT, photos, ()))
    review.clusters = list(clusters)
    return review


def test_to_free_is_what_a_then_delete_frees_and_the_rest_is_by_hand() -> None:
    cluster = mixed_cluster()
    review = review_of(cluster)
    review.mark_all_but_keeper(cluster)
    assert review.marked_bytes == 1_000  # `a` marks plain.jpg and link.jpg (a link frees 0)
    assert cluster.reclaimable == review.marked_bytes == review.to_free(cluster)[0]
    assert cluster.by_hand == review.to_free(cluster)[1] == 320_000
    for name in ("odd.jpg", "colour.jpg"):  # marking by hand frees the rest
        review.toggle(cluster, next(m for m in cluster.members if m.summary.path.name == name))
    assert review.marked_bytes == cluster.reclaimable + cluster.by_hand


def test_with_a_filter_the_figure_counts_the_photos_a_marks() -> None:
    cluster = mixed_cluster()
    review = review_of(cluster)
    review.set_filter("o")  # shows odd.jpg and colour.jpg (and the keeper): `a` marks nothing
    assert review.to_free(cluster) == (0, 320_000)
    review.mark_all_but_keeper(cluster)
    assert review.marked_bytes == 0


def test_a_flagged_photo_moves_its_cluster_down_the_most_space_order() -> None:
    big_keeper, big_odd = photo("b_keeper.jpg", 900_000), photo("b_odd.jpg", 800_000, b"\1" * 768)
    small_keeper = photo("s_keeper.jpg", 3_000, b"\x50" * 768)
    small = photo("s_copy.jpg", 2_000, b"\x51" * 768)
    summaries = [big_keeper, big_odd, small_keeper, small]
    built = build_clusters(summaries, [(0, 1), (2, 3)])
    assert [c.keeper for c in built] == [big_keeper, small_keeper]  # 800 kB before 2 kB
    known = {(id(big_keeper), id(big_odd)): False, (id(small_keeper), id(small)): True}
    flagged = annotate(built, known)
    assert [c.keeper for c in flagged] == [small_keeper, big_keeper]
    assert [(c.reclaimable, c.by_hand) for c in flagged] == [(2_000, 0), (0, 800_000)]


def test_list_and_json_say_what_a_frees_and_what_is_left_by_hand(tmp_path, capsys) -> None:
    folder = tmp_path / "grey-keeper"
    folder.mkdir()
    vivid = Image.new("RGB", (64, 48))
    for x in range(64):
        for y in range(48):
            vivid.putpixel((x, y), (4 * x, 5 * y, 255 - 3 * x))
    vivid.save(folder / "pier.png")  # the colour original, fewer pixels than its grey copy
    vivid.convert("L").resize((128, 96)).save(folder / "pier_bw_big.png")
    colour_size = (folder / "pier.png").stat().st_size
    assert main([str(folder), "--json", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    (cluster,) = report["clusters"]
    assert cluster["keeper"] == "pier_bw_big.png"
    assert cluster["reclaimable"] == report["reclaimable"] == 0  # `a` leaves the colour photo
    assert cluster["reclaimable_by_hand"] == report["reclaimable_by_hand"] == colour_size
    assert main([str(folder), "--list", "--no-cache"]) == 0
    listed = capsys.readouterr().out
    assert f"1 cluster, 0 B to free +{format_bytes(colour_size)} by hand" in listed


def test_with_a_filter_most_space_first_follows_the_figures_shown() -> None:
    """The rows show what `a` frees among the photos the filter shows; the order "most space
    to free" must follow those figures, not the clusters' unfiltered totals."""
    big = Cluster(
        (
            Member(photo("beach.jpg", 900_000, b"\x10" * 768), 0.0),
            Member(photo("beach_copy.jpg", 800_000, b"\x10" * 768), 0.01),
            Member(photo("beach_x.jpg", 1_000, b"\x10" * 768), 0.01),
        )
    )
    mid = Cluster(
        (
            Member(photo("pier.jpg", 90_000, b"\x20" * 768), 0.0),
            Member(photo("pier_x.jpg", 50_000, b"\x20" * 768), 0.01),
        )
    )
    review = review_of(big, mid)
    assert [c.keeper.path.name for c in review.shown_clusters()] == ["beach.jpg", "pier.jpg"]
    review.set_filter("_x")  # shows beach_x.jpg (1,000 B) and pier_x.jpg (50,000 B)
    shown = review.shown_clusters()
    assert [review.to_free(c)[0] for c in shown] == [50_000, 1_000]
    review.set_filter("")
    assert [c.keeper.path.name for c in review.shown_clusters()] == ["beach.jpg", "pier.jpg"]


def test_json_files_add_up_to_the_clusters_figures(tmp_path, capsys) -> None:
    """A name with a hard link outside the folder and a symbolic link free nothing: each file
    says what deleting it frees and whether `a` leaves it, so the totals can be checked."""
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    picture = Image.effect_mandelbrot((160, 120), (-2, -1.2, 1, 1.2), 40).convert("RGB")
    picture.save(inside / "a.png")
    picture.save(outside / "b.png", optimize=True)
    (inside / "b_hard.png").hardlink_to(outside / "b.png")
    picture.resize((80, 60)).save(outside / "c.png")
    (inside / "c_link.png").symlink_to(outside / "c.png")
    picture.resize((100, 75)).save(inside / "d.png")
    assert main([str(inside), "--json", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    (cluster,) = report["clusters"]
    files = {f["path"]: f for f in cluster["files"]}
    assert files["b_hard.png"]["frees"] == 0 and files["b_hard.png"]["hard_links"] == 2
    assert files["c_link.png"]["frees"] == 0 and files["c_link.png"]["link"] is True
    assert files["d.png"]["frees"] == (inside / "d.png").stat().st_size
    others = cluster["files"][1:]
    assert cluster["reclaimable"] == sum(f["frees"] for f in others if not f["by_hand"])
    assert cluster["reclaimable_by_hand"] == sum(f["frees"] for f in others if f["by_hand"])
    assert cluster["reclaimable"] == (inside / "d.png").stat().st_size
