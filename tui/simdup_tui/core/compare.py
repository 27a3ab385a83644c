"""What the side-by-side compare needs about two photos: one scale, pixels decoded at that scale,
and whether their bytes are identical (why the keeper is kept is Cluster.why)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from .errors import UnreadablePhotoError
from .summary import IMAGE_ERRORS, describe_image_error, open_photo, upright_rgb

CHUNK = 1 << 20
"""Bytes read at a time when comparing two files."""


def shared_scale(sizes: Sequence[tuple[int, int]], box: tuple[float, float]) -> float:
    """The one scale at which every (width, height) fits `box` (same units as the box).

    Photos compared side by side share it, so a photo with fewer pixels is drawn smaller.
    Returns 0.0 when there is nothing to fit.
    """
    scales = [min(box[0] / w, box[1] / h) for w, h in sizes if w > 0 and h > 0]
    return max(0.0, min(scales)) if scales else 0.0


def scaled_size(size: tuple[int, int], scale: float) -> tuple[int, int]:
    """(width, height) times scale, rounded, never below 1."""
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def decode_at(path: Path, size: tuple[int, int]) -> Image.Image:
    """The photo upright, as RGB, exactly `size` (width, height) pixels.

    JPEGs are decoded at the smallest reduced scale still at least `size` (a 12 MP photo for a
    terminal pane costs milliseconds). The file is opened with open_photo (never blocks on a
    FIFO, regular files only). Raises UnreadablePhotoError with a one-line reason.
    """
    width, height = max(1, size[0]), max(1, size[1])
    with open_photo(path) as (handle, _info):
        try:
            with Image.open(handle) as image:
                rgb = upright_rgb(image, draft=(width, height))
                if rgb.size != (width, height):
                    rgb = rgb.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
                return rgb
        except IMAGE_ERRORS as error:
            raise UnreadablePhotoError(describe_image_error(error)) from error


def identical_bytes(first: Path, second: Path) -> bool:
    """True when the two files hold the same bytes (sizes first, then content).

    A file that cannot be read counts as not identical (never raises).
    """
    try:
        if os.stat(first).st_size != os.stat(second).st_size:
            return False
        with open(first, "rb") as one, open(second, "rb") as two:
            while True:
                left, right = one.read(CHUNK), two.read(CHUNK)
                if left != right:
                    return False
                if not left:
                    return True
    except OSError:
        return False


def ceil_div(value: float, unit: float) -> int:
    """Cells needed for `value` pixels of `unit` pixels each."""
    return max(1, math.ceil(value / unit - 1e-9))


__all__ = [
    "UnreadablePhotoError",
    "ceil_div",
    "decode_at",
    "identical_bytes",
    "scaled_size",
    "shared_scale",
]
