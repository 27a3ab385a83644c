"""Deleting marked photos: a checked plan first, then trash / move / delete file by file."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from .cluster import Cluster
from .errors import SimdupError, os_reason
from .humanize import format_bytes, plural
from .identity import FileIdentity
from .journal import (
    DELETED,
    FAILED,
    MOVED,
    SKIPPED,
    TRASHED,
    Journal,
    JournalEntry,
    new_batch_id,
)
from .keeper import is_inside
from .scan import relative_to
from .summary import Summary
from .trash import TrashUnavailableError, move_no_overwrite, send_to_trash

VANISHED = "vanished since scan"
CHANGED = "changed since scan"


Protected = Callable[[Path], bool] | Collection[Path]
"""Files no plan may include, even marked: a predicate on the path, or paths (files, or folders
whose every file is protected)."""


class DeletionMode(StrEnum):
    """Where marked files go."""

    TRASH = "trash"
    """The system trash (send2trash): the default, and undoable."""
    MOVE = "move"
    """Into the --move-to folder, keeping paths relative to the scanned folder: undoable."""
    DELETE = "delete"
    """Unlinked for good."""


class Outcome(StrEnum):
    """What happened to one file; the values are the journal's actions."""

    TRASHED = TRASHED
    MOVED = MOVED
    DELETED = DELETED
    SKIPPED = SKIPPED
    FAILED = FAILED


@dataclass(frozen=True, slots=True)
class DeletionPlan:
    """What a batch would do, computed before anything is touched and shown for confirmation.

    Clusters whose every file is marked are in `whole_clusters`; their files are in `files` only
    when the plan was built with `allow_whole_clusters=True` (else they are in `left_out`).
    """

    files: tuple[Summary, ...]
    """The files the batch acts on, in the order given."""
    mode: DeletionMode
    root: Path
    """The scanned folder: names are shown, and moved files placed, relative to it."""
    move_to: Path | None
    """The destination folder in MOVE mode."""
    whole_clusters: tuple[Cluster, ...]
    """Clusters that would lose every one of their files."""
    left_out: tuple[Summary, ...]
    """Marked files left out because their whole cluster would go without confirmation."""
    allow_whole_clusters: bool
    cluster_count: int
    """How many clusters lose at least one file in this batch."""
    marked: tuple[Summary, ...]
    """Every marked file (each once), to rebuild the plan with another confirmation."""
    clusters: tuple[Cluster, ...]
    """The clusters holding at least one marked file."""
    protected: tuple[Summary, ...] = ()
    """Marked files refused because they are protected."""
    protected_paths: frozenset[Path] = frozenset()
    """The protected files among the marked ones (kept to rebuild the plan)."""

    @property
    def freed_bytes(self) -> int:
        """Bytes the batch frees: a symbolic link, or a name whose file has another hard link,
        frees nothing (as the clusters' members say)."""
        frees = {m.summary.path: m.frees for c in self.clusters for m in c.members}
        return sum(frees.get(summary.path, summary.size) for summary in self.files)

    @property
    def total_bytes(self) -> int:
        return sum(summary.size for summary in self.files)

    @property
    def file_count(self) -> int:
        return len(self.files)

    @property
    def empty(self) -> bool:
        return not self.files

    def with_whole_clusters(self, allow: bool = True) -> DeletionPlan:
        """The same plan with whole clusters included (or left out) after a second confirmation."""
        return plan_deletion(
            self.marked,
            self.clusters,
            mode=self.mode,
            root=self.root,
            move_to=self.move_to,
            allow_whole_clusters=allow,
            protected=self.protected_paths,
        )

    def relative(self, path: Path) -> str:
        """A path as shown to the person: relative to the scanned folder when inside it."""
        return relative_to(path, self.root)

    def destination_text(self) -> str:
        """Where the files go, in the words the confirmation uses."""
        if self.mode is DeletionMode.TRASH:
            return "to the trash"
        if self.mode is DeletionMode.MOVE:
            return f"moved to {self.move_to}"
        return "permanently — cannot be undone"


def plan_deletion(
    marked: Iterable[Summary],
    clusters: Sequence[Cluster],
    *,
    mode: DeletionMode | str = DeletionMode.TRASH,
    root: str | os.PathLike[str],
    move_to: str | os.PathLike[str] | None = None,
    allow_whole_clusters: bool = False,
    protected: Protected | None = None,
) -> DeletionPlan:
    """Check a batch before acting: which files, how many bytes and clusters, what is refused.

    A protected file (for which the `protected` predicate is true, or under one of the
    `protected` paths, or a cluster member marked protected) is never in the plan's files,
    whoever marked it: it is listed in `protected`.
    """
    mode = DeletionMode(mode)
    if mode is DeletionMode.MOVE and move_to is None:
        raise ValueError("moving needs a destination folder (move_to)")
    is_protected = _is_protected(protected)
    guarded = {m.summary.path for c in clusters for m in c.members if m.protected}
    unique: dict[Path, Summary] = {}
    refused: dict[Path, Summary] = {}
    for summary in marked:
        if summary.path in guarded or is_protected(summary.path):
            refused.setdefault(summary.path, summary)
            continue
        unique.setdefault(summary.path, summary)
    marked_paths = set(unique)
    touched = tuple(
        cluster
        for cluster in clusters
        if any(member.summary.path in marked_paths for member in cluster.members)
    )
    whole = tuple(
        cluster
        for cluster in touched
        if all(member.summary.path in marked_paths for member in cluster.members)
    )
    held = (
        set()
        if allow_whole_clusters
        else {member.summary.path for cluster in whole for member in cluster.members}
    )
    files = tuple(summary for path, summary in unique.items() if path not in held)
    left_out = tuple(summary for path, summary in unique.items() if path in held)
    kept_paths = {summary.path for summary in files}
    count = sum(
        1
        for cluster in touched
        if any(member.summary.path in kept_paths for member in cluster.members)
    )
    return DeletionPlan(
        files=files,
        mode=mode,
        root=Path(root),
        move_to=None if move_to is None else Path(move_to),
        whole_clusters=whole,
        left_out=left_out,
        allow_whole_clusters=allow_whole_clusters,
        cluster_count=count,
        marked=tuple(unique.values()),
        clusters=touched,
        protected=tuple(refused.values()),
        protected_paths=frozenset(refused),
    )


def _is_protected(protected: Protected | None) -> Callable[[Path], bool]:
    """A predicate from a predicate, or from paths (a file, or a folder and all under it)."""
    if protected is None:
        return lambda _path: False
    if callable(protected):
        return protected
    paths = tuple(Path(path) for path in protected)
    return lambda path: is_inside(path, paths)


def check_move_to(
    folder: str | os.PathLike[str], root: str | os.PathLike[str], *, recursive: bool = False
) -> Path:
    """The --move-to folder as an absolute path, or a SimdupError saying why it cannot be used.

    Nothing is created here: a missing folder is made at the first move, and only its last
    part may be missing (a typo deeper in the path is an error, not a new tree of folders).
    """
    text = os.fsdecode(folder)
    path = Path(os.path.abspath(os.path.expanduser(text)))
    scanned = Path(os.path.realpath(root))
    if path.exists():
        if not path.is_dir():
            raise SimdupError(f"--move-to: not a folder: {text}")
        if not os.access(path, os.W_OK | os.X_OK):
            raise SimdupError(f"--move-to: cannot write into {text} (permission denied)")
    else:
        parent = path.parent
        if not parent.is_dir():
            raise SimdupError(f"--move-to: no such folder: {parent} (only the last part is made)")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise SimdupError(f"--move-to: cannot make {text} (permission denied)")
    real = Path(os.path.realpath(path))
    if real == scanned:
        raise SimdupError("--move-to: that is the folder being scanned; choose another")
    if recursive and real.is_relative_to(scanned):
        raise SimdupError(
            "--move-to: inside the folder scanned with --recursive: moved files would be "
            "found again; choose a folder outside it"
        )
    if recursive and scanned.is_relative_to(real):
        # Files keep their path under the scanned folder, so a subfolder named like the
        # scanned one would land back inside it (where another moved file just left).
        raise SimdupError(
            "--move-to: holds the folder scanned with --recursive, so moved files could land "
            "back inside it; choose a folder beside or outside it"
        )
    return path


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
    """The .trashinfo naming its original path (trashed files, when found)."""
    space_kept: bool = False
    """Removed, but its data is still reachable (another hard link), or it was a symbolic
    link: no space was freed for it."""

    @property
    def removed(self) -> bool:
        """True when the file left its place (trashed, moved or deleted)."""
        return self.outcome in (Outcome.TRASHED, Outcome.MOVED, Outcome.DELETED)


ProgressCallback = Callable[[int, int, FileResult], None]
"""Called after each file with (done, total, its result)."""


@dataclass(frozen=True, slots=True)
class DeletionReport:
    """The truth about a batch, file by file."""

    batch: str
    mode: DeletionMode
    results: tuple[FileResult, ...]
    not_attempted: tuple[Path, ...] = ()
    """Files left alone because the batch was cancelled before them."""
    cancelled: bool = False
    journal_path: Path | None = None
    journal_error: str = ""
    """Set when some journal lines could not be written (the batch still went on)."""

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

    def summary_text(self) -> str:
        """One line for the status area: how many went where, bytes, problems."""
        done = {
            Outcome.TRASHED: "to the trash",
            Outcome.MOVED: "moved",
            Outcome.DELETED: "deleted permanently",
        }
        parts = [
            f"{plural(self.count(outcome), 'file')} {words}"
            for outcome, words in done.items()
            if self.count(outcome)
        ]
        if not parts:
            parts.append("no file removed")
        text = ", ".join(parts) + f" ({format_bytes(self.bytes_freed)})"
        kept = sum(1 for result in self.removed if result.space_kept)
        if kept:
            text += f"; {plural(kept, 'file')} had another name (no space freed for them)"
        if self.count(Outcome.SKIPPED):
            text += f"; {self.count(Outcome.SKIPPED)} skipped"
        if self.count(Outcome.FAILED):
            text += f"; {self.count(Outcome.FAILED)} failed"
        if self.cancelled:
            text += f"; stopped, {plural(len(self.not_attempted), 'file')} left alone"
        return text


def execute(
    plan: DeletionPlan,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    journal: Journal | None = None,
) -> DeletionReport:
    """Act on the plan file by file; one file's failure never stops the others.

    Right before each file it checks the file is the one scanned (same size and mtime). Trashing
    never falls back to deleting. Cancellation is honoured between files. Every outcome is
    appended to the journal (the default one in the state folder unless given); a journal that
    cannot be written raises JournalError before any file is touched.
    """
    journal = journal if journal is not None else Journal()
    journal.check_writable()
    batch = new_batch_id()
    results: list[FileResult] = []
    journal_error = ""
    total = len(plan.files)
    for index, summary in enumerate(plan.files):
        if cancel is not None and cancel.is_set():
            return DeletionReport(
                batch,
                plan.mode,
                tuple(results),
                tuple(s.path for s in plan.files[index:]),
                True,
                journal.path,
                journal_error,
            )
        result = act_on(summary, plan)
        results.append(result)
        try:
            journal.append(_journal_entry(batch, result))
        except OSError as error:
            journal_error = f"journal not fully written: {os_reason(error)}"
        if on_progress is not None:
            on_progress(index + 1, total, result)
    return DeletionReport(batch, plan.mode, tuple(results), (), False, journal.path, journal_error)


def check_unchanged(summary: Summary) -> str:
    """Empty when the file is still the one scanned, else the reason to skip it."""
    try:
        info = os.stat(summary.path)
    except FileNotFoundError:
        return VANISHED
    except OSError as error:
        return f"cannot check it: {os_reason(error)}"
    if not os.path.isfile(summary.path):
        return CHANGED
    if summary.inode and summary.identity.difference(FileIdentity.of(info)):
        return CHANGED
    if info.st_size != summary.size or info.st_mtime_ns != summary.mtime_ns:
        return CHANGED
    return ""


def _space_stays(path: Path) -> bool:
    """True when removing this name frees no space: a symbolic link, or one of several hard
    links to the same data."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISLNK(info.st_mode) or info.st_nlink > 1


def act_on(summary: Summary, plan: DeletionPlan) -> FileResult:
    """Check one file, then trash, move or delete it; any failure becomes a FileResult."""
    path = summary.path
    reason = check_unchanged(summary)
    if reason:
        return FileResult(path, summary.size, Outcome.SKIPPED, reason)
    kept = _space_stays(path)
    try:
        if plan.mode is DeletionMode.TRASH:
            entry = send_to_trash(path)
            if entry is None:
                return FileResult(path, summary.size, Outcome.TRASHED, space_kept=kept)
            return FileResult(
                path, summary.size, Outcome.TRASHED, "", entry.file, entry.info, space_kept=kept
            )
        if plan.mode is DeletionMode.MOVE:
            return replace(_move(summary, plan), space_kept=kept)
        os.unlink(path)
        return FileResult(path, summary.size, Outcome.DELETED, space_kept=kept)
    except TrashUnavailableError as error:
        return FileResult(path, summary.size, Outcome.FAILED, error.strerror or "trash unavailable")
    except OSError as error:
        return FileResult(path, summary.size, Outcome.FAILED, os_reason(error))


def move_destination(path: Path, plan: DeletionPlan) -> Path | None:
    """Where MOVE mode puts a file: its path relative to the scanned folder, under move_to."""
    assert plan.move_to is not None
    try:
        relative = path.relative_to(plan.root)
    except ValueError:
        return None
    return plan.move_to / relative


def _move(summary: Summary, plan: DeletionPlan) -> FileResult:
    path, size = summary.path, summary.size
    target = move_destination(path, plan)
    if target is None:
        return FileResult(path, size, Outcome.FAILED, "outside the scanned folder")
    if os.path.lexists(target):
        return FileResult(path, size, Outcome.FAILED, f"destination taken: {target}", target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        move_no_overwrite(path, target)
    except FileExistsError:
        return FileResult(path, size, Outcome.FAILED, f"destination taken: {target}", target)
    except NotADirectoryError:
        return FileResult(path, size, Outcome.FAILED, f"cannot make the folder for {target}")
    except OSError as error:
        if error.errno == errno.EEXIST:
            return FileResult(path, size, Outcome.FAILED, f"cannot make the folder for {target}")
        raise
    return FileResult(path, size, Outcome.MOVED, "", target)


def _journal_entry(batch: str, result: FileResult) -> JournalEntry:
    return JournalEntry(
        batch=batch,
        path=os.fspath(result.path),
        size=result.size,
        action=str(result.outcome),
        reason=result.reason,
        destination=None if result.destination is None else os.fspath(result.destination),
        trash_info=None if result.trash_info is None else os.fspath(result.trash_info),
    )
