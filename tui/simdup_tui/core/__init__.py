"""The pure library: summaries, scanning, clustering, marks and deletion, with no UI imports."""
