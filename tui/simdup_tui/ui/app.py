"""The simdup-tui Textual app: configuration in, the main screen up."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
import time
from typing import ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from . import heap
from .config import AppConfig
from .messages import ClustersReady
from .screens.deletion import DeletionScreen
from .screens.main import MainScreen
from .screens.prompts import TypeAhead

IDLE_TIDY_S = 1.0
"""Seconds without a key before the heap is tidied (heap.tidy), checked as often."""
EXIT_DEADLINE = 2.0
"""Seconds a clean exit after SIGTERM or SIGHUP may take (the batch has already stopped)."""
QUIT_GRACE_S = 0.5
"""How long quitting waits for worker threads to finish before ending the process anyway."""


class SimdupApp(App[None]):
    """Find near-duplicate photos in one folder and clean them up from the keyboard."""

    TITLE = "simdup-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q,ctrl+c", "request_quit", "Quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        """Decided once at start: folder, threshold, colour mode, cache, destination."""
        self.signal_exit_code = 0
        """128 + the signal's number once SIGTERM or SIGHUP asked the app to end."""
        self.exit_deadline: float | None = None
        """Seconds a clean exit after a signal may take before the process ends anyway (set by
        run_app; None in tests). After SIGHUP the terminal is gone, and Textual's writer can
        wait for it for good; by then any batch has stopped with its journal complete."""
        self._watchdog: threading.Timer | None = None
        self._last_input = time.monotonic()
        self._tidying = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            event._typed_on = self.screen  # type: ignore[attr-defined]  # read in _on_key
        if isinstance(event, (events.Key, events.MouseEvent)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _tidy_heap(self) -> None:
        """Between keys, on the main screen with no worker running: what later screens and
        paints made is collected now, not in the middle of the next one (heap.tidy)."""
        if (
            time.monotonic() - self._last_input >= IDLE_TIDY_S
            and isinstance(self.screen, MainScreen)
            and not any(worker.is_running for worker in self.workers)
        ):
            heap.tidy()

    async def _on_key(self, event: events.Key) -> None:
        """A key that bubbled back, typed while another screen was shown: in the burst
        that opened a prompt (`/beach Enter`), it goes to the prompt's field, not nowhere."""
        typed_on: Screen[object] | None = getattr(event, "_typed_on", None)
        screen = self.screen
        if typed_on is not None and typed_on is not screen and isinstance(screen, TypeAhead):
            event.prevent_default()  # not App._on_key: no binding of the field runs early
            screen.type_ahead(event)  # all of it, Escape too: the field passes on what it
            # does not use, as a key typed there

    def on_mount(self) -> None:
        self._handle_signals()
        self.push_screen(MainScreen(self.config))
        if self.config.unread_keys:
            self.notify(
                f"Typed while the terminal was asked about graphics, not read: "
                f"{self.config.unread_keys!r}. Press them again (--graphics halfblock skips "
                "the question).",
                severity="warning",
                timeout=8,
            )

    def on_clusters_ready(self, message: ClustersReady) -> None:
        """New clusters are being drawn: once they are, collect and freeze the heap (see heap),
        so no later key or screen switch pays for walking the whole library."""
        if self.config.settle_heap and not message.regrouped:
            self.call_after_refresh(heap.settle)
            if not self._tidying:
                self._tidying = True
                self.set_interval(IDLE_TIDY_S, self._tidy_heap)

    def on_unmount(self) -> None:
        heap.release()

    def _handle_signals(self) -> None:
        """SIGTERM and SIGHUP (a dropped SSH connection) end the app cleanly: a running batch
        stops after the current file with its journal complete, a scan is cancelled, and the
        terminal is restored. Ctrl+C stays a key (the terminal is in raw mode)."""
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(number, self.end_on_signal, number)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                continue

    def end_on_signal(self, number: int) -> None:
        """Stop what runs, then exit with 128 + number."""
        self.signal_exit_code = 128 + number
        batch = next(
            (s for s in self.screen_stack if isinstance(s, DeletionScreen) and s.running), None
        )
        if batch is not None:
            batch.close_when_done = True
            batch.stop()
            return
        self.workers.cancel_all()
        self.exit_after_signal()

    def exit_after_signal(self) -> None:
        """Exit with the signal's status; if that cannot finish in time, end the process."""
        if self.exit_deadline is not None and self._watchdog is None:
            code = self.signal_exit_code
            self._watchdog = threading.Timer(self.exit_deadline, os._exit, (code,))
            self._watchdog.daemon = True
            self._watchdog.start()
        self.exit(return_code=self.signal_exit_code)

    def cancel_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()

    def action_request_quit(self) -> None:
        """Quit, asking first when photos are marked (from any screen); never mid-batch."""
        if isinstance(self.screen, DeletionScreen) and self.screen.running:
            self.notify(
                "Files are being removed: Escape stops after the current file, then quit.",
                severity="warning",
            )
            return
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            self.exit()
        else:
            main.action_quit()


def run_app(config: AppConfig) -> int:
    """Run the app; its exit status (128 + the signal when SIGTERM or SIGHUP ended it)."""
    # The screen is the app's: warnings reach the person as notifications (log_capture), and
    # nothing may print over the interface.
    logging.getLogger("simdup_tui").addHandler(logging.NullHandler())
    app = SimdupApp(config)
    app.exit_deadline = EXIT_DEADLINE
    # Our own loop: asyncio.run() would wait for every worker thread when the app ends.
    loop = asyncio.new_event_loop()
    try:
        app.run(loop=loop)
    finally:
        app.cancel_watchdog()
        loop.close()  # never waits for the worker threads
    end_if_threads_are_stuck(app.return_code or 0)
    return app.return_code or 0


def end_if_threads_are_stuck(code: int, grace: float = QUIT_GRACE_S) -> None:
    """End the process now when a worker thread is still busy once the app has ended.

    A thread stuck in a read that never returns (a dead network drive, a device in place of a
    photo) cannot be stopped, and Python waits for it at exit: quitting would leave a blank
    terminal and a process that Ctrl-C cannot end. The terminal is restored by now, so after
    a short grace the process ends with os._exit (there is nothing left to write: the cache
    commits each batch, the journal each file).
    """
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.daemon:
            continue
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(
        thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
        for thread in threading.enumerate()
    ):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
