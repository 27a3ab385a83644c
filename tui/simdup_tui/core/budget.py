"""How many image pixels may be decoded at once, so peak memory follows a budget and not the
number of scan workers."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import threading
from collections.abc import Callable, Iterator


class DecodeBudget:
    """At most `pixels` image pixels decoded at once across all threads.

    A decode takes a share equal to its pixel count (capped at the whole budget, so one image
    larger than the budget runs alone) and waits until the share is free. Peak memory then
    follows the budget, not the number of scan workers.
    """

    def __init__(self, pixels: int) -> None:
        self.pixels = pixels
        self._used = 0
        self.peak = 0
        """The most pixels ever held at once (for tests and figures)."""
        self._free = threading.Condition()

    @contextlib.contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        share = max(0, min(pixels, self.pixels))
        with self._free:
            self._free.wait_for(lambda: self._used + share <= self.pixels)
            self._used += share
            self.peak = max(self.peak, self._used)
        try:
            yield
        finally:
            if share >= TRIM_ABOVE_PIXELS:
                _return_freed_memory()
            with self._free:
                self._used -= share
                self._free.notify_all()

    @property
    def used(self) -> int:
        """Pixels held now."""
        return self._used


DECODE_BUDGET_PIXELS = 64_000_000
"""Pixels decoded at once by every scan worker and the sharp view together: about 256 MB at
4 bytes a pixel (twice that while an RGBA photo is shrunk). A larger photo is decoded alone
(Pillow refuses photos above twice its 89-megapixel bomb limit, so one decode holds at most
about 180 megapixels)."""
DECODE_BUDGET = DecodeBudget(DECODE_BUDGET_PIXELS)
"""The one budget of the process: the scan workers and the sharp view share it."""
TRIM_ABOVE_PIXELS = 16_000_000
"""After a decode this large, freed memory is handed back to the system at once."""


def _find_malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_MALLOC_TRIM = _find_malloc_trim()


def _return_freed_memory() -> None:
    """glibc keeps what a thread freed in that thread's arena: after one big decode per scan
    worker, the process would hold a big decode per worker though only one is alive. Called
    once the decoded pixels are freed (the caller closes the image before the share ends)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
