"""The scan: it runs in this panel's worker, which shows a bar with done/total, photos per second
and time left, and posts ScanFinished or ScanFailed."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from ...core.cache import open_default_cache
from ...core.errors import SimdupError
from ...core.folders import scan_folders
from ...core.humanize import printable
from ..config import AppConfig
from ..log_capture import core_warnings
from ..messages import ScanFailed, ScanFinished

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1
"""Seconds between progress redraws while scanning."""


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

    def __init__(self, config: AppConfig, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.config = config
        self._started = time.monotonic()
        self._first_done = 0
        self.done = 0
        self.total = 0
        self._generation = 0
        self._latest: tuple[int, int, Path | None] | None = None
        """Written by the scan thread, read by a timer: (done, total, current path)."""
        self._shown: tuple[int, int, Path | None] | None = None
        self._timer: Timer | None = None

    # The scan ---------------------------------------------------------------

    def start(self) -> None:
        """Scan the configured folder (cancelling a scan under way); shows this panel."""
        self._generation += 1
        self._latest = self._shown = None
        self.stop()
        self._timer = self.set_interval(PROGRESS_INTERVAL, self._show_latest)
        self.restart()
        self.remove_class("hidden")
        self._scan_worker(self._generation)

    def stop(self) -> None:
        """Stop redrawing progress (the scan ended)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @work(
        thread=True, exclusive=True, group="scan", exit_on_error=False,
        description="Scanning the folder for photos",
    )  # fmt: skip
    def _scan_worker(self, generation: int) -> None:
        worker = get_current_worker()
        config = self.config

        def progress(done: int, total: int, path: Path | None) -> None:
            # One tuple assignment: the UI's timer reads the latest state. A message per photo
            # measured three times slower on 10,000 small files (bench_ui_scan.py).
            self._latest = (done, total, path)

        with core_warnings() as warnings:
            cache = open_default_cache() if config.use_cache else None
            try:
                result = scan_folders(
                    config.folders,
                    recursive=config.recursive,
                    hidden=config.hidden,
                    progress=progress,
                    cancel=worker.cancelled_event,
                    cache=cache,
                )
            except SimdupError as error:
                self.post_message(ScanFailed(error.message))
                return
            except Exception as error:  # never leave the screen saying "scanning…" for good
                log.exception("scan failed")
                self.post_message(ScanFailed(f"{type(error).__name__}: {error}"))
                return
            finally:
                if cache is not None:
                    cache.close()
        if not worker.is_cancelled:
            self.post_message(ScanFinished(result, generation, tuple(warnings)))

    def _show_latest(self) -> None:
        latest = self._latest
        if latest is not None and latest != self._shown:
            self._shown = latest
            done, total, path = latest
            self.update_progress(done, total, path, self.config.directory)

    @property
    def generation(self) -> int:
        """The scan whose result is awaited (older ones are stale)."""
        return self._generation

    # Drawing ----------------------------------------------------------------

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
