"""The simdup-tui Textual app: configuration in, the main screen up."""

from __future__ import annotations

import logging
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from .config import AppConfig
from .screens.deletion import DeletionScreen
from .screens.main import MainScreen


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

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.config))
        if self.config.unread_keys:
            self.notify(
                f"Typed while the terminal was asked about graphics, not read: "
                f"{self.config.unread_keys!r}. Press them again (--graphics halfblock skips "
                "the question).",
                severity="warning",
                timeout=8,
            )

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


def run_app(config: AppConfig) -> None:
    # The screen is the app's: warnings reach the person as notifications (log_capture), and
    # nothing may print over the interface.
    logging.getLogger("simdup_tui").addHandler(logging.NullHandler())
    SimdupApp(config).run()
