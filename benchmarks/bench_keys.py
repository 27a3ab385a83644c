"""Keypress-to-repaint time in the app with 20,000 clusters in the tree (target: < 50 ms a key).

Builds summaries in memory (no files, no pair search: clusters are given), opens the real app
headlessly, and times each key from press until the screen has processed it and repainted:
the compositor's update is turned into the bytes a terminal would get (headless Textual skips
that step; this benchmark does it). Keys come in pairs that undo each other (j then k, g then G,
a then u...), so every press does work: none lands on a no-op at the end of the tree. The Pilot
waits on timers between steps, so wall time has a fixed idle floor; the CPU time the process
spends per key is the work a key costs. Both are printed, beside the same keys on a 10-cluster
tree measured in the same run.

    python benchmarks/bench_keys.py [--clusters 20000] [--presses 30] [--quick]
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
from simdup_tui.ui import app as app_module
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


PAIRS = [
    ("j", "k"),  # down, up
    ("J", "K"),  # next cluster, back
    ("l", "h"),  # into the cluster's first photo, back to its row
    ("G", "g"),  # last row, first row
    ("pagedown", "pageup"),
    ("a", "u"),  # mark all but the keeper, unmark the cluster
    ("space", "space"),  # on a cluster row: mark all but the keeper, then clear
    ("n", "K"),  # the next unreviewed cluster, back
]
"""Each pair leaves the tree as it found it, so the next press does the same work again.
Keys that mark (a, u, space) also save the review: their time includes the SQLite commit."""
KEYS = [key for pair in PAIRS for key in dict.fromkeys(pair)]


class RepaintingApp(SimdupApp):
    """The app, with the terminal output of every screen update made as a terminal needs it."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # relative to the app's module

    def _display(self, screen, renderable) -> None:  # type: ignore[override]
        if renderable is not None and self.is_headless:
            renderable.render_segments(self.console)
        super()._display(screen, renderable)


async def measure(clusters: int, presses: int) -> dict[str, list[tuple[float, float]]]:
    """Per key: (wall ms, CPU ms) samples."""
    os.environ["SIMDUP_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-keys-state-")
    result, duplicates = synthetic(clusters)
    scan_progress.scan_folders = lambda *args, **kwargs: result  # type: ignore[assignment]
    main_screen.find_duplicates = lambda *args, **kwargs: duplicates  # type: ignore[assignment]
    app = RepaintingApp(AppConfig(ROOT, color_mode=ColorMode.TRUECOLOR, use_cache=False))
    timings: dict[str, list[tuple[float, float]]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = len(app.screen.tree.root.children)
        assert shown == clusters, f"the tree shows {shown} clusters, not {clusters}"
        print(f"tree filled with {clusters:,} clusters in {time.perf_counter() - started:.2f} s")
        for pair in PAIRS:
            for _ in range(presses):
                for key in pair:
                    wall, cpu = time.perf_counter(), time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    timings.setdefault(key, []).append(
                        ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=20_000)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="2,000 clusters, 5 presses")
    args = parser.parse_args()
    if args.quick:
        args.clusters, args.presses = 2000, 5
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
    print(
        f"RESULT | a key with {args.clusters:,} clusters in the tree, repaint included | "
        f"under 50 ms | **{worst:.1f} ms** CPU for the slowest key (median of {args.presses} "
        "presses, keys in pairs that each do work) | `python benchmarks/bench_keys.py`"
    )


if __name__ == "__main__":
    main()
