"""Every sentence about deleting, in one place: the words for trash, move and delete."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..core.deletion import BatchStatus, DeletionReport, Outcome
from ..core.humanize import format_bytes, plural, printable
from ..core.journal import BatchRecord
from ..core.plan import DeletionMode, DeletionPlan
from ..core.scan import relative_to
from ..core.summary import Summary
from ..core.undo import UndoReport

VERB = {DeletionMode.TRASH: "Trash", DeletionMode.MOVE: "Move", DeletionMode.DELETE: "Delete"}
"""The verb on the confirmation's title."""
BUTTON = {
    DeletionMode.TRASH: "Trash (y)",
    DeletionMode.MOVE: "Move (y)",
    DeletionMode.DELETE: "Delete forever (y)",
}
DONE_TITLE = {
    DeletionMode.TRASH: "Trashed",
    DeletionMode.MOVE: "Moved",
    DeletionMode.DELETE: "Deleted",
}
OUTCOME_WORDS = {
    Outcome.TRASHED: "trashed",
    Outcome.MOVED: "moved",
    Outcome.DELETED: "deleted",
    Outcome.SKIPPED: "skipped",
    Outcome.FAILED: "failed",
}
"""One word per file's outcome (progress line, problem list)."""
_SUMMARY_WORDS = {
    Outcome.TRASHED: "to the trash",
    Outcome.MOVED: "moved",
    Outcome.DELETED: "deleted permanently",
}
UNDO_HINT = "undo: Ctrl+Z, or simdup-tui --undo"


def relative_name(path: Path, root: Path) -> str:
    """A path as drawn: relative to the scanned folder, undecodable bytes escaped."""
    return printable(relative_to(path, root))


def destination(plan: DeletionPlan) -> str:
    """Where the files go, as the confirmation says it."""
    if plan.mode is DeletionMode.TRASH:
        return "to the trash"
    if plan.mode is DeletionMode.MOVE:
        return f"moved to {printable(str(plan.move_to))}"
    return "permanently — cannot be undone"


def destination_note(plan: DeletionPlan) -> str:
    """The dim note after the destination."""
    if plan.mode is DeletionMode.TRASH:
        return f" ({UNDO_HINT})"
    if plan.mode is DeletionMode.MOVE:
        return f" (keeping their folders; nothing there is overwritten; {UNDO_HINT})"
    return ""


def batch_title(plan: DeletionPlan) -> str:
    """The running batch's title."""
    where = {
        DeletionMode.TRASH: "to the trash",
        DeletionMode.MOVE: f"into {printable(str(plan.move_to))}",
        DeletionMode.DELETE: "permanently",
    }[plan.mode]
    return f"Removing {plural(plan.file_count, 'file')} {where}"


def report_summary(report: DeletionReport) -> str:
    """One line: how many went where, bytes, problems, and how the batch ended."""
    parts = [
        f"{plural(report.count(outcome), 'file')} {words}"
        for outcome, words in _SUMMARY_WORDS.items()
        if report.count(outcome)
    ]
    if not parts:
        parts.append("no file removed")
    text = ", ".join(parts) + f" ({format_bytes(report.bytes_freed)})"
    kept = sum(1 for result in report.removed if result.space_kept)
    if kept:
        text += f"; {plural(kept, 'file')} had another name (no space freed for them)"
    if report.count(Outcome.SKIPPED):
        text += f"; {report.count(Outcome.SKIPPED)} skipped"
    if report.count(Outcome.FAILED):
        text += f"; {report.count(Outcome.FAILED)} failed"
    if report.status is BatchStatus.STOPPED:
        text += f"; stopped, {plural(len(report.not_attempted), 'file')} left alone"
    elif report.status is BatchStatus.FAILED:
        text += f"; the batch stopped: {plural(len(report.not_attempted), 'file')} left alone"
    return text


def undo_summary(undo: UndoReport) -> str:
    """The toast after an undo."""
    message = f"{plural(len(undo.restored), 'file')} put back"
    left = len(undo.not_restored)
    if left:
        message += f"; {left} could not come back (see simdup-tui --undo)"
    return message


def batch_line(record: BatchRecord) -> str:
    """One batch in `--undo`'s list: id, when, folder, how many went where, how many still out."""
    where = {"trash": "to the trash", "delete": "deleted for good"}.get(
        record.mode, f"moved to {printable(str(record.destination), exact=True)}"
    )
    ended = f" ({record.status})" if record.status not in ("done", "") else ""
    when = record.time.replace("T", " ")[:19]
    return (
        f"{record.batch}  {when}  {printable(str(record.root), exact=True)}: "
        f"{len(record.removed)} {where}, {len(record.still_out)} still out{ended}"
    )


def date_line(summary: Summary) -> str:
    """The date to show: "taken ..." (EXIF DateTimeOriginal), else "modified ..." (the file's
    mtime), so which of the two it is is always said."""
    if summary.taken_ns is not None:
        taken = datetime.fromtimestamp(summary.taken_ns / 1e9).astimezone()
        return f"taken {taken:%Y-%m-%d %H:%M:%S}"
    modified = datetime.fromtimestamp(summary.mtime_ns / 1e9).astimezone()
    return f"modified {modified:%Y-%m-%d %H:%M:%S}"
