"""Peak resident memory of scanning and clustering many photos (target: 100,000 under 500 MB).

Writes small photo-like JPEGs (~10% near-duplicates) into a temporary folder, then a fresh
process scans them (no cache) and finds the duplicates at 0.07, and reports its peak RSS.

    python benchmarks/bench_memory.py [--photos 100000] [--quick]
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

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_small_photos


def child(folder: Path) -> None:
    from simdup_tui.core.duplicates import find_duplicates
    from simdup_tui.core.scan import scan

    start = time.perf_counter()
    result = scan(folder)
    scanned = time.perf_counter() - start
    start = time.perf_counter()
    duplicates = find_duplicates(result.summaries, 0.07)
    clustered = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(result.summaries)} photos: scan {scanned:.1f} s, clusters {clustered:.2f} s "
        f"({len(duplicates.pairs)} pairs, {len(duplicates.clusters)} clusters); "
        f"peak RSS {peak:.0f} MB (target < 500 MB)"
    )
    print(
        f"RESULT | scan and cluster {len(result.summaries):,} photos | under 500 MB | "
        f"**{peak:.0f} MB** peak | `python benchmarks/bench_memory.py`"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="5,000 photos")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.quick:
        args.photos = 5000
    root = Path(tempfile.mkdtemp(prefix="simdup-bench-memory-"))
    try:
        start = time.perf_counter()
        make_small_photos(root, args.photos)
        print(f"corpus: {args.photos} small JPEGs, written in {time.perf_counter() - start:.0f} s")
        command = [sys.executable, __file__, "--child", str(root)]
        print(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
