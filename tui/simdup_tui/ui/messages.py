"""Facts that workers post to the app."""

from __future__ import annotations

from textual.message import Message

from ..core.duplicates import Duplicates
from ..core.scan import ScanResult


class ScanFinished(Message):
    """A scan ended (completely, or cancelled with what it had)."""

    def __init__(self, result: ScanResult, generation: int, warnings: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.result = result
        self.generation = generation
        self.warnings = warnings
        """What the core warned about meanwhile (a damaged cache rebuilt, say)."""


class ScanFailed(Message):
    """The scan could not run at all (the folder went away, say)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ClustersReady(Message):
    """Clusters recomputed at a threshold from stored summaries."""

    def __init__(self, duplicates: Duplicates, generation: int, *, regrouped: bool = False) -> None:
        super().__init__()
        self.duplicates = duplicates
        self.generation = generation
        self.regrouped = regrouped
        """The same pairs regrouped (o): like p, no collection of the whole heap after it."""


class ClustersFailed(Message):
    """Clusters could not be made at a threshold (too loose, or out of memory)."""

    def __init__(self, reason: str, generation: int) -> None:
        super().__init__()
        self.reason = reason
        self.generation = generation


class ReviewNotSaved(Message):
    """A background save of the review failed; the review goes on in memory."""

    def __init__(self, warnings: tuple[str, ...]) -> None:
        super().__init__()
        self.warnings = warnings
