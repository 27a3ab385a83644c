"""Exact pair search on photo-like summaries: time, peak memory, and agreement with brute force.

Summaries are generated directly (smooth colour fields with noise, ~10% near-duplicates; see
corpus.photo_like_summaries). Each size runs in its own process so its peak resident memory is
its own. Brute force (plain numpy, every pair) is timed on a slice in the same run and scaled
by the pair count to the full size.

    python benchmarks/bench_pairs.py [--sizes 10000 100000] [--threshold 0.07] [--quick]

Targets (issue 5): 10,000 in < 1 s, 100,000 in < 30 s, memory < 1 GB, same pairs as brute force.
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

from corpus import photo_like_summaries

from simdup_tui.core.distance import brute_force_pairs, find_pairs


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--threshold", type=float, default=0.07)
    parser.add_argument("--check", type=int, default=2000, help="rows compared with brute force")
    parser.add_argument("--quick", action="store_true", help="sizes 2,000 and 10,000")
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


if __name__ == "__main__":
    main()
