"""Exact pair search on photo-like summaries: time, peak memory, and agreement with brute force.

Summaries are generated directly (smooth colour fields with noise, ~10% near-duplicates; see
corpus.photo_like_summaries). Each size runs in its own process so its peak resident memory is
its own. Brute force (plain numpy, every pair) is timed on a slice in the same run and scaled
by the pair count to the full size.

    python benchmarks/bench_pairs.py [--sizes 10000 100000] [--threshold 0.07] [--quick]

Targets (issue 5): 10,000 in < 1 s, 100,000 in < 30 s, memory < 1 GB, same pairs as brute force.

Then the grey-copy match (core/grey.py) on 10,000 summaries (--grey-size): the search as
find_duplicates runs it, with and without the match, on summaries without a grey one and with
half of them turned grey (their own luminance, so grey copies of colour rows are among them),
best of 7 each, taking turns; its pairs are checked against brute force on a slice.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
from corpus import SIDE, add_near_duplicates, photo_like_summaries, smooth_field

from simdup_tui.core.distance import brute_force_pairs, find_pair_arrays, find_pairs
from simdup_tui.core.grey import (
    brute_force_grey_pairs,
    grey_pairs,
    grey_rows,
    luminance,
)
from simdup_tui.core.grey import find_pairs as find_grey_aware_pairs


def child(size: int, threshold: float, check: int) -> None:
    """One size in this process: prints a JSON line."""
    matrix = photo_like_summaries(size, seed=size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    pairs = find_pairs(matrix, threshold)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sample = matrix[: min(check, size)]
    start = time.perf_counter()
    expected = brute_force_pairs(sample, threshold)
    brute = time.perf_counter() - start
    same = find_pairs(sample, threshold) == expected
    scale = (size * (size - 1)) / max(1, len(sample) * (len(sample) - 1))
    print(
        json.dumps(
            {
                "size": size,
                "seconds": seconds,
                "pairs": len(pairs),
                "peak_mb": peak,
                "before_mb": before,
                "checked": len(sample),
                "same": same,
                "brute_estimate": brute * scale,
            }
        )
    )


def correlated_summaries(count: int, seed: int = 0, duplicate_fraction: float = 0.10) -> np.ndarray:
    """Like corpus.photo_like_summaries, but with the channels moving together as in photos: a
    shared light field (coarse 4x4, sd 60) plus a smaller colour field (sd 20) and tint (sd 20).

    photo_like_summaries draws each channel's field on its own, so their luminance (a weighted
    mean of three independent fields) varies a third less than any channel: far more pictures
    look alike in luminance than in any real library.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((count, SIDE * SIDE * 3), np.uint8)
    base_count = count - int(count * duplicate_fraction)
    for start in range(0, base_count, 4096):
        rows = min(4096, base_count - start)
        mean = rng.beta(2.0, 2.0, size=(rows, 1, 1, 1)) * 255
        tint = rng.normal(0, 20, size=(rows, 1, 1, 3))
        light = smooth_field(rng.normal(0, 60, size=(rows, 4, 4, 1)))
        colour = smooth_field(rng.normal(0, 20, size=(rows, 4, 4, 3)))
        pixels = mean + tint + light + colour + rng.normal(0, 4, size=(rows, SIDE, SIDE, 3))
        out[start : start + rows] = np.clip(pixels, 0, 255).reshape(rows, -1)
    return add_near_duplicates(out, base_count, rng)


def greyed(matrix: np.ndarray, fraction: float, seed: int = 0) -> np.ndarray:
    """A copy with `fraction` of the rows replaced by their own luminance (grey summaries)."""
    rng = np.random.default_rng(seed)
    out = matrix.copy()
    rows = rng.choice(len(matrix), int(len(matrix) * fraction), replace=False)
    out[rows] = np.repeat(luminance(matrix[rows])[:, :, None], 3, axis=2).reshape(len(rows), -1)
    return out


def grey_search(matrix: np.ndarray, threshold: float, grey: bool) -> int:
    """find_duplicates' search: the tutorial's pairs, then (with grey) the grey-colour ones."""
    if grey:
        arrays, _ = find_grey_aware_pairs(matrix, threshold)
    else:
        arrays = find_pair_arrays(matrix, threshold, ordered=False)
    return len(arrays[0])


def grey_costs(plain: np.ndarray, threshold: float, check: int) -> tuple[float, float, bool]:
    """Prints the grey-copy match's cost on these summaries as they are (no grey one) and with
    half of them grey; returns (the share of the search that finding no grey photo takes, with
    / without the match on the half-grey set, exact)."""
    half = greyed(plain, 0.5)
    cases = {
        ("no grey", False): plain, ("no grey", True): plain,
        ("50% grey", False): half, ("50% grey", True): half,
    }  # fmt: skip
    times: dict[tuple[str, bool], list[float]] = {case: [] for case in cases}
    pairs: dict[tuple[str, bool], int] = {}
    for _ in range(7):
        for case, matrix in cases.items():
            start = time.perf_counter()
            pairs[case] = grey_search(matrix, threshold, case[1])
            times[case].append(time.perf_counter() - start)
    best = {case: min(values) for case, values in times.items()}
    detect = []
    for _ in range(7):
        start = time.perf_counter()
        grey_rows(plain)
        detect.append(time.perf_counter() - start)
    sample = half[:check]
    sample_greys = grey_rows(sample)
    found = grey_pairs(sample, sample_greys, threshold)
    same = sorted(zip(*(part.tolist() for part in found), strict=True)) == (
        brute_force_grey_pairs(sample, sample_greys, threshold)
    )
    base = best[("no grey", False)]
    for (name, grey), seconds in best.items():
        flag = "grey match on" if grey else "--no-grey    "
        print(f"  {name:9s} {flag} {seconds * 1000:7.1f} ms  {pairs[(name, grey)]:>7} pairs  "
              f"{seconds / base:.2f}x the search without grey photos and --no-grey")  # fmt: skip
    print(f"  grey-colour pairs the same as brute force on {len(sample):,}: {same}")
    share = min(detect) / base
    print(f"  finding that no summary is grey: {min(detect) * 1000:.2f} ms ({share:.1%} of the "
          "search; the rest of the search is the same code)")  # fmt: skip
    half_ratio = best[("50% grey", True)] / best[("50% grey", False)]
    return share, half_ratio, same


def grey_report(size: int, threshold: float, check: int) -> None:
    """The grey-copy match on two kinds of summaries, with its RESULT line."""
    ratios = {}
    for name, make in (("correlated channels", correlated_summaries),
                       ("independent channels", photo_like_summaries)):  # fmt: skip
        print(f"\ngrey-copy match, {size:,} summaries with {name} (best of 7, taking turns)")
        ratios[name] = grey_costs(make(size, seed=size), threshold, check)
    none, half, same = ratios["correlated channels"]
    _, half_dense, same_dense = ratios["independent channels"]
    print(
        f"RESULT | the grey-copy match vs `--no-grey`, {size:,} summaries | nothing measurable "
        f"without grey photos; near the search with many | **+{none:.1%}** with no grey photo; "
        f"**{half:.2f}x** with half of them grey ({half_dense:.2f}x on summaries whose "
        f"luminance is unrealistically alike); same pairs as brute force: {same and same_dense}"
        " | `python benchmarks/bench_pairs.py`"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--threshold", type=float, default=0.07)
    parser.add_argument("--check", type=int, default=2000, help="rows compared with brute force")
    parser.add_argument("--quick", action="store_true", help="sizes 2,000 and 10,000")
    parser.add_argument("--grey-size", type=int, default=10_000, help="0 skips the grey part")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.threshold, args.check)
        return
    if args.quick:
        args.sizes, args.check = [2000, 10_000], 1000
    print(f"threshold {args.threshold}; photo-like summaries, ~10% near-duplicates")
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size)]
        command += ["--threshold", str(args.threshold), "--check", str(args.check)]
        line = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        row = json.loads(line.splitlines()[-1])
        print(
            f"{row['size']:>7} summaries  {row['seconds']:7.2f} s  {row['pairs']:>7} pairs  "
            f"peak RSS {row['peak_mb']:5.0f} MB (data alone {row['before_mb']:.0f} MB)  "
            f"brute force ~{row['brute_estimate']:7.1f} s "
            f"({row['brute_estimate'] / row['seconds']:.0f}x slower)  "
            f"same as brute force on {row['checked']}: {row['same']}"
        )
        target = "under 1 s" if row["size"] <= 10_000 else "under 30 s, 1 GB"
        print(
            f"RESULT | exact pair search, {row['size']:,} summaries | {target} | "
            f"**{row['seconds']:.2f} s**, {row['peak_mb']:.0f} MB peak (brute force "
            f"~{row['brute_estimate']:.0f} s) | `python benchmarks/bench_pairs.py`"
        )
    if args.grey_size:
        grey_report(args.grey_size, args.threshold, min(args.check, 1000))


if __name__ == "__main__":
    main()
