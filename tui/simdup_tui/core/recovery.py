"""Reconcile interrupted batches: what the journal intended against what is on disk.

A batch interrupted on a file (kill -9, power cut) has an intent line and no outcome for it.
`recover_interrupted` looks where that file was going: if it is still in place, any half-made
copy is removed; if it reached its destination, the outcome is written. Deleting and undoing both
run it first, so they always start from a journal that tells the truth.
"""

from __future__ import annotations

import filecmp
import logging
import os
from datetime import datetime
from pathlib import Path

from .journal import (
    DELETED,
    FAILED,
    MOVED,
    SKIPPED,
    TRASHED,
    BatchRecord,
    FileRecord,
    Journal,
    JournalError,
    now_iso,
)
from .trash import INFO_SUFFIX, find_in_trash, fit_name

log = logging.getLogger(__name__)


def recover_interrupted(journal: Journal) -> list[str]:
    """Close every batch that stopped without its end line and is not running now; return them.

    For each file with an intent and no outcome, the truth on disk is written as its outcome,
    and leftovers (a temporary copy, a copy beside a source still in place, an orphan
    .trashinfo) are removed. A journal that cannot be read or written is logged, not raised.
    """
    closed = []
    try:
        records = [record for record in journal.batches() if not record.status]
    except JournalError as error:
        log.warning("%s", error.message)
        return closed
    for record in records:
        if journal.is_running(record.batch):
            continue
        try:
            with journal.append_to(record.batch) as writer:
                for found in record.open_intents:
                    outcome, reason, destination, info = _reconcile(found, _started(record))
                    line = {"kind": "outcome", "n": found.n, "path": os.fspath(found.path)}
                    line.update(size=found.size, outcome=outcome, reason=reason)
                    if destination is not None:
                        line["destination"] = os.fspath(destination)
                    if info is not None:
                        line["info"] = os.fspath(info)
                    writer.write(line)
                writer.write({"kind": "end", "time": now_iso(), "status": "interrupted"})
        except JournalError as error:
            log.warning("could not close the interrupted batch %s: %s", record.batch, error)
            continue
        closed.append(record.batch)
    return closed


def _in_place(found: FileRecord) -> os.stat_result | None:
    try:
        info = os.lstat(found.path)
    except OSError:
        return None
    if found.inode and (info.st_dev, info.st_ino) != (found.device, found.inode):
        return None
    return info


def _same_file(copy: Path, original: Path, original_info: os.stat_result) -> bool:
    """True when `copy` is another name of the original, or a complete copy of its bytes."""
    try:
        info = os.lstat(copy)
    except OSError:
        return False
    if (info.st_dev, info.st_ino) == (original_info.st_dev, original_info.st_ino):
        return True
    try:
        return info.st_size == original_info.st_size and filecmp.cmp(copy, original, False)
    except OSError:
        return False


def _started(record: BatchRecord) -> float:
    """When the batch began, in seconds since the epoch (0 when its header is unreadable)."""
    try:
        return datetime.fromisoformat(record.time).timestamp()
    except ValueError:
        return 0.0


def _reconcile(found: FileRecord, since: float) -> tuple[str, str, Path | None, Path | None]:
    """(outcome, reason, destination, info) of a file its batch stopped on; tidies leftovers."""
    for temp in _temps(found):
        temp.unlink(missing_ok=True)
    here = _in_place(found)
    if found.to is not None:
        if here is not None:
            if _same_file(found.to, found.path, here):
                found.to.unlink()
            _remove_made(found)
            return SKIPPED, "interrupted; still in place", None, None
        if os.path.lexists(found.to):
            return MOVED, "", found.to, None
        _remove_made(found)
        return FAILED, f"interrupted; not found in place nor at {found.to}", None, None
    if found.trash is not None:
        _remove_empty_reservations(found)
        entries = find_in_trash(found.path, found.trash)
        for entry in entries:
            if not os.path.lexists(entry.file):
                _remove_orphan_info(entry.info)
            elif (
                here is not None
                and _made_since(entry.info, since)  # never an older batch's copy of the file
                and _same_file(entry.file, found.path, here)
            ):
                entry.file.unlink()
                entry.info.unlink(missing_ok=True)
        if here is not None:
            return SKIPPED, "interrupted; still in place", None, None
        for entry in entries:
            try:
                if os.lstat(entry.file).st_size == found.size:
                    return TRASHED, "", entry.file, entry.info
            except OSError:
                continue
        return FAILED, "interrupted; not found in place nor in the trash", None, None
    if here is not None:
        return SKIPPED, "interrupted; still in place", None, None
    return DELETED, "interrupted while being deleted", None, None


def _remove_made(found: FileRecord) -> None:
    """Remove the folders the interrupted move made (deepest first) while they are empty: the
    file never reached them."""
    for folder in reversed(found.made):
        try:
            os.rmdir(folder)
        except OSError:
            break


def _remove_empty_reservations(found: FileRecord) -> None:
    """Info files of this file's names that were reserved but never written (killed between
    the O_EXCL create and the write), whose files/NAME never came: litter, removed."""
    assert found.trash is not None
    stem = os.path.splitext(fit_name(found.path.name, 1))[0]
    info_folder = found.trash / "info"
    try:
        names = [name for name in os.listdir(info_folder) if name.startswith(stem)]
    except OSError:
        return
    for name in names:
        info = info_folder / name
        try:
            empty = name.endswith(INFO_SUFFIX) and os.lstat(info).st_size == 0
        except OSError:
            continue
        if empty and not os.path.lexists(found.trash / "files" / name[: -len(INFO_SUFFIX)]):
            _remove_orphan_info(info)


def _made_since(path: Path, since: float) -> bool:
    """True when path was made after `since` (the batch's start, to the second)."""
    try:
        return os.lstat(path).st_mtime >= since - 1
    except OSError:
        return False


def _remove_orphan_info(info: Path) -> None:
    try:
        info.unlink()
    except OSError as error:
        log.warning("could not remove the orphan trash entry %s: %s", info, error)


def _temps(found: FileRecord) -> list[Path]:
    if not found.temp:
        return []
    if found.to is not None:
        return [found.to.parent / found.temp]
    if found.trash is not None:
        return [found.trash / "files" / found.temp]
    return []
