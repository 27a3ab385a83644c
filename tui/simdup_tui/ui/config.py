"""What the app was asked to do, decided once at start (so tests can pin every choice)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.duplicates import DEFAULT_THRESHOLD
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
    strict: bool = False
    """Start with the strict check on (--strict); `s` toggles it."""
