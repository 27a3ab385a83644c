"""What a deletion batch did: each file's outcome (FileResult) and the batch's (DeletionReport)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .journal import DELETED, FAILED, MOVED, SKIPPED, TRASHED
from .plan import DeletionMode


class Outcome(StrEnum):
    """What happened to one file; the values are the journal's outcomes."""

    TRASHED = TRASHED
    MOVED = MOVED
    DELETED = DELETED
    SKIPPED = SKIPPED
    FAILED = FAILED


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file of the batch."""

    path: Path
    size: int
    outcome: Outcome
    reason: str = ""
    """Why it was skipped or failed (empty otherwise)."""
    destination: Path | None = None
    """Where it is now: the moved-to path, or the file inside the trash when known."""
    trash_info: Path | None = None
    """The .trashinfo naming its original path (trashed files)."""
    space_kept: bool = False
    """Removed, but its data is still reachable (another hard link), or it was a symbolic
    link: no space was freed for it."""

    @property
    def removed(self) -> bool:
        """True when the file left its place (trashed, moved or deleted)."""
        return self.outcome in (Outcome.TRASHED, Outcome.MOVED, Outcome.DELETED)


class BatchStatus(StrEnum):
    """How a batch ended."""

    DONE = "done"
    STOPPED = "stopped"
    """Cancelled between files (Escape, SIGTERM, SIGHUP)."""
    FAILED = "failed"
    """Stopped by an error: the journal could not be written, or something unexpected."""


@dataclass(frozen=True, slots=True)
class DeletionReport:
    """The truth about a batch, file by file."""

    batch: str
    mode: DeletionMode
    results: tuple[FileResult, ...]
    not_attempted: tuple[Path, ...] = ()
    """Files left alone because the batch stopped before them."""
    status: BatchStatus = BatchStatus.DONE
    journal_path: Path | None = None
    error: str = ""
    """Why the batch stopped early (a journal that could not be written, say)."""

    @property
    def cancelled(self) -> bool:
        return self.status is not BatchStatus.DONE

    @property
    def removed(self) -> tuple[FileResult, ...]:
        return tuple(result for result in self.results if result.removed)

    @property
    def problems(self) -> tuple[FileResult, ...]:
        """Skipped and failed files: they stay marked and are shown with their reason."""
        return tuple(result for result in self.results if not result.removed)

    @property
    def bytes_freed(self) -> int:
        """Bytes that left the scanned folder (the trash still holds trashed ones); a name
        whose data has another hard link, or a symbolic link, frees nothing."""
        return sum(result.size for result in self.removed if not result.space_kept)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)
