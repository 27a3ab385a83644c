"""Clusters: connected components of close pairs, the keeper, and the order they are shown in."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from simdup_tui.core.cluster import connected_components, make_cluster
from simdup_tui.core.clustering import build_clusters
from simdup_tui.core.distance import difference
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.scan import scan
from simdup_tui.core.summary import SUMMARY_BYTES, Summary


def fake(
    name: str,
    *,
    shade: int = 100,
    width: int = 100,
    height: int = 100,
    size: int = 1000,
    mtime_ns: int = 0,
) -> Summary:
    """A summary without a file: a flat grey of the given shade."""
    return Summary(
        path=Path("/photos") / name,
        pixels=bytes([shade]) * SUMMARY_BYTES,
        width=width,
        height=height,
        format="JPEG",
        size=size,
        mtime_ns=mtime_ns,
    )


def keeper_of(*summaries: Summary) -> str:
    return make_cluster(list(summaries)).keeper.path.name


def test_keeper_has_the_most_pixels_even_if_its_file_is_smaller() -> None:
    big = fake("big.jpg", width=4000, height=3000, size=900_000)
    small = fake("small.jpg", width=2000, height=1500, size=2_000_000)
    assert keeper_of(small, big) == "big.jpg"


def test_keeper_then_largest_file() -> None:
    light = fake("light.jpg", size=500_000)
    heavy = fake("heavy.jpg", size=800_000)
    assert keeper_of(light, heavy) == "heavy.jpg"


def test_keeper_then_oldest() -> None:
    new = fake("a_new.jpg", mtime_ns=2_000_000_000_000_000_000)
    old = fake("b_old.jpg", mtime_ns=1_000_000_000_000_000_000)
    assert keeper_of(new, old) == "b_old.jpg"


def test_keeper_then_path() -> None:
    assert keeper_of(fake("b.jpg"), fake("a.jpg"), fake("c.jpg")) == "a.jpg"


def test_keeper_ranking_in_full() -> None:
    # Every rule matters in turn: pixels beat age, age beats size, size beats the name.
    photos = [
        fake("z.jpg", width=200, height=100, size=10, mtime_ns=9),  # most pixels
        fake("y.jpg", width=100, height=100, size=99, mtime_ns=5),
        fake("x.jpg", width=100, height=100, size=50, mtime_ns=1),
        fake("w.jpg", width=100, height=100, size=50, mtime_ns=5),
        fake("v.jpg", width=100, height=100, size=50, mtime_ns=5),
    ]
    order = []
    remaining = list(photos)
    while len(remaining) > 1:
        keeper = make_cluster(remaining).keeper
        order.append(keeper.path.name)
        remaining.remove(keeper)
    assert order == ["z.jpg", "x.jpg", "y.jpg", "v.jpg"]


def test_a_chain_is_cut_at_the_keeper() -> None:
    # A chain: keeper-near and near-far are close pairs, keeper-far is not.
    keeper = fake("keeper.jpg", shade=100, width=300)
    near = fake("near.jpg", shade=110)
    far = fake("far.jpg", shade=120)
    summaries = [far, near, keeper]
    pairs = find_duplicates(summaries, threshold=0.05).pairs
    assert {(p.first.path.name, p.second.path.name) for p in pairs} == {
        ("far.jpg", "near.jpg"),
        ("near.jpg", "keeper.jpg"),
    }
    [cluster] = find_duplicates(summaries, threshold=0.05).clusters
    # far differs from the keeper by 20/255 > 0.05: it is not offered for deletion.
    assert [m.summary.path.name for m in cluster.members] == ["keeper.jpg", "near.jpg"]
    assert [m.difference for m in cluster.members] == [0.0, pytest.approx(10 / 255)]
    for member in cluster.members:
        assert member.difference == difference(cluster.keeper, member.summary)


def test_clusters_ordered_by_bytes_their_non_keepers_take() -> None:
    # "a" has the biggest keeper but little to reclaim; "b" frees the most.
    a_keeper = fake("a1.jpg", shade=10, width=500, size=9_000_000)
    a_copy = fake("a2.jpg", shade=11, size=1_000)
    b_keeper = fake("b1.jpg", shade=100, width=500, size=10_000)
    b_copies = [fake(f"b{n}.jpg", shade=101, size=40_000) for n in (2, 3)]
    c_keeper = fake("c1.jpg", shade=200, width=500, size=10_000)
    c_copy = fake("c2.jpg", shade=201, size=50_000)
    summaries = [a_keeper, a_copy, b_keeper, *b_copies, c_keeper, c_copy]
    clusters = find_duplicates(summaries, threshold=0.02).clusters
    assert [c.keeper.path.name for c in clusters] == ["b1.jpg", "c1.jpg", "a1.jpg"]
    assert [c.reclaimable for c in clusters] == [80_000, 50_000, 1_000]


def test_connected_components_are_groups_of_two_or_more() -> None:
    groups = connected_components(7, [(0, 3), (3, 5), (1, 2), (5, 0)])
    assert sorted(sorted(group) for group in groups) == [[0, 3, 5], [1, 2]]
    assert connected_components(3, []) == []


def test_build_clusters_from_pairs_with_differences() -> None:
    photos = [fake(f"{n}.jpg", shade=n) for n in range(4)]
    clusters = build_clusters(photos, [(0, 1, 0.01), (2, 3, 0.01)])
    assert sorted(sorted(m.summary.path.name for m in c.members) for c in clusters) == [
        ["0.jpg", "1.jpg"],
        ["2.jpg", "3.jpg"],
    ]


# --- on real files -----------------------------------------------------------------------------


def test_original_kept_over_smaller_and_recompressed_copies(make_photo, tmp_path: Path) -> None:
    make_photo("IMG_0001.jpg", seed=1, size=(640, 480), quality=80)
    # A smaller copy saved at top quality: a bigger file, yet fewer pixels.
    make_photo("IMG_0001_small.jpg", seed=1, size=(480, 360), quality=100)
    make_photo("IMG_0001_copy.jpg", seed=1, size=(640, 480), quality=40)
    make_photo("other.jpg", seed=2)
    new = 1_900_000_000
    os.utime(tmp_path / "IMG_0001_copy.jpg", (new, new))  # newest and smaller
    assert (tmp_path / "IMG_0001_small.jpg").stat().st_size > (
        tmp_path / "IMG_0001.jpg"
    ).stat().st_size
    [cluster] = find_duplicates(scan(tmp_path).summaries).clusters
    assert cluster.keeper.path.name == "IMG_0001.jpg"
    assert sorted(m.summary.path.name for m in cluster.others) == [
        "IMG_0001_copy.jpg",
        "IMG_0001_small.jpg",
    ]
    assert all(0 < m.difference < 0.07 for m in cluster.others)


def test_heic_copy_is_found_and_clustered_with_its_jpeg(make_photo, tmp_path: Path) -> None:
    make_photo("IMG_1234.jpg", seed=3, size=(400, 300), quality=92)
    make_photo("IMG_1234.HEIC", seed=3, size=(400, 300), quality=80)
    make_photo("IMG_9999.heic", seed=4, size=(400, 300))
    result = scan(tmp_path)
    assert result.errors == ()
    by_name = {s.path.name: s for s in result.summaries}
    assert by_name["IMG_1234.HEIC"].format == "HEIF"
    assert (by_name["IMG_1234.HEIC"].width, by_name["IMG_1234.HEIC"].height) == (400, 300)
    [cluster] = find_duplicates(result.summaries).clusters
    assert sorted(m.summary.path.name for m in cluster.members) == ["IMG_1234.HEIC", "IMG_1234.jpg"]


def test_threshold_decides_membership(make_photo, tmp_path: Path) -> None:
    base = make_photo.image(seed=5)
    base.save(tmp_path / "base.png")
    brighter = np.clip(np.asarray(base, dtype=np.int16) + 13, 0, 255).astype(np.uint8)
    Image.fromarray(brighter, "RGB").save(tmp_path / "brighter.png")
    summaries = scan(tmp_path).summaries
    gap = difference(*summaries)
    assert 0.04 < gap < 0.06
    assert len(find_duplicates(summaries, 0.07).clusters) == 1
    assert find_duplicates(summaries, gap).clusters == ()  # strictly below the threshold
