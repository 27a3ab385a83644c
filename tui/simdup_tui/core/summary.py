"""Summarise a photo into the tutorial's 16x16 RGB thumbnail, plus what we know about its file."""

from __future__ import annotations

import contextlib
import os
import stat as stat_module
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from PIL import Image

from .animation import UPRIGHT_TURN, is_animation, representative_rgb
from .budget import DECODE_BUDGET
from .detail import describe_detail
from .errors import UnreadablePhotoError, os_reason
from .identity import FileIdentity

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

SIDE = 16
"""A summary is SIDE x SIDE pixels."""
SUMMARY_BYTES = SIDE * SIDE * 3
"""768 bytes: 16 x 16 pixels x RGB."""
SUMMARY_VERSION = 4
"""Bumped whenever summarise() would give different bytes, so cached summaries are recomputed.
3: photos above REDUCE_ABOVE_PIXELS that have no reduced-scale decoding are shrunk first.
4: animated GIF/WebP/APNG summarised from a mean of frames (other pictures' pixels unchanged);
the strict check's detail of low-contrast pictures added."""
BACKGROUND = (255, 255, 255)
"""Transparent pixels are composited onto white, as most exporters flatten them."""
DRAFT_MIN_SIDE = 128
"""JPEG reduced-scale decoding never goes below this many pixels a side, so the resize has enough
input to stay faithful to a full decode (parity with the tutorial holds with 1/8 scale)."""


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


class open_photo:
    """`with open_photo(path) as (file, stat):` a regular file opened for reading, never blocking.

    O_NONBLOCK makes opening a FIFO return at once; fstat after the open then refuses anything
    that is not a regular file. Raises UnreadablePhotoError with a one-line reason.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._file: object = None

    def __enter__(self) -> tuple[object, os.stat_result]:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NOCTTY", 0)
        try:
            descriptor = os.open(self.path, flags)
        except OSError as error:
            raise UnreadablePhotoError(os_reason(error)) from error
        try:
            info = os.fstat(descriptor)
            if not stat_module.S_ISREG(info.st_mode):
                raise UnreadablePhotoError("not a regular file")
            if hasattr(os, "set_blocking"):
                os.set_blocking(descriptor, True)
            handle = os.fdopen(descriptor, "rb")
        except UnreadablePhotoError:
            os.close(descriptor)
            raise
        except OSError as error:
            os.close(descriptor)
            raise UnreadablePhotoError(os_reason(error)) from error
        self._file = handle
        return handle, info

    def __exit__(self, *exc_info: object) -> None:
        if self._file is not None:
            self._file.close()  # type: ignore[attr-defined]


_EXIF_IFD = 0x8769
_MAKE, _MODEL = 0x010F, 0x0110
_DATE_TIME_ORIGINAL, _OFFSET_TIME_ORIGINAL = 0x9003, 0x9011


def exif_facts(image: Image.Image) -> tuple[int | None, str]:
    """(capture time in ns since the epoch or None, "Make Model" or "") from an open image's EXIF.

    Damaged EXIF never raises: it reads as no capture time and no camera.
    """
    try:
        exif = image.getexif()
        camera = " ".join(
            _exif_text(exif.get(tag)) for tag in (_MAKE, _MODEL) if _exif_text(exif.get(tag))
        )
        sub = exif.get_ifd(_EXIF_IFD)
        taken = _exif_time(sub.get(_DATE_TIME_ORIGINAL), sub.get(_OFFSET_TIME_ORIGINAL))
    except Exception:  # odd EXIF is common; it must never cost the photo its summary
        return None, ""
    return taken, camera[:120]


def _exif_text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", " ").split())


def _exif_time(value: object, offset: object) -> int | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" (plus an optional "+HH:MM" offset) in ns since the epoch."""
    text = _exif_text(value)
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if moment.year < 1900:
        return None
    offset_text = _exif_text(offset)
    if len(offset_text) == 6 and offset_text[0] in "+-" and offset_text[3] == ":":
        try:
            hours, minutes = int(offset_text[1:3]), int(offset_text[4:6])
        except ValueError:
            hours = minutes = 0
        sign = -1 if offset_text[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        moment = moment.replace(tzinfo=zone)
    try:
        return int(moment.timestamp()) * 1_000_000_000
    except (OverflowError, OSError, ValueError):
        return None


def summarise_image(image: Image.Image) -> bytes:
    """Summarise an already opened image (no draft decoding): the tutorial's resize, made total."""
    return _summarise_open_image(image, use_draft=False)[2]


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
    orientation = _orientation(image)
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


REDUCE_ABOVE_PIXELS = 16_000_000
"""A photo that cannot be decoded at a reduced scale (PNG, TIFF, WebP...) with more pixels than
this is shrunk by a whole factor before it is oriented and flattened."""


def _orientation(image: Image.Image) -> int:
    return image.getexif().get(0x0112, 1)


def _is_turned(image: Image.Image) -> bool:
    return _orientation(image) in (5, 6, 7, 8)


def _summarise_open_image(
    image: Image.Image, use_draft: bool = True, size: tuple[int, int] | None = None
) -> tuple[int, int, bytes, bytes]:
    """Orient, flatten to RGB and resize; return the oriented full size, the 768 bytes and the
    strict check's detail (same decode). `size`: the upright full size when already known (a
    JPEG set to draft reports less). An animation is represented by the mean of a few of its
    frames (animation.py)."""
    width, height = size if size is not None else upright_size(image)
    if is_animation(image):
        rgb = representative_rgb(image, to_rgb, _orientation(image))
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
