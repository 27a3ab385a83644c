"""Summaries: orientation, alpha, every mode, animated files and the JPEG draft decode."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from simdup_tui.core.decode import BACKGROUND
from simdup_tui.core.distance import difference
from simdup_tui.core.summary import (
    SIDE,
    SUMMARY_BYTES,
    summarise,
    summarise_image,
)

CLOSE = 0.02
"""Well under the 0.07 threshold: what a faithful summary of the same picture stays within."""
FAR = 0.1
"""Well over it: a different picture, or the same one read wrongly."""

ORIENTATION = 0x0112
# For each EXIF orientation, how the camera stored an upright picture (the inverse of what
# ImageOps.exif_transpose does to show it).
STORED_AS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def test_summary_records_the_file(make_photo) -> None:
    path = make_photo("beach.jpg", seed=1, size=(320, 240), quality=90)
    summary = summarise(path)
    info = os.stat(path)
    assert summary.path == path
    assert len(summary.pixels) == SUMMARY_BYTES
    assert (summary.width, summary.height, summary.format) == (320, 240, "JPEG")
    assert (summary.size, summary.mtime_ns) == (info.st_size, info.st_mtime_ns)
    assert summary.array().shape == (SIDE, SIDE, 3)


def test_copies_are_close_and_other_scenes_far(make_photo) -> None:
    original = summarise(make_photo("a.jpg", seed=1, quality=95))
    smaller = summarise(make_photo("a_small.jpg", seed=1, size=(160, 120), quality=60))
    png = summarise(make_photo("a.png", seed=1))
    other = summarise(make_photo("b.jpg", seed=2, quality=95))
    assert difference(original, smaller) < CLOSE
    assert difference(original, png) < CLOSE
    assert difference(original, other) > FAR


@pytest.mark.parametrize("orientation", sorted(STORED_AS))
def test_exif_orientation_is_applied(make_photo, tmp_path: Path, orientation: int) -> None:
    upright = summarise(make_photo("upright.jpg", seed=3, size=(320, 240), quality=95))
    stored = make_photo.image(seed=3, size=(320, 240)).transpose(STORED_AS[orientation])
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    tagged = tmp_path / "tagged.jpg"
    stored.save(tagged, quality=95, exif=exif)
    untagged = tmp_path / "untagged.jpg"
    stored.save(untagged, quality=95)

    summary = summarise(tagged)
    assert difference(summary, upright) < CLOSE
    assert (summary.width, summary.height) == (320, 240)
    # Without the tag the stored pixels really are a different picture: the test means something.
    assert difference(summarise(untagged), upright) > FAR


def test_alpha_is_composited_onto_the_background_not_dropped(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    rgba = np.zeros((240, 320, 4), dtype=np.uint8)
    rgba[:, :160, :3] = (30, 90, 160)
    rgba[:, :160, 3] = 255
    # The right half is fully transparent, over colours an exporter happened to leave there.
    rgba[:, 160:, :3] = rng.integers(0, 256, size=(240, 160, 3))
    first = tmp_path / "logo.png"
    Image.fromarray(rgba, "RGBA").save(first)
    rgba[:, 160:, :3] = 0
    second = tmp_path / "logo_black_under.png"
    Image.fromarray(rgba, "RGBA").save(second)

    a, b = summarise(first), summarise(second)
    assert difference(a, b) == 0.0  # what is hidden under transparency does not count
    # Columns well away from the edge, which the bicubic resize blends.
    assert (a.array()[:, 11:] == BACKGROUND).all()  # transparent shows the background, not black
    assert (a.array()[:, :5] == (30, 90, 160)).all()


def test_a_colour_key_transparency_is_flattened_like_alpha(tmp_path: Path) -> None:
    """A PNG whose transparency is a colour key (tRNS) looks like its RGBA twin."""
    pixels = np.zeros((64, 64, 3), dtype=np.uint8)
    pixels[:, :32] = (30, 90, 160)  # the right half is black: the key colour
    keyed = tmp_path / "keyed.png"
    Image.fromarray(pixels, "RGB").save(keyed, transparency=(0, 0, 0))
    rgba = np.dstack([pixels, np.where(pixels.any(axis=2), 255, 0).astype(np.uint8)])
    alpha = tmp_path / "alpha.png"
    Image.fromarray(rgba, "RGBA").save(alpha)
    assert difference(summarise(keyed), summarise(alpha)) == 0.0


def test_half_transparent_pixels_blend_with_the_background(tmp_path: Path) -> None:
    path = tmp_path / "veil.png"
    Image.new("RGBA", (64, 64), (0, 0, 0, 128)).save(path)
    values = summarise(path).array()
    expected = np.array(BACKGROUND) * (1 - 128 / 255)
    assert np.abs(values - expected).max() <= 2


MODES = ["L", "LA", "P", "RGBA", "CMYK", "I;16", "1"]
GREY_MODES = {"L", "LA", "I;16", "1"}


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_gives_an_rgb_summary_of_the_same_picture(make_photo, mode: str) -> None:
    extension = ".jpg" if mode == "CMYK" else ".png"  # where each mode is usually found
    path = make_photo(f"photo{extension}", seed=4, mode=mode)
    with Image.open(path) as image:
        assert image.mode == mode  # the file really is in that mode
    summary = summarise(path)
    assert len(summary.pixels) == SUMMARY_BYTES
    reference = make_photo("reference.png", seed=4, mode="L" if mode in GREY_MODES else "RGB")
    # 16-bit greys scaled, not clipped to white; CMYK not inverted; palettes and 1-bit close.
    assert difference(summary, summarise(reference)) < CLOSE


def test_palette_transparency_is_composited(tmp_path: Path) -> None:
    image = Image.new("P", (64, 64), 1)
    image.putpalette([0, 0, 0, 200, 40, 40] + [0] * 762)
    image.paste(0, (32, 0, 64, 64))  # right half: index 0, black in the palette, transparent
    path = tmp_path / "sticker.png"
    image.save(path, transparency=0)
    with Image.open(path) as reopened:
        assert reopened.mode == "P" and "transparency" in reopened.info
    values = summarise(path).array()
    assert (values[:, -4:] == BACKGROUND).all()
    assert (values[:, :4] == (200, 40, 40)).all()


def test_animated_gif_is_summarised_from_the_mean_of_its_frames(make_photo, tmp_path) -> None:
    first, second = make_photo.image(seed=6), make_photo.image(seed=7)
    path = tmp_path / "animation.gif"
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)
    with Image.open(path) as image:
        assert getattr(image, "n_frames", 1) == 2
    summary = summarise(path)
    mean = tmp_path / "mean.png"
    Image.blend(first, second, 0.5).save(mean)
    assert difference(summary, summarise(mean)) < CLOSE
    assert difference(summary, summarise(make_photo("first.png", seed=6))) > CLOSE


def test_jpeg_draft_decode_stays_close_to_a_full_decode(make_photo) -> None:
    path = make_photo("big.jpg", seed=8, size=(1600, 1200), quality=90)
    drafted = summarise(path)
    with Image.open(path) as image:
        full = summarise_image(image)
    assert difference(drafted.pixels, full) < 0.005
    # The reported size is the photo's, not the reduced decode's.
    assert (drafted.width, drafted.height) == (1600, 1200)


def test_rotated_jpeg_reports_its_upright_full_size(make_photo, tmp_path: Path) -> None:
    stored = make_photo.image(seed=9, size=(1200, 900)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    path = tmp_path / "portrait.jpg"
    stored.save(path, quality=90, exif=exif)
    summary = summarise(path)
    assert (summary.width, summary.height) == (1200, 900)
    upright = summarise(make_photo("upright.png", seed=9, size=(1200, 900)))
    assert difference(summary, upright) < CLOSE
