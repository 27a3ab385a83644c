"""The compare view's pictures: the decode size and cells for a pair on one scale, and the
decoded pictures, cached (no widgets: the screen runs these in its workers)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ...core.compare import ceil_div, decode_at, scaled_size, shared_scale
from ...core.errors import UnreadablePhotoError
from ...core.summary import Summary
from ..graphics_mode import GraphicsMode
from ..sharp import SharpCache
from ..widgets.photo_side import cell_pixels

DECODERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="simdup-compare")
"""Decodes the two photos of a pair side by side."""

DECODED = SharpCache(capacity=16)
"""Decoded pictures by (path, size, mtime_ns, pixel size): going back to a photo is instant."""

Picture = tuple[np.ndarray | str, tuple[int, int]]
"""(pixels, or why they cannot be shown; the box in cells they are drawn in)."""
Job = tuple[Summary, tuple[int, int], tuple[int, int]]
"""(the photo, the pixel size to decode it at, the cells it is drawn in)."""


def jobs_for(
    photo: Summary, keeper: Summary, box: tuple[int, int], graphics: GraphicsMode
) -> list[Job]:
    """For each photo: the pixel size to decode it at and the cells it is drawn in, so that
    both fit `box` (columns, lines) at one scale."""
    cell = cell_pixels(graphics)
    sizes = [(photo.width, photo.height), (keeper.width, keeper.height)]
    scale = shared_scale(sizes, (box[0] * cell[0], box[1] * cell[1]))
    jobs = []
    for summary, size in zip((photo, keeper), sizes, strict=True):
        shown = (size[0] * scale, size[1] * scale)
        cells = (ceil_div(shown[0], cell[0]), ceil_div(shown[1], cell[1]))
        # Half-blocks draw each decoded pixel; a graphics protocol scales up by itself.
        pixels = scaled_size(size, scale if not graphics.real_pixels else min(1, scale))
        jobs.append((summary, pixels, cells))
    return jobs


def cache_key(summary: Summary, pixels: tuple[int, int]) -> tuple[Path, int, int, tuple[int, int]]:
    return (summary.path, summary.size, summary.mtime_ns, pixels)


VANISHED = "the file vanished since the scan"


def decoded(summary: Summary, pixels: tuple[int, int]) -> np.ndarray | str:
    """The photo at `pixels` (width, height) from the cache or the file, or why it cannot be."""
    key = cache_key(summary, pixels)
    cached = DECODED.get(key)
    if cached is None:
        try:
            cached = np.asarray(decode_at(summary.path, pixels), dtype=np.uint8)
        except UnreadablePhotoError as error:
            vanished = error.message == "file vanished"
            cached = VANISHED if vanished else error.message
        DECODED.put(key, cached)
    return cached


def gone_or_decoded(jobs: list[Job]) -> list[np.ndarray | str]:
    """The pictures of `jobs`, from the cache, but VANISHED for a file gone since: a picture
    cached before its file went must not show it as still there."""
    return [
        VANISHED if not summary.path.exists() else decoded(summary, pixels)
        for summary, pixels, _ in jobs
    ]
