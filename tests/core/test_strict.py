"""The strict check: look-alikes the 16x16 test links are rejected, copies are kept, and it never
adds a pair. Animations are summarised from a mean of frames."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from simdup_tui.core import strict
from simdup_tui.core.animation import DECODE_BUDGET, SAMPLE_FRAMES, frame_indices
from simdup_tui.core.cache import SqliteSummaryCache
from simdup_tui.core.detail import DETAIL_BYTES
from simdup_tui.core.detail import SIDE as DETAIL_SIDE
from simdup_tui.core.distance import difference
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.review import Review
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.summary import SIDE, Summary, summarise

THRESHOLD = 0.07


def drawing(seed: int, scale: int = 1, width: int = 3) -> Image.Image:
    """Black strokes `width` px wide on white, on a 400x300 canvas times `scale`."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (400 * scale, 300 * scale), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        points = [tuple(rng.uniform((20, 20), (380, 280)) * scale) for _ in range(4)]
        draw.line(points, fill="black", width=width)
    return image


def page(seed: int) -> Image.Image:
    """A letter: one letterhead, then lines of words of their own lengths and breaks."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (300, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((25, 25, 275, 45), fill=(40, 40, 40))
    y = 65
    while y < 375:
        x, end = 25, (275 if rng.random() < 0.8 else rng.uniform(80, 275))
        while x < end:
            word = rng.uniform(10, 40)
            draw.rectangle((x, y, min(x + word, end), y + 5), fill=(30, 30, 30))
            x += word + 5
        y += 12 if rng.random() < 0.85 else 24
    return image


def symmetric_scene(make_photo) -> Image.Image:
    """A scene that is its own mirror image but for a few details on its left."""
    pixels = np.asarray(make_photo.image(seed=21, size=(320, 240)), dtype=np.int16)
    image = Image.fromarray(((pixels + pixels[:, ::-1]) // 2).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 50, 50, 80), fill=(250, 250, 20))
    draw.rectangle((60, 150, 85, 175), fill=(20, 20, 200))
    return image


def save(image: Image.Image, path: Path, **options: object) -> Summary:
    image.save(path, **options)
    return summarise(path)


def test_different_drawings_on_white_link_at_16x16_but_not_strictly(tmp_path: Path) -> None:
    a = save(drawing(1), tmp_path / "a.png")
    b = save(drawing(2), tmp_path / "b.png")
    copy = save(drawing(1).resize((200, 150)), tmp_path / "a-small.jpg", quality=85)
    assert difference(a, b) < THRESHOLD  # the false positive the strict check exists for
    assert strict.judge(a, b).reason == strict.STRUCTURE
    assert strict.judge(a, copy).same


def test_thin_strokes_on_a_large_drawing_are_seen_through_the_detail(make_photo, tmp_path) -> None:
    """At 2000x1500, 3 px strokes move the 8-bit summary by a level or two: the contrast-
    stretched detail (same decode, cached) still tells two drawings apart, and keeps a copy."""
    a = save(drawing(1, scale=5), tmp_path / "a.png")
    b = save(drawing(2, scale=5), tmp_path / "b.png")
    copy = save(drawing(1, scale=5).resize((1000, 750)), tmp_path / "copy.jpg", quality=85)
    assert difference(a, b) < 0.03
    assert len(a.detail) == len(b.detail) == len(copy.detail) == DETAIL_BYTES
    assert not strict.judge(a, b).same
    assert strict.judge(a, copy).same
    with SqliteSummaryCache(tmp_path / "cache") as cache:
        cache.put_many([a])
        assert cache.get(a.path, a.identity) == a  # the detail comes back from the cache
    assert (
        summarise(make_photo("photo.jpg", seed=3)).detail == b""
    )  # pictures with contrast keep none
    assert DETAIL_SIDE == SIDE


def test_pages_of_one_layout_are_rejected(tmp_path: Path) -> None:
    pages = [save(page(seed), tmp_path / f"page{seed}.png") for seed in (1, 2, 3)]
    linked = [(a, b) for i, a in enumerate(pages) for b in pages[i + 1 :]]
    assert any(difference(a, b) < THRESHOLD for a, b in linked)
    assert not any(strict.judge(a, b).same for a, b in linked)


def test_mirror_of_a_near_symmetric_scene_is_rejected(make_photo, tmp_path: Path) -> None:
    scene = symmetric_scene(make_photo)
    original = save(scene, tmp_path / "scene.jpg", quality=90)
    mirror = save(scene.transpose(Image.Transpose.FLIP_LEFT_RIGHT), tmp_path / "m.jpg")
    copy = save(scene.resize((240, 180)), tmp_path / "copy.jpg", quality=70)
    assert difference(original, mirror) < THRESHOLD
    assert strict.judge(original, mirror).reason == strict.MIRROR
    assert strict.judge(original, copy).same


def small_shapes(seed: int) -> Image.Image:
    """A soft, muted colour field with many small shapes (a meadow, a crowd)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(90, 170, size=(3, 4, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize((640, 480), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.uniform((0, 0), (640, 480))
        r = rng.uniform(8, 25)
        grey = int(rng.integers(40, 220))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(grey, grey, grey))
    return image


@pytest.mark.parametrize(
    "zoom_box", [(91, 69, 549, 411), (64, 48, 576, 432)], ids=["1.4x", "1.25x"]
)
def test_a_zoom_is_rejected_but_a_small_crop_is_not(tmp_path, zoom_box) -> None:
    scene = small_shapes(3)
    original = save(scene, tmp_path / "scene.jpg", quality=90)
    zoom = scene.crop(zoom_box).resize((640, 480), Image.Resampling.BICUBIC)
    zoomed = save(zoom, tmp_path / "zoom.jpg", quality=90)
    cropped = save(scene.crop((13, 10, 627, 470)), tmp_path / "crop.jpg", quality=90)
    assert difference(original, zoomed) < THRESHOLD
    assert strict.judge(original, zoomed).reason in (strict.ZOOM, strict.STRUCTURE)
    assert strict.judge(zoomed, original).reason in (strict.ZOOM, strict.STRUCTURE)
    assert strict.judge(original, cropped).same


def test_zoom_test_finds_an_enlarged_centre_of_a_soft_scene() -> None:
    """Soft scenes zoomed in keep a low structure difference; the zoom test catches them."""
    rng = np.random.default_rng(4)
    coarse = rng.integers(0, 256, size=(3, 3), dtype=np.uint8)
    soft = np.asarray(Image.fromarray(coarse, "L").resize((16, 16), Image.Resampling.BICUBIC))
    rows = np.arange(16)
    source = np.clip(2 + (rows + 0.5) * 12 / 16 - 0.5, 0, 15)  # the centre 12 of 16, enlarged
    left = np.floor(source).astype(int)
    weight = source - left
    right = np.minimum(left + 1, 15)
    horizontal = soft[:, left] * (1 - weight) + soft[:, right] * weight
    zoomed = horizontal[left] * (1 - weight[:, None]) + horizontal[right] * weight[:, None]

    def grey(values: np.ndarray) -> bytes:
        return np.repeat(values.round().astype(np.uint8)[..., None], 3, axis=-1).tobytes()

    verdict = strict.judge(grey(soft.astype(float)), grey(zoomed))
    assert verdict.structure < strict.STRUCTURE_LIMIT
    assert verdict.reason == strict.ZOOM
    assert strict.judge(grey(soft.astype(float)), grey(soft.astype(float))).same


def test_colour_cast_is_rejected_but_a_grey_copy_is_not(make_photo, tmp_path: Path) -> None:
    scene = make_photo.image(seed=5)
    rgb = np.asarray(scene, dtype=np.float32)
    warm = np.stack([rgb[..., 0] * 1.12 + 8, rgb[..., 1], rgb[..., 2] * 0.85], axis=-1)
    original = save(scene, tmp_path / "scene.jpg", quality=90)
    cast = save(Image.fromarray(np.clip(warm, 0, 255).astype(np.uint8)), tmp_path / "c.jpg")
    grey = save(scene.convert("L"), tmp_path / "grey.jpg", quality=90)
    assert strict.judge(original, cast).reason == strict.COLOUR
    assert strict.judge(original, grey).same


def fade_in(scene: Image.Image, frames: int = 10) -> list[Image.Image]:
    pixels = np.asarray(scene, dtype=np.float32)
    return [
        Image.fromarray((pixels * step / (frames - 1)).astype(np.uint8), "RGB")
        for step in range(frames)
    ]


def save_animation(frames: list[Image.Image], path: Path, **options: object) -> Summary:
    if path.suffix == ".gif":
        frames = [f.quantize(256, method=Image.Quantize.FASTOCTREE) for f in frames]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=80, loop=0, **options)
    return summarise(path)


def test_fade_in_animations_differ_and_a_reencoded_copy_matches(make_photo, tmp_path) -> None:
    first = save_animation(fade_in(make_photo.image(seed=1)), tmp_path / "one.gif")
    second = save_animation(fade_in(make_photo.image(seed=2)), tmp_path / "two.gif")
    copy = save_animation(fade_in(make_photo.image(seed=1)), tmp_path / "one.webp", quality=80)
    with Image.open(tmp_path / "one.gif") as image:  # both start on the same black frame
        assert not np.asarray(image.convert("RGB")).any()
    assert difference(first, second) > 0.1
    assert difference(first, copy) < 0.03


def test_frames_sampled_are_bounded_for_long_animations() -> None:
    assert frame_indices(1, 100) == [0]
    assert frame_indices(5, 100) == [0, 1, 2, 3, 4]
    big = frame_indices(100_000, 500 * 500)
    assert len(big) == SAMPLE_FRAMES
    assert (max(big) + 1) * 500 * 500 <= DECODE_BUDGET  # frames decoded to reach them
    spread = frame_indices(120, 100)
    assert spread[0] < 10 and spread[-1] > 100


@pytest.mark.parametrize("threshold", [0.03, 0.07, 0.15, 0.4])
def test_strict_never_adds_a_pair(threshold: float) -> None:
    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, size=(40, 768)).astype(np.int16)
    rows = np.concatenate([base, base + rng.integers(-25, 26, size=base.shape)])
    summaries = [
        Summary(
            Path(f"/p/{i}.jpg"),
            np.clip(r, 0, 255).astype(np.uint8).tobytes(),
            16,
            16,
            "JPEG",
            100 + i,
            i,
        )
        for i, r in enumerate(rows)
    ]
    plain = find_duplicates(summaries, threshold)
    checked = find_duplicates(summaries, threshold, strict=True)
    as_set = {(p.first.path, p.second.path) for p in plain.pairs}
    assert {(p.first.path, p.second.path) for p in checked.pairs} <= as_set
    assert len(checked.pairs) + len(checked.rejected_pairs) == len(plain.pairs)
    assert plain.rejected_pairs == ()


def test_a_leaves_members_that_look_different_unmarked(tmp_path: Path) -> None:
    keeper = save(drawing(1).resize((800, 600)), tmp_path / "a.png")  # most pixels: the keeper
    copy = save(drawing(1), tmp_path / "a-copy.png")
    other = save(drawing(2), tmp_path / "b.png")
    duplicates = find_duplicates([keeper, copy, other], THRESHOLD)
    (cluster,) = duplicates.clusters
    assert cluster.keeper is keeper
    assert {m.summary.path.name: m.looks_different for m in cluster.others} == {
        "a-copy.png": False,
        "b.png": True,
    }
    review = Review(tmp_path)
    review.apply_scan(ScanResult(tmp_path, (keeper, copy, other), ()))
    review.apply_duplicates(duplicates)
    review.mark_all_but_keeper(cluster)
    assert review.marked == {m.summary.path for m in cluster.others if not m.looks_different}
    assert review.is_all_but_keeper(cluster)
    strict_clusters = find_duplicates([keeper, copy, other], THRESHOLD, strict=True).clusters
    assert [len(c) for c in strict_clusters] == [2]
    # `p` on the other drawing: the flags are judged again against the new keeper.
    review.choose_keeper(cluster, other.path)
    (chosen,) = review.regrouped(duplicates.rules).clusters
    assert chosen.keeper is other
    assert all(m.looks_different for m in chosen.others)


def test_cli_strict_reports_what_it_left_out(tmp_path: Path, capsys) -> None:
    from simdup_tui.__main__ import main

    drawing(1).resize((800, 600)).save(tmp_path / "sketch.png")
    drawing(1).save(tmp_path / "sketch_copy.png")
    drawing(2).save(tmp_path / "other_sketch.png")
    assert main([str(tmp_path), "--json", "--pairs", "--no-cache"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert plain["strict"] is False and plain["rejected_pairs"] == []
    flags = {f["path"]: f["looks_different"] for c in plain["clusters"] for f in c["files"]}
    assert flags == {"sketch.png": False, "sketch_copy.png": False, "other_sketch.png": True}
    assert main([str(tmp_path), "--json", "--pairs", "--no-cache", "--strict"]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert checked["strict"] is True
    assert [sorted(f["path"] for f in c["files"]) for c in checked["clusters"]] == [
        ["sketch.png", "sketch_copy.png"]
    ]
    assert {p["a"] for p in checked["rejected_pairs"]} | {
        p["b"] for p in checked["rejected_pairs"]
    } >= {"other_sketch.png"}
    assert main([str(tmp_path), "--list", "--no-cache"]) == 0
    (flagged,) = [line for line in capsys.readouterr().out.splitlines() if "up close" in line]
    assert "other_sketch.png" in flagged and "(looks different up close)" in flagged
    assert main([str(tmp_path), "--list", "--no-cache", "--strict"]) == 0
    listing = capsys.readouterr().out
    assert "with the strict check" in listing
    assert "Left out by the strict check: 2 pairs." in listing
