"""Opening the compare view on 12 MP JPEGs: from the key to the view on screen (< 150 ms), and on
to both sharp pictures drawn.

Writes 12 MP photo-like JPEGs (benchmarks/corpus.py) to a temporary folder and opens the real app
headlessly in half-block mode. Each screen update is turned into the bytes a terminal would get
(headless Textual skips that step; this benchmark does it, as bench_keys.py does), and the clock
is read when that output is made, not when the Pilot's idle waits return (they poll every 20 ms).
For each press of `c`, with the decoded-picture cache emptied first (a cold open):

- view: the first output of the compare screen (header, both panes with the summaries scaled up,
  the facts), wall and CPU (process time, so the decode threads count too);
- sharp: the first output in which both sharp pictures are drawn.

Opening the help screen is timed the same way beside it (the cost of any screen switch), and the
decode alone at the pixel sizes a kitty or Sixel terminal would ask for.

    python benchmarks/bench_compare.py [--opens 10] [--quick] [--colors truecolor|256]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from corpus import make_phone_photos

from simdup_tui.ui.color_mode import ColorMode, color_environment

# The terminal's colours are set before Textual is imported (it reads them once), as the app's
# own start does; the app is told the same (half-blocks drawn for a truecolour or a 256-colour
# terminal, never Rich matching thousands of colours to 16 behind its back).
_colors = argparse.ArgumentParser(add_help=False)
_colors.add_argument("--colors", choices=["truecolor", "256"], default="truecolor")
COLORS = ColorMode(_colors.parse_known_args()[0].colors)
os.environ.update(color_environment(COLORS))

from simdup_tui.core.compare import decode_at  # noqa: E402
from simdup_tui.ui import app as app_module  # noqa: E402
from simdup_tui.ui.app import SimdupApp  # noqa: E402
from simdup_tui.ui.config import AppConfig  # noqa: E402
from simdup_tui.ui.screens import compare  # noqa: E402
from simdup_tui.ui.screens.help import HelpScreen  # noqa: E402

TARGET_MS = 150.0

Clock = tuple[float, float, float]
"""(wall ms, CPU ms of the process, CPU ms of the UI thread) since the key was sent."""


class ClockedApp(SimdupApp):
    """The app, with every screen update made into terminal output and the moment noted."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")  # relative to the app's module

    started: ClassVar[tuple[float, float, float]] = (0.0, 0.0, 0.0)
    """(perf_counter, process_time, thread_time of the UI thread) when the key was sent."""
    outputs: ClassVar[list[tuple[Clock, type, bool]]] = []
    """(clock, the screen's class, both sharp pictures drawn) for each output since the key."""

    def _display(self, screen, renderable) -> None:  # type: ignore[override]
        if renderable is not None and self.is_headless:
            renderable.render_segments(self.console)
            now = (time.perf_counter(), time.process_time(), time.thread_time())
            clock = tuple((now[i] - self.started[i]) * 1000 for i in range(3))
            self.outputs.append((clock, type(screen), _sharp(screen)))
        super()._display(screen, renderable)

    def start_clock(self) -> None:
        self.outputs = []
        self.started = (time.perf_counter(), time.process_time(), time.thread_time())


def _sharp(screen: object) -> bool:
    if not isinstance(screen, compare.CompareScreen):
        return False
    return all(side.showing_sharp for side in screen.query(compare.PhotoSide))


async def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never showed what was waited for")
        await asyncio.sleep(0.002)


async def open_times(
    folder: Path, size: tuple[int, int], opens: int
) -> tuple[list[Clock], list[Clock], list[Clock]]:
    """Per open of the compare view: clocks when the view was first output and when both sharp
    pictures were; and per open of the help screen, when it was first output."""
    app = ClockedApp(AppConfig(folder, color_mode=COLORS, use_cache=False))
    views: list[Clock] = []
    sharps: list[Clock] = []
    helps: list[Clock] = []
    async with app.run_test(size=size) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("j")  # the first cluster's keeper: compare opens on its other photo
        for _ in range(opens):
            app.start_clock()
            await pilot.press("question_mark")
            await _until(lambda: any(s is HelpScreen for _, s, _ in app.outputs))
            helps.append(next(c for c, s, _ in app.outputs if s is HelpScreen))
            await pilot.press("escape")
            await pilot.pause()
            compare.DECODED.clear()  # cold: every open decodes both files again
            app.start_clock()
            await pilot.press("c")
            await _until(lambda: any(sharp for _, _, sharp in app.outputs))
            views.append(next(c for c, s, _ in app.outputs if s is compare.CompareScreen))
            sharps.append(next(c for c, _, sharp in app.outputs if sharp))
            await pilot.press("escape")
            await pilot.pause()
    return views, sharps, helps


def decode_times(paths: list[Path], pixels: tuple[int, int], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for path in paths:
            decode_at(path, pixels)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _figures(clocks: list[Clock]) -> tuple[float, float, float]:
    """(worst wall, median wall, median UI-thread CPU), ms."""
    return (
        max(c[0] for c in clocks),
        statistics.median(c[0] for c in clocks),
        statistics.median(c[2] for c in clocks),
    )


def _row(label: str, clocks: list[Clock]) -> str:
    median = statistics.median
    columns = ((0, median), (0, max), (1, median), (2, median))
    figures = [f(c[column] for c in clocks) for column, f in columns]
    return f"{label:40}" + "".join(f" {figure:9.1f}" for figure in figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, help="opens per terminal size (10; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="3 opens, one terminal size")
    parser.add_argument(
        "--colors", choices=["truecolor", "256"], default="truecolor",
        help="the terminal's colours (256: the usual SSH or tmux session)",
    )  # fmt: skip
    args = parser.parse_args()
    opens = args.opens or (3 if args.quick else 10)
    sizes = [(120, 40)] if args.quick else [(80, 24), (120, 40), (200, 60)]
    folder = Path(tempfile.mkdtemp(prefix="simdup-bench-compare-"))
    try:
        paths = make_phone_photos(folder, 4)  # IMG_00003 is a near-duplicate of IMG_00002
        print(f"{len(paths)} photos of 4000x3000 px in {folder}; {opens} opens a size")
        print(f"{'ms from the key to output':40} {'wall med':>9} {'wall max':>9} "
              f"{'CPU med':>9} {'UI CPU med':>9}")  # fmt: skip
        every: dict[str, list[Clock]] = {"view": [], "sharp": [], "help": []}
        for size in sizes:
            views, sharps, helps = asyncio.run(open_times(folder, size, opens))
            at = f"{size[0]}x{size[1]}"
            print(_row(f"compare view on screen at {at}", views))
            print(_row(f"  both sharp pictures drawn at {at}", sharps))
            print(_row(f"  help screen on screen at {at}", helps))
            every["view"] += views
            every["sharp"] += sharps
            every["help"] += helps
        pair = paths[2:4]
        for pixels in [(600, 450), (1000, 750)]:  # a 60-column pane of 10x20-pixel cells, more
            samples = decode_times(pair, pixels, opens)
            label = f"decode both at {pixels[0]}x{pixels[1]} (kitty/Sixel)"
            print(f"{label:40} {statistics.median(samples):9.1f} {max(samples):9.1f}")
        figures = {name: _figures(clocks) for name, clocks in every.items()}
        for name in ("view", "sharp"):
            worst, median, ui = figures[name]
            print(
                f"{name}: worst {worst:.0f} ms wall ({'meets' if worst < TARGET_MS else 'MISSES'}"
                f" {TARGET_MS:.0f} ms), median {median:.0f} ms "
                f"({'meets' if median < TARGET_MS else 'misses'}), UI thread {ui:.0f} ms CPU"
            )
        colours = "" if COLORS is ColorMode.TRUECOLOR else f", {COLORS.value} colours"
        command = "`python benchmarks/bench_compare.py" + (
            "`" if COLORS is ColorMode.TRUECOLOR else f" --colors {COLORS.value}`"
        )
        worst, median, ui = figures["view"]
        print(
            f"RESULT | open the compare view on two 12 MP JPEGs, until it is on screen (the "
            f"summaries scaled up{colours}) | under 150 ms | **{worst:.0f} ms** wall at worst, "
            f"median {median:.0f} ms ({ui:.0f} ms of UI-thread CPU; opening help: median "
            f"{figures['help'][1]:.0f} ms) | {command}"
        )
        worst, median, ui = figures["sharp"]
        print(
            f"RESULT | ... until both sharp pictures replace the summaries (decoded in a worker)"
            f" | (reported) | **{worst:.0f} ms** wall at worst, median {median:.0f} ms "
            f"({ui:.0f} ms of UI-thread CPU) | {command}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
