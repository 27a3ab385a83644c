"""Peak resident memory of scanning huge PNGs with one worker and with eight (target: the same).

Writes a few 13,000 x 13,000 PNGs (half RGB, half RGBA: 507 and 676 MB decoded) into a temporary
folder, then fresh processes scan them (no cache) with 1 and with 8 workers and report their
peak RSS. Without the decode budget every worker decodes one at once and peak memory grows
with the core count.

    python benchmarks/bench_big_photos.py [--photos 4] [--side 13000] [--quick]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BEFORE = "before the decode budget, four 13,000 x 13,000 PNGs: 3,263 and 5,843 MB"
"""Measured once before issue 11's fix (that code is gone), for scale."""


def child(folder: Path, workers: int) -> None:
    from simdup_tui.core.scan import scan

    start = time.perf_counter()
    result = scan(folder, workers=workers)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{workers} worker(s): {len(result.summaries)} photos in {took:.0f} s, "
        f"peak RSS {peak:.0f} MB"
    )


def make_big_pngs(root: Path, photos: int, side: int) -> None:
    import numpy as np
    from PIL import Image

    for number in range(photos):
        rng = np.random.default_rng(number)
        coarse = Image.fromarray(rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8))
        big = coarse.resize((side, side), Image.Resampling.BILINEAR)
        big = big.convert("RGBA") if number % 2 else big
        big.save(root / f"big{number}.png", compress_level=1)
        del big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--side", type=int, default=13_000)
    parser.add_argument("--quick", action="store_true", help="two 6,000 x 6,000 PNGs")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers)
        return
    if args.quick:
        args.photos, args.side = 2, 6000
    root = Path(tempfile.mkdtemp(prefix="simdup-bench-big-"))
    try:
        start = time.perf_counter()
        make_big_pngs(root, args.photos, args.side)
        print(f"corpus: {args.photos} PNGs of {args.side} x {args.side}, written in "
              f"{time.perf_counter() - start:.0f} s")  # fmt: skip
        peaks = {}
        for workers in (1, 8):
            command = [sys.executable, __file__, "--child", str(root), "--workers", str(workers)]
            line = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            print(line.strip())
            peaks[workers] = float(line.rsplit("peak RSS ", 1)[1].split()[0])
        count = {2: "two", 4: "four"}.get(args.photos, f"{args.photos:,}")
        print(
            "RESULT | huge photos: peak memory independent of the worker count (issue 11) | "
            f"8 workers within 1.1x of 1 | {count} {args.side:,} x {args.side:,} PNGs: "
            f"**{peaks[1]:,.0f} MB** with 1 worker, **{peaks[8]:,.0f} MB** with 8 "
            f"({peaks[8] / peaks[1]:.2f}x; {BEFORE}) | `python benchmarks/bench_big_photos.py`"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
