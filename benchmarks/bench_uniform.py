"""Large and uniform folders, whole process: warm --json of plain-colour images and of copies.

Builds, in a temporary folder:

- 10,000 plain-colour 32x32 PNGs (random colours: at threshold 0.07 about half a million close
  pairs link them all into one component);
- 5,000 byte-identical copies of one photo (one cluster; 12.5 million pairs if they were listed).

Then runs `python -m simdup_tui DIR --json` once to fill a private summary cache and times the
next runs (best of 3), the whole process as a person would see it, on the machine's cores.

    python benchmarks/bench_uniform.py [--quick]

Targets (issue 8): each warm --json under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image


def plain_colours(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    rng = np.random.default_rng(8)
    for index, colour in enumerate(rng.integers(0, 256, size=(count, 3))):
        Image.new("RGB", (32, 32), tuple(int(c) for c in colour)).save(folder / f"c{index:05}.png")
    return folder


def copies(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    rng = np.random.default_rng(9)
    first = folder / "copy_00000.jpg"
    pixels = rng.integers(0, 256, size=(48, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels, "RGB").save(first, quality=90)
    for index in range(1, count):
        shutil.copyfile(first, folder / f"copy_{index:05}.jpg")
    return folder


def timed_json(folder: Path, env: dict[str, str], runs: int = 3) -> tuple[float, float, dict]:
    """Best wall-clock seconds, and the CPU seconds (user + system) of that run, of a warm
    --json; CPU time tells the figure apart from a busy neighbour's load."""
    command = [sys.executable, "-m", "simdup_tui", str(folder), "--json"]
    subprocess.run(command, env=env, check=True, capture_output=True)  # fills the cache
    best, best_cpu = float("inf"), 0.0
    report: dict = {}
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if wall < best:
            best, best_cpu = wall, cpu
        report = json.loads(done.stdout)
    return best, best_cpu, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 500 files")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    work = Path(tempfile.mkdtemp(prefix="simdup-bench-uniform-"))
    env = {**os.environ, "SIMDUP_CACHE_DIR": str(work / "cache")}
    try:
        colours = plain_colours(work / "colours", 10_000 // scale)
        seconds, cpu, report = timed_json(colours, env)
        clusters = report["clusters"]
        biggest = max((len(c["files"]) for c in clusters), default=0)
        print(
            f"plain colours: {report['photos']:,} photos, {report['pair_count']:,} pairs, "
            f"{len(clusters):,} clusters (largest {biggest}); warm --json {seconds:.2f} s "
            f"(CPU {cpu:.2f} s; target < 2 s)"
        )
        print(
            f"RESULT | warm `--json` of {report['photos']:,} plain-colour images "
            f"({report['pair_count']:,} pairs) | under 2 s | **{cpu:.2f} s of CPU** (wall "
            f"{seconds:.2f} s) | `python benchmarks/bench_uniform.py`"
        )
        same = copies(work / "copies", 5_000 // scale)
        seconds, cpu, report = timed_json(same, env)
        [cluster] = report["clusters"]
        identical = sum(1 for f in cluster["files"] if f["identical"])
        print(
            f"identical copies: {report['photos']:,} photos, one cluster of "
            f"{len(cluster['files']):,} ({identical:,} identical); warm --json {seconds:.2f} s "
            f"(CPU {cpu:.2f} s; target < 2 s)"
        )
        print(
            f"RESULT | warm `--json` of {report['photos']:,} identical copies (one cluster) | "
            f"under 2 s | **{cpu:.2f} s of CPU** (wall {seconds:.2f} s), {identical:,} labelled "
            "identical | `python benchmarks/bench_uniform.py`"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
