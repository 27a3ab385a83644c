"""Warm scan from the cache and re-clustering at a new threshold, on 10,000 small photos.

Writes 10,000 small JPEGs (photo-like, ~10% near-duplicates) and a cache into a temporary
folder, then times in one run: the cold scan that fills the cache, the warm scan of the
unchanged folder, a scan after touching 1% of the files, and find_duplicates at new thresholds.

    python benchmarks/bench_cache.py [--photos 10000] [--quick]

Targets (issue 5): warm scan < 2 s; re-clustering 10,000 at a new threshold < 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_small_photos

from simdup_tui.core.cache import SqliteSummaryCache
from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.scan import scan


def timed(run):
    start = time.perf_counter()
    value = run()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="2,000 photos")
    args = parser.parse_args()
    if args.quick:
        args.photos = 2000
    root = Path(tempfile.mkdtemp(prefix="simdup-bench-cache-"))
    try:
        folder, cache_dir = root / "photos", root / "cache"
        _, built = timed(lambda: make_small_photos(folder, args.photos))
        print(f"corpus: {args.photos} small JPEGs, written in {built:.1f} s")
        cache = SqliteSummaryCache(cache_dir)
        cold, cold_s = timed(lambda: scan(folder, cache=cache))
        warm, warm_s = timed(lambda: scan(folder, cache=cache))
        assert warm.summaries == cold.summaries
        fresh = SqliteSummaryCache(cache_dir)  # a second app start: nothing in memory
        _, restart_s = timed(lambda: scan(folder, cache=fresh))
        for path in sorted(folder.iterdir())[::100]:
            os.utime(path, ns=(time.time_ns(), time.time_ns()))
        _, touched_s = timed(lambda: scan(folder, cache=fresh))
        size = (cache_dir / "summaries.sqlite3").stat().st_size / 1e6
        print(f"cold scan, filling the cache   {cold_s:6.2f} s")
        print(f"warm scan, same process        {warm_s:6.2f} s  ({cold_s / warm_s:.0f}x faster)")
        print(f"warm scan, new cache object    {restart_s:6.2f} s  (target < 2 s at 10,000)")
        print(f"scan after touching 1% files   {touched_s:6.2f} s")
        print(f"cache file                     {size:6.1f} MB")
        print(
            f"RESULT | warm scan of {args.photos:,} unchanged photos (SQLite cache) | under 2 s | "
            f"**{restart_s:.2f} s** (cold {cold_s:.1f} s) | `python benchmarks/bench_cache.py`"
        )
        summaries = warm.summaries
        for threshold in (0.07, 0.05, 0.10, 0.03):
            duplicates, seconds = timed(lambda t=threshold: find_duplicates(summaries, t))
            print(
                f"re-cluster at {threshold:.2f}             {seconds:6.2f} s  "
                f"({len(duplicates.pairs)} pairs, {len(duplicates.clusters)} clusters; "
                "target < 1 s)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
