"""Keys that change many photos at once: `A`/`U` on 10,000 clusters, `p`/`o` on 10,000 photos.

`A` marks every cluster's non-keepers and `U` clears every mark (about 20,000 photos each way on
10,000 clusters of 2 to 4 photos); `p` chooses another keeper and `o` cycles the keeper rules, both
regrouping the clusters of 10,000 photo-like summaries (benchmarks/corpus.py) and rebuilding the
tree (`o` in a worker: timed until its tree is on screen; the UI thread's CPU excludes the
worker's). The real app runs headless at 120x40 with saving on; each press is timed until the
screen's update has been turned into terminal output (headless Textual skips that step; the script
does it), so the time includes the tree and status repaint. Saving the review happens in a
background thread (ui/review_saver.py), so it is not in the key's time; the time that thread takes
to write a batch is printed beside it. The UI thread's CPU time is the figure (wall time has the
Pilot's idle floor, and the writer thread's time while it holds the GIL).

    python benchmarks/bench_marking.py [--clusters 10000] [--photos 10000] [--presses 5] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench_keys import ROOT, synthetic
from bench_threshold import summaries as photo_summaries

from simdup_tui.core.scan import ScanResult
from simdup_tui.ui import app as app_module
from simdup_tui.ui.app import SimdupApp
from simdup_tui.ui.color_mode import ColorMode
from simdup_tui.ui.config import AppConfig
from simdup_tui.ui.screens import main as main_screen
from simdup_tui.ui.widgets import scan_progress
from simdup_tui.ui.widgets.cluster_tree import ClusterRow

A_TARGET_MS = 150.0


class RepaintingApp(SimdupApp):
    """The app, with the terminal output of every screen update made as a terminal needs it
    (headless Textual skips that step)."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # relative to the app's module

    def _display(self, screen, renderable) -> None:  # type: ignore[override]
        if renderable is not None and self.is_headless:
            renderable.render_segments(self.console)
        super()._display(screen, renderable)


FIND_DUPLICATES = main_screen.find_duplicates

Samples = dict[str, list[tuple[float, float]]]
"""Per key: (wall ms, CPU ms of the UI thread) per press."""


async def _ready(app: RepaintingApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _timed(pilot, key: str, samples: Samples, workers: bool = False) -> None:  # type: ignore[no-untyped-def]
    """With `workers`, until the key's workers are done and their result is on screen (o
    regroups in a worker: its time is until the new tree is shown)."""
    wall, cpu = time.perf_counter(), time.thread_time()  # the app runs in this thread
    await pilot.press(key)
    await pilot.pause()
    if workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    samples.setdefault(key, []).append(
        ((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000)
    )


async def mark_every(clusters: int, presses: int) -> tuple[Samples, float]:
    """A and U in turn; also the writer thread's time for the last A's batch (ms)."""
    os.environ["SIMDUP_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-marking-state-")
    result, duplicates = synthetic(clusters)
    scan_progress.scan_folders = lambda *args, **kwargs: result  # type: ignore[assignment]
    main_screen.find_duplicates = lambda *args, **kwargs: duplicates  # type: ignore[assignment]
    app = RepaintingApp(AppConfig(ROOT, color_mode=ColorMode.TRUECOLOR, use_cache=False))
    samples: Samples = {}
    write_ms = 0.0
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        for _ in range(presses):
            screen.saver.flush()
            await _timed(pilot, "A", samples)
            assert screen.review.marked_count > clusters, "A marked too few photos"
            screen.saver.flush()  # the background write of that batch, timed in its thread
            write_ms = screen.saver.last_write_ms
            await _timed(pilot, "U", samples)
            assert screen.review.marked_count == 0
            screen.saver.flush()
    return samples, write_ms


async def regroup(photos: int, presses: int) -> tuple[Samples, int]:
    """p (another keeper for the first cluster) and o (the next keeper rules) in turn."""
    os.environ["SIMDUP_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-marking-state-")
    result = ScanResult(ROOT, photo_summaries(photos), ())
    scan_progress.scan_folders = lambda *args, **kwargs: result  # type: ignore[assignment]
    main_screen.find_duplicates = FIND_DUPLICATES  # the real pair search and clusters
    app = RepaintingApp(AppConfig(ROOT, color_mode=ColorMode.TRUECOLOR, use_cache=False))
    samples: Samples = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        tree = app.screen.tree
        for _ in range(presses):
            first = tree.root.children[0]
            assert isinstance(first.data, ClusterRow)
            tree.set_open(first, True)
            tree.move_to(first.children[1])  # its second photo: p makes it the keeper
            await pilot.pause()
            await _timed(pilot, "p", samples)
            await _timed(pilot, "o", samples, workers=True)
        clusters = len(app.screen.review.clusters)
    return samples, clusters


def median(samples: Samples, key: str, index: int) -> float:
    return statistics.median(sample[index] for sample in samples[key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 clusters and photos, 3 presses")
    args = parser.parse_args()
    if args.quick:
        args.clusters, args.photos, args.presses = 2000, 2000, 3
    marking, write_ms = asyncio.run(mark_every(args.clusters, args.presses))
    regrouping, clusters = asyncio.run(regroup(args.photos, args.presses))
    print(f"{'key':6} {'wall ms':>9} {'UI CPU ms':>10}")
    for samples, keys in ((marking, "AU"), (regrouping, "po")):
        for key in keys:
            print(f"{key:6} {median(samples, key, 0):9.1f} {median(samples, key, 1):10.1f}")
    print(f"the background write of A's batch: {write_ms:.0f} ms of its thread's CPU")
    print(f"p and o regroup {clusters:,} clusters of {args.photos:,} photos")
    a_ms = median(marking, "A", 1)
    verdict = "meets" if a_ms < A_TARGET_MS else "MISSES"
    print(f"A costs {a_ms:.1f} ms of UI-thread CPU at {args.clusters:,} clusters: {verdict} 150 ms")
    print(
        f"RESULT | `A` (mark all but keepers) with {args.clusters:,} clusters, repaint included "
        f"| under 150 ms | **{a_ms:.1f} ms** UI-thread CPU (`U` {median(marking, 'U', 1):.1f} ms; "
        f"saving in a background thread, {write_ms:.0f} ms) | `python benchmarks/bench_marking.py`"
    )
    print(
        f"RESULT | `p` / `o` (regroup with another keeper or rules) on {args.photos:,} photos "
        f"| under 150 ms | **{median(regrouping, 'p', 1):.1f} / {median(regrouping, 'o', 1):.1f} "
        "ms** UI-thread CPU | `python benchmarks/bench_marking.py`"
    )


if __name__ == "__main__":
    main()
