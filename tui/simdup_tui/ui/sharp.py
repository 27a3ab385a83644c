"""Decode a photo at a terminal pane's pixel size for the sharp view, with a small shared LRU."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PIL import Image

from ..core.errors import UnreadablePhotoError
from ..core.summary import (
    IMAGE_ERRORS,
    describe_image_error,
    open_photo,
    take_decode_share,
    upright_rgb,
)

SharpKey = tuple[Path, int, int, tuple[int, int]]
"""(path, size, mtime_ns, target pixel size): a changed file or pane size decodes again."""


class SharpDecodeError(Exception):
    """The file cannot be shown; `reason` is one line for the pane."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_sharp(path: Path, target: tuple[int, int]) -> np.ndarray:
    """The photo, upright, shrunk to fit `target` (width, height) pixels, as (H, W, 3) uint8.

    The file is opened without blocking and must be a regular file (a FIFO put in its place
    never hangs the view). JPEG draft mode decodes at a reduced scale first, so a 24-megapixel
    photo costs milliseconds; other formats are shrunk by a whole factor right after decoding,
    and the decode holds its share of the process's decode budget, so a 13,000 x 13,000 PNG
    costs one decode of its pixels and no full-size copies. Raises SharpDecodeError with a
    one-line reason.
    """
    width, height = max(1, target[0]), max(1, target[1])
    try:
        with (
            open_photo(path) as (handle, _),
            contextlib.ExitStack() as budget,
            Image.open(handle) as image,
        ):
            take_decode_share(image, budget, lambda _: (width, height))
            rgb = upright_rgb(image, draft=(width, height), reduce_above=0)
            rgb.thumbnail((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
            return np.asarray(rgb, dtype=np.uint8).copy()
    except UnreadablePhotoError as error:
        reason = "file vanished since the scan" if error.message == "file vanished" else None
        raise SharpDecodeError(reason or error.message) from None
    except IMAGE_ERRORS as error:
        raise SharpDecodeError(describe_image_error(error)) from None


class SharpCache:
    """A thread-safe LRU of decoded pictures and failure reasons (workers write, the UI reads)."""

    def __init__(self, capacity: int = 48) -> None:
        self.capacity = capacity
        self._items: OrderedDict[SharpKey, np.ndarray | str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: SharpKey) -> np.ndarray | str | None:
        """The picture, the reason it failed, or None when never decoded."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: SharpKey, item: np.ndarray | str) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


SHARP_CACHE = SharpCache()
"""Shared by every PreviewPane, so flipping back to a photo shows it at once."""
