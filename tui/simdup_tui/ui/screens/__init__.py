"""Screens of the simdup-tui app."""
