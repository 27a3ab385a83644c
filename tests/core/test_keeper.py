"""Keeper rules: the camera original is kept, a link never wins a tie, --keep reorders, why."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.cluster import make_cluster
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.errors import SimdupError
from simdup_tui.core.keeper import (
    DEFAULT_ORDER,
    PRESETS,
    KeeperRules,
    next_preset,
    order_name,
    parse_keep,
)
from simdup_tui.core.scan import scan
from simdup_tui.core.summary import SUMMARY_BYTES, Summary

OLD = 1_500_000_000
NEW = 1_700_000_000


def camera_exif(taken: str = "2017:07:14 10:20:30") -> Image.Exif:
    """EXIF as a phone writes it: Make, Model and DateTimeOriginal."""
    exif = Image.Exif()
    exif[0x010F] = "Pixelphone"
    exif[0x0110] = "P7"
    exif.get_ifd(0x8769)[0x9003] = taken
    return exif


def fake(name: str, **facts: object) -> Summary:
    values: dict[str, object] = dict(width=100, height=100, size=1000, mtime_ns=0)
    values.update(facts)
    return Summary(Path("/p") / name, bytes(SUMMARY_BYTES), format="JPEG", **values)  # type: ignore[arg-type]


def test_camera_original_beats_a_larger_newer_resaved_copy(make_photo, tmp_path: Path) -> None:
    """The issue's case: the original (EXIF, smaller, older) lost to a bigger re-save."""
    original = make_photo("DCIM/IMG_0001.jpg", seed=1, size=(640, 480), quality=75)
    with Image.open(original) as image:
        image.load()
        image.save(original, quality=75, exif=camera_exif())
    copy = make_photo("DCIM/IMG_0001 copy 18.jpg", seed=1, size=(640, 480), quality=97)
    os.utime(original, (NEW, NEW))  # the capture date says older; the file time must not
    os.utime(copy, (OLD, OLD))  # an older mtime alone must not beat a camera original
    assert copy.stat().st_size > original.stat().st_size
    result = scan(tmp_path / "DCIM")
    by_name = {s.path.name: s for s in result.summaries}
    assert by_name["IMG_0001.jpg"].camera_original
    assert not by_name["IMG_0001 copy 18.jpg"].camera_original
    [cluster] = find_duplicates(result.summaries).clusters
    assert cluster.keeper.path == original
    assert cluster.why == "camera original"


def test_oldest_capture_time_decides_between_two_originals() -> None:
    later = fake("a.jpg", taken_ns=NEW * 10**9, camera="X", mtime_ns=1)
    earlier = fake("b.jpg", taken_ns=OLD * 10**9, camera="X", mtime_ns=9)
    cluster = make_cluster([later, earlier])
    assert cluster.keeper is earlier
    assert cluster.why == "oldest"


def test_a_symbolic_link_is_never_keeper_over_the_real_file(make_photo, tmp_path: Path) -> None:
    make_photo("elsewhere/beach.jpg", seed=1, quality=90)
    shutil.copy2(tmp_path / "elsewhere/beach.jpg", tmp_path / "elsewhere/beach_twin.jpg")
    folder = tmp_path / "album"
    folder.mkdir()
    # The link sorts first by name and path length: only the "real" rule can keep it out.
    shutil.copy2(tmp_path / "elsewhere/beach_twin.jpg", folder / "b_real_beach.jpg")
    (folder / "a.jpg").symlink_to(tmp_path / "elsewhere/beach.jpg")
    result = scan(folder)
    assert result.names[folder / "a.jpg"].is_link
    rules = KeeperRules(names=result.names)
    [cluster] = find_duplicates(result.summaries, rules=rules).clusters
    assert cluster.keeper.path == folder / "b_real_beach.jpg"
    assert "real file" in cluster.why
    assert cluster.reclaimable == 0  # deleting the link frees nothing


def test_keep_reorders_the_rules_and_why_names_the_deciding_ones() -> None:
    big_new = fake("big.jpg", width=200, size=10, mtime_ns=9)
    small_old = fake("small.jpg", width=100, size=90, mtime_ns=1)
    original = fake("orig.jpg", width=200, size=5, mtime_ns=9, camera="Cam")
    photos = [big_new, small_old, original]
    assert make_cluster(photos).keeper is original
    assert make_cluster(photos).why == "most pixels; tie: camera original"
    by_size = KeeperRules(order=parse_keep("size"))
    assert make_cluster(photos, rules=by_size).keeper is small_old
    assert make_cluster(photos, rules=by_size).why == "larger file"
    oldest = KeeperRules(order=parse_keep("oldest,pixels"))
    assert make_cluster(photos, rules=oldest).keeper is small_old


def test_parse_keep_fills_in_the_rest_and_refuses_unknown_names() -> None:
    assert parse_keep("size, path") == (
        "size",
        "path",
        "pixels",
        "colour",
        "original",
        "oldest",
        "real",
        "name",
    )
    assert parse_keep("pixels") == DEFAULT_ORDER
    assert parse_keep("colour")[:2] == ("colour", "pixels")
    with pytest.raises(SimdupError, match="unknown rule 'biggest'"):
        parse_keep("size,biggest")
    with pytest.raises(SimdupError):
        parse_keep(" , ")


def test_presets_cycle_and_have_names() -> None:
    order = DEFAULT_ORDER
    seen = []
    for _ in PRESETS:
        seen.append(order_name(order))
        order = next_preset(order)
    assert order == DEFAULT_ORDER and len(set(seen)) == len(PRESETS)
    assert order_name(("size", "name")) == "size,name"
    assert next_preset(("size", "name")) == DEFAULT_ORDER
