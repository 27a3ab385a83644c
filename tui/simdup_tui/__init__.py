"""simdup-tui: find near-duplicate photos and clean them up from the keyboard."""

__version__ = "0.1.0"
