"""Facts and progress that workers post to the app."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from ..core.duplicates import Duplicates
from ..core.scan import ScanResult


class ScanProgress(Message):
    """How far the scan is; a newer one replaces a stale one still in the queue."""

    def __init__(self, done: int, total: int, path: Path | None) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.path = path

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ScanProgress)


class ScanFinished(Message):
    """A scan ended (completely, or cancelled with what it had)."""

    def __init__(self, result: ScanResult, generation: int) -> None:
        super().__init__()
        self.result = result
        self.generation = generation


class ScanFailed(Message):
    """The scan could not run at all (the folder went away, say)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ClustersReady(Message):
    """Clusters recomputed at a threshold from stored summaries."""

    def __init__(self, duplicates: Duplicates, generation: int) -> None:
        super().__init__()
        self.duplicates = duplicates
        self.generation = generation
