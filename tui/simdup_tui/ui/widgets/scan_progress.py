"""The scan's progress: a bar with done/total, photos per second and time left."""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from ...core.humanize import printable


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ScanProgressPanel(Vertical):
    """Shown while scanning; keys keep working because the scan runs in a worker."""

    DEFAULT_CSS = """
    ScanProgressPanel { height: auto; padding: 1 1; }
    ScanProgressPanel ProgressBar { width: 100%; }
    ScanProgressPanel #scan-rate, ScanProgressPanel #scan-current { height: 1; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._started = time.monotonic()
        self._first_done = 0
        self.done = 0
        self.total = 0

    def compose(self) -> ComposeResult:
        yield Static("Scanning…", id="scan-title")
        yield ProgressBar(show_eta=False, id="scan-bar")
        yield Static("", id="scan-rate")
        yield Static("", id="scan-current")

    def restart(self) -> None:
        self._started = time.monotonic()
        self._first_done = 0
        self.done = self.total = 0
        self.query_one("#scan-title", Static).update("Scanning…")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#scan-rate", Static).update("")
        self.query_one("#scan-current", Static).update("")

    def update_progress(self, done: int, total: int, path: Path | None, root: Path) -> None:
        if path is None:
            # The start, and photos served from the cache at once: the rate counts real work only.
            self._started = time.monotonic()
            self._first_done = done
        self.done, self.total = done, total
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        elapsed = time.monotonic() - self._started
        worked = done - self._first_done
        rate = worked / elapsed if elapsed > 0.2 and worked > 0 else 0.0
        parts = [f"{done:,}/{total:,} photos"]
        if rate:
            parts.append(f"{rate:,.1f} photos/s")
            parts.append(f"{format_duration((total - done) / rate)} left")
        self.query_one("#scan-rate", Static).update(Text(" · ".join(parts)))
        if path is not None:
            try:
                shown = path.relative_to(root).as_posix()
            except ValueError:
                shown = str(path)
            self.query_one("#scan-current", Static).update(
                Text(printable(shown), no_wrap=True, overflow="ellipsis", style="dim")
            )
