"""Acting on a confirmed plan: check each file is the one scanned, journal the intent, then
trash, move or unlink it, and journal the outcome.

Promises kept here: a file whose identity (device, inode, size, mtime, ctime) changed, or whose
path now passes through a symbolic link the scan did not walk, is skipped and stays marked; a
journal record exists before any file is touched, and a journal that cannot be written stops
the batch before the next file; a trash failure never turns into a deletion.

The batch around the acts (journal header, outcome and end lines, cancellation) is batch.py;
what a batch did is deletion_report.py.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

from .batch import ProgressCallback, run_batch
from .batch_lock import WAIT_SECONDS, batch_lock
from .deletion_report import BatchStatus as BatchStatus  # re-exported beside the report
from .deletion_report import DeletionReport, FileResult, Outcome
from .errors import os_reason
from .fileops import (
    KEEPER_GONE,
    VANISHED,
    ChangedError,
    check_identity,
    copy_into_place,
    move_no_replace,
    open_destination,
    open_folder,
    remove_empty_folders,
    space_stays,
    temp_name,
)
from .journal import BatchWriter, Journal
from .plan import DeletionMode, DeletionPlan
from .summary import Summary
from .trash import (
    FREEDESKTOP,
    Trash,
    TrashError,
    device_of,
    send_to_system_trash,
    source_gone,
    trash_file,
)


def execute(
    plan: DeletionPlan,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    journal: Journal | None = None,
    wait: float = WAIT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
) -> DeletionReport:
    """Act on the plan file by file; one file's failure never stops the others.

    The whole batch holds the user-wide batch lock (another instance's batch is waited for up
    to `wait` seconds, `on_wait` told once; BatchBusyError, a JournalError, when it does not end).

    Leftovers of an interrupted earlier batch are reconciled first. Cancellation is honoured
    between files. Raises JournalError when the batch's journal cannot be started (nothing is
    touched then); a journal write failing later stops the batch (status FAILED, `error` says
    why). Anything unexpected is journalled as the batch's end, then raised.
    """
    journal = journal if journal is not None else Journal()
    with batch_lock(journal, timeout=wait, on_wait=on_wait, cancel=cancel):
        return run_batch(plan, journal, act_on, on_progress, cancel)


def act_on(summary: Summary, plan: DeletionPlan, writer: BatchWriter, n: int) -> FileResult:
    """Check one file, journal the intent, then trash, move or delete it.

    Any failure becomes a FileResult; only JournalError propagates (the batch stops).
    """
    path, size = summary.path, summary.size

    def intent(**where: object) -> None:
        line = {"kind": "intent", "n": n, "path": os.fspath(path), "size": size}
        line.update(device=summary.device, inode=summary.inode)
        writer.write(line | {key: value for key, value in where.items() if value})

    try:
        with open_folder(path.parent, plan.root_of(path), plan.linked) as folder:
            name = path.name
            reason, info = check_identity(folder, name, summary.identity)
            if reason:
                return FileResult(path, size, Outcome.SKIPPED, reason)
            keeper = plan.keepers.get(path)
            if keeper is not None and not keeper_still_there(keeper, plan):
                return FileResult(path, size, Outcome.SKIPPED, KEEPER_GONE)
            kept = space_stays(info)

            def check_again() -> None:
                again, _ = check_identity(folder, name, summary.identity)
                if again:
                    raise ChangedError(again.replace("since scan", "while being copied"))

            if plan.mode is DeletionMode.TRASH:
                return _trash(summary, folder, info, intent, check_again, kept)
            if plan.mode is DeletionMode.MOVE:
                return _move(summary, plan, folder, info, intent, check_again, kept)
            intent()
            os.unlink(name, dir_fd=folder)
            return FileResult(path, size, Outcome.DELETED, space_kept=kept)
    except ChangedError as changed:
        return FileResult(path, size, Outcome.SKIPPED, changed.reason)
    except FileNotFoundError:
        return FileResult(path, size, Outcome.SKIPPED, VANISHED)
    except TrashError as error:
        return FileResult(path, size, Outcome.FAILED, error.strerror or "trash unavailable")
    except OSError as error:
        return FileResult(path, size, Outcome.FAILED, photo_reason(error, path))


def keeper_still_there(keeper: Summary, plan: DeletionPlan) -> bool:
    """True when the keeper is still under its path with its scanned identity, reached by the
    same no-follow walk as a marked file (a folder swapped for a link is "gone")."""
    try:
        with open_folder(keeper.path.parent, plan.root_of(keeper.path), plan.linked) as folder:
            reason, _ = check_identity(folder, keeper.path.name, keeper.identity)
    except (ChangedError, OSError):
        return False
    return not reason


def photo_reason(error: OSError, path: Path, destination: Path | None = None) -> str:
    """Why an act on the photo failed, naming which folder refused."""
    if error.errno in (errno.EACCES, errno.EPERM):
        if destination is not None and os.access(path.parent, os.W_OK | os.X_OK):
            return "permission denied on the destination folder"
        return "permission denied on the photo's folder"
    if error.errno == errno.ENOENT:
        return VANISHED
    return os_reason(error)


def _trash(
    summary: Summary,
    folder: int,
    info: os.stat_result,
    intent: Callable[..., None],
    check_again: Callable[[], None],
    kept: bool,
) -> FileResult:
    path, size = summary.path, summary.size
    if not FREEDESKTOP:
        intent(trash="system")
        send_to_system_trash(path)
        return FileResult(path, size, Outcome.TRASHED, space_kept=kept)

    def chosen(trash: Trash, temp: str) -> None:
        intent(trash=os.fspath(trash.path), temp=temp if trash.copy else "")

    entry = trash_file(
        folder, path.name, path, info.st_dev, on_chosen=chosen, check_again=check_again
    )
    return FileResult(path, size, Outcome.TRASHED, "", entry.file, entry.info, kept)


def _move(
    summary: Summary,
    plan: DeletionPlan,
    folder: int,
    info: os.stat_result,
    intent: Callable[..., None],
    check_again: Callable[[], None],
    kept: bool,
) -> FileResult:
    path, size = summary.path, summary.size
    assert plan.move_to is not None
    target = plan.destination_of(path)
    if target is None:
        return FileResult(path, size, Outcome.FAILED, "outside the scanned folder")
    if os.path.lexists(target):
        return FileResult(path, size, Outcome.FAILED, f"destination taken: {target}", target)
    missing = _missing_folders(target.parent)
    cross = device_of(target.parent) != info.st_dev
    temp = temp_name() if cross else ""
    intent(to=os.fspath(target), temp=temp, made=[os.fspath(p) for p in missing])
    try:
        destination = open_destination(target.parent, plan.move_to)
    except ChangedError as changed:  # a folder below move_to is now a link: not followed
        _tidy(missing)
        return FileResult(path, size, Outcome.FAILED, changed.reason)
    except OSError as error:
        _tidy(missing)
        if error.errno in (errno.EEXIST, errno.ENOTDIR, errno.ENOENT):
            return FileResult(path, size, Outcome.FAILED, f"cannot make the folder for {target}")
        return FileResult(path, size, Outcome.FAILED, photo_reason(error, path, target))
    try:
        if cross:
            copy_into_place(folder, path.name, destination, target.name, temp, check_again)
        else:
            move_no_replace(folder, path.name, destination, target.name)
    except FileExistsError:
        _tidy(missing)
        return FileResult(path, size, Outcome.FAILED, f"destination taken: {target}", target)
    except ChangedError:
        _tidy(missing)
        raise
    except OSError as error:
        _tidy(missing)
        if error.errno == errno.ENOENT:  # which one: the photo, or the folder it goes to?
            if source_gone(folder, path.name):
                return FileResult(path, size, Outcome.SKIPPED, VANISHED)
            reason = f"the destination folder vanished ({target.parent})"
            return FileResult(path, size, Outcome.FAILED, reason)
        return FileResult(path, size, Outcome.FAILED, photo_reason(error, path, target))
    finally:
        os.close(destination)
    return FileResult(path, size, Outcome.MOVED, "", target, space_kept=kept)


def _missing_folders(folder: Path) -> list[Path]:
    missing: list[Path] = []
    here = folder
    while not os.path.lexists(here) and here.parent != here:
        missing.append(here)
        here = here.parent
    return list(reversed(missing))


def _tidy(made: list[Path]) -> None:
    """Remove the folders this move made (deepest first) if they are still empty."""
    if made:
        remove_empty_folders(made[-1], made[0].parent)
