"""The pruned pair search returns exactly what brute force returns, floats included."""

from __future__ import annotations

import threading
from itertools import combinations

import numpy as np
import pytest

from simdup_tui.core.distance import (
    SCALE,
    brute_force_pairs,
    difference,
    find_pairs,
    stack,
    sum_limit,
)
from simdup_tui.core.errors import TooManyPairsError
from simdup_tui.core.summary import SIDE, SUMMARY_BYTES


def photo_like(count: int, seed: int, duplicate_fraction: float = 0.3) -> np.ndarray:
    """Smooth colour fields with noise, many near-duplicates (the data pruning must not break)."""
    rng = np.random.default_rng(seed)
    base_count = max(1, count - int(count * duplicate_fraction))
    coarse = rng.normal(128, 60, size=(base_count, 2, 2, 3))
    coarse += rng.normal(0, 40, size=(base_count, 1, 1, 1))
    field = coarse.repeat(SIDE // 2, axis=1).repeat(SIDE // 2, axis=2)
    rows = np.clip(field + rng.normal(0, 4, field.shape), 0, 255).reshape(base_count, -1)
    copies = rows[rng.integers(0, base_count, size=count - base_count)]
    spread = rng.uniform(0, 20, size=(len(copies), 1))
    copies = copies + rng.normal(0, 1, copies.shape) * spread + rng.normal(0, 5, (len(copies), 1))
    matrix = np.clip(np.concatenate([rows, copies]), 0, 255).astype(np.uint8)
    return matrix[rng.permutation(count)]


def pair_sums(matrix: np.ndarray) -> list[int]:
    data = matrix.astype(np.int32)
    return sorted(
        int(np.abs(data[i] - data[j]).sum()) for i, j in combinations(range(len(data)), 2)
    )


def edge_thresholds(matrix: np.ndarray) -> list[float]:
    """Thresholds exactly at pair differences (left out: the test is strict) and just past them."""
    sums = pair_sums(matrix)
    picks = {sums[0], sums[len(sums) // 50], sums[len(sums) // 10], sums[len(sums) // 2]}
    thresholds = {0.07, 0.02, 0.15}
    for total in picks:
        value = total / SCALE
        thresholds.update({value, float(np.nextafter(value, 2.0)), float(np.nextafter(value, 0))})
    return sorted(t for t in thresholds if 0 < t <= 1)


@pytest.mark.parametrize("seed", range(3))
def test_equals_brute_force_on_uniform_random_bytes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 256, size=(60, SUMMARY_BYTES), dtype=np.uint8)
    for threshold in [*edge_thresholds(matrix), 0.3, 0.333, 0.34, 1.0]:
        assert find_pairs(matrix, threshold) == brute_force_pairs(matrix, threshold)


@pytest.mark.parametrize("seed", range(4))
def test_equals_brute_force_on_near_duplicate_rich_data(seed: int) -> None:
    matrix = photo_like(300, seed)
    found_any = False
    for threshold in edge_thresholds(matrix):
        expected = brute_force_pairs(matrix, threshold)
        assert find_pairs(matrix, threshold) == expected
        found_any |= bool(expected)
    assert found_any


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_threads_change_nothing(workers: int) -> None:
    matrix = photo_like(5000, 7)
    expected = find_pairs(matrix, 0.07, workers=1)
    assert expected  # the data has near-duplicates
    assert find_pairs(matrix, 0.07, workers=workers) == expected
    sample = expected[:: max(1, len(expected) // 50)]
    for i, j, value in sample:
        assert value == difference(matrix[i].tobytes(), matrix[j].tobytes())


def test_a_pair_exactly_at_the_threshold_is_left_out() -> None:
    a = np.zeros((1, SUMMARY_BYTES), np.uint8)
    b = a.copy()
    b[0, :137] = 100  # sum 13700, a difference of 13700 / SCALE
    matrix = np.concatenate([a, b])
    threshold = 13700 / SCALE
    assert find_pairs(matrix, threshold) == []
    assert find_pairs(matrix, float(np.nextafter(threshold, 1.0))) == [(0, 1, threshold)]


def test_identical_rows_and_tiny_inputs() -> None:
    same = np.full((4, SUMMARY_BYTES), 9, np.uint8)
    assert find_pairs(same[:0], 0.07) == []
    assert find_pairs(same[:1], 0.07) == []
    assert find_pairs(same, 0.07) == [(i, j, 0.0) for i, j in combinations(range(4), 2)]
    assert find_pairs(same, 1e-300) == brute_force_pairs(same, 1e-300)


def test_extreme_rows_at_threshold_one() -> None:
    black = np.zeros((1, SUMMARY_BYTES), np.uint8)
    white = np.full((1, SUMMARY_BYTES), 255, np.uint8)
    matrix = np.concatenate([black, white, black])
    assert find_pairs(matrix, 1.0) == brute_force_pairs(matrix, 1.0) == [(0, 2, 0.0)]


def test_sum_limit_is_the_largest_sum_below_the_threshold() -> None:
    for threshold in [0.07, 0.5, 1.0, 1 / SCALE, 13708 / SCALE, 1e-9]:
        limit = sum_limit(threshold)
        assert limit / SCALE < threshold or limit == -1
        assert not (limit + 1) / SCALE < threshold
    assert sum_limit(0.0) == -1
    assert sum_limit(float("nan")) == -1


def test_stack_feeds_find_pairs() -> None:
    matrix = photo_like(50, 3)
    rows = [row.tobytes() for row in matrix]
    assert find_pairs(stack(rows), 0.1) == brute_force_pairs(matrix, 0.1)


def test_a_threshold_linking_too_many_pairs_stops_with_a_clear_error() -> None:
    rows = np.random.default_rng(7).integers(0, 256, size=(300, 768), dtype=np.uint8)
    with pytest.raises(TooManyPairsError, match="too loose"):
        find_pairs(rows, 1.0, max_pairs=1000)
    assert len(find_pairs(rows, 1.0, max_pairs=300 * 299 // 2)) == 300 * 299 // 2


def test_a_cancelled_search_stops_early() -> None:
    rows = np.random.default_rng(8).integers(0, 256, size=(3000, 768), dtype=np.uint8)
    cancel = threading.Event()
    cancel.set()
    assert find_pairs(rows, 1.0, cancel=cancel) == []


def test_plain_and_blocky_summaries_skip_the_full_compare_yet_stay_exact() -> None:
    """Rows that are one colour per 4x4 block take the block bound as their exact difference."""
    rng = np.random.default_rng(11)
    plain = np.repeat(rng.integers(0, 256, size=(300, 1, 3)), 256, axis=1).reshape(300, 768)
    blocks = rng.integers(0, 256, size=(150, 4, 1, 4, 1, 3))
    blocky = np.broadcast_to(blocks, (150, 4, 4, 4, 4, 3)).reshape(150, 768)
    noisy = np.clip(plain[:150] + rng.integers(-3, 4, size=(150, 768)), 0, 255)
    matrix = np.concatenate([plain, blocky, noisy]).astype(np.uint8)
    for threshold in (0.02, 0.1):
        assert find_pairs(matrix, threshold) == brute_force_pairs(matrix, threshold)
