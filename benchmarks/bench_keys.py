"""Keypress-to-repaint time in the app with 10,000 clusters in the tree (target: < 50 ms a key).

Builds summaries in memory (no files, no pair search: clusters are given), opens the real app
headlessly, and times each key from press until the screen has processed and repainted. The
Pilot waits on timers between steps, so wall time has a fixed idle floor; the CPU time the
process spends per key is the work a key costs. Both are printed, beside the same keys on a
10-cluster tree measured in the same run.

    python benchmarks/bench_keys.py [--clusters 10000] [--presses 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from simdup_tui.core.cluster import make_cluster
from simdup_tui.core.duplicates import Duplicates
from simdup_tui.core.scan import ScanResult
from simdup_tui.core.summary import Summary
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.color_mode import ColorMode
from simdup_tui.ui.config import AppConfig
from simdup_tui.ui.screens import main as main_screen
from simdup_tui.ui.widgets import scan_progress

ROOT = Path("/bench")


def synthetic(clusters: int, seed: int = 0) -> tuple[ScanResult, Duplicates]:
    rng = np.random.default_rng(seed)
    summaries: list[Summary] = []
    built = []
    for number in range(clusters):
        base = rng.integers(0, 256, 768, dtype=np.int16)
        members = []
        for copy in range(2 + number % 3):
            noise = rng.integers(-3, 4, 768) if copy else 0
            pixels = np.clip(base + noise, 0, 255).astype(np.uint8).tobytes()
            summary = Summary(
                path=ROOT / f"folder{number // 500:03}" / f"photo{number:05}_{copy}.jpg",
                pixels=pixels,
                width=4000 - copy * 100,
                height=3000,
                format="JPEG",
                size=3_000_000 + copy * 1000 + number,
                mtime_ns=1_700_000_000_000_000_000 + number,
            )
            members.append(summary)
        summaries.extend(members)
        built.append(make_cluster(members))
    built.sort(key=lambda cluster: -cluster.reclaimable)
    result = ScanResult(ROOT, tuple(summaries), ())
    return result, Duplicates(0.07, tuple(built))


KEYS = ["j", "J", "space", "k", "K", "a", "f", "n", "pagedown", "l", "h", "G", "g"]
"""Keys that mark (space, a, f) also save the review: their time includes the SQLite commit."""


async def measure(clusters: int, presses: int) -> dict[str, list[tuple[float, float]]]:
    """Per key: (wall ms, CPU ms) samples."""
    os.environ["SIMDUP_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-keys-state-")
    result, duplicates = synthetic(clusters)
    scan_progress.scan = lambda *args, **kwargs: result  # type: ignore[assignment]
    main_screen.find_duplicates = lambda *args, **kwargs: duplicates  # type: ignore[assignment]
    app = SimdupApp(AppConfig(ROOT, color_mode=ColorMode.TRUECOLOR, use_cache=False))
    timings: dict[str, list[tuple[float, float]]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        print(f"tree filled with {clusters:,} clusters in {time.perf_counter() - started:.2f} s")
        for key in KEYS:
            samples = timings.setdefault(key, [])
            for _ in range(presses):
                wall, cpu = time.perf_counter(), time.process_time()
                await pilot.press(key)
                await pilot.pause()
                samples.append(
                    ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=30)
    args = parser.parse_args()
    small = asyncio.run(measure(10, args.presses))
    large = asyncio.run(measure(args.clusters, args.presses))
    print(f"{'key':10} {'wall ms':>9} {'CPU ms':>8} {'CPU ms @10':>11} {'ratio':>6}")
    worst = 0.0
    for key in KEYS:
        wall = statistics.median(sample[0] for sample in large[key])
        cpu = statistics.median(sample[1] for sample in large[key])
        base = statistics.median(sample[1] for sample in small[key])
        worst = max(worst, cpu)
        print(f"{key!r:10} {wall:9.1f} {cpu:8.1f} {base:11.1f} {cpu / max(base, 0.01):6.2f}")
    verdict = "meets" if worst < 50 else "MISSES"
    print(
        f"slowest key costs {worst:.1f} ms of CPU with {args.clusters:,} clusters: {verdict} 50 ms"
    )


if __name__ == "__main__":
    main()
