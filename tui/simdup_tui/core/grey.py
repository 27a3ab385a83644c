"""Greyscale copies of colour photos: which summaries are grey, and how a grey photo and a colour
photo are compared (on brightness), with the exact search for such pairs.

A grey copy of a vivid photo differs from it per channel by far more than the threshold (its red,
green and blue are all the original's brightness), so the tutorial's metric never links them.
When exactly one photo of a pair is grey, the pair is measured on luminance instead: the colour
photo's summary turned grey as Pillow's convert("L") does (ITU-R 601, R*299/1000 + G*587/1000 +
B*114/1000, in Pillow's own integer arithmetic) against the grey one's, mean absolute difference
/ 255, below the same threshold. Colour-colour and grey-grey pairs keep the tutorial's metric
exactly (distance.py), and so does everything with `grey=False` (--no-grey).

A summary is grey when every pixel's max(R, G, B) - min(R, G, B) is at most GREY_SPREAD, chosen by
measurement (benchmarks/README.md): greyscale JPEGs saved as RGB reach 0, with chroma noise (Cb/Cr
noise up to sigma 8, a steady tint of 1 level) 3 or 4, with a steady tint of 2 levels (a faint
tone) 4 to 8; a light warm tone reaches 19, sepia and duotone 90 and more, and the most muted
colour scenes of the accuracy corpus (15% saturation) 6 to 34.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .distance import (
    _CELLS,
    SCALE,
    PairCounter,
    difference,
    find_pair_arrays,
    run_blocks,
    sum_limit,
)
from .summary import SIDE, SUMMARY_BYTES, Summary

GREY_SPREAD = 5
"""A summary is grey when no pixel's channels are further apart than this (0..255 levels)."""
GREY_COPY = "greyscale copy, compared on brightness"
"""How a grey member of a colour keeper is described (details pane, compare view, --list)."""
GREY_KEEPER = "in colour, its keeper greyscale, compared on brightness"
"""How a colour member of a grey keeper is described."""

PIXELS = SIDE * SIDE
"""Luminance values in a summary (256)."""
_FULL_CHUNK = 1 << 14
"""Pairs whose 256 luminance bytes are compared at once."""
_CHUNK = 8192
"""Rows whose greyness or luminance is worked out at once (bounds the temporaries)."""


def grey_rows(matrix: np.ndarray) -> np.ndarray:
    """(N,) bool for an (N, 768) uint8 matrix of summaries: True where the summary is grey.

    Sixteen pixels on the diagonal are checked first: a colour photo almost always shows its
    colour there, so only the rest (the grey ones, a few near-grey ones) are read in full.
    """
    grey = np.zeros(len(matrix), dtype=bool)
    if not len(matrix):
        return grey
    matrix = np.asarray(matrix, dtype=np.uint8).reshape(len(matrix), -1)
    maybe = np.flatnonzero(_spread_ok(matrix, _DIAGONAL))
    for start in range(0, len(maybe), _CHUNK):
        rows = maybe[start : start + _CHUNK]
        grey[rows] = _spread_ok(matrix[rows], None)
    return grey


_DIAGONAL = np.arange(0, PIXELS, SIDE + 1) * 3
"""Byte offsets of the red of 16 pixels on the diagonal."""


def _spread_ok(matrix: np.ndarray, at: np.ndarray | None) -> np.ndarray:
    """Per row: every pixel (those starting at byte offsets `at`, else all) within GREY_SPREAD.

    Works on the three channels as separate columns: numpy's reductions over an axis of three
    cost ten times more.
    """
    if at is None:
        red, green, blue = matrix[:, 0::3], matrix[:, 1::3], matrix[:, 2::3]
    else:
        red, green, blue = matrix[:, at], matrix[:, at + 1], matrix[:, at + 2]
    high = np.maximum(np.maximum(red, green), blue)
    low = np.minimum(np.minimum(red, green), blue)
    high -= low
    return (high <= GREY_SPREAD).all(axis=1)


def is_grey(item: Summary | bytes) -> bool:
    """True when this summary is grey (see grey_rows); quick for a colour photo."""
    pixels = item.pixels if isinstance(item, Summary) else item
    if len(pixels) != SUMMARY_BYTES:
        return False
    first = pixels[:3]
    if max(first) - min(first) > GREY_SPREAD:
        return False
    return bool(grey_rows(np.frombuffer(pixels, dtype=np.uint8).reshape(1, -1))[0])


def luminance(matrix: np.ndarray) -> np.ndarray:
    """(N, 256) uint8: each summary as Pillow's convert("L") makes it (exactly its integers)."""
    count = len(matrix)
    out = np.empty((count, PIXELS), dtype=np.uint8)
    flat = np.asarray(matrix, dtype=np.uint8).reshape(count, SUMMARY_BYTES)
    for start in range(0, count, _CHUNK):
        part = flat[start : start + _CHUNK]
        weighted = part[:, 0::3] * np.uint32(19595)
        weighted += part[:, 1::3] * np.uint32(38470)
        weighted += part[:, 2::3] * np.uint32(7471)
        weighted += np.uint32(0x8000)
        weighted >>= np.uint32(16)
        out[start : start + _CHUNK] = weighted
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    """How far apart two photos are, and by which measure."""

    difference: float
    """0 identical .. 1 opposite; below the threshold means near-duplicates."""
    on_brightness: bool = False
    """True when exactly one is grey and the grey-copy match is on: luminance was compared."""


def compare(a: Summary | bytes, b: Summary | bytes, *, grey: bool = True) -> Comparison:
    """The difference the pair search uses for these two photos: on luminance when exactly one
    is grey (and `grey`), else the tutorial's per-channel difference. Every figure shown about
    a member and its keeper comes from here or from the search, so they always agree."""
    if grey and is_grey(a) != is_grey(b):
        both = np.frombuffer(_pixels(a) + _pixels(b), dtype=np.uint8).reshape(2, -1)
        luma = luminance(both).astype(np.int32)
        total = int(np.abs(luma[0] - luma[1]).sum())
        return Comparison(3 * total / SCALE, True)
    return Comparison(difference(a, b))


def luminance_limit(threshold: float) -> int:
    """The largest luminance sum (over 256 values) whose difference is below threshold; -1 if
    none. A luminance sum s is reported as 3 * s / SCALE, the mean absolute difference / 255,
    so it is compared with the same integer limit as the tutorial's sums."""
    limit = sum_limit(threshold)
    return limit // 3 if limit >= 0 else -1


def grey_pairs(
    matrix: np.ndarray,
    greys: np.ndarray,
    threshold: float,
    *,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    max_pairs: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (i < j, difference) with exactly one of rows i, j grey and their luminance
    difference below threshold: exactly what comparing every grey row with every colour row
    would find (brute_force_grey_pairs), in no particular order.

    Only grey rows are compared with colour rows, never colour rows with each other. Colour rows
    are sorted by their total luminance; a block of grey rows sees only the colour rows whose
    totals are within the limit of its own, then 4x4 block sums (16 numbers) and finally the
    256 luminance bytes decide. Every bound is the L1 difference of sums, never
    above the full L1 (triangle inequality), so no pair under the threshold is dropped.
    More than `max_pairs` raises TooManyPairsError; `cancel` stops it between blocks.
    """
    limit = luminance_limit(threshold)
    grey_index = np.flatnonzero(greys)
    colour_index = np.flatnonzero(~np.asarray(greys, dtype=bool))
    if limit < 0 or not len(grey_index) or not len(colour_index):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    luma = luminance(matrix[np.concatenate([grey_index, colour_index])])
    search = _Bipartite(luma[: len(grey_index)], luma[len(grey_index) :], limit, cancel,
                        max_pairs)  # fmt: skip
    found = run_blocks(search.run, search.blocks(), workers, len(matrix), "simdup-grey")
    search.raise_if_too_many(threshold)
    greys_found = grey_index[np.concatenate([part[0] for part in found])]
    colours_found = colour_index[np.concatenate([part[1] for part in found])]
    sums = np.concatenate([part[2] for part in found])
    first, second = np.minimum(greys_found, colours_found), np.maximum(greys_found, colours_found)
    return first, second, 3 * sums.astype(np.int64) / SCALE


def find_pairs(
    matrix: np.ndarray,
    threshold: float,
    *,
    cancel: threading.Event | None = None,
    max_pairs: int | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    """((i, j, difference) arrays with i < j, in no particular order; greys): every pair of rows
    of `matrix` below the threshold, grey-colour pairs measured on luminance, the others by
    the tutorial's metric; greys is grey_rows(matrix).

    Without a grey row, or without a colour row, this is distance.find_pair_arrays (the usual
    library: the only extra cost is grey_rows). Otherwise colour rows and grey rows are
    searched apart with the tutorial's search (two searches of half the rows cost half of one
    of all, and find no grey-colour pair to throw away), then grey_pairs adds the mixed pairs.
    More than `max_pairs` in all raises TooManyPairsError.
    """
    greys = grey_rows(matrix)
    if not greys.any() or greys.all():
        return find_pair_arrays(matrix, threshold, cancel=cancel, max_pairs=max_pairs,
                                ordered=False), greys  # fmt: skip
    parts = []
    left = max_pairs
    for rows in (np.flatnonzero(~greys), np.flatnonzero(greys)):
        first, second, values = find_pair_arrays(
            matrix[rows], threshold, cancel=cancel, max_pairs=left, ordered=False
        )
        parts.append((rows[first], rows[second], values))  # rows ascend: i < j still holds
        left = None if left is None else max(0, left - len(first))
    parts.append(grey_pairs(matrix, greys, threshold, cancel=cancel, max_pairs=left))
    merged = tuple(np.concatenate([part[k] for part in parts]) for k in range(3))
    return merged, greys  # type: ignore[return-value]


class _Bipartite(PairCounter):
    """Grey rows against colour rows, both sorted by total luminance, with their block sums."""

    def __init__(
        self,
        grey: np.ndarray,
        colour: np.ndarray,
        limit: int,
        cancel: threading.Event | None,
        max_pairs: int | None,
    ) -> None:
        super().__init__(cancel, max_pairs)
        self.limit = limit
        self.grey, self.colour = grey, colour
        self.grey_total, self.grey_grid, self.grey_order = _block_sums(grey)
        self.colour_total, colour_grid, self.colour_order = _block_sums(colour)
        self.colour_grid = [np.ascontiguousarray(colour_grid[:, k]) for k in range(16)]

    def blocks(self) -> list[tuple[int, int]]:
        """Blocks of sorted grey rows sized so each holds about _CELLS candidate pairs."""
        found: list[tuple[int, int]] = []
        start, count = 0, len(self.grey_total)
        while start < count:
            low, high = self._window(start, start + 1)
            rows = max(8, min(512, _CELLS // max(high - low, 1)))
            found.append((start, min(count, start + rows)))
            start += rows
        return found

    def _window(self, start: int, end: int) -> tuple[int, int]:
        """The colour rows whose totals are within the limit of grey rows start..end-1."""
        low = np.searchsorted(self.colour_total, self.grey_total[start] - self.limit, "left")
        high = np.searchsorted(self.colour_total, self.grey_total[end - 1] + self.limit, "right")
        return int(low), int(high)

    def run(self, blocks: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(grey row, colour row, luminance sum) of every close pair with its grey row in
        blocks, as indices into the unsorted grey and colour matrices.

        The 4x4 block sums (16 numbers) are the first bound: luminance has no channels to
        spread over, and a weaker first bound (4 quadrants) was measured to let five times
        more pairs through on smooth pictures (benchmarks/README.md).
        """
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        limit = self.limit
        for start, end in blocks:
            if self.stopped():
                break
            low, high = self._window(start, end)
            if high <= low:
                continue
            bound = np.zeros((end - start, high - low), dtype=np.int32)
            step = np.empty_like(bound)
            for k, feature in enumerate(self.colour_grid):
                np.subtract(self.grey_grid[start:end, k, None], feature[None, low:high], out=step)
                np.abs(step, out=step)
                bound += step
            rows, cols = np.nonzero(bound <= limit)
            del bound, step
            greys = self.grey_order[rows + start]
            colours = self.colour_order[cols + low]
            for first in range(0, len(greys), _FULL_CHUNK):
                part = slice(first, first + _FULL_CHUNK)
                sums = np.abs(
                    self.grey[greys[part]].astype(np.int16) - self.colour[colours[part]]
                ).sum(axis=1, dtype=np.int32)
                close = sums <= limit
                self._count(int(close.sum()))
                found.append((greys[part][close], colours[part][close], sums[close]))
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int32)
        return tuple(np.concatenate([part[k] for part in found]) for k in range(3))  # type: ignore[return-value]


def _block_sums(luma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(total, 4x4 block sums (N, 16), order), the first two sorted by total (int32)."""
    grid = luma.reshape(-1, 4, 4, 4, 4).sum(axis=(2, 4), dtype=np.int32).reshape(-1, 16)
    total = grid.sum(axis=1)
    order = np.argsort(total, kind="stable")
    return total[order], np.ascontiguousarray(grid[order]), order


def brute_force_grey_pairs(
    matrix: np.ndarray, greys: np.ndarray, threshold: float
) -> list[tuple[int, int, float]]:
    """The reference: every grey row against every colour row, by compare()'s arithmetic."""
    luma = luminance(matrix).astype(np.int32)
    pairs = []
    for i in np.flatnonzero(greys).tolist():
        for j in np.flatnonzero(~greys).tolist():
            value = 3 * int(np.abs(luma[i] - luma[j]).sum()) / SCALE
            if value < threshold:
                pairs.append((min(i, j), max(i, j), value))
    pairs.sort()
    return pairs


def _pixels(item: Summary | bytes) -> bytes:
    return item.pixels if isinstance(item, Summary) else item
