"""The tutorial's difference between two summaries, and the exact search for close pairs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .summary import SUMMARY_BYTES, Summary

SCALE = SUMMARY_BYTES * 255
"""Sum of absolute byte differences that means 'completely different' (difference 1.0)."""


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


def find_pairs(matrix: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Every pair (i < j) with difference < threshold, exactly as comparing all pairs would find.

    Returns (i, j, difference) sorted by (i, j).
    """
    return brute_force_pairs(matrix, threshold)


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
