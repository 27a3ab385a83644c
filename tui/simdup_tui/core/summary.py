"""Summarise a photo into the tutorial's 16x16 RGB thumbnail, plus what we know about its file.

The Summary value object and summarise(); the file is opened by photo_file.py, decoded by
decode.py, and its capture date and camera come from exif.py.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from .animation import is_animation, representative_rgb
from .decode import (
    IMAGE_ERRORS,
    describe_image_error,
    exif_orientation,
    take_decode_share,
    to_rgb,
    upright_rgb,
    upright_size,
)
from .detail import describe_detail
from .errors import UnreadablePhotoError
from .exif import exif_facts
from .identity import FileIdentity
from .photo_file import open_photo

SIDE = 16
"""A summary is SIDE x SIDE pixels."""
SUMMARY_BYTES = SIDE * SIDE * 3
"""768 bytes: 16 x 16 pixels x RGB."""
SUMMARY_VERSION = 4
"""Bumped whenever summarise() would give different bytes, so cached summaries are recomputed.
3: photos above REDUCE_ABOVE_PIXELS that have no reduced-scale decoding are shrunk first.
4: animated GIF/WebP/APNG summarised from a mean of frames (other pictures' pixels unchanged);
the strict check's detail of low-contrast pictures added."""
DRAFT_MIN_SIDE = 128
"""JPEG reduced-scale decoding never goes below this many pixels a side, so the resize has enough
input to stay faithful to a full decode (parity with the tutorial holds with 1/8 scale)."""
REDUCE_ABOVE_PIXELS = 16_000_000
"""A photo that cannot be decoded at a reduced scale (PNG, TIFF, WebP...) with more pixels than
this is shrunk by a whole factor before it is oriented and flattened."""


@dataclass(frozen=True, slots=True)
class Summary:
    """One photo: its 16x16 summary and the facts about its file that ranking and deletion need."""

    path: Path
    """Absolute path of the photo."""
    pixels: bytes = field(repr=False)
    """768 bytes, row-major RGB."""
    width: int
    """Width in pixels after EXIF orientation."""
    height: int
    """Height in pixels after EXIF orientation."""
    format: str
    """Pillow's format name (JPEG, PNG, HEIF...)."""
    size: int
    """File size in bytes when it was summarised."""
    mtime_ns: int
    """Modification time in nanoseconds when it was summarised."""
    device: int = 0
    """st_dev of the file that was read (0 when unknown, as in hand-made summaries)."""
    inode: int = 0
    """st_ino of the file that was read (0 when unknown)."""
    ctime_ns: int = 0
    """st_ctime_ns of the file that was read (0 when unknown)."""
    taken_ns: int | None = None
    """EXIF DateTimeOriginal in nanoseconds since the epoch (its OffsetTimeOriginal applied, else
    read as local time); None when the photo has no capture date."""
    camera: str = ""
    """EXIF Make and Model, "Make Model" ("" when the photo names no camera)."""
    detail: bytes = field(default=b"", repr=False)
    """For a low-contrast picture (a drawing, a page), its 16x16 luminance stretched to 0..255
    (256 bytes), which the strict check compares; b"" for every other picture (detail.py)."""

    @property
    def pixel_count(self) -> int:
        return self.width * self.height

    @property
    def identity(self) -> FileIdentity:
        """The file as it was when read: what deleting it later must find again."""
        return FileIdentity(self.device, self.inode, self.size, self.mtime_ns, self.ctime_ns)

    @property
    def camera_original(self) -> bool:
        """True when EXIF says a camera took it (a capture date, or a make or model)."""
        return self.taken_ns is not None or bool(self.camera)

    @property
    def mtime(self) -> float:
        return self.mtime_ns / 1e9

    def array(self) -> np.ndarray:
        """The summary as a (16, 16, 3) uint8 array (read-only view)."""
        return np.frombuffer(self.pixels, dtype=np.uint8).reshape(SIDE, SIDE, 3)


def summarise(path: str | os.PathLike[str]) -> Summary:
    """Read one photo and summarise it; raise UnreadablePhotoError with a one-line reason.

    The file is opened without blocking and checked with fstat after the open, so a FIFO or a
    device put where a photo was never hangs the scan, and the identity recorded (device, inode,
    size, times) is that of the very file that was decoded.
    """
    path = Path(path)
    with open_photo(path) as (handle, info):
        if info.st_size == 0:
            raise UnreadablePhotoError("empty file (0 bytes)")
        try:
            # The budget share is released after the image is closed (its pixels freed).
            with contextlib.ExitStack() as budget, Image.open(handle) as image:
                size = take_decode_share(image, budget, _draft_size)
                width, height, pixels, detail = _summarise_open_image(image, size=size)
                image_format = image.format or "unknown"
                taken_ns, camera = exif_facts(image)
        except IMAGE_ERRORS as error:
            raise UnreadablePhotoError(describe_image_error(error)) from error
    return Summary(
        path=path,
        pixels=pixels,
        width=width,
        height=height,
        format=image_format,
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        device=info.st_dev,
        inode=info.st_ino,
        ctime_ns=info.st_ctime_ns,
        taken_ns=taken_ns,
        camera=camera,
        detail=detail,
    )


def summarise_image(image: Image.Image) -> bytes:
    """Summarise an already opened image (no draft decoding): the tutorial's resize, made total."""
    return _summarise_open_image(image, use_draft=False)[2]


def _summarise_open_image(
    image: Image.Image, use_draft: bool = True, size: tuple[int, int] | None = None
) -> tuple[int, int, bytes, bytes]:
    """Orient, flatten to RGB and resize; return the oriented full size, the 768 bytes and the
    strict check's detail (same decode). `size`: the upright full size when already known (a
    JPEG set to draft reports less). An animation is represented by the mean of a few of its
    frames (animation.py)."""
    width, height = size if size is not None else upright_size(image)
    if is_animation(image):
        rgb = representative_rgb(image, to_rgb, exif_orientation(image))
    else:
        draft = _draft_size((width, height)) if use_draft else None
        rgb = upright_rgb(image, draft, REDUCE_ABOVE_PIXELS if use_draft else None)
    small = rgb.resize((SIDE, SIDE), Image.Resampling.BICUBIC)
    return width, height, small.tobytes(), describe_detail(rgb)


def _draft_size(size: tuple[int, int]) -> tuple[int, int]:
    """Ask for 1/8 scale, but never fewer than DRAFT_MIN_SIDE pixels a side."""
    width, height = size
    return (
        min(width, max(width // 8, DRAFT_MIN_SIDE)),
        min(height, max(height // 8, DRAFT_MIN_SIDE)),
    )
