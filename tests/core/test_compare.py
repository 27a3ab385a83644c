"""The facts the compare view shows: one scale, decoded size, identical bytes, why kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from simdup_tui.core.compare import (
    decode_at,
    identical_bytes,
    scaled_size,
    shared_scale,
)
from simdup_tui.core.errors import UnreadablePhotoError

from ..conftest import photo_scene


def test_one_scale_fits_the_larger_photo_and_shrinks_the_smaller_alike() -> None:
    scale = shared_scale([(4000, 3000), (2000, 1500)], (100, 60))
    assert scale == pytest.approx(0.02)  # 4000 wide into 100 columns: height 60 fits exactly
    assert scaled_size((4000, 3000), scale) == (80, 60)
    assert scaled_size((2000, 1500), scale) == (40, 30)
    assert shared_scale([], (10, 10)) == 0.0


def test_decode_at_gives_the_upright_photo_at_the_asked_size(tmp_path: Path) -> None:
    path = tmp_path / "turned.jpg"
    image = photo_scene(1, (400, 300))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: shown 300 wide, 400 high
    image.save(path, quality=90, exif=exif)
    decoded = decode_at(path, (30, 40))
    assert decoded.size == (30, 40) and decoded.mode == "RGB"


def test_decode_at_names_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    with pytest.raises(UnreadablePhotoError, match="not an image Pillow can read"):
        decode_at(broken, (10, 10))
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    with pytest.raises(UnreadablePhotoError, match="not a regular file"):
        decode_at(fifo, (10, 10))  # never blocks


def test_identical_bytes_compares_content_not_names(tmp_path: Path) -> None:
    one, two, three = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    one.write_bytes(b"x" * 3_000_000)
    two.write_bytes(b"x" * 3_000_000)
    three.write_bytes(b"x" * 2_999_999 + b"y")  # same size, last byte differs
    assert identical_bytes(one, two)
    assert not identical_bytes(one, three)
    assert not identical_bytes(one, tmp_path / "missing")
