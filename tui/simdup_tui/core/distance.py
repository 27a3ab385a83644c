"""The tutorial's difference between two summaries, and the exact search for close pairs."""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from .errors import TooManyPairsError
from .summary import SIDE, SUMMARY_BYTES, Summary

SCALE = SUMMARY_BYTES * 255
"""Sum of absolute byte differences that means 'completely different' (difference 1.0)."""

_CELLS = 1 << 17
"""About how many candidate pairs one step of the sweep holds at once: small enough to stay in
the CPU cache, which is what lets two threads run faster than one."""
_FULL_CHUNK = 1 << 14
"""Pairs whose 768 bytes are compared at once (bounds memory when the threshold is high)."""
_PARALLEL_FROM = 4000
"""Below this many summaries the search runs on one thread (thread start-up costs more)."""
_CHUNK = 8192
"""Rows handled at once while building the block sums (bounds their memory)."""

Pairs = list[tuple[int, int, float]]
_Found = TypeVar("_Found")


def difference(a: Summary | bytes, b: Summary | bytes) -> float:
    """Mean absolute per-channel pixel difference, normalised to 0..1 (the tutorial's metric)."""
    left = np.frombuffer(_pixels(a), dtype=np.uint8).astype(np.int32)
    right = np.frombuffer(_pixels(b), dtype=np.uint8).astype(np.int32)
    return int(np.abs(left - right).sum()) / SCALE


def stack(summaries: Sequence[Summary | bytes]) -> np.ndarray:
    """An (N, 768) uint8 matrix of summaries, the input of the pair search."""
    if not summaries:
        return np.zeros((0, SUMMARY_BYTES), dtype=np.uint8)
    return np.frombuffer(b"".join(_pixels(s) for s in summaries), dtype=np.uint8).reshape(
        -1, SUMMARY_BYTES
    )


def sum_limit(threshold: float) -> int:
    """The largest integer L1 sum whose difference (sum / SCALE) is < threshold; -1 if none.

    Every bound below is compared with this integer, so the float comparison happens once.
    """
    if math.isnan(threshold) or threshold <= 0:
        return -1
    limit = min(SCALE, math.floor(threshold * SCALE))
    while limit >= 0 and not limit / SCALE < threshold:
        limit -= 1
    while limit < SCALE and (limit + 1) / SCALE < threshold:
        limit += 1
    return limit


def find_pairs(
    matrix: np.ndarray,
    threshold: float,
    *,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    max_pairs: int | None = None,
) -> list[tuple[int, int, float]]:
    """Every pair (i < j) with difference < threshold, exactly as comparing all pairs would find.

    Returns (i, j, difference) sorted by (i, j); see _search for how and why.
    """
    low, high, values = _search(
        matrix, threshold, workers=workers, cancel=cancel, max_pairs=max_pairs
    )
    return list(zip(low.tolist(), high.tolist(), values.tolist(), strict=True))


def _search(
    matrix: np.ndarray,
    threshold: float,
    *,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    max_pairs: int | None = None,
    ordered: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i < j) with difference < threshold, exactly as comparing all pairs would find.

    Returns arrays (i, j, difference) sorted by (i, j). Why it is exact and fast: the L1
    difference of block sums at a coarser grid never exceeds the full L1 (triangle
    inequality), so pairs are only dropped by a bound that is already over the limit. Rows
    are sorted by their total, a sweep keeps only rows whose totals are within the limit,
    then half-image channel sums (6 numbers), 2x2 block sums (12), 4x4 block sums (48) and
    finally the 768 bytes decide.
    No N x N matrix is ever built. See benchmarks/README.md for what else was measured.

    `cancel` stops it between row blocks (the result is then partial: the caller discards it).
    More than `max_pairs` pairs raises TooManyPairsError: at a very loose threshold almost every
    pair matches, and their list alone would take gigabytes.
    """
    count = len(matrix)
    limit = sum_limit(threshold)
    if count < 2 or limit < 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    search = _Sweep(
        np.ascontiguousarray(matrix, dtype=np.uint8).reshape(count, -1), limit, cancel, max_pairs
    )
    found = run_blocks(search.run, search.block_starts(), workers, count, "simdup-pairs")
    search.raise_if_too_many(threshold)
    return search.collect(found, ordered)


def find_pair_arrays(
    matrix: np.ndarray,
    threshold: float,
    *,
    workers: int | None = None,
    cancel: threading.Event | None = None,
    max_pairs: int | None = None,
    ordered: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """find_pairs as three arrays (i, j, difference), for callers that stay in numpy: half a
    million pairs as Python tuples cost a second to build. With ordered=False the pairs still
    have i < j but come in no particular order (sorting them is a third of the search)."""
    return _search(
        matrix, threshold, workers=workers, cancel=cancel, max_pairs=max_pairs, ordered=ordered
    )


def run_blocks(
    run: Callable[[list[tuple[int, int]]], _Found],
    blocks: list[tuple[int, int]],
    workers: int | None,
    rows: int,
    thread_name: str,
) -> list[_Found]:
    """[run(share), ...]: all blocks on this thread when there is one worker or one block,
    else each of `workers` threads (None: up to 4 from _PARALLEL_FROM rows on, else 1) runs
    every workers-th block."""
    if workers is None:
        workers = min(4, os.cpu_count() or 1) if rows >= _PARALLEL_FROM else 1
    if workers <= 1 or len(blocks) < 2:
        return [run(blocks)]
    with ThreadPoolExecutor(workers, thread_name_prefix=thread_name) as pool:
        return list(pool.map(run, [blocks[k::workers] for k in range(workers)]))


class PairCounter:
    """How many close pairs a search's threads have found so far, against `max_pairs` (None:
    no limit), and whether the search should stop (too many pairs, or `cancel` set)."""

    def __init__(self, cancel: threading.Event | None, max_pairs: int | None) -> None:
        self.cancel = cancel
        self.max_pairs = max_pairs
        self.too_many = False
        self._found = 0
        self._count_lock = threading.Lock()

    def _count(self, found: int) -> None:
        """Add `found` pairs (thread-safe); past max_pairs, too_many becomes True."""
        if self.max_pairs is None:
            return
        with self._count_lock:
            self._found += found
            if self._found > self.max_pairs:
                self.too_many = True

    def stopped(self) -> bool:
        """True once the search should stop between blocks: too many pairs, or cancelled."""
        return self.too_many or (self.cancel is not None and self.cancel.is_set())

    def raise_if_too_many(self, threshold: float) -> None:
        """Raises TooManyPairsError (saying the threshold) when more than max_pairs were found."""
        if self.too_many:
            raise TooManyPairsError(
                f"threshold {threshold:g} links more than {self.max_pairs:,} pairs of photos: "
                "too loose to be useful; try a smaller threshold"
            )


class _Sweep(PairCounter):
    """The sorted rows and their block sums, shared read-only by the sweep's threads."""

    def __init__(
        self,
        matrix: np.ndarray,
        limit: int,
        cancel: threading.Event | None = None,
        max_pairs: int | None = None,
    ) -> None:
        super().__init__(cancel, max_pairs)
        self.limit = limit
        halves, grid2, grid4 = _block_sums(matrix)
        key = halves.sum(axis=1, dtype=np.int64)
        self.order = np.argsort(key, kind="stable")
        self.key = key[self.order]
        self.halves = [np.ascontiguousarray(halves[self.order, k]) for k in range(6)]
        self.grid2 = [np.ascontiguousarray(grid2[self.order, k]) for k in range(12)]
        self.grid4 = grid4[self.order]
        self.flat = _flat_blocks(matrix)[self.order]
        """Rows whose every 4x4 block is one colour: between two of them the 4x4 block bound
        is the exact difference, and the 768 bytes need not be read (plain-colour images,
        screenshots, scans of blank pages)."""
        self.matrix = matrix
        self.count = len(matrix)

    def block_starts(self) -> list[tuple[int, int]]:
        """Row blocks sized so each block times its window holds about _CELLS pairs."""
        blocks: list[tuple[int, int]] = []
        start = 0
        while start < self.count - 1:
            window = self._window_end(start) - start
            rows = max(8, min(512, _CELLS // max(window, 1)))
            end = min(self.count, start + rows)
            blocks.append((start, end))
            start = end
        return blocks

    def _window_end(self, row: int) -> int:
        return int(np.searchsorted(self.key, self.key[row] + self.limit, side="right"))

    def run(self, blocks: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sorted positions (i, j) and exact sums of every close pair whose i is in blocks."""
        found_i, found_j, found_sum = [], [], []
        limit = self.limit
        for start, end in blocks:
            if self.stopped():
                break
            stop = self._window_end(end - 1)
            if stop <= start + 1:
                continue
            columns = slice(start + 1, stop)
            shape = (end - start, stop - start - 1)
            bound = np.zeros(shape, dtype=np.int32)
            step = np.empty(shape, dtype=np.int32)
            for feature in self.halves:
                np.subtract(feature[start:end, None], feature[None, columns], out=step)
                np.abs(step, out=step)
                bound += step
            del step
            rows, cols = np.nonzero(bound <= limit)
            del bound
            left = rows + start
            right = cols + (start + 1)
            keep = right > left
            left, right = left[keep], right[keep]
            if not len(left):
                continue
            bound = np.zeros(len(left), dtype=np.int32)
            for feature in self.grid2:
                bound += np.abs(feature[left] - feature[right])
            keep = bound <= limit
            left, right = left[keep], right[keep]
            bound = np.abs(self.grid4[left] - self.grid4[right]).sum(axis=1, dtype=np.int32)
            keep = bound <= limit
            left, right, bound = left[keep], right[keep], bound[keep]
            exact = self.flat[left] & self.flat[right]
            if exact.any():
                self._count(int(exact.sum()))
                found_i.append(self.order[left[exact]])
                found_j.append(self.order[right[exact]])
                found_sum.append(bound[exact])
                left, right = left[~exact], right[~exact]
            originals_left, originals_right = self.order[left], self.order[right]
            for first in range(0, len(left), _FULL_CHUNK):
                part = slice(first, first + _FULL_CHUNK)
                sums = np.abs(
                    self.matrix[originals_left[part]].astype(np.int16)
                    - self.matrix[originals_right[part]]
                ).sum(axis=1, dtype=np.int32)
                keep = sums <= limit
                self._count(int(keep.sum()))
                found_i.append(originals_left[part][keep])
                found_j.append(originals_right[part][keep])
                found_sum.append(sums[keep])
        if not found_i:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_sum)

    def collect(
        self, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], ordered: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Original indices as (i < j), sorted when asked, with the difference brute force
        would give."""
        first = np.concatenate([part[0] for part in parts])
        second = np.concatenate([part[1] for part in parts])
        sums = np.concatenate([part[2] for part in parts])
        low, high = np.minimum(first, second), np.maximum(first, second)
        if not ordered:
            return low, high, sums / SCALE
        order = np.lexsort((high, low))
        values = sums[order] / SCALE
        return low[order], high[order], values


def _block_sums(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: channel sums of the top and bottom halves (6), of 2x2 (12) and 4x4 (48) blocks.

    Built by adding neighbouring cells level by level, in chunks, so memory stays small.
    """
    count = len(matrix)
    halves = np.empty((count, 6), dtype=np.int32)
    grid2 = np.empty((count, 12), dtype=np.int32)
    grid4 = np.empty((count, 48), dtype=np.int16)
    for start in range(0, count, _CHUNK):
        rows = matrix[start : start + _CHUNK].reshape(-1, SIDE, SIDE, 3).astype(np.uint16)
        level = rows
        for _ in range(2):  # 16x16 -> 8x8 -> 4x4
            level = _pool(level)
        grid4[start : start + _CHUNK] = level.reshape(len(rows), -1)
        level = _pool(level)  # 2x2
        grid2[start : start + _CHUNK] = level.reshape(len(rows), -1)
        halves[start : start + _CHUNK] = (level[:, :, 0] + level[:, :, 1]).reshape(len(rows), -1)
    return halves, grid2, grid4


def _flat_blocks(matrix: np.ndarray) -> np.ndarray:
    """Per row: True when each 4x4-pixel block of each channel holds a single value."""
    flat = np.empty(len(matrix), dtype=bool)
    for start in range(0, len(matrix), _CHUNK):
        rows = matrix[start : start + _CHUNK].reshape(-1, 4, 4, 4, 4, 3)  # by, y, bx, x, c
        same = rows == rows[:, :, :1, :, :1, :]  # every pixel equals its block's first
        flat[start : start + _CHUNK] = same.reshape(len(rows), -1).all(axis=1)
    return flat


def _pool(level: np.ndarray) -> np.ndarray:
    """Sum each 2x2 group of cells (uint16 holds 16x16 cells of 255: 65280)."""
    return level[:, 0::2, 0::2] + level[:, 1::2, 0::2] + level[:, 0::2, 1::2] + level[:, 1::2, 1::2]


def brute_force_pairs(matrix: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """The reference: compare every pair, in row blocks so memory stays bounded."""
    count = len(matrix)
    data = matrix.astype(np.int16)
    pairs: list[tuple[int, int, float]] = []
    block = 8
    for start in range(0, count, block):
        rows = data[start : start + block]
        rest = data[start + 1 :]
        if len(rest) == 0:
            break
        sums = np.abs(rows[:, None, :] - rest[None, :, :]).sum(axis=2, dtype=np.int64)
        values = sums / SCALE
        for offset, j_offset in zip(*np.nonzero(values < threshold), strict=True):
            i = start + int(offset)
            j = start + 1 + int(j_offset)
            if j > i:
                pairs.append((i, j, float(values[offset, j_offset])))
    pairs.sort()
    return pairs


def _pixels(item: Summary | bytes) -> bytes:
    return item.pixels if isinstance(item, Summary) else item
