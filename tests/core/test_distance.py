"""The tutorial's metric, and the pair search checked against plain brute force."""

from __future__ import annotations

import inspect
from itertools import combinations, product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from simdup_tui.core.distance import difference, find_pairs, stack
from simdup_tui.core.summary import SIDE, SUMMARY_BYTES

SCALE = SUMMARY_BYTES * 255


def tutorial_difference(img1: Image.Image, img2: Image.Image) -> float:
    """Copied from the tutorial ("Finding similar photos", mathspp.com)."""
    diff = ImageChops.difference(img1, img2)
    acc = 0
    width, height = diff.size
    for w, h in product(range(width), range(height)):
        r, g, b = diff.getpixel((w, h))
        acc += (r + g + b) / 3
    average_diff = acc / (width * height)
    normalised_diff = average_diff / 255
    return normalised_diff


def random_summary(rng: np.random.Generator) -> bytes:
    return rng.integers(0, 256, size=SUMMARY_BYTES, dtype=np.uint8).tobytes()


def as_image(pixels: bytes) -> Image.Image:
    return Image.frombytes("RGB", (SIDE, SIDE), pixels)


@pytest.mark.parametrize("seed", range(12))
def test_difference_is_the_tutorials_imagechops_computation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = random_summary(rng)
    # Half the pairs are unrelated, half are close (the case that decides duplicates).
    if seed % 2:
        b = random_summary(rng)
    else:
        noise = rng.integers(-12, 13, size=SUMMARY_BYTES)
        b = np.clip(np.frombuffer(a, np.uint8) + noise, 0, 255).astype(np.uint8).tobytes()
    expected = tutorial_difference(as_image(a), as_image(b))
    assert difference(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert difference(b, a) == difference(a, b)


def test_difference_ends_of_the_scale() -> None:
    black, white = bytes(SUMMARY_BYTES), bytes([255]) * SUMMARY_BYTES
    assert difference(black, white) == 1.0
    assert difference(white, white) == 0.0
    # One channel of one pixel off by one: the smallest step the metric can take.
    nudged = bytes([1]) + bytes(SUMMARY_BYTES - 1)
    assert difference(black, nudged) == 1 / SCALE


def test_stack_keeps_order_and_shape() -> None:
    rng = np.random.default_rng(0)
    rows = [random_summary(rng) for _ in range(5)]
    matrix = stack(rows)
    assert matrix.shape == (5, SUMMARY_BYTES)
    assert [row.tobytes() for row in matrix] == rows
    assert stack([]).shape == (0, SUMMARY_BYTES)


# --- pair search against brute force -------------------------------------------------------------


def brute_force(rows: list[bytes], threshold: float) -> list[tuple[int, int, float]]:
    """The tutorial's loop: every unique pair, kept when its difference is below the threshold."""
    found = []
    for i, j in combinations(range(len(rows)), 2):
        value = difference(rows[i], rows[j])
        if value < threshold:
            found.append((i, j, value))
    return found


def near_duplicate_rows(
    rng: np.random.Generator, groups: int, copies: int, spread: int
) -> list[bytes]:
    """groups base summaries, each with copies noisy variants (+-spread per channel), shuffled."""
    rows = []
    for _ in range(groups):
        base = rng.integers(0, 256, size=SUMMARY_BYTES)
        for _ in range(copies):
            noise = rng.integers(-spread, spread + 1, size=SUMMARY_BYTES)
            rows.append(np.clip(base + noise, 0, 255).astype(np.uint8).tobytes())
    order = rng.permutation(len(rows))
    return [rows[k] for k in order]


def assert_same_pairs(rows: list[bytes], threshold: float) -> list[tuple[int, int, float]]:
    expected = brute_force(rows, threshold)
    found = find_pairs(stack(rows), threshold)
    assert [(i, j) for i, j, _ in found] == [(i, j) for i, j, _ in expected]
    for (_, _, got), (_, _, want) in zip(found, expected, strict=True):
        assert got == pytest.approx(want, abs=1e-12)
    return expected


def boundary_thresholds(rows: list[bytes]) -> list[float]:
    """Thresholds where mistakes show: exactly at some pair differences (which must then be left
    out, the comparison is strict), just above them, and around the median."""
    values = sorted(difference(a, b) for a, b in combinations(rows, 2))
    if not values:
        return [0.07]
    picks = [values[0], values[len(values) // 10], values[len(values) // 2], values[-1]]
    thresholds = {0.07, 1.0}
    for value in picks:
        thresholds.add(value)
        thresholds.add(float(np.nextafter(value, 2.0)))
    return sorted(t for t in thresholds if 0 < t <= 1)


@pytest.mark.parametrize("seed", range(4))
def test_find_pairs_equals_brute_force_on_random_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = [random_summary(rng) for _ in range(40)]
    for threshold in [*boundary_thresholds(rows), 0.3, 0.33, 0.34]:
        assert_same_pairs(rows, threshold)


@pytest.mark.parametrize(
    ("groups", "copies", "spread"), [(6, 5, 8), (3, 12, 20), (10, 3, 40), (1, 30, 15)]
)
def test_find_pairs_equals_brute_force_on_near_duplicates(
    groups: int, copies: int, spread: int
) -> None:
    rng = np.random.default_rng(groups * 1000 + copies * 10 + spread)
    rows = near_duplicate_rows(rng, groups, copies, spread)
    found_any = False
    for threshold in [*boundary_thresholds(rows), 0.01, 0.02, 0.05]:
        found_any |= bool(assert_same_pairs(rows, threshold))
    assert found_any  # the data really is rich in near-duplicates


def test_find_pairs_leaves_out_a_pair_exactly_at_the_threshold() -> None:
    a = bytes(SUMMARY_BYTES)
    b = bytes([20]) * 100 + bytes(SUMMARY_BYTES - 100)  # difference 2000 / SCALE
    threshold = difference(a, b)
    assert find_pairs(stack([a, b]), threshold) == []
    [(i, j, value)] = find_pairs(stack([a, b]), float(np.nextafter(threshold, 1.0)))
    assert (i, j, value) == (0, 1, pytest.approx(threshold))


def test_find_pairs_with_identical_and_few_rows() -> None:
    same = bytes([7]) * SUMMARY_BYTES
    assert find_pairs(stack([]), 0.07) == []
    assert find_pairs(stack([same]), 0.07) == []
    assert [(i, j) for i, j, _ in find_pairs(stack([same, same, same]), 0.07)] == [
        (0, 1),
        (0, 2),
        (1, 2),
    ]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    groups=st.integers(0, 8),
    copies=st.integers(1, 6),
    spread=st.integers(0, 60),
    threshold=st.floats(min_value=1e-4, max_value=1.0),
)
def test_find_pairs_equals_brute_force_property(
    seed: int, groups: int, copies: int, spread: int, threshold: float
) -> None:
    rng = np.random.default_rng(seed)
    rows = near_duplicate_rows(rng, groups, copies, spread)
    assert_same_pairs(rows, threshold)


def all_pair_sums(matrix: np.ndarray) -> np.ndarray:
    """Brute force for many rows: every pair's summed absolute byte difference, in row blocks."""
    data = matrix.astype(np.int16)
    sums = np.empty((len(data), len(data)), dtype=np.int64)
    for start in range(0, len(data), 64):
        block = data[start : start + 64]
        sums[start : start + 64] = np.abs(block[:, None, :] - data[None, :, :]).sum(axis=2)
    return sums


@pytest.mark.parametrize("workers", [None, 3])
def test_find_pairs_equals_brute_force_on_many_photos(workers: int | None) -> None:
    """Enough rows that a search may split the work into blocks and threads."""
    if workers is not None and "workers" not in inspect.signature(find_pairs).parameters:
        pytest.skip("find_pairs takes no workers argument")
    options = {} if workers is None else {"workers": workers}
    rng = np.random.default_rng(2024)
    rows = [
        *near_duplicate_rows(rng, groups=30, copies=8, spread=8),
        *near_duplicate_rows(rng, groups=30, copies=8, spread=20),
        *near_duplicate_rows(rng, groups=30, copies=8, spread=40),
        *(random_summary(rng) for _ in range(80)),
    ]
    matrix = stack(rows)
    sums = all_pair_sums(matrix)
    # The fast reference is the tutorial's loop, on a corner small enough to loop over.
    corner = brute_force(rows[:40], 0.2)
    assert [(i, j) for i, j, _ in corner] == [
        (i, j) for i, j in combinations(range(40), 2) if sums[i, j] / SCALE < 0.2
    ]
    upper = np.triu(np.ones_like(sums, dtype=bool), k=1)
    close = np.sort(sums[upper & (sums < 0.1 * SCALE)]) / SCALE
    exact = [float(close[len(close) * k // 4]) for k in range(4)]  # ties with a pair: left out
    for threshold in (0.01, 0.03, 0.07, 0.33, *exact):
        i, j = np.nonzero(upper & (sums / SCALE < threshold))
        found = find_pairs(matrix, threshold, **options)
        assert [(a, b) for a, b, _ in found] == list(zip(i.tolist(), j.tolist(), strict=True))
        assert [value for _, _, value in found] == (sums[i, j] / SCALE).tolist()
