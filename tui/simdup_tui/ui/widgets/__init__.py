"""Widgets of the simdup-tui app."""
