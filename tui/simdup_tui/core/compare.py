"""What the side-by-side compare needs about two photos: one scale, pixels decoded at that scale,
whether their bytes are identical, and why the keeper is the keeper."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from .cluster import keeper_rank
from .errors import UnreadablePhotoError
from .humanize import format_bytes
from .summary import IMAGE_ERRORS, Summary, describe_image_error, open_photo, upright_rgb

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


def keeper_reason(keeper: Summary, photo: Summary, *, chosen: bool = False) -> str:
    """Why `keeper` is kept rather than `photo`, following the keeper rule (cluster.keeper_rank):
    most pixels, then larger file, then older, then first by path; or the person chose it."""
    if keeper.path == photo.path:
        return "this is the keeper"
    if chosen or keeper_rank(photo) < keeper_rank(keeper):
        return "you chose it (p)"
    if keeper.pixel_count != photo.pixel_count:
        return f"most pixels ({_megapixels(keeper)} vs {_megapixels(photo)})"
    if keeper.size != photo.size:
        sizes = f"{format_bytes(keeper.size)} vs {format_bytes(photo.size)}"
        return f"larger file ({sizes})"
    if keeper.mtime_ns != photo.mtime_ns:
        return "older file (same pixels and size)"
    return "first by path (same pixels, size, age)"


def _megapixels(summary: Summary) -> str:
    megapixels = summary.pixel_count / 1e6
    if megapixels >= 1:
        return f"{megapixels:.1f} MP"
    return f"{summary.width}x{summary.height}"


def ceil_div(value: float, unit: float) -> int:
    """Cells needed for `value` pixels of `unit` pixels each."""
    return max(1, math.ceil(value / unit - 1e-9))


__all__ = [
    "UnreadablePhotoError",
    "ceil_div",
    "decode_at",
    "identical_bytes",
    "keeper_reason",
    "scaled_size",
    "shared_scale",
]
