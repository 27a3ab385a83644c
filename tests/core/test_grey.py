"""The grey-copy match: a greyscale photo and a colour photo are compared on brightness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from simdup_tui.core.cluster import make_cluster
from simdup_tui.core.clustering import build_clusters
from simdup_tui.core.distance import SCALE, difference, find_pairs
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.errors import TooManyPairsError
from simdup_tui.core.grey import (
    GREY_COPY,
    GREY_KEEPER,
    brute_force_grey_pairs,
    compare,
    grey_pairs,
    grey_rows,
    is_grey,
    luminance,
)
from simdup_tui.core.grey import find_pairs as find_grey_aware_pairs
from simdup_tui.core.summary import SIDE, summarise
from tests.conftest import photo_scene

THRESHOLD = 0.07


def sepia(image: Image.Image) -> Image.Image:
    """A sepia toning of the photo (a brown tint over its brightness)."""
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    toned = np.stack([grey * 1.07 + 20, grey * 0.74 + 30, grey * 0.43 + 20], axis=-1)
    return Image.fromarray(np.clip(toned, 0, 255).astype(np.uint8), "RGB")


def muted(image: Image.Image, saturation: float) -> Image.Image:
    """The photo with its colour scaled down to `saturation` (0 grey, 1 as it was)."""
    pixels = np.asarray(image, dtype=np.float32)
    mean = pixels.mean(axis=-1, keepdims=True)
    return Image.fromarray(np.clip(mean + (pixels - mean) * saturation, 0, 255).astype(np.uint8))


def with_chroma_noise(image: Image.Image, seed: int) -> Image.Image:
    """A greyscale picture stored as RGB with noisy chroma (a camera's black-and-white mode)."""
    rng = np.random.default_rng(seed)
    luma = np.asarray(image.convert("L"), dtype=np.float32)
    chroma = 128 + 1 + rng.normal(0, 6, size=(2, *luma.shape))  # a slight steady tint too
    ycc = np.clip(np.stack([luma, chroma[0], chroma[1]], axis=-1), 0, 255).astype(np.uint8)
    return Image.fromarray(ycc, "YCbCr").convert("RGB")


def line_drawing(seed: int, colour: str | tuple[int, int, int], mode: str) -> Image.Image:
    """Strokes 3 px wide on white: mostly white, so two drawings are close in brightness."""
    rng = np.random.default_rng(seed)
    image = Image.new(mode, (320, 240), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        draw.line([tuple(rng.uniform((20, 20), (300, 220))) for _ in range(3)], fill=colour,
                  width=3)  # fmt: skip
    return image


def save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


@pytest.fixture
def vivid_and_copies(tmp_path: Path) -> dict[str, Path]:
    """A vivid scene and its copies: greyscale (L and RGB with chroma noise), sepia, muted."""
    vivid = photo_scene(7)
    return {
        "vivid": save(vivid, tmp_path / "vivid.jpg", quality=90),
        "grey": save(vivid.convert("L"), tmp_path / "grey.jpg", quality=85),
        "grey_rgb": save(with_chroma_noise(vivid, 1), tmp_path / "grey_rgb.jpg", quality=75),
        "sepia": save(sepia(vivid), tmp_path / "sepia.jpg", quality=85),
        "muted": save(muted(vivid, 0.15), tmp_path / "muted.jpg", quality=85),
    }


def test_grey_pictures_are_told_from_toned_and_muted_colour(vivid_and_copies) -> None:
    summaries = {name: summarise(path) for name, path in vivid_and_copies.items()}
    assert is_grey(summaries["grey"]) and is_grey(summaries["grey_rgb"])
    for name in ("vivid", "sepia", "muted"):
        assert not is_grey(summaries[name]), name
    matrix = np.frombuffer(b"".join(s.pixels for s in summaries.values()), np.uint8)
    assert grey_rows(matrix.reshape(len(summaries), -1)).tolist() == [
        is_grey(s) for s in summaries.values()
    ]


def test_luminance_is_pillows_own_grey() -> None:
    rng = np.random.default_rng(3)
    matrix = rng.integers(0, 256, size=(40, SIDE * SIDE * 3), dtype=np.uint8)
    picture = Image.fromarray(matrix.reshape(40 * SIDE, SIDE, 3), "RGB")
    expected = np.asarray(picture.convert("L")).reshape(40, -1)
    assert np.array_equal(luminance(matrix), expected)


def test_a_grey_copy_is_found_kept_after_its_colour_original_and_labelled(
    vivid_and_copies,
) -> None:
    vivid, grey = summarise(vivid_and_copies["vivid"]), summarise(vivid_and_copies["grey"])
    assert difference(vivid, grey) > 0.15  # the tutorial's metric cannot see the copy
    found = find_duplicates([grey, vivid], THRESHOLD)
    (pair,) = found.pairs
    assert pair.grey_copy and pair.difference < 0.01
    (cluster,) = found.clusters
    assert cluster.keeper is vivid and cluster.why == "in colour"
    member = cluster.others[0]
    assert member.summary is grey and member.grey_copy
    assert member.grey_note == GREY_COPY and GREY_COPY in member.notes()
    # One number everywhere: the search, the cluster, compare(), make_cluster, build_clusters.
    assert member.difference == pair.difference == compare(vivid, grey).difference
    assert make_cluster([grey, vivid]).others[0].difference == member.difference
    assert make_cluster([grey, vivid]).others[0].grey_copy
    assert build_clusters([grey, vivid], [(0, 1)])[0].others[0].difference == member.difference
    # A grey keeper (chosen, or larger): the colour member says so, with the same number.
    around_grey = make_cluster([grey, vivid], keeper=grey)
    assert around_grey.others[0].grey_note == GREY_KEEPER
    assert around_grey.others[0].difference == member.difference


def test_more_pixels_still_come_before_colour(tmp_path: Path) -> None:
    vivid = photo_scene(7)
    small = summarise(save(vivid, tmp_path / "small.jpg", quality=90))
    large_grey = summarise(save(photo_scene(7, (640, 480)).convert("L"), tmp_path / "big.png"))
    cluster = make_cluster([small, large_grey])
    assert cluster.keeper is large_grey and cluster.why == "most pixels"
    assert cluster.others[0].grey_note == GREY_KEEPER


def test_no_grey_gives_the_tutorials_metric(vivid_and_copies) -> None:
    vivid, grey = summarise(vivid_and_copies["vivid"]), summarise(vivid_and_copies["grey"])
    found = find_duplicates([grey, vivid], THRESHOLD, grey=False)
    assert found.pairs == () and found.clusters == () and not found.grey
    assert make_cluster([grey, vivid], grey=False).others[0].difference == difference(vivid, grey)
    assert not make_cluster([grey, vivid], grey=False).others[0].grey_copy


def test_chroma_noise_grey_copy_matches_and_sepia_is_a_colour_picture(vivid_and_copies) -> None:
    """Sepia (and any toned or muted photo) is a colour picture: compared with the vivid
    original per channel, as the tutorial does, it is not found (its tone moves every pixel's
    colour); compared with the greyscale copy, on brightness, it is."""
    summaries = [summarise(path) for path in vivid_and_copies.values()]
    names = [path.stem for path in vivid_and_copies.values()]
    found = find_duplicates(summaries, THRESHOLD, strict=True)
    pairs = {frozenset((p.first.path.stem, p.second.path.stem)) for p in found.pairs}
    assert frozenset(("vivid", "grey_rgb")) in pairs and frozenset(("vivid", "grey")) in pairs
    assert frozenset(("vivid", "sepia")) not in pairs
    assert frozenset(("sepia", "grey")) in pairs
    # A muted copy (15% of the colour) is a colour picture too: far from the vivid one per
    # channel, close to the grey copies on brightness.
    assert frozenset(("vivid", "muted")) not in pairs
    assert frozenset(("muted", "grey")) in pairs
    assert names[0] == "vivid"


def test_strict_rejects_a_grey_photo_and_an_unrelated_colour_one_alike_in_brightness(
    tmp_path: Path,
) -> None:
    for seed in (1, 3, 5):
        grey = summarise(save(line_drawing(seed, "black", "L"), tmp_path / f"g{seed}.png"))
        colour = summarise(
            save(line_drawing(seed + 1, (200, 30, 30), "RGB"), tmp_path / f"c{seed}.png")
        )
        assert compare(grey, colour).on_brightness
        assert len(find_duplicates([grey, colour], THRESHOLD).pairs) == 1  # alike on brightness
        assert find_duplicates([grey, colour], THRESHOLD, strict=True).pairs == ()


def test_the_strict_check_confirms_grey_copies(vivid_and_copies) -> None:
    vivid = summarise(vivid_and_copies["vivid"])
    copies = [summarise(vivid_and_copies[name]) for name in ("grey", "grey_rgb")]
    found = find_duplicates([vivid, *copies], THRESHOLD, strict=True)
    assert len(found.clusters) == 1 and len(found.clusters[0]) == 3
    assert found.rejected_pairs == ()
    assert not any(member.looks_different for member in found.clusters[0].members)


def test_a_grey_copy_with_a_faint_tint_is_no_colour_cast(tmp_path: Path) -> None:
    """Red and blue 5 levels over green everywhere: still grey (GREY_SPREAD), and so exempt from
    the strict check's colour-cast test, though its mean |chroma| is over GREY_CHROMA."""
    for seed in (0, 1, 3):
        vivid = photo_scene(seed)
        luma = np.asarray(vivid.convert("L"), dtype=np.int16)
        tinted = np.clip(np.stack([luma + 5, luma, luma + 5], axis=-1), 0, 255).astype(np.uint8)
        copy = summarise(save(Image.fromarray(tinted), tmp_path / f"tinted{seed}.png"))
        original = summarise(save(vivid, tmp_path / f"vivid{seed}.png"))
        assert is_grey(copy)
        found = find_duplicates([original, copy], THRESHOLD, strict=True)
        assert len(found.pairs) == 1 and found.pairs[0].grey_copy


def greyish_matrix(count: int, seed: int) -> np.ndarray:
    """Smooth random summaries, a third of them grey: some grey copies of colour rows (their
    luminance, nudged), some grey of their own."""
    rng = np.random.default_rng(seed)
    base = rng.normal(128, 50, size=(count, 2, 2, 1)) + rng.normal(0, 30, size=(count, 2, 2, 3))
    field = base.repeat(SIDE // 2, axis=1).repeat(SIDE // 2, axis=2)
    matrix = np.clip(field + rng.normal(0, 6, field.shape), 0, 255).astype(np.uint8)
    matrix = matrix.reshape(count, -1)
    greys = rng.choice(count, count // 3, replace=False)
    luma = luminance(matrix[rng.integers(0, count, size=len(greys))]).astype(np.int16)
    luma = np.clip(luma + rng.integers(-8, 9, size=(len(greys), 1)), 0, 255)
    matrix[greys] = np.repeat(luma[:, :, None], 3, axis=2).reshape(len(greys), -1)
    return matrix


@pytest.mark.parametrize("seed", range(3))
def test_the_grey_search_equals_brute_force_at_the_boundary(seed: int) -> None:
    matrix = greyish_matrix(150, seed)
    greys = grey_rows(matrix)
    assert 0 < greys.sum() < len(matrix)
    everything = brute_force_grey_pairs(matrix, greys, 1.01)
    values = sorted({value for _, _, value in everything})
    picks = [values[k] for k in (0, len(values) // 100, len(values) // 20, len(values) // 3)]
    thresholds = {0.02, 0.07, 0.2, 1.0}
    for value in picks:  # exactly at a pair's difference (left out) and just either side
        thresholds.update({value, float(np.nextafter(value, 2)), float(np.nextafter(value, 0))})
    for threshold in sorted(thresholds):
        for workers in (1, 3):
            first, second, found = grey_pairs(matrix, greys, threshold, workers=workers)
            got = sorted(zip(first.tolist(), second.tolist(), found.tolist(), strict=True))
            assert got == [pair for pair in everything if pair[2] < threshold], threshold
    edge = picks[1]
    at_edge = [pair for pair in everything if pair[2] == edge]
    first, second, _ = grey_pairs(matrix, greys, edge)
    assert at_edge and not set(at_edge) & set(zip(first.tolist(), second.tolist(), strict=True))


def test_pairs_of_one_kind_keep_the_tutorials_metric() -> None:
    matrix = greyish_matrix(200, 7)
    (first, second, values), greys = find_grey_aware_pairs(matrix, THRESHOLD)
    assert np.array_equal(greys, grey_rows(matrix)) and bool((first < second).all())
    mixed = greys[first] != greys[second]
    plain = {(i, j, v) for i, j, v in find_pairs(matrix, THRESHOLD) if greys[i] == greys[j]}
    assert sorted(zip(first[~mixed].tolist(), second[~mixed].tolist(), values[~mixed].tolist(),
                      strict=True)) == sorted(plain)  # fmt: skip
    assert sorted(zip(first[mixed].tolist(), second[mixed].tolist(), values[mixed].tolist(),
                      strict=True)) == brute_force_grey_pairs(matrix, greys, THRESHOLD)  # fmt: skip
    # Without a grey row (or without a colour row, or any row) it is the tutorial's search.
    for subset in (matrix[~greys], matrix[greys], matrix[:0]):
        (first, second, values), _ = find_grey_aware_pairs(subset, THRESHOLD)
        assert sorted(zip(first.tolist(), second.tolist(), values.tolist(), strict=True)) == (
            find_pairs(subset, THRESHOLD)
        )
    with pytest.raises(TooManyPairsError):
        find_grey_aware_pairs(matrix, 0.5, max_pairs=len(plain))


def test_the_difference_of_a_grey_colour_pair_is_its_mean_brightness_difference() -> None:
    rng = np.random.default_rng(0)
    colour = rng.integers(0, 256, size=SIDE * SIDE * 3, dtype=np.uint8)
    grey = np.repeat(rng.integers(0, 256, size=SIDE * SIDE, dtype=np.uint8), 3)
    luma = luminance(np.stack([colour, grey])).astype(np.int64)
    mean = np.abs(luma[0] - luma[1]).mean() / 255
    result = compare(colour.tobytes(), grey.tobytes())
    assert result.on_brightness and result.difference == pytest.approx(mean, abs=1e-12)
    assert result.difference == 3 * int(np.abs(luma[0] - luma[1]).sum()) / SCALE
    assert not compare(colour.tobytes(), grey.tobytes(), grey=False).on_brightness
