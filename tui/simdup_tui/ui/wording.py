"""Sentences for people, in one place: the words for trash, move and delete, and what is said
when there is nothing to review (the app and --list alike). No Textual here: the CLI uses it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..core.deletion import BatchStatus, DeletionReport, Outcome
from ..core.humanize import format_bytes, format_threshold, plural, printable
from ..core.journal import BatchRecord
from ..core.plan import DeletionMode, DeletionPlan
from ..core.scan import relative_to
from ..core.scan_result import display_name
from ..core.summary import Summary
from ..core.undo import UndoReport
from ..core.walk import NOT_RECURSIVE_HINT

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


def relative_name(path: Path, root: Path | Sequence[Path]) -> str:
    """A path as drawn: relative to the scanned folder (numbered "2:IMG_0001.jpg", as in the
    tree, when `root` is several folders), undecodable bytes escaped."""
    if isinstance(root, Path):
        return printable(relative_to(path, root))
    return printable(display_name(path, root))


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
        same_drive = ""
        if plan.same_drive_bytes:
            everything = plan.same_drive_bytes == plan.total_bytes
            same_drive = (
                f"; it is on the same drive as {'them' if everything else 'some'}: "
                f"{format_bytes(plan.same_drive_bytes)} stay taken until you delete them there"
            )
        if len(plan.folders) > 1:
            return (
                " (under 1/, 2/, … one per scanned folder, numbered as in the list, keeping "
                f"their folders; nothing there is overwritten; {UNDO_HINT}{same_drive})"
            )
        return f" (keeping their folders; nothing there is overwritten; {UNDO_HINT}{same_drive})"
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


def put_back_line(undo: UndoReport) -> str:
    """The result box's line after u: how many came back, and how many an earlier undo (another
    instance's) had already put back."""
    text = f"Put back {plural(len(undo.restored), 'file')}"
    if undo.already_back:
        were = "was" if len(undo.already_back) == 1 else "were"
        text += f"; {plural(len(undo.already_back), 'file')} {were} already put back earlier"
    return text + "."


def undo_summary(undo: UndoReport) -> str:
    """The toast after an undo."""
    message = f"{plural(len(undo.restored), 'file')} put back"
    if undo.already_back:
        message += f" ({len(undo.already_back)} already back from an earlier undo)"
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
    folder = printable(str(record.root), exact=True)
    if len(record.roots) > 1:
        folder += f" + {plural(len(record.roots) - 1, 'more folder')}"
    return (
        f"{record.batch}  {when}  {folder}: "
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


# Nothing to review ------------------------------------------------------------------------

HIGHER_THRESHOLD_KEYS = "Press + (or t) to allow larger differences, R to rescan, q to quit."
"""The app's way out of "no near-duplicates"."""
RECORDED_KEYS = "Press I to see them, + (or t) to allow larger differences, R to rescan, q to quit."
"""The way out when close pairs are left out because they were recorded as not duplicates
(I lists the records, and takes any back)."""


def nothing_to_review(photos: int) -> str:
    """The status line's part when there is no cluster at all (instead of "0 of 0 reviewed")."""
    return "nothing to review" if photos == 0 else "no near-duplicates"


NOTHING_MARKED = "Nothing is marked: mark photos with space or a first."
"""d (or D) with clusters shown and no mark."""
NOTHING_SHOWN_MARKED = "Nothing is marked, and the filter shows no cluster: Escape clears it."
"""d (or D) with clusters hidden by the filter and no mark."""


def nothing_to_delete(photos: int, clusters: int, shown: int) -> str:
    """What d (or D) says when nothing is marked: how to mark, or why nothing can be marked
    (no cluster at all: the status line's words; every cluster hidden by the filter)."""
    if not clusters:
        return f"Nothing to delete: {nothing_to_review(photos)}."
    return NOTHING_MARKED if shown else NOTHING_SHOWN_MARKED


def no_photos_text(
    folders: list[str], *, recursive: bool, subfolders: bool, unreadable: str = ""
) -> str:
    """No photo found: where the scan looked, and -r when subfolders were left out.
    `folders`: the scanned folders as shown; `unreadable`: a note put before the full stop."""
    where = ", ".join(folders)
    if recursive:
        where += " or their subfolders" if len(folders) > 1 else " or its subfolders"
    found = "No photo could be read" if unreadable else "No photos found"
    text = f"{found} in {where}{unreadable}."
    if subfolders and not recursive:
        text += f"\n{NOT_RECURSIVE_HINT}"
    return text


def no_duplicates_text(
    photos: int, threshold: float, unreadable: str = "", recorded: int = 0
) -> str:
    """Photos, but no pair closer than the threshold (one photo has nothing to compare with);
    `recorded`: close pairs left out because they are recorded as not duplicates."""
    if photos == 1:
        return f"Only 1 photo found{unreadable}: nothing to compare it with."
    return (
        f"No near-duplicates among {plural(photos, 'photo')} at threshold "
        f"{format_threshold(threshold)}{recorded_note(recorded)}{unreadable}."
    )


def recorded_note(recorded: int) -> str:
    """ " (2 close pairs recorded as not duplicates)", or "" for none."""
    if not recorded:
        return ""
    return f" ({plural(recorded, 'close pair')} recorded as not duplicates)"


def higher_threshold_option(threshold: float) -> str:
    """--list's way out of "no near-duplicates": the option that allows larger differences."""
    example = f" (e.g. -t {format_threshold(min(1.0, round(threshold + 0.03, 2)))})"
    return f"A higher threshold allows larger differences: -t T{example}."
