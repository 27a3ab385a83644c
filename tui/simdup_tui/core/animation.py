"""A representative picture of an animated GIF, WebP or APNG: the mean of frames spread over it.

The first frame alone says little (many animations fade in from black). Seeking in these formats
decodes every frame on the way, so the frames sampled are spread over as much of the animation
as DECODE_BUDGET pixels allow: a short animation is sampled end to end, a long one over its
beginning, and no file costs more than about DECODE_BUDGET decoded pixels.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

ANIMATED_FORMATS = frozenset({"GIF", "WEBP", "PNG"})
"""Formats whose extra frames are an animation (MPO previews and TIFF pages are not)."""
SAMPLE_FRAMES = 8
"""Frames averaged at most."""
DECODE_BUDGET = 40_000_000
"""Decoded pixels at most to reach the sampled frames (about 130 frames of 640x480)."""
WORK_SIDE = 256
"""Each sampled frame is shrunk to fit this many pixels a side before averaging."""

UPRIGHT_TURN = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""EXIF orientation -> the turn that makes the photo upright (as ImageOps.exif_transpose);
decode.py uses it too."""


def is_animation(image: Image.Image) -> bool:
    """True for an animated GIF, WebP or PNG (APNG) with more than one frame."""
    return image.format in ANIMATED_FORMATS and bool(getattr(image, "is_animated", False))


def frame_indices(frame_count: int, frame_pixels: int) -> list[int]:
    """Which frames to average: up to SAMPLE_FRAMES, evenly spread over the reachable ones.

    >>> frame_indices(12, 640 * 480)
    [0, 2, 3, 5, 6, 8, 9, 11]
    """
    reach = max(1, min(frame_count, DECODE_BUDGET // max(1, frame_pixels)))
    count = min(SAMPLE_FRAMES, reach)
    return sorted({int((index + 0.5) * reach / count) for index in range(count)})


def representative_rgb(
    image: Image.Image, to_rgb: Callable[[Image.Image], Image.Image], orientation: int = 1
) -> Image.Image:
    """The mean of the sampled frames as an RGB image at most WORK_SIDE a side, upright.

    `to_rgb` flattens one frame (decode.to_rgb: alpha onto the background). A frame that
    cannot be decoded ends the sampling: the frames read so far stand for the animation (the
    first frame's own error propagates, as for a still image).
    """
    width, height = image.size
    scale = min(1.0, WORK_SIDE / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    total: np.ndarray | None = None
    count = 0
    for index in frame_indices(getattr(image, "n_frames", 1), width * height):
        try:
            image.seek(index)
            frame = to_rgb(image)
            small = frame.resize(size, Image.Resampling.BOX) if frame.size != size else frame
        except (OSError, EOFError, ValueError):
            if count == 0:
                raise
            break
        pixels = np.asarray(small, dtype=np.float32)
        total = pixels if total is None else total + pixels
        count += 1
    assert total is not None
    mean = Image.fromarray(np.clip(total / count + 0.5, 0, 255).astype(np.uint8), "RGB")
    method = UPRIGHT_TURN.get(orientation)
    return mean.transpose(method) if method is not None else mean
