"""Cold scan against the decoding floor, one worker, and the tutorial's way, in one run.

Builds 12 MP baseline quality-90 JPEGs (Pillow-drawn scenes with camera-like noise, every
fourth a near-duplicate) in a temporary folder, then times on the same files:

- floor: Pillow's reduced-scale decode alone (open, draft to 1/8, load, resize to 16x16) on all
  cores, with threads and with processes; the faster is the floor;
- scan: simdup_tui.core.scan.scan with every core, and with one worker (no cache);
- tutorial: full decode, resize, then every pair compared with ImageChops pixel by pixel.

    python benchmarks/bench_scan.py [--photos 48] [--quick]

Targets (issue 5): scan <= 1.25x floor; scan(all cores) >= 1.7x scan(one worker).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import combinations, product
from pathlib import Path

from PIL import Image, ImageChops

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_phone_photos

from simdup_tui.core.duplicates import find_duplicates
from simdup_tui.core.scan import scan


def reduced_decode(path: Path) -> bytes:
    """The floor: nothing but the reduced-scale decode and the resize."""
    with Image.open(path) as image:
        image.draft("RGB", (image.width // 8, image.height // 8))
        image.load()
        return image.resize((16, 16), Image.Resampling.BICUBIC).tobytes()


def tutorial_summary(path: Path) -> Image.Image:
    """The tutorial: open, full decode, resize."""
    with Image.open(path) as image:
        return image.resize((16, 16))


def tutorial_difference(img1: Image.Image, img2: Image.Image) -> float:
    """The tutorial's ImageChops loop, as written there."""
    diff = ImageChops.difference(img1, img2)
    acc = 0
    width, height = diff.size
    for w, h in product(range(width), range(height)):
        r, g, b = diff.getpixel((w, h))
        acc += (r + g + b) / 3
    return acc / (width * height) / 255


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(repeats: int, contenders: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best time of each contender, taking turns so a busy neighbour slows all of them alike."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeats):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="12 photos, one repeat")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    if args.quick:
        args.photos, args.repeats = 12, 1
    cores = os.cpu_count() or 1
    folder = args.keep or Path(tempfile.mkdtemp(prefix="simdup-bench-scan-"))
    try:
        start = time.perf_counter()
        paths = sorted(folder.glob("*.jpg"))
        if len(paths) != args.photos:
            paths = make_phone_photos(folder, args.photos)
        size_mb = sum(path.stat().st_size for path in paths) / 1e6
        print(
            f"corpus: {len(paths)} JPEGs 4000x3000 q90, {size_mb:.0f} MB, "
            f"built in {time.perf_counter() - start:.1f} s; {cores} cores"
        )
        for path in paths:  # warm the page cache so every contender reads from memory
            path.read_bytes()

        def floor_threads() -> None:
            with ThreadPoolExecutor(cores) as pool:
                list(pool.map(reduced_decode, paths))

        def floor_processes() -> None:
            with ProcessPoolExecutor(cores) as pool:
                list(pool.map(reduced_decode, paths, chunksize=4))

        contenders: dict[str, Callable[[], object]] = {
            "floor_one": lambda: [reduced_decode(path) for path in paths],
            "floor_threads": floor_threads,
            "floor_processes": floor_processes,
            "scan_all": lambda: scan(folder),
            "scan_one": lambda: scan(folder, workers=1),
        }
        times = interleaved(args.repeats, contenders)
        floor_one, floor_t, floor_p = (
            times["floor_one"],
            times["floor_threads"],
            times["floor_processes"],
        )
        floor = min(floor_t, floor_p)
        scan_all, scan_one = times["scan_all"], times["scan_one"]
        result = scan(folder)
        duplicates = find_duplicates(result.summaries)

        start = time.perf_counter()
        images = [tutorial_summary(path) for path in paths]
        decode_tutorial = time.perf_counter() - start
        start = time.perf_counter()
        tutorial_pairs = [
            (i, j)
            for i, j in combinations(range(len(images)), 2)
            if tutorial_difference(images[i], images[j]) < 0.07
        ]
        compare_tutorial = time.perf_counter() - start
        tutorial = decode_tutorial + compare_tutorial
        ours = scan_all + best_of(args.repeats, lambda: find_duplicates(result.summaries))

        count = len(paths)
        rows = [
            ("reduced decode, 1 worker", floor_one),
            (f"reduced decode, {cores} threads", floor_t),
            (f"reduced decode, {cores} processes", floor_p),
            ("scan, 1 worker", scan_one),
            ("scan, all cores", scan_all),
        ]
        for label, seconds in rows:
            print(f"{label:<34}{seconds:7.2f} s  {count / seconds:6.1f} photos/s")
        print(
            f"tutorial: decode {decode_tutorial:.2f} s + {count * (count - 1) // 2} ImageChops "
            f"pairs {compare_tutorial:.2f} s = {tutorial:.2f} s"
        )
        print(f"pairs: ours {len(duplicates.pairs)}, tutorial {len(tutorial_pairs)}")
        print()
        print(f"scan / floor            {scan_all / floor:5.2f}x  (target <= 1.25)")
        print(f"all cores / one worker  {scan_one / scan_all:5.2f}x  (target >= 1.7)")
        print(f"tutorial / ours         {tutorial / ours:5.1f}x  (scan + pair search)")
        command = "`python benchmarks/bench_scan.py`"
        print(
            f"RESULT | cold scan of 12 MP JPEGs vs the reduced-decode floor | within 1.25x | "
            f"**{scan_all / floor:.2f}x** ({count / scan_all:.1f} vs {count / floor:.1f} "
            f"photos/s) | {command}"
        )
        print(
            f"RESULT | both cores vs one worker | at least 1.7x | **{scan_one / scan_all:.2f}x** "
            f"| {command}"
        )
        print(
            f"RESULT | vs the tutorial's way (full decode, ImageChops on every pair) | | "
            f"**{tutorial / ours:.1f}x** faster, pairs {len(duplicates.pairs)} vs "
            f"{len(tutorial_pairs)} | {command}"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
