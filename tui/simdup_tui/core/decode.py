"""Decode a picture with Pillow the way it is meant to be seen: within the memory budget, upright
(EXIF orientation), at a reduced scale when that is enough, and flattened to RGB.

Also what Pillow can raise on one bad file, in a line for a person. Importing this module
registers HEIC/HEIF reading (pillow-heif) and quietens Pillow's warnings for the whole process.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable

import numpy as np
from PIL import Image

from .animation import UPRIGHT_TURN
from .budget import DECODE_BUDGET
from .errors import os_reason

try:  # HEIC/HEIF (iPhones) is read through pillow-heif when it is installed.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a dependency, but stay usable without it
    pillow_heif = None

# Set once, not per call: catch_warnings() is not thread-safe and the scan runs in threads.
# Big photos are fine here (over twice the limit is still refused, as an error entry), and
# Pillow's notes on odd EXIF would only clutter --list output.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")

BACKGROUND = (255, 255, 255)
"""Transparent pixels are composited onto white, as most exporters flatten them."""
IMAGE_ERRORS = (
    OSError, Image.DecompressionBombError, ValueError, SyntaxError, EOFError, MemoryError,
    IndexError, TypeError,
)  # fmt: skip
"""What opening and decoding one file with Pillow can raise (UnidentifiedImageError is an
OSError)."""


def describe_image_error(error: BaseException) -> str:
    """One line saying why a file could not be read as an image."""
    if isinstance(error, Image.DecompressionBombError):
        return f"too many pixels to open safely ({error})"
    if isinstance(error, Image.UnidentifiedImageError):
        return "not an image Pillow can read"
    if isinstance(error, OSError):
        return os_reason(error)
    return f"cannot decode: {error}".splitlines()[0]


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as the photo is meant to be seen (after EXIF orientation)."""
    width, height = image.size
    return (height, width) if _is_turned(image) else (width, height)


def upright_rgb(
    image: Image.Image, draft: tuple[int, int] | None = None, reduce_above: int | None = None
) -> Image.Image:
    """Decode, turn upright (EXIF) and flatten to RGB. A JPEG is decoded at the smallest
    reduced scale still at least `draft` (upright width, height), when given. Another format
    with more than `reduce_above` pixels is shrunk by a whole factor right after decoding, to
    no less than `draft`, so orienting and flattening never copy the full-size pixels.
    Call take_decode_share first to keep the decode within the memory budget."""
    orientation = exif_orientation(image)
    if draft is not None and orientation in (5, 6, 7, 8):
        draft = (draft[1], draft[0])  # as stored in the file
    if draft is not None and image.format in _DRAFT_FORMATS:
        image.draft(None, draft)
    image.load()
    if draft is not None and reduce_above is not None:
        image = _reduced(image, draft, reduce_above)
    method = UPRIGHT_TURN.get(orientation)
    oriented = image.transpose(method) if method is not None else image
    return to_rgb(oriented)


def take_decode_share(
    image: Image.Image,
    budget: contextlib.ExitStack,
    fit: Callable[[tuple[int, int]], tuple[int, int]] | None = None,
) -> tuple[int, int]:
    """Hold this image's share of DECODE_BUDGET on `budget`, before anything decodes it, and
    return its full upright (width, height).

    A JPEG is set to decode at the smallest reduced scale of at least fit(upright size) and
    holds that many pixels; any other format holds its full size (even reading a PNG's EXIF
    orientation decodes all of it). Close the image before the stack, so the share outlives
    the pixels. Waits while other threads hold the budget.
    """
    if image.format in _DRAFT_FORMATS:
        size = upright_size(image)  # JPEG EXIF comes with the header: nothing decoded
        if fit is not None:
            draft = fit(size)
            image.draft(None, (draft[1], draft[0]) if _is_turned(image) else draft)
        budget.enter_context(DECODE_BUDGET.hold(image.width * image.height))
        return size
    budget.enter_context(DECODE_BUDGET.hold(image.width * image.height))
    return upright_size(image)


_REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "I", "F"})
"""Modes Image.reduce averages correctly (not palettes, bilevel or 16-bit greys)."""


def _reduced(image: Image.Image, fit: tuple[int, int], above: int) -> Image.Image:
    """image shrunk by the largest whole factor keeping it at least `fit` (stored orientation),
    when it has more than `above` pixels and its mode averages correctly."""
    width, height = image.size
    if width * height <= above or image.format in _DRAFT_FORMATS:
        return image
    if image.mode not in _REDUCIBLE_MODES or "transparency" in image.info:
        return image
    factor = min(width // max(1, fit[0]), height // max(1, fit[1]))
    return image.reduce(factor) if factor >= 2 else image


_DRAFT_FORMATS = frozenset({"JPEG", "MPO"})  # MPO: JPEG with extra frames
"""Formats Pillow decodes at a reduced scale (draft) rather than in full."""


def exif_orientation(image: Image.Image) -> int:
    return image.getexif().get(0x0112, 1)


def _is_turned(image: Image.Image) -> bool:
    return exif_orientation(image) in (5, 6, 7, 8)


def to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode to RGB: alpha composited onto BACKGROUND, deep greys scaled, not clipped."""
    mode = image.mode
    if "transparency" in image.info and mode in ("RGB", "L", "P", "1"):
        image = image.convert("RGBA")  # a colour key (PNG tRNS) is transparency too
        mode = "RGBA"
    if mode == "RGB":
        return image
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _deep_grey_to_rgb(image)
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (*BACKGROUND, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode == "LAB":
        return _lab_to_rgb(image)
    return image.convert("RGB")


def _deep_grey_to_rgb(image: Image.Image) -> Image.Image:
    """16-bit and float greys: scale to 0..255 by their nominal range rather than clipping."""
    values = np.asarray(image, dtype=np.float64)
    if image.mode == "F":
        top = 1.0 if values.size and float(np.nanmax(values)) <= 1.0 else 255.0
    else:
        sixteen_bit = image.mode.startswith("I;16")
        top = 65535.0 if sixteen_bit or (values.size and float(values.max()) > 255) else 255.0
    grey = np.clip(np.nan_to_num(values) * (255.0 / top), 0, 255).round().astype(np.uint8)
    return Image.fromarray(grey, mode="L").convert("RGB")


def _lab_to_rgb(image: Image.Image) -> Image.Image:
    from PIL import ImageCms

    transform = ImageCms.buildTransform(
        ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"), "LAB", "RGB"
    )
    return ImageCms.applyTransform(image, transform)
