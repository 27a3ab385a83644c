"""What the app was asked to do, decided once at start (so tests can pin every choice)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.duplicates import DEFAULT_THRESHOLD
from ..core.keeper import DEFAULT_ORDER
from .color_mode import ColorMode
from .graphics_mode import GraphicsMode


@dataclass(frozen=True, slots=True)
class AppConfig:
    """The app's settings from the command line."""

    directory: Path
    threshold: float = DEFAULT_THRESHOLD
    recursive: bool = False
    hidden: bool = False
    color_mode: ColorMode = ColorMode.TRUECOLOR
    graphics: GraphicsMode = GraphicsMode.HALFBLOCK
    """How the compare view draws photos (--graphics; asked of the terminal once at start)."""
    unread_keys: str = ""
    """Characters typed while the terminal was asked about graphics (said, not dropped)."""
    use_cache: bool = True
    move_to: Path | None = None
    """Marked files are moved here instead of trashed (--move-to)."""
    remember: bool = True
    """Save the review as it changes and restore it for the same folder."""
    fresh: bool = False
    """Start without the saved marks, keeper choices and reviewed clusters (--fresh)."""
    directories: tuple[Path, ...] = ()
    """Every folder scanned (empty: just `directory`)."""
    keep_order: tuple[str, ...] = DEFAULT_ORDER
    """The keeper rules in force at start (--keep)."""
    protected: tuple[Path, ...] = ()
    """--protect paths: preferred as keepers, never marked or deleted."""
    strict: bool = False
    """Start with the strict check on (--strict); `s` toggles it."""
    grey: bool = True
    """Compare a greyscale photo with colour photos on brightness (off with --no-grey)."""
    settle_heap: bool = True
    """Collect and freeze the heap once new clusters are drawn (ui/heap.py). Tests that do
    not measure it turn it off: in a test process the heap is every earlier test's too."""
    prepare_views: bool = True
    """Compose the compare view while idle once clusters are drawn, so the first `c` only
    shows it (screens/view_keys.py). Tests that do not look at it turn it off."""

    @property
    def folders(self) -> tuple[Path, ...]:
        return self.directories or (self.directory,)
