"""Undo: put a batch's trashed and moved files back, never overwriting, journalling each step.

Interrupted batches are reconciled first (recovery.py); `undo_batch` then puts every trashed or
moved file back when what is there is still the file the batch put there.
"""

from __future__ import annotations

import errno
import filecmp
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .batch_lock import batch_lock
from .errors import os_reason
from .fileops import (
    ChangedError,
    copy_into_place,
    move_no_replace,
    open_folder,
    open_or_make_folder,
    temp_name,
)
from .journal import (
    DELETED,
    MOVED,
    TRASHED,
    BatchRecord,
    FileRecord,
    Journal,
    JournalError,
)
from .recovery import recover_interrupted
from .trash import INFO_SUFFIX, find_in_trash

TRASH_CHANGED = "changed in the trash since it was put there"


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What undo did with one file of the batch."""

    path: Path
    restored: bool
    reason: str = ""
    """Why it was not restored (empty when it was)."""
    source: Path | None = None
    """Where it was brought back from (the trash or the moved-to folder)."""


@dataclass(frozen=True, slots=True)
class UndoReport:
    """The outcome of undoing one batch."""

    batch: str | None
    """The batch undone; None when the journal holds no batch with files out."""
    results: tuple[UndoResult, ...] = ()
    journal_path: Path | None = None
    already_back: tuple[Path, ...] = ()
    """Files of the batch an earlier undo had put back (another instance's, say)."""

    @property
    def restored(self) -> tuple[UndoResult, ...]:
        return tuple(result for result in self.results if result.restored)

    @property
    def not_restored(self) -> tuple[UndoResult, ...]:
        return tuple(result for result in self.results if not result.restored)

    @property
    def complete(self) -> bool:
        """True when every file the batch removed is back (vacuously so for no batch)."""
        return not self.not_restored


def choose_batch(
    journal: Journal, folders: Path | Sequence[Path] | None = None
) -> BatchRecord | None:
    """The newest batch that still has files out (when `folders` are given, one that scanned
    at least one of them, in whatever order they were given then)."""
    wanted = {folders} if isinstance(folders, Path) else set(folders or ())
    for record in journal.batches():
        scanned = set(record.roots) | ({record.root} if record.root is not None else set())
        if folders is not None and not scanned & wanted:
            continue
        if record.still_out:
            return record
    return None


def find_batch(journal: Journal, wanted: str) -> str:
    """The batch id named by `wanted`: the whole id, or a unique start or end of one (the six
    letters after the dash are enough). JournalError when none or several match."""
    ids = journal.batch_ids()
    if wanted in ids:
        return wanted
    found = [batch for batch in ids if batch.startswith(wanted) or batch.endswith(wanted)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise JournalError(f"no batch {wanted} in the journal {journal.folder}")
    raise JournalError(f"{len(found)} batches match {wanted}: give more of the id")


def undo_batch(journal: Journal | None = None, batch: str | None = None) -> UndoReport:
    """Put a batch's trashed and moved files back (the newest with files out, unless named);
    never overwrite; journal each step. Running it again retries only what is still out.

    Raises JournalError when the named batch is not in the journal or is running now, and
    BatchBusyError (a JournalError) when another instance's batch does not end in time.
    """
    journal = journal if journal is not None else Journal()
    with batch_lock(journal):  # never beside another instance's batch or undo
        return _undo_locked(journal, batch)


def _undo_locked(journal: Journal, batch: str | None) -> UndoReport:
    recover_interrupted(journal)
    if batch is None:
        record = choose_batch(journal)
        if record is None:
            return UndoReport(None, (), journal.folder)
    else:
        record = journal.read(find_batch(journal, batch))
    results: list[UndoResult] = []
    already_back = tuple(
        f.path for f in sorted(record.files.values(), key=lambda f: f.n) if f.restored
    )
    with journal.append_to(record.batch) as writer:
        # Last out, first back: a place an earlier file left is free again when it returns.
        for found in sorted(record.files.values(), key=lambda f: f.n, reverse=True):
            if found.restored:
                continue
            if found.outcome == DELETED:
                results.append(
                    UndoResult(found.path, False, "deleted permanently: cannot come back")
                )
                continue
            if found.outcome not in (TRASHED, MOVED):
                continue

            def copying(temp: str, n: int = found.n) -> None:
                writer.write({"kind": "restoring", "n": n, "temp": temp})

            result = _put_back(found, record, copying)
            results.append(result)
            line = {"kind": "restore", "n": found.n, "restored": result.restored}
            writer.write(line | ({"reason": result.reason} if result.reason else {}))
    _remove_empty_made(record)
    results.reverse()  # reported in the batch's own order
    return UndoReport(record.batch, tuple(results), writer.path, already_back)


def _put_back(found: FileRecord, record: BatchRecord, copying: Callable[[str], None]) -> UndoResult:
    """Put one file back; `copying(temp)` journals the temporary name before a copy across
    drives."""
    original = found.path
    source = found.destination
    if found.restore_temp:  # an undo killed while copying this file back: its half copy goes
        _remove_temp(found, record)
    if source is None:
        where = "the system trash" if found.outcome == TRASHED else "its destination"
        return UndoResult(original, False, f"the journal does not say where in {where} it is")
    if not os.path.lexists(source) and found.outcome == TRASHED and found.trash is not None:
        entries = [e for e in find_in_trash(original, found.trash, found.size) if e.file.exists()]
        if entries:
            source, found.info = entries[0].file, entries[0].info
    if not os.path.lexists(source):
        if _already_back(found):  # an undo stopped between the move and its journal line
            _tidy_after(found)
            return UndoResult(original, True, "", source)
        if found.outcome == TRASHED:
            return UndoResult(original, False, "no longer in the trash (emptied or restored)")
        return UndoResult(original, False, f"no longer at {source}", source)
    if os.path.lexists(original):
        if found.restore_temp and _copied_back(found, source, original):
            _tidy_after(found)
            return UndoResult(original, True, "", source)
        return UndoResult(original, False, _taken(source), source)
    try:
        _move_back(found, source, record, copying)
    except FileExistsError:
        return UndoResult(original, False, _taken(source), source)
    except ChangedError as changed:
        return UndoResult(original, False, changed.reason, source)
    except OSError as error:
        return UndoResult(original, False, os_reason(error), source)
    _tidy_after(found)
    return UndoResult(original, True, "", source)


def _taken(source: Path) -> str:
    return f"its place is taken by another file; left at {source}"


def _changed_reason(found: FileRecord, source: Path) -> str:
    if found.outcome == TRASHED:
        return TRASH_CHANGED
    return f"changed at {source} since it was put there"


def _is_what_was_put_there(found: FileRecord, info: os.stat_result) -> bool:
    """True when the file at the source is the one the batch put there: the same device,
    inode, size and mtime as journaled right after the act (ctime changes on a rename, so it
    is not compared). Older journals only tell the size."""
    if found.kept_as is not None:
        now = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        return now == found.kept_as
    if stat.S_ISLNK(info.st_mode):
        return True  # a link's size is its target's name's length: nothing to compare
    return info.st_size == found.size


def _root_of(path: Path, record: BatchRecord) -> Path:
    """The scanned folder the file was reached from: the deepest one holding it."""
    folders = record.roots or ((record.root,) if record.root is not None else ())
    if not folders:  # an old journal names no folder: walk from the top, following no link
        folders = (Path(path.anchor),)
    holding = [folder for folder in folders if path.is_relative_to(folder)]
    if not holding:
        raise ChangedError("outside the scanned folder")
    return max(holding, key=lambda folder: len(folder.parts))


def _remove_temp(found: FileRecord, record: BatchRecord) -> None:
    """Remove the half-made copy an interrupted undo left beside the original's name (reached
    from the scanned folder without following a new link); quietly, when there is none."""
    try:
        with open_folder(found.path.parent, _root_of(found.path, record), record.linked) as folder:
            os.unlink(found.restore_temp, dir_fd=folder)
    except (ChangedError, OSError):
        pass


def _copied_back(found: FileRecord, source: Path, original: Path) -> bool:
    """True when an undo killed between copying the file back and removing it from `source`
    left a complete copy in place: the source, still what the batch put there, then goes."""
    try:
        info, here = os.lstat(source), os.lstat(original)
        if not stat.S_ISREG(info.st_mode) or not _is_what_was_put_there(found, info):
            return False
        if not stat.S_ISREG(here.st_mode) or os.path.samestat(info, here):
            return False  # a link to the source (or another name of it) is no copy
        if not filecmp.cmp(source, original, shallow=False):
            return False
        os.unlink(source)
    except OSError:
        return False
    return True


def _move_back(
    found: FileRecord, source: Path, record: BatchRecord, copying: Callable[[str], None]
) -> None:
    """Check what is at `source` is the file put there, then move it back, never replacing,
    into its folder reached from the scanned folder without following any new link (missing
    plain folders are made). ChangedError says why it is refused."""
    original = found.path
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
    src_fd = os.open(source.parent, flags)
    try:
        info = os.stat(source.name, dir_fd=src_fd, follow_symlinks=False)
        if not _is_what_was_put_there(found, info):
            raise ChangedError(_changed_reason(found, source))
        root = _root_of(original, record)
        with open_or_make_folder(original.parent, root, record.linked) as dst_fd:
            try:
                move_no_replace(src_fd, source.name, dst_fd, original.name)
            except OSError as error:
                if error.errno != errno.EXDEV:
                    raise
                temp = temp_name()
                copying(temp)
                copy_into_place(src_fd, source.name, dst_fd, original.name, temp)
    finally:
        os.close(src_fd)


def _already_back(found: FileRecord) -> bool:
    """True when the file is at its original path again (the same inode, or for a copy made
    across drives the same size)."""
    try:
        info = os.lstat(found.path)
    except OSError:
        return False
    if found.inode and not found.temp:  # moved by rename: the inode never changed
        return (info.st_dev, info.st_ino) == (found.device, found.inode)
    return info.st_size == found.size


def _remove_empty_made(record: BatchRecord) -> None:
    """Remove every folder the batch's moves made that is empty now, deepest first: a folder
    made for the first file out is left by it while a later file is still out (a retry that
    brings that one back removes it then)."""
    made = {folder for found in record.files.values() for folder in found.made}
    for folder in sorted(made, key=lambda path: len(path.parts), reverse=True):
        try:
            os.rmdir(folder)
        except OSError:
            pass


def _tidy_after(found: FileRecord) -> None:
    """Remove the trash entry's info file, or the folders the move made that are now empty."""
    if found.outcome == TRASHED and found.info is not None:
        if found.info.name.endswith(INFO_SUFFIX):
            found.info.unlink(missing_ok=True)
        return
    for folder in reversed(found.made):
        try:
            os.rmdir(folder)
        except OSError:
            break
