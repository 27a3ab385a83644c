"""What the app was asked to do, decided once at start (so tests can pin every choice)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.duplicates import DEFAULT_THRESHOLD
from ..core.keeper import DEFAULT_ORDER
from .color_mode import ColorMode


@dataclass(frozen=True, slots=True)
class AppConfig:
    """The app's settings from the command line."""

    directory: Path
    threshold: float = DEFAULT_THRESHOLD
    recursive: bool = False
    hidden: bool = False
    color_mode: ColorMode = ColorMode.TRUECOLOR
    use_cache: bool = True
    move_to: Path | None = None
    """Marked files are moved here instead of trashed (--move-to)."""
    directories: tuple[Path, ...] = ()
    """Every folder scanned (empty: just `directory`)."""
    keep_order: tuple[str, ...] = DEFAULT_ORDER
    """The keeper rules in force at start (--keep)."""
    protected: tuple[Path, ...] = ()
    """--protect paths: preferred as keepers, never marked or deleted."""

    @property
    def folders(self) -> tuple[Path, ...]:
        return self.directories or (self.directory,)
